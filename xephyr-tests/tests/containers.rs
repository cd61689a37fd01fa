//! The container widget against real runtimes (LXC, LXD, rootful podman, brought up by
//! xephyr-tests/containers/setup): its state over `oxtile cmd widgets --json` equals what
//! each daemon's own CLI reports, follows changes made with that CLI within a second, runs
//! the `container_change` hook, and drives real containers from its popup (XTEST clicks).
//! Daemon faults: a podman service stopped and restarted, a fake socket answering garbage
//! or nothing. Needs root, as the runtimes do; the setup script fails loudly otherwise.

use std::collections::BTreeMap;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use xephyr_tests::wait::{run_with_deadline, stop_child, Backoff, Deadline};
use xephyr_tests::Session;

/// How soon the widget must show a change made with a runtime's CLI.
const CHANGE_DEADLINE: Duration = Duration::from_secs(1);
/// How long a runtime command may take (a clean stop of a busybox container takes ~2 s).
const CLI_TIMEOUT: Duration = Duration::from_secs(60);

// One test at a time per runtime: they change the same containers.
static LXC: Mutex<()> = Mutex::new(());
static LXD: Mutex<()> = Mutex::new(());
static PODMAN: Mutex<()> = Mutex::new(());

fn lock(m: &'static Mutex<()>) -> MutexGuard<'static, ()> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Run a command; its stdout. Fails the test with its stderr when it fails.
fn sh(args: &[&str]) -> String {
    let mut cmd = Command::new(args[0]);
    cmd.args(&args[1..]);
    let out =
        run_with_deadline(cmd, CLI_TIMEOUT).unwrap_or_else(|e| panic!("`{}`: {e}", args.join(" ")));
    assert!(
        out.status.success(),
        "`{}` failed ({}): {}{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Put a runtime's oxt-* containers back in their starting states (running, frozen,
/// stopped), starting its daemon if needed.
fn baseline(runtime: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("containers/setup");
    sh(&[&script.to_string_lossy(), "up", runtime]);
}

/// A test config with the containers widget (named "ct") over `backends` (Lua), and a
/// hook that records every `container_change` in the global `changes`.
fn config(backends: &str, extra: &str) -> String {
    format!(
        r#"oxtile.groups{{ "1", "2", "3" }}
oxtile.settings{{ border_width = 0, margin = 0, focus_follows_mouse = false }}
changes = {{}}
oxtile.hook("container_change", function(backend, name, old, new)
  changes[#changes + 1] = backend .. " " .. name .. " " .. tostring(old) .. " " .. tostring(new)
end)
oxtile.bar{{ position = "top", size = 24, widgets = {{
  oxtile.widget.containers{{ name = "ct", backends = {{ {backends} }}, interval = 2 {extra} }} }} }}
"#
    )
}

/// The widget's entry in `oxtile cmd widgets --json`.
fn widget(session: &Session) -> Value {
    let bars = session.cmd_json(&["widgets"]);
    bars[0]["widgets"]
        .as_array()
        .and_then(|ws| ws.iter().find(|w| w["name"] == "ct").cloned())
        .unwrap_or(Value::Null)
}

/// The popup as `oxtile cmd widgets --json` shows it.
fn popup(session: &Session) -> Value {
    session.cmd_json(&["widgets"])[0]["popup"].clone()
}

/// name → state of the widget's oxt-* containers of `backend`.
fn shown(session: &Session, backend: &str) -> BTreeMap<String, String> {
    widget(session)["state"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["backend"] == backend)
        .filter_map(|c| {
            Some((
                c["name"].as_str()?.to_string(),
                c["state"].as_str()?.to_string(),
            ))
        })
        .filter(|(n, _)| n.starts_with("oxt-"))
        .collect()
}

/// What the runtime's own CLI says: name → state in the widget's words.
fn truth(runtime: &str) -> BTreeMap<String, String> {
    let word = |s: &str| {
        match s.to_ascii_lowercase().as_str() {
            "running" => "running",
            "frozen" | "paused" => "frozen",
            "stopped" | "exited" | "created" => "stopped",
            other => panic!("{runtime} reports a state the test does not expect: {other}"),
        }
        .to_string()
    };
    let pairs: Vec<(String, String)> = match runtime {
        "lxc" => sh(&["lxc-ls", "-f", "-F", "NAME,STATE"])
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                Some((w.next()?.to_string(), w.next()?.to_string()))
            })
            .collect(),
        "lxd" => {
            let v: Value = serde_json::from_str(&sh(&["lxc", "list", "--format", "json"]))
                .expect("lxc list JSON");
            v.as_array()
                .into_iter()
                .flatten()
                .map(|i| {
                    (
                        i["name"].as_str().unwrap_or_default().into(),
                        i["status"].as_str().unwrap_or_default().into(),
                    )
                })
                .collect()
        }
        "podman" => {
            let v: Value = serde_json::from_str(&sh(&["podman", "ps", "-a", "--format", "json"]))
                .expect("podman ps JSON");
            v.as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    (
                        c["Names"][0].as_str().unwrap_or_default().into(),
                        c["State"].as_str().unwrap_or_default().into(),
                    )
                })
                .collect()
        }
        other => panic!("no runtime {other}"),
    };
    pairs
        .into_iter()
        .filter(|(n, _)| n.starts_with("oxt-"))
        .map(|(n, s)| (n, word(&s)))
        .collect()
}

