//! The system tray: the freedesktop System Tray protocol over XEMBED. This file owns the
//! `_NET_SYSTEM_TRAY_S<screen>` selection, docks icons into a window of ours that sits
//! inside the bar at the systray widget's rectangle, follows `_XEMBED_INFO`, and hands the
//! icons back (to the root, out of the save-set) when oxtile stops, reloads without a tray,
//! or another tray takes over.
//!
//! The split follows awesome's: the `Systray` widget only reserves room; the bar says
//! where the tray goes ([`X11::tray_place`]) and reads the icon count back
//! ([`X11::tray_count`]). Events reach the tray first ([`X11::tray_events`], called at
//! the top of `X11::decode`); what it does not own goes on to the core.
//!
//! Protocol choices (docs/tray.md has the long form):
//! - The timestamp for the selection comes from a PropertyNotify on the tray window: the
//!   acquisition waits for that event in the loop instead of blocking on it.
//! - `_NET_SYSTEM_TRAY_VISUAL` is a 32-bit ARGB visual only when a compositing manager
//!   owns `_NET_WM_CM_S<screen>`: without one, ARGB icons show black where they are
//!   transparent, while icons of the default visual get the bar's colour behind them
//!   (their background is set to ParentRelative over the tray window's bar colour).
//! - BEGIN_MESSAGE / CANCEL_MESSAGE and `_NET_SYSTEM_TRAY_MESSAGE_DATA` are accepted and
//!   dropped (logged at debug): balloon messages are the notification daemon's job.
//! - Across `oxtile cmd restart` the icons are parked on the root (unmapped) and listed in
//!   `_OXTILE_TRAY_ICONS`; the next oxtile docks them again before it announces MANAGER,
//!   so clients that do not re-dock keep their icons too; those that do are "already
//!   docked" and ignored.

use serde_json::{json, Value};
use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::properties::WmClass;
use x11rb::protocol::xproto::{
    self, Atom, AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConfigureWindowAux,
    ConnectionExt as _, CreateWindowAux, EventMask, MapState, PropMode, SetMode, VisualClass,
    Window, WindowClass,
};
use x11rb::protocol::{ErrorKind, Event};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;
use x11rb::{CURRENT_TIME, NONE};

use super::X11;
use crate::core::geometry::Rect;

super::atoms::atom_table! {
    /// The tray's atoms, interned in one round trip when a tray is first configured.
    pub TrayAtoms: TrayAtomsCookie {
        MANAGER,
        _NET_SYSTEM_TRAY_OPCODE,
        _NET_SYSTEM_TRAY_ORIENTATION,
        _NET_SYSTEM_TRAY_VISUAL,
        _NET_SYSTEM_TRAY_COLORS,
        _NET_SYSTEM_TRAY_MESSAGE_DATA,
        _XEMBED,
        _XEMBED_INFO,
        _OXTILE_TRAY_ICONS,
        _OXTILE_TRAY_TIME,
    }
}

/// `_NET_SYSTEM_TRAY_OPCODE` opcodes.
const REQUEST_DOCK: u32 = 0;
const BEGIN_MESSAGE: u32 = 1;
const CANCEL_MESSAGE: u32 = 2;
/// XEMBED message and flag.
const XEMBED_EMBEDDED_NOTIFY: u32 = 0;
const XEMBED_MAPPED: u32 = 1;
/// The XEMBED protocol version we speak (the spec's current one).
const XEMBED_VERSION: u32 = 0;
/// `background_pixmap` value meaning ParentRelative.
const PARENT_RELATIVE: u32 = 1;
/// At most this many icons are docked (a client flooding dock requests cannot make the
/// tray take the whole bar or the loop spend its time laying out icons).
const MAX_ICONS: usize = 256;

/// In which order icons sit in the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrayOrder {
    /// In the order they docked.
    #[default]
    Arrival,
    /// By WM_CLASS class (case-insensitively), then instance, then arrival.
    Class,
}

impl TrayOrder {
    fn name(self) -> &'static str {
        match self {
            TrayOrder::Arrival => "arrival",
            TrayOrder::Class => "class",
        }
    }
}

/// What the config says about the tray (from the hosting `systray` widget's options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrayConfig {
    /// Icon order.
    pub order: TrayOrder,
    /// Take the selection from another tray that owns it.
    pub take_over: bool,
    /// The bar's text colour (0xRRGGBB), published in `_NET_SYSTEM_TRAY_COLORS`.
    pub foreground: u32,
}

/// Where the tray sits, as the bar laid it out this turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrayPlace {
    /// The bar window that holds the tray.
    pub bar: Window,
    /// The bar's top-left corner in root coordinates (for the geometry oxtile reports).
    pub origin: (i32, i32),
    /// The systray widget's rectangle, bar-local.
    pub rect: Rect,
    /// Each icon's square slot, in pixels.
    pub icon_size: u32,
    /// Pixels after each icon.
    pub spacing: u32,
    /// The bar is vertical (left or right edge): icons go top to bottom.
    pub vertical: bool,
    /// The widget's background colour (0xRRGGBB), shown behind icons of the default visual.
    pub background: u32,
}

/// Where the tray stands with its selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Status {
    /// No systray widget in the config.
    #[default]
    Off,
    /// Waiting for the PropertyNotify that gives the selection's timestamp.
    Acquiring,
    /// We own the selection (since this server time).
    Running { time: u32 },
    /// Another tray owns the selection (`lost`: it took it from us); we watch its window
    /// and try again when it goes away.
    Refused { owner: Window, lost: bool },
}

