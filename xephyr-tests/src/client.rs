//! A test X client: one x11rb connection that makes windows with the properties real
//! applications set, reads what the window manager published, sends EWMH requests, and types
//! and clicks through XTEST as a user would.

use std::cell::{Cell, OnceCell, RefCell};

use x11rb::connection::Connection;
use x11rb::properties::{WmHints, WmSizeHints, WmSizeHintsSpecification};
use x11rb::protocol::xproto::{
    self, AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConfigureWindowAux,
    ConnectionExt as _, CreateWindowAux, EventMask, InputFocus, MapState, PropMode, Window,
    WindowClass,
};
use x11rb::protocol::xtest::ConnectionExt as _;
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;
use x11rb::CURRENT_TIME;

use crate::geometry::Rect;
use crate::keysym;

pub use x11rb::protocol::xproto::Atom;

mod atoms {
    #![allow(missing_docs)]
    x11rb::atom_manager! {
        /// The atoms tests use, interned in one round trip when a client connects.
        pub Atoms: AtomsCookie {
            UTF8_STRING,
            WM_PROTOCOLS,
            WM_DELETE_WINDOW,
            WM_TAKE_FOCUS,
            WM_STATE,
            _NET_SUPPORTED,
            _NET_SUPPORTING_WM_CHECK,
            _NET_WM_NAME,
            _NET_CLIENT_LIST,
            _NET_ACTIVE_WINDOW,
            _NET_CLOSE_WINDOW,
            _NET_NUMBER_OF_DESKTOPS,
            _NET_CURRENT_DESKTOP,
            _NET_DESKTOP_NAMES,
            _NET_WM_DESKTOP,
            _NET_WM_STATE,
            _NET_WM_STATE_FULLSCREEN,
            _NET_WM_STRUT,
            _NET_WM_STRUT_PARTIAL,
            _NET_WM_WINDOW_TYPE,
            _NET_WM_WINDOW_TYPE_NORMAL,
            _NET_WM_WINDOW_TYPE_DIALOG,
            _NET_WM_WINDOW_TYPE_UTILITY,
            _NET_WM_WINDOW_TYPE_SPLASH,
            _NET_WM_WINDOW_TYPE_DOCK,
            _NET_WM_WINDOW_TYPE_DESKTOP,
            _NET_WM_WINDOW_TYPE_NOTIFICATION,
            _NET_WM_WINDOW_TYPE_TOOLTIP,
            _NET_WM_WINDOW_TYPE_POPUP_MENU,
            _NET_WM_STATE_MAXIMIZED_VERT,
            _NET_WM_STATE_MAXIMIZED_HORZ,
            _NET_WM_STATE_ABOVE,
            _NET_WM_STATE_BELOW,
            _NET_WM_STATE_STICKY,
            _NET_WM_STATE_HIDDEN,
            _NET_WM_STATE_DEMANDS_ATTENTION,
            _NET_WM_STATE_SKIP_TASKBAR,
            _NET_CLIENT_LIST_STACKING,
            _NET_WORKAREA,
            _NET_DESKTOP_GEOMETRY,
            _NET_SHOWING_DESKTOP,
            _NET_FRAME_EXTENTS,
            _NET_REQUEST_FRAME_EXTENTS,
            _NET_WM_ALLOWED_ACTIONS,
            _NET_WM_ACTION_RESIZE,
            _NET_WM_ACTION_CLOSE,
            _NET_WM_MOVERESIZE,
            _NET_MOVERESIZE_WINDOW,
            _NET_WM_PID,
            WM_CLIENT_MACHINE,
            WM_CHANGE_STATE,
        }
    }
}
pub use atoms::Atoms;

/// `_NET_WM_STATE` actions (EWMH): what a state request does to the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateAction {
    /// `_NET_WM_STATE_REMOVE`.
    Remove = 0,
    /// `_NET_WM_STATE_ADD`.
    Add = 1,
    /// `_NET_WM_STATE_TOGGLE`.
    Toggle = 2,
}

/// EWMH source indication sent with requests: 2 means a pager or a direct user action, which
/// window managers obey without focus-stealing prevention.
const SOURCE_PAGER: u32 = 2;

/// `_NET_WM_WINDOW_TYPE` values a test window can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowType {
    /// An ordinary window.
    Normal,
    /// A dialog: floats.
    Dialog,
    /// A tool palette: floats.
    Utility,
    /// A splash screen: floats.
    Splash,
    /// A panel or bar; with a strut it reserves screen space.
    Dock,
    /// A desktop window (icons, wallpaper): kept below everything.
    Desktop,
    /// A notification bubble: never managed.
    Notification,
    /// A tooltip: never managed.
    Tooltip,
    /// A context menu: never managed.
    PopupMenu,
}

/// A connection to the test server, with the helpers tests need. Every method panics with
/// context when the X server answers with an error the test did not expect; methods named
/// `try_*` return `None` instead.
pub struct TestClient {
    conn: RustConnection,
    root: Window,
    atoms: Atoms,
    answer_delete: Cell<bool>,
    client_messages: RefCell<Vec<ClientMessageEvent>>,
    events: RefCell<Vec<Event>>,
    keymap: OnceCell<Keymap>,
    windows_made: Cell<u32>,
}

/// The server's keyboard mapping, as GetKeyboardMapping returns it.
struct Keymap {
    min_keycode: u8,
    per_keycode: usize,
    keysyms: Vec<u32>,
}

