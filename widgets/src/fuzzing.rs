//! Fuzzing bodies for the widgets' decoders: each takes any bytes, runs them through the
//! real decoder and asserts what must hold whatever the input (no panic, sane output).
//! `fuzz/fuzz_targets/` runs them under libFuzzer (`scripts/fuzz`); the `oxtile` crate's
//! `tests/decoders_fuzz.rs` runs them on random bytes and on the committed regression
//! inputs, so CI keeps them honest without cargo-fuzz. The list of all targets is
//! `oxtile::fuzzing::TARGETS`.
//!
//! Not an API: the bodies panic on purpose when an invariant breaks.

use std::io::{self, Read, Write};
use std::time::Duration;

use chrono::{DateTime, Utc};
use ureq_proto::http::Method;

use crate::builtin::Clock;
use crate::containers::http::{self, BodyStream, Conn, Fault, HttpError};
use crate::containers::model::Container;
use crate::containers::{lxc, lxd, podman};
use crate::zone::{self, Zone};
use crate::Widget;

/// Separates the text pieces of an input: 0xFF never occurs in UTF-8.
pub const SEP: u8 = 0xff;

/// A fuzzer's bytes read as structured input. Past the end it gives zeros and empty
/// pieces, so every input is a valid one.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Read `data` from its start.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next `n` bytes (fewer at the end).
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    /// The next `N` bytes, zero-padded at the end.
    pub fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        let got = self.bytes(N);
        out[..got.len()].copy_from_slice(got);
        out
    }

    /// One byte.
    pub fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }

    /// A little-endian u16.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.array())
    }

    /// A little-endian u32.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    /// A little-endian i64.
    pub fn i64(&mut self) -> i64 {
        i64::from_le_bytes(self.array())
    }

    /// The bytes up to the next [`SEP`] (which is skipped), or all that is left.
    pub fn piece(&mut self) -> &'a [u8] {
        match self.data.iter().position(|&b| b == SEP) {
            Some(i) => {
                let piece = &self.data[..i];
                self.data = &self.data[i + 1..];
                piece
            }
            None => self.rest(),
        }
    }

    /// [`Self::piece`] as text (invalid UTF-8 replaced, as Lua strings are read).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.piece()).into_owned()
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// An instant from fuzz bytes, anywhere within ±20 000 years of 1970 (chrono's range is
/// ±262 000 years; zones are defined from 1800 or so, then by rules).
fn instant(r: &mut Reader) -> DateTime<Utc> {
    const SPAN: i64 = 20_000 * 366 * 86_400;
    DateTime::from_timestamp(r.i64() % SPAN, 0).expect("within chrono's range")
}

/// A zone from fuzz bytes: mostly one of every IANA zone or a fixed offset, chosen by
/// number; one time in sixteen a spec as users write it, through [`zone::parse`] (whose
/// suggestions for unknown names compare with every zone name: slow under the fuzzer's
/// instrumentation). `"local"`, which reads the system's files, stands for UTC.
///
/// Input: 2 bytes choosing; for a spec, the text (a [`Reader::text`]).
fn zone_spec(r: &mut Reader) -> String {
    let choice = r.u16();
    let zones = chrono_tz::TZ_VARIANTS.len();
    if choice >= 0xf000 {
        let spec = r.text();
        if spec.trim().eq_ignore_ascii_case("local") {
            return "UTC".into();
        }
        return match zone::parse(&spec) {
            Ok(z) => {
                // A zone's name is a spec naming the same zone.
                let again = zone::parse(&z.zone.name()).expect("a zone's own name parses");
                assert_eq!(again.zone, z.zone, "{spec:?}");
                spec
            }
            Err(e) => {
                assert!(e.starts_with("unknown time zone"), "{e}");
                "UTC".into()
            }
        };
    }
    let i = usize::from(choice) % (zones + 96);
    match chrono_tz::TZ_VARIANTS.get(i) {
        Some(tz) => tz.name().to_string(),
        // Every quarter hour from -11:45 to +12:00.
        None => {
            let minutes = (i - zones) as i32 * 15 - 11 * 60 - 45;
            let zone = Zone::Fixed(chrono::FixedOffset::east_opt(minutes * 60).expect("offset"));
            zone.name()
        }
    }
}

