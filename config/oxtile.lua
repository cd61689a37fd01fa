---@meta oxtile
-- Type annotations of the `oxtile` module for the Lua language server (LuaLS). This file is
-- documentation, never run: add it to `workspace.library` in .luarc.json and your editor
-- completes and checks config.lua (docs/editor.md). The .deb installs it as
-- /usr/share/oxtile/oxtile.lua. A unit test (src/lua/docs_tests.rs) keeps it, the running
-- module and docs/api.md in step: every function, setting, hook, layout option and field.
--
-- Problems in a config (an unknown key name, layout, option, setting, modifier or hook, a
-- value of the wrong type) do not stop the load: each is reported as FILE:LINE: message,
-- `oxtile check` lists them all, and a config with any problem is not used.

---@class oxtile
local oxtile = {}

---@alias oxtile.Modifier "shift"|"control"|"ctrl"|"mod1"|"alt"|"mod4"|"super"|"mod2"|"mod3"|"mod5"|"lock"

---Modifiers: a list of names, or one string joined with "+" ("mod4+shift"). `{}` is none.
---@alias oxtile.Mods oxtile.Modifier[]|string

---What a binding runs: an action object, or a Lua function called with no arguments.
---@alias oxtile.Runnable oxtile.Action|fun()

---@alias oxtile.HookName "startup"|"client_new"|"client_focus"|"client_killed"|"group_change"|"screen_change"|"layout_change"|"container_change"

---An action object, made by `oxtile.spawn` or `oxtile.lazy.*`. Bind it to a key, or call
---it (`a()`, same as `oxtile.run(a)`) to have it run right after the current function.
---@class oxtile.Action
---@field name string the action's name, e.g. "focus_next"
---@overload fun()

---A layout with its options, made by `oxtile.layout.<name>{...}`.
---@class oxtile.Layout
---@field name string

---A window, as `oxtile.clients()`, `oxtile.focused()` and the window hooks give it.
---@class oxtile.Client
---@field id integer the X window id
---@field title string
---@field class string WM_CLASS class, e.g. "Firefox"
---@field instance string WM_CLASS instance, e.g. "Navigator"
---@field group string name of its group
---@field floating boolean
---@field fullscreen boolean
---@field urgent boolean
---@field focused boolean
---@field visible boolean
---@field role string? WM_WINDOW_ROLE
---@field type string? the _NET_WM_WINDOW_TYPE
---@field transient_for integer? the window it is a dialog of
---@field minimized boolean hidden until activated (iconified)
---@field maximized_vert boolean
---@field maximized_horz boolean
---@field above boolean stacked above normal windows
---@field below boolean stacked below normal windows
---@field sticky boolean stays on its screen when the screen shows another group
---@field skip_taskbar boolean
---@field skip_pager boolean
---@field scratchpad string? the name of the scratchpad it belongs to
---@field pid integer? _NET_WM_PID
---@field machine string WM_CLIENT_MACHINE
---@field x integer
---@field y integer
---@field width integer
---@field height integer

---A group, as `oxtile.groups()` and `oxtile.current_group()` give it.
---@class oxtile.Group
---@field name string
---@field index integer its position (0-based, the EWMH desktop number)
---@field layout string name of its current layout
---@field layouts string[] names of the layouts it cycles through
---@field layout_state table? its current layout's parameters (`ratio`, `main_count`, column `weights`), nil for one without
---@field screen integer? the screen showing it, nil when hidden
---@field windows integer[] ids of its windows, in layout order
---@field focused_window integer? its focused window
---@field focused boolean whether it is the current group

---A screen (monitor), as `oxtile.screens()` gives it.
---@class oxtile.Screen
---@field index integer
---@field x integer
---@field y integer
---@field width integer
---@field height integer
---@field group string? the group it shows
---@field focused boolean
---@field work_area { x: integer, y: integer, width: integer, height: integer } the area left for windows

---A group as `oxtile.groups{}` takes it: a name, or a name and its own layouts.
---@class oxtile.GroupSpec
---@field name string
---@field layouts (oxtile.Layout|string)[]?

---One key inside a chord: `{ mods, key, action, desc }` or with these names.
---@class oxtile.ChordKey
---@field mods oxtile.Mods
---@field key string
---@field action oxtile.Runnable
---@field desc string?

---@class oxtile.ChordSpec
---@field name string? shown while the chord is active (default "chord")
---@field persistent boolean? stay in the chord after an action, until Escape (default false)
---@field keys (oxtile.ChordKey|table)[]

