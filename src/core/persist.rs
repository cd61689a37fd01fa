//! What a restart must carry that X properties cannot: each group's window order, focus
//! history and layout, each screen's group, which screen has the focus, and every window's
//! floating geometry and states. Written as JSON just before oxtile execs itself and read
//! back once the windows are adopted again (`wm.rs` keeps the file).

use serde::{Deserialize, Serialize};

use super::geometry::Rect;
use super::state::State;
use crate::action::WindowId;

/// The state a restart keeps.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Saved {
    /// Process id of the oxtile that wrote it: only the same process (after exec) reads it.
    pub pid: u32,
    /// Groups by name.
    pub groups: Vec<SavedGroup>,
    /// Screens in order.
    pub screens: Vec<SavedScreen>,
    /// Index of the focused screen.
    pub focused_screen: usize,
    /// Per-window decisions.
    pub clients: Vec<SavedClient>,
    /// Scratchpad windows by scratchpad name.
    pub scratchpads: Vec<(String, WindowId)>,
    /// `_NET_SHOWING_DESKTOP`.
    pub showing_desktop: bool,
}

/// One group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SavedGroup {
    /// Its name.
    pub name: String,
    /// Its current layout's name.
    pub layout: String,
    /// Its windows in layout order.
    pub windows: Vec<WindowId>,
    /// Its focus history, most recent last.
    pub focus_stack: Vec<WindowId>,
    /// Each of its layouts' name and parameters (ratios grown or shrunk, …), in order.
    #[serde(default)]
    pub layouts: Vec<(String, serde_json::Value)>,
}

/// One screen.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SavedScreen {
    /// Its rectangle.
    pub rect: Rect,
    /// The group it shows.
    pub group: String,
    /// Its position among the saved groups (names may repeat).
    #[serde(default)]
    pub group_index: Option<usize>,
    /// The group it showed before.
    pub prev_group: Option<String>,
}

/// One window.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SavedClient {
    /// The window.
    pub window: WindowId,
    /// Floating.
    pub floating: bool,
    /// Floating geometry.
    pub float_rect: Rect,
    /// Fullscreen.
    pub fullscreen: bool,
    /// Maximized vertically.
    pub maximized_vert: bool,
    /// Maximized horizontally.
    pub maximized_horz: bool,
    /// Above others.
    pub above: bool,
    /// Below others.
    pub below: bool,
    /// Sticky.
    pub sticky: bool,
    /// Minimized.
    pub minimized: bool,
    /// Urgent.
    pub urgent: bool,
}

impl State {
    /// What a restart keeps.
    pub fn save(&self, pid: u32) -> Saved {
        let name = |g: usize| self.groups.get(g).map(|g| g.name.clone());
        Saved {
            pid,
            groups: self
                .groups
                .iter()
                .map(|g| SavedGroup {
                    name: g.name.clone(),
                    layout: g.current_layout().name().to_string(),
                    windows: g.windows.clone(),
                    focus_stack: g.focus_stack.clone(),
                    layouts: g
                        .layouts
                        .iter()
                        .map(|l| (l.name().to_string(), l.state()))
                        .collect(),
                })
                .collect(),
            screens: self
                .screens
                .iter()
                .map(|s| SavedScreen {
                    rect: s.rect,
                    group: name(s.group).unwrap_or_default(),
                    group_index: (s.group < self.groups.len()).then_some(s.group),
                    prev_group: s.prev_group.and_then(name),
                })
                .collect(),
            focused_screen: self.focused_screen,
            clients: self
                .managed_order
                .iter()
                .filter_map(|w| self.clients.get(w))
                .map(|c| SavedClient {
                    window: c.window,
                    floating: c.floating,
                    float_rect: c.float_rect,
                    fullscreen: c.fullscreen,
                    maximized_vert: c.maximized_vert,
                    maximized_horz: c.maximized_horz,
                    above: c.above,
                    below: c.below,
                    sticky: c.sticky,
                    minimized: c.minimized,
                    urgent: c.urgent,
                })
                .collect(),
            scratchpads: self
                .scratchpads
                .iter()
                .filter_map(|sp| sp.window.map(|w| (sp.spec.name.clone(), w)))
                .collect(),
            showing_desktop: self.showing_desktop,
        }
    }

