//! The event loop: one thread owns the state. Sources are the X connection, the IPC
//! channel and signals (calloop); Lua timers set the poll timeout. Each turn drains every
//! queued X event, feeds the core, runs the actions that result, and pushes one snapshot
//! diff to X — so a burst of 200 new windows costs one layout, not 200.

use std::collections::VecDeque;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calloop::generic::Generic;
use calloop::signals::{Signal, Signals};
use calloop::{EventLoop, Interest, Mode, PostAction};
use serde_json::{json, Value};
use thiserror::Error;

use crate::action::Action;
use crate::bar::runtime::{Bars, CommandOutput, Outgoing};
use crate::config::Config;
use crate::core::{Effect, HookEvent, Input, State};
use crate::ipc::server::{Answer, Incoming};
use crate::ipc::{Request, Response};
use crate::keys::KeyMap;
use crate::lua::{Hook, Loaded, LuaRuntime};
use crate::x11::{XError, XEvent, X11};

mod prompt;

/// Why the window manager could not run.
#[derive(Debug, Error)]
pub enum WmError {
    /// X said no (or another WM runs).
    #[error(transparent)]
    X(#[from] XError),
    /// The event loop or the IPC socket could not be set up.
    #[error("{0}")]
    Setup(String),
}

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Leave the session.
    Quit,
    /// Exec oxtile again (keeping the windows, which are adopted on start).
    Restart,
}

/// How to start.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// `-c FILE`, else the XDG config file, else the built-in default.
    pub config: Option<PathBuf>,
}

/// Most actions run in one turn (a Lua callback that queues itself forever is cut here).
const MAX_ACTIONS_PER_TURN: usize = 10_000;

/// Everything the loop owns.
pub struct Wm {
    x: X11,
    state: State,
    lua: LuaRuntime,
    config: Config,
    keymap: KeyMap,
    config_path: Option<PathBuf>,
    /// Problems in the config the session runs without (shown over IPC and, later, the bar).
    errors: Vec<String>,
    actions: VecDeque<Action>,
    dirty: bool,
    exit: Option<Exit>,
    exit_ack: Option<std::sync::mpsc::Receiver<()>>,
    stats: Stats,
    bars: Bars,
    bars_stale: bool,
    children: Vec<std::process::Child>,
    waker: oxtile_widgets::Waker,
    wall: crate::walltimer::WallTimer,
    command_tx: Option<calloop::channel::Sender<CommandOutput>>,
    /// The prompt in the bar and the clipboard it fills (src/wm/prompt.rs).
    prompt: prompt::Prompting,
    /// When to ask X for the screens again (a RandR change is being debounced).
    screens_due: Option<Instant>,
}

/// Counters that show the loop's cost (`oxtile cmd stats`): a burst of events should
/// cost few turns and fewer layouts.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Stats {
    /// Loop turns.
    pub turns: u64,
    /// X events received.
    pub x_events: u64,
    /// Snapshots computed and pushed to X (one per turn at most, only when dirty).
    pub layouts: u64,
}

/// Load the config at `path` (or the XDG one), falling back to the built-in default.
/// Returns what to run and the problems found.
pub fn load_config(path: Option<&std::path::Path>) -> (Loaded, Vec<String>, Option<PathBuf>) {
    let path = path.map(PathBuf::from).or_else(crate::paths::config_file);
    match &path {
        Some(p) => match LuaRuntime::load_file(p) {
            Ok(l) => (l, Vec::new(), path),
            Err(errors) => {
                for e in &errors {
                    tracing::error!("config: {e}");
                }
                tracing::error!("running on the built-in default config");
                (LuaRuntime::load_default(), errors, path)
            }
        },
        None => (LuaRuntime::load_default(), Vec::new(), None),
    }
}

