-- Attack: read_file. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      local f = io.open("/etc/passwd"); return "sell", f:read("a") -- @attack
    end
    return "buy", "still here"
  end,
}
