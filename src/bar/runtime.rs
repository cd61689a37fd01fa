//! Bars as the event loop runs them: built from the config onto the screens, given the
//! window manager's news each turn, woken when a widget asks, fed by Lua (`poll`,
//! `custom`) and by workers (`command`: the shell runs on a thread, never on the loop),
//! and copied to their X windows where they changed. The system tray is placed here too:
//! the bar says which systray widget hosts it and where that widget is; the X adapter
//! (src/x11/tray.rs) docks the icons and reports how many there are.

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use oxtile_widgets::builtin::{IconOrder, Systray};
use oxtile_widgets::{GroupInfo, Request, Waker, Widget, WmData};
use serde_json::{json, Value};

use super::popup::{self, Popup};
use super::Bar;
use crate::action::Action;
use crate::config::{BarSpec, Edge};
use crate::core::client::Strut;
use crate::core::geometry::Rect;
use crate::core::State;
use crate::lua::LuaRuntime;
use crate::x11::{TrayConfig, TrayOrder, TrayPlace, XError, X11};

/// A command widget's output, posted back by its worker.
#[derive(Debug)]
pub struct CommandOutput {
    /// Which bar.
    pub bar: usize,
    /// Which widget of it.
    pub slot: usize,
    /// Trimmed stdout, or the error.
    pub text: Result<String, String>,
    /// The generation of bars it was started for (stale results are dropped).
    pub generation: u64,
}

/// A widget fed from outside on a period.
struct Feed {
    bar: usize,
    slot: usize,
    every: Duration,
    due: Instant,
    kind: FeedKind,
    running: bool,
    /// For drawings: the size the last `draw` was given (a new size draws again).
    drawn_size: (u32, u32),
}

enum FeedKind {
    Poll(usize),
    /// A shell command and how long it may run.
    Command(String, Duration),
    Draw(usize),
}

/// What bars ask of the window manager.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// Run an action.
    Action(Action),
    /// Run the Lua functions connected to a hook, with these arguments.
    Hook(String, Vec<Value>),
}

/// All bars.
pub struct Bars {
    list: Vec<(Bar, u32)>,
    feeds: Vec<Feed>,
    generation: u64,
    data_cache: HashMap<usize, WmData>,
    popup: Option<Popup>,
    /// The systray widget that hosts the tray: (bar, slot).
    tray_host: Option<(usize, usize)>,
    /// Icons the tray showed when the host widget was last told.
    tray_count: u32,
    /// The tray as the X adapter last described it (for `json`), and its generation.
    tray_json: (u64, Value),
    counters: Counters,
}

/// What drawing the bars cost (`oxtile cmd stats`): redraws of whole bars and of single
/// widgets (a clock tick), with the time spent drawing and copying them to X.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Counters {
    /// Redraws of a whole bar.
    pub full_redraws: u64,
    /// Nanoseconds spent in them, drawing and copying.
    pub full_redraw_ns: u64,
    /// Redraws of some widgets only.
    pub tick_redraws: u64,
    /// Nanoseconds spent in them.
    pub tick_redraw_ns: u64,
    /// Bytes of pixels sent to X.
    pub bytes_put: u64,
}

/// Longest a command widget's command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

impl Bars {
    /// No bars.
    pub fn empty() -> Bars {
        Bars {
            list: Vec::new(),
            feeds: Vec::new(),
            generation: 0,
            data_cache: HashMap::new(),
            popup: None,
            counters: Counters::default(),
            tray_host: None,
            tray_count: 0,
            tray_json: (u64::MAX, Value::Null),
        }
    }

