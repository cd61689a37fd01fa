//! Starting and stopping: oxtile becomes the window manager and says so (EWMH), refuses a
//! display that already has one, adopts windows mapped before it, and restarts and quits
//! without losing the user's windows.

use std::time::Duration;

use xephyr_tests::{expected, run_oxtile, Rect, Session, TestClient, XServer};

const ANOTHER_WM: &str = "another window manager is running";

#[test]
fn becomes_the_window_manager_and_announces_itself() {
    let session = Session::start_default();
    let client = session.client();

    // Properties are read through another connection: wait until the server has them.
    let check = session.wait_for_value(
        |_| client.supporting_wm_check(),
        "_NET_SUPPORTING_WM_CHECK on the root",
    );
    session.wait_for(
        |_| client.number_of_desktops().is_some() && client.current_desktop().is_some(),
        "EWMH desktop properties on the root",
    );
    assert_eq!(
        client.wm_check_of(check),
        Some(check),
        "the check window points to itself"
    );
    assert_eq!(client.net_wm_name(check).as_deref(), Some("oxtile"));
    assert!(
        !client.select_substructure_redirect(),
        "someone (oxtile) must hold SubstructureRedirect on the root"
    );
    assert_eq!(client.number_of_desktops(), Some(3));
    assert_eq!(client.desktop_names(), ["1", "2", "3"]);
    assert_eq!(client.current_desktop(), Some(0));
    let screens = session.screens();
    assert_eq!(screens.len(), 1);
    let s = &screens[0];
    assert_eq!(
        (s.x, s.y, s.width, s.height, s.group.as_str()),
        (0, 0, 1280, 800, "1")
    );
}

#[test]
fn a_second_oxtile_on_the_same_display_refuses_to_start() {
    let session = Session::start_default();
    let config = session
        .config_path()
        .to_str()
        .expect("utf-8 path")
        .to_owned();

    let out = session.oxtile_output(&["start", "-c", &config]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains(ANOTHER_WM), "stderr: {stderr}");
    // The first instance is untouched, IPC socket included.
    session.sync();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_managed(&[win], "the first oxtile still manages new windows");
}

#[test]
fn refuses_a_display_where_another_window_manager_runs() {
    let server = XServer::start();
    let other_wm = TestClient::connect(server.display());
    assert!(other_wm.select_substructure_redirect());

    let out = run_oxtile(Some(server.display()), &["start"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains(ANOTHER_WM), "stderr: {stderr}");
}

#[test]
fn adopts_windows_mapped_before_it_started() {
    let server = XServer::start();
    let client = TestClient::connect(server.display());
    let a = client.window().title("early a").map();
    let b = client.window().title("early b").map();
    let never_mapped = client.window().title("never mapped").create();
    let popup = client.window().title("popup").override_redirect().map();

    let session = Session::builder().server(server).start();
    session.wait_for_managed(&[a, b], "the two mapped windows adopted, nothing else");
    session.wait_for(
        |_| {
            let mut list = client.client_list();
            list.sort_unstable();
            list == [a.min(b), a.max(b)]
        },
        "_NET_CLIENT_LIST lists the adopted windows",
    );
    // Adoption order is the server's stacking order (a below b), so a is the main window.
    let rects = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[a, b], &rects, "adopted windows tiled");
    assert!(
        !client.is_mapped(never_mapped),
        "an unmapped window stays unmapped"
    );
    assert!(
        client.is_mapped(popup),
        "override-redirect windows are left alone"
    );
    assert_eq!(client.geometry(popup), Rect::new(0, 0, 200, 150));
}

#[test]
fn restart_keeps_windows_and_their_groups() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("stays in 1").map();
    let b = client.window().title("goes to 2").map();
    session.wait_for_managed(&[a, b], "both windows managed");
    session.cmd(&["move-to-group", "2"]).expect("move-to-group");
    session.wait_for(
        |s| s.window(b).is_some_and(|w| w.group == "2"),
        "b in group 2",
    );

    // The connection may close before the answer: restarting replaces the process image.
    let _ = session.cmd(&["restart"]);
    session.wait_for_managed(&[a, b], "both windows managed again after restart");
    session.wait_for(
        |s| {
            let wins = s.windows();
            let group = |id| wins.iter().find(|w| w.id == id).map(|w| w.group.clone());
            group(a).as_deref() == Some("1") && group(b).as_deref() == Some("2")
        },
        "groups kept across the restart",
    );
    session.wait_for_geometry(&client, &[a], &[Rect::screen()], "a tiled alone in group 1");
}

#[test]
fn quit_exits_cleanly_and_leaves_windows_on_screen() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_managed(&[win], "window managed");

    let _ = session.cmd(&["quit"]);
    let status = session
        .wait_for_exit(Duration::from_secs(10))
        .unwrap_or_else(|| session.fail("oxtile still runs 10 s after `cmd quit`"));
    assert!(status.success(), "exit status {status}");
    assert!(
        client.is_mapped(win),
        "the window is still mapped once oxtile is gone"
    );
    assert!(
        client.select_substructure_redirect(),
        "the root is free for the next window manager"
    );
}
