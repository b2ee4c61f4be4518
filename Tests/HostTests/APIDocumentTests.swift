import Foundation
@testable import Host
import Logging
import Testing
import Yams

/// docs/openapi.yaml must describe exactly the routes the server registers.
@Suite struct APIDocumentTests {
    static func document() throws -> [String: Any] {
        let text = try String(contentsOf: DocumentationTests.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let document = try Self.document()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in ((item as? [String: Any]) ?? [:]).keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let fixture = try APIFixture()
        let routes = APIServer(settings: APISettings(), services: fixture.services, logger: Logger(label: "doc")).buildRouter().routes
        let served = Set(routes.map(\.description))
        #expect(served.count == routes.count, "a route is registered twice")
        #expect(served.subtracting(documented).sorted() == [], "served but not in docs/openapi.yaml")
        #expect(documented.subtracting(served).sorted() == [], "in docs/openapi.yaml but not served")
    }

    @Test func everyOperationDocumentsItsErrorsAndMutatingOnesTheirAuth() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        for (path, item) in paths {
            for (method, operation) in (item as? [String: Any]) ?? [:] {
                let responses = ((operation as? [String: Any])?["responses"] as? [String: Any]) ?? [:]
                #expect(!responses.isEmpty, "\(method) \(path) has no responses")
                if ["post", "put"].contains(method) {
                    #expect(responses["401"] != nil && responses["403"] != nil, "\(method) \(path) does not document 401/403")
                    let security = (operation as? [String: Any])?["security"]
                    #expect(security != nil, "\(method) \(path) does not name its security")
                }
            }
        }
    }
}