    /// Build the configured bars on the current screens (bars on screens that do not
    /// exist are skipped with a log line) and tell the core what space they keep.
    pub fn build(&mut self, specs: &[BarSpec], state: &mut State, x: &mut X11, waker: &Waker) {
        self.destroy(x);
        self.generation += 1;
        for spec in specs {
            let Some(screen) = state.screens.get(spec.screen) else {
                tracing::warn!("bar on screen {}: there is no such screen", spec.screen + 1);
                continue;
            };
            let mut bar = Bar::new(spec.clone(), area_for(spec, screen.rect, specs));
            for slot in &mut bar.slots {
                slot.placed.widget.start(waker.clone());
            }
            // Widgets never read the clock themselves: give them the time once now.
            bar.tick_all(Utc::now());
            match x.create_bar(bar.rect, spec.opacity) {
                Ok(win) => {
                    let index = self.list.len();
                    self.add_feeds(index, &bar);
                    self.list.push((bar, win));
                }
                Err(e) => tracing::warn!("cannot create a bar window: {e}"),
            }
        }
        self.reserve(state);
        self.tray_host = self.find_tray_host();
        let config = self.tray_host.and_then(|(b, i)| {
            let slot = self.list.get_mut(b)?.0.slots.get_mut(i)?;
            let foreground = slot.placed.style.foreground.to_argb() & 0xff_ffff;
            let tray = systray(&mut slot.placed.widget)?;
            Some(TrayConfig {
                order: match tray.order() {
                    IconOrder::Arrival => TrayOrder::Arrival,
                    IconOrder::Class => TrayOrder::Class,
                },
                take_over: tray.take_over(),
                foreground,
            })
        });
        x.tray_configure(config);
    }

    /// The systray widget the tray goes to: the first that says `primary = true`, else the
    /// first on the lowest-numbered screen (bars in config order).
    fn find_tray_host(&mut self) -> Option<(usize, usize)> {
        let mut found: Vec<(bool, usize, usize, usize)> = Vec::new();
        for (b, (bar, _)) in self.list.iter_mut().enumerate() {
            let screen = bar.spec.screen;
            for (i, slot) in bar.slots.iter_mut().enumerate() {
                if let Some(t) = systray(&mut slot.placed.widget) {
                    found.push((!t.primary(), screen, b, i));
                }
            }
        }
        found.into_iter().min().map(|(_, _, b, i)| (b, i))
    }

    /// Tell the tray where its widget is now, and the widget how many icons it holds.
    fn place_tray(&mut self, x: &mut X11) {
        let Some((b, i)) = self.tray_host else {
            return;
        };
        let Some((bar, win)) = self.list.get_mut(b) else {
            return;
        };
        let vertical = bar.spec.position.vertical();
        let (rect, origin) = (bar.slot_rect(i), (bar.rect.x, bar.rect.y));
        let across = if vertical { bar.rect.w } else { bar.rect.h };
        let Some(slot) = bar.slots.get_mut(i) else {
            return;
        };
        let background = slot.placed.style.background.to_argb() & 0xff_ffff;
        let Some(tray) = systray(&mut slot.placed.widget) else {
            return;
        };
        x.tray_place(Some(TrayPlace {
            bar: *win,
            origin,
            rect: Rect::new(rect.x - origin.0, rect.y - origin.1, rect.w, rect.h),
            icon_size: tray.icon_size_for(across),
            spacing: tray.spacing(),
            vertical,
            background,
        }));
    }

    fn add_feeds(&mut self, index: usize, bar: &Bar) {
        let now = Instant::now();
        for (i, slot) in bar.slots.iter().enumerate() {
            let secs = slot
                .spec
                .options
                .get("interval")
                .and_then(|v| v.as_f64())
                .filter(|s| s.is_finite() && *s > 0.0);
            let kind = match slot.spec.kind.as_str() {
                "poll" => slot.spec.callbacks.get("fn").map(|&id| FeedKind::Poll(id)),
                "command" => slot
                    .spec
                    .options
                    .get("cmd")
                    .and_then(|c| c.as_str())
                    .map(|c| FeedKind::Command(c.to_string(), command_timeout(&slot.spec.options))),
                "custom" => slot
                    .spec
                    .callbacks
                    .get("draw")
                    .map(|&id| FeedKind::Draw(id)),
                _ => None,
            };
            let Some(kind) = kind else { continue };
            let default = match kind {
                FeedKind::Draw(_) => 3600.0 * 24.0 * 365.0,
                FeedKind::Command(..) => 10.0,
                FeedKind::Poll(_) => 5.0,
            };
            self.feeds.push(Feed {
                bar: index,
                slot: i,
                every: Duration::from_secs_f64(secs.unwrap_or(default).max(0.05)),
                due: now,
                kind,
                running: false,
                drawn_size: (0, 0),
            });
        }
    }

