//! The chaos client: a seeded random walk through what real and broken clients do to a
//! window manager (windows that vanish mid-request, absurd properties, wild ClientMessages,
//! server grabs, dropped connections, garbage on the IPC socket, hostile Lua and configs),
//! with the invariants of a sound window manager checked against X and `oxtile cmd`.
//!
//! [`Stage::start`] starts oxtile with [`CHAOS_CONFIG`] and what its doors need; [`run`] is
//! the entry point; the `chaos` binary and `tests/chaos.rs` call both. Every kind of action
//! is one [`ActionKind`] in [`actions::KINDS`]: a new door is one more entry there (the bar
//! in [`bar`], the prompt in [`prompt`], the containers widget's daemon in [`daemon`]).
//! What must hold after every check interval is in [`invariants`]. A seed fixes the
//! sequence of actions; what oxtile answers may interleave differently from run to run, so
//! a failing seed reproduces often, not always.

pub mod actions;
pub mod bar;
pub mod daemon;
pub mod invariants;
pub mod ipc;
pub mod prompt;
pub mod rng;

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt as _, Window};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

use crate::client::TestClient;
use crate::session::Session;
use crate::wait::{Backoff, Deadline};
pub use actions::{ActionKind, KINDS};
pub use daemon::Daemon;
pub use rng::Rng;

mod atoms {
    #![allow(missing_docs)]
    x11rb::atom_manager! {
        /// Every atom the chaos client sends or sets, interned in one round trip.
        pub Atoms: AtomsCookie {
            UTF8_STRING,
            WM_PROTOCOLS,
            WM_DELETE_WINDOW,
            WM_TAKE_FOCUS,
            WM_STATE,
            WM_CHANGE_STATE,
            WM_WINDOW_ROLE,
            MANAGER,
            _NET_SUPPORTING_WM_CHECK,
            _NET_WM_NAME,
            _NET_CLIENT_LIST,
            _NET_CLIENT_LIST_STACKING,
            _NET_ACTIVE_WINDOW,
            _NET_CLOSE_WINDOW,
            _NET_NUMBER_OF_DESKTOPS,
            _NET_CURRENT_DESKTOP,
            _NET_DESKTOP_GEOMETRY,
            _NET_SHOWING_DESKTOP,
            _NET_WM_DESKTOP,
            _NET_WM_STATE,
            _NET_WM_STATE_FULLSCREEN,
            _NET_WM_STATE_DEMANDS_ATTENTION,
            _NET_WM_STATE_HIDDEN,
            _NET_WM_STATE_ABOVE,
            _NET_WM_STRUT,
            _NET_WM_STRUT_PARTIAL,
            _NET_WM_PID,
            _NET_WM_WINDOW_TYPE,
            _NET_WM_WINDOW_TYPE_NORMAL,
            _NET_WM_WINDOW_TYPE_DIALOG,
            _NET_WM_WINDOW_TYPE_UTILITY,
            _NET_WM_WINDOW_TYPE_SPLASH,
            _NET_WM_WINDOW_TYPE_TOOLBAR,
            _NET_WM_WINDOW_TYPE_MENU,
            _NET_WM_WINDOW_TYPE_NOTIFICATION,
            _NET_WM_WINDOW_TYPE_DOCK,
            _NET_WM_WINDOW_TYPE_DESKTOP,
            _NET_MOVERESIZE_WINDOW,
            _NET_WM_MOVERESIZE,
            _NET_RESTACK_WINDOW,
            _NET_REQUEST_FRAME_EXTENTS,
            _NET_SYSTEM_TRAY_OPCODE,
            _NET_SYSTEM_TRAY_S0,
            _NET_SYSTEM_TRAY_MESSAGE_DATA,
            _XEMBED,
            _XEMBED_INFO,
        }
    }
}
pub use atoms::Atoms;

/// The groups [`CHAOS_CONFIG`] configures; a reload must never lose them.
pub const CHAOS_GROUPS: [&str; 3] = ["1", "2", "3"];

