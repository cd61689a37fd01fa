//! The pure window-manager state: screens, groups, clients, focus and layouts. It knows
//! nothing of X, Lua or cairo: it takes typed [`Input`]s, answers with immediate
//! [`Effect`]s, and renders a [`Snapshot`] whose [`diff`] against the last one pushed is
//! what the X adapter applies. Almost all window-manager behaviour is tested here.

pub mod client;
pub mod geometry;
pub mod layout;
mod snapshot;
mod state;
#[cfg(test)]
mod tests;
mod view;

pub use snapshot::{diff, FocusTarget, Snapshot, WindowView};
pub use state::{Group, Screen, State};

use crate::action::{Action, WindowId};
use client::{ClientInfo, Protocols, SizeHints, Strut};
use geometry::Rect;

/// A client's request to change its geometry, with only the fields it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConfigureReq {
    /// New x, if asked.
    pub x: Option<i32>,
    /// New y, if asked.
    pub y: Option<i32>,
    /// New width, if asked.
    pub w: Option<u32>,
    /// New height, if asked.
    pub h: Option<u32>,
    /// New border width, if asked.
    pub border: Option<u32>,
    /// Sibling for stacking, if asked.
    pub sibling: Option<WindowId>,
    /// Stack mode (X's numeric value), if asked.
    pub stack_mode: Option<u32>,
}

/// `_NET_WM_STATE` change requested by a client (`_NET_WM_STATE_{REMOVE,ADD,TOGGLE}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChange {
    /// Turn the state off.
    Remove,
    /// Turn the state on.
    Add,
    /// Flip it.
    Toggle,
}

impl StateChange {
    /// The new value of a flag that is currently `old`.
    pub fn apply(self, old: bool) -> bool {
        match self {
            StateChange::Remove => false,
            StateChange::Add => true,
            StateChange::Toggle => !old,
        }
    }
}

/// Everything that can happen to the window manager, already decoded from X, IPC or Lua.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A top-level window asks to be mapped; `info` is what its properties say.
    MapRequest {
        /// The window.
        window: WindowId,
        /// Its properties.
        info: ClientInfo,
    },
    /// A window asks to be moved or resized.
    ConfigureRequest {
        /// The window.
        window: WindowId,
        /// What it asked for.
        req: ConfigureReq,
    },
    /// A client withdrew its window (an unmap the window manager did not cause).
    Unmapped {
        /// The window.
        window: WindowId,
    },
    /// A window was destroyed (or vanished: X said BadWindow).
    Destroyed {
        /// The window.
        window: WindowId,
    },
    /// `_NET_WM_NAME` or `WM_NAME` changed.
    TitleChanged {
        /// The window.
        window: WindowId,
        /// The new title.
        title: String,
    },
    /// `WM_HINTS` changed.
    HintsChanged {
        /// The window.
        window: WindowId,
        /// Urgency flag.
        urgent: bool,
        /// Input hint.
        input_hint: Option<bool>,
    },
    /// `WM_NORMAL_HINTS` changed.
    SizeHintsChanged {
        /// The window.
        window: WindowId,
        /// The new hints.
        hints: SizeHints,
    },
    /// `WM_PROTOCOLS` changed.
    ProtocolsChanged {
        /// The window.
        window: WindowId,
        /// The new protocols.
        protocols: Protocols,
    },
    /// A dock's strut changed.
    StrutChanged {
        /// The dock window.
        window: WindowId,
        /// Its strut.
        strut: Option<Strut>,
    },
    /// The pointer entered a window (only real crossings, not ones a layout caused).
    Enter {
        /// The window.
        window: WindowId,
    },
    /// A window received input focus (from us or by itself).
    FocusIn {
        /// The window.
        window: WindowId,
    },
    /// The user clicked an unfocused client.
    Clicked {
        /// The window.
        window: WindowId,
    },
    /// `_NET_ACTIVE_WINDOW` from a client or pager.
    Activate {
        /// The window to activate.
        window: WindowId,
    },
    /// `_NET_CLOSE_WINDOW`.
    CloseRequest {
        /// The window to close.
        window: WindowId,
    },
    /// `_NET_CURRENT_DESKTOP`: show this group on the focused screen.
    DesktopRequest {
        /// Group index.
        desktop: u32,
    },
    /// `_NET_WM_DESKTOP`: move a window to a group.
    WmDesktopRequest {
        /// The window.
        window: WindowId,
        /// Group index.
        desktop: u32,
    },
    /// `_NET_WM_STATE` request for fullscreen and/or demands-attention.
    WmStateRequest {
        /// The window.
        window: WindowId,
        /// Remove, add or toggle.
        change: StateChange,
        /// The request names `_NET_WM_STATE_FULLSCREEN`.
        fullscreen: bool,
        /// The request names `_NET_WM_STATE_DEMANDS_ATTENTION`.
        demands_attention: bool,
    },
    /// The set of screens changed (RandR); rectangles in root coordinates.
    ScreensChanged {
        /// One rectangle per screen, primary first.
        screens: Vec<Rect>,
    },
    /// Space to keep free at the edges of a screen (the bar).
    ReserveChanged {
        /// Screen index.
        screen: usize,
        /// Pixels reserved at each edge of that screen.
        reserve: Strut,
    },
    /// A user action (key, button, IPC, Lua).
    Action(Action),
}

