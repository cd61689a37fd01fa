//! Closing windows: politely with WM_DELETE_WINDOW when the client supports it, by
//! XKillClient when it does not, by `oxtile cmd kill` and by `_NET_CLOSE_WINDOW`; a closed
//! window leaves `_NET_CLIENT_LIST` and the layout.

use xephyr_tests::{Rect, Session};

#[test]
fn kill_asks_politely_with_wm_delete_window() {
    let session = Session::start_default();
    let client = session.client();
    let keep = client.window().map();
    let polite = client.window().map();
    session.wait_for_managed(&[keep, polite], "two windows managed");

    session
        .cmd(&["kill", &polite.to_string()])
        .expect("kill <id>");
    // The client's answer to WM_DELETE_WINDOW is to destroy the window.
    session.wait_for(
        |_| client.delete_requests() == [polite],
        "WM_DELETE_WINDOW delivered to the window",
    );
    session.wait_for_managed(&[keep], "the closed window is unmanaged");
    assert!(
        client.is_connected(),
        "a polite close does not kill the client"
    );
    session.wait_for(
        |_| client.client_list() == [keep],
        "_NET_CLIENT_LIST updated",
    );
    session.wait_for_geometry(&client, &[keep], &[Rect::screen()], "the rest re-tiled");
}

#[test]
fn kill_uses_xkillclient_for_clients_without_wm_delete_window() {
    let session = Session::start_default();
    let bystander = session.client();
    let keep = bystander.window().map();
    let stubborn_client = session.client();
    let stubborn = stubborn_client.window().delete_window(false).map();
    session.wait_for_managed(&[keep, stubborn], "two windows managed");

    session
        .cmd(&["focus", &stubborn.to_string()])
        .expect("focus");
    session.wait_for(|s| s.focused() == Some(stubborn), "stubborn focused");
    session.cmd(&["kill"]).expect("kill the focused window");
    session.wait_for(
        |_| !stubborn_client.is_connected(),
        "the server closed the stubborn client's connection",
    );
    assert!(stubborn_client.delete_requests().is_empty());
    session.wait_for_managed(&[keep], "the killed client's window is unmanaged");
    assert!(bystander.is_connected(), "only that client was killed");
    session.wait_for(
        |_| bystander.client_list() == [keep],
        "_NET_CLIENT_LIST updated",
    );
}

#[test]
fn net_close_window_closes_politely() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_managed(&[win], "managed");

    client.request_close(win);
    session.wait_for(
        |_| client.delete_requests() == [win],
        "_NET_CLOSE_WINDOW turned into WM_DELETE_WINDOW",
    );
    session.wait_for_managed(&[], "no window left");
    session.wait_for(
        |_| client.client_list().is_empty(),
        "_NET_CLIENT_LIST empty",
    );
}

#[test]
fn a_client_ignoring_wm_delete_window_keeps_its_window() {
    let session = Session::start_default();
    let client = session.client();
    client.answer_delete_window(false);
    let win = client.window().map();
    session.wait_for_managed(&[win], "managed");

    session.cmd(&["kill", &win.to_string()]).expect("kill");
    session.wait_for(
        |_| client.delete_requests() == [win],
        "WM_DELETE_WINDOW delivered",
    );
    session.sync();
    assert!(
        client.is_connected(),
        "no XKillClient behind the client's back"
    );
    assert!(
        session.window(win).is_some(),
        "still managed while the client decides"
    );
}