---@class oxtile.Settings
---@field border_width integer? border width in pixels (2)
---@field border_focus string? colour of the focused window's border, "#rrggbb" or "#rgb" ("#5294e2")
---@field border_normal string? colour of other borders ("#333333")
---@field border_urgent string? colour of windows that want attention ("#d33c3c")
---@field margin integer? gap around tiled windows in pixels (4)
---@field focus_follows_mouse boolean? focus the window the pointer enters (true)
---@field focus_on_activate boolean? let programs take the focus; else they are marked urgent (true)
---@field lua_instruction_limit integer? instructions one Lua call may run before it is stopped (50000000)
---@field screen_debounce_ms integer? after a monitor change, wait this long for more before re-laying out (50)

---@alias oxtile.WindowType "normal"|"dialog"|"utility"|"splash"|"toolbar"|"menu"|"dropdown_menu"|"popup_menu"|"tooltip"|"combo"|"dnd"|"notification"|"dock"|"desktop"

---Which windows something applies to. Every field given must match; a field with a list
---matches when any item does. Texts match exactly or as a Lua pattern found in the value
---("Firefox" matches "Mozilla Firefox", "^Firefox$" only "Firefox").
---@class oxtile.MatchSpec
---@field class (string|string[])? WM_CLASS class, e.g. "Firefox"
---@field instance (string|string[])? WM_CLASS instance, e.g. "Navigator"
---@field title (string|string[])?
---@field role (string|string[])? WM_WINDOW_ROLE
---@field type (oxtile.WindowType|oxtile.WindowType[])?
---@field transient boolean? whether it is a dialog of another window (WM_TRANSIENT_FOR)

---What `oxtile.match{}` returns.
---@class oxtile.Match
local Match = {}

---Whether a client table (from `oxtile.clients()`) matches.
---@param client oxtile.Client
---@return boolean
function Match:matches(client) end

