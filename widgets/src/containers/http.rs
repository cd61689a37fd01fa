//! HTTP/1.1 and WebSocket clients over a Unix socket (LXD, Incus, podman, Docker), with
//! timeouts, and the translation of what can go wrong into a [`Fault`] the widget shows.
//!
//! Why these crates: the daemons speak HTTP/1.1 on a Unix socket, and every blocking HTTP
//! client on crates.io (ureq 2, attohttpc, minreq) dials TCP only; ureq 3 takes custom
//! transports only through its `unversioned` API. `ureq-proto` is the sans-IO HTTP/1.1
//! state machine under ureq 3 (same maintainer): it writes requests into and parses
//! responses (content-length, chunked, close-delimited) out of byte buffers, so it runs on
//! any `Read + Write` stream and we never parse HTTP by hand. The LXD events WebSocket is
//! `tungstenite`'s client handshake over the same kind of stream. Neither needs an async
//! runtime: every call here blocks, and runs on a widget's worker thread.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use ureq_proto::client::{state::RecvBody, Call, RecvResponseResult, SendRequestResult};
use ureq_proto::http::{Method, Request};

use super::remote::{Remote, RemoteFiles};

/// Largest response body we accept (a list of a few thousand instances fits easily).
pub const MAX_BODY: usize = 32 << 20;

/// Why a backend could not be read. The widget shows these as states, never as crashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Nobody listens: the socket file is missing or the connection is refused.
    NotRunning(String),
    /// The socket exists but we may not connect (group membership).
    NoAccess(String),
    /// The daemon did not answer in time.
    Timeout,
    /// The daemon answered something we cannot read (malformed JSON, bad HTTP).
    BadAnswer(String),
    /// Anything else, already worded for the user.
    Other(String),
}

impl Fault {
    /// The fault from an I/O error talking to `place` (a socket path or a URL).
    pub fn from_io(e: &io::Error, place: &str) -> Fault {
        match e.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => {
                Fault::NotRunning(place.to_string())
            }
            io::ErrorKind::PermissionDenied => Fault::NoAccess(place.to_string()),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Fault::Timeout,
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::BrokenPipe => Fault::Other("the daemon closed the connection".into()),
            _ => Fault::Other(e.to_string()),
        }
    }

    /// A short state word for `oxtile cmd widgets` ("not running", "no access", …).
    pub fn status(&self) -> &'static str {
        match self {
            Fault::NotRunning(_) => "not running",
            Fault::NoAccess(_) => "no access",
            Fault::Timeout => "timeout",
            Fault::BadAnswer(_) => "bad answer",
            Fault::Other(_) => "error",
        }
    }

    /// What the user reads, after "<backend>: ". `group` is who to join for access.
    pub fn message(&self, group: &str) -> String {
        match self {
            Fault::NotRunning(_) => "not running".into(),
            Fault::NoAccess(socket) if group.is_empty() => format!("no access to {socket}"),
            Fault::NoAccess(socket) => {
                format!("no access to {socket} — add yourself to the {group} group")
            }
            Fault::Timeout => "not answering (timed out)".into(),
            Fault::BadAnswer(why) => format!("bad answer: {why}"),
            Fault::Other(why) => why.clone(),
        }
    }

    /// Whether the daemon is out of reach (its containers are then unknown), as opposed
    /// to a glitch after which the last good list is kept.
    pub fn unreachable(&self) -> bool {
        matches!(self, Fault::NotRunning(_) | Fault::NoAccess(_))
    }
}

/// A connection the HTTP and WebSocket code can run over.
pub trait Conn: Read + Write + Send {
    /// Bound how long one read may block (`None`: forever).
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
}

impl Conn for UnixStream {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        UnixStream::set_read_timeout(self, timeout)
    }
}

/// Where a daemon listens.
#[derive(Debug, Clone)]
pub enum Target {
    /// A Unix socket: the first of these that exists when connecting (a daemon installed
    /// or started later is found), else the first.
    Unix(Vec<PathBuf>),
    /// A remote server over HTTPS. Its certificates are read on first use, on a worker.
    Remote(RemoteFiles, Arc<OnceLock<Result<Arc<Remote>, String>>>),
}

/// Where a daemon listens, and how long we wait for it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The socket or server.
    pub target: Target,
    /// How long connecting, one read or one write may take.
    pub timeout: Duration,
}