/// The config chaos runs under: the test config's groups and layouts, no borders (so X's
/// geometry is oxtile's), hooks and a timer listening (so every event also runs Lua), key
/// bindings to actions, to a Lua function that fails and to one that never ends, and a
/// small instruction budget so that runaway code is stopped quickly.
///
/// Two bars whose widgets change width: a poll widget showing the Lua global `chaos_text`
/// (it fails while `chaos_fail` is set), a custom drawing of it, a command widget showing
/// the file `$CHAOS_DIR/command.txt`, clocks (the calendar popup), the group box, the
/// prompt, a containers widget reading [`daemon`]'s hostile sockets and a socket nobody
/// listens on, and the system tray. Keys open every prompt and two password prompts (one
/// putting the result on the clipboard for half a second, one typing it). `$CHAOS_DIR` is
/// set by [`Stage::start`].
pub const CHAOS_CONFIG: &str = r##"-- oxtile chaos config
local dir = os.getenv("CHAOS_DIR") or "/nonexistent"
oxtile.groups{ "1", "2", "3" }
oxtile.layouts{ oxtile.layout.monadtall{}, oxtile.layout.columns{}, oxtile.layout.max{}, oxtile.layout.tile{}, oxtile.layout.monadwide{}, oxtile.layout.floating{} }
oxtile.settings{ border_width = 0, margin = 0, focus_follows_mouse = true, lua_instruction_limit = 200000 }
oxtile.key({"mod4"}, "j", oxtile.lazy.focus_next())
oxtile.key({"mod4"}, "k", oxtile.lazy.focus_prev())
oxtile.key({"mod4"}, "Tab", oxtile.lazy.next_layout())
oxtile.key({"mod4"}, "f", oxtile.lazy.toggle_floating())
oxtile.key({"mod4"}, "m", oxtile.lazy.toggle_fullscreen())
oxtile.key({"mod4"}, "2", oxtile.lazy.to_group("2"))
oxtile.key({"mod4", "shift"}, "3", oxtile.lazy.move_to_group("3"))
oxtile.key({"mod4"}, "e", function() error("a key callback that fails") end)
oxtile.key({"mod4"}, "l", function() while true do end end)
oxtile.key({"mod4"}, "r", oxtile.lazy.prompt("run"))
oxtile.key({"mod4"}, "g", oxtile.lazy.prompt("group"))
oxtile.key({"mod4"}, "slash", oxtile.lazy.prompt("window"))
oxtile.key({"mod4"}, "semicolon", oxtile.lazy.prompt("lua"))
oxtile.key({"mod4"}, "p", oxtile.password_prompt{ scheme = "sha512", clipboard_seconds = 0.5, primary = true })
oxtile.key({"mod4"}, "o", oxtile.password_prompt{ length = 8, symbols = false, type = true, prefill = false, confirm_new_site = true })
oxtile.button({"mod4"}, 1, oxtile.lazy.toggle_floating())
local seen = 0
oxtile.hook("client_new", function(c) seen = seen + 1 end)
oxtile.hook("client_focus", function(c) local t = c and c.title or "" end)
oxtile.hook("client_killed", function(c) if seen % 7 == 0 then error({"a table as an error"}) end end)
oxtile.hook("layout_change", function() return string.rep("x", 1000) end)
oxtile.hook("container_change", function(backend, name, old, new) if seen % 5 == 0 then error("a container hook that fails") end end)
oxtile.timer{ timeout = 0.05, ["repeat"] = true, callback = function() local n = #oxtile.clients() end }
chaos_text = "chaos"
oxtile.bar{ position = "top", size = 24, widgets = {
  oxtile.widget.groupbox{},
  oxtile.widget.prompt{ blink = 0 },
  oxtile.widget.windowname{},
  oxtile.widget.poll{ name = "chaos_poll", interval = 0.1, fn = function()
    if chaos_fail ~= nil then error(chaos_fail) end
    return chaos_text
  end },
  oxtile.widget.custom{ name = "chaos_custom", width = 40, interval = 0.25, draw = function(d, w, h)
    d:color(chaos_color or "#5294e2"); d:rectangle(0, 2, w, h - 4); d:fill(); d:text(1, tostring(chaos_text))
  end },
  oxtile.widget.command{ name = "chaos_command", interval = 0.2, cmd = '/bin/cat "$CHAOS_DIR/command.txt"' },
  oxtile.widget.clock{ format = "%H:%M:%S", alt_format = "%Y-%m-%d %Z", timezones = { "UTC", "Asia/Kathmandu" } },
} }
oxtile.bar{ position = "bottom", size = 20, widgets = {
  oxtile.widget.textbox{ text = "<b>chaos</b> & <i>bars" },
  oxtile.widget.currentlayout{},
  oxtile.widget.sep{},
  oxtile.widget.containers{ interval = 0.2, timeout = 0.3, backends = {
    { kind = "podman", name = "hostile", socket = dir .. "/podman.sock" },
    { kind = "lxd", name = "hostile-lxd", socket = dir .. "/lxd.sock" },
    { kind = "docker", name = "down", socket = dir .. "/dead.sock" },
  } },
  oxtile.widget.spacer{},
  oxtile.widget.systray{},
  oxtile.widget.clock{ name = "date", format = "%a %d %b" },
} }
"##;

/// oxtile running [`CHAOS_CONFIG`] with what its doors need: the hostile container daemon
/// and the directory `$CHAOS_DIR` (the daemon's sockets, the command widget's file, and an
/// empty `bin/` that is oxtile's whole `PATH`, so that whatever the run prompt is made to
/// run can only be a shell builtin).
pub struct Stage {
    /// oxtile on its own X server.
    pub session: Session,
    /// The hostile container daemon.
    pub daemon: Daemon,
    // Dropped last: the session and the daemon use it.
    dir: tempfile::TempDir,
}

impl Stage {
    /// Start the daemon, then oxtile. Panics (with oxtile's log) if oxtile does not start
    /// or reports a problem with the chaos config.
    pub fn start() -> Stage {
        let dir = tempfile::Builder::new()
            .prefix("oxtile-chaos-")
            .tempdir_in("/tmp")
            .expect("cannot create the chaos directory");
        let path = dir.path();
        std::fs::create_dir(path.join("bin")).expect("cannot create the empty PATH");
        std::fs::write(path.join("command.txt"), "command")
            .expect("cannot write the command widget's file");
        let daemon = Daemon::start(
            &path.join("podman.sock"),
            &path.join("lxd.sock"),
            &path.join("dead.sock"),
        )
        .unwrap_or_else(|e| panic!("cannot start the hostile daemon: {e}"));
        let session = Session::builder()
            .config(CHAOS_CONFIG)
            .env("CHAOS_DIR", &path.to_string_lossy())
            .env("PATH", &path.join("bin").to_string_lossy())
            .start();
        let errors = session.errors();
        if !errors.is_empty() {
            session.fail(&format!("the chaos config does not load: {errors:?}"));
        }
        Stage {
            session,
            daemon,
            dir,
        }
    }

    /// The file the command widget shows (`$CHAOS_DIR/command.txt`).
    pub fn command_file(&self) -> PathBuf {
        self.dir.path().join("command.txt")
    }
}

/// How a chaos run goes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The seed: the same seed plays the same actions.
    pub seed: u64,
    /// How many actions to take.
    pub steps: u64,
    /// Check the invariants after this many steps (and always at the end).
    pub check_every: u64,
    /// How many client connections act at once (each is replaced when it closes).
    pub connections: usize,
    /// Most windows one connection keeps; above it, creating becomes destroying.
    pub max_windows: usize,
    /// Only these action kinds (by name); empty means all.
    pub only: Vec<String>,
    /// Never these action kinds.
    pub skip: Vec<String>,
    /// How many of the last actions a failure shows.
    pub trace_len: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            steps: 1000,
            check_every: 100,
            connections: 3,
            max_windows: 12,
            only: Vec::new(),
            skip: Vec::new(),
            trace_len: 60,
        }
    }
}