---A geometry: integers are pixels (positions from the screen's work area corner), numbers
---with a fraction (0.5) are fractions of the work area. A missing position centres.
---@class oxtile.Geometry
---@field x number?
---@field y number?
---@field width number?
---@field height number?

---@class oxtile.RuleSpec
---@field match oxtile.MatchSpec|oxtile.Match which windows
---@field group string? put it in this group
---@field float boolean? float it (or tile it, with false)
---@field screen integer? put it on the group shown on this screen (0 is the first), unless `group` is given
---@field fullscreen boolean?
---@field geometry oxtile.Geometry? its floating geometry (implies float unless float = false)
---@field focus boolean? false: it does not take the focus when it appears

---@class oxtile.ScratchpadSpec
---@field name string what `oxtile.lazy.toggle_scratchpad` takes
---@field cmd string the command that starts its program (on first use)
---@field match (oxtile.MatchSpec|oxtile.Match)? which new window is its window (default: the first one after the command started)
---@field x number? fraction of the screen (0.1)
---@field y number? fraction of the screen (0.0)
---@field width number? fraction of the screen (0.8)
---@field height number? fraction of the screen (0.35)
---@field on_focus_lost_hide boolean? hide it when another window takes the focus (true)

---A screen as `oxtile.fake_screens` takes it, in pixels.
---@class oxtile.ScreenSpec
---@field x integer
---@field y integer
---@field width integer
---@field height integer

---@class oxtile.TimerSpec
---@field timeout number seconds until the callback runs
---@field callback fun()
---@field repeat boolean? run again every `timeout` seconds (default false)

---What `oxtile.timer` returns.
---@class oxtile.Timer
local Timer = {}

---Stop the timer; it will not run (again).
function Timer:stop() end

---Whether the timer will still run.
---@return boolean
function Timer:is_pending() end

---The terminal: `$TERMINAL`, else the first of alacritty, kitty, wezterm, urxvt, st, xterm
---found on PATH, else "xterm".
---@type string
oxtile.terminal = "xterm"

---Bind a key. A later binding of the same keys replaces an earlier one.
---@param mods oxtile.Mods e.g. { "mod4", "shift" }
---@param key string an X key name: "a", "1", "Return", "space", "Tab", "F1", "Left", "grave", ...
---@param action oxtile.Runnable
---@param desc string? what the binding does, for people reading the config (default: the action's name)
function oxtile.key(mods, key, action, desc) end

---Bind a key that enters a chord: a set of bindings that applies until Escape (persistent
---chords) or until one of them ran.
---@param mods oxtile.Mods
---@param key string
---@param spec oxtile.ChordSpec
function oxtile.chord(mods, key, spec) end

---Bind a mouse button (on windows and the root window).
---@param mods oxtile.Mods
---@param button integer 1 left, 2 middle, 3 right, 4/5 wheel
---@param action oxtile.Runnable
function oxtile.button(mods, button, action) end

---Drag windows with the pointer: hold the modifiers, press `button` on a window, move. A
---tiled window dragged starts floating; a resize drags the bottom-right corner and follows
---the window's size hints; a window dropped on another screen joins the group shown there.
---@param mods oxtile.Mods
---@param button integer 1 left, 2 middle, 3 right
---@param what "move"|"resize"
function oxtile.drag(mods, button, what) end

---A rule applied to every new window it matches (all matching rules apply, in order).
---@param spec oxtile.RuleSpec
function oxtile.rule(spec) end

---A match, for rules, scratchpads and actions (`oxtile.lazy.focus_match`).
---@param spec oxtile.MatchSpec
---@return oxtile.Match
function oxtile.match(spec) end

---A scratchpad: a program started on first use, then shown over the current group and
---hidden by `oxtile.lazy.toggle_scratchpad(name)`.
---@param spec oxtile.ScratchpadSpec
function oxtile.scratchpad(spec) end

---Use these screens instead of the monitors X reports (e.g. to split one wide monitor).
---@param list oxtile.ScreenSpec[]
function oxtile.fake_screens(list) end

---With a list: set the groups (replaces the default 1..9). Without arguments: the groups of
---the running window manager.
---@overload fun(): oxtile.Group[]
---@param list (string|oxtile.GroupSpec)[]
function oxtile.groups(list) end

---Set the layouts every group cycles through (unless it has its own).
---@param list (oxtile.Layout|string)[]
function oxtile.layouts(list) end

---Change settings; the keys not given keep their value.
---@param settings oxtile.Settings
function oxtile.settings(settings) end

---Options of oxtile.bar.
---@class oxtile.BarSpec
---@field screen integer? the screen, counted from 1 (1)
---@field position "top"|"bottom"|"left"|"right"? the edge ("top")
---@field size integer? thickness in pixels (24)
---@field margin integer? gap around the bar in pixels (0)
---@field background string? colour "#rrggbb" ("#222222")
---@field foreground string? default text colour ("#dddddd")
---@field font string? default Pango font description ("sans 10")
---@field padding integer? default widget padding (4)
---@field opacity number? 0..1 (1)
---@field widgets oxtile.Widget[]? widgets from the start of the bar
---@field center oxtile.Widget[]? widgets centred on the bar

---A widget made by oxtile.widget.<kind>{...}.
---@class oxtile.Widget
---@field kind string
---@field name string

---Put a bar on an edge of a screen; it keeps its space free of tiled windows.
---@param spec oxtile.BarSpec
function oxtile.bar(spec) end

---Widget constructors; options are checked where they are written (docs/widgets.md). Every
---widget takes name, font, foreground, background, padding and on_click.
---@class oxtile.widget
oxtile.widget = {}

---The groupbox widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.groupbox(opts) end

---The windowname widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.windowname(opts) end

---The currentlayout widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.currentlayout(opts) end

---The textbox widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.textbox(opts) end

---The spacer widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.spacer(opts) end

---The sep widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.sep(opts) end

---The clock widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.clock(opts) end

---The systray widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.systray(opts) end

---The prompt widget: where prompts (oxtile.lazy.prompt, oxtile.password_prompt) type.
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.prompt(opts) end

---The canvas widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.canvas(opts) end

---The poll widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.poll(opts) end

---The command widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.command(opts) end

---The custom widget (docs/widgets.md).
---@param opts table?
---@return oxtile.Widget
function oxtile.widget.custom(opts) end

---Clocks at run time.
---@class oxtile.clock
oxtile.clock = {}

---Show a clock widget (or the clock of that name) in another zone.
---@param widget oxtile.Widget|string
---@param zone string an IANA name, "local" or "+05:30"
function oxtile.clock.set_timezone(widget, zone) end

---Layout constructors. Each checks its options where it is written.
---@class oxtile.layout
oxtile.layout = {}

---Options of monadtall and monadwide.
---@class oxtile.layout.MonadOptions
---@field ratio number? share of the screen the main window takes, 0.1..0.9 (0.5)
---@field change_ratio number? how much grow/shrink change the ratio, 0.01..0.5 (0.05)

---Options of columns.
---@class oxtile.layout.ColumnsOptions
---@field num_columns integer? how many columns at most, 1..10 (2)

---Options of tile.
---@class oxtile.layout.TileOptions
---@field ratio number? share of the screen the main area takes, 0.1..0.9 (0.618)
---@field change_ratio number? how much grow/shrink change the ratio, 0.01..0.5 (0.05)
---@field main_count integer? windows in the main area, 1..16 (1); inc_main/dec_main change it

---Layouts without options (max, floating).
---@class oxtile.layout.NoOptions

---One main window on the left, the others stacked on the right.
---@param opts oxtile.layout.MonadOptions?
---@return oxtile.Layout
function oxtile.layout.monadtall(opts) end

---monadtall turned on its side: the main window on top.
---@param opts oxtile.layout.MonadOptions?
---@return oxtile.Layout
function oxtile.layout.monadwide(opts) end

---Windows side by side in columns; grow/shrink widen or narrow the focused column.
---@param opts oxtile.layout.ColumnsOptions?
---@return oxtile.Layout
function oxtile.layout.columns(opts) end

---The focused window takes the whole screen.
---@param opts oxtile.layout.NoOptions?
---@return oxtile.Layout
function oxtile.layout.max(opts) end

---A main area and a stack, dwm style.
---@param opts oxtile.layout.TileOptions?
---@return oxtile.Layout
function oxtile.layout.tile(opts) end

---Windows keep the geometry they ask for.
---@param opts oxtile.layout.NoOptions?
---@return oxtile.Layout
function oxtile.layout.floating(opts) end

---An action that runs a shell command line (`sh -c`), detached from oxtile.
---@param cmd string
---@return oxtile.Action
function oxtile.spawn(cmd) end

---Queue an action to run right after the current function (same as calling it).
---@param action oxtile.Action
function oxtile.run(action) end

---Action constructors, named as in qtile's `lazy`.
---@class oxtile.lazy
oxtile.lazy = {}

---@param cmd string
---@return oxtile.Action
function oxtile.lazy.spawn(cmd) end
---Focus the next window of the group (layout order, wrapping).
---@return oxtile.Action
function oxtile.lazy.focus_next() end
---@return oxtile.Action
function oxtile.lazy.focus_prev() end
---Focus a window, switching to its group if needed.
---@param id integer
---@return oxtile.Action
function oxtile.lazy.focus_window(id) end
---Swap the focused window with the previous one.
---@return oxtile.Action
function oxtile.lazy.shuffle_up() end
---Swap the focused window with the next one.
---@return oxtile.Action
function oxtile.lazy.shuffle_down() end
---Make the main area (or focused column) bigger.
---@return oxtile.Action
function oxtile.lazy.grow() end
---@return oxtile.Action
function oxtile.lazy.shrink() end
---Reset the layout's sizes.
---@return oxtile.Action
function oxtile.lazy.normalize() end
---One more window in the main area.
---@return oxtile.Action
function oxtile.lazy.inc_main() end
---@return oxtile.Action
function oxtile.lazy.dec_main() end
---Close the focused window.
---@return oxtile.Action
function oxtile.lazy.kill() end
---Close a given window.
---@param id integer
---@return oxtile.Action
function oxtile.lazy.kill_window(id) end
---@return oxtile.Action
function oxtile.lazy.toggle_floating() end
---@return oxtile.Action
function oxtile.lazy.toggle_fullscreen() end
---@return oxtile.Action
function oxtile.lazy.next_layout() end
---@return oxtile.Action
function oxtile.lazy.prev_layout() end
---@param name string a layout name, e.g. "max"
---@return oxtile.Action
function oxtile.lazy.set_layout(name) end
---Show a group on the focused screen.
---@param name string|integer
---@return oxtile.Action
function oxtile.lazy.to_group(name) end
---Move the focused window to a group.
---@param name string|integer
---@return oxtile.Action
function oxtile.lazy.move_to_group(name) end
---Show the group shown before the current one.
---@return oxtile.Action
function oxtile.lazy.prev_group_toggle() end
---@return oxtile.Action
function oxtile.lazy.next_group() end
---@return oxtile.Action
function oxtile.lazy.prev_group() end
---Focus the next screen (monitor), wrapping.
---@return oxtile.Action
function oxtile.lazy.next_screen() end
---@return oxtile.Action
function oxtile.lazy.prev_screen() end
---Focus a screen (0 is the first: the primary monitor, then left to right).
---@param index integer
---@return oxtile.Action
function oxtile.lazy.to_screen(index) end
---Move the focused window to the group shown on a screen.
---@param index integer
---@return oxtile.Action
function oxtile.lazy.move_to_screen(index) end
---@return oxtile.Action
function oxtile.lazy.move_to_next_screen() end
---@return oxtile.Action
function oxtile.lazy.move_to_prev_screen() end
---Hide the focused window until it is activated again (a pager, `xdotool windowactivate`).
---@return oxtile.Action
function oxtile.lazy.minimize() end
---Show or hide a scratchpad (its program starts on first use).
---@param name string
---@return oxtile.Action
function oxtile.lazy.toggle_scratchpad(name) end
---Focus the first window that matches (the focused one if it does), switching groups.
---@param match oxtile.MatchSpec|oxtile.Match
---@return oxtile.Action
function oxtile.lazy.focus_match(match) end
---Close every window that matches.
---@param match oxtile.MatchSpec|oxtile.Match
---@return oxtile.Action
function oxtile.lazy.kill_match(match) end
---Reload the config; a broken one keeps the last good one.
---@return oxtile.Action
function oxtile.lazy.reload() end
---Restart oxtile in place, keeping the windows.
---@return oxtile.Action
function oxtile.lazy.restart() end
---Leave the session.
---@return oxtile.Action
function oxtile.lazy.quit() end
---Leave the active key chord.
---@return oxtile.Action
function oxtile.lazy.leave_chord() end
---Open a prompt in the bar's prompt widget (`oxtile.widget.prompt{}`): "run" a command
---(Tab completes programs on $PATH), show a "group", focus a "window" by title, or run
---"lua". Up/Down recall the prompt's history; Escape cancels.
---@param kind "run"|"group"|"window"|"lua"
---@return oxtile.Action
function oxtile.lazy.prompt(kind) end
---Same as `oxtile.password_prompt`.
---@param opts oxtile.PasswordOptions?
---@return oxtile.Action
function oxtile.lazy.password_prompt(opts) end

---Options of the password prompt (docs/prompt.md explains the schemes).
---@class oxtile.PasswordOptions
---@field scheme ("lesspass"|"pbkdf2-sha512"|"sha512-2013"|"sha512")? default "lesspass"
---@field length integer? default 16 (lesspass, 5..35) or 10 (the others, 1..86)
---@field login string? lesspass: the login mixed into the salt (default "")
---@field counter integer? lesspass: raise it to change a site's password (default 1)
---@field lowercase boolean? lesspass character classes (all true by default)
---@field uppercase boolean?
---@field digits boolean?
---@field symbols boolean?
---@field clipboard_seconds number? how long the password stays on the clipboard (default 45)
---@field primary boolean? also put it on the PRIMARY selection (default false)
---@field type boolean? type it into the focused window instead of the clipboard (default false)
---@field mask string? shown per secret character: "•" (default), or "" for nothing
---@field confirm_new_site boolean? ask for the secret twice for a site never used before
---@field prefill boolean? guess the site from the focused window's title or class (default true)

---The stateless password prompt: asks for a site and your master secret, derives the
---site's password and puts it on the clipboard for `clipboard_seconds`. Nothing is stored
---but the names of the sites (for completion).
---@param opts oxtile.PasswordOptions?
---@return oxtile.Action
function oxtile.password_prompt(opts) end

---The managed windows.
---@return oxtile.Client[]
function oxtile.clients() end

---The focused window, or nil.
---@return oxtile.Client?
function oxtile.focused() end

---The group shown on the focused screen.
---@return oxtile.Group?
function oxtile.current_group() end

---The screens.
---@return oxtile.Screen[]
function oxtile.screens() end

---Run `fn` on an event. client_new and client_focus pass the window; client_killed a table
---with (at least) the window's `id`; the others pass nothing (read oxtile.current_group(),
---oxtile.screens()).
---@param name oxtile.HookName
---@param fn fun(arg: any)
function oxtile.hook(name, fn) end

---Run a function after `timeout` seconds, once or (with `repeat`) every `timeout` seconds.
---@param spec oxtile.TimerSpec
---@return oxtile.Timer
function oxtile.timer(spec) end

---Write a line to oxtile's log (info level).
---@param msg any
function oxtile.log(msg) end

---The full path of an executable on PATH, or nil.
---@param name string
---@return string?
function oxtile.which(name) end

return oxtile
