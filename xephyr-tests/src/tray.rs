//! A test tray icon and a stand-in foreign tray, each on its own X connection (as a real
//! applet is its own client): an icon docks through `_NET_SYSTEM_TRAY_OPCODE`, publishes
//! `_XEMBED_INFO`, shows or hides itself through `XEMBED_MAPPED`, hears
//! `XEMBED_EMBEDDED_NOTIFY`, and dies by closing its connection. Modelled on awesome's
//! `tests/test-systray.c`.

use std::cell::RefCell;

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, CreateWindowAux, EventMask, PropMode, Window,
    WindowClass,
};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;
use x11rb::CURRENT_TIME;

use crate::geometry::Rect;

mod atoms {
    #![allow(missing_docs)]
    x11rb::atom_manager! {
        /// The tray protocol's atoms, interned when an icon or tray connects.
        pub TrayAtoms: TrayAtomsCookie {
            MANAGER,
            _NET_SYSTEM_TRAY_S0,
            _NET_SYSTEM_TRAY_OPCODE,
            _NET_SYSTEM_TRAY_ORIENTATION,
            _NET_SYSTEM_TRAY_VISUAL,
            _NET_SYSTEM_TRAY_COLORS,
            _NET_SYSTEM_TRAY_MESSAGE_DATA,
            _NET_WM_CM_S0,
            _XEMBED,
            _XEMBED_INFO,
        }
    }
}
pub use atoms::TrayAtoms;

/// `SYSTEM_TRAY_REQUEST_DOCK`.
pub const REQUEST_DOCK: u32 = 0;
/// `SYSTEM_TRAY_BEGIN_MESSAGE`.
pub const BEGIN_MESSAGE: u32 = 1;
/// `SYSTEM_TRAY_CANCEL_MESSAGE`.
pub const CANCEL_MESSAGE: u32 = 2;

fn connect(display: &str) -> (RustConnection, Window, TrayAtoms) {
    let (conn, screen) = RustConnection::connect(Some(display))
        .unwrap_or_else(|e| panic!("tray client cannot connect to {display}: {e}"));
    let root = conn.setup().roots[screen].root;
    let atoms = TrayAtoms::new(&conn)
        .map_err(x11rb::errors::ReplyError::from)
        .and_then(|c| c.reply())
        .unwrap_or_else(|e| panic!("cannot intern the tray atoms: {e}"));
    (conn, root, atoms)
}

fn round_trip(conn: &RustConnection) {
    conn.get_input_focus()
        .map_err(x11rb::errors::ReplyError::from)
        .and_then(|c| c.reply())
        .unwrap_or_else(|e| panic!("X round trip failed: {e}"));
}

/// The owner of `_NET_SYSTEM_TRAY_S0` (0 when none).
fn tray_owner(conn: &RustConnection, atoms: &TrayAtoms) -> Window {
    conn.get_selection_owner(atoms._NET_SYSTEM_TRAY_S0)
        .map_err(x11rb::errors::ReplyError::from)
        .and_then(|c| c.reply())
        .map_or(0, |r| r.owner)
}

/// How to make a [`TrayIcon`]; see [`TrayIcon::builder`].
#[derive(Debug, Clone)]
pub struct IconBuilder {
    display: String,
    class: String,
    size: (u16, u16),
    color: u32,
    xembed: Option<bool>,
}

impl IconBuilder {
    /// WM_CLASS class (the instance is its lowercase).
    pub fn class(mut self, class: &str) -> Self {
        self.class = class.into();
        self
    }

    /// The icon window's own size before docking (default 16x16).
    pub fn size(mut self, w: u16, h: u16) -> Self {
        self.size = (w, h);
        self
    }

    /// The colour (0xRRGGBB) of the square drawn in the middle of the icon.
    pub fn color(mut self, rgb: u32) -> Self {
        self.color = rgb;
        self
    }

    /// `_XEMBED_INFO` with this XEMBED_MAPPED flag (default: mapped); `None` leaves the
    /// property out, as old applets do.
    pub fn xembed(mut self, mapped: Option<bool>) -> Self {
        self.xembed = mapped;
        self
    }

    /// Connect and create the (unmapped) icon window; it does not dock yet.
    pub fn create(self) -> TrayIcon {
        let (conn, root, atoms) = connect(&self.display);
        let window = conn.generate_id().expect("id");
        let (w, h) = self.size;
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            root,
            0,
            0,
            w.max(1),
            h.max(1),
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new().event_mask(EventMask::STRUCTURE_NOTIFY),
        )
        .expect("create icon window");
        // The drawing: a square of colour in the middle (a child window, so the server
        // paints it without this client running an event loop). The rest of the icon is
        // whatever background the tray gives it.
        let (cw, ch) = ((w / 2).max(1), (h / 2).max(1));
        let content = conn.generate_id().expect("id");
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            content,
            window,
            ((w - cw) / 2) as i16,
            ((h - ch) / 2) as i16,
            cw,
            ch,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new().background_pixel(self.color),
        )
        .expect("create icon content");
        conn.map_window(content).expect("map content");
        let instance = self.class.to_lowercase();
        let class = format!("{instance}\0{}\0", self.class);
        conn.change_property8(
            PropMode::REPLACE,
            window,
            AtomEnum::WM_CLASS,
            AtomEnum::STRING,
            class.as_bytes(),
        )
        .expect("WM_CLASS");
        let icon = TrayIcon {
            conn,
            root,
            atoms,
            window,
            events: RefCell::default(),
        };
        if let Some(mapped) = self.xembed {
            icon.set_mapped(mapped);
        }
        round_trip(&icon.conn);
        icon
    }
}