    /// Remove every bar window.
    pub fn destroy(&mut self, x: &mut X11) {
        self.close_popup(x);
        for (_, win) in self.list.drain(..) {
            if let Err(e) = x.destroy_bar(win) {
                tracing::debug!("destroying a bar window: {e}");
            }
        }
        self.feeds.clear();
        self.data_cache.clear();
    }

    /// Tell the core the space bars keep on each screen.
    pub fn reserve(&self, state: &mut State) {
        let mut per_screen: HashMap<usize, Strut> = HashMap::new();
        for (bar, _) in &self.list {
            let r = bar.reserve();
            let s = per_screen.entry(bar.spec.screen).or_default();
            s.top += r.top;
            s.bottom += r.bottom;
            s.left += r.left;
            s.right += r.right;
        }
        for i in 0..state.screens.len() {
            let reserve = per_screen.get(&i).copied().unwrap_or_default();
            state.handle(crate::core::Input::ReserveChanged { screen: i, reserve });
        }
    }

    /// Screens changed: move the bars.
    pub fn screens_changed(&mut self, state: &mut State, x: &X11) {
        let specs: Vec<BarSpec> = self.list.iter().map(|(b, _)| b.spec.clone()).collect();
        for (bar, win) in &mut self.list {
            if let Some(screen) = state.screens.get(bar.spec.screen) {
                bar.set_screen(area_for(&bar.spec, screen.rect, &specs));
                if let Err(e) = x.configure_bar(*win, bar.rect) {
                    tracing::debug!("moving a bar: {e}");
                }
            }
        }
        self.reserve(state);
    }

    /// Give widgets the state of the window manager (only bars whose data changed).
    pub fn update(&mut self, state: &State, errors: &[String]) {
        for (i, (bar, _)) in self.list.iter_mut().enumerate() {
            let mut data = wm_data(state, bar.spec.screen, errors);
            if self.tray_host.is_some_and(|(b, _)| b == i) {
                data.tray_icons = self.tray_count;
            }
            if self.data_cache.get(&i) != Some(&data) {
                bar.update(&data);
                bar.show_errors(errors);
                self.data_cache.insert(i, data);
            }
        }
    }