/// Run the window manager on `$DISPLAY` until quit or restart.
pub fn run(opts: StartOptions) -> Result<Exit, WmError> {
    let mut x = X11::connect(None)?;
    x.become_wm()?;
    let (loaded, errors, config_path) = load_config(opts.config.as_deref());
    let screens = loaded
        .config
        .fake_screens
        .clone()
        .unwrap_or_else(|| x.screens());
    let state = State::new(&loaded.config, &screens);
    let keymap = KeyMap::new(loaded.config.keys.clone(), loaded.config.chords.clone());
    // Widgets' workers wake the loop through this channel.
    let (wake_tx, wake_rx) = calloop::channel::channel::<()>();
    let wake_tx = std::sync::Mutex::new(wake_tx);
    let waker: oxtile_widgets::Waker = std::sync::Arc::new(move || {
        if let Ok(tx) = wake_tx.lock() {
            let _ = tx.send(());
        }
    });
    let mut wm = Wm {
        x,
        state,
        lua: loaded.runtime,
        config: loaded.config,
        keymap,
        config_path,
        errors,
        actions: VecDeque::new(),
        dirty: true,
        exit: None,
        exit_ack: None,
        stats: Stats::default(),
        bars: Bars::empty(),
        bars_stale: true,
        children: Vec::new(),
        waker,
        wall: crate::walltimer::WallTimer::new()
            .map_err(|e| WmError::Setup(format!("wall-clock timer: {e}")))?,
        command_tx: None,
        prompt: prompt::Prompting::new(),
        screens_due: None,
    };
    wm.bars
        .build(&wm.config.bars, &mut wm.state, &mut wm.x, &wm.waker);
    wm.grab()?;
    let adopted = wm.x.existing_windows()?;
    for ev in adopted {
        wm.x_event(ev);
    }
    // After a restart: put back what X properties could not carry.
    if let Some(saved) = crate::restart::take() {
        wm.state.restore(&saved);
        wm.dirty = true;
        tracing::info!("restored the state of the previous oxtile");
    }

    let mut event_loop: EventLoop<Wm> =
        EventLoop::try_new().map_err(|e| WmError::Setup(format!("event loop: {e}")))?;
    let handle = event_loop.handle();
    let xfd: OwnedFd =
        wm.x.fd()
            .try_clone_to_owned()
            .map_err(|e| WmError::Setup(format!("X fd: {e}")))?;
    handle
        .insert_source(Generic::new(xfd, Interest::READ, Mode::Level), |_, _, _| {
            // Only a wake-up: every turn drains the X queue, whatever woke the loop.
            Ok(PostAction::Continue)
        })
        .map_err(|e| WmError::Setup(format!("X source: {e}")))?;
    // Signals first, so threads started later inherit the blocked mask signalfd needs.
    let signals = Signals::new(&[
        Signal::SIGCHLD,
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGHUP,
    ])
    .map_err(|e| WmError::Setup(format!("signals: {e}")))?;
    handle
        .insert_source(signals, |ev, _, wm| match ev.signal() {
            Signal::SIGCHLD => wm.reap_children(),
            Signal::SIGHUP => wm.actions.push_back(Action::Reload),
            _ => wm.exit = Some(Exit::Quit),
        })
        .map_err(|e| WmError::Setup(format!("signal source: {e}")))?;
    // Widget wake-ups are on the wall clock: a realtime timerfd, right after suspend and
    // clock jumps.
    let wall_fd = wm
        .wall
        .try_clone_fd()
        .map_err(|e| WmError::Setup(format!("wall-clock timer: {e}")))?;
    handle
        .insert_source(
            Generic::new(wall_fd, Interest::READ, Mode::Level),
            |_, _, wm| {
                if wm.wall.acknowledge() {
                    tracing::debug!("the wall clock was set: re-ticking the bars");
                    wm.bars.clock_set(chrono::Utc::now());
                }
                Ok(PostAction::Continue)
            },
        )
        .map_err(|e| WmError::Setup(format!("wall-clock source: {e}")))?;
    // Command widgets run their shell commands on worker threads and post back here.
    let (command_tx, command_rx) = calloop::channel::channel::<CommandOutput>();
    handle
        .insert_source(command_rx, |ev, _, wm| {
            if let calloop::channel::Event::Msg(out) = ev {
                wm.bars.command_done(out);
            }
        })
        .map_err(|e| WmError::Setup(format!("worker source: {e}")))?;
    wm.command_tx = Some(command_tx);
    handle
        .insert_source(wake_rx, |ev, _, wm| {
            if let calloop::channel::Event::Msg(()) = ev {
                let out = wm.bars.pump(&wm.state, &mut wm.x);
                wm.outgoing(out);
            }
        })
        .map_err(|e| WmError::Setup(format!("widget source: {e}")))?;
    // Prompt workers ($PATH listing, password derivation) post back here.
    let (prompt_tx, prompt_rx) = calloop::channel::channel::<prompt::PromptMsg>();
    handle
        .insert_source(prompt_rx, |ev, _, wm| {
            if let calloop::channel::Event::Msg(msg) = ev {
                wm.prompt_msg(msg);
            }
        })
        .map_err(|e| WmError::Setup(format!("prompt source: {e}")))?;
    wm.prompt.set_sender(prompt_tx);
    let (tx, rx) = calloop::channel::channel::<Incoming>();
    handle
        .insert_source(rx, |ev, _, wm| {
            if let calloop::channel::Event::Msg(incoming) = ev {
                let response = wm.request(incoming.request);
                // When this request ends the session, wait (briefly) until the client has
                // its answer before the process goes away.
                let written = wm.exit.map(|_| {
                    let (tx, rx) = std::sync::mpsc::channel();
                    wm.exit_ack = Some(rx);
                    tx
                });
                let _ = incoming.reply.send(Answer { response, written });
            }
        })
        .map_err(|e| WmError::Setup(format!("IPC source: {e}")))?;
    let display = std::env::var("DISPLAY").unwrap_or_else(|_| ":0".into());
    let socket = crate::paths::socket_path(&display);
    let socket = crate::ipc::server::start(&socket, tx)
        .map_err(|e| WmError::Setup(format!("IPC socket {}: {e}", socket.display())))?;
    tracing::info!(socket = %socket.display(), "oxtile running");

    wm.hook(Hook::Startup, Value::Null);
    let result = loop {
        if let Err(e) = wm.turn() {
            break Err(WmError::X(e));
        }
        if let Some(exit) = wm.exit {
            if exit == Exit::Restart {
                crate::restart::keep(&wm.state.save(std::process::id()));
            }
            break Ok(exit);
        }
        let now = Instant::now();
        let deadline = [
            wm.lua.next_timer(),
            wm.bars.next_feed(),
            wm.prompt.deadline(),
            wm.screens_due,
        ]
        .into_iter()
        .flatten()
        .min();
        let timeout = deadline.map(|t| t.saturating_duration_since(now));
        if let Err(e) = event_loop.dispatch(timeout, &mut wm) {
            break Err(WmError::Setup(format!("event loop: {e}")));
        }
    };
    if let Some(ack) = wm.exit_ack.take() {
        let _ = ack.recv_timeout(std::time::Duration::from_secs(1));
    }
    crate::ipc::server::remove_socket(&socket);
    wm.x.shutdown();
    result
}

