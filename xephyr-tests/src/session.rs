//! A test session: a private X server, the real oxtile binary managing it with a test config,
//! and the programs a test runs, all in temporary directories and all stopped on drop.
//! Tests observe the window manager through `oxtile cmd` (as qtile's tests use its IPC).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use tempfile::TempDir;

use crate::client::TestClient;
use crate::geometry::Rect;
use crate::server::XServer;
use crate::wait::{run_with_deadline, stop_child, wait_child, Backoff, Deadline};

/// How long oxtile may take to answer its first `cmd sync`.
pub const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long [`Session::wait_for`] waits for its condition.
pub const WAIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one `oxtile cmd` or helper program may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// The oxtile binary under test: `$OXTILE_BIN`, else `oxtile` in the cargo target directory
/// this test binary was built into (`target/debug/deps/<test>` → `target/debug/oxtile`).
pub fn oxtile_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("OXTILE_BIN") {
        return bin.into();
    }
    let exe = std::env::current_exe().expect("cannot find the test executable's path");
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir.join("oxtile")
}

/// Run the oxtile binary once, outside any session, with a private empty XDG environment
/// (so no user config is read): for `oxtile check`, or `oxtile start` on a display where
/// another window manager runs. `display` `None` removes `$DISPLAY`. Killed after
/// [`COMMAND_TIMEOUT`].
pub fn run_oxtile(display: Option<&str>, args: &[&str]) -> Output {
    let dir = tempfile::Builder::new()
        .prefix("oxtile-run-")
        .tempdir_in("/tmp")
        .expect("cannot create a temporary directory");
    let runtime = dir.path().join("runtime");
    fs::create_dir(&runtime).expect("cannot create the runtime directory");
    fs::set_permissions(&runtime, fs::Permissions::from_mode(0o700))
        .expect("cannot restrict the runtime directory");
    let mut cmd = Command::new(oxtile_bin());
    cmd.args(args)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("HOME", dir.path())
        .env_remove("XAUTHORITY")
        .current_dir(dir.path());
    match display {
        Some(d) => cmd.env("DISPLAY", d),
        None => cmd.env_remove("DISPLAY"),
    };
    run_with_deadline(cmd, COMMAND_TIMEOUT)
        .unwrap_or_else(|e| panic!("`oxtile {}`: {e}", args.join(" ")))
}

/// One window as `oxtile cmd windows --json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WindowInfo {
    /// X window id of the client window.
    pub id: u32,
    /// Title.
    pub title: String,
    /// WM_CLASS class.
    pub class: String,
    /// WM_CLASS instance.
    pub instance: String,
    /// Name of the group it belongs to.
    pub group: String,
    /// Floating (not tiled).
    pub floating: bool,
    /// Fullscreen.
    pub fullscreen: bool,
    /// Urgent.
    pub urgent: bool,
    /// Has the focus.
    pub focused: bool,
    /// Shown on a screen.
    pub visible: bool,
    /// Left edge of the window itself (border excluded).
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl WindowInfo {
    /// The geometry oxtile reports.
    pub fn rect(&self) -> Rect {
        Rect::new(self.x, self.y, self.width, self.height)
    }
}

/// One group as `oxtile cmd groups --json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GroupInfo {
    /// Name.
    pub name: String,
    /// Position in the configured list (the EWMH desktop number).
    pub index: usize,
    /// The screen showing it, if any.
    pub screen: Option<usize>,
    /// Current layout name.
    pub layout: String,
    /// Its windows, in the group's order.
    pub windows: Vec<u32>,
    /// The focused group.
    pub focused: bool,
}

/// One screen as `oxtile cmd screens --json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ScreenInfo {
    /// Index.
    pub index: usize,
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Name of the group shown.
    pub group: String,
}

/// `oxtile cmd layout --json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LayoutInfo {
    /// The current group.
    pub group: String,
    /// Its current layout.
    pub layout: String,
}

/// An `oxtile cmd` that did not succeed.
#[derive(Debug)]
pub struct CmdError {
    /// The arguments after `oxtile cmd`.
    pub args: Vec<String>,
    /// Exit code; `None` when killed (timed out) or when it could not run at all.
    pub code: Option<i32>,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr, or why it could not run.
    pub stderr: String,
}

impl fmt::Display for CmdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`oxtile cmd {}` failed (exit {:?}): {}{}",
            self.args.join(" "),
            self.code,
            self.stderr.trim(),
            self.stdout.trim()
        )
    }
}

