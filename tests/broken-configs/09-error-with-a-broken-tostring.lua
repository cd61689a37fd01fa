-- expect: 2
error(setmetatable({}, { __tostring = function() error("again") end }))