/// Start `cmd` with `sh -c`, in its own process group. The child is kept so that SIGCHLD
/// reaps exactly the programs oxtile spawned (workers wait for their own children).
pub fn spawn(cmd: &str) -> Option<std::process::Child> {
    use std::os::unix::process::CommandExt;
    let res = Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .process_group(0)
        .spawn();
    match res {
        Ok(child) => Some(child),
        Err(e) => {
            tracing::warn!("cannot spawn {cmd:?}: {e}");
            None
        }
    }
}

impl Wm {
    /// Reap the programs we spawned that have exited.
    fn reap_children(&mut self) {
        self.children
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
    }

    /// One loop turn: drain X, run timers and queued actions, push the result.
    fn turn(&mut self) -> Result<(), XError> {
        self.stats.turns += 1;
        // Drain what is queued, and what arrived while we handled it (a burst comes in over
        // several reads of the socket), before one layout: bounded, so a flood cannot
        // starve the rest of the turn.
        for _ in 0..16 {
            let events = self.x.poll_events()?;
            if events.is_empty() {
                break;
            }
            self.stats.x_events += events.len() as u64;
            for ev in self.x.decode(events) {
                self.x_event(ev);
            }
        }
        if self.screens_due.is_some_and(|t| t <= Instant::now()) {
            self.screens_due = None;
            self.refresh_screens();
        }
        if self.lua.next_timer().is_some_and(|t| t <= Instant::now()) {
            let view = self.state.view();
            let queued = self.lua.fire_timers(Instant::now(), &view);
            self.actions.extend(queued);
        }
        if self.prompt.deadline().is_some_and(|t| t <= Instant::now()) {
            self.prompt_timers(Instant::now());
        }
        self.run_actions();
        // The X side may need a push of its own: a focus to set again after a client
        // moved it or our SetInputFocus failed, with nothing changed in the core.
        if self.dirty || self.x.wants_push() {
            self.dirty = false;
            self.bars_stale = true;
            self.stats.layouts += 1;
            let snap = self.state.snapshot();
            self.x.push(snap)?;
        }
        self.run_bars();
        self.x.flush()
    }

