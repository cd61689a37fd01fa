//! Floating windows: dialogs, utilities, splash screens, transients and fixed-size windows
//! float at their own size, centred on their parent or the screen when they asked for 0,0,
//! take no room from the tiled windows, and may move themselves; the floating layout keeps
//! every window's own geometry.

use xephyr_tests::{expected, Rect, Session, WindowType};

#[test]
fn a_dialog_floats_centred_on_the_screen() {
    let session = Session::start_default();
    let client = session.client();
    let tiled = client.window().map();
    let dialog = client
        .window()
        .window_type(WindowType::Dialog)
        .size(300, 200)
        .map();
    session.wait_for(
        |s| s.window(dialog).is_some_and(|w| w.floating),
        "the dialog floats",
    );
    let centred = Rect::screen().centered(300, 200);
    assert_eq!(centred, Rect::new(490, 300, 300, 200));
    session.wait_for_geometry(
        &client,
        &[tiled, dialog],
        &[Rect::screen(), centred],
        "the dialog centred, the tiled window alone in the layout",
    );
    assert!(!session.window(tiled).expect("managed").floating);
    session.wait_for(|s| s.focused() == Some(dialog), "the dialog has the focus");
}

#[test]
fn a_transient_floats_centred_on_its_parent() {
    let session = Session::start_default();
    let client = session.client();
    let parent = client.window().title("parent").map();
    let other = client.window().title("other").map();
    let tiled = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[parent, other], &tiled, "two tiled");

    let transient = client
        .window()
        .title("transient")
        .transient_for(parent)
        .size(200, 100)
        .map();
    session.wait_for(
        |s| s.window(transient).is_some_and(|w| w.floating),
        "the transient floats",
    );
    let centred = tiled[0].centered(200, 100);
    assert_eq!(centred, Rect::new(220, 350, 200, 100));
    session.wait_for_geometry(
        &client,
        &[parent, other, transient],
        &[tiled[0], tiled[1], centred],
        "transient centred on its parent, tiling unchanged",
    );
}

#[test]
fn utility_and_splash_windows_float() {
    let session = Session::start_default();
    let client = session.client();
    let tiled = client.window().map();
    let utility = client
        .window()
        .window_type(WindowType::Utility)
        .size(150, 300)
        .map();
    let splash = client
        .window()
        .window_type(WindowType::Splash)
        .size(400, 250)
        .map();
    session.wait_for(
        |s| {
            let wins = s.windows();
            let floating = |id| wins.iter().any(|w| w.id == id && w.floating);
            floating(utility) && floating(splash) && !floating(tiled)
        },
        "utility and splash float, the normal window tiles",
    );
    let screen = Rect::screen();
    session.wait_for_geometry(
        &client,
        &[tiled, utility, splash],
        &[screen, screen.centered(150, 300), screen.centered(400, 250)],
        "floating at their own size",
    );
}

#[test]
fn a_fixed_size_window_floats_at_its_size() {
    let session = Session::start_default();
    let client = session.client();
    let fixed = client.window().fixed_size(320, 240).map();
    session.wait_for(
        |s| s.window(fixed).is_some_and(|w| w.floating),
        "min == max size floats",
    );
    let want = Rect::screen().centered(320, 240);
    session.wait_for_geometry(&client, &[fixed], &[want], "its own size, centred");
}

#[test]
fn a_dialog_that_asks_for_a_position_gets_it_and_may_move() {
    let session = Session::start_default();
    let client = session.client();
    let dialog = client
        .window()
        .window_type(WindowType::Dialog)
        .position(100, 120)
        .size(300, 200)
        .map();
    let placed = Rect::new(100, 120, 300, 200);
    session.wait_for_geometry(&client, &[dialog], &[placed], "where it asked to be");

    let moved = Rect::new(200, 150, 400, 300);
    client.request_geometry(dialog, moved);
    session.wait_for_geometry(
        &client,
        &[dialog],
        &[moved],
        "a floating window moves itself",
    );
}

#[test]
fn the_floating_layout_keeps_windows_where_they_asked() {
    let session = Session::start_default();
    session
        .cmd(&["set-layout", "floating"])
        .expect("set-layout");
    session.wait_for(|s| s.layout().layout == "floating", "floating layout");
    let client = session.client();
    let a = client.window().position(50, 60).size(300, 200).map();
    let b = client.window().position(700, 400).size(400, 300).map();
    session.wait_for_geometry(
        &client,
        &[a, b],
        &[Rect::new(50, 60, 300, 200), Rect::new(700, 400, 400, 300)],
        "own geometry kept",
    );
}