impl std::error::Error for CmdError {}

/// How to start a [`Session`]; see [`Session::builder`].
#[derive(Debug, Default)]
pub struct SessionBuilder {
    config: Option<String>,
    server: Option<XServer>,
    binary: Option<PathBuf>,
    env: Vec<(String, String)>,
}

impl SessionBuilder {
    /// The Lua config to run with (default: [`crate::DEFAULT_CONFIG`]).
    pub fn config(mut self, lua: &str) -> Self {
        self.config = Some(lua.into());
        self
    }

    /// Manage an already running server (default: a new one), e.g. one where windows were
    /// mapped before the window manager starts.
    pub fn server(mut self, server: XServer) -> Self {
        self.server = Some(server);
        self
    }

    /// Run this binary instead of [`oxtile_bin`] (the harness's self-test uses a stand-in).
    pub fn binary(mut self, path: impl Into<PathBuf>) -> Self {
        self.binary = Some(path.into());
        self
    }

    /// Set an environment variable for oxtile (after the session's own: `RUST_LOG`,
    /// `PATH`, …).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Start oxtile and wait until it answers `oxtile cmd sync`; panics, showing its log, if
    /// it exits first or does not answer within [`START_TIMEOUT`].
    pub fn start(self) -> Session {
        let binary = self.binary.unwrap_or_else(oxtile_bin);
        assert!(
            binary.exists(),
            "{} does not exist: build oxtile first (cargo build -p oxtile) or set OXTILE_BIN",
            binary.display()
        );
        let server = self.server.unwrap_or_else(XServer::start);
        let dir = tempfile::Builder::new()
            .prefix("oxtile-test-")
            .tempdir_in("/tmp")
            .expect("cannot create a temporary directory");
        let root = dir.path();
        for sub in ["runtime", "config", "home", "state"] {
            fs::create_dir(root.join(sub)).expect("cannot create session directories");
        }
        // XDG_RUNTIME_DIR must be private to the user.
        fs::set_permissions(root.join("runtime"), fs::Permissions::from_mode(0o700))
            .expect("cannot restrict the runtime directory");
        let config_path = root.join("config.lua");
        let log_path = root.join("oxtile.log");
        fs::write(
            &config_path,
            self.config.as_deref().unwrap_or(crate::DEFAULT_CONFIG),
        )
        .expect("cannot write the test config");

        let mut session = Session {
            programs: RefCell::default(),
            wm: None,
            display: server.display().to_string(),
            server,
            binary,
            config_path,
            log_path,
            log_shown: Cell::new(false),
            dir,
        };
        let log = session.create_log_file("oxtile.log");
        let mut cmd = session.command(&session.binary);
        cmd.arg("start")
            .arg("-c")
            .arg(&session.config_path)
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "info,oxtile=debug".into()),
            )
            .env("RUST_BACKTRACE", "1")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("cannot share the log file"))
            .stderr(log);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", session.binary.display()));
        session.wm = Some(RefCell::new(child));
        session.wait_until_ready();
        session
    }
}

/// A running oxtile on a private X server. Everything is stopped when it is dropped; if the
/// test is failing then, the oxtile log is printed.
pub struct Session {
    programs: RefCell<Vec<Child>>,
    wm: Option<RefCell<Child>>,
    // Fields drop in order: the server after the window manager, the files last.
    server: XServer,
    display: String,
    binary: PathBuf,
    config_path: PathBuf,
    log_path: PathBuf,
    log_shown: Cell<bool>,
    dir: TempDir,
}

impl Session {
    /// A builder, for a custom config, an existing server or another binary.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// Start oxtile with this Lua config on a new server.
    pub fn start(config_lua: &str) -> Session {
        Self::builder().config(config_lua).start()
    }

    /// Start oxtile with [`crate::DEFAULT_CONFIG`] on a new server.
    pub fn start_default() -> Session {
        Self::builder().start()
    }

    fn wait_until_ready(&self) {
        let deadline = Deadline::after(START_TIMEOUT);
        let mut backoff = Backoff::default();
        loop {
            if let Some(status) = self.wm_status() {
                self.fail(&format!(
                    "oxtile exited ({status}) before answering `oxtile cmd sync`"
                ));
            }
            let err = match self.cmd(&["sync"]) {
                // An answer only counts while our oxtile still runs: it could come from a
                // process that is not the window manager of this display.
                Ok(_) => match self.wm_status() {
                    None => return,
                    Some(status) => self.fail(&format!(
                        "`oxtile cmd sync` succeeded but oxtile exited ({status})"
                    )),
                },
                Err(e) => e,
            };
            if deadline.expired() {
                self.fail(&format!(
                    "oxtile did not answer `oxtile cmd sync` within {START_TIMEOUT:?}; last: {err}"
                ));
            }
            backoff.pause(&deadline);
        }
    }

