//! `State`: screens showing groups, groups holding clients in layout order with their own
//! focus history and layouts. `handle` is the one entry point; it mutates and returns the
//! immediate effects. Geometry is not computed here but in `snapshot.rs`.

use std::collections::{BTreeMap, HashMap};

use super::client::{Client, Strut};
use super::geometry::Rect;
use super::layout::{self, Layout, LayoutMsg};
use super::{ConfigureReq, Effect, HookEvent, Input};
use crate::action::{Action, WindowId};
use crate::config::{Config, LayoutSpec, Settings};

/// A physical screen (monitor) and the group it shows.
#[derive(Debug, Clone)]
pub struct Screen {
    /// Its rectangle in root coordinates.
    pub rect: Rect,
    /// Index of the group it shows.
    pub group: usize,
    /// The group it showed before (for `prev_group_toggle`).
    pub prev_group: Option<usize>,
    /// Space kept free by the window manager's own bars.
    pub reserve: Strut,
}

/// A group (workspace): windows in layout order, a focus history and its layouts.
#[derive(Debug, Clone)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// Its layouts; `layout` indexes the current one.
    pub layouts: Vec<Box<dyn Layout>>,
    /// Index of the current layout.
    pub layout: usize,
    /// Its windows in layout order (floating ones included).
    pub windows: Vec<WindowId>,
    /// Focus history, most recent last.
    pub focus_stack: Vec<WindowId>,
}

impl Group {
    /// The current layout.
    pub fn current_layout(&self) -> &dyn Layout {
        self.layouts[self.layout].as_ref()
    }

    /// The window that has (or would have) focus in this group.
    pub fn focused(&self) -> Option<WindowId> {
        self.focus_stack.last().copied()
    }

    fn remove(&mut self, w: WindowId) {
        self.windows.retain(|&x| x != w);
        self.focus_stack.retain(|&x| x != w);
    }

    fn touch(&mut self, w: WindowId) {
        self.focus_stack.retain(|&x| x != w);
        self.focus_stack.push(w);
    }
}

/// The whole window-manager state.
#[derive(Debug, Clone)]
pub struct State {
    /// Screens, primary first.
    pub screens: Vec<Screen>,
    /// Groups in configured order (index = EWMH desktop number).
    pub groups: Vec<Group>,
    /// Managed clients.
    pub clients: HashMap<WindowId, Client>,
    /// Managed windows in the order they were managed (`_NET_CLIENT_LIST`).
    pub managed_order: Vec<WindowId>,
    /// Index of the screen that has focus.
    pub focused_screen: usize,
    /// Settings from the config.
    pub settings: Settings,
    /// Docks (unmanaged, but their struts count).
    pub docks: BTreeMap<WindowId, Strut>,
}

fn build_layouts(specs: &[LayoutSpec]) -> Vec<Box<dyn Layout>> {
    let mut out: Vec<Box<dyn Layout>> = specs
        .iter()
        .filter_map(|s| layout::build(&s.name, &s.options).ok())
        .collect();
    if out.is_empty() {
        out.push(Box::new(layout::MonadTall::default()));
    }
    out
}

impl State {
    /// A state for `config` on screens of these rectangles (at least one is assumed; an
    /// empty list gets a 1×1 placeholder screen).
    pub fn new(config: &Config, screens: &[Rect]) -> State {
        let mut state = State {
            screens: Vec::new(),
            groups: Vec::new(),
            clients: HashMap::new(),
            managed_order: Vec::new(),
            focused_screen: 0,
            settings: config.settings.clone(),
            docks: BTreeMap::new(),
        };
        state.apply_config(config);
        state.set_screens(screens);
        state
    }