/// What the core wants done right now, beside the differences of two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Move/resize a window and set its border width.
    Configure {
        /// The window.
        window: WindowId,
        /// Its geometry, border excluded.
        rect: Rect,
        /// Border width.
        border: u32,
    },
    /// Set a window's border colour.
    BorderColor {
        /// The window.
        window: WindowId,
        /// 0xRRGGBB.
        color: u32,
    },
    /// Map a managed window and set WM_STATE Normal.
    Map(WindowId),
    /// Unmap a managed window (we hide it) and set WM_STATE Iconic.
    Unmap(WindowId),
    /// Stack these windows bottom to top.
    Restack(Vec<WindowId>),
    /// Give input focus to a window, or to nobody.
    Focus(Option<FocusTarget>),
    /// Set `_NET_WM_STATE` of a window.
    NetWmState {
        /// The window.
        window: WindowId,
        /// Fullscreen flag.
        fullscreen: bool,
        /// Demands-attention flag.
        demands_attention: bool,
    },
    /// Set `_NET_WM_DESKTOP` of a window.
    WmDesktop {
        /// The window.
        window: WindowId,
        /// Group index.
        desktop: u32,
    },
    /// Set `_NET_CLIENT_LIST` (mapping order) and `_NET_CLIENT_LIST_STACKING`.
    ClientList {
        /// Managed windows, oldest first.
        mapping: Vec<WindowId>,
        /// Managed windows, bottom to top.
        stacking: Vec<WindowId>,
    },
    /// Set `_NET_NUMBER_OF_DESKTOPS` and `_NET_DESKTOP_NAMES`.
    Desktops(Vec<String>),
    /// Set `_NET_CURRENT_DESKTOP`.
    CurrentDesktop(u32),
    /// Answer a ConfigureRequest without changing anything (ICCCM synthetic ConfigureNotify).
    ConfigureNotify {
        /// The window.
        window: WindowId,
        /// Its current geometry.
        rect: Rect,
        /// Its current border width.
        border: u32,
    },
    /// Grant a ConfigureRequest of a window we do not manage, as asked.
    ConfigureUnmanaged {
        /// The window.
        window: WindowId,
        /// The request.
        req: ConfigureReq,
    },
    /// Map a window we do not manage (docks, desktop windows).
    MapUnmanaged(WindowId),
    /// A client withdrew: delete its WM_STATE and stop listening to it.
    Withdraw(WindowId),
    /// Close a window: WM_DELETE_WINDOW when it speaks it, else XKillClient.
    Close {
        /// The window.
        window: WindowId,
        /// Whether it takes part in WM_DELETE_WINDOW.
        delete_window: bool,
    },
    /// Something happened that Lua hooks may want to hear about.
    Hook(HookEvent),
}

/// Events for Lua hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookEvent {
    /// A window is now managed.
    ClientNew(WindowId),
    /// A window got focus.
    ClientFocus(WindowId),
    /// A window is no longer managed.
    ClientKilled(WindowId),
    /// The group on a screen changed.
    GroupChange,
    /// The screens changed.
    ScreenChange,
    /// The layout of a group changed.
    LayoutChange,
}
