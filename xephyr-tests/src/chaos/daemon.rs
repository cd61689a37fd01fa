//! The container door: a hostile container daemon the chaos config's containers widget
//! reads. It listens on two Unix sockets, one the widget reads as podman (the Docker API)
//! and one as LXD (`/1.0/...`), and answers every request the way the chaos client last
//! chose: a well-formed list (with names and states nobody expects), garbage instead of
//! HTTP, a body cut short, a huge body, malformed JSON, JSON of the wrong types, an error
//! status, broken chunked encoding, silence until the client gives up, or a hang-up mid
//! answer. It can also go down (the socket removed) and come back. A third socket file is
//! left behind by a listener that is gone: connecting to it is refused (a daemon that
//! died without cleaning up).
//!
//! Real daemons are tested in `tests/containers.rs`; this one only has to be hostile. Every
//! connection is served on a short-lived thread that gives up after [`HOLD`], so a client
//! that never reads or never hangs up costs nothing for long.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::actions::Outcome;
use super::World;

/// Longest a connection is held open (a hang, an event stream, a slow client).
const HOLD: Duration = Duration::from_secs(2);
/// Largest request head read before answering anyway.
const MAX_HEAD: usize = 64 << 10;

/// How the daemon answers, until told otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A well-formed list of these containers (name, state), in the asking API's format.
    List(Vec<(String, String)>),
    /// These bytes instead of an HTTP answer (garbage, a broken status line or header).
    Raw(Vec<u8>),
    /// A 200 carrying this body with the right length (malformed JSON, wrong types).
    Body(Vec<u8>),
    /// A 200 promising `declared` bytes of body, then only `body`, then a hang-up.
    Short {
        /// The Content-Length announced.
        declared: usize,
        /// What is sent of it.
        body: Vec<u8>,
    },
    /// A 200 with a list of this many bytes (longer than the widget accepts when over
    /// 32 MiB). Served once, then the daemon answers an empty list again.
    Huge(usize),
    /// This status with this body.
    Status(u16, Vec<u8>),
    /// A chunked body whose chunk sizes are not numbers.
    BadChunks,
    /// Read the request, then say nothing until the client gives up (or [`HOLD`]).
    Hang,
    /// Read the request and hang up.
    Close,
}

impl Answer {
    /// A short description for the chaos trace.
    pub fn describe(&self) -> String {
        match self {
            Answer::List(l) => format!("a list of {} container(s)", l.len()),
            Answer::Raw(b) => format!("{} raw bytes", b.len()),
            Answer::Body(b) => format!("a 200 with {} bytes of bad JSON", b.len()),
            Answer::Short { declared, body } => {
                format!("{} of {declared} promised bytes", body.len())
            }
            Answer::Huge(n) => format!("a {n}-byte list"),
            Answer::Status(s, _) => format!("status {s}"),
            Answer::BadChunks => "broken chunks".into(),
            Answer::Hang => "silence".into(),
            Answer::Close => "a hang-up".into(),
        }
    }
}

/// What the serving threads share.
struct Shared {
    answer: Mutex<Answer>,
    stop: AtomicBool,
    served: AtomicU64,
}

impl Shared {
    fn answer(&self) -> Answer {
        let mut a = self.answer.lock().unwrap_or_else(PoisonError::into_inner);
        let now = a.clone();
        if matches!(now, Answer::Huge(_)) {
            *a = Answer::List(Vec::new());
        }
        now
    }
}

/// One listening socket and its accepting thread.
struct Listening {
    path: PathBuf,
    thread: JoinHandle<()>,
}

/// The hostile daemon: two sockets it serves, one it leaves dead.
pub struct Daemon {
    shared: Arc<Shared>,
    sockets: [PathBuf; 2],
    listening: Mutex<Vec<Listening>>,
}

