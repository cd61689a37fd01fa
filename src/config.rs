//! The configuration as plain data: what loading `config.lua` produces and what the core and
//! the X adapter consume. Lua callbacks stay in the Lua state; here they are only ids
//! (`Action::Lua { id }`).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::action::Action;

/// Modifier masks, with X's bit values (they are also what `KeyPress.state` carries).
pub mod mods {
    /// Shift.
    pub const SHIFT: u16 = 1 << 0;
    /// Caps Lock (ignored when matching bindings).
    pub const LOCK: u16 = 1 << 1;
    /// Control.
    pub const CONTROL: u16 = 1 << 2;
    /// Mod1, usually Alt.
    pub const MOD1: u16 = 1 << 3;
    /// Mod2, usually Num Lock (ignored when matching bindings).
    pub const MOD2: u16 = 1 << 4;
    /// Mod3.
    pub const MOD3: u16 = 1 << 5;
    /// Mod4, usually Super / the Windows key.
    pub const MOD4: u16 = 1 << 6;
    /// Mod5.
    pub const MOD5: u16 = 1 << 7;

    /// Every modifier name a config may write (any case), with its mask.
    pub const BY_NAME: &[(&str, u16)] = &[
        ("shift", SHIFT),
        ("control", CONTROL),
        ("ctrl", CONTROL),
        ("mod1", MOD1),
        ("alt", MOD1),
        ("mod4", MOD4),
        ("super", MOD4),
        ("mod2", MOD2),
        ("mod3", MOD3),
        ("mod5", MOD5),
        ("lock", LOCK),
    ];

    /// Parse a modifier name as users write it ("mod4", "shift", "control"/"ctrl",
    /// "alt"/"mod1", "super"/"mod4").
    pub fn parse(name: &str) -> Option<u16> {
        let name = name.to_ascii_lowercase();
        BY_NAME.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
    }

    /// Names of the modifiers in `mask`, for display ("mod4+shift").
    pub fn names(mask: u16) -> Vec<&'static str> {
        let all = [
            (MOD4, "mod4"),
            (MOD1, "mod1"),
            (CONTROL, "control"),
            (SHIFT, "shift"),
            (MOD3, "mod3"),
            (MOD5, "mod5"),
            (MOD2, "mod2"),
            (LOCK, "lock"),
        ];
        all.iter()
            .filter(|(m, _)| mask & m != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// A key binding: modifiers + keysym → action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyBinding {
    /// Modifier mask (see [`mods`]).
    pub mods: u16,
    /// The keysym (X keysym value, e.g. 0xff0d for Return).
    pub keysym: u32,
    /// What to do.
    pub action: Action,
    /// Optional description, shown by `oxtile cmd keys`.
    pub desc: String,
}

/// A key chord: after its key is pressed, these bindings apply (Escape leaves).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chord {
    /// Name shown while the chord is active.
    pub name: String,
    /// The bindings inside the chord.
    pub keys: Vec<KeyBinding>,
    /// Stay in the chord after an action (a "mode"), until Escape.
    pub persistent: bool,
}

/// A mouse binding: modifiers + button → action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ButtonBinding {
    /// Modifier mask.
    pub mods: u16,
    /// Button number (1 left, 2 middle, 3 right, 4/5 scroll).
    pub button: u8,
    /// What to do.
    pub action: Action,
}

/// A layout as configured: its name and options (checked by `core::layout::build`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutSpec {
    /// Layout name, e.g. "monadtall".
    pub name: String,
    /// Its options, e.g. `{"ratio": 0.6}`.
    pub options: Map<String, Value>,
}

impl LayoutSpec {
    /// A layout with default options.
    pub fn named(name: &str) -> Self {
        LayoutSpec {
            name: name.to_string(),
            options: Map::new(),
        }
    }
}

/// A group (workspace) as configured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSpec {
    /// Its name (what `to_group` and `_NET_DESKTOP_NAMES` use).
    pub name: String,
    /// Its own layouts, or `None` for the global list.
    pub layouts: Option<Vec<LayoutSpec>>,
}

/// An RGB colour, 0xRRGGBB.
pub type Color = u32;

/// Parse "#rrggbb", "rrggbb" or "#rgb".
pub fn parse_color(s: &str) -> Option<Color> {
    let hex = s.strip_prefix('#').unwrap_or(s);
    match hex.len() {
        6 => u32::from_str_radix(hex, 16).ok(),
        3 => {
            let v = u32::from_str_radix(hex, 16).ok()?;
            let (r, g, b) = ((v >> 8) & 0xf, (v >> 4) & 0xf, v & 0xf);
            Some((r * 0x11) << 16 | (g * 0x11) << 8 | (b * 0x11))
        }
        _ => None,
    }
}