/// What a run that passed did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The seed.
    pub seed: u64,
    /// Steps taken.
    pub steps: u64,
    /// Invariant checks passed.
    pub checks: u64,
    /// How often each action kind ran.
    pub counts: BTreeMap<&'static str, u64>,
    /// Windows created.
    pub windows_created: u64,
    /// Connections closed (by the chaos client, or by the server on oxtile's XKillClient).
    pub connections_closed: u64,
    /// X errors the chaos connections received (expected: they misbehave).
    pub x_errors: u64,
    /// Most windows oxtile managed at one check.
    pub max_managed: usize,
    /// Checks that found a prompt or a popup open (and closed it with Escape).
    pub overlays_closed: u64,
    /// Requests the hostile container daemon answered.
    pub daemon_requests: u64,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "seed {}: {} steps, {} checks passed in {:.1?}; {} windows created, {} connections \
             closed, {} X errors provoked, at most {} windows managed, {} prompts or popups \
             closed at checks, {} daemon requests",
            self.seed,
            self.steps,
            self.checks,
            self.elapsed,
            self.windows_created,
            self.connections_closed,
            self.x_errors,
            self.max_managed,
            self.overlays_closed,
            self.daemon_requests
        )?;
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        write!(f, "  actions: {}", counts.join(", "))
    }
}

