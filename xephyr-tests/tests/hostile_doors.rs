//! Hostile input at every door but X (the chaos client covers X): the IPC socket (its
//! permissions, malformed and oversized requests, wrong types, lines that are not UTF-8)
//! and Lua (runaway, failing and greedy code in eval, hooks, keys and timers). Each gets a
//! clear answer or a log line, and the session goes on.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use serde_json::{json, Value};
use xephyr_tests::chaos::ipc::Ipc;
use xephyr_tests::Session;

fn connect(session: &Session) -> UnixStream {
    let s = UnixStream::connect(session.socket_path())
        .unwrap_or_else(|e| session.fail(&format!("connect: {e}")));
    let timeout = Some(Duration::from_secs(10));
    s.set_read_timeout(timeout).expect("timeout");
    s.set_write_timeout(timeout).expect("timeout");
    s
}

fn read_line(s: &UnixStream) -> Value {
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).expect("an answer");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("answer {line:?} is not JSON: {e}"))
}

#[test]
fn the_socket_is_private_to_the_user() {
    let session = Session::start_default();
    let socket = session.socket_path();
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&socket), 0o600, "the socket");
    assert_eq!(
        mode(socket.parent().expect("a directory")),
        0o700,
        "its directory"
    );
}

/// A user who is not the session's, even one who can reach the socket (here it is opened
/// to all by hand, as a careless script might), is refused by the peer-uid check. The
/// unprivileged client is the real `oxtile cmd` run as `nobody`; it reaches the socket
/// (and its own binary) through inherited descriptors, since the test's temporary
/// directories are private. The tests run as root (scripts/test needs root).
#[test]
fn a_peer_of_another_uid_is_refused_even_when_it_can_reach_the_socket() {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    use std::process::Command;
    assert!(
        rustix::process::getuid().is_root(),
        "this test switches to another user: run it as root (scripts/test does)"
    );
    let session = Session::start_default();
    let socket = session.socket_path();
    let set_mode = |p: &std::path::Path, mode| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("chmod {}: {e}", p.display()))
    };
    set_mode(&session.runtime_dir(), 0o711);
    set_mode(socket.parent().expect("the socket's directory"), 0o711);
    set_mode(&socket, 0o666);
    // Read-only, not O_PATH: an O_PATH descriptor's /proc link has no permissions.
    let runtime = rustix::fs::open(
        session.runtime_dir(),
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
        rustix::fs::Mode::empty(),
    )
    .expect("open the runtime directory");
    // The binary too may sit below a private directory (a checkout in /tmp).
    let binary = rustix::fs::open(
        xephyr_tests::oxtile_bin(),
        rustix::fs::OFlags::RDONLY,
        rustix::fs::Mode::empty(),
    )
    .expect("open the oxtile binary");
    let sync_as = |uid: Option<u32>| {
        let mut cmd = Command::new(format!("/proc/self/fd/{}", binary.as_raw_fd()));
        cmd.args(["cmd", "sync"])
            .env(
                "XDG_RUNTIME_DIR",
                format!("/proc/self/fd/{}", runtime.as_raw_fd()),
            )
            .env("DISPLAY", session.display());
        if let Some(uid) = uid {
            cmd.uid(uid).gid(uid);
        }
        let out = cmd.output().expect("run oxtile cmd");
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    };
    let (code, text) = sync_as(Some(65534));
    assert_eq!(code, Some(1), "nobody: {text}");
    assert!(
        text.contains("refused: this oxtile answers only the user who runs it"),
        "nobody was not refused by oxtile itself: {text}"
    );
    // The same way in works for the session's own user (last: `oxtile cmd` makes the
    // socket's directory private again).
    let (code, text) = sync_as(None);
    assert_eq!(code, Some(0), "root through the descriptor: {text}");
    session.wait_for(
        |s| s.log().contains("IPC connection from uid 65534 refused"),
        "the refusal is logged",
    );
    session.sync();
}

#[test]
fn an_idle_connection_is_closed_with_a_message_after_the_idle_timeout() {
    let session = Session::builder()
        .env("OXTILE_IPC_IDLE_TIMEOUT", "0.3")
        .start();
    let idle = connect(&session);
    let answer = read_line(&idle);
    assert_eq!(answer["ok"], false, "{answer}");
    assert_eq!(answer["error"], "idle for 300ms; closing", "{answer}");
    let mut rest = Vec::new();
    let n = (&idle).read_to_end(&mut rest).expect("read to the end");
    assert_eq!(n, 0, "the connection is closed after the message");
    session.sync();
}

/// Found by the chaos client: a line that was not UTF-8 got an error and the connection
/// was closed, unlike a line that was not JSON.
#[test]
fn a_line_that_is_not_utf8_is_one_bad_request_and_the_connection_goes_on() {
    let session = Session::start_default();
    let mut s = connect(&session);
    s.write_all(b"\xff\xfe\x80 not text\n").expect("write");
    let answer = read_line(&s);
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap_or_default()
            .contains("UTF-8"),
        "{answer}"
    );
    s.write_all(b"{\"cmd\":\"layout\"}\n").expect("write");
    assert_eq!(read_line(&s)["ok"], true, "the next request is served");
}