/// Global settings (`oxtile.settings{ ... }` in Lua).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Border width of tiled and floating windows, in pixels.
    pub border_width: u32,
    /// Border colour of the focused window.
    pub border_focus: Color,
    /// Border colour of other windows.
    pub border_normal: Color,
    /// Border colour of windows that want attention.
    pub border_urgent: Color,
    /// Gap around each tiled window, in pixels.
    pub margin: u32,
    /// Focus the window under the pointer when the pointer enters it.
    pub focus_follows_mouse: bool,
    /// Honour `_NET_ACTIVE_WINDOW` requests from clients by focusing (else: mark urgent).
    pub focus_on_activate: bool,
    /// Lua instructions a single callback may run before it is stopped.
    pub lua_instruction_limit: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            border_width: 2,
            border_focus: 0x5294e2,
            border_normal: 0x333333,
            border_urgent: 0xd33c3c,
            margin: 4,
            focus_follows_mouse: true,
            focus_on_activate: true,
            lua_instruction_limit: 50_000_000,
        }
    }
}

/// Which edge of its screen a bar sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    /// Along the top.
    Top,
    /// Along the bottom.
    Bottom,
    /// Down the left side (text reads bottom to top).
    Left,
    /// Down the right side (text reads top to bottom).
    Right,
}

impl Edge {
    /// Parse "top", "bottom", "left", "right".
    pub fn parse(s: &str) -> Option<Edge> {
        Some(match s {
            "top" => Edge::Top,
            "bottom" => Edge::Bottom,
            "left" => Edge::Left,
            "right" => Edge::Right,
            _ => return None,
        })
    }

    /// Whether the bar runs along a vertical edge.
    pub fn vertical(self) -> bool {
        matches!(self, Edge::Left | Edge::Right)
    }
}

/// A widget as configured: its kind, its plain options, and the Lua callbacks it uses
/// (`fn`, `on_click`, `draw`) as callback ids.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WidgetSpec {
    /// `oxtile.widget.<kind>`.
    pub kind: String,
    /// Options that are plain data.
    pub options: Map<String, Value>,
    /// Lua functions given as options, by option name.
    pub callbacks: std::collections::BTreeMap<String, usize>,
}

/// A bar as configured (`oxtile.bar{ ... }`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarSpec {
    /// Index of the screen it is on.
    pub screen: usize,
    /// The edge it sits on.
    pub position: Edge,
    /// Its thickness in pixels.
    pub size: u32,
    /// Gap between the bar and the screen edge / the windows, in pixels.
    pub margin: u32,
    /// Background colour "#rrggbb".
    pub background: String,
    /// Default text colour.
    pub foreground: String,
    /// Default Pango font description.
    pub font: String,
    /// Default padding of widgets.
    pub padding: u32,
    /// Opacity 0..1 (`_NET_WM_WINDOW_OPACITY`, for a compositor).
    pub opacity: f64,
    /// Widgets laid out from the start of the bar.
    pub widgets: Vec<WidgetSpec>,
    /// Widgets centred on the bar.
    pub center: Vec<WidgetSpec>,
}

impl BarSpec {
    /// A bar with default looks and no widgets.
    pub fn new(screen: usize, position: Edge) -> Self {
        BarSpec {
            screen,
            position,
            size: 24,
            margin: 0,
            background: "#222222".into(),
            foreground: "#dddddd".into(),
            font: "sans 10".into(),
            padding: 4,
            opacity: 1.0,
            widgets: Vec::new(),
            center: Vec::new(),
        }
    }
}

/// The whole configuration, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Groups in order (their index is the EWMH desktop number).
    pub groups: Vec<GroupSpec>,
    /// The layouts each group gets unless it has its own.
    pub layouts: Vec<LayoutSpec>,
    /// Root key bindings.
    pub keys: Vec<KeyBinding>,
    /// Key chords, addressed by `Action::EnterChord { id }`.
    pub chords: Vec<Chord>,
    /// Mouse bindings on the root and client windows.
    pub buttons: Vec<ButtonBinding>,
    /// Global settings.
    pub settings: Settings,
    /// Bars, in the order declared.
    pub bars: Vec<BarSpec>,
}

impl Default for Config {
    /// The smallest usable config, for when even the built-in default cannot load:
    /// one group per digit 1..9, a few layouts, no bindings.
    fn default() -> Self {
        Config {
            groups: (1..=9)
                .map(|i| GroupSpec {
                    name: i.to_string(),
                    layouts: None,
                })
                .collect(),
            layouts: ["monadtall", "columns", "max"]
                .iter()
                .map(|n| LayoutSpec::named(n))
                .collect(),
            keys: Vec::new(),
            chords: Vec::new(),
            buttons: Vec::new(),
            settings: Settings::default(),
            bars: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_parse_in_both_lengths() {
        assert_eq!(parse_color("#ff8000"), Some(0xff8000));
        assert_eq!(parse_color("f80"), Some(0xff8800));
        assert_eq!(parse_color("#12345"), None);
        assert_eq!(parse_color("#gggggg"), None);
    }

    #[test]
    fn modifier_names_round_trip() {
        let m = mods::parse("mod4").unwrap() | mods::parse("Shift").unwrap();
        assert_eq!(mods::names(m), vec!["mod4", "shift"]);
        assert_eq!(mods::parse("hyper"), None);
    }
}
