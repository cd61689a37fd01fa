//! The state as JSON: what `oxtile cmd windows|groups|screens` prints and what Lua's
//! `oxtile.clients()` and friends read. One shape for both, so they cannot disagree.

use serde_json::{json, Value};

use super::snapshot::Snapshot;
use super::state::State;
use crate::action::WindowId;

impl State {
    /// One window as JSON, with its geometry from `snap`.
    pub fn window_json(&self, w: WindowId, snap: &Snapshot) -> Value {
        let Some(c) = self.clients.get(&w) else {
            return Value::Null;
        };
        let v = snap.windows.get(&w);
        let rect = v.map_or(c.float_rect, |v| v.rect);
        json!({
            "id": w,
            "title": c.info.title,
            "class": c.info.class,
            "instance": c.info.instance,
            "role": c.info.role,
            "type": c.info.window_type,
            "group": self.groups.get(c.group).map(|g| g.name.as_str()),
            "floating": c.floating,
            "fullscreen": c.fullscreen,
            "urgent": c.urgent,
            "focused": self.focused() == Some(w),
            "visible": v.is_some_and(|v| v.visible),
            "transient_for": c.info.transient_for,
            "minimized": c.minimized,
            "maximized_vert": c.maximized_vert,
            "maximized_horz": c.maximized_horz,
            "above": c.above,
            "below": c.below,
            "sticky": c.sticky,
            "skip_taskbar": c.skip_taskbar,
            "skip_pager": c.skip_pager,
            "scratchpad": self.scratchpad_of(w).map(|i| self.scratchpads[i].spec.name.as_str()),
            "pid": c.info.pid,
            "machine": c.info.machine,
            "x": rect.x,
            "y": rect.y,
            "width": rect.w,
            "height": rect.h,
        })
    }

    /// Every managed window, in mapping order.
    pub fn windows_json(&self, snap: &Snapshot) -> Value {
        Value::Array(
            self.managed_order
                .iter()
                .map(|&w| self.window_json(w, snap))
                .collect(),
        )
    }

    /// Every group.
    pub fn groups_json(&self) -> Value {
        let current = self.current_group();
        Value::Array(
            self.groups
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    json!({
                        "name": g.name,
                        "index": i,
                        "screen": self.screen_of_group(i),
                        "layout": g.current_layout().name(),
                        "layouts": g.layouts.iter().map(|l| l.name()).collect::<Vec<_>>(),
                        "layout_state": g.current_layout().state(),
                        "windows": g.windows,
                        "focused_window": g.focused(),
                        "focused": i == current,
                    })
                })
                .collect(),
        )
    }

    /// Every screen.
    pub fn screens_json(&self) -> Value {
        Value::Array(
            self.screens
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let wa = self.work_area(i);
                    json!({
                        "index": i,
                        "x": s.rect.x,
                        "y": s.rect.y,
                        "width": s.rect.w,
                        "height": s.rect.h,
                        "group": self.groups.get(s.group).map(|g| g.name.as_str()),
                        "focused": i == self.focused_screen,
                        "work_area": {"x": wa.x, "y": wa.y, "width": wa.w, "height": wa.h},
                    })
                })
                .collect(),
        )
    }

    /// The current group and its layout.
    pub fn layout_json(&self) -> Value {
        let g = &self.groups[self.current_group()];
        json!({
            "group": g.name,
            "layout": g.current_layout().name(),
            "state": g.current_layout().state(),
        })
    }

    /// Everything at once: what Lua callbacks see.
    pub fn view(&self) -> Value {
        let snap = self.snapshot();
        json!({
            "windows": self.windows_json(&snap),
            "groups": self.groups_json(),
            "screens": self.screens_json(),
            "focused": self.focused(),
            "current_group": self.groups[self.current_group()].name,
            "showing_desktop": self.showing_desktop,
        })
    }
}
