-- oxtile's default configuration.
--
-- Copy this file to ~/.config/oxtile/config.lua and change it: oxtile loads that file when
-- it exists, and this one when it does not. Check your changes before reloading with
--
--     oxtile check ~/.config/oxtile/config.lua
--
-- which prints every problem as FILE:LINE: message. A config that does not load never
-- leaves you without a desktop: oxtile keeps (or falls back to) a working one and shows
-- the error. Reload with mod4+ctrl+r.
--
-- Everything oxtile offers lives in the `oxtile` module (a global, also `require("oxtile")`).
-- config/oxtile.lua documents all of it; point your editor's Lua language server at it.

local oxtile = require("oxtile")

-- The modifier most bindings use: mod4 is the "Super" / Windows key. Use "mod1" for Alt.
local mod = "mod4"

-- Groups -----------------------------------------------------------------------------------
-- Groups are workspaces. Each has a name (what mod4+1 switches to and what your bar shows)
-- and may have its own layouts: { name = "web", layouts = { oxtile.layout.max{} } }.
oxtile.groups { "1", "2", "3", "4", "5", "6", "7", "8", "9" }

-- Layouts ----------------------------------------------------------------------------------
-- The layouts every group cycles through with mod4+Tab, first one first. Options go in the
-- braces, e.g. oxtile.layout.monadtall { ratio = 0.6 }; an unknown layout or option is
-- reported with its line.
oxtile.layouts {
    oxtile.layout.monadtall {}, -- one main window, the others stacked beside it
    oxtile.layout.columns {},   -- windows side by side in columns
    oxtile.layout.max {},       -- the focused window takes the whole screen
    oxtile.layout.tile {},      -- main area and a stack, dwm style
    oxtile.layout.monadwide {}, -- monadtall turned on its side
    oxtile.layout.floating {},  -- windows stay where you put them
}

-- Settings ---------------------------------------------------------------------------------
-- Only the keys you give change; colours are "#rrggbb" or "#rgb".
oxtile.settings {
    border_width = 2,
    border_focus = "#5294e2",
    border_normal = "#333333",
    border_urgent = "#d33c3c",
    margin = 4,
    focus_follows_mouse = true,
}

-- The bar ---------------------------------------------------------------------------------
-- oxtile.bar puts a bar on an edge of a screen ("top", "bottom", "left", "right"); it keeps
-- its space free of tiled windows. Widgets go left to right; oxtile.widget.spacer{} pushes
-- the ones after it to the far end. docs/widgets.md lists every widget and its options.
oxtile.bar {
    position = "top",
    size = 24,
    background = "#222222",
    foreground = "#dddddd",
    font = "sans 10",
    widgets = {
        oxtile.widget.groupbox {},                     -- click a group to show it
        oxtile.widget.sep {},
        oxtile.widget.currentlayout {},
        oxtile.widget.sep {},
        oxtile.widget.prompt {},                       -- mod4+r, mod4+p: prompts type here
        oxtile.widget.windowname {},                   -- the focused window's title
        oxtile.widget.systray {},                      -- tray icons (nm-applet, ...)
        oxtile.widget.clock { format = "%a %d %b %H:%M" }, -- add timezone = "Asia/Tokyo"
    },
}

-- Keys -------------------------------------------------------------------------------------
-- oxtile.key(modifiers, key, action, description)
--   modifiers: a list such as { mod, "shift" } ("shift", "control", "mod1"/"alt", "mod4")
--   key:       an X key name: "a", "Return", "space", "Tab", "F1", "Left", "grave", ...
--   action:    oxtile.spawn("command"), an oxtile.lazy.* action, or a Lua function
local key, lazy = oxtile.key, oxtile.lazy

-- oxtile.terminal is $TERMINAL, or the first of alacritty, kitty, wezterm, urxvt, st, xterm
-- that is installed.
key({ mod }, "Return", oxtile.spawn(oxtile.terminal), "open a terminal")
key({ mod }, "w", lazy.kill(), "close the focused window")

key({ mod }, "Tab", lazy.next_layout(), "next layout")
key({ mod, "shift" }, "Tab", lazy.prev_layout(), "previous layout")

key({ mod }, "j", lazy.focus_next(), "focus the next window")
key({ mod }, "k", lazy.focus_prev(), "focus the previous window")
key({ mod, "shift" }, "j", lazy.shuffle_down(), "move the window down the stack")
key({ mod, "shift" }, "k", lazy.shuffle_up(), "move the window up the stack")

key({ mod }, "h", lazy.shrink(), "shrink the main area")
key({ mod }, "l", lazy.grow(), "grow the main area")
key({ mod }, "n", lazy.normalize(), "reset the layout's sizes")