impl TestClient {
    /// Connect to `display` (e.g. `":3"`); panics when the server cannot be reached.
    pub fn connect(display: &str) -> TestClient {
        let (conn, screen) = RustConnection::connect(Some(display))
            .unwrap_or_else(|e| panic!("test client cannot connect to {display}: {e}"));
        let root = conn.setup().roots[screen].root;
        let atoms = Atoms::new(&conn)
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.reply())
            .unwrap_or_else(|e| panic!("cannot intern atoms on {display}: {e}"));
        TestClient {
            conn,
            root,
            atoms,
            answer_delete: Cell::new(true),
            client_messages: RefCell::default(),
            events: RefCell::default(),
            keymap: OnceCell::new(),
            windows_made: Cell::new(0),
        }
    }

    /// Pixels of a root rectangle as 0xRRGGBB (GetImage), to check what is on screen.
    pub fn pixels(&self, r: Rect) -> Vec<u32> {
        let reply = self
            .conn
            .get_image(
                xproto::ImageFormat::Z_PIXMAP,
                self.root,
                r.x as i16,
                r.y as i16,
                r.w as u16,
                r.h as u16,
                !0,
            )
            .expect("get_image request")
            .reply()
            .expect("get_image reply");
        reply
            .data
            .chunks_exact(4)
            .map(|p| u32::from_le_bytes([p[0], p[1], p[2], 0]))
            .collect()
    }

    /// The underlying connection, for requests this type has no helper for.
    pub fn conn(&self) -> &RustConnection {
        &self.conn
    }

    /// The root window of the (only) screen.
    pub fn root(&self) -> Window {
        self.root
    }

    /// The pre-interned atoms.
    pub fn atoms(&self) -> &Atoms {
        &self.atoms
    }

    /// Intern any atom by name.
    pub fn atom(&self, name: &str) -> Atom {
        self.conn
            .intern_atom(false, name.as_bytes())
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.reply())
            .unwrap_or_else(|e| panic!("intern_atom({name}): {e}"))
            .atom
    }

    /// Start describing a new top-level window; finish with [`WindowBuilder::map`].
    pub fn window(&self) -> WindowBuilder<'_> {
        WindowBuilder::new(self)
    }

    /// Wait until the server has processed every request sent so far (a GetInputFocus round
    /// trip). After it, the window manager has been sent every event those requests caused.
    pub fn round_trip(&self) {
        self.conn
            .get_input_focus()
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.reply())
            .unwrap_or_else(|e| panic!("X round trip failed: {e}"));
    }

    /// True while the server still talks to this client; false once it closed the connection
    /// (XKillClient, server gone).
    pub fn is_connected(&self) -> bool {
        match self.conn.get_input_focus() {
            Ok(cookie) => cookie.reply().is_ok(),
            Err(_) => false,
        }
    }

    // ----- windows ---------------------------------------------------------------------

    /// Map an existing window and wait for the server to process it.
    pub fn map_window(&self, win: Window) {
        self.check(self.conn.map_window(win), "map_window");
        self.round_trip();
    }

    /// Withdraw a window as Xlib's XWithdrawWindow does: unmap it, and send the synthetic
    /// UnmapNotify to the root that ICCCM asks for; wait for the server to process both.
    pub fn unmap_window(&self, win: Window) {
        self.check(self.conn.unmap_window(win), "unmap_window");
        let notify = xproto::UnmapNotifyEvent {
            response_type: xproto::UNMAP_NOTIFY_EVENT,
            sequence: 0,
            event: self.root,
            window: win,
            from_configure: false,
        };
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        self.check(
            self.conn.send_event(false, self.root, mask, notify),
            "send_event(UnmapNotify)",
        );
        self.round_trip();
    }

    /// Destroy a window and wait for the server to process it.
    pub fn destroy(&self, win: Window) {
        self.check(self.conn.destroy_window(win), "destroy_window");
        self.round_trip();
    }

    /// Destroy a window without waiting: the request is only flushed.
    pub fn destroy_no_wait(&self, win: Window) {
        self.check(self.conn.destroy_window(win), "destroy_window");
        self.flush();
    }

    /// Ask for a new position and size, as a client does (a ConfigureRequest under a window
    /// manager), and wait for the server to process the request.
    pub fn request_geometry(&self, win: Window, rect: Rect) {
        let aux = ConfigureWindowAux::new()
            .x(rect.x)
            .y(rect.y)
            .width(rect.w)
            .height(rect.h);
        self.check(self.conn.configure_window(win, &aux), "configure_window");
        self.round_trip();
    }

    /// The window's inside in root coordinates (position through TranslateCoordinates, so
    /// frames the window manager reparented it into are accounted for; border excluded).
    pub fn geometry(&self, win: Window) -> Rect {
        self.try_geometry(win)
            .unwrap_or_else(|| panic!("window {win:#x} does not exist"))
    }

    /// Like [`geometry`](Self::geometry), `None` when the window does not exist.
    pub fn try_geometry(&self, win: Window) -> Option<Rect> {
        let geo = self.conn.get_geometry(win).ok()?;
        let pos = self.conn.translate_coordinates(win, self.root, 0, 0).ok()?;
        let geo = geo.reply().ok()?;
        let pos = pos.reply().ok()?;
        Some(Rect::new(
            pos.dst_x.into(),
            pos.dst_y.into(),
            geo.width.into(),
            geo.height.into(),
        ))
    }

    /// True when the window exists.
    pub fn exists(&self, win: Window) -> bool {
        self.try_geometry(win).is_some()
    }

    /// The first window titled `title` among the root's children and their children (a
    /// window manager's frames), e.g. the window of a program the test started.
    pub fn find_by_title(&self, title: &str) -> Option<Window> {
        let mut level = vec![self.root];
        for _depth in 0..2 {
            let mut next = Vec::new();
            for parent in level {
                let Some(tree) = self
                    .conn
                    .query_tree(parent)
                    .ok()
                    .and_then(|c| c.reply().ok())
                else {
                    continue;
                };
                for &win in &tree.children {
                    let name = self
                        .net_wm_name(win)
                        .or_else(|| self.text(win, AtomEnum::WM_NAME.into()));
                    if name.as_deref() == Some(title) {
                        return Some(win);
                    }
                }
                next.extend(tree.children);
            }
            level = next;
        }
        None
    }

    /// True when the window is viewable: mapped, and every ancestor (a frame) mapped too.
    /// False for a window that does not exist.
    pub fn is_mapped(&self, win: Window) -> bool {
        self.conn
            .get_window_attributes(win)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|a| a.map_state == MapState::VIEWABLE)
    }

    /// The window that has the input focus (0 for None, 1 for PointerRoot).
    pub fn input_focus(&self) -> Window {
        self.conn
            .get_input_focus()
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.reply())
            .unwrap_or_else(|e| panic!("get_input_focus: {e}"))
            .focus
    }

    /// True when the window can be seen: viewable and at least partly on the screen. Window
    /// managers hide windows of other groups either by unmapping them or by moving them
    /// off-screen; this is false for both.
    pub fn is_shown(&self, win: Window) -> bool {
        let screen = Rect::screen();
        self.is_mapped(win)
            && self.try_geometry(win).is_some_and(|r| {
                r.x < screen.right() && r.y < screen.bottom() && r.right() > 0 && r.bottom() > 0
            })
    }

    /// Give a window the input focus directly (no window manager involved).
    pub fn set_input_focus(&self, win: Window) {
        self.check(
            self.conn
                .set_input_focus(InputFocus::POINTER_ROOT, win, CURRENT_TIME),
            "set_input_focus",
        );
        self.round_trip();
    }

    /// Change a window's title (WM_NAME and _NET_WM_NAME).
    pub fn set_title(&self, win: Window, title: &str) {
        self.write_title(win, title);
        self.round_trip();
    }

    /// Set or clear the urgency hint in WM_HINTS.
    pub fn set_urgent(&self, win: Window, urgent: bool) {
        let hints = WmHints {
            input: Some(true),
            urgent,
            ..WmHints::new()
        };
        self.check(hints.set(&self.conn, win), "set WM_HINTS");
        self.round_trip();
    }

    /// Replace a property with raw 8-bit data (for absurd values in robustness tests).
    pub fn set_property8(&self, win: Window, prop: Atom, type_: Atom, data: &[u8]) {
        self.check(
            self.conn
                .change_property8(PropMode::REPLACE, win, prop, type_, data),
            "change_property8",
        );
    }

    /// Replace a property with raw 32-bit data.
    pub fn set_property32(&self, win: Window, prop: Atom, type_: Atom, data: &[u32]) {
        self.check(
            self.conn
                .change_property32(PropMode::REPLACE, win, prop, type_, data),
            "change_property32",
        );
    }

    /// Close another client's connection, as a window manager's XKillClient does.
    pub fn kill_client(&self, win: Window) {
        self.check(self.conn.kill_client(win), "kill_client");
        self.round_trip();
    }

    /// Act as a window manager would on the root window: select SubstructureRedirect. Only
    /// one client can; returns false when another (a window manager) already has.
    pub fn select_substructure_redirect(&self) -> bool {
        let aux = ChangeWindowAttributesAux::new().event_mask(EventMask::SUBSTRUCTURE_REDIRECT);
        self.conn
            .change_window_attributes(self.root, &aux)
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.check())
            .is_ok()
    }

    // ----- properties ------------------------------------------------------------------

    /// A property's raw reply, `None` when the window or the property does not exist.
    pub fn property(&self, win: Window, prop: Atom) -> Option<xproto::GetPropertyReply> {
        let reply = self
            .conn
            .get_property(false, win, prop, AtomEnum::ANY, 0, u32::MAX / 4)
            .ok()?
            .reply()
            .ok()?;
        (reply.type_ != u32::from(AtomEnum::NONE)).then_some(reply)
    }

    /// A 32-bit property (CARDINAL, WINDOW, ATOM…) as numbers; empty when absent.
    pub fn cardinals(&self, win: Window, prop: Atom) -> Vec<u32> {
        self.property(win, prop)
            .and_then(|r| r.value32().map(Iterator::collect))
            .unwrap_or_default()
    }

    /// A text property (STRING or UTF8_STRING), lossily decoded; `None` when absent.
    pub fn text(&self, win: Window, prop: Atom) -> Option<String> {
        self.property(win, prop)
            .map(|r| String::from_utf8_lossy(&r.value).into_owned())
    }

    /// A list-of-strings property (NUL-separated, e.g. _NET_DESKTOP_NAMES).
    pub fn texts(&self, win: Window, prop: Atom) -> Vec<String> {
        let Some(reply) = self.property(win, prop) else {
            return Vec::new();
        };
        let value = reply.value.strip_suffix(&[0]).unwrap_or(&reply.value);
        value
            .split(|&b| b == 0)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }

    /// Root `_NET_CLIENT_LIST`: the managed windows, in the order the WM published.
    pub fn client_list(&self) -> Vec<Window> {
        self.cardinals(self.root, self.atoms._NET_CLIENT_LIST)
    }

    /// Root `_NET_ACTIVE_WINDOW`; `None` when unset or 0.
    pub fn active_window(&self) -> Option<Window> {
        first_nonzero(self.cardinals(self.root, self.atoms._NET_ACTIVE_WINDOW))
    }

    /// Root `_NET_CURRENT_DESKTOP`.
    pub fn current_desktop(&self) -> Option<u32> {
        self.cardinals(self.root, self.atoms._NET_CURRENT_DESKTOP)
            .first()
            .copied()
    }

    /// Root `_NET_NUMBER_OF_DESKTOPS`.
    pub fn number_of_desktops(&self) -> Option<u32> {
        self.cardinals(self.root, self.atoms._NET_NUMBER_OF_DESKTOPS)
            .first()
            .copied()
    }

    /// Root `_NET_DESKTOP_NAMES`.
    pub fn desktop_names(&self) -> Vec<String> {
        self.texts(self.root, self.atoms._NET_DESKTOP_NAMES)
    }

    /// Root `_NET_SUPPORTING_WM_CHECK`: the window manager's check window.
    pub fn supporting_wm_check(&self) -> Option<Window> {
        first_nonzero(self.cardinals(self.root, self.atoms._NET_SUPPORTING_WM_CHECK))
    }

    /// A window's `_NET_SUPPORTING_WM_CHECK` (on the check window it points to itself).
    pub fn wm_check_of(&self, win: Window) -> Option<Window> {
        first_nonzero(self.cardinals(win, self.atoms._NET_SUPPORTING_WM_CHECK))
    }

    /// A window's `_NET_WM_NAME`.
    pub fn net_wm_name(&self, win: Window) -> Option<String> {
        self.text(win, self.atoms._NET_WM_NAME)
    }

    /// A window's `WM_STATE` state field: 0 withdrawn, 1 normal, 3 iconic.
    pub fn wm_state(&self, win: Window) -> Option<u32> {
        self.cardinals(win, self.atoms.WM_STATE).first().copied()
    }

    /// A window's `_NET_WM_DESKTOP`.
    pub fn window_desktop(&self, win: Window) -> Option<u32> {
        self.cardinals(win, self.atoms._NET_WM_DESKTOP)
            .first()
            .copied()
    }

    /// A window's `_NET_WM_STATE` atoms.
    pub fn net_wm_state(&self, win: Window) -> Vec<Atom> {
        self.cardinals(win, self.atoms._NET_WM_STATE)
    }

    /// Root `_NET_WORKAREA`: x, y, width, height for each desktop.
    pub fn work_areas(&self) -> Vec<Rect> {
        self.cardinals(self.root, self.atoms._NET_WORKAREA)
            .chunks(4)
            .filter(|c| c.len() == 4)
            .map(|c| Rect::new(c[0] as i32, c[1] as i32, c[2], c[3]))
            .collect()
    }

    /// Root `_NET_CLIENT_LIST_STACKING`, bottom to top.
    pub fn client_list_stacking(&self) -> Vec<Window> {
        self.cardinals(self.root, self.atoms._NET_CLIENT_LIST_STACKING)
    }

    /// The root's children as X stacks them, bottom to top.
    pub fn stacking_order(&self) -> Vec<Window> {
        self.conn
            .query_tree(self.root)
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.reply())
            .map(|t| t.children)
            .unwrap_or_default()
    }

    /// True when the window's `_NET_WM_STATE` lists `_NET_WM_STATE_FULLSCREEN`.
    pub fn has_fullscreen_state(&self, win: Window) -> bool {
        self.cardinals(win, self.atoms._NET_WM_STATE)
            .contains(&self.atoms._NET_WM_STATE_FULLSCREEN)
    }

    // ----- EWMH requests ---------------------------------------------------------------

    /// Send a ClientMessage about `window` to the root window, as EWMH requests are sent
    /// (SubstructureRedirect | SubstructureNotify), and wait until the server delivered it.
    pub fn send_client_message(&self, window: Window, type_: Atom, data: [u32; 5]) {
        let event = ClientMessageEvent::new(32, window, type_, data);
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        self.check(
            self.conn.send_event(false, self.root, mask, event),
            "send_event",
        );
        self.round_trip();
    }

    /// `_NET_ACTIVE_WINDOW`: ask the window manager to activate (focus) `win`.
    pub fn request_activate(&self, win: Window) {
        let data = [SOURCE_PAGER, CURRENT_TIME, 0, 0, 0];
        self.send_client_message(win, self.atoms._NET_ACTIVE_WINDOW, data);
    }

    /// `_NET_WM_STATE` with `_NET_WM_STATE_FULLSCREEN`.
    pub fn request_fullscreen(&self, win: Window, action: StateAction) {
        let data = [
            action as u32,
            self.atoms._NET_WM_STATE_FULLSCREEN,
            0,
            SOURCE_PAGER,
            0,
        ];
        self.send_client_message(win, self.atoms._NET_WM_STATE, data);
    }

    /// `_NET_WM_STATE` naming one or two states (atoms; 0 for none).
    pub fn request_state(&self, win: Window, action: StateAction, first: Atom, second: Atom) {
        let data = [action as u32, first, second, SOURCE_PAGER, 0];
        self.send_client_message(win, self.atoms._NET_WM_STATE, data);
    }

    /// `_NET_WM_MOVERESIZE`: the client starts a move (direction 8) or a resize from an
    /// edge (0..=7) with the pointer at (x, y), or cancels one (11).
    pub fn request_moveresize(&self, win: Window, x: i32, y: i32, direction: u32, button: u8) {
        let data = [x as u32, y as u32, direction, button.into(), 1];
        self.send_client_message(win, self.atoms._NET_WM_MOVERESIZE, data);
    }

    /// `_NET_REQUEST_FRAME_EXTENTS` for a window not mapped yet.
    pub fn request_frame_extents(&self, win: Window) {
        self.send_client_message(win, self.atoms._NET_REQUEST_FRAME_EXTENTS, [0; 5]);
    }

    /// `_NET_CLOSE_WINDOW`: ask the window manager to close `win`.
    pub fn request_close(&self, win: Window) {
        let data = [CURRENT_TIME, SOURCE_PAGER, 0, 0, 0];
        self.send_client_message(win, self.atoms._NET_CLOSE_WINDOW, data);
    }

    /// `_NET_CURRENT_DESKTOP`: ask to switch to desktop (group) `index`.
    pub fn request_desktop(&self, index: u32) {
        let data = [index, CURRENT_TIME, 0, 0, 0];
        self.send_client_message(self.root, self.atoms._NET_CURRENT_DESKTOP, data);
    }

    /// `_NET_WM_DESKTOP`: ask to move `win` to desktop (group) `index`.
    pub fn request_window_desktop(&self, win: Window, index: u32) {
        let data = [index, SOURCE_PAGER, 0, 0, 0];
        self.send_client_message(win, self.atoms._NET_WM_DESKTOP, data);
    }

    // ----- input -----------------------------------------------------------------------

    /// Type a key with modifiers held, through XTEST and the server's real keymap:
    /// `key(&["mod4"], "j")` presses Super_L, presses and releases j, releases Super_L.
    pub fn key(&self, mods: &[&str], key: &str) {
        self.key_no_wait(mods, key);
        self.round_trip();
    }

    /// Like [`key`](Self::key) but only flushes: for measuring how soon the window manager
    /// reacts, without a round trip in between.
    pub fn key_no_wait(&self, mods: &[&str], key: &str) {
        let mut held = Vec::new();
        for m in mods {
            let sym = keysym::modifier(m).unwrap_or_else(|| panic!("unknown modifier {m:?}"));
            let (code, _) = self.keycode(sym);
            held.push(code);
        }
        let sym = keysym::from_name(key).unwrap_or_else(|| panic!("unknown key name {key:?}"));
        let (code, shifted) = self.keycode(sym);
        if shifted {
            held.push(
                self.keycode(keysym::from_name("Shift_L").unwrap_or(0xffe1))
                    .0,
            );
        }
        for &m in &held {
            self.fake(xproto::KEY_PRESS_EVENT, m, 0, 0);
        }
        self.fake(xproto::KEY_PRESS_EVENT, code, 0, 0);
        self.fake(xproto::KEY_RELEASE_EVENT, code, 0, 0);
        for &m in held.iter().rev() {
            self.fake(xproto::KEY_RELEASE_EVENT, m, 0, 0);
        }
        self.flush();
    }

    /// Hold `mods`, press `button` at `from`, move the pointer to `to` in a few steps,
    /// release: a drag with a mouse binding, through XTEST.
    pub fn drag(&self, mods: &[&str], button: u8, from: (i32, i32), to: (i32, i32)) {
        let held: Vec<u8> = mods
            .iter()
            .map(|m| {
                let sym = keysym::modifier(m).unwrap_or_else(|| panic!("unknown modifier {m:?}"));
                self.keycode(sym).0
            })
            .collect();
        self.fake(xproto::MOTION_NOTIFY_EVENT, 0, from.0, from.1);
        for &m in &held {
            self.fake(xproto::KEY_PRESS_EVENT, m, 0, 0);
        }
        self.fake(xproto::BUTTON_PRESS_EVENT, button, 0, 0);
        self.round_trip();
        for step in 1..=4 {
            let x = from.0 + (to.0 - from.0) * step / 4;
            let y = from.1 + (to.1 - from.1) * step / 4;
            self.fake(xproto::MOTION_NOTIFY_EVENT, 0, x, y);
            self.round_trip();
        }
        self.fake(xproto::BUTTON_RELEASE_EVENT, button, 0, 0);
        for &m in held.iter().rev() {
            self.fake(xproto::KEY_RELEASE_EVENT, m, 0, 0);
        }
        self.round_trip();
    }

    /// Press (and keep pressed) a mouse button where the pointer is.
    pub fn button_press(&self, button: u8) {
        self.fake(xproto::BUTTON_PRESS_EVENT, button, 0, 0);
        self.round_trip();
    }

    /// Release a mouse button.
    pub fn button_release(&self, button: u8) {
        self.fake(xproto::BUTTON_RELEASE_EVENT, button, 0, 0);
        self.round_trip();
    }

    /// Move the pointer to (x, y) on the root window.
    pub fn move_pointer(&self, x: i32, y: i32) {
        self.fake(xproto::MOTION_NOTIFY_EVENT, 0, x, y);
        self.round_trip();
    }

    /// Move the pointer to (x, y) and click `button` (1 left, 2 middle, 3 right).
    pub fn click(&self, x: i32, y: i32, button: u8) {
        self.fake(xproto::MOTION_NOTIFY_EVENT, 0, x, y);
        self.fake(xproto::BUTTON_PRESS_EVENT, button, 0, 0);
        self.fake(xproto::BUTTON_RELEASE_EVENT, button, 0, 0);
        self.round_trip();
    }

    /// Like [`click`](Self::click) with modifiers held (e.g. a `mod4`+drag binding).
    pub fn click_with(&self, mods: &[&str], x: i32, y: i32, button: u8) {
        let held: Vec<u8> = mods
            .iter()
            .map(|m| {
                let sym = keysym::modifier(m).unwrap_or_else(|| panic!("unknown modifier {m:?}"));
                self.keycode(sym).0
            })
            .collect();
        self.fake(xproto::MOTION_NOTIFY_EVENT, 0, x, y);
        for &m in &held {
            self.fake(xproto::KEY_PRESS_EVENT, m, 0, 0);
        }
        self.fake(xproto::BUTTON_PRESS_EVENT, button, 0, 0);
        self.fake(xproto::BUTTON_RELEASE_EVENT, button, 0, 0);
        for &m in held.iter().rev() {
            self.fake(xproto::KEY_RELEASE_EVENT, m, 0, 0);
        }
        self.round_trip();
    }

    /// Put each pair of keysyms (unshifted, shifted) on a keycode that has no keysym yet,
    /// as a keyboard layout would have them; the keycodes used, in order (fewer when the
    /// server has fewer spare keycodes). Other clients get a MappingNotify.
    pub fn bind_spare_keycodes(&self, syms: &[[u32; 2]]) -> Vec<u8> {
        let (min, map) = self.keyboard_mapping();
        let per = usize::from(map.keysyms_per_keycode).max(2);
        let spare: Vec<u8> = map
            .keysyms
            .chunks(per)
            .enumerate()
            .filter(|(_, row)| row.iter().all(|&s| s == 0))
            .map(|(i, _)| min + i as u8)
            .take(syms.len())
            .collect();
        for (&code, pair) in spare.iter().zip(syms) {
            let mut row = vec![0u32; per];
            row[..2].copy_from_slice(pair);
            self.check(
                self.conn.change_keyboard_mapping(1, code, per as u8, &row),
                "change_keyboard_mapping",
            );
        }
        self.round_trip();
        spare
    }

    /// Press and release the key with this keycode through XTEST, with Shift held when
    /// `shift` (for keys bound with [`bind_spare_keycodes`](Self::bind_spare_keycodes)).
    pub fn press_keycode(&self, code: u8, shift: bool) {
        let shift = shift.then(|| {
            self.keycode(keysym::from_name("Shift_L").unwrap_or(0xffe1))
                .0
        });
        if let Some(s) = shift {
            self.fake(xproto::KEY_PRESS_EVENT, s, 0, 0);
        }
        self.fake(xproto::KEY_PRESS_EVENT, code, 0, 0);
        self.fake(xproto::KEY_RELEASE_EVENT, code, 0, 0);
        if let Some(s) = shift {
            self.fake(xproto::KEY_RELEASE_EVENT, s, 0, 0);
        }
        self.round_trip();
    }

    fn fake(&self, type_: u8, detail: u8, x: i32, y: i32) {
        let (x, y) = (clamp_i16(x), clamp_i16(y));
        self.check(
            self.conn
                .xtest_fake_input(type_, detail, CURRENT_TIME, self.root, x, y, 0),
            "xtest_fake_input",
        );
    }

    /// The server's whole keyboard mapping, and its first keycode.
    fn keyboard_mapping(&self) -> (u8, xproto::GetKeyboardMappingReply) {
        let setup = self.conn.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let reply = self
            .conn
            .get_keyboard_mapping(min, max - min + 1)
            .map_err(x11rb::errors::ReplyError::from)
            .and_then(|c| c.reply())
            .unwrap_or_else(|e| panic!("get_keyboard_mapping: {e}"));
        (min, reply)
    }

    /// The keycode producing `sym`, and whether Shift is needed for it.
    fn keycode(&self, sym: u32) -> (u8, bool) {
        let map = self.keymap.get_or_init(|| {
            let (min, reply) = self.keyboard_mapping();
            Keymap {
                min_keycode: min,
                per_keycode: reply.keysyms_per_keycode.max(1).into(),
                keysyms: reply.keysyms,
            }
        });
        // Prefer a key where the symbol needs no Shift (column 0), else take column 1.
        for column in [0, 1] {
            let found = map
                .keysyms
                .chunks(map.per_keycode)
                .position(|syms| syms.get(column) == Some(&sym));
            if let Some(i) = found {
                let code = u8::try_from(usize::from(map.min_keycode) + i)
                    .unwrap_or_else(|_| panic!("keycode for keysym {sym:#x} out of range"));
                return (code, column == 1);
            }
        }
        panic!("keysym {sym:#x} is not in the server's keymap")
    }

    // ----- events ----------------------------------------------------------------------

    /// Whether this client answers WM_DELETE_WINDOW by destroying the window, as real
    /// applications do (on by default).
    pub fn answer_delete_window(&self, yes: bool) {
        self.answer_delete.set(yes);
    }

    /// Read every event queued for this client, answering WM_DELETE_WINDOW as configured.
    /// Returns how many were read. Tests call it through the helpers below, typically
    /// inside [`crate::Session::wait_for`].
    pub fn process_events(&self) -> usize {
        // A round trip first: every event the server sent before now is then read (events
        // that arrive before a reply are queued by the connection).
        if let Ok(cookie) = self.conn.get_input_focus() {
            let _ = cookie.reply();
        }
        let mut count = 0;
        let mut answered = false;
        while let Ok(Some(event)) = self.conn.poll_for_event() {
            count += 1;
            if let Event::ClientMessage(msg) = &event {
                self.client_messages.borrow_mut().push(*msg);
                let data = msg.data.as_data32();
                if msg.type_ == self.atoms.WM_PROTOCOLS
                    && data[0] == self.atoms.WM_DELETE_WINDOW
                    && self.answer_delete.get()
                {
                    let _ = self.conn.destroy_window(msg.window);
                    answered = true;
                }
            }
            self.events.borrow_mut().push(event);
        }
        // Once this returns, the server has processed the answers (not merely received them).
        if answered {
            if let Ok(cookie) = self.conn.get_input_focus() {
                let _ = cookie.reply();
            }
        }
        count
    }

    /// Windows for which a WM_DELETE_WINDOW message arrived, oldest first.
    pub fn delete_requests(&self) -> Vec<Window> {
        self.protocol_messages(self.atoms.WM_DELETE_WINDOW)
    }

    /// Windows for which a WM_TAKE_FOCUS message arrived, oldest first.
    pub fn take_focus_requests(&self) -> Vec<Window> {
        self.protocol_messages(self.atoms.WM_TAKE_FOCUS)
    }

    fn protocol_messages(&self, protocol: Atom) -> Vec<Window> {
        self.process_events();
        self.client_messages
            .borrow()
            .iter()
            .filter(|m| m.type_ == self.atoms.WM_PROTOCOLS && m.data.as_data32()[0] == protocol)
            .map(|m| m.window)
            .collect()
    }

    /// Every ClientMessage received so far.
    pub fn client_messages(&self) -> Vec<ClientMessageEvent> {
        self.process_events();
        self.client_messages.borrow().clone()
    }

    /// Every event received since the last call, removed from the log.
    pub fn take_events(&self) -> Vec<Event> {
        self.process_events();
        std::mem::take(&mut *self.events.borrow_mut())
    }

    // ----- plumbing --------------------------------------------------------------------

    fn flush(&self) {
        if let Err(e) = self.conn.flush() {
            panic!("flushing the test client's connection: {e}");
        }
    }

    fn check<T>(&self, result: Result<T, x11rb::errors::ConnectionError>, what: &str) -> T {
        result.unwrap_or_else(|e| panic!("{what}: the test client's connection failed: {e}"))
    }

    fn write_title(&self, win: Window, title: &str) {
        // WM_NAME is Latin-1 (STRING); keep it ASCII and let _NET_WM_NAME carry UTF-8.
        let latin: Vec<u8> = title
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect();
        self.set_property8(
            win,
            AtomEnum::WM_NAME.into(),
            AtomEnum::STRING.into(),
            &latin,
        );
        self.set_property8(
            win,
            self.atoms._NET_WM_NAME,
            self.atoms.UTF8_STRING,
            title.as_bytes(),
        );
    }

    fn next_color(&self) -> u32 {
        let n = self.windows_made.get().wrapping_add(1);
        self.windows_made.set(n);
        // Distinct, fairly bright colours so screenshots of a failing run are readable.
        n.wrapping_mul(0x9e37_79b9).rotate_left(7) & 0x00ff_ffff | 0x0040_4040
    }
}

