//! The prompt end to end, through real key events (XTEST) and real clients: the password
//! prompt opened by its key binding puts the reference password on the clipboard (read
//! with xclip), offers the right targets, lets it go after its time, owns the keyboard while
//! open (another client's grab fails, another window gets no key) and leaves neither grab
//! nor selection behind on Escape; neither the log at trace level nor `oxtile cmd` ever
//! shows the secret or the result. The run prompt spawns what is typed, recalls it from
//! history, completes `$PATH` programs, and takes UTF-8 typed through the keymap.

use serde_json::Value;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    self, ConnectionExt as _, CreateWindowAux, EventMask, GrabMode, GrabStatus, WindowClass,
};
use x11rb::protocol::Event;
use x11rb::{COPY_DEPTH_FROM_PARENT, CURRENT_TIME, NONE};
use xephyr_tests::{Session, TestClient};

fn config(password_options: &str) -> String {
    format!(
        r#"oxtile.groups{{ "1", "2", "3" }}
oxtile.settings{{ border_width = 0, margin = 0, focus_follows_mouse = false }}
oxtile.bar{{ position = "top", size = 24, widgets = {{ oxtile.widget.prompt{{ blink = 0 }} }} }}
oxtile.key({{"mod4"}}, "p", oxtile.password_prompt{{ {password_options} }})
oxtile.key({{"mod4"}}, "r", oxtile.lazy.prompt("run"))
"#
    )
}

/// The prompt widget's state: active, label, text (masked for secrets), hint, message.
fn prompt(session: &Session) -> Value {
    let bars = session.cmd_json(&["widgets"]);
    bars.as_array()
        .and_then(|bars| bars.first())
        .and_then(|bar| bar["widgets"].as_array())
        .and_then(|ws| ws.iter().find(|w| w["kind"] == "prompt"))
        .map(|w| w["state"].clone())
        .unwrap_or_else(|| session.fail("no prompt widget in `oxtile cmd widgets`"))
}

/// Wait until the prompt asks `label` and shows `text`.
fn wait_prompt(session: &Session, label: &str, text: &str) {
    session.wait_for_report(
        |s| {
            let p = prompt(s);
            if p["active"] == true && p["label"] == label && p["text"] == text {
                Ok(())
            } else {
                Err(format!("prompt is {p}"))
            }
        },
        &format!("the prompt asking {label:?} showing {text:?}"),
    );
}

fn wait_closed(session: &Session) {
    session.wait_for_report(
        |s| {
            let p = prompt(s);
            if p["active"] == false {
                Ok(())
            } else {
                Err(format!("prompt is {p}"))
            }
        },
        "the prompt closed",
    );
}

/// Type ASCII text key by key (Shift added where the keymap needs it).
fn type_text(client: &TestClient, text: &str) {
    for c in text.chars() {
        client.key(&[], &c.to_string());
    }
}

