//! The rest of EWMH, driven by the tools desktops use: wmctrl (-l -G -p, -d, -s, -r -t,
//! -r -b, -r -e, -a, -c, -n, -k) and xdotool (windowactivate, set_desktop,
//! set_desktop_for_window, windowminimize, key, mousemove/click), checked against
//! `oxtile cmd … --json` and the properties X holds.

use x11rb::protocol::xproto::{ChangeWindowAttributesAux, ConnectionExt as _, EventMask};
use x11rb::protocol::Event;
use xephyr_tests::{expected, Rect, Session, StateAction, TestClient, WindowType};

/// `wmctrl -l -G -p` rows: (id, desktop, pid, x, y, w, h, machine, title).
type Row = (u32, i64, u32, i32, i32, u32, u32, String, String);

fn wmctrl_list(session: &Session) -> Vec<Row> {
    session
        .run_program("wmctrl", &["-l", "-G", "-p"])
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let id = u32::from_str_radix(f[0].trim_start_matches("0x"), 16).expect("hex id");
            (
                id,
                f[1].parse().expect("desktop"),
                f[2].parse().expect("pid"),
                f[3].parse().expect("x"),
                f[4].parse().expect("y"),
                f[5].parse().expect("w"),
                f[6].parse().expect("h"),
                f[7].to_string(),
                f[8..].join(" "),
            )
        })
        .collect()
}

/// `wmctrl -d` rows: (index, current, work area "X,Y WxH").
fn wmctrl_desktops(session: &Session) -> Vec<(usize, bool, String)> {
    session
        .run_program("wmctrl", &["-d"])
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let wa = f.iter().position(|&x| x == "WA:").expect("WA: column");
            (
                f[0].parse().expect("index"),
                f[1] == "*",
                format!("{} {}", f[wa + 1], f[wa + 2]),
            )
        })
        .collect()
}

fn wait_focused(session: &Session, client: &TestClient, win: u32, what: &str) {
    session.wait_for(
        |s| s.focused() == Some(win) && client.active_window() == Some(win),
        what,
    );
}

#[test]
fn wmctrl_lists_windows_with_geometry_desktop_pid_and_machine() {
    let session = Session::start_default();
    let client = session.client();
    let a = client
        .window()
        .title("alpha")
        .process(4242, "testhost")
        .map();
    let b = client
        .window()
        .title("beta")
        .process(4343, "otherhost")
        .map();
    let tiles = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[a, b], &tiles, "two tiled");
    let rows = wmctrl_list(&session);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (win, tile, pid, host, title) in [
        (a, tiles[0], 4242, "testhost", "alpha"),
        (b, tiles[1], 4343, "otherhost", "beta"),
    ] {
        let row = rows.iter().find(|r| r.0 == win).expect("listed");
        assert_eq!((row.1, row.2), (0, pid));
        assert_eq!((row.5, row.6), (tile.w, tile.h));
        // wmctrl translates the window's own position once more (a known wmctrl quirk
        // for windows that are direct children of the root, as oxtile's are).
        assert_eq!((row.3, row.4), (2 * tile.x, 2 * tile.y));
        assert_eq!((row.7.as_str(), row.8.as_str()), (host, title));
    }
    // oxtile cmd windows tells the same.
    let info = session.window(a).expect("managed");
    assert_eq!((info.pid, info.machine.as_str()), (Some(4242), "testhost"));
    let text = session.cmd(&["windows"]).expect("windows");
    assert!(text.contains("pid 4242@testhost"), "{text}");
}

#[test]
fn xterm_pid_and_machine_are_reported() {
    let session = Session::start_default();
    let pid = session.spawn_program("xterm", &["-title", "pid test"]);
    let w = session.wait_for_value(
        |s| s.windows().into_iter().find(|w| w.title == "pid test"),
        "xterm managed",
    );
    assert_eq!(w.pid, Some(pid));
    assert!(!w.machine.is_empty(), "xterm sets WM_CLIENT_MACHINE");
}

