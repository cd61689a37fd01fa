-- expect: 2
oxtile.groups { "1", { name = {} } }
