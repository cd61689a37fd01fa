-- expect: 2
oxtile.settings { border_width = "wide" }