/// Clock formats and zones: `zone::parse_format` (strftime, checked once at config load),
/// zones (see [`zone_spec`]), formatting an instant, `zone::next_change`, and the clock
/// widget built from both.
///
/// Input: 8 bytes of instant, the zone ([`zone_spec`]), then the format.
pub fn clock_format(data: &[u8]) {
    let mut r = Reader::new(data);
    let now = instant(&mut r);
    let spec = zone_spec(&mut r);
    let fmt = String::from_utf8_lossy(r.rest()).into_owned();
    let zone = zone::parse(&spec).expect("a zone spec that parses").zone;

    let format = match zone::parse_format(&fmt) {
        Ok(f) => f,
        Err(e) => {
            assert!(e.contains("specifier"), "{e}");
            return;
        }
    };
    assert_eq!(format.source, fmt);
    let shown = zone.format(now, &format.items);
    if let Ok(text) = &shown {
        // No specifier writes more than the RFC 2822 or 3339 forms of a year far off.
        assert!(
            text.len() <= 64 * fmt.len().max(1),
            "{fmt:?} gave {} bytes",
            text.len()
        );
    }
    if let Some(next) = zone::next_change(zone, now, format.unit, format.zone_shown) {
        assert!(next > now, "{fmt:?} in {spec:?} at {now}: {next}");
        assert!(
            next - now <= chrono::Duration::days(3),
            "{fmt:?} in {spec:?} at {now}: {next}"
        );
    }

    let mut clock = Clock::new(&fmt, &spec).expect("a format and zone that parse");
    assert!(clock.text().is_empty(), "nothing before the first tick");
    clock.tick(now);
    let shown = shown.unwrap_or_else(|e| format!("clock: {e}"));
    assert_eq!(clock.text(), shown);
    if let Some(next) = clock.next_wake(now) {
        assert!(next > now);
    }
}

/// The container runtimes' answers: LXD/Incus envelopes, instance lists and operation
/// results, podman/Docker container lists and error bodies, `lxc-ls` output. The same
/// bytes go to every decoder, as the body of a 200 and of a 404 answer.
///
/// Input: the body (a JSON or `lxc-ls` corpus serves as it is).
pub fn containers(body: &[u8]) {
    for status in [200, 404] {
        container_answer(status, body);
    }
    let text = String::from_utf8_lossy(body);
    let list = lxc::parse_ls("lxc", &text);
    check_list("lxc", &list);
    for pair in list.windows(2) {
        assert!(pair[0].name <= pair[1].name);
    }
    assert!(list.len() <= text.lines().count());
}

/// One daemon answer, through every decoder of daemon answers.
fn container_answer(status: u16, body: &[u8]) {
    match lxd::envelope(status, body) {
        Ok(metadata) => {
            assert!(status < 400, "an error status is never a success");
            if let Ok(list) = lxd::parse_instances("lxd", metadata) {
                check_list("lxd", &list);
                for pair in list.windows(2) {
                    assert!((&pair[0].project, &pair[0].name) <= (&pair[1].project, &pair[1].name));
                }
                for c in &list {
                    assert_eq!(c.id, c.name);
                    assert!(c
                        .location
                        .as_deref()
                        .is_none_or(|l| !l.is_empty() && l != "none"));
                }
            }
        }
        Err(lxd::Envelope::Error(why)) => assert!(!why.is_empty()),
        Err(lxd::Envelope::Bad(_)) => {}
    }
    match lxd::operation_result(status, body) {
        Ok(done) => assert_eq!(done, "done"),
        Err(why) => assert!(!why.is_empty()),
    }
    match podman::parse_containers("podman", body) {
        Ok(list) => {
            check_list("podman", &list);
            for pair in list.windows(2) {
                assert!(pair[0].name <= pair[1].name);
            }
            for c in &list {
                assert_eq!((&c.project, &c.location), (&None, &None));
            }
        }
        Err(f) => assert!(matches!(f, Fault::BadAnswer(_)), "{f:?}"),
    }
    assert!(!podman::error_message(status, body).is_empty());
}

/// What holds for every decoded container: it is the backend's, and an address is a
/// usable IPv4 address.
fn check_list(label: &str, list: &[Container]) {
    for c in list {
        assert_eq!(c.backend, label);
        if let Some(a) = &c.address {
            let ip: std::net::Ipv4Addr = a.parse().expect("an IPv4 address");
            assert!(!ip.is_loopback() && !ip.is_unspecified(), "{a}");
        }
    }
}

/// A daemon's side of a connection: what it says is the fuzz input; what it is sent is
/// dropped. Reads come in pieces of at most `step` bytes, as from a socket.
struct Wire {
    input: io::Cursor<Vec<u8>>,
    step: usize,
}