    /// Bring the bars up to date: news from the state, due widgets and feeds, then copy
    /// what changed to their windows.
    fn run_bars(&mut self) {
        if self.bars.is_empty() {
            return;
        }
        if std::mem::take(&mut self.bars_stale) {
            self.bars.update(&self.state, &self.errors);
        }
        self.bars.tick(chrono::Utc::now());
        let now = Instant::now();
        if self.bars.next_feed().is_some_and(|t| t <= now) {
            let state = &self.state;
            let tx = self.command_tx.clone();
            let queued = self.bars.run_due(
                now,
                &mut self.lua,
                || state.view(),
                |job| {
                    let Some(tx) = tx.clone() else { return };
                    let spawned = std::thread::Builder::new()
                        .name("command-widget".into())
                        .spawn(move || {
                            let _ = tx.send(job.run());
                        });
                    if let Err(e) = spawned {
                        tracing::warn!("cannot start a command widget worker: {e}");
                    }
                },
            );
            self.actions.extend(queued);
        }
        self.wall.arm(self.bars.next_wake());
        if let Err(e) = self.bars.render(&mut self.x) {
            tracing::warn!("drawing the bars: {e}");
        }
    }

    fn grab(&mut self) -> Result<(), XError> {
        self.x.grab_keys(&self.keymap.grabs())?;
        let buttons: Vec<(u16, u8)> = self
            .config
            .buttons
            .iter()
            .map(|b| (b.mods, b.button))
            .collect();
        self.x.grab_buttons(&buttons)?;
        let drags: Vec<_> = self
            .config
            .drags
            .iter()
            .map(|d| (d.mods, d.button, d.kind))
            .collect();
        self.x.grab_drags(&drags)?;
        Ok(())
    }

    /// The screens to use: `fake_screens` from the config, else what X reports.
    fn screen_rects(&self) -> Vec<crate::core::geometry::Rect> {
        self.config
            .fake_screens
            .clone()
            .unwrap_or_else(|| self.x.screens())
    }

    /// Ask for the screens again and re-lay out if they changed.
    fn refresh_screens(&mut self) {
        let screens = self.screen_rects();
        let now: Vec<_> = self.state.screens.iter().map(|s| s.rect).collect();
        if screens != now {
            tracing::info!(?screens, "screens changed");
            self.input(Input::ScreensChanged { screens });
            self.bars.screens_changed(&mut self.state, &self.x);
            self.bars_stale = true;
        }
    }

