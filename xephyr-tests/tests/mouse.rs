//! The mouse: drag bindings from the config (`oxtile.drag`) move and resize windows with the
//! pointer through XTEST, resizes follow the size hints, a tiled window dragged floats,
//! a window dropped on another monitor joins its group, and clients drawing their own
//! decorations move themselves with `_NET_WM_MOVERESIZE`.

use std::process::Command;

use xephyr_tests::{Rect, Session, WindowType, XServer};

/// The test config plus the default drag bindings.
fn config() -> String {
    xephyr_tests::DEFAULT_CONFIG.to_string()
        + "oxtile.drag({\"mod4\"}, 1, \"move\")\noxtile.drag({\"mod4\"}, 3, \"resize\")\n"
}

#[test]
fn mod4_button1_drag_moves_a_floating_window_to_where_the_pointer_ends() {
    let session = Session::start(&config());
    let client = session.client();
    let tiled = client.window().title("tiled").map();
    let dialog = client
        .window()
        .title("dialog")
        .window_type(WindowType::Dialog)
        .size(300, 200)
        .map();
    let start = Rect::screen().centered(300, 200);
    session.wait_for_geometry(
        &client,
        &[tiled, dialog],
        &[Rect::screen(), start],
        "placed",
    );
    let (x, y) = start.center();
    client.drag(&["mod4"], 1, (x, y), (x + 250, y - 120));
    let moved = Rect::new(start.x + 250, start.y - 120, 300, 200);
    session.wait_for_geometry(
        &client,
        &[dialog],
        &[moved],
        "the dialog followed the pointer",
    );
    session.wait_for(|s| s.focused() == Some(dialog), "and has the focus");
    // The tiled window did not move.
    assert_eq!(client.geometry(tiled), Rect::screen());
    // A plain click (no modifier) does not drag.
    client.click(x + 250, y - 120, 1);
    session.sync();
    assert_eq!(client.geometry(dialog), moved);
}

#[test]
fn mod4_button3_drag_resizes_within_the_size_hints() {
    let session = Session::start(&config());
    let client = session.client();
    let term = client
        .window()
        .title("term")
        .window_type(WindowType::Utility)
        .size(300, 200)
        .min_size(100, 60)
        .resize_inc(10, 20)
        .map();
    let start = Rect::screen().centered(300, 200);
    session.wait_for_geometry(&client, &[term], &[start], "placed");
    let (x, y) = start.center();
    client.drag(&["mod4"], 3, (x, y), (x + 57, y + 45));
    let grown = Rect::new(start.x, start.y, 350, 240);
    session.wait_for_geometry(&client, &[term], &[grown], "grown by whole increments");
    client.drag(&["mod4"], 3, (x, y), (x - 600, y - 600));
    let least = Rect::new(start.x, start.y, 100, 60);
    session.wait_for_geometry(&client, &[term], &[least], "never below the minimum");
}

#[test]
fn dragging_a_tiled_window_floats_it() {
    let session = Session::start(&config());
    let client = session.client();
    let a = client.window().title("a").map();
    let b = client.window().title("b").map();
    let tiles = xephyr_tests::expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[a, b], &tiles, "tiled");
    let (x, y) = tiles[1].center();
    client.drag(&["mod4"], 1, (x, y), (x - 100, y + 50));
    session.wait_for(
        |s| s.window(b).is_some_and(|w| w.floating),
        "b floats once dragged",
    );
    let moved = Rect::new(tiles[1].x - 100, tiles[1].y + 50, tiles[1].w, tiles[1].h);
    session.wait_for_geometry(
        &client,
        &[a, b],
        &[Rect::screen(), moved],
        "a alone tiled, b moved",
    );
}

#[test]
fn a_window_dropped_on_the_other_monitor_joins_its_group() {
    let server = XServer::start();
    for args in [
        ["--setmonitor", "left", "640/169x800/212+0+0", "screen"],
        ["--setmonitor", "right", "640/169x800/212+640+0", "none"],
    ] {
        let ok = Command::new("xrandr")
            .args(args)
            .env("DISPLAY", server.display())
            .status()
            .expect("xrandr");
        assert!(ok.success());
    }
    let session = Session::builder().server(server).config(&config()).start();
    session.wait_for(|s| s.screens().len() == 2, "two screens");
    let client = session.client();
    let dialog = client
        .window()
        .window_type(WindowType::Dialog)
        .size(200, 100)
        .map();
    let start = Rect::new(0, 0, 640, 800).centered(200, 100);
    session.wait_for_geometry(&client, &[dialog], &[start], "on the left");
    let (x, y) = start.center();
    client.drag(&["mod4"], 1, (x, y), (x + 640, y));
    session.wait_for(
        |s| s.window(dialog).is_some_and(|w| w.group == "2"),
        "dropped on the right screen: in its group",
    );
    session.wait_for_geometry(
        &client,
        &[dialog],
        &[Rect::new(start.x + 640, start.y, 200, 100)],
        "where it was dropped",
    );
}

#[test]
fn clients_move_themselves_with_net_wm_moveresize() {
    let session = Session::start_default();
    let client = session.client();
    let csd = client
        .window()
        .title("client-side decorations")
        .window_type(WindowType::Utility)
        .size(300, 200)
        .map();
    let start = Rect::screen().centered(300, 200);
    session.wait_for_geometry(&client, &[csd], &[start], "placed");
    // The user presses on the client's title bar; the client asks the WM to move it.
    let (x, y) = (start.x + 20, start.y + 5);
    client.move_pointer(x, y);
    client.button_press(1);
    client.request_moveresize(csd, x, y, 8, 1);
    session.sync();
    client.move_pointer(x + 100, y + 60);
    client.move_pointer(x + 150, y + 80);
    client.button_release(1);
    let moved = Rect::new(start.x + 150, start.y + 80, 300, 200);
    session.wait_for_geometry(&client, &[csd], &[moved], "moved with the pointer");
    // The drag is over: more motion changes nothing.
    client.move_pointer(10, 10);
    session.sync();
    assert_eq!(client.geometry(csd), moved);
    // A resize from the bottom-right corner.
    let (x, y) = (moved.right() - 2, moved.bottom() - 2);
    client.move_pointer(x, y);
    client.button_press(1);
    client.request_moveresize(csd, x, y, 4, 1);
    session.sync();
    client.move_pointer(x + 40, y + 30);
    client.button_release(1);
    session.wait_for_geometry(
        &client,
        &[csd],
        &[Rect::new(moved.x, moved.y, 340, 230)],
        "resized from its corner",
    );
}
