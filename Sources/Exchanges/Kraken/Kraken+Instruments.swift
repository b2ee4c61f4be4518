extension Kraken {
    /// Reads the `instrument` channel: `{"channel":"instrument","type":"snapshot"|"update",
    /// "data":{"assets":[...],"pairs":[{"symbol":"BTC/USD","price_precision":1,"qty_precision":8,...}]}}`,
    /// for the precisions the book checksum is computed at.
    public enum Instruments {
        /// The precision of every pair in an `instrument` frame; nil when the frame is another channel's.
        public static func precisions(in frame: UnsafeRawBufferPointer) throws(ExchangeDecodeError) -> [CanonicalSymbol: Precision]? {
            var tape = JSONTape()
            do {
                try tape.parse(frame)
            } catch {
                throw ExchangeDecodeError(.kraken, error)
            }
            do {
                return try tape.withDocument(frame) { (d) throws(FieldError) -> [CanonicalSymbol: Precision]? in
                    guard let channel = d.member(d.root, "channel"), d.stringEquals(channel, "instrument") else { return nil }
                    return try within("instrument") { () throws(FieldError) in
                        let data = try d.requiredObject(d.root, "data")
                        guard let pairs = d.optional(data, "pairs") else { return [:] }
                        let mapping = Symbols()
                        var result: [CanonicalSymbol: Precision] = [:]
                        for pair in d.elements(pairs) {
                            let name = try d.requiredText(pair, "symbol")
                            guard let symbol = mapping.canonical(native: name) else {
                                throw FieldError("symbol", "'\(name.prefix(40))' is not a BASE/QUOTE pair")
                            }
                            result[symbol] = Precision(price: Int(try d.requiredUnsigned(pair, "price_precision")),
                                                       quantity: Int(try d.requiredUnsigned(pair, "qty_precision")))
                        }
                        return result
                    }
                }
            } catch {
                throw ExchangeDecodeError(.kraken, error)
            }
        }
    }
}
