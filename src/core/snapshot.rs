//! Rendering the state into a `Snapshot` (where every window is, what is focused, how
//! windows stack) and diffing two snapshots into the effects that turn one into the other.
//! The X adapter keeps the last snapshot it pushed, so X only hears about changes.

use std::collections::BTreeMap;

use super::geometry::Rect;
use super::state::State;
use super::Effect;
use crate::action::WindowId;

/// How one managed window should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowView {
    /// Shown (its group is on a screen).
    pub visible: bool,
    /// Geometry, border excluded.
    pub rect: Rect,
    /// Border width.
    pub border: u32,
    /// Border colour.
    pub border_color: u32,
    /// `_NET_WM_STATE_FULLSCREEN`.
    pub fullscreen: bool,
    /// `_NET_WM_STATE_DEMANDS_ATTENTION`.
    pub urgent: bool,
    /// Group index (`_NET_WM_DESKTOP`).
    pub desktop: u32,
}

/// Who gets input focus and how (ICCCM: the input hint and WM_TAKE_FOCUS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FocusTarget {
    /// The window.
    pub window: WindowId,
    /// Call SetInputFocus (the input hint is not false).
    pub set_input: bool,
    /// Send WM_TAKE_FOCUS.
    pub take_focus: bool,
}

/// The whole visible result of the state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// Every managed window.
    pub windows: BTreeMap<WindowId, WindowView>,
    /// Visible windows, bottom to top.
    pub stack: Vec<WindowId>,
    /// Managed windows in mapping order.
    pub client_list: Vec<WindowId>,
    /// Focus.
    pub focus: Option<FocusTarget>,
    /// Group names.
    pub desktops: Vec<String>,
    /// Index of the group on the focused screen.
    pub current_desktop: u32,
}

impl State {
    /// Lay out every visible group and describe the result.
    pub fn snapshot(&self) -> Snapshot {
        let mut snap = Snapshot {
            client_list: self.managed_order.clone(),
            desktops: self.groups.iter().map(|g| g.name.clone()).collect(),
            current_desktop: self.current_group() as u32,
            ..Default::default()
        };
        let focused = self.focused();
        let bw = self.settings.border_width;
        let color = |w: WindowId, urgent: bool| {
            if Some(w) == focused {
                self.settings.border_focus
            } else if urgent {
                self.settings.border_urgent
            } else {
                self.settings.border_normal
            }
        };
        for (w, c) in &self.clients {
            snap.windows.insert(
                *w,
                WindowView {
                    visible: false,
                    rect: c.float_rect,
                    border: bw,
                    border_color: color(*w, c.urgent),
                    fullscreen: c.fullscreen,
                    urgent: c.urgent,
                    desktop: c.group as u32,
                },
            );
        }
        for (si, screen) in self.screens.iter().enumerate() {
            let Some(group) = self.groups.get(screen.group) else {
                continue;
            };
            // With more screens than groups, a group is shown on its first screen only.
            if self.screen_of_group(screen.group) != Some(si) {
                continue;
            }
            let layout = group.current_layout();
            let area = self.work_area(si);
            let all_float = layout.is_floating();
            let tiled: Vec<WindowId> = group
                .windows
                .iter()
                .copied()
                .filter(|w| {
                    self.clients
                        .get(w)
                        .is_some_and(|c| !c.floating && !c.fullscreen && !all_float)
                })
                .collect();
            let focus_idx = group
                .focused()
                .and_then(|f| tiled.iter().position(|&w| w == f));
            let rects = layout.arrange(tiled.len(), focus_idx, area);
            let margin = self.settings.margin;
            for (w, r) in tiled.iter().zip(rects) {
                let r = r.shrink(margin);
                let rect = Rect::new(
                    r.x,
                    r.y,
                    r.w.saturating_sub(2 * bw).max(1),
                    r.h.saturating_sub(2 * bw).max(1),
                );
                // A zero-sized tile (a tiny area) still gives a 1×1 window: keep it inside.
                let rect = rect.moved_inside(&area);
                if let Some(v) = snap.windows.get_mut(w) {
                    v.visible = true;
                    v.rect = rect;
                }
            }
            // Stacking: tiled (the last focused tiled one on top of them, for Max, even
            // while a floating window has focus), floating in focus order with transients
            // above their parents, fullscreen above all.
            let mut tiled_stack = tiled.clone();
            let top_tiled = group
                .focus_stack
                .iter()
                .rev()
                .find_map(|f| tiled.iter().position(|w| w == f));
            if let Some(i) = top_tiled {
                let f = tiled_stack.remove(i);
                tiled_stack.push(f);
            }
            let by_focus = |a: &WindowId| {
                group
                    .focus_stack
                    .iter()
                    .position(|x| x == a)
                    .map_or(0, |p| p + 1)
            };
            let mut floating: Vec<WindowId> = group
                .windows
                .iter()
                .copied()
                .filter(|w| !tiled.contains(w))
                .filter(|w| self.clients.get(w).is_some_and(|c| !c.fullscreen))
                .collect();
            floating.sort_by_key(by_focus);
            let floating = transients_above_parents(floating, |w| {
                self.clients.get(&w).and_then(|c| c.info.transient_for)
            });
            for w in &floating {
                if let Some(v) = snap.windows.get_mut(w) {
                    v.visible = true;
                }
            }
            let mut fullscreen: Vec<WindowId> = group
                .windows
                .iter()
                .copied()
                .filter(|w| self.clients.get(w).is_some_and(|c| c.fullscreen))
                .collect();
            fullscreen.sort_by_key(by_focus);
            for w in &fullscreen {
                if let Some(v) = snap.windows.get_mut(w) {
                    v.visible = true;
                    v.rect = screen.rect;
                    v.border = 0;
                }
            }
            snap.stack.extend(tiled_stack);
            snap.stack.extend(floating);
            snap.stack.extend(fullscreen);
        }
        snap.focus = focused
            .filter(|w| snap.windows.get(w).is_some_and(|v| v.visible))
            .and_then(|w| self.clients.get(&w))
            .map(|c| FocusTarget {
                window: c.window,
                set_input: c.info.input_hint != Some(false),
                take_focus: c.info.protocols.take_focus,
            });
        snap
    }
}

