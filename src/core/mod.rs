//! The pure window-manager state: screens, groups, clients, focus and layouts. It knows
//! nothing of X, Lua or cairo: it takes typed [`Input`]s, answers with immediate
//! [`Effect`]s, and renders a [`Snapshot`] whose [`diff`] against the last one pushed is
//! what the X adapter applies. Almost all window-manager behaviour is tested here.

pub mod client;
pub mod drag;
pub mod geometry;
pub mod layout;
pub mod luapat;
pub mod persist;
pub mod rules;
pub mod scratchpad;
mod screens;
mod snapshot;
mod state;
#[cfg(test)]
mod tests;
mod view;

pub use snapshot::{diff, FocusTarget, Snapshot, WindowView};
pub use state::{Group, Screen, State, Unmanaged, ALL_DESKTOPS, MAX_GROUPS};

use crate::action::{Action, WindowId};
use client::{ClientInfo, DockStrut, NetStates, Protocols, SizeHints, Strut};
use drag::DragKind;
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
        strut: Option<DockStrut>,
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
        /// The source indication says a pager or the user asked (2): always obeyed. From an
        /// application (1, or 0 from old clients) it is obeyed with `focus_on_activate`,
        /// else the window is marked urgent.
        pager: bool,
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
    /// `_NET_WM_STATE` request: change the states it names (one or two).
    WmStateRequest {
        /// The window.
        window: WindowId,
        /// Remove, add or toggle.
        change: StateChange,
        /// The states the request names.
        states: NetStates,
    },
    /// ICCCM `WM_CHANGE_STATE` to IconicState: minimize (hide until activated).
    Iconify {
        /// The window.
        window: WindowId,
    },
    /// `_NET_NUMBER_OF_DESKTOPS` request from a pager.
    DesktopCountRequest {
        /// The number of groups wanted.
        count: u32,
    },
    /// `_NET_SHOWING_DESKTOP` request: hide every window (or show them again).
    ShowingDesktop {
        /// Enter (true) or leave (false) the mode.
        show: bool,
    },
    /// `_NET_REQUEST_FRAME_EXTENTS`: a client wants `_NET_FRAME_EXTENTS` before mapping.
    FrameExtentsRequest {
        /// The window.
        window: WindowId,
    },
    /// `_NET_WM_MOVERESIZE`: a client (one drawing its own decorations) starts a move or
    /// resize with the pointer, or cancels one.
    MoveResizeRequest {
        /// The window.
        window: WindowId,
        /// Pointer position in root coordinates.
        x: i32,
        /// Pointer position in root coordinates.
        y: i32,
        /// `_NET_WM_MOVERESIZE_*` direction: 0..=7 edges, 8 move, 11 cancel.
        direction: u32,
    },
    /// A drag mouse binding was pressed on a window.
    DragStart {
        /// The window under the pointer.
        window: WindowId,
        /// Move or resize.
        kind: DragKind,
        /// Pointer position in root coordinates.
        x: i32,
        /// Pointer position in root coordinates.
        y: i32,
    },
    /// The pointer moved during a drag.
    DragMotion {
        /// Pointer position in root coordinates.
        x: i32,
        /// Pointer position in root coordinates.
        y: i32,
    },
    /// The drag's button was released.
    DragEnd,
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
    /// Stack these windows bottom to top (managed and unmanaged ones, by layer).
    Restack(Vec<WindowId>),
    /// Give input focus to a window, or to nobody.
    Focus(Option<FocusTarget>),
    /// Set `_NET_WM_STATE` of a window.
    NetWmState {
        /// The window.
        window: WindowId,
        /// Its states.
        states: NetStates,
    },
    /// Set `_NET_FRAME_EXTENTS` of a window (oxtile draws only borders: the same on all
    /// four sides).
    FrameExtents {
        /// The window.
        window: WindowId,
        /// Border width.
        border: u32,
    },
    /// Set `_NET_WM_ALLOWED_ACTIONS` of a window.
    AllowedActions {
        /// The window.
        window: WindowId,
        /// Whether it may be resized (not a fixed-size window).
        resizable: bool,
    },
    /// Set `_NET_WORKAREA`: one rectangle per group.
    WorkArea(Vec<Rect>),
    /// Set `_NET_DESKTOP_GEOMETRY`.
    DesktopGeometry {
        /// Width of the whole desktop (all screens).
        width: u32,
        /// Height of the whole desktop.
        height: u32,
    },
    /// Set `_NET_SHOWING_DESKTOP`.
    ShowingDesktop(bool),
    /// Grab the pointer for a drag a client started (`_NET_WM_MOVERESIZE`).
    GrabPointer,
    /// Release the pointer grab of a drag.
    UngrabPointer,
    /// Run a command (a scratchpad's program); carried out by the event loop.
    Spawn {
        /// The command line.
        cmd: String,
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