/// Wait until `cond` holds, at most `limit`; how long it took. Fails naming `what`.
fn within(
    session: &Session,
    limit: Duration,
    what: &str,
    mut cond: impl FnMut(&Session) -> Result<(), String>,
) -> Duration {
    let start = Instant::now();
    let deadline = Deadline::after(limit);
    let mut backoff = Backoff::default();
    loop {
        let last = match cond(session) {
            Ok(()) => return start.elapsed(),
            Err(e) => e,
        };
        if deadline.expired() {
            session.fail(&format!("not within {limit:?}: {what}\n{last}"));
        }
        backoff.pause(&deadline);
    }
}

fn same(session: &Session, backend: &str, runtime: &str) -> Result<(), String> {
    let (got, want) = (shown(session, backend), truth(runtime));
    if got == want {
        Ok(())
    } else {
        Err(format!("widget shows {got:?}\n{runtime} says {want:?}"))
    }
}

/// Run a CLI change, then wait for the widget to show `name` in `state` and to agree
/// with the runtime on everything; the latency.
fn change(
    session: &Session,
    backend: &str,
    runtime: &str,
    cli: &[&str],
    name: &str,
    state: &str,
) -> Duration {
    sh(cli);
    let took = within(
        session,
        CHANGE_DEADLINE,
        &format!("`{}` shown as {name} {state}", cli.join(" ")),
        |s| {
            let got = shown(s, backend);
            if got.get(name).map(String::as_str) != Some(state) {
                return Err(format!("widget shows {got:?}"));
            }
            same(s, backend, runtime)
        },
    );
    eprintln!("{runtime}: `{}` shown after {took:?}", cli.join(" "));
    took
}

