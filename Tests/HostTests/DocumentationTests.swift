import Foundation
import Indicators
import Testing

/// The user-facing docs must describe what the code offers.
@Suite struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func indicatorsDocListsEveryIndicatorWithItsDefaultsAndLookback() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/indicators.md"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `") }
        var documented: [String: [String]] = [:]
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells
        }
        #expect(Set(documented.keys) == Set(IndicatorCatalog.all.map(\.name)))
        for definition in IndicatorCatalog.all {
            guard let cells = documented[definition.name] else { continue }
            for parameter in definition.parameters where definition.optionalTrailing == 0 {
                #expect(cells[2].contains("\(parameter.name) (\(IndicatorSpec.format(parameter.defaultValue)))"),
                        "\(definition.name): parameter \(parameter.name) default not documented")
            }
            for output in definition.outputs where !output.isEmpty {
                #expect(cells[3].contains("`\(output)`"), "\(definition.name): output \(output) not documented")
            }
        }
    }
}