impl Daemon {
    /// Serve `podman` and `lxd`, and leave a socket file nobody listens on at `dead`.
    pub fn start(podman: &Path, lxd: &Path, dead: &Path) -> Result<Daemon, String> {
        drop(UnixListener::bind(dead).map_err(|e| format!("{}: {e}", dead.display()))?);
        let daemon = Daemon {
            shared: Arc::new(Shared {
                answer: Mutex::new(Answer::List(vec![("chaos".into(), "running".into())])),
                stop: AtomicBool::new(false),
                served: AtomicU64::new(0),
            }),
            sockets: [podman.to_path_buf(), lxd.to_path_buf()],
            listening: Mutex::new(Vec::new()),
        };
        daemon.up()?;
        Ok(daemon)
    }

    /// Answer every request this way from now on.
    pub fn set(&self, answer: Answer) {
        *self
            .shared
            .answer
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = answer;
    }

    /// Requests answered so far.
    pub fn served(&self) -> u64 {
        self.shared.served.load(Ordering::Relaxed)
    }

    /// Whether the daemon listens.
    pub fn is_up(&self) -> bool {
        !self
            .listening
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }

    /// Listen again (after [`down`](Self::down)); nothing if already listening.
    pub fn up(&self) -> Result<(), String> {
        let mut listening = self
            .listening
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !listening.is_empty() {
            return Ok(());
        }
        self.shared.stop.store(false, Ordering::SeqCst);
        for path in &self.sockets {
            let _ = std::fs::remove_file(path);
            let listener =
                UnixListener::bind(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let shared = self.shared.clone();
            let thread = std::thread::Builder::new()
                .name("chaos-daemon".into())
                .spawn(move || accept(&listener, &shared))
                .map_err(|e| format!("daemon thread: {e}"))?;
            listening.push(Listening {
                path: path.clone(),
                thread,
            });
        }
        Ok(())
    }

    /// Stop listening and remove the sockets: the daemon is down. Connections being
    /// served finish on their own.
    pub fn down(&self) {
        let mut listening = self
            .listening
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.shared.stop.store(true, Ordering::SeqCst);
        for l in listening.drain(..) {
            // Wake the accepting thread: it sees the stop flag and returns.
            drop(UnixStream::connect(&l.path));
            let _ = l.thread.join();
            let _ = std::fs::remove_file(&l.path);
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.down();
    }
}

fn accept(listener: &UnixListener, shared: &Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(conn) = conn else { continue };
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("chaos-daemon-conn".into())
            .spawn(move || serve(conn, &shared));
        if spawned.is_err() {
            // Out of threads: the connection is dropped, which is one more hostile answer.
            continue;
        }
    }
}

/// The request line's method and path, after reading the head (and whatever of the body
/// came with it).
fn read_request(conn: &mut UnixStream) -> Option<(String, String)> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = head.split(|&b| b == b'\n').next()?;
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    Some((words.next()?.to_string(), words.next()?.to_string()))
}

fn serve(mut conn: UnixStream, shared: &Shared) {
    let _ = conn.set_read_timeout(Some(HOLD));
    let _ = conn.set_write_timeout(Some(HOLD));
    let Some((method, path)) = read_request(&mut conn) else {
        return;
    };
    shared.served.fetch_add(1, Ordering::Relaxed);
    let lxd = path.starts_with("/1.0");
    let events = path.contains("/events");
    let answer = shared.answer();
    let _ = match answer {
        Answer::List(_) if events && !lxd => event_stream(&mut conn, shared),
        // No WebSocket here: LXD's event stream is refused, so the widget polls.
        Answer::List(_) if events => respond(&mut conn, 404, &lxd_error("not found")),
        Answer::List(_) if method != "GET" => {
            if lxd {
                respond(&mut conn, 200, br#"{"type":"sync","status":"Success"}"#)
            } else {
                respond(&mut conn, 204, b"")
            }
        }
        Answer::List(list) => respond(&mut conn, 200, &list_body(&list, lxd)),
        Answer::Raw(bytes) => conn.write_all(&bytes),
        Answer::Body(body) => respond(&mut conn, 200, &body),
        Answer::Short { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
            );
            conn.write_all(head.as_bytes())
                .and_then(|_| conn.write_all(&body))
        }
        Answer::Huge(n) => huge(&mut conn, n, lxd),
        Answer::Status(status, body) => respond(&mut conn, status, &body),
        Answer::BadChunks => conn.write_all(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[{}]\r\n-1\r\n\r\n",
        ),
        Answer::Hang => {
            hold(&mut conn);
            Ok(())
        }
        Answer::Close => Ok(()),
    };
}

