-- Runaway scripts: loops, recursion, memory bombs.

function spin()
  while true do end                                 -- @spin
end

-- The script's own pcall must not swallow the budget kill.
function swallow()
  for _ = 1, 1000 do
    pcall(function() while true do end end)
  end
  return "escaped"
end

-- Nor may a coroutine.
function swallow_in_coroutine()
  for _ = 1, 1000 do
    local co = coroutine.create(function() while true do end end)
    coroutine.resume(co)
  end
  return "escaped"
end

-- Nor an xpcall with a message handler that loops.
function swallow_with_handler()
  for _ = 1, 1000 do
    xpcall(function() while true do end end, function(m) while true do end end)
  end
  return "escaped"
end

function bounded(n)
  local sum = 0
  for i = 1, n do sum = sum + i end
  return sum
end

function string_bomb()
  return #string.rep("x", 1 << 30)
end

function table_bomb()
  local t = {}
  local i = 0
  while true do
    i = i + 1
    t[i] = { i }
  end
end

function concat_bomb()
  local s = "x"
  while true do s = s .. s end
end

-- Catches its own memory error: allowed, the state stays usable.
function caught_bomb()
  local ok, message = pcall(string.rep, "x", 1 << 30)
  return ok, message
end

local function deep(n)
  return deep(n + 1) + 1                            -- @deep
end

function recurse()
  return deep(1)
end

function c_recurse()
  local t = setmetatable({}, { __index = function(t, k) return t[k] end })
  return t.x
end

function small()
  return 42
end

-- A coroutine swallows the kill and the caller returns within one check interval.
function swallow_quickly()
  local co = coroutine.create(function() while true do end end)
  coroutine.resume(co)
  return "escaped"
end

-- A killed coroutine must not run its __close handlers (they would run without a budget).
function close_killed()
  killed = coroutine.create(function()
    local guard <close> = setmetatable({}, { __close = function() while true do end end })
    while true do end
  end)
  coroutine.resume(killed)
  return coroutine.close(killed)
end

function close_killed_later()
  return coroutine.close(killed)
end

function wrap_killed()
  local f = coroutine.wrap(function()
    local guard <close> = setmetatable({}, { __close = function() while true do end end })
    while true do end
  end)
  return pcall(f)
end

-- A __close handler that loops is stopped like any other code.
function looping_close()
  local guard <close> = setmetatable({}, { __close = function() while true do end end })
  return 1
end

-- Coroutines made before the watchdog armed the call, resumed after it.
function resume_old_coroutine_then_spin()
  local co = coroutine.create(function() while true do coroutine.yield() end end)
  for _ = 1, 3 do coroutine.resume(co) end
  local n = 0
  while true do n = n + 1 end                       -- @main_spin
end

function resume_forever()
  local co = coroutine.create(function() while true do coroutine.yield() end end)
  while true do coroutine.resume(co) end
end

function wrap_forever()
  local f = coroutine.wrap(function()
    for i = 1, math.maxinteger do
      if i % 1000 == 0 then coroutine.yield(i) end
    end
  end)
  while true do f() end
end

-- A coroutine made in an earlier call that loops when resumed later.
function make_sleeper()
  sleeper = coroutine.create(function()
    coroutine.yield()
    while true do end                               -- @sleeper
  end)
  coroutine.resume(sleeper)
  return 1
end

function wake_sleeper()
  return coroutine.resume(sleeper)
end

function resume_results()
  local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b); return c * 2, "done" end)
  local ok1, sum = coroutine.resume(co, 1, 2)
  local ok2, double, word = coroutine.resume(co, 21)
  local ok3, message = coroutine.resume(co)
  local ok4, self_message = coroutine.resume(coroutine.running())
  return ok1, sum, ok2, double, word, ok3, message, ok4, self_message
end