    fn x_event(&mut self, ev: XEvent) {
        tracing::trace!(?ev, "X event");
        match ev {
            XEvent::Core(input) => self.input(input),
            XEvent::Text(key) => self.prompt_key(key),
            XEvent::SelectionRequest(req) => self.selection_request(req),
            XEvent::SelectionClear { window, selection } => self.selection_clear(window, selection),
            XEvent::Key { keysym, .. } if self.bars.popup_open() => {
                // A popup has the keyboard: Escape closes it, other keys are ignored.
                if keysym == crate::keys::ESCAPE {
                    self.bars.dismiss_popup(&mut self.x);
                }
            }
            XEvent::Button { .. } if self.bars.popup_open() => {
                // A click outside the open popup closes it.
                self.bars.dismiss_popup(&mut self.x);
            }
            XEvent::Key { mods, keysym } => {
                let out = self.keymap.press(mods, keysym);
                if out.mode_changed {
                    if let Err(e) = self.x.grab_keys(&self.keymap.grabs()) {
                        tracing::warn!("regrabbing keys: {e}");
                    }
                }
                if let Some(a) = out.action {
                    self.actions.push_back(a);
                }
            }
            XEvent::Button {
                mods,
                button,
                window,
            } => {
                let action = self
                    .config
                    .buttons
                    .iter()
                    .find(|b| b.mods == mods && b.button == button)
                    .map(|b| b.action.clone());
                if let Some(a) = action {
                    if let Some(w) = window {
                        self.input(Input::Clicked { window: w });
                    }
                    self.actions.push_back(a);
                }
            }
            XEvent::KeymapChanged => {
                if let Err(e) = self.x.reload_keyboard().and_then(|_| self.grab()) {
                    tracing::warn!("keyboard mapping: {e}");
                }
            }
            XEvent::ScreensChanged => {
                // Plugging a monitor in sends a burst: wait for it to end (at most the
                // debounce after the first event), then ask once.
                let wait = Duration::from_millis(self.config.settings.screen_debounce_ms);
                if wait.is_zero() {
                    self.refresh_screens();
                } else {
                    self.screens_due.get_or_insert(Instant::now() + wait);
                }
            }
            XEvent::BarExpose { window } => self.bars.expose(window, &self.x),
            XEvent::BarClick {
                window,
                x,
                y,
                button,
            } => {
                // A click on a bar ends an open prompt, as a click elsewhere ends a popup.
                self.close_prompt();
                let out = self
                    .bars
                    .click(window, x, y, button, &self.state, &mut self.x);
                self.outgoing(out);
            }
        }
    }

    /// Feed the core and carry out its immediate effects.
    fn input(&mut self, input: Input) {
        let destroyed = match &input {
            Input::Destroyed { window } => Some(*window),
            _ => None,
        };
        let effects = self.state.handle(input);
        self.dirty = true;
        if let Some(w) = destroyed {
            self.x.forget(w);
        }
        self.effects(effects);
    }

    fn effects(&mut self, effects: Vec<Effect>) {
        let (hooks, x): (Vec<Effect>, Vec<Effect>) = effects
            .into_iter()
            .partition(|e| matches!(e, Effect::Hook(_) | Effect::Spawn { .. }));
        if let Err(e) = self.x.apply(&x) {
            tracing::warn!("applying effects: {e}");
        }
        for h in hooks {
            if let Effect::Spawn { cmd } = &h {
                spawn(cmd);
            }
            if let Effect::Hook(h) = h {
                let hook = match h {
                    HookEvent::ClientNew(_) => Hook::ClientNew,
                    HookEvent::ClientFocus(_) => Hook::ClientFocus,
                    HookEvent::ClientKilled(_) => Hook::ClientKilled,
                    HookEvent::GroupChange => Hook::GroupChange,
                    HookEvent::ScreenChange => Hook::ScreenChange,
                    HookEvent::LayoutChange => Hook::LayoutChange,
                };
                // Building the argument and the view costs a snapshot: only for listeners.
                if !self.lua.has_hook(hook) {
                    continue;
                }
                let arg = match h {
                    HookEvent::ClientNew(w) | HookEvent::ClientFocus(w) => self.window_arg(w),
                    HookEvent::ClientKilled(w) => json!({ "id": w }),
                    _ => Value::Null,
                };
                self.hook(hook, arg);
            }
        }
    }

    fn window_arg(&self, w: u32) -> Value {
        self.state.window_json(w, &self.state.snapshot())
    }

