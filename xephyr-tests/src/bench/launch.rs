//! Which window managers wm-bench knows and how each is started: oxtile with its default
//! config, i3, awesome and qtile with the configs in `xephyr-tests/bench-configs/`, or none
//! (the bare X server). A [`BenchDisplay`] is one fresh 1920x1080 Xvfb with one of them.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::procfs;
use crate::server::{ServerKind, XServer};
use crate::wait::{run_with_deadline, stop_child, Deadline};

/// Width of the benchmark screen.
pub const BENCH_WIDTH: u32 = 1920;
/// Height of the benchmark screen.
pub const BENCH_HEIGHT: u32 = 1080;

/// Where bench-setup installs qtile when `$QTILE_VENV` is not set.
pub const DEFAULT_QTILE_VENV: &str = "/opt/oxtile-bench/qtile";

/// The window managers wm-bench knows how to configure and drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WmKind {
    /// No window manager: the bare X server, the floor.
    None,
    /// oxtile.
    Oxtile,
    /// i3.
    I3,
    /// awesome.
    Awesome,
    /// qtile (X11 backend).
    Qtile,
}

impl WmKind {
    /// The key binding that focuses the next window under the config wm-bench runs it
    /// with: modifiers and key name. `None` for the bare server.
    pub fn focus_next_key(self) -> Option<(&'static [&'static str], &'static str)> {
        match self {
            WmKind::None => None,
            // All four configs bind mod4+j (oxtile's default config does; the peers' configs
            // in bench-configs/ do).
            WmKind::Oxtile | WmKind::I3 | WmKind::Awesome | WmKind::Qtile => Some((&["mod4"], "j")),
        }
    }

    /// Short name, as the command line and the table write it.
    pub fn name(self) -> &'static str {
        match self {
            WmKind::None => "none",
            WmKind::Oxtile => "oxtile",
            WmKind::I3 => "i3",
            WmKind::Awesome => "awesome",
            WmKind::Qtile => "qtile",
        }
    }
}

/// One window manager to measure: which it is, and the command that starts it.
#[derive(Debug, Clone)]
pub struct WmSpec {
    /// Which window manager.
    pub kind: WmKind,
    /// The program (empty for [`WmKind::None`]).
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
}

impl WmSpec {
    /// A window manager from its command line: `none`, `oxtile`, `i3`, `awesome`, `qtile`,
    /// optionally with arguments (`"qtile start -b x11"`); the first word says which it is.
    /// Without arguments each gets the ones that start it as the X11 window manager.
    pub fn parse(command: &str) -> Result<WmSpec, String> {
        let mut words = command.split_whitespace();
        let first = words.next().ok_or("an empty window manager command")?;
        let args: Vec<String> = words.map(String::from).collect();
        let base = Path::new(first)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(first);
        let (kind, default_args): (WmKind, &[&str]) = match base {
            "none" => (WmKind::None, &[]),
            "oxtile" => (WmKind::Oxtile, &["start"]),
            "i3" => (WmKind::I3, &[]),
            "awesome" => (WmKind::Awesome, &[]),
            "qtile" => (WmKind::Qtile, &["start", "-b", "x11"]),
            other => {
                return Err(format!(
                    "unknown window manager {other:?} (known: oxtile, none, i3, awesome, qtile)"
                ))
            }
        };
        let program = if first.contains('/') {
            PathBuf::from(first)
        } else {
            match kind {
                WmKind::None => PathBuf::new(),
                WmKind::Oxtile => crate::oxtile_bin(),
                WmKind::Qtile => find_qtile(),
                _ => which(first).unwrap_or_else(|| PathBuf::from(first)),
            }
        };
        let args = if args.is_empty() {
            default_args.iter().map(|a| a.to_string()).collect()
        } else {
            args
        };
        Ok(WmSpec {
            kind,
            program,
            args,
        })
    }

