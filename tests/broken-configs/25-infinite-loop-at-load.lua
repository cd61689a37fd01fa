-- expect: 3
oxtile.settings { lua_instruction_limit = 100000 }
while true do end
