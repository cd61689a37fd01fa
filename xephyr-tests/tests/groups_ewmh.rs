//! Groups as EWMH desktops and the EWMH window properties, checked with real pagers' tools
//! (wmctrl) against `oxtile cmd groups --json` / `windows --json`: switching groups, moving
//! windows between them, `_NET_CLIENT_LIST`, `WM_STATE` and fullscreen.

use xephyr_tests::{expected, Rect, Session, StateAction, TestClient};

/// `wmctrl -d` as (index, current, name) rows.
fn wmctrl_desktops(session: &Session) -> Vec<(usize, bool, String)> {
    session
        .run_program("wmctrl", &["-d"])
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let index = fields[0].parse().expect("desktop index");
            let name = fields.last().expect("desktop name").to_string();
            (index, fields[1] == "*", name)
        })
        .collect()
}

/// `wmctrl -l` as (window id, desktop, title) rows; lines are `ID DESKTOP MACHINE TITLE`.
fn wmctrl_windows(session: &Session) -> Vec<(u32, i64, String)> {
    session
        .run_program("wmctrl", &["-l"])
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let id = fields[0].trim_start_matches("0x");
            let id = u32::from_str_radix(id, 16).expect("hex window id");
            let desktop = fields[1].parse().expect("desktop number");
            (id, desktop, fields[3..].join(" "))
        })
        .collect()
}

/// Wait until group `name` is the focused one, shown on the screen and published as
/// `_NET_CURRENT_DESKTOP` = its index.
fn wait_current_group(session: &Session, client: &TestClient, name: &str, index: u32) {
    session.wait_for_report(
        |s| {
            let group = s.current_group();
            let shown = s.screens()[0].group.clone();
            let desktop = client.current_desktop();
            if group.name == name && shown == name && desktop == Some(index) {
                Ok(())
            } else {
                Err(format!(
                    "focused group {}, screen shows {shown}, _NET_CURRENT_DESKTOP {desktop:?}",
                    group.name
                ))
            }
        },
        &format!("group {name} current"),
    );
}

#[test]
fn wmctrl_sees_the_groups_as_desktops() {
    let session = Session::start_default();
    let client = session.client();
    session.wait_for(
        |_| client.number_of_desktops() == Some(3) && client.supporting_wm_check().is_some(),
        "EWMH desktops and the check window published",
    );
    let desktops = wmctrl_desktops(&session);
    let groups = session.groups();
    assert_eq!(desktops.len(), groups.len());
    for (d, g) in desktops.iter().zip(&groups) {
        assert_eq!(
            (d.0, d.1, d.2.as_str()),
            (g.index, g.focused, g.name.as_str())
        );
    }
    assert_eq!(desktops[0], (0, true, "1".to_string()));
    let info = session.run_program("wmctrl", &["-m"]);
    assert!(info.contains("Name: oxtile"), "wmctrl -m: {info}");
}

#[test]
fn switching_groups_hides_and_shows_their_windows() {
    let session = Session::start_default();
    let client = session.client();
    let one = client.window().title("in one").map();
    session.wait_for_managed(&[one], "managed");

    session.cmd(&["to-group", "2"]).expect("to-group");
    wait_current_group(&session, &client, "2", 1);
    session.wait_for(|_| !client.is_shown(one), "group 1's window hidden");
    let two = client.window().title("in two").map();
    session.wait_for(
        |s| s.window(two).is_some_and(|w| w.group == "2" && w.visible),
        "new window lands in the current group",
    );
    session.wait_for(
        |_| client.window_desktop(two) == Some(1),
        "_NET_WM_DESKTOP 1",
    );
    assert!(!session.window(one).expect("still managed").visible);
    let groups = session.groups();
    assert_eq!(groups[0].windows, [one]);
    assert_eq!(groups[1].windows, [two]);
    assert_eq!((groups[0].screen, groups[1].screen), (None, Some(0)));

    session.cmd(&["to-group", "1"]).expect("to-group");
    wait_current_group(&session, &client, "1", 0);
    session.wait_for(
        |_| client.is_shown(one) && !client.is_shown(two),
        "group 1 shown again, group 2 hidden",
    );
}

#[test]
fn wmctrl_switches_desktops_and_lists_windows() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("alpha window").map();
    session.cmd(&["to-group", "3"]).expect("to-group");
    wait_current_group(&session, &client, "3", 2);
    let c = client.window().title("gamma window").map();
    session.wait_for_managed(&[a, c], "both managed");

    session.run_program("wmctrl", &["-s", "1"]);
    wait_current_group(&session, &client, "2", 1);
    let desktops = wmctrl_desktops(&session);
    let current: Vec<usize> = desktops.iter().filter(|d| d.1).map(|d| d.0).collect();
    assert_eq!(current, [1], "wmctrl -d marks desktop 1: {desktops:?}");

    session.wait_for_report(
        |s| {
            let mut listed = wmctrl_windows(s);
            listed.sort();
            let groups = s.groups();
            let mut from_oxtile: Vec<(u32, i64, String)> = s
                .windows()
                .into_iter()
                .map(|w| {
                    let group = groups.iter().find(|g| g.name == w.group);
                    (w.id, group.map_or(-2, |g| g.index as i64), w.title)
                })
                .collect();
            from_oxtile.sort();
            if listed == from_oxtile {
                Ok(())
            } else {
                Err(format!("wmctrl -l: {listed:?}\noxtile:    {from_oxtile:?}"))
            }
        },
        "wmctrl -l agrees with windows --json (ids, desktops, titles)",
    );
}

#[test]
fn mod4_2_switches_to_group_2() {
    let session = Session::start_default();
    let client = session.client();
    client.key(&["mod4"], "2");
    wait_current_group(&session, &client, "2", 1);
}

