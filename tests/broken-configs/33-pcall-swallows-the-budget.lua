-- expect: 3
oxtile.settings { lua_instruction_limit = 100000 }
while true do pcall(function() while true do end end) end
