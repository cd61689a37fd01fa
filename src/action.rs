//! Actions: what a key binding, a mouse binding, an IPC command or a Lua call can ask the
//! window manager to do. Plain data, so they can be bound, queued, sent and tested.

use serde::{Deserialize, Serialize};

use crate::core::layout::LayoutMsg;
use crate::prompt::PromptKind;

/// A window id as X knows it; the core treats it as an opaque handle.
pub type WindowId = u32;

/// One thing the window manager can be asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Run a shell command (`sh -c`), detached from the window manager.
    Spawn {
        /// The command line.
        cmd: String,
    },
    /// Focus the next window of the current group (in layout order, wrapping).
    FocusNext,
    /// Focus the previous window of the current group.
    FocusPrev,
    /// Focus this window, switching to its group if needed.
    FocusWindow {
        /// The window to focus.
        window: WindowId,
    },
    /// Swap the focused window with the previous one in layout order.
    ShuffleUp,
    /// Swap the focused window with the next one in layout order.
    ShuffleDown,
    /// Make the main area (or focused column) bigger.
    Grow,
    /// Make the main area (or focused column) smaller.
    Shrink,
    /// Reset the current layout's ratios.
    Normalize,
    /// One more window in the main area.
    IncMain,
    /// One fewer window in the main area.
    DecMain,
    /// Close the focused window (WM_DELETE_WINDOW, else XKillClient).
    Kill,
    /// Close a given window.
    KillWindow {
        /// The window to close.
        window: WindowId,
    },
    /// Toggle floating for the focused window.
    ToggleFloating,
    /// Toggle fullscreen for the focused window.
    ToggleFullscreen,
    /// Next layout of the current group.
    NextLayout,
    /// Previous layout of the current group.
    PrevLayout,
    /// Switch the current group to the named layout.
    SetLayout {
        /// Layout name, e.g. "max".
        name: String,
    },
    /// Show the named group on the focused screen.
    ToGroup {
        /// Group name.
        group: String,
    },
    /// Move the focused window to the named group.
    MoveToGroup {
        /// Group name.
        group: String,
    },
    /// Show the group that was shown before the current one.
    PrevGroupToggle,
    /// Show the next group (by position).
    NextGroup,
    /// Show the previous group (by position).
    PrevGroup,
    /// Reload the configuration (a broken one keeps the last good one).
    Reload,
    /// Restart oxtile in place (exec), keeping the windows.
    Restart,
    /// Leave the session.
    Quit,
    /// Call a Lua function kept in the Lua registry under this id.
    Lua {
        /// Index into the Lua side's callback table.
        id: usize,
    },
    /// Enter a key chord (a sub-map of bindings).
    EnterChord {
        /// Index of the chord in the key map.
        id: usize,
    },
    /// Leave any key chord and go back to the root bindings.
    LeaveChord,
    /// Show a clock widget in another time zone.
    SetClockZone {
        /// The clock's name (`name = ...`, default "clock").
        widget: String,
        /// An IANA zone, "local", or an offset like "+05:30".
        zone: String,
    },
    /// Open a prompt in the bar (run a command, show a group, find a window, run Lua).
    Prompt {
        /// Which prompt.
        kind: PromptKind,
    },
    /// Open the password prompt: site, then master secret; the derived password goes to
    /// the clipboard (or is typed).
    PasswordPrompt(oxtile_password::PasswordOptions),
}

impl Action {
    /// The message this action sends to the current layout, if it is a layout action.
    pub fn layout_msg(&self) -> Option<LayoutMsg> {
        match self {
            Action::Grow => Some(LayoutMsg::Grow),
            Action::Shrink => Some(LayoutMsg::Shrink),
            Action::Normalize => Some(LayoutMsg::Reset),
            Action::IncMain => Some(LayoutMsg::IncMain),
            Action::DecMain => Some(LayoutMsg::DecMain),
            _ => None,
        }
    }
}
