-- expect: 2
load(string.dump(function() end), "x", "b")()