    /// The earliest instant a widget wants a tick (wall clock; armed on a realtime timer).
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.list.iter().filter_map(|(b, _)| b.next_wake()).min()
    }

    /// The earliest instant a Lua feed wants to run (monotonic clock).
    pub fn next_feed(&self) -> Option<Instant> {
        self.feeds
            .iter()
            .filter(|f| !f.running)
            .map(|f| f.due)
            .min()
    }

    /// The wall clock was set (or we woke from suspend): tick everything and reschedule.
    pub fn clock_set(&mut self, wall: DateTime<Utc>) {
        for (bar, _) in &mut self.list {
            bar.tick_all(wall);
        }
    }

    /// Tick the widgets whose wall-clock wake-up has come.
    pub fn tick(&mut self, wall: DateTime<Utc>) {
        for (bar, _) in &mut self.list {
            bar.tick(wall);
        }
    }

    /// Run the feeds that are due: Lua polls and draws, command workers. Returns the
    /// actions Lua queued.
    pub fn run_due(
        &mut self,
        now: Instant,
        lua: &mut LuaRuntime,
        view: impl Fn() -> Value,
        spawn_command: impl Fn(CommandOutputJob),
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let generation = self.generation;
        let mut view_cache: Option<Value> = None;
        for feed in self.feeds.iter_mut().filter(|f| !f.running && f.due <= now) {
            feed.due = now + feed.every;
            let Some((bar, _)) = self.list.get_mut(feed.bar) else {
                continue;
            };
            let view = view_cache.get_or_insert_with(&view);
            match &feed.kind {
                FeedKind::Poll(id) => {
                    let (result, queued) = lua.call_value(*id, view);
                    actions.extend(queued);
                    match result {
                        Ok(v) => bar.set_text(feed.slot, &text_of(&v)),
                        Err(e) => bar.fail(feed.slot, &e),
                    }
                }
                FeedKind::Draw(id) => {
                    let (w, h) = bar.slot_size(feed.slot);
                    feed.drawn_size = (w, h);
                    match lua.call_draw(*id, w, h, view) {
                        Ok(ops) => bar.set_data(feed.slot, &ops),
                        Err(e) => bar.fail(feed.slot, &e),
                    }
                }
                FeedKind::Command(cmd, timeout) => {
                    feed.running = true;
                    spawn_command(CommandOutputJob {
                        bar: feed.bar,
                        slot: feed.slot,
                        cmd: cmd.clone(),
                        timeout: *timeout,
                        generation,
                    });
                }
            }
        }
        actions
    }

    /// A command widget's worker finished.
    pub fn command_done(&mut self, out: CommandOutput) {
        if out.generation != self.generation {
            return;
        }
        if let Some(feed) = self
            .feeds
            .iter_mut()
            .find(|f| f.bar == out.bar && f.slot == out.slot)
        {
            feed.running = false;
        }
        if let Some((bar, _)) = self.list.get_mut(out.bar) {
            match out.text {
                Ok(t) => bar.set_text(out.slot, &t),
                Err(e) => bar.fail(out.slot, &e),
            }
        }
    }

    /// Draw what changed and copy it to the windows; then put the tray where its widget
    /// now is.
    pub fn render(&mut self, x: &mut X11) -> Result<(), XError> {
        // The tray's icon count sizes the systray widget: a change re-lays the bar out.
        let count = x.tray_count();
        if count != self.tray_count {
            self.tray_count = count;
            if let Some((b, _)) = self.tray_host {
                if let Some((bar, _)) = self.list.get_mut(b) {
                    let mut data = self.data_cache.get(&b).cloned().unwrap_or_default();
                    data.tray_icons = count;
                    bar.update(&data);
                    self.data_cache.insert(b, data);
                }
            }
        }
        for (index, (bar, win)) in self.list.iter_mut().enumerate() {
            if !bar.needs_render() {
                continue;
            }
            let started = Instant::now();
            let damage = bar.render();
            if damage.is_empty() {
                continue;
            }
            if let Some((data, stride)) = bar.pixels() {
                x.put_bar(*win, &data, stride, &damage)?;
            }
            let ns = started.elapsed().as_nanos() as u64;
            // A custom widget laid out at a new size draws again for it.
            for feed in &mut self.feeds {
                if feed.bar == index && matches!(feed.kind, FeedKind::Draw(_)) {
                    let size = bar.slot_size(feed.slot);
                    if size != feed.drawn_size {
                        feed.due = Instant::now();
                    }
                }
            }
            let bytes: u64 = damage
                .iter()
                .map(|r| u64::from(r.w) * u64::from(r.h) * 4)
                .sum();
            let c = &mut self.counters;
            c.bytes_put += bytes;
            if damage.len() == 1 && damage[0].w == bar.rect.w && damage[0].h == bar.rect.h {
                c.full_redraws += 1;
                c.full_redraw_ns += ns;
            } else {
                c.tick_redraws += 1;
                c.tick_redraw_ns += ns;
            }
        }
        self.place_tray(x);
        if self.tray_json.0 != x.tray_generation() {
            self.tray_json = (x.tray_generation(), x.tray_json());
        }
        Ok(())
    }

    /// The drawing counters as JSON.
    pub fn stats(&self) -> Value {
        json!(self.counters)
    }

    /// An Expose on a bar window.
    pub fn expose(&mut self, window: u32, x: &X11) {
        if self.popup.as_ref().is_some_and(|p| p.window == window) {
            self.paint_popup(x);
            return;
        }
        if let Some((bar, _)) = self.list.iter_mut().find(|(_, w)| *w == window) {
            bar.expose();
        }
    }

    /// A click on a bar or popup window: what it asks for.
    pub fn click(
        &mut self,
        window: u32,
        x: i32,
        y: i32,
        button: u8,
        state: &State,
        xconn: &mut X11,
    ) -> Vec<Outgoing> {
        if let Some(p) = &self.popup {
            if p.window == window {
                let (owner, line) = (p.owner, p.line_at(y));
                let Some((bar, _)) = self.list.get_mut(owner.0) else {
                    return Vec::new();
                };
                let requests = match (button, line) {
                    (4 | 5, _) => bar.popup_scroll(owner.1, button == 4),
                    (_, Some(line)) => bar.popup_choice(owner.1, line),
                    (_, None) => return Vec::new(),
                };
                return self.handle(owner, requests, state, xconn);
            }
        }
        let Some(index) = self.list.iter().position(|(_, w)| *w == window) else {
            return Vec::new();
        };
        let requests = self.list[index].0.click(x, y, button);
        let mut out = Vec::new();
        for (slot, request) in requests {
            out.extend(self.handle((index, slot), vec![request], state, xconn));
        }
        out
    }

    /// Turn widget requests into what the window manager does; popups are handled here.
    fn handle(
        &mut self,
        (bar_index, slot): (usize, usize),
        requests: Vec<Request>,
        state: &State,
        xconn: &mut X11,
    ) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let Some(screen) = self.list.get(bar_index).map(|(b, _)| b.spec.screen) else {
            return out;
        };
        for request in requests {
            let action = match request {
                Request::ToGroup(group) => Action::ToGroup { group },
                Request::NextGroup => Action::NextGroup,
                Request::PrevGroup => Action::PrevGroup,
                Request::Spawn(cmd) => Action::Spawn { cmd },
                Request::Callback(id) => Action::Lua { id },
                Request::Hook(name, args) => {
                    out.push(Outgoing::Hook(name, args));
                    continue;
                }
                Request::Popup(lines) => {
                    self.open_popup((bar_index, slot), lines, state, xconn);
                    continue;
                }
                Request::ClosePopup => {
                    self.close_popup(xconn);
                    continue;
                }
            };
            // Group requests act on the bar's own screen: focus it first.
            if matches!(
                action,
                Action::ToGroup { .. } | Action::NextGroup | Action::PrevGroup
            ) && state.focused_screen != screen
            {
                if let Some(w) = state
                    .screens
                    .get(screen)
                    .and_then(|s| state.groups.get(s.group))
                    .and_then(|g| g.focused())
                {
                    out.push(Outgoing::Action(Action::FocusWindow { window: w }));
                }
            }
            out.push(Outgoing::Action(action));
        }
        out
    }

    fn open_popup(
        &mut self,
        owner: (usize, usize),
        lines: Vec<String>,
        state: &State,
        x: &mut X11,
    ) {
        self.close_popup(x);
        let Some((bar, _)) = self.list.get(owner.0) else {
            return;
        };
        let Some(screen) = state.screens.get(bar.spec.screen).map(|s| s.rect) else {
            return;
        };
        let style = bar
            .slots
            .get(owner.1)
            .map(|s| s.placed.style.clone())
            .unwrap_or_default();
        let line_height = bar.spec.size.max(12);
        let size = popup::measure(&lines, &style, line_height);
        let rect = popup::place(bar.slot_rect(owner.1), bar.spec.position, size, screen);
        let image = popup::render(&lines, &style, line_height, (rect.w, rect.h));
        match x.create_popup(rect) {
            Ok(window) => {
                self.popup = Some(Popup {
                    owner,
                    window,
                    rect,
                    line_height,
                    lines,
                    image,
                });
                self.paint_popup(x);
            }
            Err(e) => tracing::warn!("cannot open a popup: {e}"),
        }
    }

    fn paint_popup(&self, x: &X11) {
        if let Some(p) = &self.popup {
            if let Some((data, stride)) = &p.image {
                let all = Rect::new(0, 0, p.rect.w, p.rect.h);
                if let Err(e) = x.put_bar(p.window, data, *stride, &[all]) {
                    tracing::debug!("drawing a popup: {e}");
                }
            }
        }
    }

    /// Close the open popup because the user turned away from it (Escape, a click
    /// elsewhere, a prompt): its widget is told, so that it does not open it again by
    /// itself. True when one was open.
    pub fn dismiss_popup(&mut self, x: &mut X11) -> bool {
        if let Some((bar, slot)) = self.popup.as_ref().map(|p| p.owner) {
            if let Some((bar, _)) = self.list.get_mut(bar) {
                bar.popup_closed(slot);
            }
        }
        self.close_popup(x)
    }

    /// Close the open popup, if any. True when one was open.
    pub fn close_popup(&mut self, x: &mut X11) -> bool {
        match self.popup.take() {
            Some(p) => {
                if let Err(e) = x.destroy_popup(p.window) {
                    tracing::debug!("closing a popup: {e}");
                }
                true
            }
            None => false,
        }
    }

    /// Whether a popup is open (it has the keyboard and pointer).
    pub fn popup_open(&self) -> bool {
        self.popup.is_some()
    }

    /// The lines of the open popup (for `oxtile cmd widgets` and tests).
    pub fn popup_lines(&self) -> Option<&[String]> {
        self.popup.as_ref().map(|p| p.lines.as_slice())
    }

    /// After a worker woke the loop: let every widget take its news.
    pub fn pump(&mut self, state: &State, x: &mut X11) -> Vec<Outgoing> {
        let mut requests = Vec::new();
        for (i, (bar, _)) in self.list.iter_mut().enumerate() {
            for (slot, r) in bar.pump() {
                requests.push(((i, slot), r));
            }
        }
        let mut out = Vec::new();
        for (owner, r) in requests {
            out.extend(self.handle(owner, vec![r], state, x));
        }
        out
    }

    /// Change the zone of every clock named `name`. Errors name the problem (no such
    /// clock, unknown zone with suggestions).
    pub fn set_clock_zone(&mut self, name: &str, zone: &str) -> Result<(), String> {
        let mut found = false;
        for (bar, _) in &mut self.list {
            for slot in bar.slots.iter_mut().filter(|s| s.placed.name == name) {
                let Some(clock) = slot
                    .placed
                    .widget
                    .as_any_mut()
                    .and_then(|a| a.downcast_mut::<oxtile_widgets::builtin::Clock>())
                else {
                    continue;
                };
                found = true;
                if clock.set_timezone(zone)? {
                    let now = Utc::now();
                    clock.tick(now);
                    slot.wake = clock.next_wake(now);
                    slot.dirty = true;
                }
            }
        }
        if found {
            Ok(())
        } else {
            Err(format!("no clock widget named '{name}'"))
        }
    }

    /// Every bar and widget as JSON (`oxtile cmd widgets`).
    pub fn json(&self) -> Value {
        Value::Array(
            self.list
                .iter()
                .enumerate()
                .map(|(i, (bar, win))| {
                    json!({
                        "bar": i,
                        "window": win,
                        "screen": bar.spec.screen,
                        "position": bar.spec.position,
                        "x": bar.rect.x, "y": bar.rect.y,
                        "width": bar.rect.w, "height": bar.rect.h,
                        "full_redraws": bar.full_redraws,
                        "widgets": bar.widgets_json(),
                        "tray": self.tray_host
                            .filter(|(b, _)| *b == i)
                            .map(|(_, slot)| {
                                let mut t = self.tray_json.1.clone();
                                t["widget"] = json!(slot);
                                t
                            }),
                        "popup": self.popup.as_ref().filter(|p| p.owner.0 == i).map(|p| json!({
                            "widget": p.owner.1,
                            "lines": p.lines,
                            "x": p.rect.x, "y": p.rect.y, "width": p.rect.w, "height": p.rect.h,
                        })),
                    })
                })
                .collect(),
        )
    }

    /// The first widget of `kind` on a bar of `screen`, else on any bar: (bar, slot).
    pub fn find_widget(&self, kind: &str, screen: usize) -> Option<(usize, usize)> {
        let find = |on_screen: bool| {
            self.list.iter().enumerate().find_map(|(b, (bar, _))| {
                if on_screen && bar.spec.screen != screen {
                    return None;
                }
                let slot = bar
                    .slots
                    .iter()
                    .position(|s| s.placed.widget.kind() == kind)?;
                Some((b, slot))
            })
        };
        find(true).or_else(|| find(false))
    }

    /// Hand the widget at (bar, slot) data from the window manager (the prompt's view).
    pub fn set_widget_data(&mut self, (bar, slot): (usize, usize), data: &Value) {
        if let Some((bar, _)) = self.list.get_mut(bar) {
            bar.set_data(slot, data);
        }
    }

    /// Number of bars.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are no bars.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The part of a screen a bar lies along: side bars stop where the screen's top and
