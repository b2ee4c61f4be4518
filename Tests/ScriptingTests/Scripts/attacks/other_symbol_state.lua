-- Attack: changing another symbol's (or strategy's) state. EVIL/USDT writes globals, its
-- plugin copy and its own state; GOOD/USDT must see none of it.
local shared = require("shared")
LEAK = LEAK or nil
return {
  init = function(state) state.mine = state.mine or 0 end,
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      LEAK = "evil was here"
      _G.state = { mine = 1e9 }
      shared.counter = 1e9
      ctx.state.mine = 1e9
      return "sell", "attacked"
    end
    ctx.state.mine = ctx.state.mine + 1
    return "buy", string.format("leak=%s counter=%d mine=%d", tostring(LEAK), shared.bump(), ctx.state.mine)
  end,
}
