import Exchanges
import Indicators
import Model

/// The seam where a rating model plugs into the pipeline: one ``SymbolModel`` per symbol,
/// asked on every candle close.
public protocol ModelStage: Sendable {
    /// The model's version, copied into every signal.
    var version: String { get }
    /// Makes the per-symbol instance. Called on the symbol's shard, before its first event.
    func makeSymbolModel(symbol: CanonicalSymbol, exchange: Exchange) -> any SymbolModel
}

/// One symbol's model: fed closed candles, serially, on the symbol's shard. Not shared.
public protocol SymbolModel: AnyObject {
    /// A new rating after `candle` of `interval` closed, or nil to keep the previous one
    /// (an interval the model does not use, or still warming up).
    func onCandle(_ candle: Candle, interval: CandleInterval) -> ModelRating?
}
