//! Leak checks: oxtile's memory, file descriptors, threads, X resources and child processes
//! stay flat across thousands of windows, hostile IPC clients, reloads, restarts and
//! spawned programs. Bounds are generous (allocators keep pools); what is measured
//! precisely is in docs/reliability.md.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use serde_json::{json, Value};
use xephyr_tests::chaos::ipc::Ipc;
use xephyr_tests::resources::{children, fd_targets, usage, x_resources, Usage};
use xephyr_tests::{Session, TestClient};

/// Growth of oxtile's resident memory allowed over a whole measured phase, after a warm-up.
const RSS_BOUND_KIB: u64 = 6 * 1024;

fn usage_of(session: &Session) -> Usage {
    usage(session.wm_pid()).unwrap_or_else(|| session.fail("oxtile's /proc entry is gone"))
}

/// Wait until oxtile holds exactly the file descriptors and threads of `base` (threads of
/// IPC connections end a moment after their client hangs up); the usage then.
fn settle(session: &Session, base: Usage, what: &str) -> Usage {
    session.wait_for_report(
        |s| {
            let now = usage_of(s);
            if now.fds == base.fds && now.threads == base.threads {
                Ok(now)
            } else {
                Err(format!(
                    "now {} fds and {} threads, before {} and {}; fds:\n  {}",
                    now.fds,
                    now.threads,
                    base.fds,
                    base.threads,
                    fd_targets(s.wm_pid()).join("\n  ")
                ))
            }
        },
        what,
    )
}

/// oxtile's baseline once idle: after a sync, when the sync's own connection has closed.
fn idle_usage(session: &Session) -> Usage {
    session.sync();
    let mut last = usage_of(session);
    session.wait_for(
        |s| {
            let now = usage_of(s);
            let same = now.fds == last.fds && now.threads == last.threads;
            last = now;
            same
        },
        "oxtile's fds and threads settle",
    );
    last
}

fn assert_rss_bounded(before: Usage, after: Usage, what: &str) {
    let growth = after.rss_kib.saturating_sub(before.rss_kib);
    eprintln!(
        "{what}: RSS {} KiB -> {} KiB (+{growth} KiB), {} fds, {} threads",
        before.rss_kib, after.rss_kib, after.fds, after.threads
    );
    assert!(
        growth <= RSS_BOUND_KIB,
        "{what}: oxtile's RSS grew by {growth} KiB ({} -> {} KiB), more than {RSS_BOUND_KIB} KiB",
        before.rss_kib,
        after.rss_kib
    );
}

/// Create and map `n` windows with kilobyte titles in bursts of 50, each burst destroyed
/// once oxtile manages it.
fn churn_windows(session: &Session, client: &TestClient, n: usize) {
    let title = "a title of a kilobyte ".repeat(48);
    for _ in 0..n / 50 {
        let wins: Vec<u32> = (0..50)
            .map(|i| client.window().title(&format!("{i} {title}")).map_no_wait())
            .collect();
        client.round_trip();
        session.sync();
        for w in wins {
            client.destroy_no_wait(w);
        }
        client.round_trip();
        session.sync();
    }
    session.wait_for_managed(&[], "every churned window is gone");
}

#[test]
fn memory_fds_threads_and_x_resources_stay_flat_across_10000_windows() {
    let session = Session::start_default();
    let client = session.client();
    let check = client
        .supporting_wm_check()
        .unwrap_or_else(|| session.fail("no check window"));
    churn_windows(&session, &client, 1000);
    let before = idle_usage(&session);
    let x_before = x_resources(client.conn(), check).unwrap_or_else(|e| session.fail(&e));

    churn_windows(&session, &client, 10_000);
    let after = settle(&session, before, "fds and threads back after the churn");
    let x_after = x_resources(client.conn(), check).unwrap_or_else(|e| session.fail(&e));
    assert_rss_bounded(before, after, "10000 windows");
    assert_eq!(x_after, x_before, "X resources oxtile owns");
}

/// A title of `n` characters mixing scripts, so that each redraw shapes new text (and
/// Pango falls back to other fonts for some of it).
fn varied_title(i: usize) -> String {
    const PIECES: [&str; 6] = ["w", "Window ", "Ωμέγα ", "窗口", "🙂", "\u{202e}rtl "];
    let n = 1 + (i * 37) % 120;
    (0..n).map(|k| PIECES[(i + k) % PIECES.len()]).collect()
}

