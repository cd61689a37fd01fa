-- expect: 2
oxtile.settings { boder_width = 2 }
