-- The top level of this chunk fails while loading.
local x = 1
local y = nil
print(x + y)   -- @top_level