#[test]
fn memory_and_x_resources_stay_flat_across_1000_bar_redraws_of_changing_widths() {
    let session = Session::start(
        r#"oxtile.groups{ "1", "2", "3" }
oxtile.layouts{ oxtile.layout.monadtall(), oxtile.layout.max(), oxtile.layout.columns() }
oxtile.bar{ position = "top", size = 24, widgets = {
  oxtile.widget.groupbox{}, oxtile.widget.currentlayout{},
  oxtile.widget.windowname{ name = "title" }, oxtile.widget.clock{ format = "%H:%M" } } }
"#,
    );
    let client = session.client();
    let check = client
        .supporting_wm_check()
        .unwrap_or_else(|| session.fail("no check window"));
    let win = client.window().title("start").map();
    session.wait_for(|s| s.window(win).is_some(), "the window is managed");
    let mut ipc = Ipc::new(session.socket_path());
    let next_layout = json!({"cmd": "action", "action": {"action": "next_layout"}});
    let bar_text = |ipc: &mut Ipc| -> (Value, u64) {
        let answer = ipc
            .request(&json!({"cmd": "widgets"}))
            .unwrap_or_else(|e| session.fail(&e));
        let widgets = answer["result"][0]["widgets"].clone();
        let title = widgets
            .as_array()
            .and_then(|ws| ws.iter().find(|w| w["name"] == "title"))
            .cloned()
            .unwrap_or_else(|| session.fail(&format!("no title widget in {answer}")));
        (
            title["text"].clone(),
            title["redraws"].as_u64().unwrap_or(0),
        )
    };
    // One redraw: a new title of another width (and every third time another layout,
    // whose name changes the width of the widget before the title).
    let redraw = |ipc: &mut Ipc, i: usize| {
        let title = varied_title(i);
        client.set_title(win, &title);
        if i.is_multiple_of(3) {
            ipc.request(&next_layout)
                .unwrap_or_else(|e| session.fail(&e));
        }
        session.wait_for(
            |_| bar_text(&mut *ipc).0 == title.as_str(),
            &format!("redraw {i} shows its title"),
        );
    };
    for i in 0..100 {
        redraw(&mut ipc, i);
    }
    ipc.hang_up();
    let before = idle_usage(&session);
    let x_before = x_resources(client.conn(), check).unwrap_or_else(|e| session.fail(&e));
    let (_, redraws_before) = bar_text(&mut ipc);
    for i in 100..1100 {
        redraw(&mut ipc, i);
    }
    let (_, redraws_after) = bar_text(&mut ipc);
    ipc.hang_up();
    assert!(
        redraws_after - redraws_before >= 1000,
        "the title widget was redrawn {} times",
        redraws_after - redraws_before
    );
    let after = settle(&session, before, "fds and threads after 1000 redraws");
    let x_after = x_resources(client.conn(), check).unwrap_or_else(|e| session.fail(&e));
    assert_rss_bounded(before, after, "1000 bar redraws");
    assert_eq!(x_after, x_before, "X resources oxtile owns");
}

/// One hostile IPC client of each kind, `i` choosing which.
fn hostile_ipc_client(session: &Session, i: usize) {
    let Ok(mut s) = UnixStream::connect(session.socket_path()) else {
        session.fail("cannot connect to the IPC socket");
    };
    let timeout = Some(Duration::from_secs(10));
    s.set_read_timeout(timeout).expect("timeout");
    s.set_write_timeout(timeout).expect("timeout");
    let read_answer = |s: &UnixStream| {
        let mut line = String::new();
        let _ = BufReader::new(s).read_line(&mut line);
        line
    };
    match i % 7 {
        0 => {
            let _ = s.write_all(b"{\"cmd\":\"layout\"}\n");
            let answer = read_answer(&s);
            assert!(answer.contains("\"ok\":true"), "answer: {answer}");
        }
        1 => {
            let _ = s.write_all(b"{\"cmd\":\"wind");
        }
        2 => {
            let _ = s.write_all(b"{\"cmd\":\"windows\"}\n");
        }
        3 => {
            let _ = s.write_all(b"\xff\xfe garbage {{{\n");
            let answer = read_answer(&s);
            assert!(answer.contains("\"ok\":false"), "answer: {answer}");
        }
        4 => {
            // A line that never ends: refused once it passes the limit.
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..17 {
                if s.write_all(&chunk).is_err() {
                    break;
                }
            }
            let mut rest = String::new();
            let _ = s.read_to_string(&mut rest);
            assert!(rest.contains("too long"), "answer: {rest:.200}");
        }
        5 => {
            let deep = "[".repeat(100_000) + "\n";
            let _ = s.write_all(deep.as_bytes());
            let answer = read_answer(&s);
            assert!(answer.contains("\"ok\":false"), "answer: {answer}");
        }
        _ => {}
    }
}