/// `xclip -o` of `selection` with an optional target: its output, or None when xclip fails
/// (nobody owns the selection, or the target is refused).
fn xclip(session: &Session, selection: &str, target: Option<&str>) -> Option<String> {
    let mut args = vec!["-o", "-selection", selection];
    if let Some(t) = target {
        args.extend(["-t", t]);
    }
    let out = session.program_output("xclip", &args);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A mapped, managed, focused window that listens to key presses.
fn key_window(session: &Session, client: &TestClient, title: &str) -> u32 {
    let c = client.conn();
    let win = c.generate_id().expect("id");
    c.create_window(
        COPY_DEPTH_FROM_PARENT,
        win,
        client.root(),
        0,
        0,
        200,
        200,
        0,
        WindowClass::INPUT_OUTPUT,
        x11rb::COPY_FROM_PARENT,
        &CreateWindowAux::new().event_mask(EventMask::KEY_PRESS | EventMask::STRUCTURE_NOTIFY),
    )
    .expect("create_window");
    client.set_title(win, title);
    c.map_window(win).expect("map");
    client.round_trip();
    session.wait_for(|s| s.focused() == Some(win), "the key window has the focus");
    win
}

fn key_presses(client: &TestClient) -> usize {
    client
        .take_events()
        .iter()
        .filter(|e| matches!(e, Event::KeyPress(_)))
        .count()
}

fn try_grab(client: &TestClient) -> GrabStatus {
    let status = client
        .conn()
        .grab_keyboard(
            false,
            client.root(),
            CURRENT_TIME,
            GrabMode::ASYNC,
            GrabMode::ASYNC,
        )
        .expect("grab_keyboard")
        .reply()
        .expect("grab reply")
        .status;
    if status == GrabStatus::SUCCESS {
        client.conn().ungrab_keyboard(CURRENT_TIME).expect("ungrab");
        client.round_trip();
    }
    status
}

const SECRET: &str = "correct horse battery staple";
/// pbkdf2-sha512 of SECRET for github.com, from tests/data/password-vectors.tsv.
const RESULT: &str = "rgdbkwiJ1c";

#[test]
fn the_password_prompt_puts_the_reference_password_on_the_clipboard_and_nowhere_else() {
    let session = Session::builder()
        .config(&config(
            r#"scheme = "pbkdf2-sha512", clipboard_seconds = 4"#,
        ))
        .env("RUST_LOG", "trace")
        .start();
    let client = session.client();
    key_window(&session, &client, "notes");
    client.key(&["mod4"], "p");
    wait_prompt(&session, "site", "");
    type_text(&client, "github.com");
    wait_prompt(&session, "site", "github.com");
    client.key(&[], "Return");
    wait_prompt(&session, "secret", "");
    type_text(&client, SECRET);
    let masked = "•".repeat(SECRET.chars().count());
    wait_prompt(&session, "secret", &masked);
    let widgets = session.cmd(&["widgets"]).expect("cmd widgets");
    let widgets_json = session
        .cmd(&["widgets", "--json"])
        .expect("cmd widgets --json");
    client.key(&[], "Return");

    let got = session.wait_for_value(
        |s| xclip(s, "clipboard", None).filter(|t| !t.is_empty()),
        "the password on the clipboard",
    );
    assert_eq!(got, RESULT, "the reference value");
    let status = session.cmd(&["widgets"]).expect("cmd widgets");
    assert!(
        status.contains("github.com"),
        "the bar says where it went: {status}"
    );
    let targets = xclip(&session, "clipboard", Some("TARGETS")).expect("TARGETS");
    let targets: Vec<&str> = targets.lines().collect();
    for t in [
        "TARGETS",
        "UTF8_STRING",
        "STRING",
        "TEXT",
        "TIMESTAMP",
        "x-kde-passwordManagerHint",
    ] {
        assert!(targets.contains(&t), "{t} in {targets:?}");
    }
    assert_eq!(
        xclip(&session, "clipboard", Some("x-kde-passwordManagerHint")).as_deref(),
        Some("secret")
    );
    assert_eq!(
        xclip(&session, "clipboard", Some("STRING")).as_deref(),
        Some(RESULT)
    );
    assert_eq!(
        xclip(&session, "clipboard", Some("image/png")),
        None,
        "other targets are refused"
    );
    assert_eq!(
        xclip(&session, "primary", None),
        None,
        "PRIMARY only when asked for"
    );

    // After clipboard_seconds the clipboard is empty again.
    session.wait_for(
        |s| xclip(s, "clipboard", None).is_none(),
        "the clipboard given up after its time",
    );
    let owner = client
        .conn()
        .get_selection_owner(client.atom("CLIPBOARD"))
        .expect("request")
        .reply()
        .expect("reply")
        .owner;
    assert_eq!(owner, NONE, "no owner left");

    // Nothing shows the secret or the result: not the log at trace level, not `oxtile cmd`.
    let log = session.log();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "the log is verbose"
    );
    for (what, text) in [
        ("log", log.as_str()),
        ("cmd widgets", widgets.as_str()),
        ("cmd widgets --json", widgets_json.as_str()),
        ("cmd widgets after", status.as_str()),
    ] {
        assert!(!text.contains(SECRET), "{what} shows the secret");
        assert!(!text.contains("staple"), "{what} shows part of the secret");
        assert!(!text.contains(RESULT), "{what} shows the password");
    }
    assert!(
        widgets.contains(&masked),
        "masked in `oxtile cmd widgets`: {widgets}"
    );
    // Only the site is kept.
    let sites = std::fs::read_to_string(session.state_dir().join("oxtile/history-sites"))
        .expect("sites history");
    assert_eq!(sites, "github.com\n");
}

#[test]
fn lesspass_is_the_default_with_its_reference_value_and_primary_on_request() {
    let session = Session::start(&config(
        r#"login = "contact@example.org", primary = true, prefill = true"#,
    ));
    let client = session.client();
    // The focused window's title names the site: the prompt starts with it.
    key_window(&session, &client, "Example Domain - example.org - Browser");
    client.key(&["mod4"], "p");
    wait_prompt(&session, "site", "example.org");
    client.key(&[], "Return");
    wait_prompt(&session, "secret", "");
    type_text(&client, "password");
    wait_prompt(&session, "secret", "••••••••");
    client.key(&[], "Return");
    let want = "WHLpUL)e00[iHR+w";
    let got = session.wait_for_value(
        |s| xclip(s, "clipboard", None).filter(|t| !t.is_empty()),
        "the password on the clipboard",
    );
    assert_eq!(got, want);
    assert_eq!(xclip(&session, "primary", None).as_deref(), Some(want));
}