/// One docked icon.
#[derive(Debug, Clone)]
struct Icon {
    window: Window,
    class: String,
    instance: String,
    arrival: u64,
    /// Its size when it docked: its aspect is kept.
    natural: (u32, u32),
    /// Depth differs from the tray's (an ARGB icon): no ParentRelative background.
    argb: bool,
    /// `_XEMBED_INFO`'s XEMBED_MAPPED (true when the property is missing).
    wants_mapped: bool,
    /// Mapped as far as we know (our own maps, and the client's own map/unmap).
    shown: bool,
    /// UnmapNotify events we caused and must not take as the client's.
    ignore_unmaps: u32,
    /// Tray-local geometry last configured.
    geometry: Rect,
}

/// The tray's state (one per X connection; lives in [`X11`]).
#[derive(Debug, Default)]
pub struct Tray {
    atoms: Option<TrayAtoms>,
    selection: Atom,
    cm_selection: Atom,
    config: Option<TrayConfig>,
    place: Option<TrayPlace>,
    status: Status,
    window: Window,
    /// The window the tray window is a child of (root when no bar holds it).
    parent: Window,
    mapped: bool,
    background: Option<u32>,
    icons: Vec<Icon>,
    arrivals: u64,
    visual: u32,
    /// Bumped whenever what [`X11::tray_json`] shows may have changed.
    generation: u64,
}

/// Replies needed to dock one window, requested before any is read.
struct DockCookies<'c> {
    window: Window,
    attrs: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetWindowAttributesReply>,
    geom: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetGeometryReply>,
    info: x11rb::cookie::Cookie<'c, RustConnection, xproto::GetPropertyReply>,
    class: x11rb::properties::WmClassCookie<'c, RustConnection>,
}

/// Work a batch of events leaves for after its loop (requests needing replies).
#[derive(Default)]
struct Batch {
    docks: Vec<Window>,
    infos: Vec<Window>,
    acquire: Option<u32>,
    retry: bool,
}

/// A ClientMessage the tray takes, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayMessage {
    /// `_NET_SYSTEM_TRAY_OPCODE` SYSTEM_TRAY_REQUEST_DOCK: dock this icon window.
    Dock(Window),
    /// BEGIN_MESSAGE or CANCEL_MESSAGE (balloons; ignored).
    Balloon(u32),
    /// An opcode the spec does not define.
    Unknown(u32),
    /// An opcode message not of format 32 (ignored).
    WrongFormat(u8),
    /// `_NET_SYSTEM_TRAY_MESSAGE_DATA`, or anything sent to the tray window (ignored).
    Data,
}

/// Whether a ClientMessage is the tray's, and what it asks; `None` for messages that go
/// on to the core. `tray_window` is the tray's own window.
pub fn tray_message(
    a: &TrayAtoms,
    tray_window: Window,
    e: &ClientMessageEvent,
) -> Option<TrayMessage> {
    if e.type_ == a._NET_SYSTEM_TRAY_OPCODE {
        if e.format != 32 {
            return Some(TrayMessage::WrongFormat(e.format));
        }
        let d = e.data.as_data32();
        return Some(match d[1] {
            REQUEST_DOCK => TrayMessage::Dock(d[2]),
            BEGIN_MESSAGE | CANCEL_MESSAGE => TrayMessage::Balloon(d[1]),
            other => TrayMessage::Unknown(other),
        });
    }
    (e.type_ == a._NET_SYSTEM_TRAY_MESSAGE_DATA || e.window == tray_window)
        .then_some(TrayMessage::Data)
}

/// A `_XEMBED_INFO` value: (version, XEMBED_MAPPED); missing means mapped.
pub(super) fn xembed_info(reply: Result<xproto::GetPropertyReply, ReplyError>) -> (u32, bool) {
    let values: Vec<u32> = reply
        .ok()
        .and_then(|r| r.value32().map(|v| v.collect()))
        .unwrap_or_default();
    match values.as_slice() {
        [version, flags, ..] => (*version, flags & XEMBED_MAPPED != 0),
        _ => (XEMBED_VERSION, true),
    }
}

/// Fit an icon of `natural` size into a `size` square, keeping its aspect.
fn fit(natural: (u32, u32), size: u32) -> (u32, u32) {
    let (w, h) = natural;
    let size = size.max(1);
    if w == 0 || h == 0 || w == h {
        return (size, size);
    }
    if w > h {
        (
            size,
            (u64::from(size) * u64::from(h) / u64::from(w)).max(1) as u32,
        )
    } else {
        (
            (u64::from(size) * u64::from(w) / u64::from(h)).max(1) as u32,
            size,
        )
    }
}

/// 16-bit colour channels of 0xRRGGBB, as `_NET_SYSTEM_TRAY_COLORS` wants them.
fn channels16(rgb: u32) -> [u32; 3] {
    [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff].map(|c| c * 0x101)
}

impl Tray {
    fn docked(&self, w: Window) -> Option<usize> {
        self.icons.iter().position(|i| i.window == w)
    }

    /// Icon indices in display order.
    fn ordered(&self, order: TrayOrder) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.icons.len()).collect();
        if order == TrayOrder::Class {
            idx.sort_by_cached_key(|&i| {
                let ic = &self.icons[i];
                (
                    ic.class.to_lowercase(),
                    ic.instance.to_lowercase(),
                    ic.arrival,
                )
            });
        }
        idx
    }

    fn running(&self) -> bool {
        matches!(self.status, Status::Running { .. })
    }
}

impl X11 {
    // ----- what the bar asks --------------------------------------------------------------

