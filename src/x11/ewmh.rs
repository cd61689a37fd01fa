//! EWMH and ICCCM beyond the basics: `_NET_SUPPORTED` (exactly what is honoured; the
//! table with reasons is docs/ewmh.md), decoding the ClientMessages pagers and clients
//! send, and writing the per-window and root properties the core's effects ask for.

use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, PropMode};
use x11rb::wrapper::ConnectionExt as _;

use super::atoms::Atoms;
use super::props;
use super::{XError, XEvent, X11};
use crate::core::client::NetStates;
use crate::core::geometry::Rect;
use crate::core::{ConfigureReq, Input, StateChange};

/// ICCCM IconicState, as `WM_CHANGE_STATE` carries it.
const ICONIC_STATE: u32 = 3;

/// Every atom oxtile honours, for `_NET_SUPPORTED`.
pub fn supported(a: &Atoms) -> Vec<u32> {
    vec![
        a._NET_SUPPORTED,
        a._NET_SUPPORTING_WM_CHECK,
        a._NET_WM_NAME,
        a._NET_CLIENT_LIST,
        a._NET_CLIENT_LIST_STACKING,
        a._NET_ACTIVE_WINDOW,
        a._NET_NUMBER_OF_DESKTOPS,
        a._NET_CURRENT_DESKTOP,
        a._NET_DESKTOP_NAMES,
        a._NET_DESKTOP_VIEWPORT,
        a._NET_DESKTOP_GEOMETRY,
        a._NET_WORKAREA,
        a._NET_SHOWING_DESKTOP,
        a._NET_CLOSE_WINDOW,
        a._NET_MOVERESIZE_WINDOW,
        a._NET_WM_MOVERESIZE,
        a._NET_REQUEST_FRAME_EXTENTS,
        a._NET_FRAME_EXTENTS,
        a._NET_WM_DESKTOP,
        a._NET_WM_PID,
        a._NET_WM_ALLOWED_ACTIONS,
        a._NET_WM_ACTION_MOVE,
        a._NET_WM_ACTION_RESIZE,
        a._NET_WM_ACTION_MINIMIZE,
        a._NET_WM_ACTION_STICK,
        a._NET_WM_ACTION_MAXIMIZE_HORZ,
        a._NET_WM_ACTION_MAXIMIZE_VERT,
        a._NET_WM_ACTION_FULLSCREEN,
        a._NET_WM_ACTION_CHANGE_DESKTOP,
        a._NET_WM_ACTION_CLOSE,
        a._NET_WM_ACTION_ABOVE,
        a._NET_WM_ACTION_BELOW,
        a._NET_WM_STATE,
        a._NET_WM_STATE_FULLSCREEN,
        a._NET_WM_STATE_MAXIMIZED_VERT,
        a._NET_WM_STATE_MAXIMIZED_HORZ,
        a._NET_WM_STATE_ABOVE,
        a._NET_WM_STATE_BELOW,
        a._NET_WM_STATE_STICKY,
        a._NET_WM_STATE_HIDDEN,
        a._NET_WM_STATE_DEMANDS_ATTENTION,
        a._NET_WM_STATE_SKIP_TASKBAR,
        a._NET_WM_STATE_SKIP_PAGER,
        a._NET_WM_WINDOW_TYPE,
        a._NET_WM_WINDOW_TYPE_NORMAL,
        a._NET_WM_WINDOW_TYPE_DIALOG,
        a._NET_WM_WINDOW_TYPE_UTILITY,
        a._NET_WM_WINDOW_TYPE_SPLASH,
        a._NET_WM_WINDOW_TYPE_TOOLBAR,
        a._NET_WM_WINDOW_TYPE_MENU,
        a._NET_WM_WINDOW_TYPE_DROPDOWN_MENU,
        a._NET_WM_WINDOW_TYPE_POPUP_MENU,
        a._NET_WM_WINDOW_TYPE_TOOLTIP,
        a._NET_WM_WINDOW_TYPE_COMBO,
        a._NET_WM_WINDOW_TYPE_DND,
        a._NET_WM_WINDOW_TYPE_NOTIFICATION,
        a._NET_WM_WINDOW_TYPE_DOCK,
        a._NET_WM_WINDOW_TYPE_DESKTOP,
        a._NET_WM_STRUT,
        a._NET_WM_STRUT_PARTIAL,
    ]
}

