//! Fuzzing bodies for the X decoders (the list of all bodies is [`crate::fuzzing`]):
//! ClientMessages as the core and the tray decode them, and the properties read when a
//! window asks to be mapped. The x11rb events and property replies are built here from
//! the fuzz bytes, the way the server would deliver them, so X stays in this module.

use x11rb::properties::{WmClass, WmHints, WmSizeHints};
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, GetPropertyReply};

use super::atoms::Atoms;
use super::tray::{self, TrayAtoms, TrayMessage};
use super::{ewmh, props};
use crate::config::Config;
use crate::core::client::{ClientInfo, NetStates, SizeHints, WindowType};
use crate::core::geometry::Rect;
use crate::core::{Input, State, ALL_DESKTOPS, MAX_GROUPS};
use crate::fuzzing::{check_size_hints, Reader};

/// The first of the stand-in atoms of [`Atoms`] (a server's own atoms end at 68).
const ATOMS: u32 = 0x100;
/// The first of the tray's stand-in atoms.
const TRAY_ATOMS: u32 = 0x200;
/// The tray's window.
const TRAY_WINDOW: u32 = 0x40_0001;
/// The managed windows the messages are about: 1 to 4.
const MANAGED: u32 = 4;

/// An atom: mostly one of the tables' (or a predefined one), sometimes any.
fn atom(r: &mut Reader) -> u32 {
    match r.u8() {
        k @ 0..=0x7f => ATOMS + u32::from(k),
        k @ 0x80..=0x9f => TRAY_ATOMS + u32::from(k - 0x80),
        k @ 0xa0..=0xef => u32::from(k - 0xa0),
        _ => r.u32(),
    }
}

/// A window: mostly a managed one (or 0, or one nobody manages), sometimes the tray's or
/// any.
fn window(r: &mut Reader) -> u32 {
    match r.u8() {
        k @ 0..=0xbf => u32::from(k & 7),
        0xc0..=0xdf => TRAY_WINDOW,
        _ => r.u32(),
    }
}

/// A ClientMessage's format: mostly 32, sometimes 8 or 16, sometimes garbage (SendEvent
/// carries whatever a client puts there).
fn format(r: &mut Reader) -> u8 {
    match r.u8() {
        0..=0x9f => 32,
        0xa0..=0xbf => 8,
        0xc0..=0xdf => 16,
        k => k & 0x1f,
    }
}

/// ClientMessages from hostile clients and pagers, as [`ewmh::decode_client_message`] and
/// [`tray::tray_message`] decode them, then fed to a core managing four windows (tiled,
/// floating, fixed-size, transient), as the event loop does (the tray's messages never
/// reach the core; a `_NET_WM_MOVERESIZE` is followed by the pointer's motion). Decoded
/// inputs carry what the message said; the core keeps managing the same windows in sane
/// groups.
///
/// Input: messages of (format, window, type atom, 20 data bytes), one after another.
pub fn client_message(data: &[u8]) {
    let atoms = Atoms::numbered(ATOMS);
    let tray_atoms = TrayAtoms::numbered(TRAY_ATOMS);
    let mut state = State::new(&Config::default(), &[Rect::new(0, 0, 1280, 800)]);
    let fixed = SizeHints {
        min: Some((200, 100)),
        max: Some((200, 100)),
        ..SizeHints::default()
    };
    // Tiled, a floating dialog, a fixed-size window (floats), a transient of the first.
    let infos = [
        ClientInfo::default(),
        ClientInfo {
            window_type: WindowType::Dialog,
            geometry: Rect::new(100, 100, 300, 200),
            ..ClientInfo::default()
        },
        ClientInfo {
            size_hints: fixed,
            ..ClientInfo::default()
        },
        ClientInfo {
            transient_for: Some(1),
            ..ClientInfo::default()
        },
    ];
    for (window, info) in (1..=MANAGED).zip(infos) {
        state.handle(Input::MapRequest { window, info });
    }
    let mut r = Reader::new(data);
    while !r.is_empty() {
        let format = format(&mut r);
        let window = window(&mut r);
        let type_ = atom(&mut r);
        let e = ClientMessageEvent::new(format, window, type_, r.array::<20>());
        let d = e.data.as_data32();

        if let Some(message) = tray::tray_message(&tray_atoms, TRAY_WINDOW, &e) {
            match message {
                TrayMessage::Dock(icon) => assert_eq!((format, icon), (32, d[2])),
                TrayMessage::Balloon(op) => assert!(format == 32 && (op == 1 || op == 2)),
                TrayMessage::Unknown(op) => assert!(format == 32 && op > 2),
                TrayMessage::WrongFormat(f) => assert!(f != 32 && f == format),
                TrayMessage::Data => assert!(
                    type_ == tray_atoms._NET_SYSTEM_TRAY_MESSAGE_DATA || window == TRAY_WINDOW
                ),
            }
            continue;
        }
        let Some(input) = ewmh::decode_client_message(&atoms, &e) else {
            continue;
        };
        assert_eq!(format, 32, "only format 32 is decoded: {input:?}");
        check_message_input(&input, window, d);
        let drag = matches!(input, Input::MoveResizeRequest { .. });
        state.handle(input);
        if drag {
            // The pointer moves on (to where the message's last two values say), then is
            // released or not: the drag a client started runs its course.
            state.handle(Input::DragMotion {
                x: d[3] as i32,
                y: d[4] as i32,
            });
            if d[4] & 1 == 0 {
                state.handle(Input::DragEnd);
            }
        }
    }

    let snap = state.snapshot();
    assert_eq!(
        snap.client_list,
        (1..=MANAGED).collect::<Vec<_>>(),
        "messages never unmanage"
    );
    let groups = snap.desktops.len();
    assert!((1..=MAX_GROUPS).contains(&groups), "{groups} groups");
    assert_eq!(snap.workareas.len(), groups);
    assert!((snap.current_desktop as usize) < groups);
    for (w, view) in &snap.windows {
        assert!(
            (view.desktop as usize) < groups || view.desktop == ALL_DESKTOPS,
            "window {w} on desktop {}",
            view.desktop
        );
    }
    if let Some(focus) = snap.focus {
        assert!(snap.windows.contains_key(&focus.window));
    }
}