#[test]
fn wmctrl_switches_desktops_moves_windows_and_sees_work_areas() {
    let session = Session::start_default();
    let client = session.client();
    let one = client.window().title("window one").map();
    let two = client.window().title("window two").map();
    session.wait_for_managed(&[one, two], "managed");

    session.run_program("wmctrl", &["-r", "window one", "-t", "2"]);
    session.wait_for(
        |s| s.window(one).is_some_and(|w| w.group == "3" && !w.visible),
        "window one moved to group 3 by wmctrl -r -t",
    );
    session.wait_for(
        |_| client.window_desktop(one) == Some(2),
        "_NET_WM_DESKTOP 2",
    );
    session.run_program("wmctrl", &["-s", "2"]);
    session.wait_for(
        |s| s.current_group().name == "3" && client.is_shown(one) && !client.is_shown(two),
        "wmctrl -s 2 shows group 3",
    );
    session.wait_for_geometry(&client, &[one], &[Rect::screen()], "alone in group 3");
    let desktops = wmctrl_desktops(&session);
    assert_eq!(desktops.len(), 3);
    assert_eq!(
        desktops.iter().map(|d| d.1).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert!(
        desktops.iter().all(|d| d.2 == "0,0 1280x800"),
        "{desktops:?}"
    );
}

#[test]
fn a_dock_with_struts_shrinks_the_work_area() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_geometry(&client, &[win], &[Rect::screen()], "whole screen");
    let dock = client.window().title("dock").dock_strut(0, 0, 30, 0).map();
    let area = Rect::new(0, 30, 1280, 770);
    session.wait_for_geometry(&client, &[win], &[area], "tiled below the dock");
    session.wait_for(
        |_| client.work_areas() == vec![area; 3],
        "_NET_WORKAREA minus the dock, for every desktop",
    );
    assert!(client.is_mapped(dock), "the dock is shown");
    assert!(
        !session.windows().iter().any(|w| w.id == dock),
        "not managed"
    );
    let screens = session.cmd_json(&["screens"]);
    assert_eq!(screens[0]["work_area"]["y"], 30);
    assert!(wmctrl_desktops(&session)
        .iter()
        .all(|d| d.2 == "0,30 1280x770"));
    // A partial strut on the right half only: the whole screen is one monitor, so it
    // still counts (it covers part of it).
    client.destroy(dock);
    session.wait_for_geometry(&client, &[win], &[Rect::screen()], "dock gone");
    let bottom = [0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 640, 1279];
    client.window().strut_partial(bottom).map();
    session.wait_for_geometry(
        &client,
        &[win],
        &[Rect::new(0, 0, 1280, 780)],
        "a bottom partial strut",
    );
}

#[test]
fn wmctrl_toggles_fullscreen_and_other_states_of_the_active_window() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("a").map();
    let b = client.window().title("b").map();
    wait_focused(&session, &client, b, "b focused");
    session.run_program("wmctrl", &["-r", ":ACTIVE:", "-b", "toggle,fullscreen"]);
    session.wait_for_geometry(&client, &[b], &[Rect::screen()], "b fullscreen");
    session.wait_for(
        |_| client.has_fullscreen_state(b),
        "_NET_WM_STATE_FULLSCREEN",
    );
    session.wait_for(
        |_| client.stacking_order().last() == Some(&b),
        "the fullscreen window on top",
    );
    session.run_program("wmctrl", &["-r", ":ACTIVE:", "-b", "toggle,fullscreen"]);
    let tiles = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[a, b], &tiles, "tiled again");

    let atoms = *client.atoms();
    session.run_program(
        "wmctrl",
        &["-r", ":ACTIVE:", "-b", "add,above,skip_taskbar"],
    );
    session.wait_for(
        |_| {
            let st = client.net_wm_state(b);
            st.contains(&atoms._NET_WM_STATE_ABOVE)
                && st.contains(&atoms._NET_WM_STATE_SKIP_TASKBAR)
        },
        "above and skip_taskbar set",
    );
    // Maximized both ways, a tiled window floats over the work area.
    session.run_program(
        "wmctrl",
        &["-r", "a", "-b", "add,maximized_vert,maximized_horz"],
    );
    session.wait_for_geometry(
        &client,
        &[a, b],
        &[Rect::screen(), Rect::screen()],
        "a maximized over b alone",
    );
    session.wait_for(
        |_| {
            let st = client.net_wm_state(a);
            st.contains(&atoms._NET_WM_STATE_MAXIMIZED_VERT)
                && st.contains(&atoms._NET_WM_STATE_MAXIMIZED_HORZ)
        },
        "maximized states published",
    );
    session.run_program(
        "wmctrl",
        &["-r", "a", "-b", "remove,maximized_vert,maximized_horz"],
    );
    session.wait_for_geometry(&client, &[a, b], &tiles, "tiled again after unmaximize");
}

