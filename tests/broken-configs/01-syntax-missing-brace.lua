-- expect: 4
oxtile.groups { "1", "2" }
oxtile.layouts { oxtile.layout.max {}
local x = 1
