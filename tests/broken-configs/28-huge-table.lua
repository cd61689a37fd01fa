-- expect: 3
oxtile.settings { lua_instruction_limit = 100000 }
local t = {} for i = 1, 1e9 do t[i] = i end