/// A response with its whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Endpoint {
    /// A socket with a timeout.
    pub fn new(socket: impl Into<PathBuf>, timeout: Duration) -> Endpoint {
        Endpoint::unix(vec![socket.into()], timeout)
    }

    /// The first of several sockets that exists when connecting.
    pub fn unix(candidates: Vec<PathBuf>, timeout: Duration) -> Endpoint {
        Endpoint {
            target: Target::Unix(candidates),
            timeout,
        }
    }

    /// A remote server (nothing is read until the first connection).
    pub fn remote(files: RemoteFiles, timeout: Duration) -> Endpoint {
        Endpoint {
            target: Target::Remote(files, Arc::default()),
            timeout,
        }
    }

    /// The same place with another timeout (actions that take long).
    pub fn with_timeout(&self, timeout: Duration) -> Endpoint {
        Endpoint {
            target: self.target.clone(),
            timeout,
        }
    }

    fn socket(candidates: &[PathBuf]) -> PathBuf {
        candidates
            .iter()
            .find(|p| p.exists())
            .or(candidates.first())
            .cloned()
            .unwrap_or_default()
    }

    /// The socket path or the server's URL, for messages.
    pub fn place(&self) -> String {
        match &self.target {
            Target::Unix(c) => Self::socket(c).display().to_string(),
            Target::Remote(files, _) => files.url.clone(),
        }
    }

    fn remote_server(&self) -> Option<Result<Arc<Remote>, String>> {
        match &self.target {
            Target::Remote(files, cell) => Some(
                cell.get_or_init(|| Remote::load(files).map(Arc::new))
                    .clone(),
            ),
            Target::Unix(_) => None,
        }
    }

    fn host(&self) -> String {
        match self.remote_server() {
            Some(Ok(r)) => r.host().to_string(),
            _ => "localhost".into(),
        }
    }

    fn io(&self, e: io::Error) -> Fault {
        Fault::from_io(&e, &self.place())
    }

    /// Open a connection with the endpoint's timeouts.
    pub fn connect(&self) -> Result<Box<dyn Conn>, Fault> {
        match (&self.target, self.remote_server()) {
            (Target::Unix(candidates), _) => {
                let s = UnixStream::connect(Self::socket(candidates)).map_err(|e| self.io(e))?;
                s.set_read_timeout(Some(self.timeout))
                    .and_then(|_| s.set_write_timeout(Some(self.timeout)))
                    .map_err(|e| self.io(e))?;
                Ok(Box::new(s))
            }
            (_, Some(Ok(r))) => r.connect(self.timeout).map_err(|e| self.io(e)),
            (_, Some(Err(e))) => Err(Fault::Other(e)),
            (_, None) => Err(Fault::Other("no server".into())),
        }
    }

    /// One request, the whole answer. `path` includes the query.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<Response, Fault> {
        let mut conn = self.connect()?;
        exchange(conn.as_mut(), method, path, body, &self.host()).map_err(|e| self.fault(e))
    }

    /// A GET whose body is a stream that never ends (podman's and Docker's `/events`).
    pub fn stream(&self, path: &str) -> Result<BodyStream, Fault> {
        BodyStream::open(self.connect()?, path, &self.host(), |e| self.fault(e))
    }

    /// Open a WebSocket at `path` (LXD's `/1.0/events`).
    pub fn websocket(&self, path: &str) -> Result<WebSocket, Fault> {
        let conn = self.connect()?;
        // The scheme is only for tungstenite: TLS, if any, is already under `conn`.
        let url = format!("ws://{}{path}", self.host());
        match tungstenite::client::client(url.as_str(), conn) {
            Ok((ws, _)) => Ok(ws),
            Err(tungstenite::HandshakeError::Failure(e)) => Err(ws_fault(e, &self.place())),
            Err(tungstenite::HandshakeError::Interrupted(_)) => Err(Fault::Timeout),
        }
    }

    fn fault(&self, e: HttpError) -> Fault {
        match e {
            HttpError::Io(e) => self.io(e),
            HttpError::Protocol(e) => Fault::BadAnswer(e),
        }
    }
}

/// A WebSocket over any connection.
pub type WebSocket = tungstenite::WebSocket<Box<dyn Conn>>;

/// What a WebSocket error means for the widget.
pub fn ws_fault(e: tungstenite::Error, place: &str) -> Fault {
    match e {
        tungstenite::Error::Io(e) => Fault::from_io(&e, place),
        tungstenite::Error::Http(r) => Fault::Other(format!("HTTP {}", r.status().as_u16())),
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
            Fault::Other("the daemon closed the event stream".into())
        }
        other => Fault::BadAnswer(other.to_string()),
    }
}

/// An endless response body, read piece by piece.
pub struct BodyStream {
    conn: Box<dyn Conn>,
    call: Call<RecvBody>,
    buf: Vec<u8>,
}

