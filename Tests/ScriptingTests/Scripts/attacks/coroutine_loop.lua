-- Attack: coroutine_loop. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      local co = coroutine.wrap(function() while true do end end); co() -- @attack
    end
    return "buy", "still here"
  end,
}
