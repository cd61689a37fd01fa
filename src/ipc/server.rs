//! The socket side of IPC: a listener thread, one thread per connection, requests passed
//! to the event loop over a channel with a one-shot reply channel each. Only the user who
//! runs oxtile may connect (socket mode 0600 and the peer's uid is checked).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use super::{parse_request, Request, Response};

/// Longest request line accepted (eval of a big Lua chunk fits).
const MAX_LINE: u64 = 1 << 20;

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
    std::thread::Builder::new()
        .name("ipc-listener".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                match rustix::net::sockopt::socket_peercred(&stream) {
                    Ok(cred) if cred.uid == uid => {}
                    _ => {
                        tracing::warn!("IPC connection from another user refused");
                        continue;
                    }
                }
                let tx = tx.clone();
                let _ = std::thread::Builder::new()
                    .name("ipc-conn".into())
                    .spawn(move || serve(stream, tx));
            }
        })?;
    Ok(path.to_path_buf())
}

/// Remove the socket file.
pub fn remove_socket(path: &Path) {
    let _ = std::fs::remove_file(path);
}

fn serve(stream: UnixStream, tx: calloop::channel::Sender<Incoming>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        match (&mut reader).take(MAX_LINE).read_line(&mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                let msg = format!("bad request: {e}");
                let _ = writeln!(writer, "{}", to_line(&Response::err(msg)));
                return;
            }
        }
        if !line.ends_with('\n') && line.len() as u64 >= MAX_LINE {
            let _ = writeln!(writer, "{}", to_line(&Response::err("request too long")));
            return;
        }
        if line.trim().is_empty() {
            continue;
        }
        let answer = match parse_request(&line) {
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
