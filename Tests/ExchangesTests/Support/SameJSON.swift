import Foundation
@testable import Exchanges

/// True when two JSON texts hold the same value (whitespace and key order aside).
func sameJSON(_ built: String, _ expected: [UInt8]) throws -> Bool {
    let a = try JSONSerialization.jsonObject(with: Data(built.utf8)) as? NSObject
    let b = try JSONSerialization.jsonObject(with: Data(expected)) as? NSObject
    return a != nil && a == b
}
