//! Focus: new windows take it; it moves by key (XTEST mod4+j), by click (click-to-focus, the
//! pointer alone does not move it), by `_NET_ACTIVE_WINDOW` and by command; X's input focus,
//! `_NET_ACTIVE_WINDOW` and `oxtile cmd focused` always agree.

use xephyr_tests::{expected, Rect, Session, TestClient};

/// Wait until `win` is focused everywhere: oxtile's answer, X's input focus and the root's
/// `_NET_ACTIVE_WINDOW`; exactly one window reports `focused: true`.
fn wait_focused(session: &Session, client: &TestClient, win: u32, what: &str) {
    session.wait_for_report(
        |s| {
            let focused = s.focused();
            let input = client.input_focus();
            let active = client.active_window();
            let flagged: Vec<u32> = s
                .windows()
                .iter()
                .filter(|w| w.focused)
                .map(|w| w.id)
                .collect();
            if focused == Some(win) && input == win && active == Some(win) && flagged == [win] {
                Ok(())
            } else {
                Err(format!(
                    "want {win:#x}; oxtile focused {focused:x?}, X input focus {input:#x}, \
                     _NET_ACTIVE_WINDOW {active:x?}, windows flagged focused {flagged:x?}"
                ))
            }
        },
        what,
    );
}

#[test]
fn each_new_window_takes_the_focus() {
    let session = Session::start_default();
    let client = session.client();
    for i in 0..3 {
        let win = client.window().title(&format!("new {i}")).map();
        wait_focused(
            &session,
            &client,
            win,
            &format!("window {i} focused when mapped"),
        );
    }
}

#[test]
fn mod4_j_focuses_the_next_window_and_wraps() {
    let session = Session::start_default();
    let client = session.client();
    let wins: Vec<u32> = (0..3).map(|_| client.window().map()).collect();
    wait_focused(&session, &client, wins[2], "the newest window focused");

    client.key(&["mod4"], "j");
    wait_focused(
        &session,
        &client,
        wins[0],
        "focus wrapped to the first window",
    );
    client.key(&["mod4"], "j");
    wait_focused(
        &session,
        &client,
        wins[1],
        "focus moved to the second window",
    );
}

#[test]
fn a_click_focuses_the_window_and_the_pointer_alone_does_not() {
    let session = Session::start_default();
    let client = session.client();
    let left = client.window().title("left").map();
    let right = client.window().title("right").map();
    let rects = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[left, right], &rects, "two windows tiled");
    wait_focused(&session, &client, right, "the newest window focused");

    // focus_follows_mouse = false: hovering changes nothing.
    let (lx, ly) = rects[0].center();
    client.move_pointer(lx, ly);
    session.sync();
    assert_eq!(session.focused(), Some(right), "hovering must not focus");

    client.click(lx, ly, 1);
    wait_focused(&session, &client, left, "the clicked window focused");
    let (rx, ry) = rects[1].center();
    client.click(rx, ry, 1);
    wait_focused(&session, &client, right, "the other clicked window focused");
}

#[test]
fn net_active_window_requests_move_the_focus() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().map();
    let b = client.window().map();
    wait_focused(&session, &client, b, "b focused");

    client.request_activate(a);
    wait_focused(&session, &client, a, "a focused by _NET_ACTIVE_WINDOW");
}

#[test]
fn focus_command_and_closing_the_focused_window() {
    let session = Session::start_default();
    let client = session.client();
    let wins: Vec<u32> = (0..3).map(|_| client.window().map()).collect();
    session
        .cmd(&["focus", &wins[1].to_string()])
        .expect("focus");
    wait_focused(&session, &client, wins[1], "window 1 focused by command");

    client.destroy(wins[1]);
    let next = session.wait_for_value(
        |s| s.focused().filter(|f| *f == wins[0] || *f == wins[2]),
        "focus moves to a remaining window",
    );
    wait_focused(
        &session,
        &client,
        next,
        "the remaining window focused everywhere",
    );

    let err = session
        .cmd(&["focus", "12345"])
        .expect_err("no such window");
    assert_eq!(err.code, Some(1));
}

#[test]
fn urgency_hint_is_reported() {
    let session = Session::start_default();
    let client = session.client();
    let quiet = client.window().map();
    let other = client.window().map();
    wait_focused(&session, &client, other, "other focused");
    assert!(!session.window(quiet).expect("managed").urgent);

    client.set_urgent(quiet, true);
    session.wait_for(
        |s| s.window(quiet).is_some_and(|w| w.urgent),
        "the unfocused window is urgent",
    );
}

#[test]
fn take_focus_clients_get_wm_take_focus() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().take_focus(true).map();
    session.wait_for(|s| s.focused() == Some(win), "window focused");
    session.wait_for(
        |_| client.take_focus_requests().contains(&win),
        "WM_TAKE_FOCUS sent to the newly focused window",
    );
}