/// bottom bars begin, so the corners belong to the horizontal bars.
fn area_for(spec: &BarSpec, screen: Rect, all: &[BarSpec]) -> Rect {
    if !spec.position.vertical() {
        return screen;
    }
    let size = |edge: Edge| -> u32 {
        all.iter()
            .filter(|b| b.screen == spec.screen && b.position == edge)
            .map(|b| b.size + 2 * b.margin)
            .sum()
    };
    let (top, bottom) = (size(Edge::Top), size(Edge::Bottom));
    Rect::new(
        screen.x,
        screen.y + top as i32,
        screen.w,
        screen.h.saturating_sub(top + bottom).max(1),
    )
}

/// A command widget's job for a worker.
#[derive(Debug, Clone)]
pub struct CommandOutputJob {
    /// Which bar.
    pub bar: usize,
    /// Which widget.
    pub slot: usize,
    /// The shell command.
    pub cmd: String,
    /// How long it may run before it (and what it started) is killed.
    pub timeout: Duration,
    /// Bars generation it belongs to.
    pub generation: u64,
}

impl CommandOutputJob {
    /// Run the command (on a worker thread): its trimmed stdout, or why it failed.
    pub fn run(self) -> CommandOutput {
        let text = run_command(&self.cmd, self.timeout);
        CommandOutput {
            bar: self.bar,
            slot: self.slot,
            text,
            generation: self.generation,
        }
    }
}

