//! Several monitors: Xvfb's one output split into RandR monitors with `xrandr
//! --setmonitor` (which reaches oxtile as a ConfigureNotify of the root, re-read after the
//! debounce), each screen with its own group; the primary first; screen actions; a monitor
//! removed while it shows windows; `fake_screens` from the config.

use std::process::Command;

use serde_json::Value;
use xephyr_tests::{expected, Rect, Session, XServer};

const LEFT: Rect = Rect::new(0, 0, 640, 800);
const RIGHT: Rect = Rect::new(640, 0, 640, 800);

/// Run xrandr on `display`; panics with its output when it fails.
fn xrandr(display: &str, args: &[&str]) {
    let out = Command::new("xrandr")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xrandr runs");
    assert!(
        out.status.success(),
        "xrandr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Split the 1280x800 output into two 640x800 monitors; `primary_right` makes the right
/// one primary (an asterisk before the name).
fn split(display: &str, primary_right: bool) {
    xrandr(
        display,
        &["--setmonitor", "left", "640/169x800/212+0+0", "screen"],
    );
    let right = if primary_right { "*right" } else { "right" };
    xrandr(
        display,
        &["--setmonitor", right, "640/169x800/212+640+0", "none"],
    );
}

fn screen_rects(session: &Session) -> Vec<Rect> {
    session
        .screens()
        .iter()
        .map(|s| Rect::new(s.x, s.y, s.width, s.height))
        .collect()
}

fn wait_screens(session: &Session, want: &[Rect], what: &str) {
    session.wait_for_report(
        |s| {
            let got = screen_rects(s);
            if got == want {
                Ok(())
            } else {
                Err(format!("screens {got:?}"))
            }
        },
        what,
    );
}

#[test]
fn two_monitors_get_their_own_groups_and_work_areas() {
    let server = XServer::start();
    split(server.display(), false);
    let session = Session::builder().server(server).start();
    wait_screens(&session, &[LEFT, RIGHT], "two screens, left to right");
    let screens = session.screens();
    assert_eq!(
        (screens[0].group.as_str(), screens[1].group.as_str()),
        ("1", "2")
    );
    let client = session.client();
    let a = client.window().title("on the left").map();
    let b = client.window().title("also left").map();
    session.wait_for_geometry(
        &client,
        &[a, b],
        &expected::monadtall(2, LEFT),
        "tiled on the left screen",
    );
    session.cmd(&["next-screen"]).expect("next-screen");
    let c = client.window().title("on the right").map();
    session.wait_for_geometry(&client, &[c], &[RIGHT], "the right screen's group");
    assert_eq!(session.window(c).expect("managed").group, "2");
    session.wait_for(
        |_| client.work_areas()[..2] == [LEFT, RIGHT],
        "_NET_WORKAREA: each group the area of its screen",
    );
    // The group of the other screen swaps over (qtile semantics).
    session.cmd(&["to-group", "1"]).expect("to-group");
    session.wait_for_geometry(
        &client,
        &[a, b, c],
        &[
            expected::monadtall(2, RIGHT)[0],
            expected::monadtall(2, RIGHT)[1],
            LEFT,
        ],
        "groups swapped screens",
    );
    // Move the focused window (a or b) to the other screen's group.
    let focused = session.focused().expect("a focused window");
    session
        .cmd(&["move-to-screen", "0"])
        .expect("move-to-screen");
    session.wait_for(
        |s| {
            s.window(focused)
                .is_some_and(|w| w.group == "2" && w.visible)
        },
        "moved to the left screen's group",
    );
    let err = session.cmd(&["to-screen", "7"]).expect_err("no screen 7");
    assert!(err.stderr.contains("no such screen: 7"), "{err}");
}

#[test]
fn the_primary_monitor_comes_first() {
    let server = XServer::start();
    split(server.display(), true);
    let session = Session::builder().server(server).start();
    wait_screens(&session, &[RIGHT, LEFT], "primary (right) first");
    let client = session.client();
    let w = client.window().map();
    session.wait_for_geometry(
        &client,
        &[w],
        &[RIGHT],
        "new windows on the focused, primary screen",
    );
}

#[test]
fn adding_and_removing_a_monitor_relayouts_and_keeps_every_window_in_sight() {
    let session = Session::start_default();
    let display = session.display().to_string();
    let client = session.client();
    let a = client.window().title("a").map();
    let b = client.window().title("b").map();
    session.wait_for_geometry(
        &client,
        &[a, b],
        &expected::monadtall(2, Rect::screen()),
        "one screen",
    );
    split(&display, false);
    wait_screens(&session, &[LEFT, RIGHT], "xrandr --setmonitor noticed");
    session.wait_for_geometry(
        &client,
        &[a, b],
        &expected::monadtall(2, LEFT),
        "re-laid out on the left",
    );
    // Windows on the right screen's group.
    session.cmd(&["to-screen", "1"]).expect("to-screen");
    let c = client.window().title("c").map();
    let d = client
        .window()
        .title("d")
        .window_type(xephyr_tests::WindowType::Dialog)
        .size(200, 100)
        .map();
    session.wait_for_geometry(
        &client,
        &[c, d],
        &[RIGHT, RIGHT.centered(200, 100)],
        "right screen",
    );
    session.cmd(&["to-screen", "0"]).expect("to-screen");

    xrandr(&display, &["--delmonitor", "right"]);
    wait_screens(&session, &[LEFT], "the right monitor is gone");
    session.wait_for_report(
        |s| {
            let wins = s.windows();
            let bad: Vec<String> = wins
                .iter()
                .filter(|w| !(w.visible && w.group == "1" && client.is_shown(w.id)))
                .map(|w| format!("{} in group {} visible {}", w.title, w.group, w.visible))
                .collect();
            if wins.len() == 4 && bad.is_empty() {
                Ok(())
            } else {
                Err(bad.join(", "))
            }
        },
        "every window moved to the remaining screen's group and shown",
    );
    let order: Vec<u32> = session.current_group().windows;
    assert_eq!(order, [a, b, c, d]);
    session.wait_for_geometry(
        &client,
        &[d],
        &[LEFT.centered(200, 100)],
        "the floating window keeps its place on its new screen",
    );
    session.wait_for(
        |_| client.work_areas().first() == Some(&LEFT),
        "_NET_WORKAREA follows",
    );
}

#[test]
fn fake_screens_split_one_output() {
    let config = xephyr_tests::DEFAULT_CONFIG.to_string()
        + "oxtile.fake_screens{ { x = 0, y = 0, width = 800, height = 800 }, \
           { x = 800, y = 0, width = 480, height = 800 } }\n";
    let session = Session::start(&config);
    let left = Rect::new(0, 0, 800, 800);
    let right = Rect::new(800, 0, 480, 800);
    wait_screens(&session, &[left, right], "the configured screens");
    let client = session.client();
    let w = client.window().map();
    session.wait_for_geometry(&client, &[w], &[left], "on the first fake screen");
    session.cmd(&["move-to-next-screen"]).expect("move");
    session.wait_for_geometry(&client, &[w], &[right], "on the second");
    let screens: Value = session.cmd_json(&["screens"]);
    assert_eq!(screens[1]["group"], "2");
}

/// The same with a dock: struts count per monitor (`_NET_WM_STRUT_PARTIAL` ranges).
#[test]
fn a_dock_on_one_monitor_shrinks_only_that_monitor() {
    let server = XServer::start();
    split(server.display(), false);
    let session = Session::builder().server(server).start();
    wait_screens(&session, &[LEFT, RIGHT], "two screens");
    let client = session.client();
    let a = client.window().map();
    session.cmd(&["to-screen", "1"]).expect("to-screen");
    let b = client.window().map();
    session.wait_for_geometry(&client, &[a, b], &[LEFT, RIGHT], "one window per screen");
    // A 24-pixel top bar over x 640..1279: the right monitor only.
    client
        .window()
        .strut_partial([0, 0, 24, 0, 0, 0, 0, 0, 640, 1279, 0, 0])
        .map();
    session.wait_for_geometry(
        &client,
        &[a, b],
        &[LEFT, Rect::new(640, 24, 640, 776)],
        "only the right screen lost the bar's height",
    );
}

/// A server whose monitors only Xinerama reports (nested Xephyr with two screens and
/// `+xinerama`): oxtile takes the two heads, not the one screen RandR reports there.
#[test]
fn xinerama_heads_are_screens_when_randr_knows_fewer() {
    let server = XServer::start_xinerama();
    let session = Session::builder().server(server).start();
    wait_screens(&session, &[LEFT, RIGHT], "the two Xinerama heads");
    let client = session.client();
    let a = client.window().map();
    session.cmd(&["to-screen", "1"]).expect("to-screen");
    let b = client.window().map();
    session.wait_for_geometry(&client, &[a, b], &[LEFT, RIGHT], "one window per head");
}
