-- expect: 3
oxtile.groups { "1" }
error("boom")
