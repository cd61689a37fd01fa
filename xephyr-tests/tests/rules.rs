//! Rules and scratchpads from the config: a rule sends a window (a test window, a real
//! xterm) to its group floating at its geometry; `focus = false` keeps the focus; matches
//! work in actions; a scratchpad is started by its key, then shown and hidden.

use xephyr_tests::{Rect, Session};

fn config(extra: &str) -> String {
    format!("{}{extra}\n", xephyr_tests::DEFAULT_CONFIG)
}

#[test]
fn a_rule_sends_a_window_to_its_group_floating() {
    let session = Session::start(&config(
        r#"oxtile.rule{ match = { class = "^Gimp" }, group = "3", float = true,
             geometry = { x = 100, y = 50, width = 0.5, height = 400 } }
oxtile.rule{ match = { class = "Quiet" }, focus = false }"#,
    ));
    let client = session.client();
    let here = client.window().title("here").map();
    let gimp = client
        .window()
        .title("gimp")
        .class("gimp", "Gimp-2.10")
        .map();
    session.wait_for(
        |s| {
            s.window(gimp)
                .is_some_and(|w| w.group == "3" && w.floating && !w.visible)
        },
        "the Gimp window in group 3, floating, not shown here",
    );
    assert_eq!(session.current_group().name, "1");
    assert_eq!(session.focused(), Some(here));
    session.cmd(&["to-group", "3"]).expect("to-group");
    session.wait_for_geometry(
        &client,
        &[gimp],
        &[Rect::new(100, 50, 640, 400)],
        "at the rule's geometry",
    );
    session.cmd(&["to-group", "1"]).expect("to-group");
    session.wait_for(|s| s.focused() == Some(here), "back");
    let quiet = client.window().title("quiet").class("quiet", "Quiet").map();
    session.wait_for_managed(&[here, gimp, quiet], "managed");
    session.sync();
    assert_eq!(session.focused(), Some(here), "focus = false");
    assert!(session.window(quiet).expect("managed").visible);
}

#[test]
fn a_rule_applies_to_a_real_xterm() {
    let session = Session::start(&config(
        r#"oxtile.rule{ match = { instance = "^special$" }, group = "2", float = true }"#,
    ));
    session.spawn_program("xterm", &["-name", "special", "-title", "special xterm"]);
    let w = session.wait_for_value(
        |s| s.windows().into_iter().find(|w| w.title == "special xterm"),
        "the xterm managed",
    );
    assert_eq!((w.group.as_str(), w.floating), ("2", true));
    let client = session.client();
    assert_eq!(client.window_desktop(w.id), Some(1));
}

#[test]
fn matches_work_in_actions() {
    let session = Session::start_default();
    let client = session.client();
    let firefox = client
        .window()
        .title("web")
        .class("Navigator", "Firefox")
        .map();
    session.wait_for_managed(&[firefox], "managed");
    session.cmd(&["move-to-group", "3"]).expect("move");
    let term = client.window().title("term").class("xterm", "XTerm").map();
    session.wait_for(|s| s.focused() == Some(term), "term focused");
    let focus = r#"{"action":"focus_match","matcher":{"class":["^Fire"]}}"#;
    session.cmd(&["action", focus]).expect("focus_match");
    session.wait_for(
        |s| s.current_group().name == "3" && s.focused() == Some(firefox),
        "focus_match switched to the Firefox window",
    );
    let kill = r#"{"action":"kill_match","matcher":{"class":["XTerm"]}}"#;
    session.cmd(&["action", kill]).expect("kill_match");
    session.wait_for(
        |_| {
            client.process_events();
            !client.exists(term)
        },
        "kill_match closed the xterm-classed window",
    );
    // From Lua too: oxtile.match{} objects test client tables.
    let out = session
        .cmd(&[
            "eval",
            r#"local m = oxtile.match{ class = "Firefox" }; local n = 0; for _, c in ipairs(oxtile.clients()) do if m:matches(c) then n = n + 1 end end; return n"#,
        ])
        .expect("eval");
    assert_eq!(out.trim(), "1");
}

#[test]
fn a_scratchpad_is_started_by_its_key_then_shown_and_hidden() {
    let session = Session::start(&config(
        r#"oxtile.scratchpad{ name = "term", cmd = "xterm -name scratchterm -title scratchpad",
    match = { instance = "^scratchterm$" }, x = 0.1, y = 0.1, width = 0.8, height = 0.5,
    on_focus_lost_hide = false }
oxtile.key({"mod4"}, "s", oxtile.lazy.toggle_scratchpad("term"))"#,
    ));
    let client = session.client();
    let other = client.window().title("other").map();
    session.wait_for(|s| s.focused() == Some(other), "other focused");
    client.key(&["mod4"], "s");
    let pad = session.wait_for_value(
        |s| {
            s.windows()
                .into_iter()
                .find(|w| w.title == "scratchpad" && w.visible)
        },
        "the scratchpad's xterm started and shown",
    );
    assert!(pad.floating);
    let area = Rect::new(128, 80, 1024, 400);
    session.wait_for_report(
        |_| {
            let r = client.geometry(pad.id);
            if (r.x, r.y) == (area.x, area.y)
                && area.contains(&r)
                && r.w + 20 > area.w
                && r.h + 20 > area.h
            {
                Ok(())
            } else {
                Err(format!("scratchpad at {r}"))
            }
        },
        "placed at its fractions of the screen",
    );
    session.wait_for(|s| s.focused() == Some(pad.id), "focused");
    assert_eq!(client.stacking_order().last(), Some(&pad.id), "on top");

    client.key(&["mod4"], "s");
    session.wait_for(
        |s| !client.is_mapped(pad.id) && s.focused() == Some(other),
        "hidden again, the focus back on the other window",
    );
    session.cmd(&["to-group", "2"]).expect("to-group");
    session.cmd(&["toggle-scratchpad", "term"]).expect("toggle");
    session.wait_for(
        |s| {
            s.window(pad.id)
                .is_some_and(|w| w.visible && w.group == "2")
                && client.is_mapped(pad.id)
        },
        "shown on the current group, the same window",
    );
    assert_eq!(
        session
            .windows()
            .iter()
            .filter(|w| w.title == "scratchpad")
            .count(),
        1,
        "started only once"
    );
    let err = session
        .cmd(&["toggle-scratchpad", "nope"])
        .expect_err("unknown");
    assert!(
        err.stderr
            .contains("no such scratchpad: nope (configured: term)"),
        "{err}"
    );
}