    /// The config changed: `Some` when a systray widget hosts the tray (the tray starts, or
    /// takes the new options), `None` when there is none (icons are handed back and the
    /// selection released).
    pub fn tray_configure(&mut self, config: Option<TrayConfig>) {
        let Some(config) = config else {
            if self.tray.status != Status::Off {
                self.tray_release(true);
                if self.tray.window != NONE {
                    let _ = self.conn.destroy_window(self.tray.window);
                }
                self.tray.window = NONE;
                self.tray.status = Status::Off;
                self.tray.generation += 1;
                self.tray.place = None;
                self.tray.config = None;
                tracing::info!("system tray: no systray widget in the config; tray stopped");
            }
            return;
        };
        let old = self.tray.config.replace(config);
        if let Err(e) = self.tray_start() {
            tracing::warn!("system tray: cannot start: {e}");
            return;
        }
        if old.is_some_and(|o| o.order != config.order) {
            self.tray_layout();
        }
        if old.is_some_and(|o| o.foreground != config.foreground) {
            self.tray_set_properties();
        }
        // take_over turned on while refused: try again now.
        if config.take_over
            && !old.is_some_and(|o| o.take_over)
            && matches!(self.tray.status, Status::Refused { .. })
        {
            self.tray_request_timestamp();
        }
    }

    /// Where the systray widget is this turn (`None`: the tray has no place on any bar).
    /// Cheap when nothing changed: no request is sent.
    pub fn tray_place(&mut self, place: Option<TrayPlace>) {
        if self.tray.window == NONE || self.tray.place == place {
            return;
        }
        let old = std::mem::replace(&mut self.tray.place, place);
        let c = &self.conn;
        let win = self.tray.window;
        let Some(p) = place else {
            if self.tray.mapped {
                let _ = c.unmap_window(win);
                self.tray.mapped = false;
            }
            return;
        };
        if self.tray.background != Some(p.background) {
            self.tray.background = Some(p.background);
            let _ = c.change_window_attributes(
                win,
                &ChangeWindowAttributesAux::new().background_pixel(p.background),
            );
            let _ = c.clear_area(true, win, 0, 0, 0, 0);
        }
        let (x, y) = (p.rect.x.clamp(-32768, 32767), p.rect.y.clamp(-32768, 32767));
        let visible = p.rect.w > 0 && p.rect.h > 0;
        if self.tray.parent != p.bar {
            if self.tray.mapped {
                let _ = c.unmap_window(win);
                self.tray.mapped = false;
            }
            let _ = c.reparent_window(win, p.bar, x as i16, y as i16);
            self.tray.parent = p.bar;
        }
        if visible {
            let _ = c.configure_window(
                win,
                &ConfigureWindowAux::new()
                    .x(x)
                    .y(y)
                    .width(p.rect.w.min(32767))
                    .height(p.rect.h.min(32767)),
            );
            if !self.tray.mapped {
                let _ = c.map_window(win);
                self.tray.mapped = true;
            }
        } else if self.tray.mapped {
            let _ = c.unmap_window(win);
            self.tray.mapped = false;
        }
        if old.is_none_or(|o| o.vertical != p.vertical) {
            self.tray_set_properties();
        }
        self.tray_layout();
    }

    /// Icons shown in the tray (what the systray widget makes room for): 0 unless we own
    /// the selection.
    pub fn tray_count(&self) -> u32 {
        self.tray.icons.iter().filter(|i| i.shown).count() as u32
    }

    /// Changes whenever [`X11::tray_json`] may say something new (so the bar asks for it
    /// only then, not every loop turn).
    pub fn tray_generation(&self) -> u64 {
        self.tray.generation
    }

    /// The tray for `oxtile cmd widgets --json`: status, window, selection, and every
    /// docked icon in display order with its window, class, root geometry and whether it
    /// is mapped.
    pub fn tray_json(&self) -> Value {
        let t = &self.tray;
        let (status, owner) = match t.status {
            Status::Off => ("off", None),
            Status::Acquiring => ("acquiring", None),
            Status::Running { .. } => ("running", None),
            Status::Refused { owner, lost: false } => ("refused", Some(owner)),
            Status::Refused { owner, lost: true } => ("lost", Some(owner)),
        };
        let order = t.config.map(|c| c.order).unwrap_or_default();
        let origin = t
            .place
            .map(|p| (p.origin.0 + p.rect.x, p.origin.1 + p.rect.y))
            .unwrap_or_default();
        let icons: Vec<Value> = t
            .ordered(order)
            .into_iter()
            .map(|i| {
                let ic = &t.icons[i];
                json!({
                    "window": ic.window,
                    "class": ic.class,
                    "instance": ic.instance,
                    "mapped": ic.shown,
                    "xembed_mapped": ic.wants_mapped,
                    "argb": ic.argb,
                    "x": origin.0 + ic.geometry.x,
                    "y": origin.1 + ic.geometry.y,
                    "width": ic.geometry.w,
                    "height": ic.geometry.h,
                })
            })
            .collect();
        json!({
            "status": status,
            "owner": owner,
            "window": t.window,
            "selection": format!("_NET_SYSTEM_TRAY_S{}", self.screen_num),
            "order": order.name(),
            "visual": t.visual,
            "count": self.tray_count(),
            "icons": icons,
        })
    }

    /// A bar window is about to be destroyed: take the tray window out of it first (the
    /// icons are its children and would die with it).
    pub(super) fn tray_detach(&mut self, bar: Window) {
        if self.tray.window == NONE || self.tray.parent != bar {
            return;
        }
        let c = &self.conn;
        if self.tray.mapped {
            let _ = c.unmap_window(self.tray.window);
            self.tray.mapped = false;
        }
        let _ = c.reparent_window(self.tray.window, self.root, -1, -1);
        self.tray.parent = self.root;
        self.tray.place = None;
    }

