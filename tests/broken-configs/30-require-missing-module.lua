-- expect: 2
require("does.not.exist")
