-- expect: 2
oxtile.key({ "mod4" }, "NoSuchKey", oxtile.lazy.kill())
