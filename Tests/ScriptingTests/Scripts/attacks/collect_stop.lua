-- Attack: collect_stop. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      collectgarbage("stop") -- @attack
    end
    return "buy", "still here"
  end,
}