#[test]
fn wmctrl_activates_closes_and_moves_windows() {
    let session = Session::start_default();
    let client = session.client();
    let far = client.window().title("far away").map();
    session.wait_for_managed(&[far], "managed");
    session.cmd(&["move-to-group", "3"]).expect("move");
    let near = client.window().title("near").map();
    wait_focused(&session, &client, near, "near focused");

    session.run_program("wmctrl", &["-a", "far away"]);
    session.wait_for(
        |s| s.current_group().name == "3" && s.focused() == Some(far),
        "wmctrl -a switched to group 3 and focused the window",
    );
    // -e uses _NET_MOVERESIZE_WINDOW: a floating window moves and resizes.
    let dialog = client
        .window()
        .title("the dialog")
        .window_type(WindowType::Dialog)
        .size(200, 100)
        .map();
    session.wait_for(
        |s| s.window(dialog).is_some_and(|w| w.floating),
        "dialog floats",
    );
    session.run_program("wmctrl", &["-r", "the dialog", "-e", "0,100,120,300,200"]);
    session.wait_for_geometry(
        &client,
        &[dialog],
        &[Rect::new(100, 120, 300, 200)],
        "moved by _NET_MOVERESIZE_WINDOW",
    );
    session.run_program("wmctrl", &["-r", "the dialog", "-e", "0,-1,-1,250,-1"]);
    session.wait_for_geometry(
        &client,
        &[dialog],
        &[Rect::new(100, 120, 250, 200)],
        "only the width changed (-1 keeps a value)",
    );
    session.run_program("wmctrl", &["-c", "far away"]);
    session.wait_for(
        |_| {
            client.process_events();
            !client.exists(far)
        },
        "wmctrl -c closed it (WM_DELETE_WINDOW answered)",
    );
    session.wait_for_managed(&[near, dialog], "far is gone");
}

#[test]
fn wmctrl_sets_the_number_of_desktops_and_shows_the_desktop() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_managed(&[win], "managed");
    session.run_program("wmctrl", &["-n", "5"]);
    session.wait_for(
        |s| s.groups().len() == 5 && client.number_of_desktops() == Some(5),
        "five desktops",
    );
    assert_eq!(client.desktop_names(), ["1", "2", "3", "4", "5"]);
    session.run_program("wmctrl", &["-n", "2"]);
    session.wait_for(|_| client.number_of_desktops() == Some(2), "two desktops");

    let atoms = *client.atoms();
    session.run_program("wmctrl", &["-k", "on"]);
    session.wait_for(
        |_| {
            !client.is_mapped(win)
                && client.cardinals(client.root(), atoms._NET_SHOWING_DESKTOP) == [1]
        },
        "showing the desktop hides the window",
    );
    assert_eq!(session.focused(), None);
    session.run_program("wmctrl", &["-k", "off"]);
    session.wait_for(
        |_| {
            client.is_mapped(win)
                && client.cardinals(client.root(), atoms._NET_SHOWING_DESKTOP) == [0]
        },
        "and shows it again",
    );
    wait_focused(&session, &client, win, "the focus is back");
}

