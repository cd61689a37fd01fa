//! Dragging windows with the pointer: the drag bindings are passive grabs on the root that
//! also report motion and the release, so a press becomes `Input::DragStart` (with the
//! window under the pointer), every motion `Input::DragMotion` and the release
//! `Input::DragEnd`. Client-started drags (`_NET_WM_MOVERESIZE`) grab the pointer
//! actively for the same events. The geometry is computed in the core (`core::drag`).

use x11rb::protocol::xproto::{
    self, ButtonPressEvent, ConnectionExt as _, EventMask, GrabMode, ModMask,
};
use x11rb::{CURRENT_TIME, NONE};

use super::{XError, X11};
use crate::core::drag::DragKind;
use crate::core::Input;

fn drag_events() -> EventMask {
    EventMask::BUTTON_PRESS | EventMask::BUTTON_RELEASE | EventMask::BUTTON_MOTION
}

impl X11 {
    /// Grab the drag bindings (mods, button, kind) on the root, for every combination of
    /// Caps Lock and Num Lock. Call after [`X11::grab_buttons`], which drops every button
    /// grab first.
    pub fn grab_drags(&mut self, drags: &[(u16, u8, DragKind)]) -> Result<(), XError> {
        self.drags = drags.to_vec();
        let lock = u16::from(ModMask::LOCK);
        let num = self.keyboard.numlock;
        for &(mods, button, _) in drags {
            for e in [0, lock, num, lock | num] {
                self.conn.grab_button(
                    false,
                    self.root,
                    drag_events(),
                    GrabMode::ASYNC,
                    GrabMode::ASYNC,
                    NONE,
                    NONE,
                    xproto::ButtonIndex::from(button),
                    ModMask::from(mods | e),
                )?;
            }
        }
        Ok(())
    }

    /// A press of a drag binding on a window, as the start of a drag.
    pub(super) fn drag_press(&self, e: &ButtonPressEvent) -> Option<Input> {
        if e.event != self.root || e.child == NONE {
            return None;
        }
        let mods = self.clean_mods(u16::from(e.state));
        let kind = self
            .drags
            .iter()
            .find(|(m, b, _)| *m == mods && *b == e.detail)
            .map(|(_, _, k)| *k)?;
        Some(Input::DragStart {
            window: e.child,
            kind,
            x: e.root_x.into(),
            y: e.root_y.into(),
        })
    }

    /// Grab the pointer for a drag a client asked for; the reply is not waited for (a
    /// failed grab only means the drag ends at the next click).
    pub(super) fn grab_pointer(&self) -> Result<(), XError> {
        let mask = EventMask::BUTTON_PRESS | EventMask::BUTTON_RELEASE | EventMask::POINTER_MOTION;
        drop(self.conn.grab_pointer(
            false,
            self.root,
            mask,
            GrabMode::ASYNC,
            GrabMode::ASYNC,
            NONE,
            NONE,
            CURRENT_TIME,
        )?);
        Ok(())
    }

    /// Release the pointer after a client-started drag.
    pub(super) fn ungrab_pointer(&self) -> Result<(), XError> {
        self.conn.ungrab_pointer(CURRENT_TIME)?;
        Ok(())
    }
}