fn first_nonzero(values: Vec<u32>) -> Option<u32> {
    values.first().copied().filter(|&v| v != 0)
}

fn clamp_i16(v: i32) -> i16 {
    v.clamp(i16::MIN.into(), i16::MAX.into()) as i16
}

/// Describes a test window: what a real application would set before mapping it.
/// Defaults: 200x150 at (0, 0), title "test window", class "oxtile-test"/"OxtileTest",
/// type normal, WM_DELETE_WINDOW supported, input hint true.
pub struct WindowBuilder<'c> {
    client: &'c TestClient,
    rect: Rect,
    title: String,
    instance: String,
    class: String,
    window_type: Option<WindowType>,
    strut: Option<[u32; 4]>,
    hints: WmSizeHints,
    transient_for: Option<Window>,
    delete_window: bool,
    take_focus: bool,
    fullscreen: bool,
    urgent: bool,
    override_redirect: bool,
    strut_partial: Option<[u32; 12]>,
    pid: Option<u32>,
    machine: Option<String>,
}

impl<'c> WindowBuilder<'c> {
    fn new(client: &'c TestClient) -> Self {
        WindowBuilder {
            client,
            rect: Rect::new(0, 0, 200, 150),
            title: "test window".into(),
            instance: "oxtile-test".into(),
            class: "OxtileTest".into(),
            window_type: None,
            strut: None,
            hints: WmSizeHints::new(),
            transient_for: None,
            delete_window: true,
            take_focus: false,
            fullscreen: false,
            urgent: false,
            override_redirect: false,
            strut_partial: None,
            pid: None,
            machine: None,
        }
    }

