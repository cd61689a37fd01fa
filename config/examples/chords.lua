-- Key chords: mod4+r enters a "resize" mode in which h/l/n work without a modifier, until
-- Escape (or Return here) leaves it. A chord that is not persistent runs one action and
-- leaves by itself, like Emacs prefix keys: mod4+o then t opens a terminal.

local oxtile = require("oxtile")
local lazy = oxtile.lazy

oxtile.layouts { oxtile.layout.monadtall {}, oxtile.layout.columns {} }

oxtile.key({ "mod4" }, "Return", oxtile.spawn(oxtile.terminal), "open a terminal")
oxtile.key({ "mod4" }, "j", lazy.focus_next())
oxtile.key({ "mod4" }, "k", lazy.focus_prev())
oxtile.key({ "mod4", "control" }, "q", lazy.quit())

-- Entries are { mods, key, action, description } or the same with names.
oxtile.chord({ "mod4" }, "r", {
    name = "resize",
    persistent = true,
    keys = {
        { {}, "h", lazy.shrink(), "shrink" },
        { {}, "l", lazy.grow(), "grow" },
        { {}, "n", lazy.normalize(), "reset sizes" },
        { mods = {}, key = "Return", action = lazy.leave_chord(), desc = "done" },
    },
})

oxtile.chord({ "mod4" }, "o", {
    name = "open",
    keys = {
        { {}, "t", oxtile.spawn(oxtile.terminal), "terminal" },
        -- A Lua function works wherever an action does.
        { {}, "l", function() oxtile.log("windows: " .. #oxtile.clients()) end, "log the windows" },
    },
})
