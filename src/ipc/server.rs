//! The socket side of IPC: a listener thread, one thread per connection, requests passed
//! to the event loop over a channel with a one-shot reply channel each. Only the user who
//! runs oxtile may connect (socket mode 0600 and the peer's uid is checked), and no client
//! can hold a thread for ever: connections are counted, idle ones and ones that do not
//! read their answers are closed after a timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use super::{parse_request, Request, Response};

/// Longest request line accepted (eval of a big Lua chunk fits).
const MAX_LINE: u64 = 1 << 20;

/// A connection that sends nothing for this long is closed (`oxtile cmd` never idles; a
/// script that does reconnects). `OXTILE_IPC_IDLE_TIMEOUT` (seconds) changes it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The idle timeout: `OXTILE_IPC_IDLE_TIMEOUT` seconds if set to a positive number, else
/// [`IDLE_TIMEOUT`].
fn idle_timeout() -> Duration {
    std::env::var("OXTILE_IPC_IDLE_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .unwrap_or(IDLE_TIMEOUT)
}

/// Longest time writing one answer may block: a client that never reads its answers
/// cannot keep its thread waiting for ever.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Most connections served at once (each has a thread); more are refused with an error.
const MAX_CONNECTIONS: usize = 256;

/// A request from a client, with where to send the answer.
pub struct Incoming {
    /// The request.
    pub request: Request,
    /// The answer goes here (the client thread waits on it).
    pub reply: mpsc::Sender<Answer>,
}

/// An answer, and optionally a channel to tell once it has been written to the client
/// (used before quitting or restarting, so `oxtile cmd quit` gets its answer).
pub struct Answer {
    /// The response.
    pub response: Response,
    /// Signalled after the response was written.
    pub written: Option<mpsc::Sender<()>>,
}

/// Start listening at `path`. Requests arrive on `tx`; the returned path is removed by
/// [`remove_socket`] on exit.
pub fn start(path: &Path, tx: calloop::channel::Sender<Incoming>) -> std::io::Result<PathBuf> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    if path.exists() {
        // A socket nobody answers on is left over from a crash; one that answers is not ours
        // to take (become_wm already failed in that case), but be safe.
        if UnixStream::connect(path).is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!("{} is in use by another oxtile", path.display()),
            ));
        }
        std::fs::remove_file(path)?;
    }
    let listener = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    let uid = rustix::process::getuid();
    let idle = idle_timeout();
    let active = Arc::new(AtomicUsize::new(0));
    std::thread::Builder::new()
        .name("ipc-listener".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let stream = match stream {
                    Ok(s) => s,
                    Err(e) => {
                        // Out of file descriptors (EMFILE) fails at once for as long as it
                        // lasts: pause instead of spinning.
                        tracing::debug!("IPC accept failed: {e}");
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    }
                };
                match rustix::net::sockopt::socket_peercred(&stream) {
                    Ok(cred) if cred.uid == uid => {}
                    peer => {
                        let who = peer.map_or_else(
                            |e| format!("unknown ({e})"),
                            |c| c.uid.as_raw().to_string(),
                        );
                        tracing::warn!("IPC connection from uid {who} refused");
                        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                        let msg = "refused: this oxtile answers only the user who runs it";
                        let _ = writeln!(&stream, "{}", to_line(&Response::err(msg)));
                        continue;
                    }
                }
                if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    tracing::warn!("IPC connection refused: {MAX_CONNECTIONS} already open");
                    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                    let msg = format!("too many connections ({MAX_CONNECTIONS} open)");
                    let _ = writeln!(&stream, "{}", to_line(&Response::err(msg)));
                    continue;
                }
                // The count goes down when the thread's closure is dropped: when serving
                // ends, or at once if the thread cannot be started.
                let slot = Slot::take(&active);
                let tx = tx.clone();
                let _ = std::thread::Builder::new()
                    .name("ipc-conn".into())
                    .spawn(move || {
                        let _slot = slot;
                        serve(stream, tx, idle)
                    });
            }
        })?;
    Ok(path.to_path_buf())
}

/// Remove the socket file.
pub fn remove_socket(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// One counted connection; dropping it frees the place.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(active: &Arc<AtomicUsize>) -> Slot {
        active.fetch_add(1, Ordering::SeqCst);
        Slot(active.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The request on one line a client sent (its newline included or not): `None` for a blank
/// line (skipped), an error message for the client when it is not a request. A line that
/// is not UTF-8 is one bad request, like malformed JSON: answered, and the connection goes
/// on.
pub fn request_of_line(raw: Vec<u8>) -> Option<Result<Request, String>> {
    let line = match String::from_utf8(raw) {
        Ok(line) => line,
        Err(_) => return Some(Err("bad request: the line is not valid UTF-8".into())),
    };
    if line.trim().is_empty() {
        return None;
    }
    Some(parse_request(&line))
}

fn serve(stream: UnixStream, tx: calloop::channel::Sender<Incoming>, idle: Duration) {
    if stream.set_read_timeout(Some(idle)).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut raw = Vec::new();
        match (&mut reader).take(MAX_LINE).read_until(b'\n', &mut raw) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                let msg = match e.kind() {
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                        format!("idle for {idle:?}; closing")
                    }
                    _ => format!("bad request: {e}"),
                };
                let _ = writeln!(writer, "{}", to_line(&Response::err(msg)));
                return;
            }
        }
        if !raw.ends_with(b"\n") && raw.len() as u64 >= MAX_LINE {
            let _ = writeln!(writer, "{}", to_line(&Response::err("request too long")));
            return;
        }
        let Some(request) = request_of_line(raw) else {
            continue;
        };
        let answer = match request {
            Err(e) => Answer {
                response: Response::err(e),
                written: None,
            },
            Ok(request) => {
                let (rtx, rrx) = mpsc::channel();
                if tx
                    .send(Incoming {
                        request,
                        reply: rtx,
                    })
                    .is_err()
                {
                    Answer {
                        response: Response::err("oxtile is shutting down"),
                        written: None,
                    }
                } else {
                    rrx.recv_timeout(Duration::from_secs(30))
                        .unwrap_or_else(|_| Answer {
                            response: Response::err("no answer from the event loop"),
                            written: None,
                        })
                }
            }
        };
        let Answer { response, written } = answer;
        let ok = writeln!(writer, "{}", to_line(&response)).is_ok();
        if let Some(w) = written {
            let _ = w.send(());
        }
        if !ok {
            return;
        }
    }
}

fn to_line(r: &Response) -> String {
    serde_json::to_string(r).unwrap_or_else(|_| r#"{"ok":false,"error":"unserialisable"}"#.into())
}
