-- Uses host functions the tests register.

function sum(a, b)
  return host_add(a, b)
end

function fail()
  local x = host_fail("from the script")             -- @host_fail
  return x
end

function bad_argument()
  return host_add("one", 2)                         -- @bad_argument
end

function caught_failure()
  local ok, message = pcall(host_fail, "caught")
  return ok, message
end

function many()
  return host_many()
end

function via_table(ctx)
  return ctx.double(21)
end
