import CLua

/// One call of a host function from Lua, as the Swift body sees it: the arguments (copied
/// by the C trampoline into a plain struct) and room for up to ``maximumResults`` results.
/// The body never touches the Lua state, so nothing it does can raise a Lua error; to fail,
/// it throws ``LuaHostError`` and the trampoline raises it in Lua.
///
/// Positions are 0-based (`number(at: 0)` is Lua's first argument); error messages use Lua's
/// 1-based numbering. At most ``maximumArguments`` arguments are accepted.
/// It exists only during the call (it is not copyable and the body borrows it).
public struct LuaHostCall: ~Copyable {
    /// Most arguments a host function accepts.
    public static let maximumArguments = Int(CHLOE_HOST_MAX_ARGS)
    /// Most results a host function returns.
    public static let maximumResults = Int(CHLOE_HOST_MAX_RESULTS)

    let raw: UnsafeMutablePointer<chloe_host_call>

    /// The host function's name, for messages.
    public let functionName: String

    init(raw: UnsafeMutablePointer<chloe_host_call>, functionName: String) {
        self.raw = raw
        self.functionName = functionName
    }

    // MARK: Arguments

    /// How many arguments the script passed.
    public var argumentCount: Int { Int(raw.pointee.argument_count) }

    private func argument(_ position: Int) -> chloe_value? {
        guard position >= 0, position < argumentCount else { return nil }
        return chloe_host_argument(raw, Int32(position)).pointee
    }

    private func badArgument(_ position: Int, expected: String) -> LuaHostError {
        let found = argument(position).map(Self.typeName) ?? "no value"
        return LuaHostError("bad argument #\(position + 1) to '\(functionName)' (\(expected) expected, got \(found))")
    }

    private static func typeName(_ value: chloe_value) -> String {
        switch value.kind {
        case CHLOE_VALUE_NIL: "nil"
        case CHLOE_VALUE_BOOLEAN: "boolean"
        case CHLOE_VALUE_NUMBER, CHLOE_VALUE_INTEGER: "number"
        case CHLOE_VALUE_STRING: "string"
        default: value.string.map { String(cString: $0) } ?? "userdata"
        }
    }

    /// The argument at `position`, which must be a number.
    public func number(at position: Int) throws(LuaHostError) -> Double {
        guard let value = argument(position), value.kind == CHLOE_VALUE_NUMBER else {
            throw badArgument(position, expected: "number")
        }
        return value.number
    }

    /// The argument at `position` if it is a number, `nil` if it is `nil` or absent.
    public func optionalNumber(at position: Int) throws(LuaHostError) -> Double? {
        guard let value = argument(position), value.kind != CHLOE_VALUE_NIL else { return nil }
        guard value.kind == CHLOE_VALUE_NUMBER else { throw badArgument(position, expected: "number") }
        return value.number
    }

    /// The argument at `position`, which must be a string.
    public func string(at position: Int) throws(LuaHostError) -> String {
        guard let value = argument(position), value.kind == CHLOE_VALUE_STRING, let bytes = value.string else {
            throw badArgument(position, expected: "string")
        }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: value.length), as: UTF8.self)
    }

    /// The argument at `position` by Lua truthiness (`nil`, absent and `false` are false).
    public func boolean(at position: Int) -> Bool {
        guard let value = argument(position) else { return false }
        switch value.kind {
        case CHLOE_VALUE_NIL: return false
        case CHLOE_VALUE_BOOLEAN: return value.boolean != 0
        default: return true
        }
    }

    /// The argument at `position` copied out (tables and functions as ``LuaValue/other(_:)``).
    public func value(at position: Int) -> LuaValue {
        guard let value = argument(position) else { return .nil }
        switch value.kind {
        case CHLOE_VALUE_NIL: return .nil
        case CHLOE_VALUE_BOOLEAN: return .boolean(value.boolean != 0)
        case CHLOE_VALUE_NUMBER: return .number(value.number)
        case CHLOE_VALUE_STRING: return (try? string(at: position)).map(LuaValue.string) ?? .nil
        default: return .other(Self.typeName(value))
        }
    }

    // MARK: Results

    private func append(_ value: chloe_value) {
        let count = Int(raw.pointee.result_count)
        guard count < Self.maximumResults else {
            let message = "host function '\(functionName)' returned more than \(Self.maximumResults) results"
            Self.fail(raw, message)
            return
        }
        chloe_host_result(raw, Int32(count)).pointee = value
        raw.pointee.result_count = Int32(count + 1)
    }

    /// Returns a number to the script (results are returned in push order).
    public func push(_ value: Double) {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_NUMBER
        raw.number = value
        append(raw)
    }

    /// Returns an integer to the script (a Lua integer: `tostring` prints no `.0`).
    public func push(integer value: Int) {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_INTEGER
        raw.integer = Int64(value)
        append(raw)
    }

    /// Returns a boolean to the script.
    public func push(_ value: Bool) {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_BOOLEAN
        raw.boolean = value ? 1 : 0
        append(raw)
    }

    /// Returns `nil` to the script.
    public func pushNil() {
        append(chloe_value())
    }

    // MARK: Dispatch

    static func fail(_ call: UnsafeMutablePointer<chloe_host_call>, _ message: String) {
        var message = message
        message.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                chloe_host_fail(call, chars.baseAddress, chars.count)
            }
        }
    }

    /// The `@convention(c)` entry the C trampoline calls: runs the Swift body named by
    /// `context` and records its results or its error in `call`. Touches no Lua state.
    static func dispatch(context: UnsafeMutableRawPointer?, call: UnsafeMutablePointer<chloe_host_call>?) {
        guard let context, let call else { return }
        let box = Unmanaged<LuaHostFunctionBox>.fromOpaque(context).takeUnretainedValue()
        let hostCall = LuaHostCall(raw: call, functionName: box.name)
        do {
            try box.body(hostCall)
        } catch {
            fail(call, error.message)
        }
    }
}

/// A host function's Swift body: reads arguments from and pushes results to the call.
public typealias LuaHostFunction = (borrowing LuaHostCall) throws(LuaHostError) -> Void

/// Keeps a host function's name and body alive for as long as its state (the C closure
/// holds an unretained pointer to it).
final class LuaHostFunctionBox {
    let name: String
    let body: LuaHostFunction

    init(name: String, body: @escaping LuaHostFunction) {
        self.name = name
        self.body = body
    }
}