#[test]
fn while_open_the_prompt_owns_the_keyboard_and_escape_leaves_nothing_behind() {
    let session = Session::start(&config(""));
    let client = session.client();
    let other = session.client();
    key_window(&session, &client, "editor");
    client.key(&[], "x");
    session.wait_for(|_| key_presses(&client) > 0, "keys reach the window before");

    client.key(&["mod4"], "p");
    wait_prompt(&session, "site", "");
    key_presses(&client);
    assert_eq!(
        try_grab(&other),
        GrabStatus::ALREADY_GRABBED,
        "another client cannot grab the keyboard"
    );
    type_text(&client, "abc");
    wait_prompt(&session, "site", "abc");
    client.key(&[], "Return");
    wait_prompt(&session, "secret", "");
    type_text(&client, "hunter2");
    wait_prompt(&session, "secret", "•••••••");
    assert_eq!(
        key_presses(&client),
        0,
        "the window got none of the typed keys"
    );

    client.key(&[], "Escape");
    wait_closed(&session);
    assert_eq!(try_grab(&other), GrabStatus::SUCCESS, "no grab left behind");
    let owner = other
        .conn()
        .get_selection_owner(other.atom("CLIPBOARD"))
        .expect("request")
        .reply()
        .expect("reply")
        .owner;
    assert_eq!(owner, NONE, "no selection left behind");
    assert_eq!(xclip(&session, "clipboard", None), None);
    client.key(&[], "y");
    session.wait_for(|_| key_presses(&client) > 0, "keys reach the window again");
    assert!(!session.log().contains("hunter2"));
}