impl BodyStream {
    /// Send a GET for `path` on `conn` (to `host`) and keep its body open; `fault` words
    /// the errors of the exchange. A status other than 200 or no body is a fault.
    pub fn open(
        mut conn: Box<dyn Conn>,
        path: &str,
        host: &str,
        fault: impl FnOnce(HttpError) -> Fault,
    ) -> Result<BodyStream, Fault> {
        let (status, call, buf) =
            send(conn.as_mut(), Method::GET, path, None, host).map_err(fault)?;
        if status != 200 {
            return Err(Fault::Other(format!("{path}: HTTP {status}")));
        }
        let call = call.ok_or_else(|| Fault::BadAnswer(format!("{path}: no body")))?;
        Ok(BodyStream { conn, call, buf })
    }

    /// The next piece of body, waiting at most `timeout`: `Ok(None)` when nothing came in
    /// time; an error when the stream ended or broke.
    pub fn next(&mut self, timeout: Duration) -> io::Result<Option<Vec<u8>>> {
        self.conn
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        match read_body(&mut self.conn, &mut self.call, &mut self.buf) {
            Ok(Some(chunk)) => Ok(Some(chunk)),
            Ok(None) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the event stream ended",
            )),
            Err(HttpError::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(HttpError::Io(e)) => Err(e),
            Err(HttpError::Protocol(e)) => Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        }
    }
}

/// Errors while speaking HTTP.
#[derive(Debug)]
pub enum HttpError {
    /// The connection failed or timed out.
    Io(io::Error),
    /// The peer does not speak HTTP as we know it.
    Protocol(String),
}

impl From<io::Error> for HttpError {
    fn from(e: io::Error) -> Self {
        HttpError::Io(e)
    }
}

impl From<ureq_proto::Error> for HttpError {
    fn from(e: ureq_proto::Error) -> Self {
        HttpError::Protocol(e.to_string())
    }
}

fn eof() -> HttpError {
    HttpError::Io(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the daemon closed the connection",
    ))
}

/// A response head: its status, the call ready to read the body (`None` when there is
/// none) and bytes already read past the head.
pub type Head = (u16, Option<Call<RecvBody>>, Vec<u8>);

