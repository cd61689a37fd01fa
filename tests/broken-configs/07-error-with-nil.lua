-- expect: 2
error(nil)