#[test]
fn another_clients_grab_is_reported_in_the_bar() {
    let session = Session::start(&config(""));
    let holder = session.client();
    let status = holder
        .conn()
        .grab_keyboard(
            false,
            holder.root(),
            CURRENT_TIME,
            GrabMode::ASYNC,
            GrabMode::ASYNC,
        )
        .expect("grab")
        .reply()
        .expect("reply")
        .status;
    assert_eq!(status, GrabStatus::SUCCESS);
    session
        .cmd(&["action", r#"{"action":"password_prompt"}"#])
        .expect("action accepted");
    session.wait_for_report(
        |s| {
            let p = prompt(s);
            let msg = p["message"].as_str().unwrap_or_default();
            if p["error"] == true && msg.contains("another program holds the keyboard") {
                Ok(())
            } else {
                Err(format!("prompt is {p}"))
            }
        },
        "a message saying another program holds the keyboard",
    );
    assert_eq!(prompt(&session)["active"], false);
    holder.conn().ungrab_keyboard(CURRENT_TIME).expect("ungrab");
    holder.round_trip();
    let other = session.client();
    assert_eq!(
        try_grab(&other),
        GrabStatus::SUCCESS,
        "oxtile holds no grab"
    );
}

/// A session whose `$PATH` starts with a directory holding `oxtile-probe-tool`, a script
/// that appends its arguments to `ran` beside it.
fn session_with_probe() -> (Session, tempfile::TempDir) {
    let tmp = tempfile::Builder::new()
        .prefix("oxtile-probe-")
        .tempdir_in("/tmp")
        .expect("tempdir");
    let dir = tmp.path();
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let tool = bin.join("oxtile-probe-tool");
    std::fs::write(
        &tool,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n",
            dir.join("ran").display()
        ),
    )
    .expect("script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let session = Session::builder()
        .config(&config(""))
        .env("PATH", &path)
        .start();
    (session, tmp)
}

fn ran(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("ran")).unwrap_or_default()
}

#[test]
fn the_run_prompt_completes_spawns_and_recalls_its_history() {
    let (session, tmp) = session_with_probe();
    let dir = tmp.path();
    let client = session.client();
    client.key(&["mod4"], "r");
    wait_prompt(&session, "run", "");
    type_text(&client, "oxtile-pro");
    client.key(&[], "Tab");
    wait_prompt(&session, "run", "oxtile-probe-tool");
    type_text(&client, " one");
    client.key(&[], "Return");
    session.wait_for(|_| ran(dir) == "one\n", "the program ran");
    wait_closed(&session);
    let history = std::fs::read_to_string(session.state_dir().join("oxtile/history-run"))
        .expect("run history");
    assert_eq!(history, "oxtile-probe-tool one\n");

    client.key(&["mod4"], "r");
    wait_prompt(&session, "run", "");
    client.key(&[], "Up");
    wait_prompt(&session, "run", "oxtile-probe-tool one");
    client.key(&[], "Return");
    session.wait_for(|_| ran(dir) == "one\none\n", "the recalled command ran");
}

#[test]
fn utf8_typed_through_the_keymap_arrives_intact() {
    let (session, tmp) = session_with_probe();
    let dir = tmp.path();
    let client = session.client();
    // ü and é as a keyboard layout would have them: their own keys, Shift for capitals.
    let codes = client.bind_spare_keycodes(&[[0xfc, 0xdc], [0xe9, 0xc9]]);
    assert_eq!(codes.len(), 2, "spare keycodes");
    session.sync();
    client.key(&["mod4"], "r");
    wait_prompt(&session, "run", "");
    type_text(&client, "oxtile-probe-tool ");
    client.press_keycode(codes[0], false);
    client.press_keycode(codes[1], false);
    type_text(&client, " ");
    client.press_keycode(codes[1], false);
    client.press_keycode(codes[0], false);
    wait_prompt(&session, "run", "oxtile-probe-tool üé éü");
    client.key(&[], "Return");
    session.wait_for(|_| ran(dir) == "üé éü\n", "the UTF-8 arguments arrived");
}

/// The ASCII text a window received as key presses, read through the server's keymap.
fn typed_into(client: &TestClient, events: &[Event]) -> String {
    let c = client.conn();
    let setup = c.setup();
    let (min, max) = (setup.min_keycode, setup.max_keycode);
    let map = c
        .get_keyboard_mapping(min, max - min + 1)
        .expect("request")
        .reply()
        .expect("mapping");
    let per = usize::from(map.keysyms_per_keycode);
    events
        .iter()
        .filter_map(|e| match e {
            Event::KeyPress(k) => {
                let row = &map.keysyms[usize::from(k.detail - min) * per..][..per];
                let shifted = u16::from(k.state) & u16::from(xproto::ModMask::SHIFT) != 0;
                let sym = if shifted && row[1] != 0 {
                    row[1]
                } else {
                    row[0]
                };
                // Printable ASCII keysyms are their characters; modifiers type nothing.
                char::from_u32(sym).filter(|c| (' '..='~').contains(c))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn type_true_types_the_password_into_the_focused_window_instead() {
    let session = Session::start(&config(
        r#"scheme = "sha512-2013", length = 10, type = true, prefill = false"#,
    ));
    let client = session.client();
    let win = key_window(&session, &client, "login form");
    client.key(&["mod4"], "p");
    wait_prompt(&session, "site", "");
    type_text(&client, "example.org");
    client.key(&[], "Return");
    wait_prompt(&session, "secret", "");
    type_text(&client, "hunter2");
    client.key(&[], "Return");
    // sha512-2013 of hunter2 for example.org, from tests/data/password-vectors.tsv.
    let want = "eBsg6f3Ta7";
    let mut events = Vec::new();
    session.wait_for_report(
        |_| {
            events.extend(client.take_events());
            let got = typed_into(&client, &events);
            if got == want {
                Ok(())
            } else {
                Err(format!("window {win:#x} got {got:?}"))
            }
        },
        "the password typed into the focused window",
    );
    assert_eq!(
        xclip(&session, "clipboard", None),
        None,
        "not on the clipboard"
    );
}

#[test]
fn the_group_and_window_prompts_switch_and_focus() {
    let session = Session::start(&config(""));
    let client = session.client();
    let target = client.window().title("Target Window").map();
    let other = client.window().title("other").map();
    session.wait_for(|s| s.focused() == Some(other), "the other window focused");

    session
        .cmd(&["action", r#"{"action":"prompt","kind":"window"}"#])
        .expect("open");
    wait_prompt(&session, "window", "");
    type_text(&client, "targ");
    client.key(&[], "Tab");
    wait_prompt(&session, "window", "Target Window");
    client.key(&[], "Return");
    session.wait_for(|s| s.focused() == Some(target), "the window found by title");

    session
        .cmd(&["action", r#"{"action":"prompt","kind":"group"}"#])
        .expect("open");
    wait_prompt(&session, "group", "");
    type_text(&client, "3");
    client.key(&[], "Return");
    session.wait_for(|s| s.current_group().name == "3", "group 3 shown");
}
