-- Probes of the sandbox.

function absent(name)
  return _G[name] == nil
end

function os_functions()
  local names = {}
  for name in pairs(os) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ",")
end

function binary_load()
  local dumped = string.dump(function() return 1 end)
  local f, message = load(dumped)
  return f == nil, message
end

function binary_load_with_mode_b()
  local dumped = string.dump(function() return 1 end)
  local f, message = load(dumped, "dump", "b")
  return f == nil, message
end

function text_load()
  local f = load("return 1 + 2")
  return f()
end

function text_load_with_env()
  local f = load("return x", "chunk", "t", { x = 7 })
  return f()
end

function gc(option)
  return pcall(collectgarbage, option)
end

function clock_reads()
  return type(os.time()), type(os.clock()), type(os.date("%Y"))
end

function printer()
  print("hello", 1, true, nil)
end

function xpcall_handler()
  return xpcall(function() error("e", 0) end, function(m) return "handled: " .. m end)
end

function yield_across_xpcall()
  local co = coroutine.wrap(function()
    return xpcall(function() coroutine.yield(1); return 2 end, tostring)
  end)
  local first = co()
  local ok, value = co()
  return first, ok, value
end

function wrap_closes_normally()
  local closed = false
  local f = coroutine.wrap(function()
    local guard <close> = setmetatable({}, { __close = function() closed = true end })
    error("boom")
  end)
  local ok, message = pcall(f)
  return ok, message, closed
end

function close_suspended()
  local closed = false
  local co = coroutine.create(function()
    local guard <close> = setmetatable({}, { __close = function() closed = true end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  return coroutine.close(co), closed
end

function finalizer()
  return pcall(setmetatable, {}, { __gc = function() end })
end
