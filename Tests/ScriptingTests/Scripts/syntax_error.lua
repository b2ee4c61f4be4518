-- A chunk that does not compile.
function broken(x)
  local y = x +
end   -- @syntax