/// A run that found a problem.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The seed.
    pub seed: u64,
    /// The step after which the problem was seen.
    pub step: u64,
    /// What is wrong.
    pub message: String,
    /// The last actions taken, oldest first.
    pub trace: Vec<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "chaos seed {} failed after step {}: {}",
            self.seed, self.step, self.message
        )?;
        writeln!(f, "last actions:")?;
        for line in &self.trace {
            writeln!(f, "  {line}")?;
        }
        write!(
            f,
            "reproduce: cargo build -p oxtile && cargo run -p xephyr-tests --bin chaos -- --seed {} --steps {}",
            self.seed, self.step
        )
    }
}

/// One client connection of the chaos client and the windows it made.
pub struct Conn {
    /// The connection.
    pub conn: RustConnection,
    /// Windows it created that it believes exist (some were destroyed behind its back).
    pub windows: Vec<Window>,
    /// Those of its windows made as docks or desktops: shown, never managed.
    pub unmanaged: HashSet<Window>,
    /// The server closed it, or a request failed: replace it before the next step.
    pub dead: bool,
}

impl Conn {
    /// Connect, retrying for a moment: once in a few hundred thousand steps the server
    /// resets a connection during its setup (seen after thousands of abrupt closes).
    fn open(display: &str) -> Result<Conn, String> {
        let deadline = Deadline::after(Duration::from_secs(5));
        let mut backoff = Backoff::default();
        let conn = loop {
            match RustConnection::connect(Some(display)) {
                Ok((conn, _)) => break conn,
                Err(e) if deadline.expired() => {
                    return Err(format!("cannot connect to {display}: {e}"))
                }
                Err(_) => backoff.pause(&deadline),
            }
        };
        Ok(Conn {
            conn,
            windows: Vec::new(),
            unmanaged: HashSet::new(),
            dead: false,
        })
    }
}

/// Everything a chaos run works with; the actions in [`actions`] act on it.
pub struct World<'s> {
    /// The session under test and what its doors need.
    pub stage: &'s Stage,
    /// The session under test.
    pub session: &'s Session,
    /// The random stream of actions (fixed by the seed).
    pub rng: Rng,
    /// The random stream of reactions to events, apart so that the actions do not depend on
    /// what oxtile sent when.
    pub react: Rng,
    /// Interned atoms.
    pub atoms: Atoms,
    /// The root window.
    pub root: Window,
    /// The acting connections.
    pub conns: Vec<Conn>,
    /// A connection that only observes (invariants) and types (XTEST); it never misbehaves,
    /// so it is never killed.
    pub observer: TestClient,
    /// The IPC door.
    pub ipc: ipc::Ipc,
    /// While set, every X action uses this connection (it holds the server grab: any other
    /// connection waiting for a reply would deadlock).
    pub forced_conn: Option<usize>,
    /// Windows of connections that were closed: ids the server may hand out again, and
    /// good stale ids to send requests about.
    pub stale: VecDeque<Window>,
    /// What the bar door set, and every bar window seen.
    pub bar: bar::Door,
    /// The prompt door's keys.
    pub prompt: prompt::Door,
    options: Options,
    report: Report,
    trace: VecDeque<String>,
    step: u64,
}