#[test]
fn move_to_group_and_net_wm_desktop_move_windows() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().map();
    let b = client.window().map();
    let c = client.window().map();
    session.wait_for(|s| s.focused() == Some(c), "c focused");

    session.cmd(&["move-to-group", "2"]).expect("move-to-group");
    session.wait_for(
        |s| s.window(c).is_some_and(|w| w.group == "2" && !w.visible),
        "the focused window moved to group 2 and hidden",
    );
    session.wait_for(
        |_| client.window_desktop(c) == Some(1),
        "_NET_WM_DESKTOP of c is 1",
    );
    session.wait_for(|_| !client.is_shown(c), "c hidden");
    let rects = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[a, b], &rects, "the two left re-tile");

    // What pagers send: _NET_WM_DESKTOP (here through wmctrl).
    session.run_program("wmctrl", &["-i", "-r", &format!("{b:#x}"), "-t", "2"]);
    session.wait_for(
        |s| s.window(b).is_some_and(|w| w.group == "3"),
        "b moved to group 3 by _NET_WM_DESKTOP",
    );
    session.wait_for(|_| client.window_desktop(b) == Some(2), "_NET_WM_DESKTOP 2");
    session.wait_for_geometry(&client, &[a], &[Rect::screen()], "a alone");

    client.request_window_desktop(a, 1);
    session.wait_for(
        |s| s.window(a).is_some_and(|w| w.group == "2"),
        "a moved by a raw _NET_WM_DESKTOP message",
    );
}

#[test]
fn client_list_and_wm_state_follow_the_managed_windows() {
    let session = Session::start_default();
    let client = session.client();
    let wins: Vec<u32> = (0..4).map(|_| client.window().map()).collect();
    session.wait_for_managed(&wins, "four managed");
    session.wait_for(
        |_| client.client_list() == wins,
        "_NET_CLIENT_LIST in mapping order",
    );
    session.wait_for(
        |_| {
            wins.iter()
                .all(|&w| client.wm_state(w) == Some(1) && client.window_desktop(w) == Some(0))
        },
        "WM_STATE NormalState and _NET_WM_DESKTOP 0 on every window",
    );

    client.destroy(wins[1]);
    client.unmap_window(wins[2]);
    let left = [wins[0], wins[3]];
    session.wait_for_managed(&left, "destroyed and withdrawn windows unmanaged");
    session.wait_for(|_| client.client_list() == left, "_NET_CLIENT_LIST updated");

    client.map_window(wins[2]);
    session.wait_for_managed(
        &wins
            .iter()
            .copied()
            .filter(|&w| w != wins[1])
            .collect::<Vec<_>>(),
        "a withdrawn window can come back",
    );
}

#[test]
fn fullscreen_by_net_wm_state_messages_and_wmctrl() {
    let session = Session::start_default();
    let client = session.client();
    let other = client.window().map();
    let win = client.window().map();
    let tiled = expected::monadtall(2, Rect::screen());
    session.wait_for_geometry(&client, &[other, win], &tiled, "tiled");

    client.request_fullscreen(win, StateAction::Add);
    session.wait_for(
        |s| s.window(win).is_some_and(|w| w.fullscreen),
        "fullscreen after _NET_WM_STATE add",
    );
    session.wait_for_geometry(&client, &[win], &[Rect::screen()], "covers the screen");
    session.wait_for(
        |_| client.has_fullscreen_state(win),
        "_NET_WM_STATE has FULLSCREEN",
    );

    client.request_fullscreen(win, StateAction::Remove);
    session.wait_for_geometry(&client, &[other, win], &tiled, "tiled again after remove");
    session.wait_for(
        |_| !client.has_fullscreen_state(win),
        "FULLSCREEN state removed",
    );
    assert!(!session.window(win).expect("managed").fullscreen);

    // wmctrl finds the active window through _NET_ACTIVE_WINDOW and toggles.
    session.wait_for(
        |_| client.active_window() == Some(win),
        "win is the active window",
    );
    session.run_program("wmctrl", &["-r", ":ACTIVE:", "-b", "toggle,fullscreen"]);
    session.wait_for_geometry(&client, &[win], &[Rect::screen()], "toggled on by wmctrl");
    session.wait_for(|_| client.has_fullscreen_state(win), "FULLSCREEN state set");
    session.run_program("wmctrl", &["-r", ":ACTIVE:", "-b", "toggle,fullscreen"]);
    session.wait_for_geometry(&client, &[other, win], &tiled, "toggled off by wmctrl");
}

#[test]
fn a_window_mapped_fullscreen_covers_the_screen() {
    let session = Session::start_default();
    let client = session.client();
    let tiled = client.window().map();
    let full = client.window().fullscreen().map();
    session.wait_for(
        |s| s.window(full).is_some_and(|w| w.fullscreen),
        "reported fullscreen",
    );
    session.wait_for_geometry(&client, &[full], &[Rect::screen()], "covers the screen");
    assert!(session.window(tiled).is_some());
}

#[test]
fn wmctrl_activate_switches_group_and_focuses() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("activate me").map();
    session.cmd(&["to-group", "2"]).expect("to-group");
    let b = client.window().map();
    session.wait_for(|s| s.focused() == Some(b), "b focused in group 2");

    session.run_program("wmctrl", &["-i", "-a", &format!("{a:#x}")]);
    wait_current_group(&session, &client, "1", 0);
    session.wait_for(|s| s.focused() == Some(a), "a focused");
    session.wait_for(
        |_| client.active_window() == Some(a),
        "_NET_ACTIVE_WINDOW is a",
    );
}
