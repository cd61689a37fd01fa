-- expect: 4
oxtile.groups { "1" }
--[[ never closed
