-- A plugin with module-level state: each (strategy, symbol) state loads its own copy.
local shared = { counter = 0 }
function shared.bump() shared.counter = shared.counter + 1; return shared.counter end
return shared
