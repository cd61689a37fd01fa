-- expect: 2
oxtile.key({ "mod4" }, "a", 42)