    /// oxtile is stopping (quit or restart): hand the icons back and list them on the root
    /// for the next oxtile.
    pub(super) fn tray_shutdown(&mut self) {
        if self.tray.status != Status::Off {
            self.tray_release(true);
            // Wait until the server has done it: the next oxtile (after an exec) must find
            // the icons parked and listed, and the server orders requests per client only.
            let _ = self
                .conn
                .get_input_focus()
                .map_err(ReplyError::from)
                .and_then(|k| k.reply());
        }
    }

    // ----- acquiring the selection -------------------------------------------------------

    fn tray_start(&mut self) -> Result<(), super::XError> {
        if self.tray.atoms.is_none() {
            let atoms = TrayAtoms::new(&self.conn)?;
            let sel = self.conn.intern_atom(
                false,
                format!("_NET_SYSTEM_TRAY_S{}", self.screen_num).as_bytes(),
            )?;
            let cm = self
                .conn
                .intern_atom(false, format!("_NET_WM_CM_S{}", self.screen_num).as_bytes())?;
            self.tray.atoms = Some(atoms.reply()?);
            self.tray.selection = sel.reply()?.atom;
            self.tray.cm_selection = cm.reply()?.atom;
        }
        if self.tray.window == NONE {
            let win = self.conn.generate_id()?;
            self.conn.create_window(
                x11rb::COPY_DEPTH_FROM_PARENT,
                win,
                self.root,
                -1,
                -1,
                1,
                1,
                0,
                WindowClass::INPUT_OUTPUT,
                x11rb::COPY_FROM_PARENT,
                &CreateWindowAux::new()
                    .override_redirect(1)
                    .event_mask(EventMask::PROPERTY_CHANGE),
            )?;
            self.conn.change_property8(
                PropMode::REPLACE,
                win,
                self.atoms.WM_CLASS,
                AtomEnum::STRING,
                b"oxtile-tray\0oxtile\0",
            )?;
            self.tray.window = win;
            self.tray.parent = self.root;
            self.tray.mapped = false;
            self.tray.background = None;
        }
        if self.tray.status == Status::Off {
            self.tray_request_timestamp();
        }
        Ok(())
    }

    /// Touch a property of the tray window: its PropertyNotify carries a server time to own
    /// the selection with (ICCCM forbids CurrentTime there).
    fn tray_request_timestamp(&mut self) {
        let Some(a) = self.tray.atoms else { return };
        let _ = self.conn.change_property8(
            PropMode::APPEND,
            self.tray.window,
            a._OXTILE_TRAY_TIME,
            AtomEnum::STRING,
            &[],
        );
        self.tray.status = Status::Acquiring;
        self.tray.generation += 1;
    }

