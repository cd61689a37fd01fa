-- expect: 2
oxtile.groups(42)
