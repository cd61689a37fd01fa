# qtile config for wm-bench: the parts of qtile's default config a bar-and-tiling user has
# (a bar with group box, window name and clock; Columns and Max layouts; focus follows
# mouse), with mod4+j bound to "focus next" (the default's mod4+space, layout.next).
from libqtile import bar, layout, widget
from libqtile.config import Group, Key, Screen
from libqtile.lazy import lazy

mod = "mod4"

keys = [
    Key([mod], "j", lazy.layout.next(), desc="Move window focus to other window"),
    Key([mod], "space", lazy.layout.next(), desc="Move window focus to other window"),
    Key([mod], "Return", lazy.spawn("xterm"), desc="Launch terminal"),
]

groups = [Group(i) for i in "123456789"]

layouts = [layout.Columns(border_focus_stack=["#d75f5f", "#8f3d3d"], border_width=4), layout.Max()]

widget_defaults = dict(font="sans", fontsize=12, padding=3)
extension_defaults = widget_defaults.copy()

screens = [
    Screen(
        top=bar.Bar(
            [
                widget.CurrentLayout(),
                widget.GroupBox(),
                widget.WindowName(),
                widget.Clock(format="%Y-%m-%d %a %I:%M %p"),
            ],
            24,
        ),
    ),
]

dgroups_key_binder = None
dgroups_app_rules = []
follow_mouse_focus = True
bring_front_click = False
cursor_warp = False
floating_layout = layout.Floating()
auto_fullscreen = True
focus_on_window_activation = "smart"
reconfigure_screens = True
auto_minimize = True
wmname = "LG3D"
