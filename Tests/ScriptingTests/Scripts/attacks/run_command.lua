-- Attack: run_command. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      os.execute("touch /tmp/chloe-pwned") -- @attack
    end
    return "buy", "still here"
  end,
}
