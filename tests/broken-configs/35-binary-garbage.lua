-- expect: 1
ÿþ