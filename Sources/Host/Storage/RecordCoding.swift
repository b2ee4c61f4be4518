import Foundation

/// The JSON shape of Chloe's records everywhere (REST, WebSocket, storage, webhooks): snake_case
/// keys, slashes unescaped (`BTC/USDT`), sorted keys so equal records encode to equal bytes.
public enum RecordCoding {
    /// A new encoder in the records' shape (JSONEncoder is not Sendable; make one per use site).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder for the records' shape.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