/// A command widget's `timeout` option (seconds; `oxtile check` refuses a bad one), else
/// [`COMMAND_TIMEOUT`].
fn command_timeout(options: &serde_json::Map<String, Value>) -> Duration {
    options
        .get("timeout")
        .and_then(Value::as_f64)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .unwrap_or(COMMAND_TIMEOUT)
}

fn run_command(cmd: &str, timeout: Duration) -> Result<String, String> {
    let mut sh = Command::new("/bin/sh");
    sh.arg("-c").arg(cmd);
    let out = oxtile_widgets::process::output_within(sh, timeout).map_err(|e| match e {
        oxtile_widgets::process::RunError::Io(e) => format!("cannot run: {e}"),
        timeout => timeout.to_string(),
    })?;
    if !out.status.success() && out.stdout.is_empty() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("exited with {}: {}", out.status, err.trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The widget as a `Systray`, if it is one.
fn systray(widget: &mut Box<dyn Widget>) -> Option<&mut Systray> {
    widget
        .as_any_mut()
        .and_then(|a| a.downcast_mut::<Systray>())
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What the widgets of a bar on `screen` need to know.
pub fn wm_data(state: &State, screen: usize, errors: &[String]) -> WmData {
    let focused_group = state.current_group();
    let shown = state.screens.get(screen).map(|s| s.group);
    let groups = state
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| GroupInfo {
            name: g.name.clone(),
            on_this_screen: Some(i) == shown,
            on_other_screen: Some(i) != shown && state.screen_of_group(i).is_some(),
            focused: i == focused_group,
            has_windows: !g.windows.is_empty(),
            urgent: g
                .windows
                .iter()
                .any(|w| state.clients.get(w).is_some_and(|c| c.urgent)),
        })
        .collect();
    let group = shown.and_then(|g| state.groups.get(g));
    WmData {
        groups,
        focused_title: group
            .and_then(|g| g.focused())
            .and_then(|w| state.clients.get(&w))
            .map(|c| c.info.title.clone())
            .unwrap_or_default(),
        layout: group
            .map(|g| g.current_layout().name().to_string())
            .unwrap_or_default(),
        tray_icons: 0,
        config_errors: errors.to_vec(),
    }
}