    /// Carry out what the bars ask for.
    fn outgoing(&mut self, out: Vec<Outgoing>) {
        for o in out {
            match o {
                Outgoing::Action(a) => self.actions.push_back(a),
                Outgoing::Hook(name, args) => match Hook::from_name(&name) {
                    Some(hook) => self.hook(hook, Value::Array(args)),
                    None => tracing::debug!("a widget asked for unknown hook {name}"),
                },
            }
        }
    }

    fn hook(&mut self, hook: Hook, arg: Value) {
        if !self.lua.has_hook(hook) {
            return;
        }
        let view = self.state.view();
        let queued = self.lua.hook(hook, &arg, &view);
        self.actions.extend(queued);
    }

    fn run_actions(&mut self) {
        let mut n = 0;
        while let Some(a) = self.actions.pop_front() {
            n += 1;
            if n > MAX_ACTIONS_PER_TURN {
                tracing::warn!(
                    "more than {MAX_ACTIONS_PER_TURN} actions in one turn; dropping the rest"
                );
                self.actions.clear();
                break;
            }
            self.action(a);
        }
    }

    fn action(&mut self, a: Action) {
        match a {
            Action::Spawn { cmd } => self.children.extend(spawn(&cmd)),
            Action::Reload => self.reload(),
            Action::Restart => self.exit = Some(Exit::Restart),
            Action::Quit => self.exit = Some(Exit::Quit),
            Action::Lua { id } => {
                let view = self.state.view();
                let queued = self.lua.call(id, &view);
                self.actions.extend(queued);
            }
            Action::SetClockZone { widget, zone } => {
                if let Err(e) = self.bars.set_clock_zone(&widget, &zone) {
                    tracing::warn!("clock {widget}: {e}");
                }
            }
            Action::Prompt { kind } => self.open_prompt(Some(kind), Default::default()),
            Action::PasswordPrompt(options) => self.open_prompt(None, options),
            Action::EnterChord { .. } | Action::LeaveChord => {
                tracing::debug!("key chords are entered by keys, not by {a:?}");
            }
            other => self.input(Input::Action(other)),
        }
    }

    /// Reload: a broken config keeps the last good one running.
    fn reload(&mut self) {
        let Some(path) = self.config_path.clone() else {
            tracing::info!("no config file to reload; keeping the built-in default");
            return;
        };
        match LuaRuntime::load_file(&path) {
            Ok(loaded) => {
                self.lua = loaded.runtime;
                self.config = loaded.config;
                self.keymap = KeyMap::new(self.config.keys.clone(), self.config.chords.clone());
                self.state.apply_config(&self.config);
                self.refresh_screens();
                self.errors.clear();
                self.prompt_bars_rebuilt();
                self.bars
                    .build(&self.config.bars, &mut self.state, &mut self.x, &self.waker);
                self.bars_stale = true;
                if let Err(e) = self.grab() {
                    tracing::warn!("grabbing keys after reload: {e}");
                }
                self.dirty = true;
                tracing::info!("config reloaded from {}", path.display());
            }
            Err(errors) => {
                for e in &errors {
                    tracing::error!("config (reload refused, keeping the running one): {e}");
                }
                self.errors = errors;
            }
        }
    }

