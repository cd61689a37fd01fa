//! Bad input loses nothing: clients that vanish mid-request, absurd properties, tiled windows
//! that try to move, garbage on the IPC socket and a burst of 50 windows leave oxtile running
//! with a consistent picture of the screen.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use x11rb::protocol::xproto::AtomEnum;
use x11rb::protocol::Event;
use xephyr_tests::{expected, run_oxtile, Rect, Session, XServer};

#[test]
fn windows_destroyed_right_after_mapping_are_not_managed() {
    let session = Session::start_default();
    let client = session.client();
    let keep = client.window().title("keep").map();
    // Map and destroy in one flush, so oxtile handles each MapRequest for a window that no
    // longer exists: every request it makes about it fails with BadWindow.
    let gone: Vec<u32> = (0..20)
        .map(|_| {
            let win = client.window().map_no_wait();
            client.destroy_no_wait(win);
            win
        })
        .collect();
    client.round_trip();
    session.wait_for_managed(&[keep], "only the surviving window managed");
    session.wait_for(
        |_| client.client_list() == [keep],
        &format!("_NET_CLIENT_LIST lists none of {gone:x?}"),
    );
    session.wait_for_geometry(
        &client,
        &[keep],
        &[Rect::screen()],
        "the survivor tiled alone",
    );
}

#[test]
fn a_client_that_dies_right_after_mapping_leaves_nothing_behind() {
    let session = Session::start_default();
    let observer = session.client();
    let dying = session.client();
    for _ in 0..10 {
        dying.window().map_no_wait();
    }
    drop(dying);
    let keep = observer.window().map();
    session.wait_for_managed(&[keep], "the dead client's windows are gone");
    session.wait_for(
        |_| observer.client_list() == [keep],
        "_NET_CLIENT_LIST updated",
    );
}

#[test]
fn absurd_properties_are_survived() {
    let session = Session::start_default();
    let client = session.client();
    let atoms = *client.atoms();
    let (cardinal, atom_type) = (AtomEnum::CARDINAL.into(), AtomEnum::ATOM.into());
    let mut wins = Vec::new();
    let mut weird = |set: &dyn Fn(u32)| {
        let win = client.window().create();
        set(win);
        wins.push(win);
    };
    weird(&|w| client.set_title(w, &"very long title ".repeat(5000)));
    weird(&|w| client.set_property8(w, atoms._NET_WM_NAME, atoms.UTF8_STRING, b"\xff\xfe\0\xc3"));
    weird(&|w| {
        client.set_property8(
            w,
            AtomEnum::WM_CLASS.into(),
            AtomEnum::STRING.into(),
            b"no nul",
        )
    });
    // WM_NORMAL_HINTS cut short, and with min above max and zero increments.
    weird(&|w| client.set_property32(w, AtomEnum::WM_NORMAL_HINTS.into(), cardinal, &[0xff; 3]));
    weird(&|w| {
        let mut hints = [0u32; 18];
        hints[0] = 16 | 32 | 64; // PMinSize | PMaxSize | PResizeInc
        hints[5..11].copy_from_slice(&[5000, 5000, 10, 10, 0, 0]);
        client.set_property32(w, AtomEnum::WM_NORMAL_HINTS.into(), cardinal, &hints);
    });
    weird(&|w| client.set_property32(w, AtomEnum::WM_HINTS.into(), cardinal, &[1]));
    weird(&|w| client.set_property32(w, atoms._NET_WM_WINDOW_TYPE, atom_type, &[0, 0xdead]));
    weird(&|w| client.set_property8(w, atoms.WM_PROTOCOLS, atom_type, b"garbage"));
    weird(&|w| {
        let states = vec![atoms._NET_WM_STATE_FULLSCREEN; 1000];
        client.set_property32(w, atoms._NET_WM_STATE, atom_type, &states);
    });
    weird(&|w| {
        client.set_property32(
            w,
            AtomEnum::WM_TRANSIENT_FOR.into(),
            AtomEnum::WINDOW.into(),
            &[w],
        )
    });
    weird(&|w| {
        let nowhere = [0x1f_ffff];
        client.set_property32(
            w,
            AtomEnum::WM_TRANSIENT_FOR.into(),
            AtomEnum::WINDOW.into(),
            &nowhere,
        )
    });
    // Two windows transient for each other.
    let (a, b) = (client.window().create(), client.window().create());
    let window_type = AtomEnum::WINDOW.into();
    client.set_property32(a, AtomEnum::WM_TRANSIENT_FOR.into(), window_type, &[b]);
    client.set_property32(b, AtomEnum::WM_TRANSIENT_FOR.into(), window_type, &[a]);
    wins.extend([a, b]);

    for &w in &wins {
        client.map_window(w);
    }
    session.wait_for_managed(&wins, "every odd window managed");
    for info in session.windows() {
        assert!(info.width >= 1 && info.height >= 1, "{info:?}");
    }
    // Properties changing under oxtile's feet after mapping, too.
    client.set_property32(wins[0], AtomEnum::WM_NORMAL_HINTS.into(), cardinal, &[]);
    client.set_property8(wins[1], atoms._NET_WM_NAME, atoms.UTF8_STRING, &[0xc0; 100]);
    client.set_urgent(wins[2], true);
    session.sync();
    let plain = client.window().map();
    session.wait_for(
        |s| s.window(plain).is_some(),
        "oxtile still manages new windows",
    );
}

