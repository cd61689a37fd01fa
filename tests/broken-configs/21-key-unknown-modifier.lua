-- expect: 2
oxtile.key({ "hyper9" }, "a", oxtile.lazy.kill())
