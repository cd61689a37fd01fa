-- expect: 2
oxtile.layouts { oxtile.layout.nope {} }
