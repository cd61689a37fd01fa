-- expect: 2
error({ code = 42 })
