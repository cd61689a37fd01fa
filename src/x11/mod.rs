//! The X11 adapter: the only module that speaks X (through x11rb). It becomes the window
//! manager, decodes events into core inputs (fetching the properties they need in one
//! pipelined batch), and applies effects as batched requests with no reply waited for.
//!
//! Start with [`X11::connect`] and [`X11::become_wm`], then the loop calls
//! [`X11::poll_events`] → [`X11::decode`] → (core) → [`X11::push`] → [`X11::flush`].

mod apply;
pub mod atoms;
mod bar;
pub mod ewmh;
pub(crate) mod fuzz;
mod keyboard;
mod mouse;
pub mod props;
pub mod randr;
mod selection;
mod tray;
mod typing;
mod xkb;

use std::collections::{HashMap, HashSet};

use thiserror::Error;
use x11rb::connection::Connection;
use x11rb::errors::{ConnectError, ConnectionError, ReplyError, ReplyOrIdError};
use x11rb::properties::{WmClass, WmHints, WmSizeHints};
use x11rb::protocol::xproto::{
    self, AtomEnum, ButtonIndex, ChangeWindowAttributesAux, ConnectionExt as _, CreateWindowAux,
    EventMask, GrabMode, ModMask, PropMode, Window, WindowClass,
};
use x11rb::protocol::{ErrorKind, Event};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;
use x11rb::{CURRENT_TIME, NONE};

pub use atoms::Atoms;
pub use keyboard::Keyboard;
pub use selection::{Clipboard, SelectionRequest};
pub use tray::{TrayConfig, TrayOrder, TrayPlace};
pub use typing::TypeError;
pub use xkb::{GrabRefused, KeyInput};

use crate::action::WindowId;
use crate::core::client::ClientInfo;
use crate::core::drag::DragKind;
use crate::core::geometry::Rect;
use crate::core::{ConfigureReq, Input, Snapshot};