    // ----- where things are ------------------------------------------------------------

    /// The display name, e.g. `":3"`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The X server.
    pub fn server(&self) -> &XServer {
        &self.server
    }

    /// The config file oxtile was started with (rewrite it, then `cmd reload`).
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// Replace the config file's content.
    pub fn write_config(&self, lua: &str) {
        fs::write(&self.config_path, lua).expect("cannot write the test config");
    }

    /// The session's private `$XDG_RUNTIME_DIR`.
    pub fn runtime_dir(&self) -> PathBuf {
        self.dir.path().join("runtime")
    }

    /// Where oxtile's IPC socket must be: `$XDG_RUNTIME_DIR/oxtile/<display>.sock`.
    pub fn socket_path(&self) -> PathBuf {
        self.runtime_dir()
            .join("oxtile")
            .join(format!("{}.sock", self.display))
    }

    /// The session's private `$XDG_STATE_HOME` (oxtile keeps prompt histories under
    /// `oxtile/` there).
    pub fn state_dir(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// A scratch directory that lives as long as the session (for extra config files).
    pub fn scratch_dir(&self) -> &Path {
        self.dir.path()
    }

    /// oxtile's log so far (its stdout and stderr).
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// A new X client connection to this session's server.
    pub fn client(&self) -> TestClient {
        TestClient::connect(&self.display)
    }

    // ----- the window manager process --------------------------------------------------

    /// Process id of oxtile.
    pub fn wm_pid(&self) -> u32 {
        self.wm().borrow().id()
    }

    /// oxtile's exit status, `None` while it runs.
    pub fn wm_status(&self) -> Option<ExitStatus> {
        self.wm().borrow_mut().try_wait().ok().flatten()
    }

    /// Wait for oxtile to exit, up to `timeout`.
    pub fn wait_for_exit(&self, timeout: Duration) -> Option<ExitStatus> {
        wait_child(&mut self.wm().borrow_mut(), Deadline::after(timeout))
    }

    fn wm(&self) -> &RefCell<Child> {
        self.wm
            .as_ref()
            .expect("oxtile is started in SessionBuilder::start")
    }

    // ----- talking to oxtile -----------------------------------------------------------

    /// Run `oxtile cmd <args>`; its stdout on success (exit 0), else the failure.
    pub fn cmd(&self, args: &[&str]) -> Result<String, CmdError> {
        let mut cmd = self.command(&self.binary);
        cmd.arg("cmd").args(args);
        let error = |code, stdout: &[u8], stderr: String| CmdError {
            args: args.iter().map(|a| a.to_string()).collect(),
            code,
            stdout: String::from_utf8_lossy(stdout).into_owned(),
            stderr,
        };
        match run_with_deadline(cmd, COMMAND_TIMEOUT) {
            Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).into()),
            Ok(out) => Err(error(
                out.status.code(),
                &out.stdout,
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )),
            Err(e) => Err(error(None, b"", e.to_string())),
        }
    }

    /// Run `oxtile cmd <args> --json` and parse the answer; fails the test on any error.
    pub fn cmd_json(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let out = self
            .cmd(&with_json)
            .unwrap_or_else(|e| self.fail(&e.to_string()));
        serde_json::from_str(&out).unwrap_or_else(|e| {
            self.fail(&format!(
                "`oxtile cmd {}` printed invalid JSON ({e}): {out}",
                with_json.join(" ")
            ))
        })
    }

    fn query<T: DeserializeOwned>(&self, what: &str) -> T {
        let value = self.cmd_json(&[what]);
        serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            self.fail(&format!(
                "`oxtile cmd {what} --json` does not match the contract ({e}): {value}"
            ))
        })
    }

    /// `oxtile cmd sync`: returns once oxtile handled every event it had received and pushed
    /// its changes to X. Fails the test if oxtile does not answer.
    ///
    /// Like i3's I3_SYNC, the harness takes "pushed" to mean "processed by the server" (oxtile
    /// ends a sync with an X round trip), so that another client's queries see the new state.
    /// Most tests use [`wait_for`](Self::wait_for) and tolerate less; the 50-window burst
    /// test holds oxtile to the full promise.
    pub fn sync(&self) {
        if let Err(e) = self.cmd(&["sync"]) {
            self.fail(&e.to_string());
        }
    }

    /// The managed windows.
    pub fn windows(&self) -> Vec<WindowInfo> {
        self.query("windows")
    }

    /// One managed window, `None` if oxtile does not manage it.
    pub fn window(&self, id: u32) -> Option<WindowInfo> {
        self.windows().into_iter().find(|w| w.id == id)
    }

    /// The groups.
    pub fn groups(&self) -> Vec<GroupInfo> {
        self.query("groups")
    }

    /// The focused group.
    pub fn current_group(&self) -> GroupInfo {
        self.groups()
            .into_iter()
            .find(|g| g.focused)
            .unwrap_or_else(|| self.fail("`groups --json` has no focused group"))
    }

    /// The screens.
    pub fn screens(&self) -> Vec<ScreenInfo> {
        self.query("screens")
    }

    /// The current group and its layout.
    pub fn layout(&self) -> LayoutInfo {
        self.query("layout")
    }

    /// The focused window's id.
    pub fn focused(&self) -> Option<u32> {
        self.query::<Option<WindowInfo>>("focused").map(|w| w.id)
    }

    /// Config errors oxtile reports (`FILE:LINE: message`).
    pub fn errors(&self) -> Vec<String> {
        self.query("errors")
    }

    /// Repeat `sync` and `cond` until `cond` holds; fail the test naming `what`, with the
    /// oxtile log, after [`WAIT_TIMEOUT`] or as soon as oxtile exits.
    pub fn wait_for(&self, mut cond: impl FnMut(&Session) -> bool, what: &str) {
        self.wait_for_report(|s| if cond(s) { Ok(()) } else { Err(String::new()) }, what)
    }

    /// Like [`wait_for`](Self::wait_for), for a condition that produces a value.
    pub fn wait_for_value<T>(&self, mut cond: impl FnMut(&Session) -> Option<T>, what: &str) -> T {
        self.wait_for_report(|s| cond(s).ok_or_else(String::new), what)
    }

    /// Like [`wait_for`](Self::wait_for); the condition explains what is still wrong
    /// (`Err`), and its last explanation is part of the failure message.
    pub fn wait_for_report<T>(
        &self,
        mut cond: impl FnMut(&Session) -> Result<T, String>,
        what: &str,
    ) -> T {
        let deadline = Deadline::after(WAIT_TIMEOUT);
        let mut backoff = Backoff::default();
        loop {
            if let Some(status) = self.wm_status() {
                self.fail(&format!(
                    "oxtile exited ({status}) while waiting for: {what}"
                ));
            }
            let last = match self.cmd(&["sync"]) {
                Ok(_) => match cond(self) {
                    Ok(value) => return value,
                    Err(report) => report,
                },
                Err(e) => format!("sync failed: {e}"),
            };
            if deadline.expired() {
                self.fail(&format!(
                    "timed out after {WAIT_TIMEOUT:?} waiting for: {what}\n{last}"
                ));
            }
            backoff.pause(&deadline);
        }
    }

    /// Wait until each window in `wins` has the rectangle at the same place in `expected`,
    /// both as oxtile reports it and as X says (for the windows oxtile reports visible,
    /// which must also be viewable). The failure shows a table of what differs.
    pub fn wait_for_geometry(
        &self,
        client: &TestClient,
        wins: &[u32],
        expected: &[Rect],
        what: &str,
    ) {
        assert_eq!(
            wins.len(),
            expected.len(),
            "one expected rectangle per window"
        );
        self.wait_for_report(
            |s| {
                let reported = s.windows();
                let mut table = String::new();
                for (&win, want) in wins.iter().zip(expected) {
                    let info = reported.iter().find(|w| w.id == win);
                    let ipc = info.map(WindowInfo::rect);
                    let visible = info.is_some_and(|w| w.visible);
                    let x = client.try_geometry(win);
                    let viewable = client.is_mapped(win);
                    if ipc != Some(*want) || (visible && !(viewable && x == Some(*want))) {
                        table += &format!(
                            "  window {win:#x}: want {want}, oxtile says {}, X says {} ({})\n",
                            ipc.map_or("unmanaged".into(), |r| r.to_string()),
                            x.map_or("gone".into(), |r| r.to_string()),
                            if viewable { "viewable" } else { "not viewable" },
                        );
                    }
                }
                if table.is_empty() {
                    Ok(())
                } else {
                    Err(table)
                }
            },
            what,
        )
    }

    /// Wait until oxtile manages exactly these windows (in any order).
    pub fn wait_for_managed(&self, wins: &[u32], what: &str) {
        let mut want = wins.to_vec();
        want.sort_unstable();
        self.wait_for_report(
            |s| {
                let mut ids: Vec<u32> = s.windows().iter().map(|w| w.id).collect();
                ids.sort_unstable();
                if ids == want {
                    Ok(())
                } else {
                    Err(format!("oxtile manages {ids:#x?}, want {want:#x?}"))
                }
            },
            what,
        )
    }

    /// Fail the test with `message` followed by oxtile's log.
    pub fn fail(&self, message: &str) -> ! {
        self.log_shown.set(true);
        panic!("{message}\n{}", self.log_report())
    }

    /// oxtile's log, and the programs' output if there is any, framed for a failure message.
    fn log_report(&self) -> String {
        let mut report = format!(
            "----- oxtile log ({}) -----\n{}----- end of oxtile log -----",
            self.log_path.display(),
            self.log()
        );
        let programs = fs::read_to_string(self.dir.path().join("programs.log")).unwrap_or_default();
        if !programs.is_empty() {
            report += &format!("\n----- programs' output -----\n{programs}----- end -----");
        }
        report
    }

    // ----- other programs --------------------------------------------------------------

    /// A command for `program` with this session's environment: DISPLAY, and private
    /// XDG_RUNTIME_DIR, XDG_CONFIG_HOME, XDG_STATE_HOME and HOME.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let root = self.dir.path();
        let mut cmd = Command::new(program);
        cmd.env("DISPLAY", &self.display)
            .env("XDG_RUNTIME_DIR", root.join("runtime"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_STATE_HOME", root.join("state"))
            .env("HOME", root.join("home"))
            .env_remove("XAUTHORITY")
            .current_dir(root);
        cmd
    }

    /// Start a program on the session's display (e.g. `xterm`); it is killed when the
    /// session ends. Its output goes to `programs.log` in the session directory.
    pub fn spawn_program(&self, program: &str, args: &[&str]) -> u32 {
        let log = self.create_log_file("programs.log");
        let child = self
            .command(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("cannot share the programs log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| self.fail(&format!("cannot run {program}: {e}")));
        let pid = child.id();
        self.programs.borrow_mut().push(child);
        pid
    }

    /// Run a program on the session's display to completion; its stdout. Fails the test if
    /// it exits non-zero or runs longer than [`COMMAND_TIMEOUT`].
    pub fn run_program(&self, program: &str, args: &[&str]) -> String {
        let out = self.program_output(program, args);
        if !out.status.success() {
            self.fail(&format!(
                "`{program} {}` failed ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run a program on the session's display; its output, whatever its exit status.
    pub fn program_output(&self, program: &str, args: &[&str]) -> Output {
        let mut cmd = self.command(program);
        cmd.args(args);
        run_with_deadline(cmd, COMMAND_TIMEOUT)
            .unwrap_or_else(|e| self.fail(&format!("`{program} {}`: {e}", args.join(" "))))
    }

    /// Run the oxtile binary with other arguments in this session's environment (e.g.
    /// `check FILE`, or a second `start`); its output, whatever its exit status.
    pub fn oxtile_output(&self, args: &[&str]) -> Output {
        let mut cmd = self.command(&self.binary);
        cmd.args(args);
        run_with_deadline(cmd, COMMAND_TIMEOUT)
            .unwrap_or_else(|e| self.fail(&format!("`oxtile {}`: {e}", args.join(" "))))
    }

    /// Whether a program started with [`spawn_program`](Self::spawn_program) still runs.
    pub fn program_running(&self, pid: u32) -> bool {
        self.programs
            .borrow_mut()
            .iter_mut()
            .any(|c| c.id() == pid && matches!(c.try_wait(), Ok(None)))
    }

    fn create_log_file(&self, name: &str) -> File {
        File::options()
            .create(true)
            .append(true)
            .open(self.dir.path().join(name))
            .unwrap_or_else(|e| panic!("cannot open {name}: {e}"))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for child in self.programs.get_mut().iter_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(wm) = self.wm.as_mut() {
            stop_child(wm.get_mut(), Duration::from_secs(2));
        }
        if std::thread::panicking() && !self.log_shown.get() {
            eprintln!("{}", self.log_report());
        }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("display", &self.display)
            .field("dir", &self.dir.path())
            .finish_non_exhaustive()
    }
}
