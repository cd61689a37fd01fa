//! `State`: screens showing groups, groups holding clients in layout order with their own
//! focus history and layouts. `handle` is the one entry point; it mutates and returns the
//! immediate effects. Geometry is not computed here but in `snapshot.rs`; screens are in
//! `screens.rs`, scratchpads in `scratchpad.rs`, restart state in `persist.rs`.

use std::collections::{BTreeMap, HashMap};

use super::client::{Client, DockStrut, NetStates, Strut, WindowType};
use super::drag::{Drag, DragKind, DragMode, Edges};
use super::geometry::Rect;
use super::layout::{self, Layout, LayoutMsg};
use super::rules::{self, Match, Rule};
use super::scratchpad::Scratchpad;
use super::{ConfigureReq, Effect, HookEvent, Input};
use crate::action::{Action, WindowId};
use crate::config::{Config, LayoutSpec, Settings};

/// The most groups a pager may ask for with `_NET_NUMBER_OF_DESKTOPS`.
pub const MAX_GROUPS: usize = 64;

/// `_NET_WM_DESKTOP` of a window on every desktop (a sticky one).
pub const ALL_DESKTOPS: u32 = 0xffff_ffff;

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
    /// Focus history, most recent last. Minimized windows are not in it.
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

    pub(super) fn remove(&mut self, w: WindowId) {
        self.windows.retain(|&x| x != w);
        self.focus_stack.retain(|&x| x != w);
    }

    pub(super) fn touch(&mut self, w: WindowId) {
        self.focus_stack.retain(|&x| x != w);
        self.focus_stack.push(w);
    }
}

/// A window shown but not managed: docks, desktop windows, menus, tooltips, notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unmanaged {
    /// Its type: docks' struts count, desktop windows stay below everything, the others
    /// (popups) above everything.
    pub kind: WindowType,
    /// Its strut (docks only; zero for the others).
    pub strut: DockStrut,
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
    /// Windows shown but not managed (docks' struts count).
    pub unmanaged: BTreeMap<WindowId, Unmanaged>,
    /// Rules applied when a window is managed.
    pub rules: Vec<Rule>,
    /// Scratchpads and their windows.
    pub scratchpads: Vec<Scratchpad>,
    /// A move or resize with the pointer in progress.
    pub drag: Option<Drag>,
    /// `_NET_SHOWING_DESKTOP`: every managed window hidden until this is left.
    pub showing_desktop: bool,
    /// The layouts groups get unless configured otherwise (for groups a pager adds).
    pub layout_specs: Vec<LayoutSpec>,
}

