import Exchanges
/// A signal written as JSON by hand, byte for byte what ``RecordCoding``'s encoder writes for
/// it (snake_case keys in sorted order, nil fields absent, the indicators in UTF-8 key order):
/// it is stored and broadcast for every signal, and the encoder's reflection cost tens of
/// microseconds per signal.
extension Signal {
    /// A value the JSON of a signal cannot hold (NaN or infinite), by its field.
    struct NotFinite: Error, CustomStringConvertible {
        let field: String
        let value: Double
        var description: String { "signal field '\(field)' is \(value); JSON numbers must be finite" }
    }

    /// The signal's JSON; throws for a NaN or infinite number (which the encoder refuses too).
    func json() throws(NotFinite) -> String {
        var object = JSONText()
        object.member("confidence", try Self.finite(confidence, "confidence"))
        object.member("exchange", exchange)
        object.member("feed", json: try feed.json())
        object.member("id", id)
        object.member("indicators", json: try indicatorsJSON())
        object.member("latency_microseconds", latencyMicroseconds)
        object.member("level", level.name)
        if let modelProbabilities {
            for value in modelProbabilities { _ = try Self.finite(value, "model_probabilities") }
            object.member("model_probabilities", json: JSONText.array(modelProbabilities))
        }
        if let modelVersion { object.member("model_version", modelVersion) }
        object.member("reason", reason)
        if let risk { object.member("risk", json: try risk.json()) }
        object.member("strategy", strategy)
        object.member("strategy_hash", strategyHash)
        object.member("symbol", symbol)
        object.member("time", time)
        object.member("trigger", trigger)
        return object.close()
    }

    private func indicatorsJSON() throws(NotFinite) -> String {
        var text = "{"
        // The encoder sorts keys by their UTF-8 bytes; names are the strategy's, so quoted.
        for (index, (name, value)) in indicators.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }).enumerated() {
            if index > 0 { text.append(",") }
            JSONWriter.appendQuoted(name, to: &text)
            text.append(":")
            text.append(JSONText.number(try Self.finite(value, "indicators.\(name)")))
        }
        text.append("}")
        return text
    }

    static func finite(_ value: Double, _ field: String) throws(NotFinite) -> Double {
        guard value.isFinite else { throw NotFinite(field: field, value: value) }
        return value
    }
}

extension Signal.Feed {
    func json() throws(Signal.NotFinite) -> String {
        var object = JSONText()
        object.member("book_in_sync", bookInSync)
        if let lastEventAgeMilliseconds { object.member("last_event_age_milliseconds", lastEventAgeMilliseconds) }
        object.member("quality", try Signal.finite(quality, "feed.quality"))
        return object.close()
    }
}

extension Signal.Risk {
    func json() throws(Signal.NotFinite) -> String {
        var object = JSONText()
        if let note { object.member("note", note) }
        object.member("size", try Signal.finite(size, "risk.size"))
        if let stopLoss { object.member("stop_loss", try Signal.finite(stopLoss, "risk.stop_loss")) }
        if let takeProfit { object.member("take_profit", try Signal.finite(takeProfit, "risk.take_profit")) }
        object.member("vetoed", vetoed)
        return object.close()
    }
}
