//! Restart and reload keep everything: ten windows over three groups come back after
//! `oxtile cmd restart` in the same groups, in the same order, with the same floating
//! geometry, layouts (and their ratios and column widths), states and focus; `_NET_CLIENT_LIST` is the same list.

use serde_json::Value;
use xephyr_tests::{Rect, Session, TestClient, WindowType};

/// Everything a restart must keep, as oxtile and X report it.
#[derive(Debug, PartialEq)]
struct Picture {
    groups: Value,
    windows: Vec<Value>,
    focused: Option<u32>,
    client_list: Vec<u32>,
    shown: Vec<(u32, Rect)>,
}

fn picture(session: &Session, client: &TestClient) -> Picture {
    let mut groups = session.cmd_json(&["groups"]);
    for g in groups.as_array_mut().expect("groups") {
        g.as_object_mut().expect("group").remove("layouts");
    }
    let windows = session
        .cmd_json(&["windows"])
        .as_array()
        .expect("windows")
        .iter()
        .map(|w| {
            let keep = [
                "id",
                "group",
                "floating",
                "fullscreen",
                "minimized",
                "above",
                "visible",
                "x",
                "y",
                "width",
                "height",
                "focused",
            ];
            let o = w.as_object().expect("window");
            Value::Object(
                keep.iter()
                    .map(|k| (k.to_string(), o.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            )
        })
        .collect();
    let mut shown: Vec<(u32, Rect)> = client
        .client_list()
        .into_iter()
        .filter(|&w| client.is_mapped(w))
        .map(|w| (w, client.geometry(w)))
        .collect();
    shown.sort_by_key(|(w, _)| *w);
    Picture {
        groups,
        windows,
        focused: session.focused(),
        client_list: client.client_list(),
        shown,
    }
}

#[test]
fn restart_keeps_ten_windows_over_three_groups_exactly() {
    let session = Session::start_default();
    let client = session.client();
    let mut all = Vec::new();
    // Group 1: three tiled, one floating dialog moved by its client.
    for i in 0..3 {
        all.push(client.window().title(&format!("one-{i}")).map());
    }
    let dialog = client
        .window()
        .title("one-dialog")
        .window_type(WindowType::Dialog)
        .size(300, 200)
        .map();
    all.push(dialog);
    session.wait_for_managed(&all, "group 1 managed");
    client.request_geometry(dialog, Rect::new(70, 90, 320, 210));
    session.wait_for_geometry(
        &client,
        &[dialog],
        &[Rect::new(70, 90, 320, 210)],
        "dialog moved",
    );
    session.cmd(&["focus", &all[1].to_string()]).expect("focus");
    session
        .cmd(&["action", r#"{"action":"shuffle_up"}"#])
        .expect("shuffle");
    for _ in 0..3 {
        session
            .cmd(&["action", r#"{"action":"grow"}"#])
            .expect("grow the main area");
    }

    // Group 2: three windows, the layout changed, one floated and placed, one minimized.
    session.cmd(&["to-group", "2"]).expect("to-group");
    let mut two = Vec::new();
    for i in 0..3 {
        two.push(client.window().title(&format!("two-{i}")).map());
    }
    all.extend(&two);
    session.wait_for_managed(&all, "group 2 managed");
    session.cmd(&["set-layout", "columns"]).expect("layout");
    session.cmd(&["focus", &two[1].to_string()]).expect("focus");
    for _ in 0..2 {
        session
            .cmd(&["action", r#"{"action":"shrink"}"#])
            .expect("narrow a column");
    }
    session.cmd(&["focus", &two[0].to_string()]).expect("focus");
    session
        .cmd(&["action", r#"{"action":"toggle_floating"}"#])
        .expect("float");
    client.request_geometry(two[0], Rect::new(500, 300, 250, 150));
    session.wait_for_geometry(
        &client,
        &[two[0]],
        &[Rect::new(500, 300, 250, 150)],
        "floated",
    );
    session.cmd(&["focus", &two[2].to_string()]).expect("focus");
    session.cmd(&["minimize"]).expect("minimize");
    session.wait_for(|_| !client.is_mapped(two[2]), "minimized");

    // Group 3: three windows, one fullscreen, focused in the middle.
    session.cmd(&["to-group", "3"]).expect("to-group");
    let mut three = Vec::new();
    for i in 0..3 {
        three.push(client.window().title(&format!("three-{i}")).map());
    }
    all.extend(&three);
    session.wait_for_managed(&all, "all ten managed");
    assert_eq!(all.len(), 10);
    session
        .cmd(&["focus", &three[0].to_string()])
        .expect("focus");
    session
        .cmd(&["action", r#"{"action":"toggle_fullscreen"}"#])
        .expect("fullscreen");
    session
        .cmd(&["focus", &three[1].to_string()])
        .expect("focus");

    // Back to group 2, whose focus history says two[1].
    session.cmd(&["to-group", "2"]).expect("to-group");
    session.cmd(&["focus", &two[1].to_string()]).expect("focus");
    session.sync();
    let before = picture(&session, &client);
    assert_eq!(before.focused, Some(two[1]));

    // The connection may close before the answer: restarting replaces the process image.
    let pid = session.wm_pid();
    let _ = session.cmd(&["restart"]);
    session.wait_for(
        |s| {
            s.log()
                .contains("restored the state of the previous oxtile")
        },
        "the new process restored the saved state",
    );
    session.wait_for_managed(&all, "all ten managed again");
    session.wait_for_report(
        |s| {
            let after = picture(s, &client);
            if after == before {
                Ok(())
            } else {
                Err(format!("before: {before:#?}\nafter: {after:#?}"))
            }
        },
        "everything as it was",
    );
    assert_eq!(session.wm_pid(), pid, "the same process, exec'd");
    let runtime = session.runtime_dir().join("oxtile");
    let leftovers: Vec<_> = std::fs::read_dir(runtime)
        .expect("runtime dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("restart-"))
        .collect();
    assert!(leftovers.is_empty(), "the state file is removed once read");
}

#[test]
fn reload_keeps_windows_layouts_and_focus() {
    let session = Session::start_default();
    let client = session.client();
    let a = client.window().title("a").map();
    let b = client.window().title("b").map();
    session.wait_for_managed(&[a, b], "managed");
    session.cmd(&["set-layout", "max"]).expect("layout");
    session.cmd(&["focus", &a.to_string()]).expect("focus");
    session.sync();
    let before = picture(&session, &client);
    session.cmd(&["reload"]).expect("reload");
    session.sync();
    assert_eq!(picture(&session, &client), before);
    assert_eq!(session.layout().layout, "max");
}
