-- Functions the call tests use: numbers in and out, a reused context table, result types.

calls = 0

function add(a, b)
  return a + b
end

function divmod(a, b)
  return a // b, a % b
end

-- Reads the reused ctx table the host updates in place between calls.
function on_bar(ctx)
  calls = calls + 1
  ctx.seen = calls                      -- the host reads this back
  return ctx.close - ctx.open, ctx.close > ctx.open
end

function describe(x)
  return "value " .. tostring(x), x ~= nil, nil
end

function order(ctx)
  return { side = ctx.close > ctx.open and "buy" or "sell", size = 2.5, price = ctx.close, meta = { tag = "t" } }
end

function nothing()
end

function wrong_type()
  return "not a number"
end

-- Sees the global ctx set by the host.
function read_global_ctx()
  return ctx.close
end

function echo(...)
  return ...
end
