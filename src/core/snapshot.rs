//! Rendering the state into a `Snapshot` (where every window is, what is focused, how
//! windows stack) and diffing two snapshots into the effects that turn one into the other.
//! The X adapter keeps the last snapshot it pushed, so X only hears about changes.

use std::collections::BTreeMap;

use super::client::{NetStates, WindowType};
use super::geometry::Rect;
use super::state::{State, ALL_DESKTOPS};
use super::Effect;
use crate::action::WindowId;

/// How one managed window should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowView {
    /// Shown (its group is on a screen, it is not minimized).
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
    /// Group index (`_NET_WM_DESKTOP`; 0xFFFFFFFF for sticky windows).
    pub desktop: u32,
    /// Every `_NET_WM_STATE` flag.
    pub states: NetStates,
    /// Whether it may be resized (`_NET_WM_ALLOWED_ACTIONS`).
    pub resizable: bool,
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
    /// Visible managed windows, bottom to top: below, normal (tiled, then floating),
    /// above, fullscreen; transients right above their parents.
    pub stack: Vec<WindowId>,
    /// How many windows of `stack` go below the docks.
    pub docks_at: usize,
    /// Desktop windows (unmanaged), below everything.
    pub desktop_windows: Vec<WindowId>,
    /// Docks (unmanaged), above normal windows, below "above" and fullscreen ones.
    pub docks: Vec<WindowId>,
    /// Menus, tooltips, notifications (unmanaged), above everything.
    pub popups: Vec<WindowId>,
    /// Managed windows in mapping order.
    pub client_list: Vec<WindowId>,
    /// Focus.
    pub focus: Option<FocusTarget>,
    /// Group names.
    pub desktops: Vec<String>,
    /// Index of the group on the focused screen.
    pub current_desktop: u32,
    /// `_NET_WORKAREA`: per group, the work area of the screen showing it (hidden groups:
    /// the focused screen's).
    pub workareas: Vec<Rect>,
    /// `_NET_DESKTOP_GEOMETRY`: the size of all screens together.
    pub desktop_size: (u32, u32),
    /// `_NET_SHOWING_DESKTOP`.
    pub showing_desktop: bool,
}

impl Snapshot {
    /// Every window oxtile stacks, bottom to top, as X must stack them.
    pub fn x_stack(&self) -> Vec<WindowId> {
        let at = self.docks_at.min(self.stack.len());
        self.desktop_windows
            .iter()
            .chain(&self.stack[..at])
            .chain(&self.docks)
            .chain(&self.stack[at..])
            .chain(&self.popups)
            .copied()
            .collect()
    }
}