    /// True when there is something to run (always for the bare server).
    pub fn installed(&self) -> bool {
        self.kind == WmKind::None || self.program.is_file()
    }

    /// The version the program reports (`--version`, first line), e.g. "i3 version 4.22".
    pub fn version(&self) -> String {
        if self.kind == WmKind::None {
            return xvfb_version();
        }
        let mut cmd = Command::new(&self.program);
        cmd.arg("--version");
        match run_with_deadline(cmd, Duration::from_secs(10)) {
            Ok(out) => {
                let text = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("?");
                // "i3 version 4.22 (2023-01-02) © …", "awesome v4.3 (Too long)": the name
                // and number are enough for a table.
                let line = line.split(" (").next().unwrap_or(line);
                match self.kind {
                    // qtile prints the bare number.
                    WmKind::Qtile => format!("qtile {}", line.trim()),
                    _ => line.trim().to_string(),
                }
            }
            Err(e) => format!("unknown ({e})"),
        }
    }
}

/// qtile from `$QTILE_VENV` (bench-setup's venv), else [`DEFAULT_QTILE_VENV`], else PATH.
fn find_qtile() -> PathBuf {
    let venv = std::env::var_os("QTILE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_QTILE_VENV));
    let in_venv = venv.join("bin").join("qtile");
    if in_venv.is_file() {
        return in_venv;
    }
    which("qtile").unwrap_or(in_venv)
}

/// The first `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn xvfb_version() -> String {
    // Xvfb has no --version; the package says which server it is.
    let mut cmd = Command::new("dpkg-query");
    cmd.args(["-W", "-f", "${Version}", "xvfb"]);
    run_with_deadline(cmd, Duration::from_secs(10))
        .ok()
        .filter(|out| out.status.success())
        .map(|out| format!("Xvfb {}", String::from_utf8_lossy(&out.stdout).trim()))
        .unwrap_or_else(|| "Xvfb".into())
}

/// The config files each peer reads, as (path under `$XDG_CONFIG_HOME`, content). oxtile
/// runs its built-in default config: none is written for it.
fn config_files(kind: WmKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        WmKind::None | WmKind::Oxtile => &[],
        WmKind::I3 => &[
            ("i3/config", include_str!("../../bench-configs/i3.config")),
            (
                "i3status/config",
                include_str!("../../bench-configs/i3status.conf"),
            ),
        ],
        WmKind::Awesome => &[(
            "awesome/rc.lua",
            include_str!("../../bench-configs/awesome.lua"),
        )],
        WmKind::Qtile => &[(
            "qtile/config.py",
            include_str!("../../bench-configs/qtile.py"),
        )],
    }
}

/// One fresh X server, and the window manager to run on it (started by
/// [`exec`](Self::exec)). Dropping it stops the window manager's whole process group
/// (i3bar, i3status…), then the server.
pub struct BenchDisplay {
    spec: WmSpec,
    wm: Option<Child>,
    dir: TempDir,
    // Dropped after the window manager (see Drop).
    server: XServer,
}

impl BenchDisplay {
    /// Start a 1920x1080 Xvfb and write the window manager's config into a private home;
    /// the window manager itself is not started yet.
    pub fn new(spec: &WmSpec) -> io::Result<BenchDisplay> {
        let server = XServer::start_sized(ServerKind::Xvfb, BENCH_WIDTH, BENCH_HEIGHT)?;
        let dir = tempfile::Builder::new()
            .prefix("oxtile-bench-")
            .tempdir_in("/tmp")?;
        for sub in ["runtime", "config", "home", "cache"] {
            fs::create_dir(dir.path().join(sub))?;
        }
        fs::set_permissions(
            dir.path().join("runtime"),
            fs::Permissions::from_mode(0o700),
        )?;
        for (path, content) in config_files(spec.kind) {
            let file = dir.path().join("config").join(path);
            if let Some(parent) = file.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(file, content)?;
        }
        Ok(BenchDisplay {
            spec: spec.clone(),
            wm: None,
            dir,
            server,
        })
    }

