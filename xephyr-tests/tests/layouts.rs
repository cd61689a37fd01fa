//! Tiling geometry: every built-in layout with 1 to 5 windows gives the exact rectangles of
//! the contract (1280x800, no border, no margin), re-tiles when a window goes, and the
//! layout can be changed by command, by name and by key.

use xephyr_tests::{config_with_layouts, expected, Rect, Session};

/// Map five windows one by one into a group whose only layout is `layout`, checking every
/// step against the expected rectangles, then close the oldest.
fn tiles_one_to_five_windows(layout: &str) {
    let session = Session::start(&config_with_layouts(&[layout]));
    assert_eq!(session.layout().layout, layout);
    let client = session.client();
    let mut wins = Vec::new();
    for n in 1..=5 {
        wins.push(client.window().title(&format!("{layout} {n}")).map());
        let rects = expected::by_name(layout, n, Rect::screen());
        session.wait_for_geometry(&client, &wins, &rects, &format!("{layout}, {n} windows"));
        if layout != "max" {
            assert!(
                wins.iter().all(|&w| client.is_mapped(w)),
                "{layout}: every tiled window is on screen"
            );
        }
        let newest = *wins.last().expect("a window");
        assert!(
            client.is_mapped(newest),
            "{layout}: the new window is shown"
        );
    }
    client.destroy(wins.remove(0));
    let rects = expected::by_name(layout, 4, Rect::screen());
    session.wait_for_geometry(&client, &wins, &rects, &format!("{layout}, main closed"));
}

#[test]
fn monadtall_tiles_one_to_five_windows() {
    tiles_one_to_five_windows("monadtall");
}

#[test]
fn monadwide_tiles_one_to_five_windows() {
    tiles_one_to_five_windows("monadwide");
}

#[test]
fn columns_tiles_one_to_five_windows() {
    tiles_one_to_five_windows("columns");
}

#[test]
fn tile_tiles_one_to_five_windows() {
    tiles_one_to_five_windows("tile");
}

#[test]
fn max_gives_every_window_the_whole_screen() {
    tiles_one_to_five_windows("max");
}

#[test]
fn next_layout_cycles_in_config_order_by_command_and_by_key() {
    let session = Session::start_default();
    let order = [
        "monadtall",
        "columns",
        "max",
        "tile",
        "monadwide",
        "floating",
    ];
    for (i, name) in order.iter().enumerate() {
        session.wait_for(|s| s.layout().layout == *name, &format!("layout {name}"));
        let group = session.current_group();
        assert_eq!(
            group.layout, *name,
            "groups --json agrees with layout --json"
        );
        if i % 2 == 0 {
            session.cmd(&["next-layout"]).expect("next-layout");
        } else {
            session.client().key(&["mod4"], "Tab");
        }
    }
    session.wait_for(|s| s.layout().layout == "monadtall", "wrapped to monadtall");
}

#[test]
fn set_layout_by_name_retiles_and_rejects_unknown_names() {
    let session = Session::start_default();
    let client = session.client();
    let wins: Vec<u32> = (0..3).map(|_| client.window().map()).collect();
    let screen = Rect::screen();
    session.wait_for_geometry(&client, &wins, &expected::monadtall(3, screen), "monadtall");

    for layout in ["tile", "columns", "monadwide", "max"] {
        session.cmd(&["set-layout", layout]).expect("set-layout");
        let rects = expected::by_name(layout, 3, screen);
        session.wait_for_geometry(&client, &wins, &rects, &format!("switched to {layout}"));
    }
    let err = session
        .cmd(&["set-layout", "no-such-layout"])
        .expect_err("an unknown layout is an error");
    assert_eq!(err.code, Some(1));
    assert_eq!(session.layout().layout, "max", "the layout is unchanged");
}

#[test]
fn each_group_keeps_its_own_layout() {
    let session = Session::start_default();
    session.cmd(&["set-layout", "max"]).expect("set-layout");
    session.cmd(&["to-group", "2"]).expect("to-group");
    session.wait_for(
        |s| s.layout() == layout_of("2", "monadtall"),
        "group 2 starts on the first layout",
    );
    session.cmd(&["to-group", "1"]).expect("to-group");
    session.wait_for(|s| s.layout() == layout_of("1", "max"), "group 1 kept max");
}

fn layout_of(group: &str, layout: &str) -> xephyr_tests::LayoutInfo {
    xephyr_tests::LayoutInfo {
        group: group.into(),
        layout: layout.into(),
    }
}