#[test]
fn fds_threads_and_memory_come_back_after_700_hostile_ipc_clients() {
    let session = Session::start_default();
    for i in 0..70 {
        hostile_ipc_client(&session, i);
    }
    let before = idle_usage(&session);
    for i in 0..700 {
        hostile_ipc_client(&session, i);
    }
    let after = settle(
        &session,
        before,
        "every IPC connection's fd and thread released",
    );
    assert_rss_bounded(before, after, "700 hostile IPC clients");
    session.sync();
}

#[test]
fn a_thousand_concurrent_clients_each_get_an_answer_and_oxtile_stays_responsive() {
    let session = Session::start_default();
    let before = idle_usage(&session);
    let path = session.socket_path();
    // This test process holds 1 000 connections at once: more than the usual soft limit
    // of 1 024 open files leaves room for. oxtile, started before, keeps the usual limit.
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    rustix::process::setrlimit(
        rustix::process::Resource::Nofile,
        rustix::process::Rlimit {
            current: Some(hard.min(65_536)),
            maximum: limit.maximum,
        },
    )
    .expect("raise this test's open-file limit");
    // Connections that stay open without a word, then ones that ask at the same time.
    let idle: Vec<UnixStream> = (0..200)
        .filter_map(|_| UnixStream::connect(&path).ok())
        .collect();
    assert_eq!(idle.len(), 200, "oxtile accepts 200 idle connections");
    session.sync();
    // A client connected before the flood, to ask oxtile while 1 000 connections are open.
    let mut probe = UnixStream::connect(&path).expect("connect the probe");
    probe
        .set_read_timeout(Some(Duration::from_secs(1)))
        .expect("timeout");
    let all_open = std::sync::Arc::new(std::sync::Barrier::new(801));
    let askers: Vec<_> = (0..800)
        .map(|_| {
            let (path, all_open) = (path.clone(), all_open.clone());
            std::thread::spawn(move || -> Result<Value, String> {
                let s = UnixStream::connect(&path).map_err(|e| format!("connect: {e}"));
                all_open.wait();
                let mut s = s?;
                s.set_read_timeout(Some(Duration::from_secs(30)))
                    .map_err(|e| e.to_string())?;
                // A refused connection may be closed before the request is written.
                let _ = s.write_all(b"{\"cmd\":\"sync\"}\n");
                let mut line = String::new();
                BufReader::new(&s)
                    .read_line(&mut line)
                    .map_err(|e| format!("read: {e}"))?;
                serde_json::from_str(&line).map_err(|e| format!("answer {line:?}: {e}"))
            })
        })
        .collect();
    all_open.wait();
    // 200 idle and 800 asking connections are open (or refused) now: oxtile answers
    // another client within a second.
    probe
        .write_all(b"{\"cmd\":\"sync\"}\n")
        .expect("the probe's request");
    let mut line = String::new();
    BufReader::new(&probe)
        .read_line(&mut line)
        .unwrap_or_else(|e| session.fail(&format!("no answer within a second: {e}")));
    assert!(line.contains("\"ok\":true"), "the probe's answer: {line}");
    let mut ok = 0;
    for t in askers {
        match t.join().expect("client thread") {
            Ok(answer) if answer["ok"] == true => ok += 1,
            Ok(answer) => {
                let error = answer["error"].as_str().unwrap_or_default().to_string();
                assert!(error.contains("too many"), "unexpected refusal: {answer}");
            }
            Err(e) => panic!("a client got no answer: {e}"),
        }
    }
    eprintln!("1 000 connections: {ok} of 800 askers served, the others refused");
    assert!(ok > 0, "no concurrent client was served");
    session.sync();
    drop((idle, probe));
    settle(
        &session,
        before,
        "the idle connections' fds and threads released",
    );
}