/// Wait until the client hangs up, or [`HOLD`].
fn hold(conn: &mut UnixStream) {
    let until = Instant::now() + HOLD;
    let mut sink = [0u8; 1024];
    while Instant::now() < until {
        match conn.read(&mut sink) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn respond(conn: &mut UnixStream, status: u16, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} Chaos\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes())?;
    conn.write_all(body)
}

fn lxd_error(message: &str) -> Vec<u8> {
    serde_json::json!({"type": "error", "error": message, "error_code": 404})
        .to_string()
        .into_bytes()
}

/// The list in podman's (Docker's) or LXD's format.
fn list_body(list: &[(String, String)], lxd: bool) -> Vec<u8> {
    let items: Vec<serde_json::Value> = list
        .iter()
        .enumerate()
        .map(|(i, (name, state))| {
            if lxd {
                serde_json::json!({"name": name, "status": state, "project": "default",
                    "state": {"network": {"eth0": {"addresses": [
                        {"family": "inet", "address": format!("10.0.0.{}", i % 250), "scope": "global"}]}}}})
            } else {
                serde_json::json!({"Id": format!("{i:064x}"), "Names": [format!("/{name}")],
                    "State": state,
                    "NetworkSettings": {"Networks": {"n": {"IPAddress": format!("10.1.0.{}", i % 250)}}}})
            }
        })
        .collect();
    let body = if lxd {
        serde_json::json!({"type": "sync", "status": "Success", "metadata": items})
    } else {
        serde_json::Value::Array(items)
    };
    body.to_string().into_bytes()
}

/// A 200 whose body is a list of `n` bytes, written in pieces.
fn huge(conn: &mut UnixStream, n: usize, lxd: bool) -> std::io::Result<()> {
    let head =
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {n}\r\n\r\n");
    conn.write_all(head.as_bytes())?;
    // The list's opening, one item, the last item and the closing, in each format.
    let (open, item, last, close): (&[u8], &[u8], &[u8], &[u8]) = if lxd {
        (
            br#"{"type":"sync","metadata":["#,
            br#"{"name":"h","status":"Running"},"#,
            br#"{"name":"end","status":"Stopped"}"#,
            b"]}",
        )
    } else {
        (
            b"[",
            br#"{"Id":"h","Names":["/h"],"State":"running"},"#,
            br#"{"Id":"end","State":"exited"}"#,
            b"]",
        )
    };
    conn.write_all(open)?;
    let mut written = open.len();
    let body_end = n.saturating_sub(close.len() + last.len());
    let chunk: Vec<u8> = item.repeat(1024);
    while written + chunk.len() <= body_end {
        conn.write_all(&chunk)?;
        written += chunk.len();
    }
    while written + item.len() <= body_end {
        conn.write_all(item)?;
        written += item.len();
    }
    // Spaces make up the rest: JSON allows them anywhere between tokens.
    conn.write_all(&vec![b' '; body_end.saturating_sub(written)])?;
    conn.write_all(last)?;
    conn.write_all(close)
}

/// Docker's `/events`: a chunked stream with an event now and then, ended after [`HOLD`].
fn event_stream(conn: &mut UnixStream, shared: &Shared) -> std::io::Result<()> {
    conn.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    )?;
    let until = Instant::now() + HOLD;
    while Instant::now() < until && !shared.stop.load(Ordering::SeqCst) {
        let event = br#"{"Type":"container","Action":"start","Actor":{"ID":"chaos"}}"#;
        conn.write_all(format!("{:x}\r\n", event.len() + 1).as_bytes())?;
        conn.write_all(event)?;
        conn.write_all(b"\n\r\n")?;
        std::thread::sleep(Duration::from_millis(300));
    }
    conn.write_all(b"0\r\n\r\n")
}