/// Errors of the X adapter.
#[derive(Debug, Error)]
pub enum XError {
    /// No X server could be reached.
    #[error("cannot connect to the X server: {0}")]
    Connect(#[from] ConnectError),
    /// The connection broke.
    #[error("X connection error: {0}")]
    Connection(#[from] ConnectionError),
    /// A request that needed a reply failed.
    #[error("X request failed: {0}")]
    Reply(#[from] ReplyError),
    /// Allocating an X id failed.
    #[error("X request failed: {0}")]
    ReplyOrId(#[from] ReplyOrIdError),
    /// SubstructureRedirect on the root is taken.
    #[error("another window manager is running")]
    AnotherWm,
}

/// What the adapter hands the event loop: core inputs plus what only the loop can handle.
#[derive(Debug, Clone, PartialEq)]
// Events are built once and moved into the core; boxing MapRequest's info would cost an
// allocation per event for no gain.
#[allow(clippy::large_enum_variant)]
pub enum XEvent {
    /// An input for the core.
    Core(Input),
    /// A key was pressed: modifiers (Lock and Num Lock removed) and the unshifted keysym.
    Key {
        /// Modifier mask.
        mods: u16,
        /// Keysym of column 0.
        keysym: u32,
    },
    /// A button was pressed on the root or on a client.
    Button {
        /// Modifier mask (Lock and Num Lock removed).
        mods: u16,
        /// Button number.
        button: u8,
        /// The client under the pointer, if any.
        window: Option<WindowId>,
    },
    /// A key was pressed while a prompt holds the keyboard (see
    /// [`X11::grab_keyboard_for_text`]): the keysym its modifiers select and its character.
    Text(KeyInput),
    /// Another client asks for a selection we own.
    SelectionRequest(SelectionRequest),
    /// Another client took a selection we owned.
    SelectionClear {
        /// Our window that owned it.
        window: WindowId,
        /// The selection.
        selection: u32,
    },
    /// The keyboard mapping changed: grabs must be redone.
    KeymapChanged,
    /// The screen layout changed (RandR or a root resize).
    ScreensChanged,
    /// A bar window must be redrawn.
    BarExpose {
        /// The bar window.
        window: WindowId,
    },
    /// A click on a bar.
    BarClick {
        /// The bar window.
        window: WindowId,
        /// Bar-local x.
        x: i32,
        /// Bar-local y.
        y: i32,
        /// Button number.
        button: u8,
    },
}

/// Events we select on managed windows.
fn client_events() -> EventMask {
    EventMask::PROPERTY_CHANGE | EventMask::ENTER_WINDOW | EventMask::FOCUS_CHANGE
}

/// The connection and everything the adapter remembers about what X shows.
pub struct X11 {
    conn: RustConnection,
    /// The root window.
    pub root: Window,
    screen_num: usize,
    /// Interned atoms.
    pub atoms: Atoms,
    check_window: Window,
    keyboard: Keyboard,
    /// What X was last told (diffs are computed against it).
    shown: Snapshot,
    /// Managed windows we have mapped.
    mapped: HashSet<WindowId>,
    /// The sequence number of our last UnmapWindow of each window: the UnmapNotify it
    /// causes carries exactly that number, and must not be taken as a withdrawal. (A count
    /// of pending unmaps is not enough: an unmap of ours that found the window already
    /// unmapped causes no event, and would swallow the client's next real withdrawal.)
    ignore_unmaps: HashMap<WindowId, u64>,
    /// Windows we selected input on (managed or docks).
    known: HashSet<WindowId>,
    /// EnterNotify events older than this request were caused by our own changes.
    enter_marker: u64,
    /// FocusIn events up to our last SetInputFocus are echoes of our own focus changes.
    focus_marker: u64,
    /// Timestamp of the last user event, for WM_TAKE_FOCUS.
    last_time: u32,
    randr: bool,
    /// Our own bar windows.
    bars: HashSet<WindowId>,
    /// Graphics context for copying bar images.
    gc: u32,
    /// A prompt holds the keyboard: key presses are decoded as text.
    text_input: bool,
    /// What the server offers to find monitors (RandR version, Xinerama).
    screen_source: randr::ScreenSource,
    /// Drag bindings grabbed on the root: (mods, button, what they drag).
    drags: Vec<(u16, u8, DragKind)>,
    /// The system tray (src/x11/tray.rs).
    tray: tray::Tray,
    /// X's input focus may not be what we last set (a client took it, or it fell to
    /// None): the next push sets ours again.
    refocus: bool,
    /// X's focus may be on None or PointerRoot: it fell there, or our last SetInputFocus
    /// failed. A globally active window is then not left to take it alone (it may never
    /// do so, and the keyboard would stay dead): the check window holds it meanwhile.
    focus_lost: bool,
    /// Our SetInputFocus requests that failed in a row: after a few, a failure no longer
    /// asks for another (a window that cannot take the focus must not make us spin).
    focus_failures: u8,
    /// Windows of the batch being decoded that were mapped without a MapRequest.
    strays: HashSet<WindowId>,
    /// The sequence number of our last MapWindow of each window that exists.
    our_maps: HashMap<WindowId, u64>,
}

/// Cookies for all the properties of one window, sent before any is read.
struct InfoCookies<'c> {
    window: Window,
    attrs: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetWindowAttributesReply>,
    geom: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetGeometryReply>,
    class: x11rb::properties::WmClassCookie<'c, RustConnection>,
    net_name: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    name: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    role: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    hints: x11rb::properties::WmHintsCookie<'c, RustConnection>,
    normal: x11rb::properties::WmSizeHintsCookie<'c, RustConnection>,
    transient: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    protocols: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    wtype: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    state: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    strut_partial: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    strut: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    desktop: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    pid: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    machine: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
}

/// Property fetches that a batch of events needs, resolved after all are sent.
// Like XEvent: built once per event and moved, never copied around.
#[allow(clippy::large_enum_variant)]
enum Pending<'c> {
    Ready(XEvent),
    Map(Box<InfoCookies<'c>>),
    Title(
        Window,
        x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
        x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    ),
    Hints(Window, x11rb::properties::WmHintsCookie<'c, RustConnection>),
    Normal(
        Window,
        x11rb::properties::WmSizeHintsCookie<'c, RustConnection>,
    ),
    Protocols(
        Window,
        x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    ),
    Strut(
        Window,
        x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
        x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    ),
}

/// Title bytes read per property (longer titles are cut by the server).
/// How many failed SetInputFocus requests in a row are retried (see `focus_failures`).
const MAX_FOCUS_RETRIES: u8 = 3;

const TITLE_WORDS: u32 = (props::MAX_TITLE as u32) / 4 + 1;

fn prop<'c>(
    conn: &'c RustConnection,
    window: Window,
    property: u32,
    ty: impl Into<u32>,
    words: u32,
) -> Result<x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>, ConnectionError> {
    conn.get_property(false, window, property, ty, 0, words)
}

fn values32(reply: Result<xproto::GetPropertyReply, ReplyError>) -> Vec<u32> {
    props::values32(reply.ok().as_ref())
}

impl X11 {
    /// Connect to `$DISPLAY` (or `display`) and intern the atoms.
    pub fn connect(display: Option<&str>) -> Result<X11, XError> {
        let (conn, screen_num) = x11rb::connect(display)?;
        let atoms = Atoms::new(&conn)?.reply()?;
        let root = conn.setup().roots[screen_num].root;
        let keyboard = Keyboard::load(&conn)?;
        let screen_source = randr::ScreenSource::query(&conn)?;
        let randr = screen_source.randr > (0, 0);
        Ok(X11 {
            conn,
            root,
            screen_num,
            atoms,
            check_window: NONE,
            keyboard,
            shown: Snapshot::default(),
            mapped: HashSet::new(),
            ignore_unmaps: HashMap::new(),
            known: HashSet::new(),
            enter_marker: 0,
            focus_marker: 0,
            last_time: CURRENT_TIME,
            randr,
            bars: HashSet::new(),
            gc: 0,
            text_input: false,
            screen_source,
            drags: Vec::new(),
            tray: tray::Tray::default(),
            refocus: false,
            focus_lost: false,
            focus_failures: 0,
            strays: HashSet::new(),
            our_maps: HashMap::new(),
        })
    }

    /// The connection's file descriptor, for the event loop to poll.
    pub fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.conn.stream().as_fd()
    }

    /// Take SubstructureRedirect on the root (fails if another WM has it), set up the
    /// EWMH check window and `_NET_SUPPORTED`.
    pub fn become_wm(&mut self) -> Result<(), XError> {
        let mask = EventMask::SUBSTRUCTURE_REDIRECT
            | EventMask::SUBSTRUCTURE_NOTIFY
            | EventMask::STRUCTURE_NOTIFY
            | EventMask::PROPERTY_CHANGE
            | EventMask::FOCUS_CHANGE;
        let res = self
            .conn
            .change_window_attributes(
                self.root,
                &ChangeWindowAttributesAux::new().event_mask(mask),
            )?
            .check();
        match res {
            Err(ReplyError::X11Error(e)) if e.error_kind == ErrorKind::Access => {
                return Err(XError::AnotherWm)
            }
            other => other?,
        }
        self.select_randr()?;
        self.setup_ewmh()?;
        Ok(())
    }

    fn setup_ewmh(&mut self) -> Result<(), XError> {
        let a = &self.atoms;
        let win = self.conn.generate_id()?;
        self.conn.create_window(
            0,
            win,
            self.root,
            -1,
            -1,
            1,
            1,
            0,
            WindowClass::INPUT_ONLY,
            0,
            &CreateWindowAux::new().override_redirect(1),
        )?;
        // Mapped (off-screen, input-only) so that it can hold the keyboard focus when no
        // client should: SetInputFocus on an unmapped window fails with BadMatch.
        self.conn.map_window(win)?;
        self.check_window = win;
        // Mapped (it is 1x1, off-screen and input-only) so that it can hold the focus when
        // no client has it: SetInputFocus to an unviewable window fails.
        self.conn.map_window(win)?;
        for w in [self.root, win] {
            self.conn.change_property32(
                PropMode::REPLACE,
                w,
                a._NET_SUPPORTING_WM_CHECK,
                AtomEnum::WINDOW,
                &[win],
            )?;
        }
        self.conn.change_property8(
            PropMode::REPLACE,
            win,
            a._NET_WM_NAME,
            a.UTF8_STRING,
            b"oxtile",
        )?;
        self.conn.change_property32(
            PropMode::REPLACE,
            win,
            a._NET_WM_PID,
            AtomEnum::CARDINAL,
            &[std::process::id()],
        )?;
        let supported = ewmh::supported(a);
        self.conn.change_property32(
            PropMode::REPLACE,
            self.root,
            a._NET_SUPPORTED,
            AtomEnum::ATOM,
            &supported,
        )?;
        self.conn.flush()?;
        Ok(())
    }

    /// Windows already mapped when we start (they are adopted as if they asked to map).
    pub fn existing_windows(&mut self) -> Result<Vec<XEvent>, XError> {
        let tree = self.conn.query_tree(self.root)?.reply()?;
        let cookies: Vec<_> = tree
            .children
            .iter()
            .filter(|&&w| w != self.check_window)
            .map(|&w| (w, self.conn.get_window_attributes(w)))
            .collect();
        // Mapped windows, and windows we (or a previous oxtile) hid: WM_STATE Iconic.
        let mut adopt = Vec::new();
        let mut hidden = Vec::new();
        let mut viewable = HashSet::new();
        for (w, c) in cookies {
            let Ok(attrs) = c.map_err(ReplyError::from).and_then(|c| c.reply()) else {
                continue;
            };
            if attrs.override_redirect {
                continue;
            }
            if attrs.map_state == xproto::MapState::VIEWABLE {
                adopt.push(w);
                viewable.insert(w);
            } else if let Ok(cookie) =
                prop(&self.conn, w, self.atoms.WM_STATE, self.atoms.WM_STATE, 2)
            {
                hidden.push((w, cookie));
            }
        }
        for (w, cookie) in hidden {
            if values32(cookie.reply()).first() == Some(&3) {
                adopt.push(w);
            }
        }
        let mut events = Vec::new();
        let pending: Vec<Pending> = adopt
            .iter()
            .filter_map(|&w| self.info_cookies(w).ok().map(|c| Pending::Map(Box::new(c))))
            .collect();
        let resolved = Self::resolve(&self.atoms, pending);
        for ev in resolved {
            if let XEvent::Core(Input::MapRequest { window, .. }) = &ev {
                // Already mapped: count it as ours so that hiding it later is recognised.
                if viewable.contains(window) {
                    self.mapped.insert(*window);
                }
            }
            events.push(ev);
        }
        self.select_client_input(&adopt);
        Ok(events)
    }

    fn info_cookies(&self, window: Window) -> Result<InfoCookies<'_>, ConnectionError> {
        let c = &self.conn;
        let a = &self.atoms;
        Ok(InfoCookies {
            window,
            attrs: c.get_window_attributes(window)?,
            geom: c.get_geometry(window)?,
            class: WmClass::get(c, window)?,
            net_name: prop(c, window, a._NET_WM_NAME, a.UTF8_STRING, TITLE_WORDS)?,
            name: prop(
                c,
                window,
                AtomEnum::WM_NAME.into(),
                AtomEnum::ANY,
                TITLE_WORDS,
            )?,
            role: prop(c, window, a.WM_WINDOW_ROLE, AtomEnum::STRING, 64)?,
            hints: WmHints::get(c, window)?,
            normal: WmSizeHints::get_normal_hints(c, window)?,
            transient: prop(
                c,
                window,
                AtomEnum::WM_TRANSIENT_FOR.into(),
                AtomEnum::WINDOW,
                1,
            )?,
            protocols: prop(c, window, a.WM_PROTOCOLS, AtomEnum::ATOM, 32)?,
            wtype: prop(c, window, a._NET_WM_WINDOW_TYPE, AtomEnum::ATOM, 32)?,
            state: prop(c, window, a._NET_WM_STATE, AtomEnum::ATOM, 32)?,
            strut_partial: prop(c, window, a._NET_WM_STRUT_PARTIAL, AtomEnum::CARDINAL, 12)?,
            strut: prop(c, window, a._NET_WM_STRUT, AtomEnum::CARDINAL, 4)?,
            desktop: prop(c, window, a._NET_WM_DESKTOP, AtomEnum::CARDINAL, 1)?,
            pid: prop(c, window, a._NET_WM_PID, AtomEnum::CARDINAL, 1)?,
            machine: prop(c, window, a.WM_CLIENT_MACHINE, AtomEnum::STRING, 64)?,
        })
    }

    /// Read a window's properties from its cookies; `None` if the window is gone or is
    /// override-redirect.
    fn read_info(atoms: &Atoms, c: InfoCookies<'_>) -> Option<ClientInfo> {
        let attrs = c.attrs.reply().ok()?;
        let geom = c.geom.reply().ok()?;
        if attrs.override_redirect {
            return None;
        }
        let replies = props::InfoReplies {
            override_redirect: attrs.override_redirect,
            geometry: Rect::new(
                geom.x.into(),
                geom.y.into(),
                geom.width.into(),
                geom.height.into(),
            ),
            class: c.class.reply().ok().flatten(),
            net_name: c.net_name.reply().ok(),
            name: c.name.reply().ok(),
            role: c.role.reply().ok(),
            hints: c.hints.reply().ok().flatten(),
            normal: c.normal.reply().ok().flatten(),
            transient: c.transient.reply().ok(),
            protocols: c.protocols.reply().ok(),
            window_type: c.wtype.reply().ok(),
            state: c.state.reply().ok(),
            strut_partial: c.strut_partial.reply().ok(),
            strut: c.strut.reply().ok(),
            desktop: c.desktop.reply().ok(),
            pid: c.pid.reply().ok(),
            machine: c.machine.reply().ok(),
        };
        props::client_info(atoms, &replies)
    }

    /// Every event already queued (read without blocking), with its full sequence number.
    pub fn poll_events(&mut self) -> Result<Vec<(Event, u64)>, XError> {
        let mut out = Vec::new();
        while let Some(ev) = self.conn.poll_for_event_with_sequence()? {
            out.push(ev);
        }
        Ok(out)
    }

    /// A round trip: when it returns, the server has processed everything we and (by the
    /// time the caller asked) other clients sent; their events are now queued for us.
    pub fn roundtrip(&self) -> Result<(), XError> {
        self.conn.get_input_focus()?.reply()?;
        Ok(())
    }

    /// Send everything buffered.
    pub fn flush(&self) -> Result<(), XError> {
        self.conn.flush()?;
        Ok(())
    }

    /// Select the events we need on windows that ask to be mapped, every time they ask:
    /// the id may belong to a new window since (ids are reused once their client is gone).
    fn select_client_input(&mut self, windows: &[Window]) {
        for &w in windows {
            self.known.insert(w);
            let _ = self.conn.change_window_attributes(
                w,
                &ChangeWindowAttributesAux::new().event_mask(client_events()),
            );
            // Click to focus: a synchronous grab of any button, replayed to the client.
            let _ = self.conn.grab_button(
                false,
                w,
                EventMask::BUTTON_PRESS,
                GrabMode::SYNC,
                GrabMode::ASYNC,
                NONE,
                NONE,
                ButtonIndex::ANY,
                ModMask::ANY,
            );
        }
    }

    fn clean_mods(&self, state: u16) -> u16 {
        state & 0xff & !(u16::from(ModMask::LOCK) | self.keyboard.numlock)
    }

    /// Turn a batch of raw events into inputs, fetching the properties they need with all
    /// requests sent before any reply is read.
    pub fn decode(&mut self, events: Vec<(Event, u64)>) -> Vec<XEvent> {
        // The tray takes its own events (dock requests, icons) first.
        let events = self.tray_events(events);
        // First pass, mutating: timestamps, unmaps we caused, windows to listen to.
        let mut kept = Vec::with_capacity(events.len());
        let mut new_windows = Vec::new();
        let mut focus_lost = false;
        self.strays.clear();
        for (ev, seq) in events {
            if tracing::enabled!(tracing::Level::TRACE) {
                tracing::trace!(seq, "raw X event {}", describe(&ev));
            }
            self.note_time(&ev);
            match &ev {
                // Synthetic UnmapNotifys (SendEvent sets the top bit) are a client's
                // withdrawal notice, never the echo of an unmap of ours.
                Event::UnmapNotify(e) if e.event == self.root && e.response_type & 0x80 == 0 => {
                    if let Some(&ours) = self.ignore_unmaps.get(&e.window) {
                        if seq >= ours {
                            self.ignore_unmaps.remove(&e.window);
                        }
                        if seq == ours {
                            continue;
                        }
                    }
                    // X unmapped it for the client: withdrawing it needs no unmap of ours.
                    self.mapped.remove(&e.window);
                }
                // Even when older than our last SetInputFocus (that one may have failed),
                // and in any mode (during a key grab, or as the grab ends).
                Event::FocusIn(e)
                    if e.event == self.root
                        && (e.detail == xproto::NotifyDetail::NONE
                            || e.detail == xproto::NotifyDetail::POINTER_ROOT) =>
                {
                    focus_lost = true;
                }
                // Our last SetInputFocus failed (its window was unmapped or destroyed
                // meanwhile): set the focus again at the next push, which the event loop
                // makes even if nothing else changed ([`X11::wants_push`]).
                Event::Error(_) if seq == self.focus_marker => {
                    self.focus_lost = true;
                    self.focus_failures = self.focus_failures.saturating_add(1);
                    if self.focus_failures <= MAX_FOCUS_RETRIES {
                        self.refocus = true;
                    }
                }
                // Mapped without a MapRequest and not by a MapWindow of ours for this
                // window (ours carry its sequence number; a destroy forgets them), not
                // override-redirect: an id reused by a new client after its old window
                // was destroyed, which our MapWindow for the old one mapped. Managed, so
                // that it is not left on screen unmanaged.
                Event::MapNotify(e)
                    if e.event == self.root
                        && !e.override_redirect
                        && e.window != self.check_window
                        && self.our_maps.get(&e.window) != Some(&seq) =>
                {
                    new_windows.push(e.window);
                    self.strays.insert(e.window);
                }
                // A client gave the focus to another window we show: whatever the core
                // decides in this batch (follow it, or focus the window we had again),
                // the next push sets it, even if that is what we last set. (Not for the
                // window we focus: a globally active one takes the focus itself after
                // WM_TAKE_FOCUS, and would be offered it again for ever.)
                Event::FocusIn(e) if self.focus_taken(e, seq) => {
                    let shown = self.shown.windows.get(&e.event).is_some_and(|v| v.visible);
                    let same = self.shown.focus.is_some_and(|t| t.window == e.event);
                    if shown && !same {
                        self.refocus = true;
                    }
                }
                Event::DestroyNotify(e) => {
                    self.ignore_unmaps.remove(&e.window);
                    self.our_maps.remove(&e.window);
                    self.mapped.remove(&e.window);
                    self.known.remove(&e.window);
                }
                Event::MapRequest(e) => new_windows.push(e.window),
                _ => {}
            }
            kept.push((ev, seq));
        }
        self.select_client_input(&new_windows);
        if focus_lost {
            self.focus_lost = true;
            if let Err(e) = self.reassert_focus() {
                tracing::warn!("giving the focus back: {e}");
            }
            // Again at the next push: the window we gave it to may be unmapped and mapped
            // again within this batch, which makes this SetInputFocus fail.
            self.refocus = true;
        }
        // Second pass: send every property request the batch needs, then read replies.
        let pending: Vec<Pending> = kept
            .into_iter()
            .filter_map(|(ev, seq)| self.decode_one(ev, seq))
            .collect();
        Self::resolve(&self.atoms, pending)
    }

    /// Whether a FocusIn says a client window took the focus: not the echo of our own
    /// SetInputFocus, not a grab's, not the pointer's, not the root's.
    fn focus_taken(&self, e: &xproto::FocusInEvent, seq: u64) -> bool {
        seq > self.focus_marker
            && e.mode != xproto::NotifyMode::GRAB
            && e.mode != xproto::NotifyMode::UNGRAB
            && e.detail != xproto::NotifyDetail::POINTER
            && e.event != self.root
    }

    fn note_time(&mut self, ev: &Event) {
        let t = match ev {
            Event::KeyPress(e) => e.time,
            Event::ButtonPress(e) => e.time,
            Event::EnterNotify(e) => e.time,
            Event::PropertyNotify(e) => e.time,
            _ => return,
        };
        self.last_time = t;
    }

    fn decode_one(&self, ev: Event, seq: u64) -> Option<Pending<'_>> {
        let ready = |e: Input| Some(Pending::Ready(XEvent::Core(e)));
        let a = &self.atoms;
        match ev {
            Event::MapRequest(e) => self
                .info_cookies(e.window)
                .ok()
                .map(|c| Pending::Map(Box::new(c))),
            Event::MapNotify(e) if self.strays.contains(&e.window) => self
                .info_cookies(e.window)
                .ok()
                .map(|c| Pending::Map(Box::new(c))),
            Event::ConfigureRequest(e) => {
                use xproto::ConfigWindow as C;
                let m = e.value_mask;
                let has = |f: C| m.contains(f);
                ready(Input::ConfigureRequest {
                    window: e.window,
                    req: ConfigureReq {
                        x: has(C::X).then_some(e.x.into()),
                        y: has(C::Y).then_some(e.y.into()),
                        w: has(C::WIDTH).then_some(e.width.into()),
                        h: has(C::HEIGHT).then_some(e.height.into()),
                        border: has(C::BORDER_WIDTH).then_some(e.border_width.into()),
                        sibling: has(C::SIBLING).then_some(e.sibling),
                        stack_mode: has(C::STACK_MODE).then_some(u32::from(e.stack_mode)),
                    },
                })
            }
            Event::UnmapNotify(e) => {
                if e.event != self.root {
                    return None;
                }
                ready(Input::Unmapped { window: e.window })
            }
            Event::DestroyNotify(e) => ready(Input::Destroyed { window: e.window }),
            // A window we know moved under another window: it is no longer a top-level
            // window, so no longer ours. (A mapped one was unmapped first, and that
            // UnmapNotify already withdrew it.)
            // A window that leaves the root is no longer a top-level window: whatever we
            // remember of it, the core forgets it (it ignores windows it does not manage).
            Event::ReparentNotify(e) if e.event == self.root && e.parent != self.root => {
                ready(Input::Unmapped { window: e.window })
            }
            Event::PropertyNotify(e) => {
                let w = e.window;
                if w == self.root {
                    return None;
                }
                let deleted = e.state == xproto::Property::DELETE;
                let c = &self.conn;
                if e.atom == a._NET_WM_NAME || e.atom == u32::from(AtomEnum::WM_NAME) {
                    let n = prop(c, w, a._NET_WM_NAME, a.UTF8_STRING, TITLE_WORDS).ok()?;
                    let o =
                        prop(c, w, AtomEnum::WM_NAME.into(), AtomEnum::ANY, TITLE_WORDS).ok()?;
                    Some(Pending::Title(w, n, o))
                } else if e.atom == u32::from(AtomEnum::WM_HINTS) {
                    WmHints::get(c, w).ok().map(|k| Pending::Hints(w, k))
                } else if e.atom == u32::from(AtomEnum::WM_NORMAL_HINTS) {
                    WmSizeHints::get_normal_hints(c, w)
                        .ok()
                        .map(|k| Pending::Normal(w, k))
                } else if e.atom == a.WM_PROTOCOLS {
                    prop(c, w, a.WM_PROTOCOLS, AtomEnum::ATOM, 32)
                        .ok()
                        .map(|k| Pending::Protocols(w, k))
                } else if e.atom == a._NET_WM_STRUT_PARTIAL || e.atom == a._NET_WM_STRUT {
                    if deleted && e.atom == a._NET_WM_STRUT_PARTIAL {
                        return None;
                    }
                    let p = prop(c, w, a._NET_WM_STRUT_PARTIAL, AtomEnum::CARDINAL, 12).ok()?;
                    let s = prop(c, w, a._NET_WM_STRUT, AtomEnum::CARDINAL, 4).ok()?;
                    Some(Pending::Strut(w, p, s))
                } else {
                    None
                }
            }
            Event::EnterNotify(e) => {
                let ours = seq < self.enter_marker;
                if ours
                    || e.mode != xproto::NotifyMode::NORMAL
                    || e.detail == xproto::NotifyDetail::INFERIOR
                {
                    return None;
                }
                ready(Input::Enter { window: e.event })
            }
            Event::FocusIn(e) => {
                if !self.focus_taken(&e, seq) {
                    return None;
                }
                ready(Input::FocusIn { window: e.event })
            }
            Event::KeyPress(e) if self.text_input => {
                Some(Pending::Ready(XEvent::Text(self.key_input(&e))))
            }
            Event::SelectionRequest(e) => {
                Some(Pending::Ready(XEvent::SelectionRequest(SelectionRequest {
                    owner: e.owner,
                    requestor: e.requestor,
                    selection: e.selection,
                    target: e.target,
                    property: e.property,
                    time: e.time,
                })))
            }
            Event::SelectionClear(e) => Some(Pending::Ready(XEvent::SelectionClear {
                window: e.owner,
                selection: e.selection,
            })),
            Event::KeyPress(e) => {
                let keysym = self.keyboard.keysym(e.detail, 0)?;
                Some(Pending::Ready(XEvent::Key {
                    mods: self.clean_mods(e.state.into()),
                    keysym: keyboard::lowercase(keysym),
                }))
            }
            Event::Expose(e) if self.bars.contains(&e.window) => {
                Some(Pending::Ready(XEvent::BarExpose { window: e.window }))
            }
            Event::ButtonPress(e) if self.bars.contains(&e.event) => {
                Some(Pending::Ready(XEvent::BarClick {
                    window: e.event,
                    x: e.event_x.into(),
                    y: e.event_y.into(),
                    button: e.detail,
                }))
            }
            Event::ButtonPress(e) => {
                if let Some(drag) = self.drag_press(&e) {
                    return ready(drag);
                }
                let mods = self.clean_mods(u16::from(e.state));
                if e.event != self.root {
                    // Our click-to-focus grab: let the click through to the client.
                    let _ = self
                        .conn
                        .allow_events(xproto::Allow::REPLAY_POINTER, e.time);
                    if mods == 0 {
                        return ready(Input::Clicked { window: e.event });
                    }
                }
                let window = if e.event == self.root {
                    Some(e.child).filter(|&c| c != NONE)
                } else {
                    Some(e.event)
                };
                Some(Pending::Ready(XEvent::Button {
                    mods,
                    button: e.detail,
                    window,
                }))
            }
            Event::MotionNotify(e) => ready(Input::DragMotion {
                x: e.root_x.into(),
                y: e.root_y.into(),
            }),
            Event::ButtonRelease(_) => ready(Input::DragEnd),
            Event::ClientMessage(e) => self.client_message(&e).map(Pending::Ready),
            Event::MappingNotify(e) => {
                if e.request == xproto::Mapping::POINTER {
                    return None;
                }
                Some(Pending::Ready(XEvent::KeymapChanged))
            }
            Event::ConfigureNotify(e) if e.window == self.root => {
                Some(Pending::Ready(XEvent::ScreensChanged))
            }
            Event::RandrScreenChangeNotify(_) | Event::RandrNotify(_) => {
                Some(Pending::Ready(XEvent::ScreensChanged))
            }
            Event::Error(e) => {
                tracing::debug!(?e.error_kind, bad = e.bad_value, "X error");
                let gone = matches!(e.error_kind, ErrorKind::Window | ErrorKind::Drawable);
                if gone && self.known.contains(&e.bad_value) {
                    return ready(Input::Destroyed {
                        window: e.bad_value,
                    });
                }
                None
            }
            _ => None,
        }
    }