#[test]
fn a_tiled_window_cannot_move_itself_but_is_told_where_it_is() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_geometry(&client, &[win], &[Rect::screen()], "tiled full screen");
    client.take_events();

    client.request_geometry(win, Rect::new(10, 10, 100, 100));
    session.sync();
    session.wait_for_geometry(&client, &[win], &[Rect::screen()], "still full screen");
    // ICCCM 4.1.5: a refused request is answered with a ConfigureNotify of the real geometry.
    session.wait_for(
        |_| {
            client.take_events().iter().any(|e| {
                matches!(e, Event::ConfigureNotify(c)
                    if c.window == win && (c.width, c.height) == (1280, 800))
            })
        },
        "a ConfigureNotify with the tiled size",
    );
}

/// Neither side of a raw exchange may hang the test: oxtile may stop reading or answering.
fn set_timeouts(stream: &UnixStream) {
    let timeout = Some(Duration::from_secs(10));
    stream.set_read_timeout(timeout).expect("read timeout");
    stream.set_write_timeout(timeout).expect("write timeout");
}

/// Send `line` on a fresh connection to oxtile's socket and read one line back.
fn raw_exchange(session: &Session, line: &[u8]) -> String {
    let mut stream = UnixStream::connect(session.socket_path())
        .unwrap_or_else(|e| session.fail(&format!("cannot connect to the IPC socket: {e}")));
    set_timeouts(&stream);
    stream.write_all(line).expect("write to the IPC socket");
    let mut reply = String::new();
    let _ = BufReader::new(stream).read_line(&mut reply);
    reply
}

#[test]
fn garbage_on_the_ipc_socket_gets_an_error_and_oxtile_keeps_answering() {
    let session = Session::start_default();
    // An idle connection must not stall anyone else.
    let idle = UnixStream::connect(session.socket_path()).expect("connect");

    for garbage in [
        &b"this is not json\n"[..],
        b"[1, 2, 3]\n",
        b"\"just a string\"\n",
    ] {
        let reply = raw_exchange(&session, garbage);
        assert!(
            reply.to_lowercase().contains("error"),
            "reply to {:?}: {reply:?}",
            String::from_utf8_lossy(garbage)
        );
        session.sync();
    }

    // Binary junk, a huge line, and a half line followed by a hang-up: no reply required,
    // but oxtile must live on.
    let _ = raw_exchange(&session, b"\xff\xfe\x00\x01\x80\n");
    let mut huge = vec![b'x'; 1 << 20];
    huge.push(b'\n');
    for junk in [&huge[..], b"{\"command\": "] {
        if let Ok(mut stream) = UnixStream::connect(session.socket_path()) {
            set_timeouts(&stream);
            let _ = stream.write_all(junk);
        }
    }
    session.sync();
    assert_eq!(
        session.cmd(&["eval", "return 1+1"]).expect("eval").trim(),
        "2"
    );
    drop(idle);
}

#[test]
fn cmd_without_a_running_oxtile_fails_with_a_message() {
    let server = XServer::start();
    let out = run_oxtile(Some(server.display()), &["cmd", "sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stderr.is_empty(), "an error message on stderr");
}

#[test]
fn a_burst_of_50_windows_is_managed_after_one_sync() {
    let session = Session::start_default();
    let client = session.client();
    let wins: Vec<u32> = (0..50)
        .map(|i| client.window().title(&format!("burst {i}")).map_no_wait())
        .collect();
    client.round_trip();
    session.sync();

    let mut listed = client.client_list();
    listed.sort_unstable();
    let mut want = wins.clone();
    want.sort_unstable();
    assert_eq!(listed, want, "_NET_CLIENT_LIST after one sync");
    let mut managed: Vec<u32> = session.windows().iter().map(|w| w.id).collect();
    managed.sort_unstable();
    assert_eq!(managed, want, "windows --json after one sync");
    for &w in &wins {
        let r = client.geometry(w);
        assert!(
            Rect::screen().contains(&r) && r.w > 0 && r.h > 0,
            "{w:#x} at {r} is not inside the screen"
        );
        assert!(client.is_mapped(w), "{w:#x} is not shown");
    }
    let rects = expected::monadtall(50, Rect::screen());
    session.wait_for_geometry(&client, &wins, &rects, "50 windows in monadtall");
}

/// The loop's counters (`oxtile cmd stats`).
fn layouts_pushed(session: &Session) -> u64 {
    session.cmd_json(&["stats"])["layouts"]
        .as_u64()
        .expect("stats has a layouts counter")
}

#[test]
fn a_burst_of_200_windows_costs_a_handful_of_layouts_not_200() {
    let session = Session::start_default();
    let client = session.client();
    let before = layouts_pushed(&session);
    let wins: Vec<u32> = (0..200)
        .map(|i| client.window().title(&format!("burst {i}")).map_no_wait())
        .collect();
    client.round_trip();
    session.sync();
    let mut managed: Vec<u32> = session.windows().iter().map(|w| w.id).collect();
    managed.sort_unstable();
    let mut want = wins.clone();
    want.sort_unstable();
    assert_eq!(managed, want, "every window managed after one sync");
    let layouts = layouts_pushed(&session) - before;
    eprintln!("200 windows: {layouts} layouts");
    // Every event already queued is handled before one layout: the 200 MapRequests arrive
    // in a few reads of the socket, so a few layouts, never one per window.
    assert!(
        layouts <= 20,
        "200 windows cost {layouts} layouts; the loop is laying out per event"
    );
    for &w in &wins {
        assert!(client.is_mapped(w), "{w:#x} is mapped");
    }
}