/// A ClientMessage (format 32 already checked) as a core input, `None` when it is not one
/// oxtile honours. `d` is the data, `window` the window it is about.
pub fn decode_message(a: &Atoms, type_: u32, window: u32, d: [u32; 5]) -> Option<Input> {
    let t = type_;
    Some(if t == a._NET_ACTIVE_WINDOW {
        Input::Activate {
            window,
            pager: d[0] == 2,
        }
    } else if t == a._NET_CLOSE_WINDOW {
        Input::CloseRequest { window }
    } else if t == a._NET_CURRENT_DESKTOP {
        Input::DesktopRequest { desktop: d[0] }
    } else if t == a._NET_WM_DESKTOP {
        Input::WmDesktopRequest {
            window,
            desktop: d[0],
        }
    } else if t == a._NET_WM_STATE {
        let change = match d[0] {
            0 => StateChange::Remove,
            1 => StateChange::Add,
            2 => StateChange::Toggle,
            other => {
                tracing::debug!("ignoring _NET_WM_STATE action {other}");
                return None;
            }
        };
        let states = props::net_states(a, [d[1], d[2]].into_iter());
        if states == NetStates::default() {
            return None;
        }
        Input::WmStateRequest {
            window,
            change,
            states,
        }
    } else if t == a.WM_CHANGE_STATE {
        if d[0] != ICONIC_STATE {
            return None;
        }
        Input::Iconify { window }
    } else if t == a._NET_NUMBER_OF_DESKTOPS {
        Input::DesktopCountRequest { count: d[0] }
    } else if t == a._NET_SHOWING_DESKTOP {
        Input::ShowingDesktop { show: d[0] != 0 }
    } else if t == a._NET_REQUEST_FRAME_EXTENTS {
        Input::FrameExtentsRequest { window }
    } else if t == a._NET_MOVERESIZE_WINDOW {
        // data.l[0]: gravity in bits 0-7, then which of x, y, width, height are given.
        let has = |bit: u32| d[0] & (1 << bit) != 0;
        Input::ConfigureRequest {
            window,
            req: ConfigureReq {
                x: has(8).then_some(d[1] as i32),
                y: has(9).then_some(d[2] as i32),
                w: has(10).then_some(d[3]),
                h: has(11).then_some(d[4]),
                ..Default::default()
            },
        }
    } else if t == a._NET_WM_MOVERESIZE {
        Input::MoveResizeRequest {
            window,
            x: d[0] as i32,
            y: d[1] as i32,
            direction: d[2],
        }
    } else {
        return None;
    })
}

/// A ClientMessage sent to the root (or a client) as a core input: [`decode_message`]
/// after checking the format (EWMH messages are all format 32; others are ignored).
pub fn decode_client_message(a: &Atoms, e: &ClientMessageEvent) -> Option<Input> {
    if e.format != 32 {
        tracing::debug!(
            window = e.window,
            "ignoring ClientMessage of format {}",
            e.format
        );
        return None;
    }
    decode_message(a, e.type_, e.window, e.data.as_data32())
}

impl X11 {
    /// Decode a ClientMessage sent to the root (or a client).
    pub(super) fn client_message(&self, e: &ClientMessageEvent) -> Option<XEvent> {
        decode_client_message(&self.atoms, e).map(XEvent::Core)
    }

    /// A window's `_NET_WM_ICON`, read now (one round trip; for widgets that show icons,
    /// when they need one): the image best for `size` pixels.
    pub fn window_icon(&self, window: u32, size: u32) -> Option<props::Icon> {
        use x11rb::protocol::xproto::ConnectionExt as _;
        // At most 1 MiB of icon data.
        let reply = self
            .conn
            .get_property(
                false,
                window,
                self.atoms._NET_WM_ICON,
                AtomEnum::CARDINAL,
                0,
                1 << 18,
            )
            .ok()?
            .reply()
            .ok()?;
        let values: Vec<u32> = reply.value32()?.collect();
        props::best_icon(&values, size)
    }

    pub(super) fn set_net_wm_state(&self, window: u32, states: &NetStates) -> Result<(), XError> {
        let list = props::net_state_atoms(&self.atoms, states);
        self.conn.change_property32(
            PropMode::REPLACE,
            window,
            self.atoms._NET_WM_STATE,
            AtomEnum::ATOM,
            &list,
        )?;
        Ok(())
    }

    pub(super) fn set_frame_extents(&self, window: u32, border: u32) -> Result<(), XError> {
        self.conn.change_property32(
            PropMode::REPLACE,
            window,
            self.atoms._NET_FRAME_EXTENTS,
            AtomEnum::CARDINAL,
            &[border; 4],
        )?;
        Ok(())
    }

