/// A frame parsed as JSON but a field is missing or has the wrong type or value. Decoders wrap
/// it into ``ExchangeDecodeError`` with the exchange's name.
struct FieldError: Error, Sendable, Equatable {
    /// The field's name (`p`, `updates[].side`).
    var field: String
    var reason: String
    /// The message kind being decoded (`depthUpdate`, `l2_data`), when known.
    var message: String?

    init(_ field: StaticString, _ reason: String) {
        self.field = field.description
        self.reason = reason
    }
}

/// Runs `body`, labelling any field error with the message kind being decoded.
func within<R>(_ message: String, _ body: () throws(FieldError) -> R) throws(FieldError) -> R {
    do {
        return try body()
    } catch {
        var labelled = error
        if labelled.message == nil { labelled.message = message }
        throw labelled
    }
}