fn hook_calls(session: &Session) -> Vec<String> {
    let out = session
        .cmd(&["eval", "return table.concat(changes, ';')"])
        .unwrap_or_else(|e| session.fail(&e.to_string()));
    out.trim()
        .split(';')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The widget follows `runtime` through freeze, thaw, start and stop made with its CLI,
/// and the hook hears each change.
fn follows_the_cli(runtime: &str, backend_lua: &str, steps: &[(&[&str], &str, &str)]) {
    baseline(runtime);
    let session = Session::start(&config(backend_lua, ""));
    let label = runtime;
    session.wait_for_report(
        |s| same(s, label, runtime),
        "the widget lists what the runtime has",
    );
    assert_eq!(widget(&session)["state"]["backends"][0]["status"], "ok");
    let text = widget(&session)["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        text.contains('▶') && text.contains("❚❚") && text.contains('■'),
        "{text}"
    );
    // Each change leaves the hook a chain "old -> … -> new" for its container (a runtime
    // may pass through "starting" or "stopping" on the way).
    let mut expected = Vec::new();
    for (cli, name, state) in steps {
        let before = shown(&session, label)
            .get(*name)
            .cloned()
            .unwrap_or_default();
        let from = hook_calls(&session).len();
        change(&session, label, runtime, cli, name, state);
        expected.push((
            from,
            format!("{label} {name} {before} "),
            format!("{label} {name} "),
            format!(" {state}"),
        ));
    }
    session.wait_for_report(
        |s| {
            let calls = hook_calls(s);
            for (from, first, prefix, last) in &expected {
                let mine: Vec<&String> = calls
                    .iter()
                    .skip(*from)
                    .filter(|c| c.starts_with(prefix))
                    .collect();
                let chained = mine.first().is_some_and(|c| c.starts_with(first))
                    && mine.iter().any(|c| c.ends_with(last.as_str()));
                if !chained {
                    return Err(format!("hook calls {calls:?}, want {first}… …{last}"));
                }
            }
            Ok(())
        },
        "container_change ran for every change",
    );
    baseline(runtime);
}

#[test]
fn lxc_containers_are_shown_as_lxc_reports_them_and_follow_its_cli() {
    let _lock = lock(&LXC);
    follows_the_cli(
        "lxc",
        r#""lxc""#,
        &[
            (
                &["lxc-freeze", "-n", "oxt-lxc-run"],
                "oxt-lxc-run",
                "frozen",
            ),
            (
                &["lxc-unfreeze", "-n", "oxt-lxc-run"],
                "oxt-lxc-run",
                "running",
            ),
            (
                &["lxc-start", "-n", "oxt-lxc-stop"],
                "oxt-lxc-stop",
                "running",
            ),
            (
                &["lxc-stop", "-k", "-n", "oxt-lxc-stop"],
                "oxt-lxc-stop",
                "stopped",
            ),
        ],
    );
}

#[test]
fn lxd_instances_are_shown_as_lxd_reports_them_and_follow_its_cli() {
    let _lock = lock(&LXD);
    follows_the_cli(
        "lxd",
        r#""lxd""#,
        &[
            (&["lxc", "pause", "oxt-lxd-run"], "oxt-lxd-run", "frozen"),
            (&["lxc", "start", "oxt-lxd-run"], "oxt-lxd-run", "running"),
            (&["lxc", "start", "oxt-lxd-stop"], "oxt-lxd-stop", "running"),
            // A clean stop: LXD sends only instance-shutdown.
            (&["lxc", "stop", "oxt-lxd-stop"], "oxt-lxd-stop", "stopped"),
        ],
    );
}

#[test]
fn podman_containers_are_shown_as_podman_reports_them_and_follow_its_cli() {
    let _lock = lock(&PODMAN);
    follows_the_cli(
        "podman",
        r#"{ kind = "podman", socket = "/run/podman/podman.sock" }"#,
        &[
            (&["podman", "pause", "oxt-pod-run"], "oxt-pod-run", "frozen"),
            (
                &["podman", "unpause", "oxt-pod-run"],
                "oxt-pod-run",
                "running",
            ),
            (
                &["podman", "start", "oxt-pod-stop"],
                "oxt-pod-stop",
                "running",
            ),
            (
                &["podman", "stop", "-t", "0", "oxt-pod-stop"],
                "oxt-pod-stop",
                "stopped",
            ),
        ],
    );
}

/// Click the widget on the bar; the popup's lines.
fn open_list(session: &Session) -> Vec<String> {
    let w = widget(session);
    let x = w["offset"].as_i64().unwrap_or(0) + w["length"].as_i64().unwrap_or(2) / 2;
    session.client().click(x as i32, 12, 1);
    session.wait_for_value(
        |s| popup_lines(s).filter(|l| !l.is_empty()),
        "the popup opens",
    )
}

fn popup_lines(session: &Session) -> Option<Vec<String>> {
    let p = popup(session);
    p["lines"].as_array().map(|ls| {
        ls.iter()
            .filter_map(|l| l.as_str().map(String::from))
            .collect()
    })
}

/// Click line `line` of the open popup.
fn choose(session: &Session, line: usize) {
    let p = popup(session);
    let n = p["lines"].as_array().map_or(1, Vec::len).max(1) as i64;
    let (x, y, h) = (
        p["x"].as_i64().unwrap_or(0),
        p["y"].as_i64().unwrap_or(0),
        p["height"].as_i64().unwrap_or(0),
    );
    let line_h = h / n;
    session.client().click(
        (x + 10) as i32,
        (y + line_h * line as i64 + line_h / 2) as i32,
        1,
    );
}

/// From the bar: open the list, pick `name`, pick `action`; wait for the result line.
fn act_from_popup(session: &Session, name: &str, action: &str) -> String {
    let lines = open_list(session);
    let i = lines
        .iter()
        .position(|l| l.split_whitespace().nth(1) == Some(name))
        .unwrap_or_else(|| session.fail(&format!("{name} not in the popup: {lines:?}")));
    choose(session, i);
    let want = format!("{action} {name}");
    let actions = session.wait_for_value(
        |s| popup_lines(s).filter(|l| l.iter().any(|x| x.trim() == want)),
        &format!("the popup offers '{want}'"),
    );
    let j = actions.iter().position(|l| l.trim() == want).unwrap_or(0);
    choose(session, j);
    let result = session.wait_for_value(
        |s| {
            popup_lines(s)
                .and_then(|l| l.first().cloned())
                .filter(|l| l.contains(&format!("{name}: {action}")) && !l.ends_with('…'))
        },
        "the action's result in the popup",
    );
    assert!(result.ends_with(": done"), "{result}");
    // Close it (a click on the result line).
    choose(session, 0);
    session.wait_for(|s| popup(s).is_null(), "the popup closes");
    result
}

fn popup_actions_drive(runtime: &str, backend_lua: &str, steps: &[(&str, &str, &str)]) {
    baseline(runtime);
    let session = Session::start(&config(backend_lua, ""));
    session.wait_for_report(
        |s| same(s, runtime, runtime),
        "the widget lists what the runtime has",
    );
    for (name, action, state) in steps {
        act_from_popup(&session, name, action);
        session.wait_for_report(
            |_| match truth(runtime).get(*name) {
                Some(s) if s == state => Ok(()),
                other => Err(format!("{runtime} says {name} is {other:?}")),
            },
            &format!("{runtime} reports {name} {state} after '{action}' from the popup"),
        );
        session.wait_for_report(|s| same(s, runtime, runtime), "the widget agrees");
    }
    baseline(runtime);
}

#[test]
fn lxc_actions_from_the_popup_start_and_thaw_real_containers() {
    let _lock = lock(&LXC);
    popup_actions_drive(
        "lxc",
        r#""lxc""#,
        &[
            ("oxt-lxc-stop", "start", "running"),
            ("oxt-lxc-frz", "unfreeze", "running"),
        ],
    );
}

#[test]
fn lxd_actions_from_the_popup_start_freeze_and_stop_a_real_instance() {
    let _lock = lock(&LXD);
    popup_actions_drive(
        "lxd",
        r#""lxd""#,
        &[
            ("oxt-lxd-stop", "start", "running"),
            ("oxt-lxd-run", "freeze", "frozen"),
            ("oxt-lxd-stop", "stop", "stopped"),
        ],
    );
}

#[test]
fn podman_actions_from_the_popup_freeze_unfreeze_and_start_a_real_container() {
    let _lock = lock(&PODMAN);
    popup_actions_drive(
        "podman",
        r#"{ kind = "podman", socket = "/run/podman/podman.sock" }"#,
        &[
            ("oxt-pod-run", "freeze", "frozen"),
            ("oxt-pod-frz", "unfreeze", "running"),
            ("oxt-pod-stop", "start", "running"),
        ],
    );
}

/// A private `podman system service` on its own socket, stopped when dropped.
struct PodmanService {
    child: Option<Child>,
    socket: PathBuf,
}

impl PodmanService {
    fn start(socket: &Path) -> PodmanService {
        let child = Command::new("podman")
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("podman system service");
        PodmanService {
            child: Some(child),
            socket: socket.to_path_buf(),
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            stop_child(&mut c, Duration::from_secs(5));
        }
    }
}

impl Drop for PodmanService {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(&self.socket);
    }
}