impl<'s> World<'s> {
    fn new(stage: &'s Stage, options: &Options) -> Result<World<'s>, String> {
        let session = &stage.session;
        let observer = TestClient::connect(session.display());
        let root = observer.root();
        let atoms = Atoms::new(observer.conn())
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("interning atoms: {e}"))?;
        let conns = (0..options.connections.max(1))
            .map(|_| Conn::open(session.display()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(World {
            stage,
            session,
            rng: Rng::new(options.seed),
            react: Rng::new(options.seed ^ 0x005e_ed0f_c4a0),
            atoms,
            root,
            conns,
            observer,
            ipc: ipc::Ipc::new(session.socket_path()),
            forced_conn: None,
            stale: VecDeque::new(),
            bar: bar::Door::new(),
            prompt: prompt::Door::default(),
            options: options.clone(),
            report: Report {
                seed: options.seed,
                ..Report::default()
            },
            trace: VecDeque::new(),
            step: 0,
        })
    }

    /// The run's options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Index of the connection to act with: the grabbing one, else a random live one.
    pub fn pick_conn(&mut self) -> usize {
        if let Some(c) = self.forced_conn {
            return c;
        }
        self.rng.index(self.conns.len())
    }

    /// One of connection `c`'s windows, or now and then an id that is stale, the root, or
    /// nothing at all: broken clients name those too.
    pub fn pick_window(&mut self, c: usize) -> Window {
        match self.rng.below(20) {
            0 => self.stale.front().copied().unwrap_or(0xdead_beef),
            1 => *self.rng.pick(&[0, 0xdead_beef, u32::MAX]).unwrap_or(&0),
            _ => match self.rng.pick(&self.conns[c].windows) {
                Some(&w) => w,
                // A connection without windows names another's (a pager, a broken client).
                None => self
                    .conns
                    .iter()
                    .find_map(|conn| conn.windows.first().copied())
                    .unwrap_or(0xdead_beef),
            },
        }
    }

    /// One of any connection's windows (for requests about other clients' windows).
    pub fn pick_any_window(&mut self) -> Window {
        let c = self.rng.index(self.conns.len());
        self.pick_window(c)
    }

    /// The owner of `_NET_SYSTEM_TRAY_S0` as connection `c` sees it (0: none, or the
    /// question failed).
    pub fn tray_owner(&self, c: usize) -> Window {
        self.conns[c]
            .conn
            .get_selection_owner(self.atoms._NET_SYSTEM_TRAY_S0)
            .ok()
            .and_then(|cookie| cookie.reply().ok())
            .map_or(0, |r| r.owner)
    }

    /// Note that connection `c` created `win`.
    pub fn created(&mut self, c: usize, win: Window, unmanaged: bool) {
        self.conns[c].windows.push(win);
        if unmanaged {
            self.conns[c].unmanaged.insert(win);
        }
        self.report.windows_created += 1;
    }

    /// Note that connection `c` destroyed `win`.
    pub fn destroyed(&mut self, c: usize, win: Window) {
        self.conns[c].windows.retain(|&w| w != win);
        self.conns[c].unmanaged.remove(&win);
        self.remember_stale(win);
    }

    fn remember_stale(&mut self, win: Window) {
        self.stale.push_back(win);
        if self.stale.len() > 64 {
            self.stale.pop_front();
        }
    }

    /// Record the outcome of sending a request on connection `c`: a connection error means
    /// the server closed it (oxtile may have killed the client).
    pub fn sent<T>(&mut self, c: usize, r: Result<T, x11rb::errors::ConnectionError>) -> bool {
        match r {
            Ok(_) => true,
            Err(_) => {
                self.conns[c].dead = true;
                false
            }
        }
    }

    /// Flush connection `c`, marking it dead if that fails.
    pub fn flush(&mut self, c: usize) {
        let r = self.conns[c].conn.flush().map(drop);
        self.sent(c, r);
    }

    /// Close connection `c` now (its windows go with it) and open a fresh one in its place.
    pub fn close_conn(&mut self, c: usize) -> Result<(), String> {
        // Closed before the new one connects: the old one may hold the server grab, and
        // the server would not answer the new one's setup until the grab ends.
        let old = self.conns.remove(c);
        drop(old.conn);
        for w in old.windows {
            self.remember_stale(w);
        }
        self.report.connections_closed += 1;
        self.conns.insert(c, Conn::open(self.session.display())?);
        Ok(())
    }

    /// Read what every connection received and react as clients do: answer (or ignore)
    /// WM_DELETE_WINDOW and WM_TAKE_FOCUS, and now and then destroy, withdraw or resize a
    /// window just as oxtile configures or maps it.
    fn drain_events(&mut self) {
        for c in 0..self.conns.len() {
            loop {
                let event = match self.conns[c].conn.poll_for_event() {
                    Ok(Some(e)) => e,
                    Ok(None) => break,
                    Err(_) => {
                        self.conns[c].dead = true;
                        break;
                    }
                };
                self.react_to(c, event);
            }
            if !self.conns[c].dead {
                self.flush(c);
            }
        }
        // The observer reads nothing it did not ask for, but errors must not pile up.
        while let Ok(Some(_)) = self.observer.conn().poll_for_event() {}
    }

    fn react_to(&mut self, c: usize, event: Event) {
        match event {
            Event::Error(_) => self.report.x_errors += 1,
            Event::ClientMessage(m) => self.protocol_message(c, &m),
            Event::ConfigureNotify(e) if self.conns[c].windows.contains(&e.window) => {
                self.fight(c, e.window);
            }
            Event::MapNotify(e) if self.conns[c].windows.contains(&e.window) => {
                self.fight(c, e.window);
            }
            _ => {}
        }
    }

    fn protocol_message(&mut self, c: usize, m: &ClientMessageEvent) {
        if m.type_ != self.atoms.WM_PROTOCOLS || m.format != 32 {
            return;
        }
        let [protocol, time, ..] = m.data.as_data32();
        let conn = &self.conns[c].conn;
        if protocol == self.atoms.WM_DELETE_WINDOW {
            match self.react.below(10) {
                0..=6 => {
                    let r = conn.destroy_window(m.window).map(drop);
                    if self.sent(c, r) {
                        self.destroyed(c, m.window);
                    }
                }
                7 => {
                    let r = conn.unmap_window(m.window).map(drop);
                    self.sent(c, r);
                }
                _ => {} // A hung client: it never answers.
            }
        } else if protocol == self.atoms.WM_TAKE_FOCUS && self.react.chance(50) {
            let r = conn
                .set_input_focus(x11rb::protocol::xproto::InputFocus::PARENT, m.window, time)
                .map(drop);
            self.sent(c, r);
        }
    }

    /// A client that does not accept what the window manager decided.
    fn fight(&mut self, c: usize, win: Window) {
        let conn = &self.conns[c].conn;
        match self.react.below(100) {
            0..=1 => {
                let r = conn.destroy_window(win).map(drop);
                if self.sent(c, r) {
                    self.destroyed(c, win);
                }
            }
            2 => {
                let r = conn.unmap_window(win).map(drop);
                self.sent(c, r);
            }
            3..=4 => {
                let aux = x11rb::protocol::xproto::ConfigureWindowAux::new()
                    .width(u32::from(self.react.size()))
                    .height(u32::from(self.react.size()));
                let r = conn.configure_window(win, &aux).map(drop);
                self.sent(c, r);
            }
            _ => {}
        }
    }

    /// Replace connections that died (the server closed them: oxtile's XKillClient).
    fn replace_dead(&mut self) -> Result<(), String> {
        for c in 0..self.conns.len() {
            if self.conns[c].dead {
                self.close_conn(c)?;
            }
        }
        Ok(())
    }

    /// Wait until the server has processed every request of every acting connection.
    pub fn settle(&mut self) -> Result<(), String> {
        for _ in 0..3 {
            for c in 0..self.conns.len() {
                let ok = self.conns[c]
                    .conn
                    .get_input_focus()
                    .map_err(x11rb::errors::ReplyError::from)
                    .and_then(|cookie| cookie.reply())
                    .is_ok();
                if !ok {
                    self.conns[c].dead = true;
                }
            }
            self.drain_events();
            self.replace_dead()?;
        }
        Ok(())
    }

    fn fail(&self, message: impl Into<String>) -> Failure {
        Failure {
            seed: self.options.seed,
            step: self.step,
            message: message.into(),
            trace: self.trace.iter().cloned().collect(),
        }
    }

    fn note(&mut self, line: String) {
        self.trace.push_back(line);
        if self.trace.len() > self.options.trace_len {
            self.trace.pop_front();
        }
    }
}

/// The action kinds `options` enables.
fn enabled_kinds(options: &Options) -> Result<Vec<&'static ActionKind>, String> {
    for name in options.only.iter().chain(&options.skip) {
        if !KINDS.iter().any(|k| k.name == name) {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            return Err(format!(
                "no action kind '{name}' (there are: {})",
                names.join(", ")
            ));
        }
    }
    let kinds: Vec<&ActionKind> = KINDS
        .iter()
        .filter(|k| options.only.is_empty() || options.only.iter().any(|o| o == k.name))
        .filter(|k| !options.skip.iter().any(|s| s == k.name))
        .filter(|k| k.weight > 0)
        .collect();
    if kinds.is_empty() {
        return Err("every action kind is excluded".into());
    }
    Ok(kinds)
}

/// Run chaos against `stage` (see [`Stage::start`]). Returns what was done, or the first
/// broken invariant with the actions that led to it.
pub fn run(stage: &Stage, options: &Options) -> Result<Report, Failure> {
    let started = Instant::now();
    let early = |message: String| Failure {
        seed: options.seed,
        step: 0,
        message,
        trace: Vec::new(),
    };
    let kinds = enabled_kinds(options).map_err(early)?;
    let total: u64 = kinds.iter().map(|k| u64::from(k.weight)).sum();
    let mut world = World::new(stage, options).map_err(early)?;
    let check_every = options.check_every.max(1);

    for step in 1..=options.steps {
        world.step = step;
        let mut roll = world.rng.below(total);
        let kind = kinds
            .iter()
            .find(|k| {
                let w = u64::from(k.weight);
                if roll < w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .copied()
            .unwrap_or(kinds[0]);
        *world.report.counts.entry(kind.name).or_default() += 1;
        let outcome = (kind.run)(&mut world);
        world.forced_conn = None;
        match outcome {
            Ok(what) => world.note(format!("{step}: {} {what}", kind.name)),
            Err(e) => {
                world.note(format!("{step}: {} FAILED", kind.name));
                return Err(world.fail(e));
            }
        }
        world.drain_events();
        world.replace_dead().map_err(|e| world.fail(e))?;
        if step % check_every == 0 || step == options.steps {
            let managed = invariants::check(&mut world).map_err(|e| world.fail(e))?;
            world.report.checks += 1;
            world.report.max_managed = world.report.max_managed.max(managed);
        }
    }
    world.report.steps = options.steps;
    world.report.daemon_requests = stage.daemon.served();
    world.report.elapsed = started.elapsed();
    Ok(world.report)
}
