-- Attack: bytecode. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      assert(load(string.dump(function() return 1 end))) -- @attack
    end
    return "buy", "still here"
  end,
}