#[test]
fn xdotool_activates_moves_and_minimizes_windows() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("xa").map();
    let b = client.window().title("xb").map();
    wait_focused(&session, &client, b, "b focused");
    let (ia, ib) = (a.to_string(), b.to_string());

    session.run_program("xdotool", &["set_desktop_for_window", &ia, "1"]);
    session.wait_for(
        |s| s.window(a).is_some_and(|w| w.group == "2"),
        "a sent to group 2",
    );
    session.run_program("xdotool", &["windowactivate", &ia]);
    session.wait_for(
        |s| s.current_group().name == "2" && s.focused() == Some(a),
        "windowactivate switched to group 2 and focused a",
    );
    session.run_program("xdotool", &["set_desktop", "0"]);
    session.wait_for(|s| s.current_group().name == "1", "set_desktop 0");
    wait_focused(&session, &client, b, "b focused in group 1");

    // Minimize: WM_CHANGE_STATE iconic. The window is hidden, Iconic, _NET_WM_STATE_HIDDEN.
    session.run_program("xdotool", &["windowminimize", &ib]);
    let atoms = *client.atoms();
    session.wait_for(
        |s| {
            s.window(b).is_some_and(|w| w.minimized && !w.visible)
                && !client.is_mapped(b)
                && client.wm_state(b) == Some(3)
                && client.net_wm_state(b).contains(&atoms._NET_WM_STATE_HIDDEN)
        },
        "b minimized",
    );
    assert_eq!(session.focused(), None, "nothing else to focus in group 1");
    session.run_program("xdotool", &["windowactivate", &ib]);
    session.wait_for(
        |s| s.window(b).is_some_and(|w| !w.minimized && w.visible) && client.is_mapped(b),
        "shown again by _NET_ACTIVE_WINDOW",
    );
    wait_focused(&session, &client, b, "and focused");
    assert!(!client.net_wm_state(b).contains(&atoms._NET_WM_STATE_HIDDEN));
}

#[test]
fn xdotool_keys_and_clicks_go_through_xtest() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("ka").map();
    let b = client.window().title("kb").map();
    let tiles = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[a, b], &tiles, "tiled");
    wait_focused(&session, &client, b, "b focused");
    session.run_program("xdotool", &["key", "super+j"]);
    wait_focused(&session, &client, a, "super+j focused the next window");

    // A click focuses b and reaches b itself.
    let mask = EventMask::BUTTON_PRESS | EventMask::STRUCTURE_NOTIFY | EventMask::FOCUS_CHANGE;
    client
        .conn()
        .change_window_attributes(b, &ChangeWindowAttributesAux::new().event_mask(mask))
        .expect("select ButtonPress");
    client.take_events();
    let (x, y) = tiles[1].center();
    session.run_program(
        "xdotool",
        &["mousemove", &x.to_string(), &y.to_string(), "click", "1"],
    );
    wait_focused(&session, &client, b, "the click focused b");
    session.wait_for(
        |_| {
            client
                .take_events()
                .iter()
                .any(|e| matches!(e, Event::ButtonPress(p) if p.event == b))
        },
        "the click reached b",
    );
}

#[test]
fn supported_atoms_frame_extents_and_allowed_actions() {
    let session = session_with_borders();
    let client = session.client();
    let atoms = *client.atoms();
    let supported = client.cardinals(client.root(), atoms._NET_SUPPORTED);
    for a in [
        atoms._NET_WORKAREA,
        atoms._NET_SHOWING_DESKTOP,
        atoms._NET_FRAME_EXTENTS,
        atoms._NET_REQUEST_FRAME_EXTENTS,
        atoms._NET_WM_ALLOWED_ACTIONS,
        atoms._NET_WM_MOVERESIZE,
        atoms._NET_MOVERESIZE_WINDOW,
        atoms._NET_WM_STATE_HIDDEN,
        atoms._NET_WM_STATE_STICKY,
        atoms._NET_CLIENT_LIST_STACKING,
    ] {
        assert!(
            supported.contains(&a),
            "atom {a} missing from _NET_SUPPORTED"
        );
    }
    // Asked before mapping: the border that the window will get.
    let unmapped = client.window().create();
    client.request_frame_extents(unmapped);
    session.wait_for(
        |_| client.cardinals(unmapped, atoms._NET_FRAME_EXTENTS) == [3, 3, 3, 3],
        "_NET_FRAME_EXTENTS answered for an unmapped window",
    );
    let win = client.window().map();
    let fixed = client.window().fixed_size(100, 80).map();
    session.wait_for(
        |_| {
            client.cardinals(win, atoms._NET_FRAME_EXTENTS) == [3, 3, 3, 3]
                && client
                    .cardinals(win, atoms._NET_WM_ALLOWED_ACTIONS)
                    .contains(&atoms._NET_WM_ACTION_RESIZE)
        },
        "frame extents and allowed actions of a window",
    );
    let fixed_actions = client.cardinals(fixed, atoms._NET_WM_ALLOWED_ACTIONS);
    assert!(fixed_actions.contains(&atoms._NET_WM_ACTION_CLOSE));
    assert!(!fixed_actions.contains(&atoms._NET_WM_ACTION_RESIZE));
}

