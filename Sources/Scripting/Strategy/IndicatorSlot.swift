import Indicators

/// One declared indicator of an instance: the streaming indicator and the names its outputs
/// have in `ctx.ind` — a number under the strategy's key for a one-output indicator
/// (`ctx.ind.rsi`), fields of a table otherwise (`ctx.ind.macd.hist`, `ctx.ind.bb.upper`;
/// MACD's main line is `value`). An output still warming up is `nil`. The runtime prelude
/// builds those tables from ``names`` and the host feeds the values through the inbox.
struct IndicatorSlot {
    var indicator: any CandleIndicator
    /// The strategy's key for it (`rsi`, `macd`).
    let key: String
    /// The declaration (`rsi:14`): an instance of a new version declaring the same one under
    /// the same key takes over this indicator's state instead of replaying the history.
    let spec: IndicatorSpec
    /// Names in results and in the prelude's layout: `rsi`, `macd.value`, `macd.hist`, ...
    let names: [String]

    init(key: String, spec: IndicatorSpec) throws(LuaError) {
        do {
            indicator = try spec.makeIndicator()
        } catch {
            throw LuaError.missingFunction("ind.\(spec.definition.name)", found: "\(error)")
        }
        self.key = key
        self.spec = spec
        let outputs = indicator.outputNames
        names = outputs.count == 1 ? [key] : outputs.map { "\(key).\($0.isEmpty ? "value" : $0)" }
    }
}

extension CandleIndicator {
    /// Feeds `candle` (a rejected one leaves the state as it was), then writes outputs
    /// `0..<count` to `slots`: one call where the indicator sits behind an existential, instead of
    /// reaching it again for every output.
    mutating func update(_ candle: Candle, writingOutputsTo slots: UnsafeMutablePointer<Double>, count: Int) {
        _ = try? update(candle)
        writeOutputs(to: slots, count: count)
    }

    /// Writes outputs `0..<count` to `slots`: NaN for one still warming up or not finite.
    func writeOutputs(to slots: UnsafeMutablePointer<Double>, count: Int) {
        for index in 0..<count {
            let value = value(index)
            slots[index] = value.isFinite ? value : .nan
        }
    }
}