/// A tray icon: its own connection and window, as an applet has.
pub struct TrayIcon {
    conn: RustConnection,
    root: Window,
    atoms: TrayAtoms,
    window: Window,
    events: RefCell<Vec<Event>>,
}

impl TrayIcon {
    /// Start describing an icon on `display`.
    pub fn builder(display: &str) -> IconBuilder {
        IconBuilder {
            display: display.into(),
            class: "TestIcon".into(),
            size: (16, 16),
            color: 0xff0000,
            xembed: Some(true),
        }
    }

    /// An icon of this class and colour, docked.
    pub fn docked(display: &str, class: &str, color: u32) -> TrayIcon {
        let icon = Self::builder(display).class(class).color(color).create();
        icon.dock();
        icon
    }

    /// The icon window.
    pub fn window(&self) -> Window {
        self.window
    }

    /// The pre-interned atoms.
    pub fn atoms(&self) -> &TrayAtoms {
        &self.atoms
    }

    /// The connection (for requests this type has no helper for).
    pub fn conn(&self) -> &RustConnection {
        &self.conn
    }

    /// The tray that owns `_NET_SYSTEM_TRAY_S0`, 0 if none.
    pub fn manager(&self) -> Window {
        tray_owner(&self.conn, &self.atoms)
    }

    /// Ask the tray to dock this icon (SYSTEM_TRAY_REQUEST_DOCK); panics without a tray.
    pub fn dock(&self) {
        let tray = self.manager();
        assert_ne!(tray, 0, "no tray owns _NET_SYSTEM_TRAY_S0");
        self.opcode(tray, [CURRENT_TIME, REQUEST_DOCK, self.window, 0, 0]);
    }

    /// Send a `_NET_SYSTEM_TRAY_OPCODE` message with any data to `dest` (garbage too).
    pub fn opcode(&self, dest: Window, data: [u32; 5]) {
        self.message(dest, 32, self.atoms._NET_SYSTEM_TRAY_OPCODE, data);
    }

    /// Send a ClientMessage of any format and type to `dest` (the `window` field is this
    /// icon, as balloon messages have it); data is cut to the format.
    pub fn message(&self, dest: Window, format: u8, type_: u32, data: [u32; 5]) {
        let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        let payload: x11rb::protocol::xproto::ClientMessageData = match format {
            8 => {
                let mut b = [0u8; 20];
                b.copy_from_slice(&bytes);
                b.into()
            }
            16 => {
                let mut s = [0u16; 10];
                for (i, c) in bytes.chunks_exact(2).enumerate() {
                    s[i] = u16::from_le_bytes([c[0], c[1]]);
                }
                s.into()
            }
            _ => data.into(),
        };
        let ev = ClientMessageEvent::new(format, self.window, type_, payload);
        self.conn
            .send_event(false, dest, EventMask::NO_EVENT, ev)
            .expect("send_event");
        round_trip(&self.conn);
    }

    /// Set `_XEMBED_INFO` (version 0) with this XEMBED_MAPPED flag.
    pub fn set_mapped(&self, mapped: bool) {
        self.conn
            .change_property32(
                PropMode::REPLACE,
                self.window,
                self.atoms._XEMBED_INFO,
                self.atoms._XEMBED_INFO,
                &[0, u32::from(mapped)],
            )
            .expect("_XEMBED_INFO");
        round_trip(&self.conn);
    }

    /// Map or unmap the icon window itself (what an applet that hides does).
    pub fn map_self(&self, map: bool) {
        if map {
            self.conn.map_window(self.window).expect("map");
        } else {
            self.conn.unmap_window(self.window).expect("unmap");
        }
        round_trip(&self.conn);
    }

    /// Destroy the icon window (the client lives on).
    pub fn destroy_window(&self) {
        self.conn.destroy_window(self.window).expect("destroy");
        round_trip(&self.conn);
    }

    /// The window's parent (the tray's window once docked), `None` when it is gone.
    pub fn parent(&self) -> Option<Window> {
        self.conn
            .query_tree(self.window)
            .ok()?
            .reply()
            .ok()
            .map(|t| t.parent)
    }

