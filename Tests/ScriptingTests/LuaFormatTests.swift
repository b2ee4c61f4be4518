import Foundation
import Testing
@testable import Scripting

/// The sandbox's `string.format` takes a fast path for `%s`, `%d`, `%f`, `%.Nf` and `%%`
/// (format.h); it must print exactly what Lua's own (glibc's printf) prints, and leave
/// everything else to Lua's.
@Suite struct LuaFormatTests {
    private static func state() throws -> LuaState {
        let lua = try LuaState()
        try lua.load(source: """
            function fmt(f, ...) return string.format(f, ...) end
            function fmt_int(f, x) return string.format(f, math.tointeger(x)) end
            """, name: "format")
        return lua
    }

    /// What glibc's printf makes of `format` with one double.
    private static func printf(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Doubles that test rounding: exact ties at every precision (k / 2^n), values a hair on
    /// either side of a tie, the edges of the exact range, and random values of every size.
    private static let values: [Double] = {
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-5, 0.05, 0.15, 0.25, 0.35, 0.45,
                                 1.005, 2.675, 99.995, 123456.789, 9_007_199_254_740_994, 4_611_686_018_427_387_904,
                                 9_223_372_036_854_775_808, 1.8446744073709552e19, 1e20, 1e300, -1e300, .leastNonzeroMagnitude, 2.2250738585072014e-308,
                                 1.0 / 3, 2.0 / 3, 0.1, 0.7, 1e-10, 3.14159265358979, 49.95, 69.95, 30.05]
        for k in 1...64 {
            let tie = Double(k) / 1024 + 0.5 / 1024
            values += [tie, tie.nextUp, tie.nextDown, -tie, Double(k) * 0.05, Double(k) + 0.5]
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let exponent = Double.random(in: -12...22, using: &random)
            let value = Double.random(in: 1..<10, using: &random) * pow(10, exponent.rounded(.down))
            values.append(Bool.random(using: &random) ? value : -value)
        }
        return values
    }()

    @Test func fixedPointIsGlibcsToTheLastDigit() throws {
        let lua = try Self.state()
        for value in Self.values {
            for precision in 0...9 {
                let format = "%.\(precision)f"
                let got = try lua.callForValues("fmt", .string(format), .number(value)).first?.string
                #expect(got == Self.printf(format, value), "\(format) of \(value)")
            }
            #expect(try lua.callForValues("fmt", "%f", .number(value)).first?.string == Self.printf("%f", value), "%f of \(value)")
        }
    }

    @Test func notFiniteValuesPrintAsPrintfDoes() throws {
        let lua = try Self.state()
        for value in [Double.infinity, -.infinity, .nan] {
            #expect(try lua.callForValues("fmt", "%.2f", .number(value)).first?.string == Self.printf("%.2f", value))
        }
    }

    @Test func integersStringsAndPercents() throws {
        let lua = try Self.state()
        for value in [0, 1, -1, 42, 1_000_000_007, -9_007_199_254_740_992, 9_007_199_254_740_992] {
            #expect(try lua.callForValues("fmt_int", "%d", .number(Double(value))).first?.string == String(value))
            #expect(try lua.callForValues("fmt_int", "%s", .number(Double(value))).first?.string == String(value))
        }
        try lua.load(source: """
            assert(string.format("%d", math.mininteger) == "-9223372036854775808")
            assert(string.format("%d", math.maxinteger) == "9223372036854775807")
            assert(string.format("%d", 3.0) == "3" and string.format("%d", -0.0) == "0")
            assert(string.format("%s|%s|%d%%", "a\\0b", 12, -7) == "a\\0b|12|-7%")
            assert(string.format("RSI %.1f oversold", 28.25) == "RSI 28.2 oversold")
            assert(("%s at %.2f"):format("BTC/USDT", 101.005) == "BTC/USDT at " .. string.format("%.2f", 101.005))
            assert(string.format("no conversions") == "no conversions" and string.format("") == "")
            assert(string.format("%s", "x", "extra", 1) == "x")
            """, name: "integers")
    }

    /// What the fast path does not take goes to Lua's own string.format, with its results.
    @Test func everythingElseIsLuasOwn() throws {
        let lua = try Self.state()
        try lua.load(source: """
            assert(string.format("%5.2f|%-6d|%x|%g|%q", 3.14159, 42, 255, 0.1, "a\\n") == " 3.14|42    |ff|0.1|\\"a\\\\\\n\\"")
            assert(string.format("%s %s %s", 1.5, true, nil) == "1.5 true nil")
            assert(string.format("%.10f", 1/3) == "0.3333333333")
            assert(string.format("%d", "12") == "12" and string.format("%.1f", "2.25") == "2.2")
            assert(string.format(12) == "12")
            local t = setmetatable({}, { __tostring = function() return "T" end })
            assert(string.format("%s", t) == "T")
            """, name: "delegated")
    }

    /// Errors are Lua's own, and still carry the line of the script that made them.
    @Test func badArgumentsFailAsInLua() throws {
        let lua = try Self.state()
        let cases: [(String, String)] = [
            ("return string.format('%d', 1.5)", "number has no integer representation"),
            ("return string.format('%d')", "bad argument #2 to 'string.format' (no value)"),
            ("return string.format('%.2f', {})", "bad argument #2 to 'string.format' (number expected, got table)"),
            ("return string.format('%y', 1)", "invalid conversion '%y' to 'format'"),
            ("return string.format()", "bad argument #1 to 'string.format' (string expected, got no value)"),
            ("return ('%d'):format(1.5)", "bad argument #2 to 'string.format' (number has no integer representation)"),
        ]
        for (source, message) in cases {
            let error = luaError { try lua.load(source: "local x = 1\n" + source, name: "bad") }
            #expect(error?.message.contains(message) == true, "\(source): \(error?.message ?? "no error")")
            #expect(error?.line == 2, "\(source)")
        }
    }
}
