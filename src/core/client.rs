//! A managed client window as the core sees it: what the X adapter read from its properties,
//! plus the window manager's own decisions (group, floating, fullscreen, urgency).

use serde::{Deserialize, Serialize};

use super::geometry::Rect;
use crate::action::WindowId;

/// `_NET_WM_WINDOW_TYPE`, reduced to the cases the window manager treats differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowType {
    /// An ordinary application window: tiled.
    #[default]
    Normal,
    /// A dialog: floats over its parent.
    Dialog,
    /// A palette or toolbox: floats.
    Utility,
    /// A splash screen: floats, centred.
    Splash,
    /// A torn-off toolbar: floats.
    Toolbar,
    /// A torn-off menu: shown where it asks, never managed or focused.
    Menu,
    /// A menu opened from a menu bar: unmanaged, never focused.
    DropdownMenu,
    /// A context menu: unmanaged, never focused.
    PopupMenu,
    /// A tooltip: unmanaged, never focused.
    Tooltip,
    /// A combo box's list: unmanaged, never focused.
    Combo,
    /// A drag-and-drop icon: unmanaged, never focused.
    Dnd,
    /// A notification bubble: unmanaged, never focused.
    Notification,
    /// A panel or bar (polybar, a tray): not managed, its struts are respected.
    Dock,
    /// A desktop window (icons, wallpaper): not managed, kept below everything.
    Desktop,
}

impl WindowType {
    /// Every type, for names and tests.
    pub const ALL: [WindowType; 14] = [
        WindowType::Normal,
        WindowType::Dialog,
        WindowType::Utility,
        WindowType::Splash,
        WindowType::Toolbar,
        WindowType::Menu,
        WindowType::DropdownMenu,
        WindowType::PopupMenu,
        WindowType::Tooltip,
        WindowType::Combo,
        WindowType::Dnd,
        WindowType::Notification,
        WindowType::Dock,
        WindowType::Desktop,
    ];

    /// Types that float by default.
    pub fn floats(self) -> bool {
        !matches!(self, WindowType::Normal)
    }

    /// Types that are shown but never managed.
    pub fn unmanaged(self) -> bool {
        !matches!(
            self,
            WindowType::Normal
                | WindowType::Dialog
                | WindowType::Utility
                | WindowType::Splash
                | WindowType::Toolbar
        )
    }

    /// Unmanaged types that stay above everything (menus, tooltips, notifications).
    pub fn popup(self) -> bool {
        self.unmanaged() && !matches!(self, WindowType::Dock | WindowType::Desktop)
    }

    /// The name rules and the IPC use ("dialog", "popup_menu").
    pub fn name(self) -> &'static str {
        match self {
            WindowType::Normal => "normal",
            WindowType::Dialog => "dialog",
            WindowType::Utility => "utility",
            WindowType::Splash => "splash",
            WindowType::Toolbar => "toolbar",
            WindowType::Menu => "menu",
            WindowType::DropdownMenu => "dropdown_menu",
            WindowType::PopupMenu => "popup_menu",
            WindowType::Tooltip => "tooltip",
            WindowType::Combo => "combo",
            WindowType::Dnd => "dnd",
            WindowType::Notification => "notification",
            WindowType::Dock => "dock",
            WindowType::Desktop => "desktop",
        }
    }

    /// The type named `name` (as [`WindowType::name`] writes it; "-" may stand for "_").
    pub fn from_name(name: &str) -> Option<WindowType> {
        let name = name.to_ascii_lowercase().replace('-', "_");
        WindowType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The `_NET_WM_STATE` flags oxtile honours: what a client asks for (which states a
/// request names) and what a window has (what the property says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NetStates {
    /// `_NET_WM_STATE_FULLSCREEN`.
    pub fullscreen: bool,
    /// `_NET_WM_STATE_MAXIMIZED_VERT`.
    pub maximized_vert: bool,
    /// `_NET_WM_STATE_MAXIMIZED_HORZ`.
    pub maximized_horz: bool,
    /// `_NET_WM_STATE_ABOVE`.
    pub above: bool,
    /// `_NET_WM_STATE_BELOW`.
    pub below: bool,
    /// `_NET_WM_STATE_STICKY`.
    pub sticky: bool,
    /// `_NET_WM_STATE_HIDDEN` (minimized).
    pub hidden: bool,
    /// `_NET_WM_STATE_DEMANDS_ATTENTION`.
    pub demands_attention: bool,
    /// `_NET_WM_STATE_SKIP_TASKBAR`.
    pub skip_taskbar: bool,
    /// `_NET_WM_STATE_SKIP_PAGER`.
    pub skip_pager: bool,
}

impl NetStates {
    /// Whether no state is set.
    pub fn is_empty(&self) -> bool {
        *self == NetStates::default()
    }
}

/// `WM_NORMAL_HINTS`: the sizes a client accepts. Absurd values from the client are clamped
/// when read (zero increments become 1, max below min is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SizeHints {
    /// Minimum size, if the client set one.
    pub min: Option<(u32, u32)>,
    /// Maximum size, if the client set one.
    pub max: Option<(u32, u32)>,
    /// Resize increments (terminals: one character cell).
    pub inc: Option<(u32, u32)>,
    /// Base size the increments count from.
    pub base: Option<(u32, u32)>,
}

