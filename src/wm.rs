//! The event loop: one thread owns the state. Sources are the X connection, the IPC
//! channel and signals (calloop); Lua timers set the poll timeout. Each turn drains every
//! queued X event, feeds the core, runs the actions that result, and pushes one snapshot
//! diff to X — so a burst of 200 new windows costs one layout, not 200.

use std::collections::VecDeque;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use calloop::generic::Generic;
use calloop::signals::{Signal, Signals};
use calloop::{EventLoop, Interest, Mode, PostAction};
use serde_json::{json, Value};
use thiserror::Error;

use crate::action::Action;
use crate::config::Config;
use crate::core::{Effect, HookEvent, Input, State};
use crate::ipc::server::{Answer, Incoming};
use crate::ipc::{Request, Response};
use crate::keys::KeyMap;
use crate::lua::{Hook, Loaded, LuaRuntime};
use crate::x11::{XError, XEvent, X11};

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
    let state = State::new(&loaded.config, &x.screens());
    let keymap = KeyMap::new(loaded.config.keys.clone(), loaded.config.chords.clone());
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
    };
    wm.grab()?;
    let adopted = wm.x.existing_windows()?;
    for ev in adopted {
        wm.x_event(ev);
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
            Signal::SIGCHLD => reap_children(),
            Signal::SIGHUP => wm.actions.push_back(Action::Reload),
            _ => wm.exit = Some(Exit::Quit),
        })
        .map_err(|e| WmError::Setup(format!("signal source: {e}")))?;
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
            break Ok(exit);
        }
        let timeout = wm
            .lua
            .next_timer()
            .map(|t| t.saturating_duration_since(Instant::now()));
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

fn reap_children() {
    use rustix::process::{wait, WaitOptions};
    // Any child (waitpid's -1): spawned programs run in process groups of their own, which
    // rustix's `waitpid(None, …)` (waitpid's 0, our own group only) never reaps.
    while let Ok(Some(_)) = wait(WaitOptions::NOHANG) {}
}

/// Start `cmd` with `sh -c`, in its own process group, not waited for (SIGCHLD reaps it).
pub fn spawn(cmd: &str) {
    use std::os::unix::process::CommandExt;
    let res = Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .process_group(0)
        .spawn();
    if let Err(e) = res {
        tracing::warn!("cannot spawn {cmd:?}: {e}");
    }
}

impl Wm {
    /// One loop turn: drain X, run timers and queued actions, push the result.
    fn turn(&mut self) -> Result<(), XError> {
        self.stats.turns += 1;
        let events = self.x.poll_events()?;
        self.stats.x_events += events.len() as u64;
        if !events.is_empty() {
            for ev in self.x.decode(events) {
                self.x_event(ev);
            }
        }
        if self.lua.next_timer().is_some_and(|t| t <= Instant::now()) {
            let view = self.state.view();
            let queued = self.lua.fire_timers(Instant::now(), &view);
            self.actions.extend(queued);
        }
        self.run_actions();
        // The X side may need a push of its own: a focus to set again after a client
        // moved it or our SetInputFocus failed, with nothing changed in the core.
        if self.dirty || self.x.wants_push() {
            self.dirty = false;
            self.stats.layouts += 1;
            let snap = self.state.snapshot();
            self.x.push(snap)?;
        }
        self.x.flush()
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
        Ok(())
    }

    fn x_event(&mut self, ev: XEvent) {
        tracing::trace!(?ev, "X event");
        match ev {
            XEvent::Core(input) => self.input(input),
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
                let screens = self.x.screens();
                self.input(Input::ScreensChanged { screens });
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
            .partition(|e| matches!(e, Effect::Hook(_)));
        if let Err(e) = self.x.apply(&x) {
            tracing::warn!("applying effects: {e}");
        }
        for h in hooks {
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
            Action::Spawn { cmd } => spawn(&cmd),
            Action::Reload => self.reload(),
            Action::Restart => self.exit = Some(Exit::Restart),
            Action::Quit => self.exit = Some(Exit::Quit),
            Action::Lua { id } => {
                let view = self.state.view();
                let queued = self.lua.call(id, &view);
                self.actions.extend(queued);
            }
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
                self.errors.clear();
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
            Request::Stats => Response::ok(json!(self.stats)),
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