    pub(super) fn set_allowed_actions(&self, window: u32, resizable: bool) -> Result<(), XError> {
        let a = &self.atoms;
        let mut list = vec![
            a._NET_WM_ACTION_MOVE,
            a._NET_WM_ACTION_MINIMIZE,
            a._NET_WM_ACTION_STICK,
            a._NET_WM_ACTION_FULLSCREEN,
            a._NET_WM_ACTION_CHANGE_DESKTOP,
            a._NET_WM_ACTION_CLOSE,
            a._NET_WM_ACTION_ABOVE,
            a._NET_WM_ACTION_BELOW,
        ];
        if resizable {
            list.extend([
                a._NET_WM_ACTION_RESIZE,
                a._NET_WM_ACTION_MAXIMIZE_HORZ,
                a._NET_WM_ACTION_MAXIMIZE_VERT,
            ]);
        }
        self.conn.change_property32(
            PropMode::REPLACE,
            window,
            a._NET_WM_ALLOWED_ACTIONS,
            AtomEnum::ATOM,
            &list,
        )?;
        Ok(())
    }

    pub(super) fn set_workarea(&self, areas: &[Rect]) -> Result<(), XError> {
        let values: Vec<u32> = areas
            .iter()
            .flat_map(|r| [r.x.max(0) as u32, r.y.max(0) as u32, r.w, r.h])
            .collect();
        self.conn.change_property32(
            PropMode::REPLACE,
            self.root,
            self.atoms._NET_WORKAREA,
            AtomEnum::CARDINAL,
            &values,
        )?;
        Ok(())
    }

    pub(super) fn set_root_cardinals(&self, property: u32, values: &[u32]) -> Result<(), XError> {
        self.conn.change_property32(
            PropMode::REPLACE,
            self.root,
            property,
            AtomEnum::CARDINAL,
            values,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Atoms with distinct values for the ones these tests use, 0 for the others (the
    /// decoding only compares them, and ignores 0).
    fn atoms() -> Atoms {
        // SAFETY: `Atoms` is a plain struct of `u32` fields, for which zero is valid.
        let mut a: Atoms = unsafe { std::mem::zeroed() };
        a._NET_WM_STATE = 10;
        a._NET_WM_STATE_FULLSCREEN = 11;
        a._NET_WM_STATE_ABOVE = 12;
        a._NET_WM_STATE_BELOW = 13;
        a._NET_ACTIVE_WINDOW = 20;
        a.WM_CHANGE_STATE = 21;
        a._NET_MOVERESIZE_WINDOW = 22;
        a._NET_WM_MOVERESIZE = 23;
        a
    }

    #[test]
    fn state_requests_name_one_or_two_states() {
        let a = atoms();
        let fs = a._NET_WM_STATE_FULLSCREEN;
        let above = a._NET_WM_STATE_ABOVE;
        let input = decode_message(&a, a._NET_WM_STATE, 7, [2, fs, above, 2, 0]).unwrap();
        let Input::WmStateRequest {
            window,
            change,
            states,
        } = input
        else {
            panic!("{input:?}");
        };
        assert_eq!((window, change), (7, StateChange::Toggle));
        assert!(states.fullscreen && states.above && !states.below);
        assert!(decode_message(&a, a._NET_WM_STATE, 7, [5, fs, 0, 0, 0]).is_none());
        assert!(decode_message(&a, a._NET_WM_STATE, 7, [1, 0, 0, 0, 0]).is_none());
    }

    #[test]
    fn activation_source_and_iconify() {
        let a = atoms();
        assert_eq!(
            decode_message(&a, a._NET_ACTIVE_WINDOW, 3, [2, 0, 0, 0, 0]),
            Some(Input::Activate {
                window: 3,
                pager: true
            })
        );
        assert_eq!(
            decode_message(&a, a._NET_ACTIVE_WINDOW, 3, [1, 0, 0, 0, 0]),
            Some(Input::Activate {
                window: 3,
                pager: false
            })
        );
        assert_eq!(
            decode_message(&a, a.WM_CHANGE_STATE, 3, [3, 0, 0, 0, 0]),
            Some(Input::Iconify { window: 3 })
        );
        assert_eq!(
            decode_message(&a, a.WM_CHANGE_STATE, 3, [1, 0, 0, 0, 0]),
            None
        );
    }

    #[test]
    fn moveresize_window_takes_only_the_flagged_fields() {
        let a = atoms();
        let flags = (1 << 8) | (1 << 11) | 10; // x and height, static gravity
        let got = decode_message(
            &a,
            a._NET_MOVERESIZE_WINDOW,
            9,
            [flags, (-20i32) as u32, 5, 300, 200],
        );
        assert_eq!(
            got,
            Some(Input::ConfigureRequest {
                window: 9,
                req: ConfigureReq {
                    x: Some(-20),
                    h: Some(200),
                    ..Default::default()
                }
            })
        );
        assert_eq!(
            decode_message(&a, a._NET_WM_MOVERESIZE, 9, [100, 200, 8, 1, 1]),
            Some(Input::MoveResizeRequest {
                window: 9,
                x: 100,
                y: 200,
                direction: 8
            })
        );
        assert_eq!(decode_message(&a, 424242, 9, [0; 5]), None);
    }
}