impl Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step);
        self.input.read(&mut buf[..n])
    }
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Conn for Wire {
    fn set_read_timeout(&self, _: Option<Duration>) -> io::Result<()> {
        Ok(())
    }
}

/// Answers from a container daemon's socket, as `ureq-proto`, `tungstenite` and our
/// framing read them: a whole HTTP/1.1 answer to a GET or a PUT with a body
/// (`http::exchange`), the endless body of podman's and Docker's event stream
/// (`BodyStream`), or the frames of LXD's lifecycle WebSocket (`lxd::event_news`). The
/// body never exceeds what the daemon sent, and reading always ends.
///
/// Input: a mode byte (bits 0-1: GET, event stream, PUT, WebSocket; the rest: the size of
/// the daemon's writes), then the daemon's bytes.
pub fn container_http(data: &[u8]) {
    let mut r = Reader::new(data);
    let mode = r.u8();
    let answer = r.rest();
    let wire = Wire {
        input: io::Cursor::new(answer.to_vec()),
        step: 1 + usize::from(mode >> 2) * 64,
    };
    if mode & 3 == 3 {
        let mut ws = tungstenite::WebSocket::from_raw_socket(
            Box::new(wire) as Box<dyn Conn>,
            tungstenite::protocol::Role::Client,
            None,
        );
        // A frame is at least 2 bytes: this many reads reach the end and more.
        for _ in 0..answer.len() + 2 {
            if lxd::event_news(ws.read(), "lxd").is_err() {
                return;
            }
        }
        panic!("the event socket never ended on {} bytes", answer.len());
    }
    if mode & 1 == 0 {
        let mut wire = wire;
        let body = (mode & 2 != 0).then_some(&br#"{"action":"start","timeout":30}"#[..]);
        let method = if body.is_some() {
            Method::PUT
        } else {
            Method::GET
        };
        match http::exchange(&mut wire, method, "/1.0/instances?recursion=2", body, "lxd") {
            Ok(response) => {
                assert!(
                    (100..1000).contains(&response.status),
                    "{}",
                    response.status
                );
                assert!(response.body.len() <= answer.len());
            }
            Err(HttpError::Io(e)) => assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "{e}"),
            Err(HttpError::Protocol(e)) => assert!(!e.is_empty()),
        }
        return;
    }
    let fault = |e: HttpError| match e {
        HttpError::Io(e) => Fault::Other(e.to_string()),
        HttpError::Protocol(e) => Fault::BadAnswer(e),
    };
    let Ok(mut stream) = BodyStream::open(Box::new(wire), "/events", "podman", fault) else {
        return;
    };
    let mut total = 0;
    // Every call reads at least one byte or ends the stream, so this many calls suffice.
    for _ in 0..=answer.len() + 1 {
        match stream.next(Duration::from_millis(1)) {
            Ok(Some(piece)) => {
                total += piece.len();
                assert!(total <= answer.len());
            }
            Ok(None) => panic!("a timeout from a connection that never blocks"),
            Err(_) => return,
        }
    }
    panic!("the event stream never ended on {} bytes", answer.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_splits_pieces_and_pads_with_zeros() {
        let mut r = Reader::new(b"ab\xffcd\xff\x01\x02");
        assert_eq!(r.piece(), b"ab");
        assert_eq!(r.text(), "cd");
        assert_eq!(r.u32(), 0x0201);
        assert!(r.is_empty());
        assert_eq!((r.u8(), r.piece()), (0, &b""[..]));
    }

    #[test]
    fn a_chunked_answer_reads_whole_from_the_wire() {
        let mut wire = Wire {
            input: io::Cursor::new(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n"
                    .to_vec(),
            ),
            step: 3,
        };
        let r = http::exchange(&mut wire, Method::GET, "/", None, "lxd").expect("answer");
        assert_eq!((r.status, r.body), (200, b"[]".to_vec()));
    }

    #[test]
    fn lifecycle_frames_are_news_pings_are_not_and_the_end_is_a_fault() {
        let wire = Wire {
            input: io::Cursor::new(b"\x81\x05hello\x89\x00".to_vec()),
            step: 1,
        };
        let mut ws = tungstenite::WebSocket::from_raw_socket(
            Box::new(wire) as Box<dyn Conn>,
            tungstenite::protocol::Role::Client,
            None,
        );
        assert_eq!(lxd::event_news(ws.read(), "lxd"), Ok(true));
        assert_eq!(lxd::event_news(ws.read(), "lxd"), Ok(false));
        assert!(lxd::event_news(ws.read(), "lxd").is_err());
    }
}