#[test]
fn a_stopped_daemon_is_not_running_and_its_restart_is_picked_up() {
    let _lock = lock(&PODMAN);
    baseline("podman");
    let dir = tempfile::tempdir().expect("tempdir");
    let socket = dir.path().join("podman.sock");
    let mut service = PodmanService::start(&socket);
    let lua = format!(
        r#"{{ kind = "podman", name = "mine", socket = "{}" }}"#,
        socket.display()
    );
    let session = Session::start(&config(&lua, ""));
    session.wait_for_report(
        |s| same(s, "mine", "podman"),
        "the private service's containers",
    );

    service.stop();
    session.wait_for(
        |s| {
            let w = widget(s);
            w["state"]["backends"][0]["status"] == "not running"
                && w["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("mine: not running"))
                && w["state"]["containers"] == Value::Array(Vec::new())
        },
        "the widget says the daemon is not running",
    );
    let down = Instant::now();
    let _service = PodmanService::start(&socket);
    session.wait_for_report(
        |s| same(s, "mine", "podman"),
        "the widget recovers after the restart",
    );
    eprintln!(
        "podman: recovered {:?} after the service restarted",
        down.elapsed()
    );
    assert_eq!(widget(&session)["state"]["backends"][0]["status"], "ok");
    assert!(
        session.log().matches("mine: not running").count() <= 2,
        "one warning for the outage, not one per retry:\n{}",
        session.log()
    );
}

/// What the fake daemon answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Good,
    Garbage,
    Silent,
}