#[test]
fn malformed_requests_get_an_error_that_says_what_is_wrong() {
    let session = Session::start_default();
    let mut ipc = Ipc::new(session.socket_path());
    let cases: [(&[u8], &str); 8] = [
        (b"{\"cmd\": 5}", "bad request"),
        (b"{\"cmd\": \"frobnicate\"}", "unknown variant"),
        (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"to_group\", \"group\": 7}}",
            "invalid type",
        ),
        (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"focus_window\", \"window\": -1}}",
            "invalid value",
        ),
        (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"focus_window\", \"window\": 1}}",
            "no such window",
        ),
        (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"set_layout\", \"name\": \"bsp?\"}}",
            "has no layout",
        ),
        (b"{\"cmd\": \"action\"}", "missing field"),
        (b"[[[[[[[[[[", "bad request"),
    ];
    for (line, says) in cases {
        let answer = ipc
            .exchange(line)
            .unwrap_or_else(|e| session.fail(&e))
            .unwrap_or_else(|| session.fail("oxtile hung up"));
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(
            answer["ok"] == false && error.contains(says),
            "{}: {answer}",
            String::from_utf8_lossy(line)
        );
    }
    // JSON nested deeper than the parser goes.
    let deep = "[".repeat(1_000_000);
    let answer = ipc
        .exchange(deep.as_bytes())
        .unwrap_or_else(|e| session.fail(&e));
    assert!(answer.is_some_and(|a| a["ok"] == false));
    session.sync();
}

#[test]
fn a_10_mb_line_is_refused_and_oxtile_keeps_answering() {
    let session = Session::start_default();
    let mut s = connect(&session);
    // oxtile stops reading after 1 MiB: the rest of the write may fail, that is fine.
    let big = vec![b'x'; 10 << 20];
    let _ = s.write_all(&big);
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.contains("request too long"), "answer: {answer:.200}");
    session.sync();
}

/// Every piece of hostile Lua the chaos client evaluates, and what its answer must say.
#[test]
fn hostile_lua_in_eval_is_answered_and_stopped() {
    let session = Session::start_default();
    let mut ipc = Ipc::new(session.socket_path());
    let cases: [(&str, bool, &str); 12] = [
        ("while true do end", false, "lua_instruction_limit"),
        (
            "local function f(n) return f(n + 1) + 1 end return f(1)",
            false,
            "stack overflow",
        ),
        ("error({})", false, "eval:1: error object is a table value"),
        ("error(nil)", false, "eval:1: error object is a nil value"),
        (
            "error(setmetatable({}, {__tostring = function() error('x') end}))",
            false,
            "eval:1: error object is a table value",
        ),
        (
            "return string.rep('x', 1 << 30)",
            false,
            "not enough memory",
        ),
        (
            "return coroutine.wrap(function() while true do end end)()",
            false,
            "lua_instruction_limit",
        ),
        (
            "while true do pcall(function() while true do end end) end",
            false,
            "lua_instruction_limit",
        ),
        ("return os.exit(1)", false, "os.exit"),
        ("return string.dump(print)", false, "dump"),
        ("local t = {} t.t = t return t", true, "table"),
        ("return #string.rep('x', 1 << 20)", true, "1048576"),
    ];
    for (code, ok, says) in cases {
        let answer = ipc
            .request(&json!({"cmd": "eval", "code": code}))
            .unwrap_or_else(|e| session.fail(&format!("eval {code:?}: {e}")));
        let text = if ok {
            answer["result"].as_str().unwrap_or_default()
        } else {
            answer["error"].as_str().unwrap_or_default()
        };
        assert!(
            answer["ok"] == ok && text.contains(says),
            "eval {code:?}: {answer}"
        );
    }
    // A megabyte comes back whole.
    let answer = ipc
        .request(&json!({"cmd": "eval", "code": "return string.rep('y', 1 << 20)"}))
        .unwrap_or_else(|e| session.fail(&e));
    assert_eq!(answer["result"].as_str().map(str::len), Some(1 << 20));
    session.sync();
}

/// A config whose hooks, key callbacks and timers fail or run away: windows are still
/// managed, and each failure is logged with its place.
const HOSTILE_HOOKS: &str = r#"oxtile.groups{ "1", "2", "3" }
oxtile.settings{ border_width = 0, margin = 0, focus_follows_mouse = false, lua_instruction_limit = 100000 }
oxtile.hook("client_new", function(c) while true do end end)
oxtile.hook("client_focus", function(c) error({ window = c.id }) end)
oxtile.hook("client_killed", function(c) local function f() return 1 + f() end f() end)
oxtile.hook("group_change", function() return string.rep("x", 1 << 20) end)
oxtile.timer{ timeout = 0.01, ["repeat"] = true, callback = function() error("the timer fails") end }
oxtile.key({"mod4"}, "l", function() while true do end end)
"#;

#[test]
fn failing_and_runaway_hooks_timers_and_keys_are_stopped_and_logged() {
    let session = Session::start(HOSTILE_HOOKS);
    assert!(session.errors().is_empty(), "{:?}", session.errors());
    let client = session.client();
    let a = client.window().title("a").map();
    let b = client.window().title("b").map();
    session.wait_for_managed(&[a, b], "both windows managed despite the hooks");
    client.key(&["mod4"], "l");
    session.cmd(&["to-group", "2"]).expect("to-group");
    client.destroy(a);
    session.wait_for_managed(&[b], "a window closes despite the hooks");
    session.wait_for_report(
        |s| {
            let log = s.log();
            // Each message names the hook (or timer, or callback), then FILE:LINE.
            let want = [
                "/config.lua:3: stopped after 100000 Lua instructions",
                "/config.lua:4: error object is a table value",
                "/config.lua:5: stopped after 100000 Lua instructions",
                "/config.lua:7: the timer fails",
                "/config.lua:8: stopped after 100000 Lua instructions",
                "hook client_new failed",
                "hook client_focus failed",
                "hook client_killed failed",
                "timer 1 failed",
            ];
            let missing: Vec<&str> = want.into_iter().filter(|w| !log.contains(w)).collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!("not in the log: {missing:#?}"))
            }
        },
        "every failure logged with its place",
    );
}