#[test]
fn a_client_that_never_reads_its_answers_stalls_nothing_and_loses_its_thread() {
    let session = Session::start_default();
    let client = session.client();
    for i in 0..20 {
        client
            .window()
            .title(&format!("window {i} {}", "x".repeat(200)))
            .map_no_wait();
    }
    client.round_trip();
    let before = idle_usage(&session);
    let mut stuck = UnixStream::connect(session.socket_path()).expect("connect");
    stuck.set_nonblocking(true).expect("nonblocking");
    // Ask until the socket is full both ways: oxtile blocks writing answers nobody reads.
    let request = b"{\"cmd\":\"windows\"}\n";
    let mut sent = 0;
    let mut pending: &[u8] = request;
    for _ in 0..1_000_000 {
        match stuck.write(pending) {
            Ok(n) if n == pending.len() => {
                sent += 1;
                pending = request;
            }
            Ok(n) => pending = &pending[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("writing requests: {e}"),
        }
    }
    assert!(sent > 10, "only {sent} requests fit");
    // The event loop answers others and manages windows meanwhile.
    let win = client.window().title("after").map();
    session.wait_for(|s| s.window(win).is_some(), "a new window is managed");
    // Give up on the reader after the write timeout, though it keeps its end open.
    client.destroy(win);
    settle(
        &session,
        before,
        "the stuck connection's thread and fd released",
    );
    drop(stuck);
}

#[test]
fn reloads_and_restarts_keep_fds_threads_memory_and_x_resources_flat() {
    // Every reload rebuilds the bar (windows, back buffer, fonts) and the tray.
    let session = Session::start(
        r#"oxtile.groups{ "1", "2", "3" }
oxtile.bar{ position = "top", size = 24, widgets = {
  oxtile.widget.groupbox{}, oxtile.widget.windowname{}, oxtile.widget.textbox{ text = "<b>bold</b>" },
  oxtile.widget.poll{ fn = function() return "polled" end, interval = 60 },
  oxtile.widget.clock{ format = "%H:%M" }, oxtile.widget.systray{} } }
"#,
    );
    let client = session.client();
    let owned = |what: &str| {
        let check = client
            .supporting_wm_check()
            .unwrap_or_else(|| session.fail(&format!("no check window {what}")));
        x_resources(client.conn(), check).unwrap_or_else(|e| session.fail(&e))
    };
    let mut ipc = Ipc::new(session.socket_path());
    let reload = json!({"cmd": "action", "action": {"action": "reload"}});
    for _ in 0..100 {
        ipc.request(&reload).unwrap_or_else(|e| session.fail(&e));
    }
    ipc.hang_up();
    let before = idle_usage(&session);
    let x_before = owned("before the reloads");
    assert!(
        x_before.get("WINDOW").is_some_and(|&n| n >= 3),
        "the check window, the bar and the tray: {x_before:?}"
    );
    eprintln!("X resources oxtile owns with a bar and a tray: {x_before:?}");
    for _ in 0..1000 {
        ipc.request(&reload).unwrap_or_else(|e| session.fail(&e));
    }
    ipc.hang_up();
    let after = settle(&session, before, "fds and threads after 1000 reloads");
    assert_rss_bounded(before, after, "1000 reloads");
    assert_eq!(
        owned("after the reloads"),
        x_before,
        "X resources after 1000 reloads"
    );

    let pid = session.wm_pid();
    for i in 0..5 {
        // The connection may close before the answer: restarting replaces the process image.
        let _ = session.cmd(&["restart"]);
        session.wait_for(
            |s| s.cmd(&["sync"]).is_ok(),
            &format!("oxtile answers after restart {i}"),
        );
    }
    assert_eq!(session.wm_pid(), pid, "restart keeps the process");
    settle(&session, before, "no fd or thread left over by 5 restarts");
    // The new image's X connection owns what the old one did.
    session.wait_for_report(
        |_| {
            let now = owned("after the restarts");
            if now == x_before {
                Ok(())
            } else {
                Err(format!("X resources {now:?}, before {x_before:?}"))
            }
        },
        "X resources after 5 restarts",
    );
}

#[test]
fn spawned_programs_are_reaped() {
    let session = Session::start_default();
    let pid = session.wm_pid();
    let mut ipc = Ipc::new(session.socket_path());
    for i in 0..50 {
        let cmd = if i % 2 == 0 { "true" } else { "exit 3" };
        let answer = ipc
            .request(&json!({"cmd": "action", "action": {"action": "spawn", "cmd": cmd}}))
            .unwrap_or_else(|e| session.fail(&e));
        assert_eq!(answer["ok"], true, "{answer}");
    }
    // Each spawn has forked when its answer comes: the children exist now, and must all
    // be gone (exited and reaped) in a moment.
    session.wait_for_report(
        |_| {
            let left = children(pid);
            if left.is_empty() {
                Ok(())
            } else {
                Err(format!("children left (pid, state): {left:?}"))
            }
        },
        "every spawned program exited and was reaped",
    );
}
