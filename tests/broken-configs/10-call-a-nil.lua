-- expect: 2
oxtile.no_such_function()
