-- expect: 2
oxtile.hook("client_new_typo", function() end)
