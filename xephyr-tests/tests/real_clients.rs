//! Real programs instead of test windows: xterm started by the test and by a key binding is
//! managed and tiled, and xdotool activates windows through EWMH.

use xephyr_tests::{expected, Rect, Session, WindowInfo};

/// Wait for the managed window titled `title` and return it.
fn managed_titled(session: &Session, title: &str) -> WindowInfo {
    session.wait_for_value(
        |s| s.windows().into_iter().find(|w| w.title == title),
        &format!("a managed window titled {title:?}"),
    )
}

/// xterm may keep its size a multiple of its character cell (its resize increments), so it
/// must sit at the tile's origin and fill it up to less than one cell (at most 40 px).
fn assert_fills(session: &Session, info: &WindowInfo, tile: Rect) {
    let client = session.client();
    session.wait_for_report(
        |_| {
            let r = client.geometry(info.id);
            let fills = (r.x, r.y) == (tile.x, tile.y)
                && tile.contains(&r)
                && r.w + 40 > tile.w
                && r.h + 40 > tile.h;
            if fills {
                Ok(())
            } else {
                Err(format!("{} is at {r}, its tile is {tile}", info.title))
            }
        },
        "xterm fills its tile",
    );
}

#[test]
fn xterms_are_managed_and_tiled() {
    let session = Session::start_default();
    session.spawn_program("xterm", &["-title", "xterm one"]);
    let one = managed_titled(&session, "xterm one");
    session.spawn_program("xterm", &["-title", "xterm two"]);
    let two = managed_titled(&session, "xterm two");
    assert_eq!(
        (one.class.as_str(), one.instance.as_str()),
        ("XTerm", "xterm")
    );
    assert!(!one.floating && !two.floating);

    let tiles = expected::monadtall(2, Rect::screen());
    assert_fills(&session, &one, tiles[0]);
    assert_fills(&session, &two, tiles[1]);
    session.wait_for(|s| s.focused() == Some(two.id), "the newest xterm focused");

    // xdotool activates through _NET_ACTIVE_WINDOW, as desktop tools do.
    let found = session.run_program("xdotool", &["search", "--name", "^xterm one$"]);
    assert_eq!(found.trim(), one.id.to_string());
    session.run_program("xdotool", &["windowactivate", &one.id.to_string()]);
    session.wait_for(|s| s.focused() == Some(one.id), "xdotool focused xterm one");
}

#[test]
fn mod4_return_spawns_an_xterm_that_gets_managed() {
    let session = Session::start_default();
    session.client().key(&["mod4"], "Return");
    let xterm = session.wait_for_value(
        |s| s.windows().into_iter().find(|w| w.class == "XTerm"),
        "the xterm spawned by mod4+Return managed",
    );
    assert_fills(&session, &xterm, Rect::screen());
    session.wait_for(|s| s.focused() == Some(xterm.id), "the new xterm focused");
}
