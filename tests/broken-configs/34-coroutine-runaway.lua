-- expect: 3
oxtile.settings { lua_instruction_limit = 100000 }
coroutine.wrap(function() while true do end end)()
