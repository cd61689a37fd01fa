-- expect: 2
local s = string.rep("x", 1 << 30)
