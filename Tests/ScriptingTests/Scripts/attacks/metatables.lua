-- Attack: setmetatable on shared values (ctx, the string metatable, _G, ind).
return {
  indicators = { sma = ind.sma(3) },
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      setmetatable(ctx, { __index = function() error("trap") end, __newindex = function() error("trap") end })
      getmetatable("").__index = function() error("strings are broken") end
      setmetatable(_G, { __newindex = function() error("no globals") end })
      pcall(setmetatable, ctx.ind, { __gc = function() while true do end end })
      return "sell", "metatables set"
    end
    return "buy", ("ok"):upper()
  end,
}
