-- Attack: dofile. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      dofile("/etc/passwd") -- @attack
    end
    return "buy", "still here"
  end,
}