    /// Put back what `saved` says about the windows managed now (windows that are gone are
    /// skipped, windows it does not know stay as they are, groups and screens are matched
    /// by name and position). `_NET_CLIENT_LIST` keeps the saved managing order.
    pub fn restore(&mut self, saved: &Saved) {
        // Window decisions first (minimized ones must not be in focus stacks).
        for sc in &saved.clients {
            if let Some(c) = self.clients.get_mut(&sc.window) {
                c.floating = sc.floating;
                c.float_rect = sc.float_rect;
                c.fullscreen = sc.fullscreen;
                c.maximized_vert = sc.maximized_vert;
                c.maximized_horz = sc.maximized_horz;
                c.above = sc.above;
                c.below = sc.below && !sc.above;
                c.sticky = sc.sticky;
                c.minimized = sc.minimized;
                c.urgent = sc.urgent;
            }
        }
        let order: Vec<WindowId> = saved
            .clients
            .iter()
            .map(|c| c.window)
            .filter(|w| self.clients.contains_key(w))
            .collect();
        let rest: Vec<WindowId> = self
            .managed_order
            .iter()
            .copied()
            .filter(|w| !order.contains(w))
            .collect();
        self.managed_order = order.into_iter().chain(rest).collect();
        // Saved groups to groups now: the same position and name, else the first free one
        // of that name (a name may be given twice).
        let mut taken = vec![false; self.groups.len()];
        let mut group_of: Vec<Option<usize>> = vec![None; saved.groups.len()];
        for (i, sg) in saved.groups.iter().enumerate() {
            if self.groups.get(i).is_some_and(|g| g.name == sg.name) {
                taken[i] = true;
                group_of[i] = Some(i);
            }
        }
        for (i, sg) in saved.groups.iter().enumerate() {
            if group_of[i].is_none() {
                let free =
                    (0..self.groups.len()).find(|&j| !taken[j] && self.groups[j].name == sg.name);
                if let Some(j) = free {
                    taken[j] = true;
                    group_of[i] = Some(j);
                }
            }
        }
        let by_name = |name: &str| {
            saved
                .groups
                .iter()
                .position(|g| g.name == name)
                .and_then(|i| group_of[i])
        };
        // Group membership and order.
        for (sg, gi) in saved.groups.iter().zip(&group_of) {
            let Some(gi) = *gi else {
                continue;
            };
            for &w in &sg.windows {
                if let Some(c) = self.clients.get(&w) {
                    let from = c.group;
                    if from != gi {
                        self.groups[from].remove(w);
                        self.groups[gi].windows.push(w);
                        if let Some(c) = self.clients.get_mut(&w) {
                            c.group = gi;
                        }
                    }
                }
            }
            let g = &mut self.groups[gi];
            let mut windows: Vec<WindowId> = sg
                .windows
                .iter()
                .copied()
                .filter(|w| g.windows.contains(w))
                .collect();
            windows.extend(
                g.windows
                    .iter()
                    .copied()
                    .filter(|w| !sg.windows.contains(w)),
            );
            g.windows = windows;
            // Parameters go back to the layout at the same place with the same name (a
            // config edited before the restart may have others).
            for (layout, (name, state)) in g.layouts.iter_mut().zip(&sg.layouts) {
                if layout.name() == name {
                    layout.restore_state(state);
                }
            }
            if let Some(l) = g.layouts.iter().position(|l| l.name() == sg.layout) {
                g.layout = l;
            }
        }
        // Focus histories: saved order on top of whatever is new.
        for gi in 0..self.groups.len() {
            let saved_stack: Vec<WindowId> = group_of
                .iter()
                .position(|&g| g == Some(gi))
                .map(|i| saved.groups[i].focus_stack.clone())
                .unwrap_or_default();
            let shown = |w: &WindowId| self.clients.get(w).is_some_and(|c| !c.minimized);
            let members: Vec<WindowId> = self.groups[gi].windows.clone();
            let mut stack: Vec<WindowId> = self.groups[gi]
                .focus_stack
                .iter()
                .copied()
                .filter(|w| !saved_stack.contains(w))
                .collect();
            for w in &members {
                if !stack.contains(w) && !saved_stack.contains(w) {
                    stack.insert(0, *w);
                }
            }
            stack.extend(saved_stack.iter().copied().filter(|w| members.contains(w)));
            stack.retain(shown);
            self.groups[gi].focus_stack = stack;
        }
        // Screens: by position, the groups by name (a group shown twice is fixed after).
        for (i, ss) in saved.screens.iter().enumerate() {
            let at = ss
                .group_index
                .filter(|&i| saved.groups.get(i).is_some_and(|g| g.name == ss.group))
                .and_then(|i| group_of[i]);
            let Some(gi) = at.or_else(|| by_name(&ss.group)) else {
                continue;
            };
            if i >= self.screens.len() {
                break;
            }
            if let Some(other) = self.screen_of_group(gi) {
                let mine = self.screens[i].group;
                self.screens[other].group = mine;
            }
            self.screens[i].group = gi;
            self.screens[i].prev_group = ss.prev_group.as_deref().and_then(by_name);
        }
        self.assign_free_groups();
        if saved.focused_screen < self.screens.len() {
            self.focused_screen = saved.focused_screen;
        }
        for (name, w) in &saved.scratchpads {
            if !self.clients.contains_key(w) {
                continue;
            }
            if let Some(sp) = self.scratchpads.iter_mut().find(|sp| &sp.spec.name == name) {
                sp.window = Some(*w);
                sp.pending = false;
            }
        }
        self.showing_desktop = saved.showing_desktop;
    }
}
