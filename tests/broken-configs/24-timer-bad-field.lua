-- expect: 2
oxtile.timer { timeout = 1, callback = function() end, every = 3 }
