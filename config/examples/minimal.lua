-- A minimal oxtile config: three groups, two layouts, the few keys you cannot do without.
-- Everything not set here keeps its default (see config/config.lua for the full tour).

local oxtile = require("oxtile")
local lazy = oxtile.lazy

oxtile.groups { "1", "2", "3" }
oxtile.layouts { oxtile.layout.monadtall {}, oxtile.layout.max {} }

oxtile.key({ "mod4" }, "Return", oxtile.spawn(oxtile.terminal), "open a terminal")
oxtile.key({ "mod4" }, "j", lazy.focus_next())
oxtile.key({ "mod4" }, "k", lazy.focus_prev())
oxtile.key({ "mod4" }, "space", lazy.next_layout())
oxtile.key({ "mod4" }, "w", lazy.kill())
oxtile.key({ "mod4", "control" }, "q", lazy.quit())

for i = 1, 3 do
    oxtile.key({ "mod4" }, tostring(i), lazy.to_group(i))
    oxtile.key({ "mod4", "shift" }, tostring(i), lazy.move_to_group(i))
end
