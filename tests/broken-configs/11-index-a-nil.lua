-- expect: 3
local t = nil
print(t.field)