    /// The display name, e.g. `":3"`.
    pub fn display(&self) -> &str {
        self.server.display()
    }

    /// Which window manager runs (or will run) here.
    pub fn spec(&self) -> &WmSpec {
        &self.spec
    }

    /// Start the window manager; returns the instant just before the exec, from which
    /// startup is timed. Does nothing (but return the instant) for the bare server.
    pub fn exec(&mut self) -> io::Result<Instant> {
        if self.spec.kind == WmKind::None {
            return Ok(Instant::now());
        }
        let log = File::create(self.dir.path().join("wm.log"))?;
        let mut cmd = self.command(&self.spec.program);
        cmd.args(&self.spec.args)
            // Warnings only: a window manager's debug log would be measured as its speed.
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own process group, so that stopping it also stops what it started.
            .process_group(0);
        let start = Instant::now();
        self.wm = Some(cmd.spawn().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot run {}: {e}", self.spec.program.display()),
            )
        })?);
        Ok(start)
    }

    /// A command with this display's private environment: DISPLAY, HOME and the XDG
    /// directories (so the configs written here are the ones read).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let root = self.dir.path();
        let mut cmd = Command::new(program);
        cmd.env("DISPLAY", self.server.display())
            .env("HOME", root.join("home"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("XDG_RUNTIME_DIR", root.join("runtime"))
            .env_remove("XAUTHORITY")
            .env_remove("WAYLAND_DISPLAY")
            .current_dir(root);
        cmd
    }

    /// Process id of the window manager, once started.
    pub fn wm_pid(&self) -> Option<u32> {
        self.wm.as_ref().map(Child::id)
    }

    /// Every process of the window manager: its process tree, and whatever it started
    /// detached (found by the private `HOME` it inherited). Empty for the bare server.
    pub fn wm_processes(&self) -> Vec<u32> {
        let Some(pid) = self.wm_pid() else {
            return Vec::new();
        };
        let mut pids = procfs::process_tree(pid);
        let home = self.dir.path().join("home");
        for p in procfs::processes_with_env("HOME", &home.to_string_lossy()) {
            if !pids.contains(&p) {
                pids.push(p);
            }
        }
        pids
    }

    /// The window manager's exit status, `None` while it runs (or before it started).
    pub fn wm_exited(&mut self) -> Option<ExitStatus> {
        self.wm.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    /// What the window manager printed so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("wm.log")).unwrap_or_default()
    }

    /// `oxtile cmd stats --json`, for oxtile's own counters; `None` for other window
    /// managers or when it does not answer.
    pub fn oxtile_stats(&self) -> Option<serde_json::Value> {
        if self.spec.kind != WmKind::Oxtile {
            return None;
        }
        let mut cmd = self.command(&self.spec.program);
        cmd.args(["cmd", "stats", "--json"]);
        let out = run_with_deadline(cmd, Duration::from_secs(10)).ok()?;
        if !out.status.success() {
            return None;
        }
        serde_json::from_slice(&out.stdout).ok()
    }
}

impl Drop for BenchDisplay {
    fn drop(&mut self) {
        let helpers = self.wm_processes();
        if let Some(child) = self.wm.as_mut() {
            let group = i32::try_from(child.id())
                .ok()
                .and_then(rustix::process::Pid::from_raw);
            stop_child(child, Duration::from_secs(3));
            // Helpers the window manager started (i3bar, i3status) are in its group.
            if let Some(group) = group {
                let _ = rustix::process::kill_process_group(group, rustix::process::Signal::TERM);
                let deadline = Deadline::after(Duration::from_secs(2));
                while !deadline.expired() && rustix::process::test_kill_process_group(group).is_ok()
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            }
            // Those it detached (i3bar) would outlive it until the server goes.
            for pid in helpers {
                if pid != child.id() {
                    crate::wait::signal(pid, rustix::process::Signal::KILL);
                }
            }
        }
    }
}