/// A fake daemon on a Unix socket: podman-style answers, garbage, or silence.
fn fake_daemon(socket: &Path, mode: Arc<Mutex<Mode>>) {
    let listener = UnixListener::bind(socket).expect("bind the fake socket");
    std::thread::spawn(move || {
        use std::io::{BufRead, BufReader, Write};
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let mode = *mode.lock().unwrap_or_else(|p| p.into_inner());
            std::thread::spawn(move || {
                let mut r = BufReader::new(conn);
                let mut first = String::new();
                let _ = r.read_line(&mut first);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let mut conn = r.into_inner();
                if first.contains("/events") {
                    let _ = conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
                let body: &[u8] = match mode {
                    Mode::Good => br#"[{"Id":"0123456789abcdef","Names":["/fake-one"],"State":"running","NetworkSettings":{"Networks":{"n":{"IPAddress":"10.9.8.7"}}}}]"#,
                    Mode::Garbage => b"[{\"Id\": \"x\", \"Names\": [\"/fake-one\"], \"State\": ",
                    Mode::Silent => {
                        // Hold the connection open without a word until the client gives up.
                        let mut sink = [0u8; 64];
                        let _ = std::io::Read::read(&mut conn, &mut sink);
                        return;
                    }
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes());
                let _ = conn.write_all(body);
            });
        }
    });
}