/// Send a request and read the response [`Head`].
pub fn send<S: Read + Write + ?Sized>(
    conn: &mut S,
    method: Method,
    path: &str,
    body: Option<&[u8]>,
    host: &str,
) -> Result<Head, HttpError> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("http://{host}{path}"))
        .header("user-agent", "oxtile");
    if let Some(b) = body {
        builder = builder
            .header("content-type", "application/json")
            .header("content-length", b.len().to_string());
    }
    let request = builder
        .body(())
        .map_err(|e| HttpError::Protocol(e.to_string()))?;
    let mut call = Call::new(request)?.proceed();
    let mut out = vec![0u8; 16 * 1024];
    loop {
        let n = call.write(&mut out)?;
        conn.write_all(&out[..n])?;
        if call.can_proceed() {
            break;
        }
    }
    let mut recv = match call.proceed()? {
        Some(SendRequestResult::RecvResponse(c)) => c,
        Some(SendRequestResult::SendBody(mut c)) => {
            let mut input = body.unwrap_or_default();
            loop {
                let (used, n) = c.write(input, &mut out)?;
                conn.write_all(&out[..n])?;
                input = &input[used..];
                if c.can_proceed() {
                    break;
                }
                if used == 0 && n == 0 {
                    // Nothing left to give: signal the end of the body.
                    let (_, n) = c.write(&[], &mut out)?;
                    conn.write_all(&out[..n])?;
                    if !c.can_proceed() {
                        return Err(HttpError::Protocol("could not finish the request".into()));
                    }
                    break;
                }
            }
            c.proceed()
                .ok_or_else(|| HttpError::Protocol("request body not sent".into()))?
        }
        Some(SendRequestResult::Await100(_)) | None => {
            return Err(HttpError::Protocol("unexpected request state".into()))
        }
    };
    conn.flush()?;
    // Read until the whole head is in.
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let status = loop {
        let (used, response) = recv.try_response(&buf, false)?;
        buf.drain(..used);
        if let Some(r) = response {
            break r.status().as_u16();
        }
        if buf.len() > 1 << 20 {
            return Err(HttpError::Protocol("response head too large".into()));
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Err(eof());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    match recv.proceed() {
        Some(RecvResponseResult::RecvBody(c)) => Ok((status, Some(c), buf)),
        Some(RecvResponseResult::Redirect(_)) | Some(RecvResponseResult::Cleanup(_)) => {
            Ok((status, None, buf))
        }
        None => Err(HttpError::Protocol("incomplete response head".into())),
    }
}

/// One request on `conn` (to `host`) and its whole answer: the response head, then the
/// body (content-length, chunked or close-delimited) up to [`MAX_BODY`] bytes.
pub fn exchange<S: Read + Write + ?Sized>(
    conn: &mut S,
    method: Method,
    path: &str,
    body: Option<&[u8]>,
    host: &str,
) -> Result<Response, HttpError> {
    let (status, mut call, mut buf) = send(conn, method, path, body, host)?;
    let mut out = Vec::new();
    let Some(call) = call.as_mut() else {
        return Ok(Response { status, body: out });
    };
    while let Some(chunk) = read_body(conn, call, &mut buf)? {
        out.extend_from_slice(&chunk);
        if out.len() > MAX_BODY {
            return Err(HttpError::Protocol("answer too large".into()));
        }
    }
    Ok(Response { status, body: out })
}

/// The next piece of body: from bytes already buffered, else from the connection.
/// `Ok(None)` once the body is complete.
pub fn read_body<S: Read + ?Sized>(
    conn: &mut S,
    call: &mut Call<RecvBody>,
    buf: &mut Vec<u8>,
) -> Result<Option<Vec<u8>>, HttpError> {
    let mut out = vec![0u8; 64 * 1024];
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if call.can_proceed() && buf.is_empty() {
            return Ok(None);
        }
        if !buf.is_empty() {
            let (used, n) = call.read(buf, &mut out)?;
            buf.drain(..used);
            if n > 0 {
                return Ok(Some(out[..n].to_vec()));
            }
            if call.can_proceed() {
                // The body ended with bytes to spare (a peer sending more than it said).
                buf.clear();
                return Ok(None);
            }
            if used > 0 {
                continue;
            }
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            // A close-delimited body ends here; any other ends early.
            if call.can_proceed() {
                return Ok(None);
            }
            return Err(eof());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::os::unix::net::UnixListener;
    use std::thread;

    /// Serve one connection on a fresh socket with `answer` after reading the head.
    fn serve_once(
        answer: &'static [u8],
    ) -> (tempfile::TempDir, PathBuf, thread::JoinHandle<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("d.sock");
        let listener = UnixListener::bind(&path).expect("bind");
        let t = thread::spawn(move || {
            let (s, _) = listener.accept().expect("accept");
            let mut r = BufReader::new(s);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let mut s = r.into_inner();
            let _ = s.write_all(answer);
            head
        });
        (dir, path, t)
    }

    #[test]
    fn a_chunked_answer_is_read_whole_and_the_request_names_the_path() {
        let (_d, path, t) = serve_once(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        );
        let ep = Endpoint::new(&path, Duration::from_secs(5));
        let r = ep
            .request(Method::GET, "/1.0/instances?recursion=2", None)
            .expect("answer");
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"hello world");
        let head = t.join().expect("server");
        assert!(
            head.starts_with("GET /1.0/instances?recursion=2 HTTP/1.1"),
            "{head}"
        );
    }

    #[test]
    fn a_content_length_answer_and_an_error_status_come_back() {
        let (_d, path, _t) =
            serve_once(b"HTTP/1.1 404 Not Found\r\nContent-Length: 7\r\n\r\nmissing");
        let ep = Endpoint::new(&path, Duration::from_secs(5));
        let r = ep.request(Method::PUT, "/x", Some(b"{}")).expect("answer");
        assert_eq!((r.status, r.body.as_slice()), (404, b"missing".as_slice()));
    }

    #[test]
    fn a_missing_socket_is_not_running_and_a_silent_one_times_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ep = Endpoint::new(dir.path().join("none.sock"), Duration::from_millis(100));
        let err = ep.request(Method::GET, "/", None).expect_err("no daemon");
        assert!(matches!(err, Fault::NotRunning(_)), "{err:?}");
        assert_eq!(err.message("lxd"), "not running");

        let path = dir.path().join("silent.sock");
        let _listener = UnixListener::bind(&path).expect("bind");
        let ep = Endpoint::new(&path, Duration::from_millis(100));
        let err = ep
            .request(Method::GET, "/", None)
            .expect_err("silent daemon");
        assert_eq!(err, Fault::Timeout);
    }

    #[test]
    fn garbage_instead_of_http_is_a_bad_answer() {
        let (_d, path, _t) = serve_once(b"\x00\x01 this is not HTTP\r\n\r\n");
        let ep = Endpoint::new(&path, Duration::from_secs(5));
        let err = ep.request(Method::GET, "/", None).expect_err("garbage");
        assert!(matches!(err, Fault::BadAnswer(_)), "{err:?}");
    }

    #[test]
    fn a_permission_error_names_the_socket_and_the_group() {
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        let f = Fault::from_io(&e, "/var/lib/lxd/unix.socket");
        assert_eq!(
            f.message("lxd"),
            "no access to /var/lib/lxd/unix.socket — add yourself to the lxd group"
        );
        assert!(f.unreachable());
        assert!(!Fault::BadAnswer("x".into()).unreachable());
    }
}
