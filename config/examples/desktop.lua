-- A desktop config: rules, a scratchpad terminal, mouse drags, screen keys.
-- Check it with `oxtile check config/examples/desktop.lua`.

local oxtile = require("oxtile")
local key, lazy = oxtile.key, oxtile.lazy
local mod = "mod4"

oxtile.groups { "term", "web", "chat", "media" }
oxtile.layouts { oxtile.layout.monadtall {}, oxtile.layout.max {} }
oxtile.settings { focus_on_activate = false, screen_debounce_ms = 100 }

for i, name in ipairs({ "term", "web", "chat", "media" }) do
    key({ mod }, tostring(i), lazy.to_group(name))
    key({ mod, "shift" }, tostring(i), lazy.move_to_group(name))
end
key({ mod }, "Return", oxtile.spawn(oxtile.terminal))
key({ mod }, "w", lazy.kill())
key({ mod }, "period", lazy.next_screen())
key({ mod, "shift" }, "period", lazy.move_to_next_screen())
key({ mod }, "m", lazy.minimize())

-- Drag windows: mod4 + left button moves, mod4 + right button resizes.
oxtile.drag({ mod }, 1, "move")
oxtile.drag({ mod }, 3, "resize")

-- Rules: where windows go when they appear.
local browsers = oxtile.match { class = { "Firefox", "Chromium", "^Google%-chrome" } }
oxtile.rule { match = browsers, group = "web" }
oxtile.rule { match = { class = { "Pidgin", "discord" } }, group = "chat", focus = false }
oxtile.rule { match = { class = "mpv" }, group = "media", fullscreen = true }
oxtile.rule { match = { type = "dialog", title = "^Open" }, float = true,
              geometry = { width = 0.6, height = 0.6 } }
oxtile.rule { match = { title = "^Picture%-in%-Picture$" }, float = true,
              geometry = { x = 0.7, y = 0.7, width = 0.28, height = 0.28 } }

-- Jump to the browser wherever it is.
key({ mod }, "b", lazy.focus_match(browsers))

-- A drop-down terminal on mod4+s: started the first time, then shown and hidden.
oxtile.scratchpad { name = "term", cmd = "xterm -name dropdown",
                    match = { instance = "^dropdown$" },
                    x = 0.05, y = 0.0, width = 0.9, height = 0.45 }
key({ mod }, "s", lazy.toggle_scratchpad("term"))

-- One ultra-wide monitor used as two screens (uncomment and adjust):
-- oxtile.fake_screens { { x = 0, y = 0, width = 1720, height = 1440 },
--                       { x = 1720, y = 0, width = 1720, height = 1440 } }