    fn resolve(atoms: &Atoms, pending: Vec<Pending<'_>>) -> Vec<XEvent> {
        pending
            .into_iter()
            .filter_map(|p| match p {
                Pending::Ready(e) => Some(e),
                Pending::Map(c) => {
                    let window = c.window;
                    Self::read_info(atoms, *c)
                        .map(|info| XEvent::Core(Input::MapRequest { window, info }))
                }
                Pending::Title(w, n, o) => {
                    let title = props::title(n.reply().ok().as_ref(), o.reply().ok().as_ref())?;
                    Some(XEvent::Core(Input::TitleChanged { window: w, title }))
                }
                Pending::Hints(w, k) => {
                    let h = k.reply().ok().flatten().unwrap_or_default();
                    let (urgent, input_hint) = props::hints(&h);
                    Some(XEvent::Core(Input::HintsChanged {
                        window: w,
                        urgent,
                        input_hint,
                    }))
                }
                Pending::Normal(w, k) => {
                    let h = k.reply().ok().flatten().unwrap_or_default();
                    Some(XEvent::Core(Input::SizeHintsChanged {
                        window: w,
                        hints: props::size_hints(&h),
                    }))
                }
                Pending::Protocols(w, k) => Some(XEvent::Core(Input::ProtocolsChanged {
                    window: w,
                    protocols: props::protocols(atoms, values32(k.reply()).into_iter()),
                })),
                Pending::Strut(w, p, s) => {
                    let strut = props::dock_strut(&values32(p.reply()), &values32(s.reply()));
                    Some(XEvent::Core(Input::StrutChanged { window: w, strut }))
                }
            })
            .collect()
    }
}