pub(super) fn build_layouts(specs: &[LayoutSpec]) -> Vec<Box<dyn Layout>> {
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
            unmanaged: BTreeMap::new(),
            rules: Vec::new(),
            scratchpads: Vec::new(),
            drag: None,
            showing_desktop: false,
            layout_specs: Vec::new(),
        };
        state.apply_config(config);
        state.set_screens(screens);
        state
    }

    /// Take a new config (reload): groups are matched by name and keep their windows and
    /// their current layout (by name); windows of groups that disappeared move to the
    /// first group. Scratchpads keep their windows by name.
    pub fn apply_config(&mut self, config: &Config) {
        self.settings = config.settings.clone();
        self.rules = config.rules.clone();
        self.layout_specs = config.layouts.clone();
        self.set_scratchpads(&config.scratchpads);
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
            let layout = prev
                .and_then(|g| {
                    let name = g.current_layout().name();
                    layouts.iter().position(|l| l.name() == name)
                })
                .unwrap_or(0);
            self.groups.push(Group {
                name: spec.name.clone(),
                layout,
                layouts,
                windows: prev.map(|g| g.windows.clone()).unwrap_or_default(),
                focus_stack: prev.map(|g| g.focus_stack.clone()).unwrap_or_default(),
            });
        }
        for (g, _) in old.iter().zip(&new_of_old).filter(|(_, n)| n.is_none()) {
            self.groups[0].windows.extend(&g.windows);
            self.groups[0].focus_stack.extend(&g.focus_stack);
        }
        self.repoint(&new_of_old);
    }

    /// After groups were replaced: point clients at the group holding them and screens at
    /// their groups' new indices (`new_of_old[old index]`).
    pub(super) fn repoint(&mut self, new_of_old: &[Option<usize>]) {
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

    /// Give every screen without a (valid, unique) group the first group nobody shows.
    pub(super) fn assign_free_groups(&mut self) {
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

    /// The focused window, if any (none while the desktop is shown).
    pub fn focused(&self) -> Option<WindowId> {
        if self.showing_desktop {
            return None;
        }
        self.groups.get(self.current_group())?.focused()
    }

    /// The screen showing group `g`, if it is visible.
    pub fn screen_of_group(&self, g: usize) -> Option<usize> {
        self.screens.iter().position(|s| s.group == g)
    }

    /// Whether a managed window is shown: on a visible group, not minimized, not hidden by
    /// showing the desktop.
    pub fn is_visible(&self, w: WindowId) -> bool {
        !self.showing_desktop
            && self
                .clients
                .get(&w)
                .is_some_and(|c| !c.minimized && self.screen_of_group(c.group).is_some())
    }

    /// Index of a group by name.
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.name == name)
    }

    /// The area of screen `i` that tiled windows may use: minus dock struts and bars. A
    /// strut reserves a band along its root edge (only over its partial range); a screen
    /// loses the part of that band that covers it.
    pub fn work_area(&self, i: usize) -> Rect {
        let s = &self.screens[i];
        let mut top = s.reserve.top;
        let mut bottom = s.reserve.bottom;
        let mut left = s.reserve.left;
        let mut right = s.reserve.right;
        let root = self.root_rect();
        let r = s.rect;
        // Overlap of [a0, a1) and [b0, b1) on an axis, in i64 (no overflow).
        let overlaps = |a0: i64, a1: i64, b0: i64, b1: i64| a0 < b1 && b0 < a1;
        let (rx0, ry0) = (i64::from(root.x), i64::from(root.y));
        let (rx1, ry1) = (i64::from(root.right()), i64::from(root.bottom()));
        let (sx0, sy0) = (i64::from(r.x), i64::from(r.y));
        let (sx1, sy1) = (i64::from(r.right()), i64::from(r.bottom()));
        let span = |(start, end): (u32, u32), origin: i64| {
            (origin + i64::from(start), origin + i64::from(end) + 1)
        };
        let cap = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
        for d in self
            .unmanaged
            .values()
            .filter(|u| u.kind == WindowType::Dock)
        {
            let st = d.strut;
            if st.strut.top > 0 {
                let (a, b) = span(st.top, rx0);
                let band_end = ry0 + i64::from(st.strut.top);
                if overlaps(a, b, sx0, sx1) && overlaps(ry0, band_end, sy0, sy1) {
                    top = top.max(cap(band_end - sy0));
                }
            }
            if st.strut.bottom > 0 {
                let (a, b) = span(st.bottom, rx0);
                let band_start = ry1 - i64::from(st.strut.bottom);
                if overlaps(a, b, sx0, sx1) && overlaps(band_start, ry1, sy0, sy1) {
                    bottom = bottom.max(cap(sy1 - band_start));
                }
            }
            if st.strut.left > 0 {
                let (a, b) = span(st.left, ry0);
                let band_end = rx0 + i64::from(st.strut.left);
                if overlaps(a, b, sy0, sy1) && overlaps(rx0, band_end, sx0, sx1) {
                    left = left.max(cap(band_end - sx0));
                }
            }
            if st.strut.right > 0 {
                let (a, b) = span(st.right, ry0);
                let band_start = rx1 - i64::from(st.strut.right);
                if overlaps(a, b, sy0, sy1) && overlaps(band_start, rx1, sx0, sx1) {
                    right = right.max(cap(sx1 - band_start));
                }
            }
        }
        // Absurd struts leave at least the last pixel column/row, inside the screen.
        let left = left.min(s.rect.w.saturating_sub(1));
        let top = top.min(s.rect.h.saturating_sub(1));
        let w = s.rect.w.saturating_sub(left.saturating_add(right)).max(1);
        let h = s.rect.h.saturating_sub(top.saturating_add(bottom)).max(1);
        Rect::new(s.rect.x + left as i32, s.rect.y + top as i32, w, h)
    }

    /// The bounding box of all screens (the root window, in practice).
    pub fn root_rect(&self) -> Rect {
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
        let len =
            |a: i32, b: i32| (i64::from(b) - i64::from(a)).clamp(1, i64::from(u32::MAX)) as u32;
        Rect::new(x, y, len(x, r), len(y, b))
    }

    /// The one entry point: apply an input, return what must happen now.
    pub fn handle(&mut self, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        let focus_before = self.focused();
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
            Input::StrutChanged { window, strut } => {
                if let Some(u) = self.unmanaged.get_mut(&window) {
                    if u.kind == WindowType::Dock {
                        u.strut = strut.unwrap_or_default();
                    }
                }
            }
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
            Input::Activate { window, pager } => {
                if !self.clients.contains_key(&window) {
                    return fx;
                }
                if pager || self.settings.focus_on_activate {
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
                if desktop == ALL_DESKTOPS {
                    if let Some(c) = self.clients.get_mut(&window) {
                        c.sticky = true;
                    }
                } else if (desktop as usize) < self.groups.len() {
                    if let Some(c) = self.clients.get_mut(&window) {
                        c.sticky = false;
                    }
                    self.move_to_group(window, desktop as usize, &mut fx);
                }
            }
            Input::WmStateRequest {
                window,
                change,
                states,
            } => self.change_states(window, change, states, &mut fx),
            Input::Iconify { window } => self.minimize(window, &mut fx),
            Input::DesktopCountRequest { count } => self.set_group_count(count as usize, &mut fx),
            Input::ShowingDesktop { show } => self.show_desktop(show, &mut fx),
            Input::FrameExtentsRequest { window } => {
                let border = if self.clients.get(&window).is_some_and(|c| c.fullscreen) {
                    0
                } else {
                    self.settings.border_width
                };
                fx.push(Effect::FrameExtents { window, border });
            }
            Input::MoveResizeRequest {
                window,
                x,
                y,
                direction,
            } => match direction {
                8 => self.start_drag(window, DragMode::Move, (x, y), true, &mut fx),
                d => match Edges::from_direction(d) {
                    Some(e) => self.start_drag(window, DragMode::Resize(e), (x, y), true, &mut fx),
                    // 11 is _NET_WM_MOVERESIZE_CANCEL; keyboard moves (9, 10) are not done.
                    None => {
                        if self.drag.is_some_and(|d| d.window == window) {
                            self.end_drag(&mut fx);
                        }
                    }
                },
            },
            Input::DragStart { window, kind, x, y } => {
                let mode = match kind {
                    DragKind::Move => DragMode::Move,
                    DragKind::Resize => DragMode::Resize(Edges::BOTTOM_RIGHT),
                };
                self.start_drag(window, mode, (x, y), false, &mut fx);
            }
            Input::DragMotion { x, y } => self.drag_to(x, y),
            Input::DragEnd => self.end_drag(&mut fx),
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
        self.hide_scratchpads_that_lost_focus(focus_before, &mut fx);
        fx
    }

    fn manage(
        &mut self,
        window: WindowId,
        mut info: crate::core::client::ClientInfo,
        fx: &mut Vec<Effect>,
    ) {
        if let Some(c) = self.clients.get(&window) {
            // A client maps its minimized window again: it wants it back (ICCCM).
            if c.minimized {
                self.activate(window, fx);
            }
            return;
        }
        // An unmanaged window mapped again is taken as it says it is now.
        self.unmanaged.remove(&window);
        if info.window_type.unmanaged() {
            let strut = match info.window_type {
                WindowType::Dock => info.strut.unwrap_or_default(),
                _ => DockStrut::default(),
            };
            self.unmanaged.insert(
                window,
                Unmanaged {
                    kind: info.window_type,
                    strut,
                },
            );
            fx.push(Effect::MapUnmanaged(window));
            return;
        }
        info.size_hints = info.size_hints.sanitized();
        let decision = rules::decide(&self.rules, &info);
        let scratchpad = self.claim_scratchpad(&info);
        // A transient whose parent is unknown (or itself) is treated as a plain dialog.
        let parent = info
            .transient_for
            .filter(|p| *p != window)
            .and_then(|p| self.clients.get(&p));
        // A rule's group or screen, else the parent's group, else the desktop the window
        // asked for (this is also how windows find their group again after a restart),
        // else the focused screen's.
        let ruled = decision
            .group
            .and_then(|g| self.group_index(g))
            .or_else(|| {
                decision
                    .screen
                    .and_then(|s| self.screens.get(s))
                    .map(|s| s.group)
            });
        let asked = info
            .desktop
            .map(|d| d as usize)
            .filter(|&d| d < self.groups.len());
        let group = if scratchpad.is_some() {
            self.current_group()
        } else {
            ruled
                .or(parent.map(|p| p.group))
                .or(asked)
                .unwrap_or(self.current_group())
        };
        let group = group.min(self.groups.len() - 1);
        let floating = decision.float.unwrap_or(
            info.window_type.floats()
                || info.transient_for.is_some()
                || info.size_hints.is_fixed()
                || (decision.geometry.is_some() && decision.float != Some(false)),
        ) || scratchpad.is_some();
        let sticky = info.desktop == Some(ALL_DESKTOPS);
        let mut client = Client::new(window, info, group, floating);
        client.sticky |= sticky;
        if let Some(f) = decision.fullscreen {
            client.fullscreen = f;
        }
        client.float_rect = self.initial_float_rect(&client, parent.map(|p| p.window));
        if let Some(g) = decision.geometry {
            let area = self.work_area(self.screen_for_group(group));
            client.float_rect = g.resolve(area, client.float_rect);
        }
        let minimized = client.minimized;
        self.clients.insert(window, client);
        self.groups[group].windows.push(window);
        self.managed_order.push(window);
        fx.push(Effect::Hook(HookEvent::ClientNew(window)));
        if let Some(i) = scratchpad {
            self.scratchpads[i].window = Some(window);
            self.scratchpads[i].pending = false;
            self.show_scratchpad(i, fx);
            return;
        }
        let takes_focus = decision.focus != Some(false) && !minimized;
        if takes_focus && self.screen_of_group(group).is_some() {
            self.showing_desktop = false;
            self.focus_window(window, fx);
        } else if !minimized {
            let g = &mut self.groups[group];
            g.focus_stack.insert(0, window);
        }
    }

    /// The screen a group is on, else the focused one (for placing its windows).
    pub(super) fn screen_for_group(&self, g: usize) -> usize {
        self.screen_of_group(g).unwrap_or(self.focused_screen)
    }

    /// Where a new floating window goes: its requested size (within hints and the screen),
    /// centred on its parent or its screen when it asked for the origin or lies off-screen.
    fn initial_float_rect(&self, c: &Client, parent: Option<WindowId>) -> Rect {
        let screen = self.screen_for_group(c.group);
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
            let dock = self
                .unmanaged
                .get(&window)
                .is_some_and(|u| u.kind == WindowType::Dock);
            if !dock || req != ConfigureReq::default() {
                fx.push(Effect::ConfigureUnmanaged { window, req });
            }
            return;
        };
        let floating = c.floats() || self.groups[c.group].current_layout().is_floating();
        let dragged = self.drag.is_some_and(|d| d.window == window);
        if floating && !c.fullscreen && !dragged {
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
                .map_or((c.float_rect, border), |v| (v.rect, v.border));
            fx.push(Effect::ConfigureNotify {
                window,
                rect,
                border,
            });
        }
    }

    /// Forget a window. Returns whether it was managed.
    fn unmanage(&mut self, window: WindowId, fx: &mut Vec<Effect>) -> bool {
        if self.unmanaged.remove(&window).is_some() {
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
        for sp in &mut self.scratchpads {
            if sp.window == Some(window) {
                sp.window = None;
            }
        }
        if self.drag.is_some_and(|d| d.window == window) {
            self.end_drag(fx);
        }
        fx.push(Effect::Hook(HookEvent::ClientKilled(window)));
        if was_focused {
            if let Some(next) = self.focused() {
                fx.push(Effect::Hook(HookEvent::ClientFocus(next)));
            }
        }
        true
    }

    /// Focus a window on a visible group, making its screen the focused one. Minimized
    /// windows are not focused (activating them shows them first).
    pub(super) fn focus_window(&mut self, window: WindowId, fx: &mut Vec<Effect>) {
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        if c.minimized {
            return;
        }
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

    /// Focus a window wherever it is: show it if minimized, leave "showing the desktop",
    /// switch its group onto the focused screen.
    pub(super) fn activate(&mut self, window: WindowId, fx: &mut Vec<Effect>) {
        let Some(group) = self.clients.get(&window).map(|c| c.group) else {
            return;
        };
        self.unminimize(window);
        self.show_desktop(false, fx);
        if self.screen_of_group(group).is_none() {
            self.view_group(group, fx);
        }
        self.focus_window(window, fx);
    }

    /// Hide a window until it is activated (iconify, `_NET_WM_STATE_HIDDEN`).
    pub(super) fn minimize(&mut self, window: WindowId, fx: &mut Vec<Effect>) {
        let was_focused = self.focused() == Some(window);
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        if c.minimized {
            return;
        }
        c.minimized = true;
        let g = c.group;
        self.groups[g].focus_stack.retain(|&w| w != window);
        if self.drag.is_some_and(|d| d.window == window) {
            self.end_drag(fx);
        }
        if was_focused {
            if let Some(next) = self.focused() {
                fx.push(Effect::Hook(HookEvent::ClientFocus(next)));
            }
        }
    }

    /// Show a minimized window again (it joins the bottom of its group's focus history;
    /// the caller focuses it if it should be).
    pub(super) fn unminimize(&mut self, window: WindowId) {
        if let Some(c) = self.clients.get_mut(&window) {
            if c.minimized {
                c.minimized = false;
                let g = c.group;
                self.groups[g].focus_stack.insert(0, window);
            }
        }
    }

    fn change_states(
        &mut self,
        window: WindowId,
        change: super::StateChange,
        states: NetStates,
        fx: &mut Vec<Effect>,
    ) {
        let focused = self.focused() == Some(window);
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        if states.fullscreen {
            c.fullscreen = change.apply(c.fullscreen);
        }
        if states.maximized_vert {
            c.maximized_vert = change.apply(c.maximized_vert);
        }
        if states.maximized_horz {
            c.maximized_horz = change.apply(c.maximized_horz);
        }
        if states.above {
            c.above = change.apply(c.above);
            c.below &= !c.above;
        }
        if states.below {
            c.below = change.apply(c.below);
            c.above &= !c.below;
        }
        if states.sticky {
            c.sticky = change.apply(c.sticky);
        }
        if states.demands_attention {
            c.urgent = change.apply(c.urgent) && !focused;
        }
        if states.skip_taskbar {
            c.skip_taskbar = change.apply(c.skip_taskbar);
        }
        if states.skip_pager {
            c.skip_pager = change.apply(c.skip_pager);
        }
        if states.hidden {
            if change.apply(c.minimized) {
                self.minimize(window, fx);
            } else if c.minimized {
                self.activate(window, fx);
            }
        }
    }

    /// `_NET_SHOWING_DESKTOP`: hide (or show again) every managed window.
    fn show_desktop(&mut self, show: bool, fx: &mut Vec<Effect>) {
        if self.showing_desktop == show {
            return;
        }
        self.showing_desktop = show;
        if self.drag.is_some() {
            self.end_drag(fx);
        }
        if let Some(w) = self.focused() {
            fx.push(Effect::Hook(HookEvent::ClientFocus(w)));
        }
    }

    /// `_NET_NUMBER_OF_DESKTOPS` from a pager: add groups (named by their number, with the
    /// default layouts) or remove the last ones (their windows go to the last remaining
    /// group). Between 1 and [`MAX_GROUPS`].
    fn set_group_count(&mut self, count: usize, fx: &mut Vec<Effect>) {
        let count = count.clamp(1, MAX_GROUPS);
        let n = self.groups.len();
        if count == n {
            return;
        }
        if count > n {
            for i in n..count {
                let mut k = i + 1;
                while self.group_index(&k.to_string()).is_some() {
                    k += 1;
                }
                self.groups.push(Group {
                    name: k.to_string(),
                    layouts: build_layouts(&self.layout_specs),
                    layout: 0,
                    windows: Vec::new(),
                    focus_stack: Vec::new(),
                });
            }
            // Screens that had to share groups get their own now.
            self.assign_free_groups();
        } else {
            let removed: Vec<Group> = self.groups.drain(count..).collect();
            let last = &mut self.groups[count - 1];
            for g in removed {
                last.windows.extend(&g.windows);
                let mut stack = g.focus_stack;
                stack.append(&mut last.focus_stack);
                last.focus_stack = stack;
            }
            let new_of_old: Vec<Option<usize>> = (0..n).map(|i| (i < count).then_some(i)).collect();
            self.repoint(&new_of_old);
        }
        fx.push(Effect::Hook(HookEvent::GroupChange));
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
    /// Sticky windows stay on their screens; floating windows follow their group to its
    /// new screen.
    pub fn view_group(&mut self, g: usize, fx: &mut Vec<Effect>) {
        let s = self.focused_screen;
        let current = self.screens[s].group;
        if g >= self.groups.len() {
            return;
        }
        self.show_desktop(false, fx);
        if g == current {
            return;
        }
        let other = self.screen_of_group(g);
        if let Some(other) = other {
            self.screens[other].group = current;
        }
        self.screens[s].prev_group = Some(current);
        self.screens[s].group = g;
        // Sticky windows stay where they are: they change group with their screen.
        if current < self.groups.len() {
            let here = self.sticky_of(current);
            let there = if other.is_some() {
                self.sticky_of(g)
            } else {
                Vec::new()
            };
            self.carry_sticky(&here, current, g);
            self.carry_sticky(&there, g, current);
        }
        self.fit_floating(g, s);
        if let Some(o) = other {
            self.fit_floating(current, o);
        }
        fx.push(Effect::Hook(HookEvent::GroupChange));
        if let Some(w) = self.focused() {
            fx.push(Effect::Hook(HookEvent::ClientFocus(w)));
        }
    }

    /// The sticky windows of group `g`.
    fn sticky_of(&self, g: usize) -> Vec<WindowId> {
        self.groups[g]
            .windows
            .iter()
            .copied()
            .filter(|w| self.clients.get(w).is_some_and(|c| c.sticky))
            .collect()
    }

    /// Move these sticky windows from group `from` to `to`.
    fn carry_sticky(&mut self, sticky: &[WindowId], from: usize, to: usize) {
        for &w in sticky {
            let focused_there = self.groups[from].focused() == Some(w);
            self.transfer(w, to);
            // The sticky window keeps the focus of its screen if it had it.
            if !focused_there {
                let fs = &mut self.groups[to].focus_stack;
                if let Some(i) = fs.iter().position(|&x| x == w) {
                    fs.remove(i);
                    fs.insert(0, w);
                }
            }
        }
    }

    /// Put window `w` in group `to`, at the end of its windows and on top of its focus
    /// history (unless minimized).
    pub(super) fn transfer(&mut self, w: WindowId, to: usize) {
        let Some(c) = self.clients.get_mut(&w) else {
            return;
        };
        let from = c.group;
        let minimized = c.minimized;
        c.group = to;
        if from != to {
            self.groups[from].remove(w);
            self.groups[to].windows.push(w);
        }
        if !minimized {
            self.groups[to].touch(w);
        }
    }

    /// Move the floating windows of group `g` onto screen `s` when they lie on another
    /// screen (keeping their place relative to the screen) or on none.
    pub(super) fn fit_floating(&mut self, g: usize, s: usize) {
        if let Some(group) = self.groups.get(g) {
            let windows = group.windows.clone();
            self.fit_windows(&windows, s);
        }
    }

    /// [`fit_floating`](Self::fit_floating) for these windows.
    pub(super) fn fit_windows(&mut self, windows: &[WindowId], s: usize) {
        let Some(target) = self.screens.get(s).map(|sc| sc.rect) else {
            return;
        };
        let rects: Vec<Rect> = self.screens.iter().map(|sc| sc.rect).collect();
        let clamp = |v: i64| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        for w in windows {
            let Some(c) = self.clients.get_mut(w) else {
                continue;
            };
            let r = c.float_rect;
            if r.w <= 1 && r.h <= 1 {
                continue;
            }
            let cx = clamp(i64::from(r.x) + i64::from(r.w) / 2);
            let cy = clamp(i64::from(r.y) + i64::from(r.h) / 2);
            let on = rects.iter().position(|sr| sr.contains_point(cx, cy));
            c.float_rect = match on {
                Some(i) if i == s || rects[i] == target => continue,
                Some(i) => {
                    let from = rects[i];
                    let dx = i64::from(target.x) - i64::from(from.x);
                    let dy = i64::from(target.y) - i64::from(from.y);
                    Rect::new(
                        clamp(i64::from(r.x) + dx),
                        clamp(i64::from(r.y) + dy),
                        r.w,
                        r.h,
                    )
                    .moved_inside(&target)
                }
                None => r.moved_inside(&target),
            };
        }
    }

    pub(super) fn move_to_group(&mut self, window: WindowId, g: usize, fx: &mut Vec<Effect>) {
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        let old = c.group;
        if old == g {
            return;
        }
        let minimized = c.minimized;
        c.group = g;
        self.groups[old].remove(window);
        self.groups[g].windows.push(window);
        // It becomes the window that gets focus when its new group is shown.
        if !minimized {
            self.groups[g].touch(window);
        }
        if let Some(s) = self.screen_of_group(g) {
            self.fit_windows(&[window], s);
        }
        if self.drag.is_some_and(|d| d.window == window) {
            self.end_drag(fx);
        }
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
        let Some(cur) = self.focused() else {
            return;
        };
        let g = &self.groups[self.current_group()];
        // Minimized windows are skipped.
        let order: Vec<WindowId> = g
            .windows
            .iter()
            .copied()
            .filter(|w| self.clients.get(w).is_some_and(|c| !c.minimized))
            .collect();
        let n = order.len();
        let Some(i) = order.iter().position(|&w| w == cur) else {
            return;
        };
        let next = order[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        self.focus_window(next, fx);
    }

    fn shuffle(&mut self, forward: bool) {
        let Some(cur) = self.focused() else {
            return;
        };
        let gi = self.current_group();
        let g = &mut self.groups[gi];
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

    /// Focus screen `i` (its group's focused window gets the focus).
    fn focus_screen(&mut self, i: usize, fx: &mut Vec<Effect>) {
        if i >= self.screens.len() || i == self.focused_screen {
            return;
        }
        self.focused_screen = i;
        fx.push(Effect::Hook(HookEvent::GroupChange));
        if let Some(w) = self.focused() {
            fx.push(Effect::Hook(HookEvent::ClientFocus(w)));
        }
    }

    /// Move the focused window to the group shown on screen `i`; the focus stays on the
    /// focused screen.
    fn move_to_screen(&mut self, i: usize, fx: &mut Vec<Effect>) {
        let (Some(w), Some(g)) = (self.focused(), self.screens.get(i).map(|s| s.group)) else {
            return;
        };
        if g >= self.groups.len() {
            return;
        }
        self.move_to_group(w, g, fx);
    }

    /// The first managed window `m` matches: the focused one first, then in managed order.
    pub fn find_match(&self, m: &Match) -> Option<WindowId> {
        self.managed_order
            .iter()
            .copied()
            .filter(|w| self.clients.get(w).is_some_and(|c| m.matches_info(&c.info)))
            .min_by_key(|&w| Some(w) != self.focused())
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
                    if c.floats() {
                        c.floating = false;
                        c.maximized_vert = false;
                        c.maximized_horz = false;
                    } else {
                        c.floating = true;
                        if c.float_rect.w <= 1 {
                            c.float_rect = tile.unwrap_or(c.float_rect);
                        }
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
            Action::NextScreen | Action::PrevScreen => {
                let n = self.screens.len();
                let cur = self.focused_screen;
                let next = if a == Action::NextScreen {
                    (cur + 1) % n
                } else {
                    (cur + n - 1) % n
                };
                self.focus_screen(next, fx);
            }
            Action::ToScreen { screen } => self.focus_screen(screen, fx),
            Action::MoveToScreen { screen } => self.move_to_screen(screen, fx),
            Action::MoveToNextScreen | Action::MoveToPrevScreen => {
                let n = self.screens.len();
                let cur = self.focused_screen;
                let next = if a == Action::MoveToNextScreen {
                    (cur + 1) % n
                } else {
                    (cur + n - 1) % n
                };
                self.move_to_screen(next, fx);
            }
            Action::Minimize => {
                if let Some(w) = self.focused() {
                    self.minimize(w, fx);
                }
            }
            Action::ToggleScratchpad { name } => self.toggle_scratchpad(&name, fx),
            Action::FocusMatch { matcher } => {
                if let Some(w) = self.find_match(&matcher) {
                    self.activate(w, fx);
                }
            }
            Action::KillMatch { matcher } => {
                let all: Vec<WindowId> = self
                    .managed_order
                    .iter()
                    .copied()
                    .filter(|w| {
                        self.clients
                            .get(w)
                            .is_some_and(|c| matcher.matches_info(&c.info))
                    })
                    .collect();
                for w in all {
                    self.close(w, fx);
                }
            }
            // Handled by the event loop (processes, Lua, key chords), not by the core.
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

    // ----- dragging --------------------------------------------------------------------

    fn start_drag(
        &mut self,
        window: WindowId,
        mode: DragMode,
        start: (i32, i32),
        grab: bool,
        fx: &mut Vec<Effect>,
    ) {
        if self.drag.is_some() || !self.is_visible(window) {
            return;
        }
        let Some(rect) = self.snapshot_rect(window) else {
            return;
        };
        let Some(c) = self.clients.get_mut(&window) else {
            return;
        };
        if c.fullscreen {
            return;
        }
        // A tiled window being dragged floats from where it is; a maximized one keeps the
        // size it is shown at.
        c.floating = true;
        c.maximized_vert = false;
        c.maximized_horz = false;
        c.float_rect = rect;
        self.drag = Some(Drag {
            window,
            mode,
            start,
            rect,
            grabbed: grab,
        });
        if grab {
            fx.push(Effect::GrabPointer);
        }
        self.focus_window(window, fx);
    }

    fn drag_to(&mut self, x: i32, y: i32) {
        let Some(d) = self.drag else {
            return;
        };
        if let Some(c) = self.clients.get_mut(&d.window) {
            c.float_rect = d.rect_at(x, y, &c.info.size_hints);
        }
    }

    /// End the drag; a window dropped on another screen joins the group shown there.
    fn end_drag(&mut self, fx: &mut Vec<Effect>) {
        let Some(d) = self.drag.take() else {
            return;
        };
        if d.grabbed {
            fx.push(Effect::UngrabPointer);
        }
        let Some((r, group)) = self.clients.get(&d.window).map(|c| (c.float_rect, c.group)) else {
            return;
        };
        let cx = r.x.saturating_add((r.w / 2) as i32);
        let cy = r.y.saturating_add((r.h / 2) as i32);
        let Some(s) = self
            .screens
            .iter()
            .position(|s| s.rect.contains_point(cx, cy))
        else {
            return;
        };
        let g = self.screens[s].group;
        if g != group && g < self.groups.len() && self.screen_of_group(group).is_some() {
            let w = d.window;
            self.transfer(w, g);
            self.focus_window(w, fx);
        }
    }
}