impl SizeHints {
    /// Sanitise values as a client sent them: zero or negative increments dropped, a
    /// maximum smaller than the minimum dropped, everything capped at 32767.
    pub fn sanitized(self) -> SizeHints {
        let cap = |(w, h): (u32, u32)| (w.min(32767), h.min(32767));
        let min = self.min.map(cap).filter(|&(w, h)| w > 0 || h > 0);
        let max = self
            .max
            .map(cap)
            .filter(|&(w, h)| w > 0 && h > 0)
            .filter(|&(w, h)| min.is_none_or(|(mw, mh)| w >= mw && h >= mh));
        let inc = self.inc.map(cap).filter(|&(w, h)| w > 0 && h > 0);
        let base = self.base.map(cap);
        SizeHints {
            min,
            max,
            inc,
            base,
        }
    }

    /// True when the client asks for one exact size (min == max): such windows float.
    pub fn is_fixed(&self) -> bool {
        matches!((self.min, self.max), (Some(a), Some(b)) if a == b && a.0 > 0 && a.1 > 0)
    }

    /// The size nearest to `(w, h)` that the hints allow.
    pub fn constrain(&self, mut w: u32, mut h: u32) -> (u32, u32) {
        if let Some((iw, ih)) = self.inc {
            let (bw, bh) = self.base.or(self.min).unwrap_or((0, 0));
            if w > bw {
                w = bw + (w - bw) / iw * iw;
            }
            if h > bh {
                h = bh + (h - bh) / ih * ih;
            }
        }
        if let Some((mw, mh)) = self.min {
            w = w.max(mw);
            h = h.max(mh);
        }
        if let Some((xw, xh)) = self.max {
            w = w.min(xw);
            h = h.min(xh);
        }
        (w.max(1), h.max(1))
    }
}

/// `WM_PROTOCOLS` the client takes part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Protocols {
    /// `WM_DELETE_WINDOW`: close politely instead of XKillClient.
    pub delete_window: bool,
    /// `WM_TAKE_FOCUS`: the client wants a message when it is focused.
    pub take_focus: bool,
}

/// `_NET_WM_STRUT(_PARTIAL)` of a dock: pixels reserved at each root edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Strut {
    /// Pixels reserved at the left edge of the root window.
    pub left: u32,
    /// Pixels reserved at the right edge.
    pub right: u32,
    /// Pixels reserved at the top edge.
    pub top: u32,
    /// Pixels reserved at the bottom edge.
    pub bottom: u32,
}

/// A dock's strut with the ranges `_NET_WM_STRUT_PARTIAL` gives: each reserved edge covers
/// only the part of the root edge between its start and end (inclusive), so a bar on one
/// monitor takes room from that monitor only. `_NET_WM_STRUT` covers whole edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DockStrut {
    /// Pixels reserved at each root edge.
    pub strut: Strut,
    /// (start y, end y) of the left strut.
    pub left: (u32, u32),
    /// (start y, end y) of the right strut.
    pub right: (u32, u32),
    /// (start x, end x) of the top strut.
    pub top: (u32, u32),
    /// (start x, end x) of the bottom strut.
    pub bottom: (u32, u32),
}

impl From<Strut> for DockStrut {
    /// A strut over whole edges (`_NET_WM_STRUT`).
    fn from(strut: Strut) -> Self {
        let all = (0, u32::MAX);
        DockStrut {
            strut,
            left: all,
            right: all,
            top: all,
            bottom: all,
        }
    }
}

/// Everything the X adapter reads about a window when it asks to be managed.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ClientInfo {
    /// `WM_CLASS` class part (e.g. "XTerm").
    pub class: String,
    /// `WM_CLASS` instance part (e.g. "xterm").
    pub instance: String,
    /// `_NET_WM_NAME`, else `WM_NAME`.
    pub title: String,
    /// `WM_WINDOW_ROLE`.
    pub role: String,
    /// `_NET_WM_WINDOW_TYPE`.
    pub window_type: WindowType,
    /// `WM_TRANSIENT_FOR`.
    pub transient_for: Option<WindowId>,
    /// `WM_HINTS` input field: `Some(false)` means never give it input focus.
    pub input_hint: Option<bool>,
    /// `WM_HINTS` urgency (or `_NET_WM_STATE_DEMANDS_ATTENTION`).
    pub urgent: bool,
    /// `WM_NORMAL_HINTS`.
    pub size_hints: SizeHints,
    /// `WM_PROTOCOLS`.
    pub protocols: Protocols,
    /// The geometry the client asked for (from GetGeometry at map time).
    pub geometry: Rect,
    /// `_NET_WM_STATE_FULLSCREEN` set before mapping.
    pub fullscreen: bool,
    /// `_NET_WM_STRUT_PARTIAL` / `_NET_WM_STRUT`.
    pub strut: Option<DockStrut>,
    /// `_NET_WM_DESKTOP` set before mapping (or kept from a previous oxtile on restart).
    pub desktop: Option<u32>,
    /// The other `_NET_WM_STATE` flags set before mapping (above, sticky, hidden, ...).
    pub states: NetStates,
    /// `_NET_WM_PID`.
    pub pid: Option<u32>,
    /// `WM_CLIENT_MACHINE`.
    pub machine: String,
}