#[test]
fn popups_are_not_managed_and_desktop_windows_stay_below() {
    let session = Session::start_default();
    let client = session.client();
    let desktop = client.window().window_type(WindowType::Desktop).map();
    let win = client.window().title("app").map();
    let note = client
        .window()
        .window_type(WindowType::Notification)
        .geometry(Rect::new(1000, 20, 250, 60))
        .map();
    let tip = client
        .window()
        .window_type(WindowType::Tooltip)
        .geometry(Rect::new(100, 100, 80, 20))
        .map();
    session.wait_for_managed(&[win], "only the app is managed");
    wait_focused(&session, &client, win, "the app focused");
    session.wait_for(
        |_| {
            let order = client.stacking_order();
            let pos = |w| order.iter().position(|&x| x == w);
            client.is_mapped(note)
                && client.is_mapped(tip)
                && client.is_mapped(desktop)
                && pos(desktop) < pos(win)
                && pos(win) < pos(note)
                && pos(win) < pos(tip)
        },
        "desktop window below, popups above, all shown where they asked",
    );
    assert_eq!(client.geometry(note), Rect::new(1000, 20, 250, 60));
    // Clicking a notification does not give it the focus.
    client.click(1100, 40, 1);
    session.sync();
    assert_eq!(session.focused(), Some(win));
    assert_eq!(client.client_list_stacking(), [win]);
}

/// The test config with 3-pixel borders.
fn session_with_borders() -> Session {
    let config = xephyr_tests::DEFAULT_CONFIG.replace("border_width = 0", "border_width = 3");
    Session::start(&config)
}

#[test]
fn state_requests_from_clients_keep_windows_above_and_sticky() {
    let session = Session::start_default();
    let client = session.client();
    let atoms = *client.atoms();
    let tiled = client.window().title("tiled").map();
    let tool = client
        .window()
        .title("tool")
        .window_type(WindowType::Utility)
        .size(100, 100)
        .map();
    session.wait_for_managed(&[tiled, tool], "managed");
    client.request_state(tool, StateAction::Add, atoms._NET_WM_STATE_STICKY, 0);
    session.wait_for(
        |_| client.window_desktop(tool) == Some(0xffff_ffff),
        "sticky: _NET_WM_DESKTOP 0xFFFFFFFF",
    );
    session.cmd(&["to-group", "2"]).expect("to-group");
    session.wait_for(
        |_| client.is_shown(tool) && !client.is_shown(tiled),
        "the sticky window stays in sight on group 2",
    );
    client.request_state(tool, StateAction::Toggle, atoms._NET_WM_STATE_STICKY, 0);
    session.cmd(&["to-group", "1"]).expect("to-group");
    session.wait_for(
        |_| !client.is_shown(tool) && client.is_shown(tiled),
        "no longer sticky: it stays in group 2",
    );
    // _NET_CLIENT_LIST_STACKING lists the shown window last.
    session.wait_for(
        |_| client.client_list_stacking().last() == Some(&tiled),
        "stacking list true",
    );
}