    /// A dock with exactly this `_NET_WM_STRUT_PARTIAL` (left, right, top, bottom, then
    /// the start and end of each edge's range), and no `_NET_WM_STRUT`.
    pub fn strut_partial(mut self, values: [u32; 12]) -> Self {
        self.window_type = Some(WindowType::Dock);
        self.strut_partial = Some(values);
        self
    }

    /// `_NET_WM_PID` and `WM_CLIENT_MACHINE`.
    pub fn process(mut self, pid: u32, machine: &str) -> Self {
        self.pid = Some(pid);
        self.machine = Some(machine.into());
        self
    }

    /// Title (WM_NAME and _NET_WM_NAME).
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.into();
        self
    }

    /// WM_CLASS instance and class.
    pub fn class(mut self, instance: &str, class: &str) -> Self {
        self.instance = instance.into();
        self.class = class.into();
        self
    }

    /// Initial geometry of the window (what CreateWindow gets; no size hint).
    pub fn geometry(mut self, rect: Rect) -> Self {
        self.rect = rect;
        self
    }

    /// Initial size.
    pub fn size(mut self, w: u32, h: u32) -> Self {
        self.rect.w = w;
        self.rect.h = h;
        self
    }

    /// Initial position, also announced as user-specified in WM_NORMAL_HINTS (USPosition).
    pub fn position(mut self, x: i32, y: i32) -> Self {
        self.rect.x = x;
        self.rect.y = y;
        self.hints.position = Some((WmSizeHintsSpecification::UserSpecified, x, y));
        self
    }

    /// Announce the initial size as program-specified in WM_NORMAL_HINTS (PSize).
    pub fn size_hint(mut self) -> Self {
        let (w, h) = (self.rect.w as i32, self.rect.h as i32);
        self.hints.size = Some((WmSizeHintsSpecification::ProgramSpecified, w, h));
        self
    }

    /// WM_NORMAL_HINTS minimum size.
    pub fn min_size(mut self, w: i32, h: i32) -> Self {
        self.hints.min_size = Some((w, h));
        self
    }

    /// WM_NORMAL_HINTS maximum size.
    pub fn max_size(mut self, w: i32, h: i32) -> Self {
        self.hints.max_size = Some((w, h));
        self
    }

    /// WM_NORMAL_HINTS resize increments.
    pub fn resize_inc(mut self, w: i32, h: i32) -> Self {
        self.hints.size_increment = Some((w, h));
        self
    }

    /// A fixed-size window: initial size w x h, and min size = max size = w x h.
    pub fn fixed_size(self, w: u32, h: u32) -> Self {
        self.size(w, h)
            .min_size(w as i32, h as i32)
            .max_size(w as i32, h as i32)
    }

    /// `_NET_WM_WINDOW_TYPE`.
    pub fn window_type(mut self, window_type: WindowType) -> Self {
        self.window_type = Some(window_type);
        self
    }

    /// A dock reserving space: type dock plus `_NET_WM_STRUT` / `_NET_WM_STRUT_PARTIAL`
    /// with these left, right, top and bottom widths (partial struts span the whole edge).
    pub fn dock_strut(mut self, left: u32, right: u32, top: u32, bottom: u32) -> Self {
        self.window_type = Some(WindowType::Dock);
        self.strut = Some([left, right, top, bottom]);
        self
    }

    /// `WM_TRANSIENT_FOR`.
    pub fn transient_for(mut self, parent: Window) -> Self {
        self.transient_for = Some(parent);
        self
    }

    /// Whether WM_PROTOCOLS lists WM_DELETE_WINDOW (default yes).
    pub fn delete_window(mut self, yes: bool) -> Self {
        self.delete_window = yes;
        self
    }

    /// Whether WM_PROTOCOLS lists WM_TAKE_FOCUS (default no).
    pub fn take_focus(mut self, yes: bool) -> Self {
        self.take_focus = yes;
        self
    }

    /// Start in `_NET_WM_STATE_FULLSCREEN`.
    pub fn fullscreen(mut self) -> Self {
        self.fullscreen = true;
        self
    }

    /// Start with the urgency hint set.
    pub fn urgent(mut self) -> Self {
        self.urgent = true;
        self
    }

    /// Make the window override-redirect (a popup the window manager must leave alone).
    pub fn override_redirect(mut self) -> Self {
        self.override_redirect = true;
        self
    }

    /// Create the window and set its properties, without mapping it; returns its id once
    /// the server has processed everything.
    pub fn create(self) -> Window {
        let win = self.send_create();
        self.client.round_trip();
        win
    }

    /// Create, set properties, map; returns the window id after a round trip (the window
    /// manager has then been sent the MapRequest).
    pub fn map(self) -> Window {
        let client = self.client;
        let win = self.map_no_wait();
        client.round_trip();
        win
    }

    /// Like [`map`](Self::map) but only flushes: for bursts of windows and for races with
    /// the window manager.
    pub fn map_no_wait(self) -> Window {
        let win = self.send_create();
        self.client
            .check(self.client.conn.map_window(win), "map_window");
        self.client.flush();
        win
    }

    fn send_create(&self) -> Window {
        let c = self.client;
        let conn = &c.conn;
        let atoms = &c.atoms;
        let win = conn
            .generate_id()
            .unwrap_or_else(|e| panic!("generate_id: {e}"));
        let r = self.rect;
        let aux = CreateWindowAux::new()
            .background_pixel(c.next_color())
            .override_redirect(u32::from(self.override_redirect))
            .event_mask(
                EventMask::STRUCTURE_NOTIFY | EventMask::PROPERTY_CHANGE | EventMask::FOCUS_CHANGE,
            );
        c.check(
            conn.create_window(
                x11rb::COPY_DEPTH_FROM_PARENT,
                win,
                c.root,
                clamp_i16(r.x),
                clamp_i16(r.y),
                r.w.clamp(1, 0xffff) as u16,
                r.h.clamp(1, 0xffff) as u16,
                0,
                WindowClass::INPUT_OUTPUT,
                x11rb::COPY_FROM_PARENT,
                &aux,
            ),
            "create_window",
        );
        c.write_title(win, &self.title);
        let class = format!("{}\0{}\0", self.instance, self.class);
        c.set_property8(
            win,
            AtomEnum::WM_CLASS.into(),
            AtomEnum::STRING.into(),
            class.as_bytes(),
        );

        let mut protocols = Vec::new();
        if self.delete_window {
            protocols.push(atoms.WM_DELETE_WINDOW);
        }
        if self.take_focus {
            protocols.push(atoms.WM_TAKE_FOCUS);
        }
        if !protocols.is_empty() {
            c.set_property32(win, atoms.WM_PROTOCOLS, AtomEnum::ATOM.into(), &protocols);
        }
        let wm_hints = WmHints {
            input: Some(true),
            urgent: self.urgent,
            ..WmHints::new()
        };
        c.check(wm_hints.set(conn, win), "set WM_HINTS");
        let h = &self.hints;
        if h.position.is_some()
            || h.size.is_some()
            || h.min_size.is_some()
            || h.max_size.is_some()
            || h.size_increment.is_some()
        {
            c.check(h.set_normal_hints(conn, win), "set WM_NORMAL_HINTS");
        }
        if let Some(t) = self.window_type {
            let atom = match t {
                WindowType::Normal => atoms._NET_WM_WINDOW_TYPE_NORMAL,
                WindowType::Dialog => atoms._NET_WM_WINDOW_TYPE_DIALOG,
                WindowType::Utility => atoms._NET_WM_WINDOW_TYPE_UTILITY,
                WindowType::Splash => atoms._NET_WM_WINDOW_TYPE_SPLASH,
                WindowType::Dock => atoms._NET_WM_WINDOW_TYPE_DOCK,
                WindowType::Desktop => atoms._NET_WM_WINDOW_TYPE_DESKTOP,
                WindowType::Notification => atoms._NET_WM_WINDOW_TYPE_NOTIFICATION,
                WindowType::Tooltip => atoms._NET_WM_WINDOW_TYPE_TOOLTIP,
                WindowType::PopupMenu => atoms._NET_WM_WINDOW_TYPE_POPUP_MENU,
            };
            c.set_property32(
                win,
                atoms._NET_WM_WINDOW_TYPE,
                AtomEnum::ATOM.into(),
                &[atom],
            );
        }
        if let Some([left, right, top, bottom]) = self.strut {
            let cardinal = AtomEnum::CARDINAL.into();
            c.set_property32(
                win,
                atoms._NET_WM_STRUT,
                cardinal,
                &[left, right, top, bottom],
            );
            let (w, h) = (crate::SCREEN_WIDTH - 1, crate::SCREEN_HEIGHT - 1);
            let partial = [left, right, top, bottom, 0, h, 0, h, 0, w, 0, w];
            c.set_property32(win, atoms._NET_WM_STRUT_PARTIAL, cardinal, &partial);
        }
        if let Some(values) = self.strut_partial {
            let cardinal = AtomEnum::CARDINAL.into();
            c.set_property32(win, atoms._NET_WM_STRUT_PARTIAL, cardinal, &values);
        }
        if let Some(pid) = self.pid {
            c.set_property32(win, atoms._NET_WM_PID, AtomEnum::CARDINAL.into(), &[pid]);
        }
        if let Some(machine) = &self.machine {
            c.set_property8(
                win,
                atoms.WM_CLIENT_MACHINE,
                AtomEnum::STRING.into(),
                machine.as_bytes(),
            );
        }
        if let Some(parent) = self.transient_for {
            c.set_property32(
                win,
                AtomEnum::WM_TRANSIENT_FOR.into(),
                AtomEnum::WINDOW.into(),
                &[parent],
            );
        }
        if self.fullscreen {
            c.set_property32(
                win,
                atoms._NET_WM_STATE,
                AtomEnum::ATOM.into(),
                &[atoms._NET_WM_STATE_FULLSCREEN],
            );
        }
        win
    }
}
