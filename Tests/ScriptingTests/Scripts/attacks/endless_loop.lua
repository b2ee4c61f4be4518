-- Attack: endless_loop. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      while true do end -- @attack
    end
    return "buy", "still here"
  end,
}
