//! A private X server per test: Xvfb headless, or Xephyr in a window on the developer's desktop
//! when `OXTILE_TEST_XEPHYR=1` and `$DISPLAY` are set. The server picks a free display itself
//! (`-displayfd`), so any number of tests can start servers at once.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use x11rb::rust_connection::RustConnection;

use crate::wait::{stop_child, Backoff, Deadline};
use crate::{SCREEN_HEIGHT, SCREEN_WIDTH};

/// How long a server may take to announce its display and accept a connection.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Which program runs the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    /// Xvfb: headless, the default.
    Xvfb,
    /// Xephyr: a window on the current `$DISPLAY`, to watch a test run.
    Xephyr,
}

impl ServerKind {
    /// Xephyr when `OXTILE_TEST_XEPHYR=1` and `$DISPLAY` is set, else Xvfb.
    pub fn from_env() -> Self {
        let wants_xephyr = std::env::var("OXTILE_TEST_XEPHYR").is_ok_and(|v| v == "1");
        let has_display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
        if wants_xephyr && has_display {
            ServerKind::Xephyr
        } else {
            ServerKind::Xvfb
        }
    }
}

/// A running X server with one screen, 1280x800 unless started with
/// [`XServer::start_sized`]. Dropping it stops the server (SIGTERM, then
/// SIGKILL after a grace period) and reaps the process.
#[derive(Debug)]
pub struct XServer {
    child: Child,
    number: u32,
    display: String,
    kind: ServerKind,
}

impl XServer {
    /// Start a server of the kind [`ServerKind::from_env`] chooses; panics with the server's
    /// own error output if it does not come up.
    pub fn start() -> XServer {
        Self::start_kind(ServerKind::from_env())
            .unwrap_or_else(|e| panic!("cannot start an X server: {e}"))
    }

    /// Start a server of the given kind and wait until it accepts connections.
    pub fn start_kind(kind: ServerKind) -> io::Result<XServer> {
        Self::start_sized(kind, SCREEN_WIDTH, SCREEN_HEIGHT)
    }

    /// Like [`start_kind`](Self::start_kind) with a screen of `width` x `height` instead of
    /// the tests' 1280x800 (the benchmarks use a 1920x1080 screen).
    pub fn start_sized(kind: ServerKind, width: u32, height: u32) -> io::Result<XServer> {
        let size = format!("{width}x{height}");
        let mut cmd = match kind {
            ServerKind::Xvfb => {
                let mut cmd = Command::new("Xvfb");
                cmd.args(["-screen", "0", &format!("{size}x24")]);
                cmd
            }
            ServerKind::Xephyr => {
                let mut cmd = Command::new("Xephyr");
                cmd.args(["-screen", &size, "-title", "oxtile test"]);
                cmd
            }
        };
        // -displayfd 1: the server chooses a free display, writes its number on stdout once
        // it is ready for clients. -noreset: the server keeps its state when the last client
        // leaves (oxtile restarting, a test's clients all gone).
        cmd.args(["-displayfd", "1", "-nolisten", "tcp", "-noreset"]);
        let mut stderr = tempfile::tempfile()?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr.try_clone()?);
        let mut child = cmd.spawn().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot run {kind:?} (is it installed?): {e}"),
            )
        })?;
        let deadline = Deadline::after(START_TIMEOUT);

        let number = match read_display_number(&mut child, &deadline) {
            Ok(n) => n,
            Err(e) => {
                stop_child(&mut child, Duration::from_secs(2));
                return Err(io::Error::new(
                    e.kind(),
                    format!("{kind:?} did not start: {e}\n{}", read_all(&mut stderr)),
                ));
            }
        };
        let server = XServer {
            child,
            number,
            display: format!(":{number}"),
            kind,
        };
        server.wait_for_connection(&deadline)?;
        Ok(server)
    }

    /// The display name, e.g. `":3"`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The display number, e.g. `3`.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Process id of the server.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Which program runs this server.
    pub fn kind(&self) -> ServerKind {
        self.kind
    }

    /// The server's Unix socket, which exists while the server runs.
    pub fn socket_path(&self) -> std::path::PathBuf {
        format!("/tmp/.X11-unix/X{}", self.number).into()
    }

    /// Open a fresh connection to this server.
    pub fn connect(&self) -> Result<RustConnection, x11rb::errors::ConnectError> {
        RustConnection::connect(Some(&self.display)).map(|(conn, _screen)| conn)
    }

    /// Retry connecting until one connection succeeds or `deadline` passes.
    fn wait_for_connection(&self, deadline: &Deadline) -> io::Result<()> {
        let mut backoff = Backoff::default();
        loop {
            match self.connect() {
                Ok(_) => return Ok(()),
                Err(e) if deadline.expired() => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("{} never accepted a connection: {e}", self.display),
                    ))
                }
                Err(_) => backoff.pause(deadline),
            }
        }
    }
}

impl Drop for XServer {
    fn drop(&mut self) {
        stop_child(&mut self.child, Duration::from_secs(5));
    }
}

/// Read the display number the server writes on its stdout (`-displayfd 1`).
fn read_display_number(child: &mut Child, deadline: &Deadline) -> io::Result<u32> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("server stdout not captured"))?;
    // A blocking read on a helper thread, so that a server which hangs before announcing
    // itself cannot hang the test past the deadline. The thread ends when the server's
    // stdout closes, at the latest when the server is stopped.
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut line = String::new();
        let result = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        let _ = tx.send(result);
    });
    let line = rx
        .recv_timeout(deadline.remaining())
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no display number announced"))??;
    line.trim().parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the server exited or wrote {line:?} instead of a display number"),
        )
    })
}

fn read_all(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.read_to_string(&mut text);
    text
}
