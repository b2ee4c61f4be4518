-- Attack: debug_hook. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      debug.sethook() -- @attack
    end
    return "buy", "still here"
  end,
}