key({ mod }, "f", lazy.toggle_fullscreen(), "toggle fullscreen")
key({ mod }, "t", lazy.toggle_floating(), "toggle floating")

-- mod4+1..9 shows a group, mod4+shift+1..9 sends the focused window there.
for i = 1, 9 do
    local name = tostring(i)
    key({ mod }, name, lazy.to_group(name), "show group " .. name)
    key({ mod, "shift" }, name, lazy.move_to_group(name), "move the window to group " .. name)
end
key({ mod }, "grave", lazy.prev_group_toggle(), "back to the previous group")

-- Screens (monitors) are numbered from 0: the primary first, then left to right.
key({ mod }, "period", lazy.next_screen(), "focus the next screen")
key({ mod }, "comma", lazy.prev_screen(), "focus the previous screen")
key({ mod, "shift" }, "period", lazy.move_to_next_screen(), "move the window to the next screen")
key({ mod, "shift" }, "comma", lazy.move_to_prev_screen(), "move the window to the previous screen")

-- Prompts open in the bar's prompt widget and own the keyboard until Return or Escape.
key({ mod }, "r", lazy.prompt("run"), "run a program")  -- Tab completes from $PATH
key({ mod }, "g", lazy.prompt("group"), "show a group")
key({ mod }, "slash", lazy.prompt("window"), "find a window")

-- The stateless password prompt: type a site and your master secret; the site's password
-- is derived (LessPass unless you choose another scheme) and stays on the clipboard for
-- 45 seconds. No password is ever stored. docs/prompt.md explains the schemes.
key({ mod }, "p", oxtile.password_prompt { scheme = "lesspass", length = 16 }, "password")

key({ mod, "control" }, "r", lazy.reload(), "reload the config")
key({ mod, "control" }, "q", lazy.quit(), "quit oxtile")

-- Mouse --------------------------------------------------------------------------------------
-- oxtile.drag(modifiers, button, "move" | "resize"): hold the modifiers and drag a window
-- with the button (1 left, 3 right). A tiled window dragged starts floating; a resize
-- follows the window's size hints. A plain click focuses the window and goes through to it.
oxtile.drag({ mod }, 1, "move")
oxtile.drag({ mod }, 3, "resize")

-- Rules ----------------------------------------------------------------------------------
-- oxtile.rule{ match = {...}, ... } decides about a window when it appears. A match
-- compares class, instance, title and role (exactly, or as a Lua pattern: "^Fire"), type
-- ("dialog", "utility", ...) and transient (true/false). Every rule that matches applies,
-- in order. Screens count from 0; geometry takes pixels (integers) or fractions of the
-- screen (0.5).
--
-- oxtile.rule { match = { class = "Gimp" }, group = "3", float = true }
-- oxtile.rule { match = { class = "mpv" }, screen = 1, fullscreen = true }
-- oxtile.rule { match = { title = "^Picture%-in%-Picture$" }, float = true,
--               geometry = { x = 0.7, y = 0.7, width = 0.28, height = 0.28 } }
-- oxtile.rule { match = { class = "Pidgin" }, focus = false }

-- Scratchpads ----------------------------------------------------------------------------
-- A program started on first use, then shown over the current group and hidden by the
-- same key. x, y, width and height are fractions of the screen; the match says which new
-- window is the scratchpad's (xterm's -class sets its WM_CLASS instance).
--
-- oxtile.scratchpad { name = "term", cmd = "xterm -class scratchpad",
--                     match = { instance = "^scratchpad$" },
--                     x = 0.1, y = 0.0, width = 0.8, height = 0.4, on_focus_lost_hide = true }
-- key({ mod }, "s", lazy.toggle_scratchpad("term"), "drop-down terminal")

-- A key can also run Lua. The function runs inside oxtile with a budget of instructions;
-- it reads the window manager through oxtile.clients(), oxtile.focused(), oxtile.groups(),
-- oxtile.current_group(), oxtile.screens(), and acts by calling actions: lazy.kill()()
-- runs the action right after the function returns.
--
-- key({ mod }, "x", function()
--     local c = oxtile.focused()
--     if c then oxtile.log("focused: " .. c.title) end
-- end, "log the focused window")

-- Hooks ------------------------------------------------------------------------------------
-- oxtile.hook(name, function) runs the function on an event: "startup", "client_new",
-- "client_focus", "client_killed", "group_change", "screen_change", "layout_change",
-- "container_change" (backend, name, old_state, new_state; from the containers widget).
-- The window hooks pass the window as a table { id, title, class, instance, group, ... }.
oxtile.hook("startup", function()
    oxtile.log("oxtile started with " .. #oxtile.clients() .. " windows")
end)
