-- Each function fails at the line marked with its name.

function raise_string()
  error("something broke")                          -- @raise_string
end

function call_nil()
  local result = undefined_function(1)              -- @call_nil
  return result
end

function arith_nil(ctx)
  return ctx.missing * 2                            -- @arith_nil
end

function raise_table()
  error({ code = 42 })                              -- @raise_table
end

function raise_table_with_tostring()
  error(setmetatable({}, { __tostring = function() return "custom failure" end }))  -- @raise_tostring
end

function raise_level_zero()
  error("no position", 0)                           -- @raise_level_zero
end

local function helper()
  error("from the helper", 2)
end

function raise_in_caller()
  helper()                                          -- @raise_in_caller
end

function caught()
  local ok, message = pcall(error, "inner")
  return ok, message
end
