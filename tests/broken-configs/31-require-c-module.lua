-- expect: 2
require("socket.core")