/// What a decoded ClientMessage must say: the window it was sent about, the values it
/// carried, and only the parts of a request it flagged.
fn check_message_input(input: &Input, window: u32, d: [u32; 5]) {
    match *input {
        Input::Activate { window: w, pager } => assert_eq!((w, pager), (window, d[0] == 2)),
        Input::CloseRequest { window: w }
        | Input::Iconify { window: w }
        | Input::FrameExtentsRequest { window: w } => assert_eq!(w, window),
        Input::DesktopRequest { desktop } => assert_eq!(desktop, d[0]),
        Input::WmDesktopRequest { window: w, desktop } => assert_eq!((w, desktop), (window, d[0])),
        Input::WmStateRequest {
            window: w, states, ..
        } => {
            assert_eq!(w, window);
            assert_ne!(
                states,
                NetStates::default(),
                "a request that changes nothing"
            );
        }
        Input::DesktopCountRequest { count } => assert_eq!(count, d[0]),
        Input::ShowingDesktop { show } => assert_eq!(show, d[0] != 0),
        Input::ConfigureRequest { window: w, req } => {
            assert_eq!(w, window);
            assert_eq!(
                (req.border, req.sibling, req.stack_mode),
                (None, None, None)
            );
            assert_eq!(req.x.is_some(), d[0] & (1 << 8) != 0);
            assert_eq!(req.h.is_some(), d[0] & (1 << 11) != 0);
        }
        Input::MoveResizeRequest { window: w, .. } => assert_eq!(w, window),
        ref other => panic!("a ClientMessage decoded as {other:?}"),
    }
}

/// A window with decoded properties mapped beside a tiled one on two screens: managed
/// unless its type says otherwise, and whatever its strut, every work area stays a real
/// rectangle inside a screen.
fn map_decoded(info: ClientInfo) {
    let screens = [Rect::new(0, 0, 1280, 800), Rect::new(1280, 0, 1920, 1080)];
    let mut state = State::new(&Config::default(), &screens);
    state.handle(Input::MapRequest {
        window: 1,
        info: ClientInfo::default(),
    });
    let managed = !info.window_type.unmanaged();
    let strut = info.strut;
    state.handle(Input::MapRequest { window: 10, info });
    state.handle(Input::StrutChanged { window: 10, strut });
    let snap = state.snapshot();
    assert_eq!(snap.client_list.contains(&10), managed);
    for area in &snap.workareas {
        assert!(
            screens.iter().any(|s| area.w >= 1
                && area.h >= 1
                && area.x >= s.x
                && area.y >= s.y
                && area.right() <= s.right()
                && area.bottom() <= s.bottom()),
            "work area {area:?}"
        );
    }
}

