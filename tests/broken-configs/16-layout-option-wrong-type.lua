-- expect: 2
oxtile.layouts { oxtile.layout.monadtall { ratio = "half" } }