#[test]
fn garbage_and_silence_from_a_fake_daemon_are_states_and_oxtile_lives_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let socket = dir.path().join("fake.sock");
    let mode = Arc::new(Mutex::new(Mode::Good));
    fake_daemon(&socket, mode.clone());
    let set = |m: Mode| *mode.lock().unwrap_or_else(|p| p.into_inner()) = m;
    let lua = format!(
        r#"{{ kind = "docker", name = "fake", socket = "{}" }}"#,
        socket.display()
    );
    let session = Session::start(&config(&lua, ", interval = 0.2, timeout = 0.5"));
    let state = |s: &Session| widget(s)["state"].clone();
    session.wait_for(
        |s| state(s)["containers"][0]["name"] == "fake-one",
        "the fake container is listed",
    );
    assert_eq!(state(&session)["containers"][0]["address"], "10.9.8.7");

    set(Mode::Garbage);
    session.wait_for(
        |s| state(s)["backends"][0]["status"] == "bad answer",
        "malformed JSON is a 'bad answer' state",
    );
    assert_eq!(
        state(&session)["containers"][0]["name"],
        "fake-one",
        "the last good list is kept"
    );
    assert!(widget(&session)["text"]
        .as_str()
        .is_some_and(|t| t.contains("fake: bad answer")));

    set(Mode::Silent);
    session.wait_for(
        |s| state(s)["backends"][0]["status"] == "timeout",
        "a silent daemon times out",
    );
    // The bar never waits on it: IPC answers at once while the worker is stuck.
    let t = Instant::now();
    session.sync();
    assert!(
        t.elapsed() < Duration::from_millis(400),
        "sync took {:?}",
        t.elapsed()
    );

    set(Mode::Good);
    session.wait_for(
        |s| state(s)["backends"][0]["status"] == "ok",
        "the daemon answers again",
    );
    assert!(session.wm_status().is_none(), "oxtile still runs");
}

#[test]
fn a_missing_socket_is_not_running_from_the_start() {
    let lua = r#"{ kind = "lxd", name = "nolxd", socket = "/nonexistent/unix.socket" }, { kind = "podman", name = "nopod", socket = "/nonexistent/podman.sock" }"#;
    let session = Session::start(&config(lua, ""));
    session.wait_for(
        |s| {
            let t = widget(s)["text"].as_str().unwrap_or_default().to_string();
            t.contains("nolxd: not running") && t.contains("nopod: not running")
        },
        "both backends say not running",
    );
    let lines = open_list(&session);
    assert_eq!(lines, ["nolxd: not running", "nopod: not running"]);
}

/// The local LXD daemon as a remote over HTTPS (127.0.0.1:8443), with the test client
/// certificate the setup script made LXD trust and the server's certificate pinned.
fn remote_lua(name: &str, server_cert: &str) -> String {
    format!(
        r#"{{ kind = "lxd", name = "{name}", url = "https://127.0.0.1:8443",
             cert = "/var/lib/oxtile-tests/lxd-client.crt", key = "/var/lib/oxtile-tests/lxd-client.key",
             server_cert = "{server_cert}" }}"#
    )
}

#[test]
fn a_remote_lxd_over_https_with_a_client_certificate_is_listed_and_followed() {
    let _lock = lock(&LXD);
    baseline("lxd");
    let lua = remote_lua("lab", "/var/lib/lxd/server.crt")
        + ", "
        + &remote_lua("impostor", "/var/lib/oxtile-tests/lxd-client.crt");
    let session = Session::start(&config(&lua, ""));
    session.wait_for_report(|s| same(s, "lab", "lxd"), "the remote's instances");
    change(
        &session,
        "lab",
        "lxd",
        &["lxc", "pause", "oxt-lxd-run"],
        "oxt-lxd-run",
        "frozen",
    );
    change(
        &session,
        "lab",
        "lxd",
        &["lxc", "start", "oxt-lxd-run"],
        "oxt-lxd-run",
        "running",
    );
    session.wait_for(
        |s| {
            let b = &widget(s)["state"]["backends"][1];
            b["status"] == "error" && b["message"].as_str().is_some_and(|m| m.contains("pinned"))
        },
        "a server whose certificate is not the pinned one is refused",
    );
    assert!(shown(&session, "impostor").is_empty());
    baseline("lxd");
}