/// Names and states a list may hold: ordinary ones and ones nobody expects (markup,
/// control characters, empty, very long, right-to-left, states that do not exist).
fn random_list(w: &mut World<'_>) -> Vec<(String, String)> {
    const NAMES: &[&str] = &[
        "web",
        "db",
        "<b>bold</b>",
        "a&b",
        "ü-ß-ж",
        "",
        "x\ny\tz",
        "\u{202e}evil",
        "{running}",
        "%s%n",
    ];
    const STATES: &[&str] = &[
        "running", "paused", "exited", "created", "Running", "Frozen", "Stopped", "Error", "weird",
        "",
    ];
    let n = if w.rng.chance(5) {
        w.rng.range(100, 400) as usize
    } else {
        w.rng.index(8)
    };
    (0..n)
        .map(|i| {
            let name = match w.rng.below(12) {
                0 => "n".repeat(300),
                1 => format!("c{i}"),
                _ => (*w.rng.pick(NAMES).unwrap_or(&"web")).to_string(),
            };
            let state = (*w.rng.pick(STATES).unwrap_or(&"running")).to_string();
            (name, state)
        })
        .collect()
}

/// One of `choices`, copied.
fn pick_bytes(w: &mut World<'_>, choices: &[&[u8]]) -> Vec<u8> {
    w.rng.pick(choices).map_or_else(Vec::new, |b| b.to_vec())
}

/// Change how the hostile daemon answers, or take it down and up again.
pub fn action(w: &mut World<'_>) -> Outcome {
    let daemon = &w.stage.daemon;
    if w.rng.chance(8) {
        return Ok(if daemon.is_up() {
            daemon.down();
            "the daemon goes down".to_string()
        } else {
            daemon.up()?;
            "the daemon comes back".to_string()
        });
    }
    let answer = match w.rng.below(14) {
        0..=3 => Answer::List(random_list(w)),
        4 => {
            let n = w.rng.index(200) + 1;
            Answer::Raw(w.rng.bytes(n))
        }
        5 => Answer::Raw(pick_bytes(
            w,
            &[
                b"HTTP/1.1 999 Weird\r\n\r\n",
                b"HTTP/9.9 200 OK\r\nContent-Length: 2\r\n\r\n[]",
                b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n[]",
                b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n[]",
                b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n[]",
                b"\r\n\r\n",
            ],
        )),
        6 => Answer::Body(pick_bytes(
            w,
            &[
                b"[{\"Id\": \"x\", \"Names\": [\"/half",
                b"[{\"Id\": 3, \"Names\": \"x\", \"State\": 7}]",
                b"{\"not\": \"a list\"}",
                b"null",
                b"[null, 1, \"two\"]",
                b"{\"type\": \"sync\", \"metadata\": {\"name\": 5}}",
                b"{\"type\": \"error\", \"error\": \"<b>no</b>\"}",
                b"[1e999]",
                b"\xff\xfe[]",
            ],
        )),
        7 => Answer::Body(
            (0..w.rng.range(200, 3000))
                .map(|_| "[")
                .collect::<String>()
                .into_bytes(),
        ),
        8 => {
            let n = w.rng.index(100);
            let body = w.rng.bytes(n);
            Answer::Short {
                declared: body.len() + w.rng.index(10_000) + 1,
                body,
            }
        }
        9 if w.rng.chance(30) => {
            Answer::Huge(*w.rng.pick(&[1usize << 20, 33 << 20]).unwrap_or(&(1 << 20)))
        }
        10 => Answer::Status(
            *w.rng.pick(&[500u16, 404, 403, 301, 100]).unwrap_or(&500),
            b"{\"message\": \"<i>the daemon says no</i>\"}".to_vec(),
        ),
        11 => Answer::BadChunks,
        12 => Answer::Hang,
        _ => Answer::Close,
    };
    let what = answer.describe();
    w.stage.daemon.set(answer);
    Ok(format!("the daemon answers {what}"))
}
