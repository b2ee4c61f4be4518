/// The Lua strategy a shard's close rehearsal runs (``CloseRehearsalSettings``): it takes the
/// way a real signal takes through the runtime (an indicator, `string.format`, a reason, a
/// risk rule) on every close, whatever the prices, so that way is warm when the first real
/// close of a boundary comes. Its records are discarded.
enum RehearsalScript {
    static let name = "rehearsal"

    /// The script, on candles of `timeframe` (the pipeline's smallest interval).
    static func source(timeframe: String) -> String {
        """
        return {
          description = "close rehearsal (internal)",
          timeframe = "\(timeframe)",
          params = { period = 14 },
          indicators = function(p)
            return { rsi = ind.rsi(p.period) }
          end,
          on_candle = function(ctx)
            local rsi = ctx.ind.rsi or 50
            return "buy", "rehearsal at RSI " .. string.format("%.1f", rsi), 0.5
          end,
          risk = function(ctx, proposal)
            return proposal
          end,
        }
        """
    }
}