/// The fields of an event that matter for following a window's life in a trace log
/// (x11rb's events print as `{ .. }`).
fn describe(ev: &Event) -> String {
    let sent = |t: u8| if t & 0x80 != 0 { " (sent)" } else { "" };
    match ev {
        Event::MapRequest(e) => format!("MapRequest window={} parent={}", e.window, e.parent),
        Event::MapNotify(e) => format!("MapNotify window={} event={}", e.window, e.event),
        Event::UnmapNotify(e) => format!(
            "UnmapNotify window={} event={}{}",
            e.window,
            e.event,
            sent(e.response_type)
        ),
        Event::DestroyNotify(e) => format!("DestroyNotify window={}", e.window),
        Event::ReparentNotify(e) => {
            format!("ReparentNotify window={} parent={}", e.window, e.parent)
        }
        Event::ConfigureRequest(e) => format!("ConfigureRequest window={}", e.window),
        Event::PropertyNotify(e) => format!("PropertyNotify window={} atom={}", e.window, e.atom),
        Event::FocusIn(e) => format!(
            "FocusIn event={} detail={:?} mode={:?}",
            e.event, e.detail, e.mode
        ),
        Event::ClientMessage(e) => format!(
            "ClientMessage window={} type={} format={}",
            e.window, e.type_, e.format
        ),
        Event::Error(e) => format!("Error {:?} bad={}", e.error_kind, e.bad_value),
        other => format!("{other:?}"),
    }
}