/// A property reply as the server would send it: mostly of the type asked for and its
/// natural format, sometimes missing (type None), of another type or format; `None` when
/// the request failed.
///
/// Input: a byte choosing all that, perhaps an atom, 2 bytes of length, the value.
fn reply(r: &mut Reader, asked: impl Into<u32>, natural: u8) -> Option<GetPropertyReply> {
    let how = r.u8();
    let format = match how & 0x0f {
        0 => return None,
        1..=11 => natural,
        12..=13 => 8,
        14 => 16,
        _ => 32,
    };
    let type_ = match how >> 4 {
        0..=9 => asked.into(),
        10..=11 => u32::from(AtomEnum::NONE),
        _ => atom(r),
    };
    if type_ == u32::from(AtomEnum::NONE) {
        return Some(GetPropertyReply::default());
    }
    let unit = usize::from(format / 8);
    let len = usize::from(r.u16());
    let value = r.bytes(len);
    let value = value[..value.len() / unit * unit].to_vec();
    Some(GetPropertyReply {
        format,
        sequence: 0,
        length: value.len().div_ceil(4) as u32,
        type_,
        bytes_after: 0,
        value_len: (value.len() / unit) as u32,
        value,
    })
}

/// The properties of a window that asks to be mapped (what `X11::read_info` reads), in
/// every shape a client can set them, decoded by x11rb's parsers and [`props::client_info`]:
/// titles bounded and printable, size hints sane, struts capped, the geometry kept. The
/// bytes left over are a `_NET_WM_ICON` ([`props::best_icon`]) and an `_XEMBED_INFO`.
///
/// Input: a flags byte (0xff: override-redirect), 8 bytes of geometry, then one
/// [`reply`] per property.
pub fn properties(data: &[u8]) {
    let atoms = Atoms::numbered(ATOMS);
    let mut r = Reader::new(data);
    let flags = r.u8();
    let geometry = Rect::new(
        i32::from(r.u16() as i16),
        i32::from(r.u16() as i16),
        u32::from(r.u16()),
        u32::from(r.u16()),
    );
    let (string, cardinal) = (AtomEnum::STRING, AtomEnum::CARDINAL);
    let replies = props::InfoReplies {
        override_redirect: flags == 0xff,
        geometry,
        class: reply(&mut r, string, 8).and_then(|p| WmClass::from_reply(p).ok().flatten()),
        net_name: reply(&mut r, atoms.UTF8_STRING, 8),
        name: reply(&mut r, string, 8),
        role: reply(&mut r, string, 8),
        hints: reply(&mut r, AtomEnum::WM_HINTS, 32)
            .and_then(|p| WmHints::from_reply(&p).ok().flatten()),
        normal: reply(&mut r, AtomEnum::WM_SIZE_HINTS, 32)
            .and_then(|p| WmSizeHints::from_reply(&p).ok().flatten()),
        transient: reply(&mut r, AtomEnum::WINDOW, 32),
        protocols: reply(&mut r, AtomEnum::ATOM, 32),
        window_type: reply(&mut r, AtomEnum::ATOM, 32),
        state: reply(&mut r, AtomEnum::ATOM, 32),
        strut_partial: reply(&mut r, cardinal, 32),
        strut: reply(&mut r, cardinal, 32),
        desktop: reply(&mut r, cardinal, 32),
        pid: reply(&mut r, cardinal, 32),
        machine: reply(&mut r, string, 8),
    };
    match props::client_info(&atoms, &replies) {
        None => assert!(replies.override_redirect),
        Some(info) => {
            assert!(!replies.override_redirect);
            for text in [&info.title, &info.role] {
                assert!(text.len() <= props::MAX_TITLE, "{} bytes", text.len());
                assert!(!text.chars().any(char::is_control), "{text:?}");
            }
            // At most 256 Latin-1 bytes, each at most two bytes of UTF-8.
            assert!(info.machine.len() <= 512);
            assert!(!info.machine.chars().any(|c| c.is_control()));
            check_size_hints(&info.size_hints, geometry.w, geometry.h);
            if let Some(s) = info.strut {
                let edges = [s.strut.left, s.strut.right, s.strut.top, s.strut.bottom];
                assert!(edges.iter().all(|&e| e <= 4096), "{s:?}");
                for (start, end) in [s.left, s.right, s.top, s.bottom] {
                    assert!(start <= end, "{s:?}");
                }
            }
            assert_ne!(info.transient_for, Some(0), "None is no window");
            assert_eq!(info.geometry, geometry);
            map_decoded(info);
        }
    }

    let values: Vec<u32> = r
        .rest()
        .chunks_exact(4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if let Some(icon) = props::best_icon(&values, u32::from(flags)) {
        assert!((1..=1024).contains(&icon.width) && (1..=1024).contains(&icon.height));
        assert_eq!(icon.argb.len(), (icon.width * icon.height) as usize);
    }
    let info = GetPropertyReply {
        format: 32,
        type_: AtomEnum::CARDINAL.into(),
        value_len: values.len() as u32,
        value: values.iter().flat_map(|v| v.to_ne_bytes()).collect(),
        ..GetPropertyReply::default()
    };
    let expected = match values[..] {
        [version, flags, ..] => (version, flags & 1 != 0),
        _ => (0, true),
    };
    assert_eq!(tray::xembed_info(Ok(info)), expected);
}