    /// Answer an IPC request.
    fn request(&mut self, request: Request) -> Response {
        tracing::trace!(?request, "IPC request");
        // Answers reflect everything already queued.
        if let Err(e) = self.turn() {
            return Response::err(format!("X error: {e}"));
        }
        match request {
            Request::Windows => Response::ok(self.state.windows_json(&self.state.snapshot())),
            Request::Groups => Response::ok(self.state.groups_json()),
            Request::Screens => Response::ok(self.state.screens_json()),
            Request::Layout => Response::ok(self.state.layout_json()),
            Request::Focused => Response::ok(
                self.state
                    .focused()
                    .map_or(Value::Null, |w| self.window_arg(w)),
            ),
            Request::Errors => Response::ok(json!(self.errors)),
            Request::Stats => {
                let mut stats = json!(self.stats);
                stats["bar"] = self.bars.stats();
                Response::ok(stats)
            }
            Request::Widgets => Response::ok(self.bars.json()),
            Request::Sync => match self.sync() {
                Ok(()) => Response::ok(Value::Null),
                Err(e) => Response::err(format!("X error: {e}")),
            },
            Request::Action { action } => {
                if let Err(e) = self.validate(&action) {
                    return Response::err(e);
                }
                self.actions.push_back(action);
                self.run_actions();
                match self.turn() {
                    Ok(()) => Response::ok(Value::Null),
                    Err(e) => Response::err(format!("X error: {e}")),
                }
            }
            Request::Eval { code } => {
                let view = self.state.view();
                let (result, queued) = self.lua.eval(&code, &view);
                self.actions.extend(queued);
                self.run_actions();
                let _ = self.turn();
                match result {
                    Ok(text) => Response::ok(Value::String(text)),
                    Err(e) => Response::err(e),
                }
            }
        }
    }

    /// Refuse IPC actions that name something that does not exist, so that scripts hear
    /// about their mistakes instead of a silent no-op.
    fn validate(&self, action: &Action) -> Result<(), String> {
        let group = |name: &str| {
            self.state
                .group_index(name)
                .map(|_| ())
                .ok_or_else(|| format!("no such group: {name}"))
        };
        match action {
            Action::FocusWindow { window } | Action::KillWindow { window } => {
                if self.state.clients.contains_key(window) {
                    Ok(())
                } else {
                    Err(format!("no such window: {window:#x}"))
                }
            }
            Action::ToGroup { group: g } | Action::MoveToGroup { group: g } => group(g),
            Action::SetClockZone { widget, zone } => {
                oxtile_widgets::zone::parse(zone).map(|_| ())?;
                let exists = self.bars.json().as_array().is_some_and(|bars| {
                    bars.iter().any(|b| {
                        b["widgets"].as_array().is_some_and(|ws| {
                            ws.iter()
                                .any(|w| w["name"] == widget.as_str() && w["kind"] == "clock")
                        })
                    })
                });
                if exists {
                    Ok(())
                } else {
                    Err(format!("no clock widget named '{widget}'"))
                }
            }
            Action::ToScreen { screen } | Action::MoveToScreen { screen } => {
                let n = self.state.screens.len();
                if *screen < n {
                    Ok(())
                } else {
                    Err(format!(
                        "no such screen: {screen} (there are {n}, counted from 0)"
                    ))
                }
            }
            Action::ToggleScratchpad { name } => {
                if self.state.scratchpads.iter().any(|s| &s.spec.name == name) {
                    Ok(())
                } else {
                    let names: Vec<&str> = self
                        .state
                        .scratchpads
                        .iter()
                        .map(|s| s.spec.name.as_str())
                        .collect();
                    Err(format!(
                        "no such scratchpad: {name} (configured: {})",
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    ))
                }
            }
            Action::SetLayout { name } => {
                let g = &self.state.groups[self.state.current_group()];
                if g.layouts
                    .iter()
                    .any(|l| l.name() == name.to_ascii_lowercase())
                {
                    Ok(())
                } else {
                    let names: Vec<&str> = g.layouts.iter().map(|l| l.name()).collect();
                    Err(format!(
                        "group {} has no layout '{name}' (it has: {})",
                        g.name,
                        names.join(", ")
                    ))
                }
            }
            _ => Ok(()),
        }
    }

    /// Round trips until X has nothing more for us: every event sent before the request
    /// is handled and our answer to it has reached the server.
    fn sync(&mut self) -> Result<(), XError> {
        for _ in 0..8 {
            self.x.roundtrip()?;
            let events = self.x.poll_events()?;
            if events.is_empty() && !self.dirty && self.actions.is_empty() && !self.x.wants_push() {
                return Ok(());
            }
            self.stats.x_events += events.len() as u64;
            for ev in self.x.decode(events) {
                self.x_event(ev);
            }
            self.turn()?;
        }
        Ok(())
    }
}
