-- Attack: endless_recursion. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      local function f(n) return 1 + f(n + 1) end; f(1) -- @attack
    end
    return "buy", "still here"
  end,
}
