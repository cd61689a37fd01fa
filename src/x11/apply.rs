//! Applying effects: every request is sent without waiting for a reply, then flushed once
//! per loop turn. Geometry only reaches X when the snapshot diff says it changed.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    self, AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConfigureNotifyEvent,
    ConfigureWindowAux, ConnectionExt as _, EventMask, GrabMode, InputFocus, ModMask, PropMode,
    StackMode,
};
use x11rb::wrapper::ConnectionExt as _;
use x11rb::{CURRENT_TIME, NONE};

use super::{XError, X11};
use crate::core::{diff, Effect, Snapshot};

/// ICCCM WM_STATE values.
const WITHDRAWN: u32 = 0;
const NORMAL: u32 = 1;
const ICONIC: u32 = 3;

fn clamp16(v: i32) -> i32 {
    v.clamp(-32768, 32767)
}

fn size16(v: u32) -> u32 {
    v.clamp(1, 32767)
}

impl X11 {
    /// Make X show `snap`: diff against what was shown last and apply the difference.
    pub fn push(&mut self, snap: Snapshot) -> Result<(), XError> {
        let mut effects = diff(&self.shown, &snap);
        if effects.iter().any(|e| matches!(e, Effect::Focus(_))) {
            // The core chose a new focus: failures of the old one no longer count.
            self.focus_failures = 0;
        }
        if std::mem::take(&mut self.refocus)
            && !effects.iter().any(|e| matches!(e, Effect::Focus(_)))
        {
            effects.push(Effect::Focus(snap.focus));
        }
        let layout_changed = effects.iter().any(|e| {
            matches!(
                e,
                Effect::Configure { .. } | Effect::Map(_) | Effect::Unmap(_) | Effect::Restack(_)
            )
        });
        self.apply(&effects)?;
        let restacked = effects.iter().any(|e| matches!(e, Effect::Restack(_)));
        let fullscreen = snap.windows.values().any(|v| v.visible && v.fullscreen);
        if restacked && !fullscreen {
            // Our bars and popups are not in the core's stack: keep them above the windows
            // (a fullscreen window covers them).
            for &w in &self.bars {
                self.conn
                    .configure_window(w, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE))?;
            }
        }
        if layout_changed {
            // EnterNotify events generated before the server reaches this request were
            // caused by our own moves, not by the user: focus must not follow them.
            let cookie = self.conn.get_input_focus()?;
            self.enter_marker = cookie.sequence_number();
            drop(cookie);
        }
        self.shown = snap;
        Ok(())
    }

    /// Whether X needs a push although the core did not change: the focus must be set
    /// again (a client moved it, it fell to None, or our SetInputFocus failed).
    pub fn wants_push(&self) -> bool {
        self.refocus
    }

    /// Forget a window that is gone or withdrawn (so a reused id starts fresh). Not the
    /// events selected on it: a MapRequest later in the same batch of events (a reused id,
    /// a window mapped again) selected them before the core handled this one.
    pub fn forget(&mut self, window: u32) {
        self.shown.windows.remove(&window);
        self.mapped.remove(&window);
        self.ignore_unmaps.remove(&window);
        self.known.remove(&window);
        self.our_maps.remove(&window);
    }

    /// Apply effects (the core's immediate ones, or a snapshot diff).
    pub fn apply(&mut self, effects: &[Effect]) -> Result<(), XError> {
        for e in effects {
            self.apply_one(e)?;
        }
        Ok(())
    }

    fn set_wm_state(&self, window: u32, state: u32) -> Result<(), XError> {
        let a = self.atoms.WM_STATE;
        self.conn
            .change_property32(PropMode::REPLACE, window, a, a, &[state, NONE])?;
        Ok(())
    }

    fn apply_one(&mut self, e: &Effect) -> Result<(), XError> {
        tracing::trace!(?e, "effect");
        let c = &self.conn;
        let a = &self.atoms;
        match e {
            Effect::Configure {
                window,
                rect,
                border,
            } => {
                c.configure_window(
                    *window,
                    &ConfigureWindowAux::new()
                        .x(clamp16(rect.x))
                        .y(clamp16(rect.y))
                        .width(size16(rect.w))
                        .height(size16(rect.h))
                        .border_width((*border).min(255)),
                )?;
            }
            Effect::BorderColor { window, color } => {
                c.change_window_attributes(
                    *window,
                    &ChangeWindowAttributesAux::new().border_pixel(0xff00_0000 | color),
                )?;
            }
            Effect::Map(w) => {
                let seq = c.map_window(*w)?.sequence_number();
                self.our_maps.insert(*w, seq);
                self.set_wm_state(*w, NORMAL)?;
                self.mapped.insert(*w);
            }
            Effect::Unmap(w) => {
                if self.mapped.remove(w) {
                    let seq = self.conn.unmap_window(*w)?.sequence_number();
                    self.ignore_unmaps.insert(*w, seq);
                }
                self.set_wm_state(*w, ICONIC)?;
            }
            Effect::Restack(stack) => {
                // Top of our stack goes to the top of all; the rest under its successor.
                if let Some(&top) = stack.last() {
                    c.configure_window(
                        top,
                        &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE),
                    )?;
                    for pair in stack.windows(2).rev() {
                        c.configure_window(
                            pair[0],
                            &ConfigureWindowAux::new()
                                .sibling(pair[1])
                                .stack_mode(StackMode::BELOW),
                        )?;
                    }
                }
            }
            Effect::Focus(target) => match target {
                Some(t) => {
                    // A window that takes no input at all (ICCCM "No Input") gets no
                    // SetInputFocus; the keyboard must still leave the window focused
                    // before, so it goes to our check window. A globally active one
                    // (WM_TAKE_FOCUS) takes the focus itself: moving it here first would
                    // make its SetInputFocus, stamped with an older time, be ignored;
                    // unless X's focus is lost (None), where nothing would have the
                    // keyboard until it does, or for ever if it never does.
                    let target = match (t.set_input, t.take_focus) {
                        (true, _) => Some(t.window),
                        (false, false) => Some(self.check_window),
                        (false, true) => self.focus_lost.then_some(self.check_window),
                    };
                    if let Some(target) = target {
                        self.focus_lost = false;
                        let cookie =
                            c.set_input_focus(InputFocus::POINTER_ROOT, target, CURRENT_TIME)?;
                        self.focus_marker = cookie.sequence_number();
                    }
                    if t.take_focus {
                        let ev = ClientMessageEvent::new(
                            32,
                            t.window,
                            a.WM_PROTOCOLS,
                            [a.WM_TAKE_FOCUS, self.last_time, 0, 0, 0],
                        );
                        c.send_event(false, t.window, EventMask::NO_EVENT, ev)?;
                    }
                    c.change_property32(
                        PropMode::REPLACE,
                        self.root,
                        a._NET_ACTIVE_WINDOW,
                        AtomEnum::WINDOW,
                        &[t.window],
                    )?;
                }
                None => {
                    self.focus_lost = false;
                    let cookie = c.set_input_focus(
                        InputFocus::POINTER_ROOT,
                        self.check_window,
                        CURRENT_TIME,
                    )?;
                    self.focus_marker = cookie.sequence_number();
                    c.change_property32(
                        PropMode::REPLACE,
                        self.root,
                        a._NET_ACTIVE_WINDOW,
                        AtomEnum::WINDOW,
                        &[NONE],
                    )?;
                }
            },
            Effect::NetWmState { window, states } => self.set_net_wm_state(*window, states)?,
            Effect::FrameExtents { window, border } => self.set_frame_extents(*window, *border)?,
            Effect::AllowedActions { window, resizable } => {
                self.set_allowed_actions(*window, *resizable)?
            }
            Effect::WorkArea(areas) => self.set_workarea(areas)?,
            Effect::DesktopGeometry { width, height } => {
                self.set_root_cardinals(a._NET_DESKTOP_GEOMETRY, &[*width, *height])?
            }
            Effect::ShowingDesktop(on) => {
                self.set_root_cardinals(a._NET_SHOWING_DESKTOP, &[u32::from(*on)])?
            }
            Effect::GrabPointer => self.grab_pointer()?,
            Effect::UngrabPointer => self.ungrab_pointer()?,
            // Carried out by the event loop.
            Effect::Spawn { .. } => {}
            Effect::WmDesktop { window, desktop } => {
                c.change_property32(
                    PropMode::REPLACE,
                    *window,
                    a._NET_WM_DESKTOP,
                    AtomEnum::CARDINAL,
                    &[*desktop],
                )?;
            }
            Effect::ClientList { mapping, stacking } => {
                c.change_property32(
                    PropMode::REPLACE,
                    self.root,
                    a._NET_CLIENT_LIST,
                    AtomEnum::WINDOW,
                    mapping,
                )?;
                c.change_property32(
                    PropMode::REPLACE,
                    self.root,
                    a._NET_CLIENT_LIST_STACKING,
                    AtomEnum::WINDOW,
                    stacking,
                )?;
            }
            Effect::Desktops(names) => {
                let n = names.len() as u32;
                c.change_property32(
                    PropMode::REPLACE,
                    self.root,
                    a._NET_NUMBER_OF_DESKTOPS,
                    AtomEnum::CARDINAL,
                    &[n],
                )?;
                let mut bytes = Vec::new();
                for name in names {
                    bytes.extend_from_slice(name.as_bytes());
                    bytes.push(0);
                }
                c.change_property8(
                    PropMode::REPLACE,
                    self.root,
                    a._NET_DESKTOP_NAMES,
                    a.UTF8_STRING,
                    &bytes,
                )?;
                c.change_property32(
                    PropMode::REPLACE,
                    self.root,
                    a._NET_DESKTOP_VIEWPORT,
                    AtomEnum::CARDINAL,
                    &vec![0; 2 * names.len()],
                )?;
            }
            Effect::CurrentDesktop(d) => {
                c.change_property32(
                    PropMode::REPLACE,
                    self.root,
                    a._NET_CURRENT_DESKTOP,
                    AtomEnum::CARDINAL,
                    &[*d],
                )?;
            }
            Effect::ConfigureNotify {
                window,
                rect,
                border,
            } => {
                let ev = ConfigureNotifyEvent {
                    response_type: xproto::CONFIGURE_NOTIFY_EVENT,
                    sequence: 0,
                    event: *window,
                    window: *window,
                    above_sibling: NONE,
                    x: clamp16(rect.x) as i16,
                    y: clamp16(rect.y) as i16,
                    width: size16(rect.w) as u16,
                    height: size16(rect.h) as u16,
                    border_width: (*border).min(255) as u16,
                    override_redirect: false,
                };
                c.send_event(false, *window, EventMask::STRUCTURE_NOTIFY, ev)?;
            }
            Effect::ConfigureUnmanaged { window, req } => {
                let mut aux = ConfigureWindowAux::new();
                aux.x = req.x.map(clamp16);
                aux.y = req.y.map(clamp16);
                aux.width = req.w.map(size16);
                aux.height = req.h.map(size16);
                aux.border_width = req.border.map(|b| b.min(255));
                aux.sibling = req.sibling;
                aux.stack_mode = req
                    .stack_mode
                    .and_then(|m| u8::try_from(m).ok())
                    .map(StackMode::from);
                c.configure_window(*window, &aux)?;
            }
            Effect::MapUnmanaged(w) => {
                let seq = c.map_window(*w)?.sequence_number();
                self.our_maps.insert(*w, seq);
            }
            Effect::Withdraw(w) => {
                // A withdrawn window is unmapped. After a real UnmapNotify it already is;
                // after a synthetic one alone (ICCCM 4.1.4, or a client whose unmap came
                // before we mapped it) it would stay on screen, unmanaged.
                // The events we selected on it stay selected: the client may map it again
                // within the same batch of events, after we selected them anew.
                let unmap = if self.mapped.remove(w) {
                    Some(self.conn.unmap_window(*w)?.sequence_number())
                } else {
                    None
                };
                self.set_wm_state(*w, WITHDRAWN)?;
                self.forget(*w);
                if let Some(seq) = unmap {
                    // Our unmap's UnmapNotify must not withdraw the window again should
                    // the client have mapped it anew in the meantime.
                    self.ignore_unmaps.insert(*w, seq);
                }
            }
            Effect::Close {
                window,
                delete_window,
            } => {
                if *delete_window {
                    let ev = ClientMessageEvent::new(
                        32,
                        *window,
                        a.WM_PROTOCOLS,
                        [a.WM_DELETE_WINDOW, self.last_time, 0, 0, 0],
                    );
                    c.send_event(false, *window, EventMask::NO_EVENT, ev)?;
                } else {
                    c.kill_client(*window)?;
                }
            }
            Effect::Hook(_) => {}
        }
        Ok(())
    }

    /// The keyboard focus went to None or PointerRoot behind our back (a client's
    /// SetInputFocus, or a focused window that died with revert-to None, where no key
    /// binding works): give it back to the window we show focused, else the check window.
    pub(super) fn reassert_focus(&mut self) -> Result<(), XError> {
        let target = match self.shown.focus {
            Some(t) if t.set_input => t.window,
            _ => self.check_window,
        };
        let cookie = self
            .conn
            .set_input_focus(InputFocus::POINTER_ROOT, target, CURRENT_TIME)?;
        self.focus_marker = cookie.sequence_number();
        Ok(())
    }

    /// Grab exactly these (mods, keysym) pairs on the root, for every combination of
    /// Caps Lock and Num Lock.
    pub fn grab_keys(&mut self, grabs: &[(u16, u32)]) -> Result<(), XError> {
        let c = &self.conn;
        c.ungrab_key(xproto::Grab::ANY, self.root, ModMask::ANY)?;
        let lock = u16::from(ModMask::LOCK);
        let num = self.keyboard.numlock;
        let extra = [0, lock, num, lock | num];
        for &(mods, keysym) in grabs {
            let codes = self.keyboard.keycodes(keysym);
            if codes.is_empty() {
                tracing::debug!(keysym, "no keycode produces this keysym; binding inactive");
            }
            for code in codes {
                for e in extra {
                    c.grab_key(
                        true,
                        self.root,
                        ModMask::from(mods | e),
                        code,
                        GrabMode::ASYNC,
                        GrabMode::ASYNC,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Grab configured mouse bindings (mods + button) on the root.
    pub fn grab_buttons(&mut self, buttons: &[(u16, u8)]) -> Result<(), XError> {
        let c = &self.conn;
        c.ungrab_button(xproto::ButtonIndex::ANY, self.root, ModMask::ANY)?;
        let lock = u16::from(ModMask::LOCK);
        let num = self.keyboard.numlock;
        for &(mods, button) in buttons {
            for e in [0, lock, num, lock | num] {
                c.grab_button(
                    false,
                    self.root,
                    EventMask::BUTTON_PRESS,
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

    /// Re-read the keyboard map (after MappingNotify).
    pub fn reload_keyboard(&mut self) -> Result<(), XError> {
        self.keyboard = super::Keyboard::load(&self.conn)?;
        Ok(())
    }

    /// Release what we own on exit: tray icons handed back, focus back to the pointer root,
    /// check window removed.
    pub fn shutdown(&mut self) {
        self.tray_shutdown();
        let _ = self.conn.set_input_focus(
            InputFocus::POINTER_ROOT,
            x11rb::protocol::xproto::InputFocus::POINTER_ROOT,
            CURRENT_TIME,
        );
        let _ = self.conn.destroy_window(self.check_window);
        let _ = self
            .conn
            .delete_property(self.root, self.atoms._NET_SUPPORTING_WM_CHECK);
        let _ = self.conn.flush();
    }
}
