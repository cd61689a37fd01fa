//! Self-test of the harness, runnable without oxtile: servers start in parallel and vanish on
//! drop, test windows carry the properties they were built with, XTEST input arrives, and a
//! stand-in binary exercises the session plumbing (environment, log, programs, cleanup).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use x11rb::properties::WmSizeHints;
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConnectionExt as _, EventMask,
    KeyButMask,
};
use x11rb::protocol::Event;
use xephyr_tests::wait::{process_exists, run_with_deadline};
use xephyr_tests::{Rect, Session, TestClient, WindowType, XServer};

#[test]
fn two_servers_started_at_once_get_different_displays_and_vanish_on_drop() {
    let a = std::thread::spawn(XServer::start);
    let b = std::thread::spawn(XServer::start);
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    assert_ne!(a.display(), b.display());
    for server in [&a, &b] {
        assert!(
            server.connect().is_ok(),
            "{} refuses connections",
            server.display()
        );
        assert!(server.socket_path().exists());
    }
    let left = [
        (a.pid(), a.socket_path(), a.number()),
        (b.pid(), b.socket_path(), b.number()),
    ];
    drop(a);
    drop(b);
    for (pid, socket, number) in left {
        assert!(!process_exists(pid), "server {pid} still runs after drop");
        // Tests run in parallel: another test's server may already have taken the same
        // display number. The socket must then belong to that server, not ours.
        let lock = std::fs::read_to_string(format!("/tmp/.X{number}-lock")).unwrap_or_default();
        let owner: Option<u32> = lock.trim().parse().ok();
        assert!(
            !socket.exists() || owner.is_some_and(|o| o != pid && process_exists(o)),
            "{} left behind",
            socket.display()
        );
    }
}

#[test]
fn test_windows_carry_the_properties_they_were_built_with() {
    let server = XServer::start();
    let app = TestClient::connect(server.display());
    let reader = TestClient::connect(server.display());
    let parent = app.window().title("parent").map();
    let win = app
        .window()
        .geometry(Rect::new(10, 20, 300, 200))
        .title("dialog ü")
        .class("inst", "Klass")
        .window_type(WindowType::Dialog)
        .min_size(100, 50)
        .max_size(400, 300)
        .transient_for(parent)
        .delete_window(false)
        .take_focus(true)
        .fullscreen()
        .map();

    // Without a window manager the window is mapped where it asked to be.
    assert!(reader.is_mapped(win));
    assert_eq!(reader.geometry(win), Rect::new(10, 20, 300, 200));
    assert_eq!(reader.net_wm_name(win).as_deref(), Some("dialog ü"));
    assert_eq!(
        reader.text(win, AtomEnum::WM_NAME.into()).as_deref(),
        Some("dialog ?")
    );
    assert_eq!(
        reader.text(win, AtomEnum::WM_CLASS.into()).as_deref(),
        Some("inst\0Klass\0")
    );
    let atoms = reader.atoms();
    assert_eq!(
        reader.cardinals(win, atoms.WM_PROTOCOLS),
        [atoms.WM_TAKE_FOCUS]
    );
    assert_eq!(
        reader.cardinals(win, atoms._NET_WM_WINDOW_TYPE),
        [atoms._NET_WM_WINDOW_TYPE_DIALOG]
    );
    assert_eq!(
        reader.cardinals(win, AtomEnum::WM_TRANSIENT_FOR.into()),
        [parent]
    );
    assert!(reader.has_fullscreen_state(win));
    let hints = WmSizeHints::get_normal_hints(reader.conn(), win)
        .unwrap()
        .reply()
        .unwrap()
        .expect("WM_NORMAL_HINTS set");
    assert_eq!(hints.min_size, Some((100, 50)));
    assert_eq!(hints.max_size, Some((400, 300)));

    let dock = app.window().dock_strut(0, 0, 24, 0).map();
    assert_eq!(reader.cardinals(dock, atoms._NET_WM_STRUT), [0, 0, 24, 0]);
    assert_eq!(
        reader.cardinals(dock, atoms._NET_WM_STRUT_PARTIAL).len(),
        12
    );
    assert_eq!(reader.find_by_title("parent"), Some(parent));

    app.destroy(win);
    assert!(!reader.exists(win));
}

#[test]
fn xtest_keys_go_through_the_server_keymap_with_modifiers() {
    let server = XServer::start();
    let client = TestClient::connect(server.display());
    let win = client.window().size(100, 100).map();
    let mask = EventMask::KEY_PRESS | EventMask::BUTTON_PRESS | EventMask::STRUCTURE_NOTIFY;
    client
        .conn()
        .change_window_attributes(win, &ChangeWindowAttributesAux::new().event_mask(mask))
        .unwrap();
    client.set_input_focus(win);
    assert_eq!(client.input_focus(), win);
    client.take_events();

    client.key(&["mod4"], "j");
    let presses: Vec<_> = client
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::KeyPress(k) => Some(k),
            _ => None,
        })
        .collect();
    assert_eq!(presses.len(), 2, "Super_L then j: {presses:?}");
    let j = presses[1];
    assert!(
        j.state.contains(KeyButMask::MOD4),
        "Super_L must act as mod4: {j:?}"
    );
    let map = client
        .conn()
        .get_keyboard_mapping(j.detail, 1)
        .unwrap()
        .reply()
        .unwrap();
    assert_eq!(map.keysyms[0], 0x6a, "the key pressed is j");

    client.click(50, 60, 1);
    let click = client
        .take_events()
        .into_iter()
        .find_map(|e| match e {
            Event::ButtonPress(b) => Some(b),
            _ => None,
        })
        .expect("a ButtonPress");
    assert_eq!((click.detail, click.event_x, click.event_y), (1, 50, 60));
}