    /// Whether the icon is viewable (mapped, in a mapped tray).
    pub fn viewable(&self) -> bool {
        self.conn
            .get_window_attributes(self.window)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|a| a.map_state == x11rb::protocol::xproto::MapState::VIEWABLE)
    }

    /// The icon's rectangle in root coordinates, `None` when it is gone.
    pub fn geometry(&self) -> Option<Rect> {
        let geo = self.conn.get_geometry(self.window).ok()?;
        let pos = self
            .conn
            .translate_coordinates(self.window, self.root, 0, 0)
            .ok()?;
        let (geo, pos) = (geo.reply().ok()?, pos.reply().ok()?);
        Some(Rect::new(
            pos.dst_x.into(),
            pos.dst_y.into(),
            geo.width.into(),
            geo.height.into(),
        ))
    }

    fn drain(&self) {
        round_trip(&self.conn);
        while let Ok(Some(ev)) = self.conn.poll_for_event() {
            self.events.borrow_mut().push(ev);
        }
    }

    /// The last `XEMBED_EMBEDDED_NOTIFY` received: (embedder window, protocol version).
    pub fn embedded_notify(&self) -> Option<(Window, u32)> {
        self.drain();
        self.events.borrow().iter().rev().find_map(|ev| match ev {
            Event::ClientMessage(e) if e.type_ == self.atoms._XEMBED => {
                let d = e.data.as_data32();
                (d[1] == 0).then_some((d[3], d[4]))
            }
            _ => None,
        })
    }

    /// Close the connection: the server destroys the icon window, as when an applet dies.
    pub fn die(self) {
        drop(self);
    }
}

/// Another program's tray: a window owning `_NET_SYSTEM_TRAY_S0`, to see oxtile refuse it
/// politely or take over from it.
pub struct ForeignTray {
    conn: RustConnection,
    atoms: TrayAtoms,
    window: Window,
}

impl ForeignTray {
    /// Connect, create a window and own `_NET_SYSTEM_TRAY_S0` (the selection named
    /// `selection` instead, e.g. `_NET_WM_CM_S0` to pose as a compositor).
    pub fn own(display: &str, selection: Option<&str>) -> ForeignTray {
        let (conn, root, atoms) = connect(display);
        let window = conn.generate_id().expect("id");
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            root,
            -1,
            -1,
            1,
            1,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new().override_redirect(1),
        )
        .expect("create tray window");
        let sel = match selection {
            Some(name) => {
                conn.intern_atom(false, name.as_bytes())
                    .map_err(x11rb::errors::ReplyError::from)
                    .and_then(|c| c.reply())
                    .expect("intern")
                    .atom
            }
            None => atoms._NET_SYSTEM_TRAY_S0,
        };
        conn.set_selection_owner(window, sel, CURRENT_TIME)
            .expect("own");
        round_trip(&conn);
        ForeignTray {
            conn,
            atoms,
            window,
        }
    }

    /// Its window.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Who owns `_NET_SYSTEM_TRAY_S0` now.
    pub fn tray_owner(&self) -> Window {
        tray_owner(&self.conn, &self.atoms)
    }

    /// Whether a SelectionClear for `_NET_SYSTEM_TRAY_S0` arrived (another tray took it).
    pub fn selection_cleared(&self) -> bool {
        round_trip(&self.conn);
        let mut cleared = false;
        while let Ok(Some(ev)) = self.conn.poll_for_event() {
            if let Event::SelectionClear(e) = ev {
                cleared |= e.selection == self.atoms._NET_SYSTEM_TRAY_S0;
            }
        }
        cleared
    }

    /// Close the connection (its window, and so its selection, go away).
    pub fn quit(self) {
        drop(self);
    }
}

/// Watches the root for `MANAGER` announcements of `_NET_SYSTEM_TRAY_S0`, as an applet
/// waiting for a tray does.
pub struct ManagerWatch {
    conn: RustConnection,
    atoms: TrayAtoms,
    seen: RefCell<Vec<Window>>,
}

impl ManagerWatch {
    /// Start listening on `display`'s root.
    pub fn start(display: &str) -> ManagerWatch {
        let (conn, root, atoms) = connect(display);
        conn.change_window_attributes(
            root,
            &x11rb::protocol::xproto::ChangeWindowAttributesAux::new()
                .event_mask(EventMask::STRUCTURE_NOTIFY),
        )
        .expect("select on root");
        round_trip(&conn);
        ManagerWatch {
            conn,
            atoms,
            seen: RefCell::default(),
        }
    }

    /// Owner windows announced so far (data.l[2] of each MANAGER for our selection).
    pub fn announced(&self) -> Vec<Window> {
        round_trip(&self.conn);
        while let Ok(Some(ev)) = self.conn.poll_for_event() {
            if let Event::ClientMessage(e) = ev {
                let d = e.data.as_data32();
                if e.type_ == self.atoms.MANAGER && d[1] == self.atoms._NET_SYSTEM_TRAY_S0 {
                    self.seen.borrow_mut().push(d[2]);
                }
            }
        }
        self.seen.borrow().clone()
    }
}
