-- Attack: coroutine_pcall_loop. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      local co = coroutine.create(function() while true do pcall(error, "x") end end); coroutine.resume(co) -- @attack
    end
    return "buy", "still here"
  end,
}