    fn tray_acquire(&mut self, time: u32) {
        let Some(config) = self.tray.config else {
            return;
        };
        let sel = self.tray.selection;
        let win = self.tray.window;
        let owner = |c: &RustConnection| {
            c.get_selection_owner(sel)
                .map_err(ReplyError::from)
                .and_then(|k| k.reply())
                .map(|r| r.owner)
        };
        let current = match owner(&self.conn) {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!("system tray: cannot ask who owns the selection: {e}");
                return;
            }
        };
        if current != NONE && current != win && !config.take_over {
            tracing::warn!(
                "system tray: another tray (window {current:#x}) owns _NET_SYSTEM_TRAY_S{}; \
                 the systray widget stays empty (set take_over = true in \
                 oxtile.widget.systray{{}} to replace it)",
                self.screen_num
            );
            self.tray_watch_owner(current, false);
            return;
        }
        let _ = self.conn.set_selection_owner(win, sel, time);
        match owner(&self.conn) {
            Ok(o) if o == win => {}
            Ok(o) => {
                tracing::warn!(
                    "system tray: could not own _NET_SYSTEM_TRAY_S{} (window {o:#x} has it)",
                    self.screen_num
                );
                self.tray_watch_owner(o, false);
                return;
            }
            Err(e) => {
                tracing::warn!("system tray: cannot confirm the selection: {e}");
                return;
            }
        }
        if current != NONE && current != win {
            tracing::info!("system tray: took the selection over from window {current:#x}");
        }
        self.tray.status = Status::Running { time };
        self.tray.generation += 1;
        self.tray_set_properties();
        self.tray_adopt_parked();
        if let Some(a) = self.tray.atoms {
            let ev = ClientMessageEvent::new(32, self.root, a.MANAGER, [time, sel, win, 0, 0]);
            let _ = self
                .conn
                .send_event(false, self.root, EventMask::STRUCTURE_NOTIFY, ev);
        }
        tracing::info!(
            "system tray: owning _NET_SYSTEM_TRAY_S{} (window {win:#x})",
            self.screen_num
        );
    }

    /// Another tray has the selection: show nothing, and try again when its window goes.
    fn tray_watch_owner(&mut self, owner: Window, lost: bool) {
        self.tray.status = Status::Refused { owner, lost };
        self.tray.generation += 1;
        if owner != NONE {
            // An error for this request (the owner already gone) also means "try again".
            let _ = self.conn.change_window_attributes(
                owner,
                &ChangeWindowAttributesAux::new().event_mask(EventMask::STRUCTURE_NOTIFY),
            );
        }
    }

    /// Publish orientation, visual and colours on the tray window.
    fn tray_set_properties(&mut self) {
        let (Some(a), true) = (self.tray.atoms, self.tray.running()) else {
            return;
        };
        let c = &self.conn;
        let win = self.tray.window;
        let vertical = self.tray.place.is_some_and(|p| p.vertical);
        let _ = c.change_property32(
            PropMode::REPLACE,
            win,
            a._NET_SYSTEM_TRAY_ORIENTATION,
            AtomEnum::CARDINAL,
            &[u32::from(vertical)],
        );
        self.tray.visual = self.tray_visual();
        let _ = c.change_property32(
            PropMode::REPLACE,
            win,
            a._NET_SYSTEM_TRAY_VISUAL,
            AtomEnum::VISUALID,
            &[self.tray.visual],
        );
        let fg = self.tray.config.map_or(0xdddddd, |c| c.foreground);
        let mut colors = Vec::with_capacity(12);
        for rgb in [fg, 0xcc3333, 0xddaa22, 0x44aa44] {
            colors.extend(channels16(rgb));
        }
        let _ = c.change_property32(
            PropMode::REPLACE,
            win,
            a._NET_SYSTEM_TRAY_COLORS,
            AtomEnum::CARDINAL,
            &colors,
        );
    }

    /// The visual icons should use: 32-bit ARGB when a compositor will blend them, else
    /// the root's (see the module docs for why).
    fn tray_visual(&self) -> u32 {
        let screen = &self.conn.setup().roots[self.screen_num];
        let argb = screen
            .allowed_depths
            .iter()
            .filter(|d| d.depth == 32)
            .flat_map(|d| d.visuals.iter())
            .find(|v| v.class == VisualClass::TRUE_COLOR)
            .map(|v| v.visual_id);
        let compositor = self
            .conn
            .get_selection_owner(self.tray.cm_selection)
            .map_err(ReplyError::from)
            .and_then(|k| k.reply())
            .is_ok_and(|r| r.owner != NONE);
        match argb {
            Some(v) if compositor => v,
            _ => screen.root_visual,
        }
    }

    /// Icons the previous oxtile parked on the root: dock them again.
    fn tray_adopt_parked(&mut self) {
        let Some(a) = self.tray.atoms else { return };
        let parked: Vec<u32> = self
            .conn
            .get_property(
                true,
                self.root,
                a._OXTILE_TRAY_ICONS,
                AtomEnum::WINDOW,
                0,
                MAX_ICONS as u32,
            )
            .map_err(ReplyError::from)
            .and_then(|k| k.reply())
            .ok()
            .and_then(|r| r.value32().map(|v| v.collect()))
            .unwrap_or_default();
        if parked.is_empty() {
            return;
        }
        // Only windows still parked where we left them: on the root and unmapped (another
        // tray may have taken them meanwhile).
        let cookies: Vec<_> = parked
            .iter()
            .filter_map(|&w| self.conn.query_tree(w).ok().map(|k| (w, k)))
            .collect();
        let mut still = Vec::new();
        for (w, k) in cookies {
            match k.reply() {
                Ok(t) if t.parent == self.root => still.push(w),
                Ok(t) => tracing::debug!(
                    window = w,
                    parent = t.parent,
                    "system tray: parked icon moved"
                ),
                Err(e) => tracing::debug!(window = w, "system tray: parked icon gone: {e}"),
            }
        }
        if !still.is_empty() {
            tracing::info!(
                "system tray: docking {} icon(s) parked by the previous oxtile",
                still.len()
            );
        }
        self.tray_dock_batch(&still, true);
    }

    // ----- giving icons back -------------------------------------------------------------

    /// Hand every icon back: unmapped, on the root, out of our save-set. With `park`, list
    /// them on the root for the next oxtile and release the selection.
    fn tray_release(&mut self, park: bool) {
        let c = &self.conn;
        let icons = std::mem::take(&mut self.tray.icons);
        for ic in &icons {
            let _ = c.change_window_attributes(
                ic.window,
                &ChangeWindowAttributesAux::new().event_mask(EventMask::NO_EVENT),
            );
            let _ = c.unmap_window(ic.window);
            let _ = c.reparent_window(ic.window, self.root, 0, 0);
            let _ = c.change_save_set(SetMode::DELETE, ic.window);
        }
        if let (true, Some(a)) = (park, self.tray.atoms) {
            if !icons.is_empty() {
                let mut order: Vec<&Icon> = icons.iter().collect();
                order.sort_by_key(|i| i.arrival);
                let list: Vec<u32> = order.iter().map(|i| i.window).collect();
                let _ = c.change_property32(
                    PropMode::REPLACE,
                    self.root,
                    a._OXTILE_TRAY_ICONS,
                    AtomEnum::WINDOW,
                    &list,
                );
            }
            if let Status::Running { .. } = self.tray.status {
                let _ = c.set_selection_owner(NONE, self.tray.selection, CURRENT_TIME);
            }
        }
        if !icons.is_empty() {
            tracing::info!("system tray: handed back {} icon(s)", icons.len());
        }
    }

    fn tray_remove(&mut self, index: usize, why: &str) {
        let ic = self.tray.icons.remove(index);
        tracing::debug!(window = ic.window, class = %ic.class, "system tray: icon removed ({why})");
        self.tray_layout();
    }

    // ----- events ------------------------------------------------------------------------

    /// Take the events that belong to the tray out of a batch and handle them (every
    /// request they need is sent before any reply is read); the rest go on to the core.
    pub(super) fn tray_events(&mut self, events: Vec<(Event, u64)>) -> Vec<(Event, u64)> {
        let Some(a) = self.tray.atoms else {
            return events;
        };
        if self.tray.status == Status::Off {
            return events;
        }
        let mut batch = Batch::default();
        let mut rest = Vec::with_capacity(events.len());
        for (ev, seq) in events {
            let keep = self.tray_event(&a, ev, &mut batch);
            if let Some(ev) = keep {
                rest.push((ev, seq));
            }
        }
        if let Some(time) = batch.acquire {
            self.tray_acquire(time);
        } else if batch.retry {
            self.tray_request_timestamp();
        }
        if !batch.infos.is_empty() {
            self.tray_refresh_infos(&a, &batch.infos);
        }
        if !batch.docks.is_empty() {
            self.tray_dock_batch(&batch.docks, false);
            // A window mapped as it docked: its MapRequest (and ConfigureRequest), sent
            // while it was on the root, are the tray's now. Managing it would also replace
            // the events the tray selected on it, and its end would go unnoticed.
            let tray = &self.tray;
            rest.retain(|(ev, _)| match ev {
                Event::MapRequest(e) => tray.docked(e.window).is_none(),
                Event::ConfigureRequest(e) => tray.docked(e.window).is_none(),
                _ => true,
            });
        }
        rest
    }

    /// One event: `None` when the tray took it, else the event for the core (possibly
    /// rewritten).
    fn tray_event(&mut self, a: &TrayAtoms, ev: Event, batch: &mut Batch) -> Option<Event> {
        let t = &mut self.tray;
        match &ev {
            Event::ClientMessage(e) => {
                let Some(message) = tray_message(a, t.window, e) else {
                    return Some(ev);
                };
                match message {
                    TrayMessage::Dock(icon) if t.running() => batch.docks.push(icon),
                    TrayMessage::Dock(_) => {
                        tracing::debug!("system tray: dock request while not owning")
                    }
                    TrayMessage::Balloon(opcode) => tracing::debug!(
                        window = e.window,
                        "system tray: balloon message opcode {opcode} ignored"
                    ),
                    TrayMessage::Unknown(opcode) => {
                        tracing::debug!("system tray: unknown opcode {opcode}")
                    }
                    TrayMessage::WrongFormat(format) => {
                        tracing::debug!(format, "system tray: opcode of a wrong format")
                    }
                    TrayMessage::Data => tracing::debug!("system tray: message data ignored"),
                }
                None
            }
            Event::PropertyNotify(e) if e.window == t.window => {
                if e.atom == a._OXTILE_TRAY_TIME && t.status == Status::Acquiring {
                    batch.acquire = Some(e.time);
                }
                None
            }
            // Requests of a docked icon from when it was on the root (read in a later batch
            // than its dock request): the tray places and maps icons.
            Event::MapRequest(e) if t.docked(e.window).is_some() => None,
            Event::ConfigureRequest(e) if t.docked(e.window).is_some() => None,
            Event::PropertyNotify(e) if t.docked(e.window).is_some() => {
                if e.atom == a._XEMBED_INFO && !batch.infos.contains(&e.window) {
                    batch.infos.push(e.window);
                }
                None
            }
            Event::SelectionClear(e) if e.owner == t.window && e.selection == t.selection => {
                let owner = self
                    .conn
                    .get_selection_owner(t.selection)
                    .map_err(ReplyError::from)
                    .and_then(|k| k.reply())
                    .map_or(NONE, |r| r.owner);
                tracing::warn!(
                    "system tray: another tray (window {owner:#x}) took \
                     _NET_SYSTEM_TRAY_S{}; releasing the icons",
                    self.screen_num
                );
                self.tray_release(false);
                self.tray_watch_owner(owner, true);
                if owner == NONE {
                    batch.retry = true;
                }
                None
            }
            Event::DestroyNotify(e) if matches!(t.status, Status::Refused { owner, .. } if owner == e.window) =>
            {
                tracing::info!("system tray: the other tray went away; taking the selection");
                batch.retry = true;
                Some(ev)
            }
            Event::DestroyNotify(e) if e.event == e.window => {
                if let Some(i) = t.docked(e.window) {
                    self.tray_remove(i, "destroyed");
                    return None;
                }
                Some(ev)
            }
            Event::UnmapNotify(e) if e.event == self.root => {
                // A mapped top-level docked into the tray: for the core it is gone, but a
                // withdraw would clear the event mask the tray set on it.
                if t.docked(e.window).is_some() {
                    return Some(Event::DestroyNotify(xproto::DestroyNotifyEvent {
                        response_type: xproto::DESTROY_NOTIFY_EVENT,
                        sequence: e.sequence,
                        event: e.event,
                        window: e.window,
                    }));
                }
                Some(ev)
            }
            Event::UnmapNotify(e) if e.event == e.window => {
                let Some(i) = t.docked(e.window) else {
                    return Some(ev);
                };
                let ic = &mut t.icons[i];
                if ic.ignore_unmaps > 0 {
                    ic.ignore_unmaps -= 1;
                } else if ic.shown {
                    ic.shown = false;
                    tracing::debug!(window = ic.window, "system tray: icon unmapped itself");
                    self.tray_layout();
                }
                None
            }
            Event::MapNotify(e) if e.event == e.window => {
                let Some(i) = t.docked(e.window) else {
                    return Some(ev);
                };
                if !t.icons[i].shown {
                    t.icons[i].shown = true;
                    self.tray_layout();
                }
                None
            }
            Event::ReparentNotify(e) if e.event == e.window => {
                let Some(i) = t.docked(e.window) else {
                    return Some(ev);
                };
                if e.parent != t.window {
                    let _ = self.conn.change_save_set(SetMode::DELETE, e.window);
                    self.tray_remove(i, "reparented away");
                }
                None
            }
            Event::ConfigureNotify(e) if e.event == e.window => {
                let Some(i) = t.docked(e.window) else {
                    return Some(ev);
                };
                // The icon resized or moved itself: put it back in its slot.
                let g = t.icons[i].geometry;
                let now = Rect::new(e.x.into(), e.y.into(), e.width.into(), e.height.into());
                if g.w > 0 && now != g {
                    let _ = self.conn.configure_window(
                        e.window,
                        &ConfigureWindowAux::new()
                            .x(g.x)
                            .y(g.y)
                            .width(g.w)
                            .height(g.h),
                    );
                }
                None
            }
            Event::Error(e) => {
                let gone = matches!(e.error_kind, ErrorKind::Window | ErrorKind::Drawable);
                if gone {
                    if let Some(i) = t.docked(e.bad_value) {
                        self.tray_remove(i, "vanished (X error)");
                        return None;
                    }
                    if matches!(t.status, Status::Refused { owner, .. } if owner == e.bad_value) {
                        batch.retry = true;
                        return None;
                    }
                }
                if e.error_kind == ErrorKind::Match && t.docked(e.bad_value).is_some() {
                    // A background the icon's depth does not allow: harmless.
                    return None;
                }
                Some(ev)
            }
            _ => Some(ev),
        }
    }

    /// Re-read `_XEMBED_INFO` of icons that changed it, then map or unmap them.
    fn tray_refresh_infos(&mut self, a: &TrayAtoms, windows: &[Window]) {
        let cookies: Vec<_> = windows
            .iter()
            .filter_map(|&w| {
                self.conn
                    .get_property(false, w, a._XEMBED_INFO, AtomEnum::ANY, 0, 2)
                    .ok()
                    .map(|k| (w, k))
            })
            .collect();
        let mut changed = false;
        for (w, k) in cookies {
            let reply = k.reply();
            if reply.is_err() {
                continue; // gone: its DestroyNotify or error removes it
            }
            let (_, wants) = xembed_info(reply);
            let Some(i) = self.tray.docked(w) else {
                continue;
            };
            let ic = &mut self.tray.icons[i];
            if ic.wants_mapped == wants {
                continue;
            }
            ic.wants_mapped = wants;
            changed = true;
            if wants && !ic.shown {
                let _ = self.conn.map_window(w);
                ic.shown = true;
            } else if !wants && ic.shown {
                let _ = self.conn.unmap_window(w);
                ic.ignore_unmaps += 1;
                ic.shown = false;
            }
            tracing::debug!(
                window = w,
                mapped = wants,
                "system tray: XEMBED_MAPPED changed"
            );
        }
        if changed {
            self.tray_layout();
        }
    }

    /// Dock windows: validate them all with one batch of requests, then embed the good
    /// ones. `adopting`: windows we parked ourselves (no dock request behind them).
    fn tray_dock_batch(&mut self, windows: &[Window], adopting: bool) {
        let Some(a) = self.tray.atoms else { return };
        let refuse = |w: Window, x: &X11| {
            w == NONE
                || w == x.root
                || w == x.tray.window
                || w == x.check_window
                || x.bars.contains(&w)
                || x.tray.docked(w).is_some()
                // A window the window manager manages (or a dock it shows) is not an icon.
                || x.known.contains(&w)
        };
        let mut cookies = Vec::new();
        for &w in windows {
            if refuse(w, self) || cookies.iter().any(|c: &DockCookies| c.window == w) {
                tracing::debug!(
                    window = w,
                    "system tray: dock refused (ours, managed or already docked)"
                );
                continue;
            }
            let c = &self.conn;
            let k = (|| {
                // Follow the window before reading it: an `_XEMBED_INFO` it changes after
                // the read is then a PropertyNotify, not lost between the read and the
                // selection (seen with GTK icons, which set XEMBED_MAPPED right after
                // asking to dock).
                c.change_window_attributes(
                    w,
                    &ChangeWindowAttributesAux::new()
                        .event_mask(EventMask::STRUCTURE_NOTIFY | EventMask::PROPERTY_CHANGE),
                )?;
                Ok::<_, x11rb::errors::ConnectionError>(DockCookies {
                    window: w,
                    attrs: c.get_window_attributes(w)?,
                    geom: c.get_geometry(w)?,
                    info: c.get_property(false, w, a._XEMBED_INFO, AtomEnum::ANY, 0, 2)?,
                    class: WmClass::get(c, w)?,
                })
            })();
            match k {
                Ok(k) => cookies.push(k),
                Err(e) => tracing::debug!("system tray: dock request for {w:#x}: {e}"),
            }
        }
        // Every reply is read before the first icon is embedded (embedding needs `&mut`).
        let mut ready = Vec::new();
        for k in cookies {
            let w = k.window;
            let (Ok(attrs), Ok(geom)) = (k.attrs.reply(), k.geom.reply()) else {
                tracing::debug!(
                    window = w,
                    "system tray: dock request for a window that does not exist"
                );
                continue;
            };
            let info = xembed_info(k.info.reply());
            let class = k.class.reply().ok().flatten();
            ready.push((w, attrs, geom, info, class));
        }
        let mut docked = false;
        for (w, attrs, geom, info, class) in ready {
            if self.tray.icons.len() >= MAX_ICONS {
                tracing::debug!(window = w, "system tray: full ({MAX_ICONS} icons)");
                continue;
            }
            self.tray_embed(&a, w, &attrs, &geom, info, class.as_ref(), adopting);
            docked = true;
        }
        if docked {
            self.tray_layout();
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn tray_embed(
        &mut self,
        a: &TrayAtoms,
        w: Window,
        attrs: &xproto::GetWindowAttributesReply,
        geom: &xproto::GetGeometryReply,
        (_version, wants): (u32, bool),
        class: Option<&WmClass>,
        adopting: bool,
    ) {
        let c = &self.conn;
        let tray_depth = self.conn.setup().roots[self.screen_num].root_depth;
        let argb = geom.depth != tray_depth;
        // Its events were selected before it was read (`tray_dock_batch`).
        // A window the core managed had a click-to-focus grab.
        let _ = c.ungrab_button(xproto::ButtonIndex::ANY, w, xproto::ModMask::ANY);
        let _ = c.change_save_set(SetMode::INSERT, w);
        let mut ignore_unmaps = 0;
        let was_mapped = attrs.map_state != MapState::UNMAPPED;
        if was_mapped {
            ignore_unmaps += 1; // reparenting a mapped window unmaps it first
        }
        if !argb {
            // The bar's colour (the tray window's background) behind what it draws.
            let _ = c.change_window_attributes(
                w,
                &ChangeWindowAttributesAux::new().background_pixmap(PARENT_RELATIVE),
            );
        }
        let _ = c.reparent_window(w, self.tray.window, 0, 0);
        let shown = if wants {
            let _ = c.map_window(w);
            true
        } else {
            if was_mapped {
                let _ = c.unmap_window(w);
                ignore_unmaps += 1;
            }
            false
        };
        let time = match self.tray.status {
            Status::Running { time } if self.last_time == CURRENT_TIME => time,
            _ => self.last_time,
        };
        let notify = ClientMessageEvent::new(
            32,
            w,
            a._XEMBED,
            [
                time,
                XEMBED_EMBEDDED_NOTIFY,
                0,
                self.tray.window,
                // The lower of the two versions; ours (0) is the lowest there is.
                XEMBED_VERSION,
            ],
        );
        let _ = c.send_event(false, w, EventMask::NO_EVENT, notify);
        let name = |b: &[u8]| String::from_utf8_lossy(b).chars().take(256).collect();
        let icon = Icon {
            window: w,
            class: class.map(|k| name(k.class())).unwrap_or_default(),
            instance: class.map(|k| name(k.instance())).unwrap_or_default(),
            arrival: self.tray.arrivals,
            natural: (geom.width.into(), geom.height.into()),
            argb,
            wants_mapped: wants,
            shown,
            ignore_unmaps,
            geometry: Rect::default(),
        };
        self.tray.arrivals += 1;
        tracing::debug!(
            window = w,
            class = %icon.class,
            adopting,
            mapped = wants,
            "system tray: icon docked"
        );
        self.tray.icons.push(icon);
    }

    /// Put every shown icon in its slot (only what moved is configured).
    fn tray_layout(&mut self) {
        // Everything that changes what the tray shows ends here.
        self.tray.generation += 1;
        let Some(p) = self.tray.place else { return };
        let order = self.tray.config.map(|c| c.order).unwrap_or_default();
        let size = p.icon_size.max(1);
        let step = size.saturating_add(p.spacing) as i32;
        let across = if p.vertical { p.rect.w } else { p.rect.h };
        let mut slot = 0i32;
        for i in self.tray.ordered(order) {
            let ic = &mut self.tray.icons[i];
            if !ic.shown {
                continue;
            }
            let (w, h) = fit(ic.natural, size);
            let (along, off) = (slot * step, (across as i32 - size as i32) / 2);
            let (sx, sy) = if p.vertical {
                (off, along)
            } else {
                (along, off)
            };
            let g = Rect::new(sx + (size - w) as i32 / 2, sy + (size - h) as i32 / 2, w, h);
            slot += 1;
            if g == ic.geometry {
                continue;
            }
            ic.geometry = g;
            let _ = self.conn.configure_window(
                ic.window,
                &ConfigureWindowAux::new()
                    .x(g.x)
                    .y(g.y)
                    .width(g.w)
                    .height(g.h),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_fit_their_square_keeping_aspect() {
        assert_eq!(fit((22, 22), 20), (20, 20));
        assert_eq!(fit((1, 1), 20), (20, 20));
        assert_eq!(fit((0, 5), 20), (20, 20), "absurd sizes become squares");
        assert_eq!(fit((40, 20), 20), (20, 10));
        assert_eq!(fit((10, 30), 18), (6, 18));
        assert_eq!(fit((65535, 1), 20), (20, 1), "never zero");
    }

    #[test]
    fn xembed_info_defaults_to_mapped_and_reads_the_flag() {
        let reply = |v: &[u32]| {
            Ok(xproto::GetPropertyReply {
                format: 32,
                type_: 0,
                bytes_after: 0,
                value_len: v.len() as u32,
                value: v.iter().flat_map(|x| x.to_ne_bytes()).collect(),
                sequence: 0,
                length: 0,
            })
        };
        assert_eq!(xembed_info(reply(&[])), (0, true));
        assert_eq!(xembed_info(reply(&[0, 1])), (0, true));
        assert_eq!(xembed_info(reply(&[0, 0])), (0, false));
        assert_eq!(xembed_info(reply(&[1, 3])), (1, true));
        assert_eq!(xembed_info(reply(&[7])), (0, true), "truncated: ignored");
    }

    #[test]
    fn class_order_sorts_case_insensitively_then_by_arrival() {
        let icon = |class: &str, arrival| Icon {
            window: arrival as u32 + 1,
            class: class.into(),
            instance: String::new(),
            arrival,
            natural: (1, 1),
            argb: false,
            wants_mapped: true,
            shown: true,
            ignore_unmaps: 0,
            geometry: Rect::default(),
        };
        let tray = Tray {
            icons: vec![icon("b", 0), icon("A", 1), icon("c", 2), icon("a", 3)],
            ..Tray::default()
        };
        assert_eq!(tray.ordered(TrayOrder::Arrival), vec![0, 1, 2, 3]);
        assert_eq!(tray.ordered(TrayOrder::Class), vec![1, 3, 0, 2]);
    }

    #[test]
    fn colours_are_sixteen_bit_channels() {
        assert_eq!(channels16(0xff8000), [0xffff, 0x8080, 0]);
    }
}