/// Reorder so that every transient comes after its parent (cycles are left as they are).
fn transients_above_parents(
    mut order: Vec<WindowId>,
    parent: impl Fn(WindowId) -> Option<WindowId>,
) -> Vec<WindowId> {
    // Bounded passes: a cycle of transients (a client bug) cannot loop forever.
    for _ in 0..order.len() {
        let mut moved = false;
        for i in 0..order.len() {
            if let Some(p) = parent(order[i]) {
                if let Some(j) = order.iter().position(|&w| w == p) {
                    if j > i {
                        let w = order.remove(i);
                        order.insert(j, w);
                        moved = true;
                        break;
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
    order
}

/// The effects that turn what X shows (`old`) into `new`, in the order i3's x_push_changes
/// uses: geometry first, then maps, stacking, focus, and unmaps last so that new windows
/// appear before old ones vanish; root properties at the end.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<Effect> {
    let mut fx = Vec::new();
    let mut maps = Vec::new();
    let mut unmaps = Vec::new();
    for (&w, v) in &new.windows {
        let before = old.windows.get(&w);
        if v.visible {
            let moved =
                before.is_none_or(|b| !b.visible || b.rect != v.rect || b.border != v.border);
            if moved {
                fx.push(Effect::Configure {
                    window: w,
                    rect: v.rect,
                    border: v.border,
                });
            }
            if before.is_none_or(|b| !b.visible) {
                maps.push(w);
            }
        } else if before.is_none_or(|b| b.visible) {
            unmaps.push(w);
        }
        if before.is_none_or(|b| b.border_color != v.border_color) {
            fx.push(Effect::BorderColor {
                window: w,
                color: v.border_color,
            });
        }
        if before.is_none_or(|b| b.fullscreen != v.fullscreen || b.urgent != v.urgent) {
            fx.push(Effect::NetWmState {
                window: w,
                fullscreen: v.fullscreen,
                demands_attention: v.urgent,
            });
        }
        if before.is_none_or(|b| b.desktop != v.desktop) {
            fx.push(Effect::WmDesktop {
                window: w,
                desktop: v.desktop,
            });
        }
    }
    fx.extend(maps.into_iter().map(Effect::Map));
    if old.stack != new.stack && new.stack.len() > 1 {
        fx.push(Effect::Restack(new.stack.clone()));
    }
    if old.focus != new.focus {
        fx.push(Effect::Focus(new.focus));
    }
    fx.extend(unmaps.into_iter().map(Effect::Unmap));
    if old.client_list != new.client_list || old.stack != new.stack {
        let mut stacking: Vec<WindowId> = new
            .client_list
            .iter()
            .copied()
            .filter(|w| !new.stack.contains(w))
            .collect();
        stacking.extend(&new.stack);
        fx.push(Effect::ClientList {
            mapping: new.client_list.clone(),
            stacking,
        });
    }
    if old.desktops != new.desktops {
        fx.push(Effect::Desktops(new.desktops.clone()));
    }
    if old.current_desktop != new.current_desktop || old.desktops.is_empty() {
        fx.push(Effect::CurrentDesktop(new.current_desktop));
    }
    fx
}
