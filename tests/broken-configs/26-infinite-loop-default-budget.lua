-- expect: 2
while true do end