    /// Take a new config (reload): groups are matched by name and keep their windows;
    /// windows of groups that disappeared move to the first group.
    pub fn apply_config(&mut self, config: &Config) {
        self.settings = config.settings.clone();
        let mut specs = config.groups.clone();
        if specs.is_empty() {
            specs = Config::default().groups;
        }
        let old: Vec<Group> = std::mem::take(&mut self.groups);
        // Each old group is taken over by the first new group of its name that is still
        // free (a name given twice matches twice, never one group twice).
        let mut new_of_old: Vec<Option<usize>> = vec![None; old.len()];
        for (i, spec) in specs.iter().enumerate() {
            let layouts = build_layouts(spec.layouts.as_deref().unwrap_or(&config.layouts));
            let prev =
                (0..old.len()).find(|&j| new_of_old[j].is_none() && old[j].name == spec.name);
            if let Some(j) = prev {
                new_of_old[j] = Some(i);
            }
            let prev = prev.map(|j| &old[j]);
            self.groups.push(Group {
                name: spec.name.clone(),
                layout: 0,
                layouts,
                windows: prev.map(|g| g.windows.clone()).unwrap_or_default(),
                focus_stack: prev.map(|g| g.focus_stack.clone()).unwrap_or_default(),
            });
        }
        for (g, _) in old.iter().zip(&new_of_old).filter(|(_, n)| n.is_none()) {
            self.groups[0].windows.extend(&g.windows);
            self.groups[0].focus_stack.extend(&g.focus_stack);
        }
        // Re-point clients and screens at the new indices.
        let index_of: HashMap<WindowId, usize> = self
            .groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.windows.iter().map(move |&w| (w, i)))
            .collect();
        for (w, c) in self.clients.iter_mut() {
            c.group = index_of.get(w).copied().unwrap_or(0);
        }
        let remap = |i: usize| -> Option<usize> { new_of_old.get(i).copied().flatten() };
        let remapped: Vec<(Option<usize>, Option<usize>)> = self
            .screens
            .iter()
            .map(|s| (remap(s.group), s.prev_group.and_then(remap)))
            .collect();
        for (s, (g, p)) in self.screens.iter_mut().zip(remapped) {
            s.group = g.unwrap_or(usize::MAX);
            s.prev_group = p;
        }
        self.assign_free_groups();
    }

    /// Replace the screens; screens that remain keep their groups.
    pub fn set_screens(&mut self, rects: &[Rect]) {
        let rects: Vec<Rect> = if rects.is_empty() {
            vec![Rect::new(0, 0, 1, 1)]
        } else {
            rects.to_vec()
        };
        let old = std::mem::take(&mut self.screens);
        for (i, r) in rects.iter().enumerate() {
            let prev = old.get(i);
            self.screens.push(Screen {
                rect: *r,
                group: prev.map_or(usize::MAX, |s| s.group),
                prev_group: prev.and_then(|s| s.prev_group),
                reserve: prev.map_or(Strut::default(), |s| s.reserve),
            });
        }
        self.focused_screen = self.focused_screen.min(self.screens.len() - 1);
        self.assign_free_groups();
    }

    /// Give every screen without a (valid, unique) group the first group nobody shows.
    fn assign_free_groups(&mut self) {
        let n = self.groups.len();
        let mut used = vec![false; n];
        for s in self.screens.iter_mut() {
            if s.group < n && !used[s.group] {
                used[s.group] = true;
            } else {
                s.group = usize::MAX;
            }
        }
        for s in self.screens.iter_mut().filter(|s| s.group == usize::MAX) {
            // More screens than groups: the extra screens show group 0's twin would be
            // ambiguous, so they show the last group (empty screens are harmless).
            let free = used.iter().position(|u| !u).unwrap_or(n.saturating_sub(1));
            if free < n {
                used[free] = true;
            }
            s.group = free;
        }
    }

    /// The group shown on the focused screen.
    pub fn current_group(&self) -> usize {
        self.screens[self.focused_screen].group
    }

    /// The focused window, if any.
    pub fn focused(&self) -> Option<WindowId> {
        self.groups.get(self.current_group())?.focused()
    }

    /// The screen showing group `g`, if it is visible.
    pub fn screen_of_group(&self, g: usize) -> Option<usize> {
        self.screens.iter().position(|s| s.group == g)
    }

    /// Whether a managed window is on a visible group.
    pub fn is_visible(&self, w: WindowId) -> bool {
        self.clients
            .get(&w)
            .is_some_and(|c| self.screen_of_group(c.group).is_some())
    }

    /// Index of a group by name.
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.name == name)
    }

    /// The area of screen `i` that tiled windows may use: minus dock struts and bars.
    pub fn work_area(&self, i: usize) -> Rect {
        let s = &self.screens[i];
        let mut top = s.reserve.top;
        let mut bottom = s.reserve.bottom;
        let mut left = s.reserve.left;
        let mut right = s.reserve.right;
        // Struts are relative to the root window's edges: they apply to the screens that
        // touch that edge.
        let root = self.root_rect();
        for strut in self.docks.values() {
            if s.rect.y == root.y {
                top = top.max(strut.top);
            }
            if s.rect.bottom() == root.bottom() {
                bottom = bottom.max(strut.bottom);
            }
            if s.rect.x == root.x {
                left = left.max(strut.left);
            }
            if s.rect.right() == root.right() {
                right = right.max(strut.right);
            }
        }
        // Absurd struts leave at least the last pixel column/row, inside the screen.
        let left = left.min(s.rect.w.saturating_sub(1));
        let top = top.min(s.rect.h.saturating_sub(1));
        let w = s.rect.w.saturating_sub(left.saturating_add(right)).max(1);
        let h = s.rect.h.saturating_sub(top.saturating_add(bottom)).max(1);
        Rect::new(s.rect.x + left as i32, s.rect.y + top as i32, w, h)
    }

    fn root_rect(&self) -> Rect {
        let x = self.screens.iter().map(|s| s.rect.x).min().unwrap_or(0);
        let y = self.screens.iter().map(|s| s.rect.y).min().unwrap_or(0);
        let r = self
            .screens
            .iter()
            .map(|s| s.rect.right())
            .max()
            .unwrap_or(1);
        let b = self
            .screens
            .iter()
            .map(|s| s.rect.bottom())
            .max()
            .unwrap_or(1);
        Rect::new(x, y, (r - x).max(1) as u32, (b - y).max(1) as u32)
    }

    /// The one entry point: apply an input, return what must happen now.
    pub fn handle(&mut self, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        match input {
            Input::MapRequest { window, info } => self.manage(window, info, &mut fx),
            Input::ConfigureRequest { window, req } => self.configure_request(window, req, &mut fx),
            Input::Unmapped { window } => {
                if self.unmanage(window, &mut fx) {
                    fx.push(Effect::Withdraw(window));
                }
            }
            Input::Destroyed { window } => {
                self.unmanage(window, &mut fx);
            }
            Input::TitleChanged { window, title } => {
                if let Some(c) = self.clients.get_mut(&window) {
                    c.info.title = title;
                }
            }
            Input::HintsChanged {
                window,
                urgent,
                input_hint,
            } => {
                let focused = self.focused() == Some(window);
                if let Some(c) = self.clients.get_mut(&window) {
                    c.info.input_hint = input_hint;
                    c.info.urgent = urgent;
                    // A focused window's urgency is already answered.
                    c.urgent = urgent && !focused;
                }
            }
            Input::SizeHintsChanged { window, hints } => {
                if let Some(c) = self.clients.get_mut(&window) {
                    c.info.size_hints = hints.sanitized();
                    if c.info.size_hints.is_fixed() {
                        c.floating = true;
                    }
                }
            }
            Input::ProtocolsChanged { window, protocols } => {
                if let Some(c) = self.clients.get_mut(&window) {
                    c.info.protocols = protocols;
                }
            }
            Input::StrutChanged { window, strut } => match strut {
                Some(s) if self.docks.contains_key(&window) => {
                    self.docks.insert(window, s);
                }
                None => {
                    if let Some(s) = self.docks.get_mut(&window) {
                        *s = Strut::default();
                    }
                }
                _ => {}
            },
            Input::Enter { window } => {
                if self.settings.focus_follows_mouse && self.is_visible(window) {
                    self.focus_window(window, &mut fx);
                }
            }
            Input::Clicked { window } => {
                if self.is_visible(window) {
                    self.focus_window(window, &mut fx);
                }
            }
            Input::FocusIn { window } => {
                // A client took focus by itself (or we gave it): follow, if it is shown.
                if self.is_visible(window) && self.focused() != Some(window) {
                    self.focus_window(window, &mut fx);
                }
            }
            Input::Activate { window } => {
                if !self.clients.contains_key(&window) {
                    return fx;
                }
                if self.settings.focus_on_activate {
                    self.activate(window, &mut fx);
                } else if self.focused() != Some(window) {
                    if let Some(c) = self.clients.get_mut(&window) {
                        c.urgent = true;
                    }
                }
            }
            Input::CloseRequest { window } => self.close(window, &mut fx),
            Input::DesktopRequest { desktop } => {
                if (desktop as usize) < self.groups.len() {
                    self.view_group(desktop as usize, &mut fx);
                }
            }
            Input::WmDesktopRequest { window, desktop } => {
                if (desktop as usize) < self.groups.len() {
                    self.move_to_group(window, desktop as usize, &mut fx);
                }
            }
            Input::WmStateRequest {
                window,
                change,
                fullscreen,
                demands_attention,
            } => {
                let focused = self.focused() == Some(window);
                if let Some(c) = self.clients.get_mut(&window) {
                    if fullscreen {
                        c.fullscreen = change.apply(c.fullscreen);
                    }
                    if demands_attention {
                        c.urgent = change.apply(c.urgent) && !focused;
                    }
                }
            }
            Input::ScreensChanged { screens } => {
                self.set_screens(&screens);
                fx.push(Effect::Hook(HookEvent::ScreenChange));
            }
            Input::ReserveChanged { screen, reserve } => {
                if let Some(s) = self.screens.get_mut(screen) {
                    s.reserve = reserve;
                }
            }
            Input::Action(a) => self.action(a, &mut fx),
        }
        fx
    }

    fn manage(
        &mut self,
        window: WindowId,
        mut info: crate::core::client::ClientInfo,
        fx: &mut Vec<Effect>,
    ) {
        if self.clients.contains_key(&window) {
            return;
        }
        // A dock mapped again is taken as it says it is now (never a dock and a client).
        self.docks.remove(&window);
        if info.window_type.unmanaged() {
            self.docks.insert(window, info.strut.unwrap_or_default());
            fx.push(Effect::MapUnmanaged(window));
            return;
        }
        info.size_hints = info.size_hints.sanitized();
        // A transient whose parent is unknown (or itself) is treated as a plain dialog.
        let parent = info
            .transient_for
            .filter(|p| *p != window)
            .and_then(|p| self.clients.get(&p));
        // The parent's group, else the desktop the window asked for (this is also how
        // windows find their group again after a restart), else the focused screen's.
        let asked = info
            .desktop
            .map(|d| d as usize)
            .filter(|&d| d < self.groups.len());
        let group = parent
            .map(|p| p.group)
            .or(asked)
            .unwrap_or(self.current_group());
        let floating =
            info.window_type.floats() || info.transient_for.is_some() || info.size_hints.is_fixed();
        let mut client = Client::new(window, info, group, floating);
        if client.floating {
            client.float_rect = self.initial_float_rect(&client, parent.map(|p| p.window));
        }
        self.clients.insert(window, client);
        self.groups[group].windows.push(window);
        self.managed_order.push(window);
        fx.push(Effect::Hook(HookEvent::ClientNew(window)));
        if self.screen_of_group(group).is_some() {
            self.focus_window(window, fx);
        } else {
            let g = &mut self.groups[group];
            g.focus_stack.insert(0, window);
        }
    }

    /// Where a new floating window goes: its requested size (within hints and the screen),
    /// centred on its parent or its screen when it asked for the origin or lies off-screen.
    fn initial_float_rect(&self, c: &Client, parent: Option<WindowId>) -> Rect {
        let screen = self.screen_of_group(c.group).unwrap_or(self.focused_screen);
        let area = self.work_area(screen);
        let g = c.info.geometry;
        let (w, h) = c.info.size_hints.constrain(g.w.max(1), g.h.max(1));
        let (w, h) = (w.min(area.w), h.min(area.h));
        let on_screen = self.screens.iter().any(|s| s.rect.contains_point(g.x, g.y));
        if (g.x, g.y) != (0, 0) && on_screen && parent.is_none() {
            return Rect::new(g.x, g.y, w, h);
        }
        let around = parent.and_then(|p| self.snapshot_rect(p)).unwrap_or(area);
        around.centered(w, h)
    }

    /// The geometry a visible window has in the current snapshot.
    pub fn snapshot_rect(&self, w: WindowId) -> Option<Rect> {
        let snap = self.snapshot();
        snap.windows.get(&w).filter(|v| v.visible).map(|v| v.rect)
    }

    fn configure_request(&mut self, window: WindowId, req: ConfigureReq, fx: &mut Vec<Effect>) {
        let border = self.settings.border_width;
        let Some(c) = self.clients.get(&window) else {
            if !self.docks.contains_key(&window) || req != ConfigureReq::default() {
                fx.push(Effect::ConfigureUnmanaged { window, req });
            }
            return;
        };
        let floating = c.floating || self.groups[c.group].current_layout().is_floating();
        if floating && !c.fullscreen {
            let old = c.float_rect;
            let (w, h) = c
                .info
                .size_hints
                .constrain(req.w.unwrap_or(old.w), req.h.unwrap_or(old.h));
            let new = Rect::new(req.x.unwrap_or(old.x), req.y.unwrap_or(old.y), w, h);
            if let Some(c) = self.clients.get_mut(&window) {
                c.float_rect = new;
            }
            if new == old || !self.is_visible(window) {
                fx.push(Effect::ConfigureNotify {
                    window,
                    rect: new,
                    border,
                });
            }
        } else {
            // Tiled (or fullscreen) windows get their tile; tell them so.
            let snap = self.snapshot();
            let (rect, border) = snap
                .windows
                .get(&window)
                .map_or((c.info.geometry, border), |v| (v.rect, v.border));
            fx.push(Effect::ConfigureNotify {
                window,
                rect,
                border,
            });
        }
    }

    /// Forget a window. Returns whether it was managed.
    fn unmanage(&mut self, window: WindowId, fx: &mut Vec<Effect>) -> bool {
        if self.docks.remove(&window).is_some() {
            return false;
        }
        let Some(c) = self.clients.remove(&window) else {
            return false;
        };
        let was_focused = self.focused() == Some(window);
        self.groups[c.group].remove(window);
        self.managed_order.retain(|&w| w != window);
        // Transients of the window lose their parent but stay.
        for other in self.clients.values_mut() {
            if other.info.transient_for == Some(window) {
                other.info.transient_for = None;
            }
        }
        fx.push(Effect::Hook(HookEvent::ClientKilled(window)));
        if was_focused {
            if let Some(next) = self.focused() {
                fx.push(Effect::Hook(HookEvent::ClientFocus(next)));
            }
        }
        true
    }

    /// Focus a window on a visible group, making its screen the focused one.
    fn focus_window(&mut self, window: WindowId, fx: &mut Vec<Effect>) {
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        c.urgent = false;
        let group = c.group;
        let Some(screen) = self.screen_of_group(group) else {
            return;
        };
        let changed = self.focused() != Some(window);
        self.focused_screen = screen;
        self.groups[group].touch(window);
        if changed {
            fx.push(Effect::Hook(HookEvent::ClientFocus(window)));
        }
    }

    /// Focus a window wherever it is, switching its group onto the focused screen.
    fn activate(&mut self, window: WindowId, fx: &mut Vec<Effect>) {
        let Some(group) = self.clients.get(&window).map(|c| c.group) else {
            return;
        };
        if self.screen_of_group(group).is_none() {
            self.view_group(group, fx);
        }
        self.focus_window(window, fx);
    }

    fn close(&mut self, window: WindowId, fx: &mut Vec<Effect>) {
        if let Some(c) = self.clients.get(&window) {
            fx.push(Effect::Close {
                window,
                delete_window: c.info.protocols.delete_window,
            });
        }
    }

    /// Show group `g` on the focused screen (qtile: a group shown elsewhere swaps screens).
    pub fn view_group(&mut self, g: usize, fx: &mut Vec<Effect>) {
        let s = self.focused_screen;
        let current = self.screens[s].group;
        if g == current || g >= self.groups.len() {
            return;
        }
        if let Some(other) = self.screen_of_group(g) {
            self.screens[other].group = current;
        }
        self.screens[s].prev_group = Some(current);
        self.screens[s].group = g;
        fx.push(Effect::Hook(HookEvent::GroupChange));
        if let Some(w) = self.focused() {
            fx.push(Effect::Hook(HookEvent::ClientFocus(w)));
        }
    }

    fn move_to_group(&mut self, window: WindowId, g: usize, fx: &mut Vec<Effect>) {
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        let old = c.group;
        if old == g {
            return;
        }
        c.group = g;
        self.groups[old].remove(window);
        self.groups[g].windows.push(window);
        // It becomes the window that gets focus when its new group is shown.
        self.groups[g].touch(window);
        if self.screen_of_group(g).is_some() && self.screen_of_group(old).is_none() {
            self.focus_window(window, fx);
        }
    }

    fn with_focused(&mut self, f: impl FnOnce(&mut Client)) {
        if let Some(w) = self.focused() {
            if let Some(c) = self.clients.get_mut(&w) {
                f(c);
            }
        }
    }

    fn cycle_focus(&mut self, forward: bool, fx: &mut Vec<Effect>) {
        let g = &self.groups[self.current_group()];
        let Some(cur) = g.focused() else {
            return;
        };
        let n = g.windows.len();
        let Some(i) = g.windows.iter().position(|&w| w == cur) else {
            return;
        };
        let next = g.windows[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        self.focus_window(next, fx);
    }

    fn shuffle(&mut self, forward: bool) {
        let gi = self.current_group();
        let g = &mut self.groups[gi];
        let Some(cur) = g.focused() else {
            return;
        };
        let n = g.windows.len();
        if let Some(i) = g.windows.iter().position(|&w| w == cur) {
            let j = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            g.windows.swap(i, j);
        }
    }

    fn layout_message(&mut self, msg: LayoutMsg, fx: &mut Vec<Effect>) {
        let gi = self.current_group();
        let g = &mut self.groups[gi];
        let l = g.layout;
        if g.layouts[l].message(msg) {
            fx.push(Effect::Hook(HookEvent::LayoutChange));
        }
    }

    fn switch_layout(&mut self, to: impl FnOnce(usize, usize) -> usize, fx: &mut Vec<Effect>) {
        let gi = self.current_group();
        let g = &mut self.groups[gi];
        let n = g.layouts.len();
        let new = to(g.layout, n) % n.max(1);
        if new != g.layout {
            g.layout = new;
            fx.push(Effect::Hook(HookEvent::LayoutChange));
        }
    }

    fn action(&mut self, a: Action, fx: &mut Vec<Effect>) {
        if let Some(msg) = a.layout_msg() {
            self.layout_message(msg, fx);
            return;
        }
        match a {
            Action::FocusNext => self.cycle_focus(true, fx),
            Action::FocusPrev => self.cycle_focus(false, fx),
            Action::FocusWindow { window } => self.activate(window, fx),
            Action::ShuffleUp => self.shuffle(false),
            Action::ShuffleDown => self.shuffle(true),
            Action::Kill => {
                if let Some(w) = self.focused() {
                    self.close(w, fx);
                }
            }
            Action::KillWindow { window } => self.close(window, fx),
            Action::ToggleFloating => {
                let tile = self.focused().and_then(|w| self.snapshot_rect(w));
                self.with_focused(|c| {
                    c.floating = !c.floating;
                    if c.floating && c.float_rect.w <= 1 {
                        c.float_rect = tile.unwrap_or(c.float_rect);
                    }
                });
            }
            Action::ToggleFullscreen => self.with_focused(|c| c.fullscreen = !c.fullscreen),
            Action::NextLayout => self.switch_layout(|cur, _| cur + 1, fx),
            Action::PrevLayout => self.switch_layout(|cur, n| cur + n.saturating_sub(1), fx),
            Action::SetLayout { name } => {
                let gi = self.current_group();
                if let Some(i) = self.groups[gi]
                    .layouts
                    .iter()
                    .position(|l| l.name() == name.to_ascii_lowercase())
                {
                    self.switch_layout(|_, _| i, fx);
                }
            }
            Action::ToGroup { group } => {
                if let Some(g) = self.group_index(&group) {
                    self.view_group(g, fx);
                }
            }
            Action::MoveToGroup { group } => {
                if let (Some(g), Some(w)) = (self.group_index(&group), self.focused()) {
                    self.move_to_group(w, g, fx);
                }
            }
            Action::PrevGroupToggle => {
                if let Some(p) = self.screens[self.focused_screen].prev_group {
                    self.view_group(p, fx);
                }
            }
            Action::NextGroup | Action::PrevGroup => {
                let n = self.groups.len();
                let cur = self.current_group();
                let next = if a == Action::NextGroup {
                    (cur + 1) % n
                } else {
                    (cur + n - 1) % n
                };
                self.view_group(next, fx);
            }
            // Handled by the event loop (processes, Lua, key chords, prompts), not by the core.
            Action::Spawn { .. }
            | Action::Reload
            | Action::Restart
            | Action::Quit
            | Action::Lua { .. }
            | Action::EnterChord { .. }
            | Action::LeaveChord
            | Action::SetClockZone { .. }
            | Action::Grow
            | Action::Shrink
            | Action::Normalize
            | Action::IncMain
            | Action::DecMain
            | Action::Prompt { .. }
            | Action::PasswordPrompt(_) => {}
        }
    }
}
