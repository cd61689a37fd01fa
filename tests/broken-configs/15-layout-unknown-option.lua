-- expect: 2
oxtile.layouts { oxtile.layout.monadtall { ratoi = 0.5 } }