/// A managed window.
#[derive(Debug, Clone, Serialize)]
pub struct Client {
    /// Its X window.
    pub window: WindowId,
    /// What the client told us about itself.
    pub info: ClientInfo,
    /// Index of the group it belongs to.
    pub group: usize,
    /// Floating clients keep `float_rect` instead of a tile.
    pub floating: bool,
    /// Geometry while floating; remembered across toggles.
    pub float_rect: Rect,
    /// Covers its whole screen, above everything else there.
    pub fullscreen: bool,
    /// Wants attention; cleared when focused.
    pub urgent: bool,
    /// `_NET_WM_STATE_MAXIMIZED_VERT`: spans its work area's height.
    pub maximized_vert: bool,
    /// `_NET_WM_STATE_MAXIMIZED_HORZ`: spans its work area's width.
    pub maximized_horz: bool,
    /// Stacked above normal windows.
    pub above: bool,
    /// Stacked below normal windows.
    pub below: bool,
    /// Stays on its screen when the screen shows another group.
    pub sticky: bool,
    /// Minimized (iconified): not shown, not focused, until activated.
    pub minimized: bool,
    /// Taskbars should not list it.
    pub skip_taskbar: bool,
    /// Pagers should not list it.
    pub skip_pager: bool,
}

impl Client {
    /// A new client from what X told us; `floating` is the core's decision.
    pub fn new(window: WindowId, info: ClientInfo, group: usize, floating: bool) -> Self {
        let st = info.states;
        Client {
            window,
            float_rect: info.geometry,
            fullscreen: info.fullscreen || st.fullscreen,
            urgent: info.urgent || st.demands_attention,
            maximized_vert: st.maximized_vert,
            maximized_horz: st.maximized_horz,
            above: st.above,
            below: st.below && !st.above,
            sticky: st.sticky,
            minimized: st.hidden,
            skip_taskbar: st.skip_taskbar,
            skip_pager: st.skip_pager,
            info,
            group,
            floating,
        }
    }

    /// Whether it is laid out by the window manager's own rules for floating windows
    /// (floating, or maximized in a direction) rather than tiled.
    pub fn floats(&self) -> bool {
        self.floating || self.maximized_vert || self.maximized_horz
    }

    /// Its `_NET_WM_STATE`.
    pub fn net_states(&self) -> NetStates {
        NetStates {
            fullscreen: self.fullscreen,
            maximized_vert: self.maximized_vert,
            maximized_horz: self.maximized_horz,
            above: self.above,
            below: self.below,
            sticky: self.sticky,
            hidden: self.minimized,
            demands_attention: self.urgent,
            skip_taskbar: self.skip_taskbar,
            skip_pager: self.skip_pager,
        }
    }

    /// Whether the user may resize it (a fixed-size window may not).
    pub fn resizable(&self) -> bool {
        !self.info.size_hints.is_fixed()
    }

    /// Whether the window manager may give it input focus (ICCCM input hint / take focus).
    pub fn focusable(&self) -> bool {
        self.info.input_hint != Some(false) || self.info.protocols.take_focus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_size_hints_are_sanitized() {
        let h = SizeHints {
            min: Some((500, 500)),
            max: Some((10, 10)),
            inc: Some((0, 0)),
            base: Some((u32::MAX, 3)),
        }
        .sanitized();
        assert_eq!(h.max, None, "max below min is dropped");
        assert_eq!(h.inc, None, "zero increments are dropped");
        assert_eq!(h.base, Some((32767, 3)));
        assert_eq!(h.constrain(100, 100), (500, 500));
    }

    #[test]
    fn increments_round_down_from_base() {
        let h = SizeHints {
            min: Some((10, 10)),
            inc: Some((7, 13)),
            base: Some((4, 4)),
            max: None,
        };
        assert_eq!(h.constrain(100, 100), (4 + 13 * 7, 4 + 7 * 13));
    }

    #[test]
    fn fixed_size_means_min_equals_max() {
        let h = SizeHints {
            min: Some((300, 200)),
            max: Some((300, 200)),
            ..Default::default()
        };
        assert!(h.is_fixed());
        assert!(!SizeHints::default().is_fixed());
    }
}