#[test]
fn delete_window_requests_are_answered_and_killed_clients_notice() {
    let server = XServer::start();
    let app = TestClient::connect(server.display());
    let wm = TestClient::connect(server.display());
    let win = app.window().map();

    // What a window manager sends to close a window politely.
    let atoms = wm.atoms();
    let data = [atoms.WM_DELETE_WINDOW, 0, 0, 0, 0];
    let msg = ClientMessageEvent::new(32, win, atoms.WM_PROTOCOLS, data);
    wm.conn()
        .send_event(false, win, EventMask::NO_EVENT, msg)
        .unwrap();
    wm.round_trip();
    assert_eq!(app.delete_requests(), [win]);
    wm.round_trip();
    assert!(
        !wm.exists(win),
        "the client destroys the window it was asked to close"
    );

    // What a window manager does to a client that cannot be asked.
    let stubborn = app.window().delete_window(false).map();
    assert!(app.is_connected());
    wm.kill_client(stubborn);
    assert!(!app.is_connected());
    assert!(!wm.exists(stubborn));
}

#[test]
fn programs_outliving_their_deadline_are_killed() {
    let started = Instant::now();
    let mut cmd = Command::new("sleep");
    cmd.arg("30");
    let err = run_with_deadline(cmd, Duration::from_millis(200)).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// A stand-in for oxtile: `start` stays alive and creates the socket file that `cmd` then
/// looks for; `cmd` answers a few queries with canned JSON shaped like the contract's.
const FAKE_OXTILE: &str = r#"#!/bin/sh
sock="$XDG_RUNTIME_DIR/oxtile/$DISPLAY.sock"
case "$1" in
start)
    echo "fake oxtile managing $DISPLAY with $3 home=$HOME" >&2
    mkdir -p "$XDG_RUNTIME_DIR/oxtile" && : > "$sock"
    exec sleep 600 ;;
cmd)
    [ -e "$sock" ] || { echo "no window manager on $DISPLAY" >&2; exit 1; }
    case "$2" in
    sync) ;;
    windows) echo '[{"id":4194305,"title":"t","class":"C","instance":"i","group":"1","floating":false,"fullscreen":false,"urgent":false,"focused":true,"visible":true,"x":0,"y":0,"width":1280,"height":800}]' ;;
    groups) echo '[{"name":"1","index":0,"screen":0,"layout":"max","windows":[4194305],"focused":true},{"name":"2","index":1,"screen":null,"layout":"max","windows":[],"focused":false}]' ;;
    focused) echo 'null' ;;
    *) echo "unknown command $2" >&2; exit 1 ;;
    esac ;;
check) exit 0 ;;
*) exit 1 ;;
esac
"#;

fn write_script(dir: &tempfile::TempDir, body: &str) -> PathBuf {
    let path = dir.path().join("oxtile");
    fs::write(&path, body).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn session_plumbing_works_with_a_stand_in_binary_and_cleans_up() {
    let bin_dir = tempfile::tempdir().unwrap();
    let fake = write_script(&bin_dir, FAKE_OXTILE);
    let session = Session::builder().binary(&fake).start();
    let display = session.display().to_string();

    let log = session.log();
    assert!(
        log.contains(&format!("fake oxtile managing {display}")),
        "{log}"
    );
    assert!(
        log.contains("config.lua"),
        "the config is passed with -c: {log}"
    );
    assert!(session.socket_path().exists());
    let windows = session.windows();
    assert_eq!(windows[0].id, 4194305);
    assert_eq!(windows[0].rect(), Rect::screen());
    assert_eq!(session.current_group().name, "1");
    assert_eq!(session.groups()[1].screen, None);
    assert_eq!(session.focused(), None);
    let err = session.cmd(&["bogus"]).unwrap_err();
    assert_eq!(err.code, Some(1));
    assert!(err.stderr.contains("unknown command bogus"), "{err}");
    assert!(session.oxtile_output(&["check"]).status.success());

    // Programs get the session's display and are stopped with it.
    let info = session.run_program("xdpyinfo", &[]);
    assert!(
        info.contains(&format!("name of display:    {display}")),
        "{info}"
    );
    assert_eq!(
        session
            .program_output("sh", &["-c", "exit 3"])
            .status
            .code(),
        Some(3)
    );
    let xterm = session.spawn_program("xterm", &["-title", "harness xterm"]);
    let client = session.client();
    session.wait_for(
        |_| client.find_by_title("harness xterm").is_some(),
        "xterm's window",
    );
    assert!(session.program_running(xterm));
    let (wm, server) = (session.wm_pid(), session.server().pid());
    let dir = session.runtime_dir();
    drop(client);
    drop(session);
    for pid in [wm, server, xterm] {
        assert!(!process_exists(pid), "process {pid} survived the session");
    }
    assert!(!dir.exists(), "{} left behind", dir.display());
}

#[test]
#[should_panic(expected = "oxtile exited")]
fn a_binary_that_exits_at_once_fails_the_start_with_its_log() {
    let bin_dir = tempfile::tempdir().unwrap();
    let fake = write_script(
        &bin_dir,
        "#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n",
    );
    Session::builder().binary(&fake).start();
}
