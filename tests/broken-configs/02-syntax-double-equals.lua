-- expect: 2
local x = = 1
