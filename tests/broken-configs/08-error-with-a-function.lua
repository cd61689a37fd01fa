-- expect: 2
error(function() end)
