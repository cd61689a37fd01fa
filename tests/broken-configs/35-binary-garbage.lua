-- expect: file
ÿþ