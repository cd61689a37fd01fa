//! Decoding client properties (ICCCM and EWMH) from raw replies into core types. Pure
//! functions of the bytes, so absurd values from broken clients are tested without X.

use x11rb::properties::{WmClass, WmHints, WmSizeHints};
use x11rb::protocol::xproto::GetPropertyReply;
use x11rb::NONE;

use super::atoms::Atoms;
use crate::core::client::{
    ClientInfo, DockStrut, NetStates, Protocols, SizeHints, Strut, WindowType,
};
use crate::core::geometry::Rect;

/// Longest title kept, in bytes (a 1 MB title is cut, not copied around).
pub const MAX_TITLE: usize = 1024;

/// A title from `_NET_WM_NAME` (UTF-8) or `WM_NAME` (Latin-1 or whatever the client sent):
/// invalid UTF-8 is replaced, control characters dropped, length capped.
pub fn decode_title(bytes: &[u8], utf8: bool) -> String {
    let text: String = if utf8 {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    };
    let mut out: String = text.chars().filter(|c| !c.is_control()).collect();
    if out.len() > MAX_TITLE {
        let mut cut = MAX_TITLE;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// A property's 32-bit values (lists of `CARDINAL`, `ATOM`, `WINDOW`): empty when it is
/// missing, could not be read or is not of format 32.
pub fn values32(reply: Option<&GetPropertyReply>) -> Vec<u32> {
    reply
        .and_then(|r| r.value32().map(|v| v.collect()))
        .unwrap_or_default()
}

/// A window's title from its `_NET_WM_NAME` reply (UTF-8; used when not empty) and its
/// `WM_NAME` reply (Latin-1); `None` when neither could be read.
pub fn title(
    net_name: Option<&GetPropertyReply>,
    name: Option<&GetPropertyReply>,
) -> Option<String> {
    match net_name {
        Some(r) if !r.value.is_empty() => Some(decode_title(&r.value, true)),
        _ => name.map(|r| decode_title(&r.value, false)),
    }
}

/// What was read about a window that asks to be mapped, reply by reply (`None`: that
/// request failed, or the property is malformed). [`client_info`] decodes it.
#[derive(Debug, Default)]
pub struct InfoReplies {
    /// From GetWindowAttributes: override-redirect windows are not managed.
    pub override_redirect: bool,
    /// From GetGeometry.
    pub geometry: Rect,
    /// `WM_CLASS`.
    pub class: Option<WmClass>,
    /// `_NET_WM_NAME`.
    pub net_name: Option<GetPropertyReply>,
    /// `WM_NAME`.
    pub name: Option<GetPropertyReply>,
    /// `WM_WINDOW_ROLE`.
    pub role: Option<GetPropertyReply>,
    /// `WM_HINTS`.
    pub hints: Option<WmHints>,
    /// `WM_NORMAL_HINTS`.
    pub normal: Option<WmSizeHints>,
    /// `WM_TRANSIENT_FOR`.
    pub transient: Option<GetPropertyReply>,
    /// `WM_PROTOCOLS`.
    pub protocols: Option<GetPropertyReply>,
    /// `_NET_WM_WINDOW_TYPE`.
    pub window_type: Option<GetPropertyReply>,
    /// `_NET_WM_STATE`.
    pub state: Option<GetPropertyReply>,
    /// `_NET_WM_STRUT_PARTIAL`.
    pub strut_partial: Option<GetPropertyReply>,
    /// `_NET_WM_STRUT`.
    pub strut: Option<GetPropertyReply>,
    /// `_NET_WM_DESKTOP`.
    pub desktop: Option<GetPropertyReply>,
    /// `_NET_WM_PID`.
    pub pid: Option<GetPropertyReply>,
    /// `WM_CLIENT_MACHINE`.
    pub machine: Option<GetPropertyReply>,
}

/// A window's replies → what the core knows of it; `None` for an override-redirect window.
pub fn client_info(atoms: &Atoms, r: &InfoReplies) -> Option<ClientInfo> {
    if r.override_redirect {
        return None;
    }
    let (urgent, input_hint) = hints(&r.hints.unwrap_or_default());
    let states = values32(r.state.as_ref());
    let text = |reply: &Option<GetPropertyReply>| {
        reply
            .as_ref()
            .map(|r| decode_title(&r.value, true))
            .unwrap_or_default()
    };
    let class = |part: fn(&WmClass) -> &[u8]| {
        r.class
            .as_ref()
            .map(|c| String::from_utf8_lossy(part(c)).into_owned())
            .unwrap_or_default()
    };
    Some(ClientInfo {
        class: class(WmClass::class),
        instance: class(WmClass::instance),
        title: title(r.net_name.as_ref(), r.name.as_ref()).unwrap_or_default(),
        role: text(&r.role),
        window_type: window_type(atoms, values32(r.window_type.as_ref()).into_iter())
            .unwrap_or(WindowType::Normal),
        transient_for: values32(r.transient.as_ref())
            .first()
            .copied()
            .filter(|&w| w != NONE),
        input_hint,
        urgent: urgent || states.contains(&atoms._NET_WM_STATE_DEMANDS_ATTENTION),
        size_hints: size_hints(&r.normal.unwrap_or_default()),
        protocols: protocols(atoms, values32(r.protocols.as_ref()).into_iter()),
        geometry: r.geometry,
        fullscreen: states.contains(&atoms._NET_WM_STATE_FULLSCREEN),
        strut: dock_strut(
            &values32(r.strut_partial.as_ref()),
            &values32(r.strut.as_ref()),
        ),
        desktop: values32(r.desktop.as_ref()).first().copied(),
        states: net_states(atoms, states.iter().copied()),
        pid: values32(r.pid.as_ref()).first().copied(),
        machine: r
            .machine
            .as_ref()
            .map(|r| machine(&r.value))
            .unwrap_or_default(),
    })
}

/// `WM_NORMAL_HINTS` → core size hints (negative values dropped, then sanitised).
pub fn size_hints(h: &WmSizeHints) -> SizeHints {
    let pos = |p: Option<(i32, i32)>| {
        p.filter(|&(w, h)| w >= 0 && h >= 0)
            .map(|(w, h)| (w as u32, h as u32))
    };
    SizeHints {
        min: pos(h.min_size),
        max: pos(h.max_size),
        inc: pos(h.size_increment),
        base: pos(h.base_size),
    }
    .sanitized()
}

/// `WM_HINTS` → (urgent, input hint).
pub fn hints(h: &WmHints) -> (bool, Option<bool>) {
    (h.urgent, h.input)
}

/// `WM_PROTOCOLS` atoms → the protocols we care about.
pub fn protocols(atoms: &Atoms, list: impl Iterator<Item = u32>) -> Protocols {
    let mut p = Protocols::default();
    for a in list {
        if a == atoms.WM_DELETE_WINDOW {
            p.delete_window = true;
        } else if a == atoms.WM_TAKE_FOCUS {
            p.take_focus = true;
        }
    }
    p
}

/// `_NET_WM_WINDOW_TYPE` atoms → the first type we know (EWMH: in order of preference).
pub fn window_type(atoms: &Atoms, list: impl Iterator<Item = u32>) -> Option<WindowType> {
    for a in list {
        let t = match a {
            a if a == atoms._NET_WM_WINDOW_TYPE_NORMAL => WindowType::Normal,
            a if a == atoms._NET_WM_WINDOW_TYPE_DIALOG => WindowType::Dialog,
            a if a == atoms._NET_WM_WINDOW_TYPE_UTILITY => WindowType::Utility,
            a if a == atoms._NET_WM_WINDOW_TYPE_SPLASH => WindowType::Splash,
            a if a == atoms._NET_WM_WINDOW_TYPE_TOOLBAR => WindowType::Toolbar,
            a if a == atoms._NET_WM_WINDOW_TYPE_MENU => WindowType::Menu,
            a if a == atoms._NET_WM_WINDOW_TYPE_DROPDOWN_MENU => WindowType::DropdownMenu,
            a if a == atoms._NET_WM_WINDOW_TYPE_POPUP_MENU => WindowType::PopupMenu,
            a if a == atoms._NET_WM_WINDOW_TYPE_COMBO => WindowType::Combo,
            a if a == atoms._NET_WM_WINDOW_TYPE_TOOLTIP => WindowType::Tooltip,
            a if a == atoms._NET_WM_WINDOW_TYPE_DND => WindowType::Dnd,
            a if a == atoms._NET_WM_WINDOW_TYPE_NOTIFICATION => WindowType::Notification,
            a if a == atoms._NET_WM_WINDOW_TYPE_DOCK => WindowType::Dock,
            a if a == atoms._NET_WM_WINDOW_TYPE_DESKTOP => WindowType::Desktop,
            _ => continue,
        };
        return Some(t);
    }
    None
}

/// `_NET_WM_STRUT_PARTIAL` or `_NET_WM_STRUT` (first four cardinals), each capped at 4096.
pub fn strut(values: &[u32]) -> Option<Strut> {
    if values.len() < 4 {
        return None;
    }
    let c = |v: u32| v.min(4096);
    Some(Strut {
        left: c(values[0]),
        right: c(values[1]),
        top: c(values[2]),
        bottom: c(values[3]),
    })
}

/// A dock's strut: `_NET_WM_STRUT_PARTIAL` (12 cardinals, with the ranges each edge
/// covers), else `_NET_WM_STRUT` (4, whole edges). Ranges with end < start cover nothing
/// sensible and are taken as whole edges.
pub fn dock_strut(partial: &[u32], plain: &[u32]) -> Option<DockStrut> {
    if partial.len() >= 12 {
        let s = strut(partial)?;
        let range = |a: u32, b: u32| if b >= a { (a, b) } else { (0, u32::MAX) };
        return Some(DockStrut {
            strut: s,
            left: range(partial[4], partial[5]),
            right: range(partial[6], partial[7]),
            top: range(partial[8], partial[9]),
            bottom: range(partial[10], partial[11]),
        });
    }
    strut(partial).or_else(|| strut(plain)).map(DockStrut::from)
}

/// `_NET_WM_STATE` atoms (a window's property or the one or two a request names) → the
/// flags oxtile knows; others are ignored.
pub fn net_states(atoms: &Atoms, list: impl Iterator<Item = u32>) -> NetStates {
    let mut s = NetStates::default();
    for a in list {
        if a == 0 {
            continue;
        }
        let flag = if a == atoms._NET_WM_STATE_FULLSCREEN {
            &mut s.fullscreen
        } else if a == atoms._NET_WM_STATE_MAXIMIZED_VERT {
            &mut s.maximized_vert
        } else if a == atoms._NET_WM_STATE_MAXIMIZED_HORZ {
            &mut s.maximized_horz
        } else if a == atoms._NET_WM_STATE_ABOVE {
            &mut s.above
        } else if a == atoms._NET_WM_STATE_BELOW {
            &mut s.below
        } else if a == atoms._NET_WM_STATE_STICKY {
            &mut s.sticky
        } else if a == atoms._NET_WM_STATE_HIDDEN {
            &mut s.hidden
        } else if a == atoms._NET_WM_STATE_DEMANDS_ATTENTION {
            &mut s.demands_attention
        } else if a == atoms._NET_WM_STATE_SKIP_TASKBAR {
            &mut s.skip_taskbar
        } else if a == atoms._NET_WM_STATE_SKIP_PAGER {
            &mut s.skip_pager
        } else {
            continue;
        };
        *flag = true;
    }
    s
}

/// The `_NET_WM_STATE` atoms for a window's flags.
pub fn net_state_atoms(atoms: &Atoms, s: &NetStates) -> Vec<u32> {
    [
        (s.fullscreen, atoms._NET_WM_STATE_FULLSCREEN),
        (s.maximized_vert, atoms._NET_WM_STATE_MAXIMIZED_VERT),
        (s.maximized_horz, atoms._NET_WM_STATE_MAXIMIZED_HORZ),
        (s.above, atoms._NET_WM_STATE_ABOVE),
        (s.below, atoms._NET_WM_STATE_BELOW),
        (s.sticky, atoms._NET_WM_STATE_STICKY),
        (s.hidden, atoms._NET_WM_STATE_HIDDEN),
        (s.demands_attention, atoms._NET_WM_STATE_DEMANDS_ATTENTION),
        (s.skip_taskbar, atoms._NET_WM_STATE_SKIP_TASKBAR),
        (s.skip_pager, atoms._NET_WM_STATE_SKIP_PAGER),
    ]
    .into_iter()
    .filter_map(|(on, a)| on.then_some(a))
    .collect()
}

/// One image of `_NET_WM_ICON`: width, height and ARGB pixels (row by row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icon {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` pixels, 0xAARRGGBB.
    pub argb: Vec<u32>,
}

/// The image of `_NET_WM_ICON` (width, height, pixels; repeated) best for showing at
/// `size` pixels: the smallest one at least that big, else the biggest. Truncated or
/// absurd entries end the list (a broken client cannot make us read past its data).
pub fn best_icon(values: &[u32], size: u32) -> Option<Icon> {
    let mut icons = Vec::new();
    let mut rest = values;
    while rest.len() >= 2 {
        let (w, h) = (rest[0], rest[1]);
        let n = (w as usize).checked_mul(h as usize)?;
        if w == 0 || h == 0 || w > 1024 || h > 1024 || rest.len() - 2 < n {
            break;
        }
        icons.push((w, h, &rest[2..2 + n]));
        rest = &rest[2 + n..];
    }
    let pick = icons
        .iter()
        .filter(|(w, h, _)| *w.min(h) >= size)
        .min_by_key(|(w, h, _)| w * h)
        .or_else(|| icons.iter().max_by_key(|(w, h, _)| w * h))?;
    Some(Icon {
        width: pick.0,
        height: pick.1,
        argb: pick.2.to_vec(),
    })
}

/// `WM_CLIENT_MACHINE` (a STRING, possibly NUL-terminated).
pub fn machine(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    decode_title(&bytes[..end.min(256)], false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_survive_invalid_utf8_and_huge_sizes() {
        assert_eq!(decode_title(b"ok\xff\xfe", true), "ok\u{fffd}\u{fffd}");
        assert_eq!(decode_title(b"caf\xe9", false), "café");
        assert_eq!(decode_title(b"a\nb\x00c", true), "abc");
        let big = vec![b'x'; 1 << 20];
        assert_eq!(decode_title(&big, true).len(), MAX_TITLE);
        let wide = "é".repeat(MAX_TITLE);
        assert!(decode_title(wide.as_bytes(), true).len() <= MAX_TITLE);
    }

    #[test]
    fn negative_and_inverted_size_hints_are_dropped() {
        let mut h = WmSizeHints::new();
        h.min_size = Some((-5, 100));
        h.max_size = Some((10, 10));
        h.size_increment = Some((0, 7));
        let s = size_hints(&h);
        assert_eq!(s.min, None);
        assert_eq!(s.max, Some((10, 10)));
        assert_eq!(s.inc, None);
    }

    #[test]
    fn partial_struts_keep_their_ranges() {
        let p = [0, 0, 24, 0, 0, 0, 0, 0, 1280, 2559, 0, 0];
        let d = dock_strut(&p, &[]).unwrap();
        assert_eq!(d.strut.top, 24);
        assert_eq!(d.top, (1280, 2559));
        assert_eq!(d.left, (0, 0));
        let plain = dock_strut(&[], &[0, 0, 30, 0]).unwrap();
        assert_eq!(plain.top, (0, u32::MAX));
        let inverted = [0, 0, 24, 0, 0, 0, 0, 0, 900, 100, 0, 0];
        assert_eq!(dock_strut(&inverted, &[]).unwrap().top, (0, u32::MAX));
        assert_eq!(dock_strut(&[1, 2], &[]), None);
    }

    #[test]
    fn the_icon_nearest_above_the_size_is_chosen_and_broken_data_is_cut() {
        let mut v = vec![2, 2, 1, 2, 3, 4];
        v.extend([4, 4]);
        v.extend([9; 16]);
        v.extend([3, 3, 7]);
        let small = best_icon(&v, 2).unwrap();
        assert_eq!(
            (small.width, small.height, small.argb),
            (2, 2, vec![1, 2, 3, 4])
        );
        let big = best_icon(&v, 3).unwrap();
        assert_eq!((big.width, big.height), (4, 4));
        assert_eq!(best_icon(&v, 64).unwrap().width, 4, "else the biggest");
        assert_eq!(best_icon(&[u32::MAX, u32::MAX, 1], 16), None);
        assert_eq!(best_icon(&[], 16), None);
    }

    #[test]
    fn machine_names_stop_at_nul() {
        assert_eq!(machine(b"host\0junk"), "host");
        assert_eq!(machine(b""), "");
    }

    #[test]
    fn struts_need_four_values_and_are_capped() {
        assert_eq!(strut(&[1, 2]), None);
        let s = strut(&[0, 0, 30, u32::MAX]).unwrap();
        assert_eq!((s.top, s.bottom), (30, 4096));
    }
}