impl State {
    /// Lay out every visible group and describe the result.
    pub fn snapshot(&self) -> Snapshot {
        let mut snap = Snapshot {
            client_list: self.managed_order.clone(),
            desktops: self.groups.iter().map(|g| g.name.clone()).collect(),
            current_desktop: self.current_group() as u32,
            showing_desktop: self.showing_desktop,
            ..Default::default()
        };
        let root = self.root_rect();
        snap.desktop_size = (root.w, root.h);
        snap.workareas = (0..self.groups.len())
            .map(|g| self.work_area(self.screen_for_group(g)))
            .collect();
        for (&w, u) in &self.unmanaged {
            match u.kind {
                WindowType::Desktop => snap.desktop_windows.push(w),
                WindowType::Dock => snap.docks.push(w),
                _ => snap.popups.push(w),
            }
        }
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
                    desktop: if c.sticky {
                        ALL_DESKTOPS
                    } else {
                        c.group as u32
                    },
                    states: c.net_states(),
                    resizable: c.resizable(),
                },
            );
        }
        // Layers, bottom to top, over all screens.
        let mut below = Vec::new();
        let mut normal = Vec::new();
        let mut above = Vec::new();
        let mut fullscreen_layer = Vec::new();
        for (si, screen) in self.screens.iter().enumerate() {
            if self.showing_desktop {
                break;
            }
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
            let shown: Vec<WindowId> = group
                .windows
                .iter()
                .copied()
                .filter(|w| self.clients.get(w).is_some_and(|c| !c.minimized))
                .collect();
            let tiled: Vec<WindowId> = shown
                .iter()
                .copied()
                .filter(|w| {
                    self.clients
                        .get(w)
                        .is_some_and(|c| !c.floats() && !c.fullscreen && !all_float)
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
            // while a floating window has focus), floating in focus order, fullscreen
            // above all; "below" and "above" windows in their own layers.
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
            let mut floating: Vec<WindowId> = shown
                .iter()
                .copied()
                .filter(|w| !tiled.contains(w))
                .filter(|w| self.clients.get(w).is_some_and(|c| !c.fullscreen))
                .collect();
            floating.sort_by_key(by_focus);
            for w in &floating {
                let Some(c) = self.clients.get(w) else {
                    continue;
                };
                if let Some(v) = snap.windows.get_mut(w) {
                    v.visible = true;
                    // Maximized directions span the work area (borders inside it).
                    if c.maximized_horz {
                        v.rect.x = area.x;
                        v.rect.w = area.w.saturating_sub(2 * bw).max(1);
                    }
                    if c.maximized_vert {
                        v.rect.y = area.y;
                        v.rect.h = area.h.saturating_sub(2 * bw).max(1);
                    }
                }
            }
            let mut fullscreen: Vec<WindowId> = shown
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
            let layer = |w: &WindowId| {
                self.clients
                    .get(w)
                    .map_or((false, false), |c| (c.below, c.above))
            };
            for w in tiled_stack.into_iter().chain(floating) {
                match layer(&w) {
                    (true, _) => below.push(w),
                    (_, true) => above.push(w),
                    _ => normal.push(w),
                }
            }
            fullscreen_layer.extend(fullscreen);
        }
        let mut stack: Vec<WindowId> = below;
        stack.extend(normal);
        let upper: Vec<WindowId> = above.into_iter().chain(fullscreen_layer).collect();
        stack.extend(&upper);
        let stack = transients_above_parents(stack, |w| {
            self.clients.get(&w).and_then(|c| c.info.transient_for)
        });
        // Docks go under the first window of the upper layers (transients may have moved).
        snap.docks_at = stack
            .iter()
            .position(|w| upper.contains(w))
            .unwrap_or(stack.len());
        snap.stack = stack;
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
        if before.is_none_or(|b| b.states != v.states) {
            fx.push(Effect::NetWmState {
                window: w,
                states: v.states,
            });
        }
        if before.is_none_or(|b| b.desktop != v.desktop) {
            fx.push(Effect::WmDesktop {
                window: w,
                desktop: v.desktop,
            });
        }
        if before.is_none_or(|b| b.border != v.border) {
            fx.push(Effect::FrameExtents {
                window: w,
                border: v.border,
            });
        }
        if before.is_none_or(|b| b.resizable != v.resizable) {
            fx.push(Effect::AllowedActions {
                window: w,
                resizable: v.resizable,
            });
        }
    }
    fx.extend(maps.into_iter().map(Effect::Map));
    let (old_x, new_x) = (old.x_stack(), new.x_stack());
    if old_x != new_x && new_x.len() > 1 {
        fx.push(Effect::Restack(new_x));
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
    if old.workareas != new.workareas {
        fx.push(Effect::WorkArea(new.workareas.clone()));
    }
    if old.desktop_size != new.desktop_size {
        fx.push(Effect::DesktopGeometry {
            width: new.desktop_size.0,
            height: new.desktop_size.1,
        });
    }
    if old.showing_desktop != new.showing_desktop || old.desktops.is_empty() {
        fx.push(Effect::ShowingDesktop(new.showing_desktop));
    }
    fx
}
