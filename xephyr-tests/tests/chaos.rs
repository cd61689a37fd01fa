//! The chaos client in CI: short seeded runs that must keep every invariant, and one
//! regression test for each problem a chaos seed found (named after what it checks, with
//! the seed that found it).

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, CreateWindowAux, EventMask, InputFocus,
    MapState, UnmapNotifyEvent, WindowClass, UNMAP_NOTIFY_EVENT,
};
use xephyr_tests::chaos::{self, Options, Stage};
use xephyr_tests::tray::REQUEST_DOCK;
use xephyr_tests::{Session, TrayIcon};

/// A chaos run in CI: `steps` actions of seed `seed` against a fresh oxtile, the
/// invariants checked every 100 steps and at the end.
fn chaos_run(seed: u64, steps: u64) {
    let stage = Stage::start();
    let options = Options {
        seed,
        steps,
        ..Options::default()
    };
    match chaos::run(&stage, &options) {
        Ok(report) => eprintln!("{report}"),
        Err(failure) => stage.session.fail(&failure.to_string()),
    }
}

// Five seeds of 1000 steps: 5000 steps in all, run in parallel.
#[test]
fn chaos_seed_1() {
    chaos_run(1, 1000);
}

#[test]
fn chaos_seed_2() {
    chaos_run(2, 1000);
}

#[test]
fn chaos_seed_3() {
    chaos_run(3, 1000);
}

#[test]
fn chaos_seed_4() {
    chaos_run(4, 1000);
}

#[test]
fn chaos_seed_5() {
    chaos_run(5, 1000);
}

/// Found by seed 1: oxtile focused a window whose WM_HINTS say it takes no input, so it
/// did not call SetInputFocus, and the keyboard stayed with the window focused before,
/// while oxtile (and its borders) said the new one had the focus.
#[test]
fn focusing_a_window_that_takes_no_input_takes_the_keyboard_from_the_last_one() {
    let session = Session::start_default();
    let client = session.client();
    let typing = client.window().title("typing").map();
    session.wait_for(
        |_| client.input_focus() == typing,
        "the first window has the keyboard",
    );

    let no_input = client.window().title("no input").create();
    // WM_HINTS: InputHint set, input false (ICCCM's No Input model).
    let hints = [1, 0, 1, 0, 0, 0, 0, 0, 0];
    client.set_property32(
        no_input,
        AtomEnum::WM_HINTS.into(),
        AtomEnum::WM_HINTS.into(),
        &hints,
    );
    client.map_window(no_input);
    session.wait_for(
        |s| s.focused() == Some(no_input),
        "oxtile focuses the new window",
    );
    let check = client.supporting_wm_check();
    session.wait_for(
        |_| Some(client.input_focus()) == check,
        "the keyboard focus leaves the window that is no longer focused",
    );
}

/// Found with the test above: with no client to focus (an empty group shown), oxtile gave
/// the keyboard to its check window, which was never mapped, so X refused (BadMatch) and
/// the focus stayed wherever it was.
#[test]
fn with_nothing_to_focus_the_keyboard_goes_to_the_check_window() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().map();
    session.wait_for(
        |_| client.input_focus() == win,
        "the window has the keyboard",
    );
    session.cmd(&["to-group", "2"]).expect("to-group 2");
    let check = client.supporting_wm_check();
    assert!(check.is_some(), "oxtile publishes its check window");
    session.wait_for(
        |_| Some(client.input_focus()) == check,
        "the keyboard is on the check window while the empty group is shown",
    );
}

/// Found by seeds 1, 2 and 3: a client that withdraws a window right after mapping it
/// (unmap before oxtile handled the MapRequest, so the unmap did nothing, then ICCCM's
/// synthetic UnmapNotify) had it mapped by oxtile and then withdrawn, left on screen
/// unmanaged. A synthetic UnmapNotify alone now withdraws and unmaps.
#[test]
fn a_synthetic_unmap_notify_withdraws_and_unmaps_the_window() {
    let session = Session::start_default();
    let client = session.client();
    let keep = client.window().title("keep").map();
    let win = client.window().title("withdrawn").map();
    session.wait_for(|_| client.is_mapped(win), "the window is mapped");
    let notify = UnmapNotifyEvent {
        response_type: UNMAP_NOTIFY_EVENT,
        sequence: 0,
        event: client.root(),
        window: win,
        from_configure: false,
    };
    let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
    client
        .conn()
        .send_event(false, client.root(), mask, notify)
        .expect("send_event");
    client.round_trip();
    session.wait_for_managed(&[keep], "the window is no longer managed");
    session.wait_for(|_| !client.is_mapped(win), "and it is no longer on screen");
    assert_eq!(client.wm_state(win), Some(0), "WM_STATE Withdrawn");
}

/// Found by seeds 1 and 3: a client set the keyboard focus to None (or a popup that had it
/// with revert-to None died). With the focus on None no key binding works, and oxtile,
/// whose idea of the focus had not changed, never set it again.
#[test]
fn a_keyboard_focus_lost_to_none_is_given_back() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().title("focused").map();
    session.wait_for(
        |_| client.input_focus() == win,
        "the window has the keyboard",
    );

    let other = session.client();
    other
        .conn()
        .set_input_focus(InputFocus::NONE, x11rb::NONE, x11rb::CURRENT_TIME)
        .expect("set_input_focus");
    other.round_trip();
    session.wait_for(
        |_| client.input_focus() == win,
        "the focus is back after SetInputFocus(None)",
    );

    // A popup takes the focus with revert-to None and is destroyed.
    let popup = other.window().override_redirect().map();
    other
        .conn()
        .set_input_focus(InputFocus::NONE, popup, x11rb::CURRENT_TIME)
        .expect("set_input_focus");
    other.round_trip();
    assert_eq!(client.input_focus(), popup, "the popup took the keyboard");
    other.destroy(popup);
    session.wait_for(
        |_| client.input_focus() == win,
        "the focus is back after the popup died",
    );
}

/// Found by seeds 4 and 5: a client reparented one of its managed windows, hidden on
/// another group, into another window. No UnmapNotify comes for an unmapped window, so
/// oxtile kept managing a window that was no longer top-level (and mapped it inside the
/// other window when its group came back).
#[test]
fn a_window_reparented_away_is_no_longer_managed() {
    let session = Session::start_default();
    let client = session.client();
    let moved = client.window().title("moved").map();
    let container = client.window().title("container").create();
    session.wait_for_managed(&[moved], "the window is managed");
    session.cmd(&["to-group", "2"]).expect("to-group 2");
    session.wait_for(|_| !client.is_mapped(moved), "its group is hidden");

    client
        .conn()
        .reparent_window(moved, container, 0, 0)
        .expect("reparent_window");
    client.round_trip();
    session.wait_for_managed(&[], "the reparented window is no longer managed");
    session.wait_for(
        |_| client.client_list().is_empty(),
        "nor in _NET_CLIENT_LIST",
    );
    session.cmd(&["to-group", "1"]).expect("to-group 1");
    session.sync();
    let attrs = client
        .conn()
        .get_window_attributes(moved)
        .expect("request")
        .reply()
        .expect("the window exists");
    assert_eq!(
        attrs.map_state,
        MapState::UNMAPPED,
        "oxtile did not map it again"
    );
}

/// Found by seed 7: a window withdrawn and mapped again before oxtile read the events (all
/// of them in one batch) was managed again, but the withdrawal, handled after the new
/// MapRequest had selected the window's events, deselected them: oxtile no longer heard
/// of its title, hints or focus.
#[test]
fn a_window_withdrawn_and_mapped_again_at_once_still_reports_its_changes() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().title("before").map();
    session.wait_for(|_| client.is_mapped(win), "the window is shown");

    let notify = UnmapNotifyEvent {
        response_type: UNMAP_NOTIFY_EVENT,
        sequence: 0,
        event: client.root(),
        window: win,
        from_configure: false,
    };
    let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
    let conn = client.conn();
    // XWithdrawWindow then XMapWindow, in one flush.
    conn.unmap_window(win).expect("unmap");
    conn.send_event(false, client.root(), mask, notify)
        .expect("send_event");
    conn.map_window(win).expect("map");
    client.round_trip();
    session.wait_for(
        |s| s.window(win).is_some() && client.is_mapped(win),
        "the window is managed and shown again",
    );
    client.set_title(win, "after");
    session.wait_for(
        |s| s.window(win).is_some_and(|w| w.title == "after"),
        "oxtile sees the new title",
    );
}

/// Found by seeds 20 and 35: oxtile counted the unmaps it had asked for and took the next
/// UnmapNotify of the window as its own. When the client had unmapped the window first,
/// oxtile's unmap changed nothing and caused no event, so the count swallowed the client's
/// next real withdrawal: oxtile went on showing, in its state, a window X had unmapped.
#[test]
fn a_client_unmap_that_races_oxtile_hiding_the_window_withdraws_it() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().title("racing").map();
    session.wait_for(|_| client.is_mapped(win), "the window is shown");

    // With the server grabbed, oxtile's unmap (hiding group 1) waits, and the client's own
    // unmap is processed first.
    let grabber = session.client();
    grabber.conn().grab_server().expect("grab_server");
    grabber.round_trip();
    session.cmd(&["to-group", "2"]).expect("to-group 2");
    grabber.conn().unmap_window(win).expect("unmap_window");
    grabber.conn().ungrab_server().expect("ungrab_server");
    grabber.round_trip();

    session.wait_for_managed(&[], "the client's unmap withdrew the window");
    session.cmd(&["to-group", "1"]).expect("to-group 1");
    session.sync();
    assert!(
        !client.is_mapped(win),
        "oxtile did not map the withdrawn window again"
    );
    // And the window keeps its life: mapped again, it is managed again.
    client.map_window(win);
    session.wait_for(
        |s| s.window(win).is_some() && client.is_mapped(win),
        "managed again",
    );
}

/// Found by seeds 2 and 8: a client gave the focus to one window and, in the same batch of
/// events, the window oxtile had focused was activated again (a click, a pager's
/// `_NET_ACTIVE_WINDOW`). oxtile followed the focus and came back, so its idea of the
/// focus had not changed and it did not set it again: X kept the keyboard elsewhere.
#[test]
fn activating_the_focused_window_in_the_batch_a_client_stole_the_focus_wins() {
    let session = Session::start_default();
    let client = session.client();
    let left = client.window().title("left").map();
    let right = client.window().title("right").map();
    session.wait_for(
        |_| client.input_focus() == right,
        "the new window has the keyboard",
    );
    session
        .cmd(&["focus", &left.to_string()])
        .expect("focus left");
    session.wait_for(
        |_| client.input_focus() == left,
        "the left window has the keyboard",
    );

    // In one flush, so that oxtile reads both at once: the right window takes the focus,
    // a pager activates the left one.
    let other = session.client();
    other
        .conn()
        .set_input_focus(InputFocus::POINTER_ROOT, right, x11rb::CURRENT_TIME)
        .expect("set_input_focus");
    other.request_activate(left);
    session.wait_for(
        |s| s.focused() == Some(left) && client.input_focus() == left,
        "the activated window has the focus, for oxtile and for X",
    );
    assert_eq!(client.active_window(), Some(left), "_NET_ACTIVE_WINDOW");
}

/// Found by seeds 10, 12 and 34, against a first fix for the test above that took a
/// client's FocusIn as what X shows: oxtile then followed the focus without a Focus
/// effect, and `_NET_ACTIVE_WINDOW` kept naming the window focused before.
#[test]
fn a_window_that_takes_the_focus_itself_becomes_the_active_window() {
    let session = Session::start_default();
    let client = session.client();
    let first = client.window().title("first").map();
    let second = client.window().title("second").map();
    session.wait_for(
        |_| client.active_window() == Some(second),
        "the new window is active",
    );
    client.set_input_focus(first);
    session.wait_for(
        |s| s.focused() == Some(first) && client.active_window() == Some(first),
        "oxtile follows, and _NET_ACTIVE_WINDOW names the window with the focus",
    );
}

/// Found by seed 16: the focused window, focused by its client with revert-to None, was
/// moved under the root again (ReparentWindow: unmap, reparent, map). The focus fell to
/// None; oxtile gave it back at once, to a window that was unmapped just then (BadMatch),
/// and when the window was managed again its focus had not changed in oxtile's eyes.
#[test]
fn the_focus_comes_back_to_a_window_unmapped_and_mapped_again_at_once() {
    let session = Session::start_default();
    let client = session.client();
    let win = client.window().title("reparented").map();
    session.wait_for(
        |_| client.input_focus() == win,
        "the window has the keyboard",
    );
    let conn = client.conn();
    conn.set_input_focus(InputFocus::NONE, win, x11rb::CURRENT_TIME)
        .expect("set_input_focus");
    conn.reparent_window(win, client.root(), 10, 10)
        .expect("reparent_window");
    client.round_trip();
    session.wait_for(
        |s| s.focused() == Some(win) && client.input_focus() == win,
        "the window is managed again and has the keyboard",
    );
}

/// Found by seed 2: a client went away while oxtile was mapping one of its windows, and a
/// new client got the same window id for a new window before oxtile's MapWindow reached
/// the server, which mapped the new window, never asked to be mapped and never managed.
/// A window mapped without a MapRequest is now managed.
#[test]
fn a_window_mapped_through_a_reused_id_is_managed() {
    let session = Session::start_default();
    let client = session.client();
    let conn = client.conn();
    let win = client.window().title("old").create();
    // It asks to be on the hidden group 2.
    client.set_property32(
        win,
        client.atoms()._NET_WM_DESKTOP,
        AtomEnum::CARDINAL.into(),
        &[1],
    );
    client.map_window(win);
    session.wait_for(
        |s| s.window(win).is_some_and(|w| w.group == "2"),
        "managed on group 2",
    );

    // Server grabbed: oxtile's MapWindow for group 2 waits while the window is destroyed
    // and its id used again for a new, unmapped window.
    conn.grab_server().expect("grab_server");
    client.round_trip();
    session.cmd(&["to-group", "2"]).expect("to-group 2");
    conn.destroy_window(win).expect("destroy");
    conn.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        win,
        client.root(),
        0,
        0,
        100,
        100,
        0,
        WindowClass::INPUT_OUTPUT,
        x11rb::COPY_FROM_PARENT,
        &CreateWindowAux::new(),
    )
    .expect("create");
    conn.ungrab_server().expect("ungrab_server");
    client.round_trip();
    session.wait_for(
        |s| !client.is_mapped(win) || s.window(win).is_some(),
        "the new window is either not mapped or managed",
    );
    session.sync();
    assert!(
        client.is_mapped(win),
        "oxtile's MapWindow mapped the new window"
    );
    assert!(session.window(win).is_some(), "so it manages it");
}

/// Found by seed 116: the focus fell to None and oxtile gave it back to its focused window,
/// which was being destroyed; the next window to focus was globally active (input hint
/// false, WM_TAKE_FOCUS), which oxtile only offers the focus to, so it stayed on None.
#[test]
fn with_the_focus_lost_a_globally_active_window_gets_it_through_the_check_window() {
    let session = Session::start_default();
    let client = session.client();
    let offered = client
        .window()
        .title("globally active")
        .take_focus(true)
        .create();
    let hints = [1, 0, 1, 0, 0, 0, 0, 0, 0]; // InputHint: false
    client.set_property32(
        offered,
        AtomEnum::WM_HINTS.into(),
        AtomEnum::WM_HINTS.into(),
        &hints,
    );
    client.map_window(offered);
    let doomed = client.window().title("doomed").map();
    session.wait_for(
        |_| client.input_focus() == doomed,
        "the last window has the keyboard",
    );

    // In one flush: the focus to None, the focused window destroyed.
    let conn = client.conn();
    conn.set_input_focus(InputFocus::NONE, x11rb::NONE, x11rb::CURRENT_TIME)
        .expect("set_input_focus");
    conn.destroy_window(doomed).expect("destroy");
    client.round_trip();
    let check = client.supporting_wm_check();
    session.wait_for(
        |s| s.focused() == Some(offered) && Some(client.input_focus()) == check,
        "oxtile focuses the globally active window and the check window holds the keyboard",
    );
}

/// Found by seed 108: oxtile's SetInputFocus failed (its window had just been unmapped and
/// asked to be mapped again, by a ReparentWindow under the root) and nothing else changed,
/// so nothing pushed the focus again: it stayed on the window focused before. This plays
/// the same requests; whether the error reaches oxtile after the batch that maps the
/// window again, as it did in seed 108, depends on timing, so it guards the behaviour
/// rather than reproducing the failure every time.
#[test]
fn a_failed_set_input_focus_is_retried_even_when_nothing_else_changes() {
    let session = Session::start_default();
    let client = session.client();
    let target = client.window().title("target").map();
    let other = client.window().title("other").map();
    session.wait_for(
        |_| client.input_focus() == other,
        "the last window has the keyboard",
    );

    // Server grabbed: oxtile's SetInputFocus waits while the window is moved under the
    // root again (unmapped, and mapped through a MapRequest).
    let conn = client.conn();
    conn.grab_server().expect("grab_server");
    client.round_trip();
    session.cmd(&["focus", &target.to_string()]).expect("focus");
    conn.reparent_window(target, client.root(), 0, 0)
        .expect("reparent_window");
    conn.ungrab_server().expect("ungrab_server");
    client.round_trip();
    session.wait_for(
        |s| s.focused() == Some(target) && client.input_focus() == target,
        "the window has the focus, for oxtile and for X",
    );
}

/// A bar with a system tray, for the tray's regressions.
const TRAY_CONFIG: &str = r#"oxtile.groups{ "1", "2" }
oxtile.settings{ border_width = 0, margin = 0, focus_follows_mouse = false }
oxtile.bar{ position = "top", size = 24, widgets = { oxtile.widget.systray{} } }
"#;

/// The icons oxtile's tray lists, and whether each is shown.
fn tray_icons(session: &Session) -> Vec<(u32, bool)> {
    session
        .cmd_json(&["widgets"])
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["tray"]["icons"].as_array().cloned().unwrap_or_default())
        .map(|i| {
            (
                i["window"].as_u64().unwrap_or(0) as u32,
                i["mapped"] == true,
            )
        })
        .collect()
}

/// Found by chaos seed 2 (1000 steps, with the bar door): a client mapped a window and
/// asked the tray to dock it in one go. oxtile docked it, then took the MapRequest the
/// window had sent from the root as a window to manage, which replaced the events the tray
/// had selected on it: when the icon was destroyed, oxtile never heard of it and went on
/// listing it as shown.
#[test]
fn an_icon_mapped_as_it_docks_is_followed_until_it_is_destroyed() {
    let session = Session::start(TRAY_CONFIG);
    let icon = TrayIcon::builder(session.display()).create();
    // The dock request, then MapWindow, in one flush: the server redirects the map to
    // oxtile before oxtile, which reads the dock request first, takes the window.
    let tray = icon.manager();
    let dock = ClientMessageEvent::new(
        32,
        icon.window(),
        icon.atoms()._NET_SYSTEM_TRAY_OPCODE,
        [x11rb::CURRENT_TIME, REQUEST_DOCK, icon.window(), 0, 0],
    );
    let conn = icon.conn();
    conn.send_event(false, tray, EventMask::NO_EVENT, dock)
        .expect("send_event");
    conn.map_window(icon.window()).expect("map_window");
    conn.flush().expect("flush");
    session.wait_for(
        |s| tray_icons(s) == [(icon.window(), true)],
        "the icon is docked and shown",
    );
    assert_eq!(icon.parent(), Some(tray_window(&session)), "in the tray");
    assert!(session.windows().is_empty(), "the icon is not managed");
    icon.destroy_window();
    session.wait_for_report(
        |s| match tray_icons(s).as_slice() {
            [] => Ok(()),
            other => Err(format!("the tray lists {other:x?}")),
        },
        "the destroyed icon leaves the tray",
    );
}

fn tray_window(session: &Session) -> u32 {
    session
        .cmd_json(&["widgets"])
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|b| b["tray"]["window"].as_u64())
        .unwrap_or_else(|| session.fail("no tray window")) as u32
}

/// The widget named `name` on any bar, as `oxtile cmd widgets --json` shows it.
fn widget(session: &Session, name: &str) -> serde_json::Value {
    session
        .cmd_json(&["widgets"])
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["widgets"].as_array().cloned().unwrap_or_default())
        .find(|w| w["name"] == name)
        .unwrap_or_else(|| session.fail(&format!("no widget named {name}")))
}

/// Found by chaos seed 1 (100 steps, with the bar door): a command widget printed a NUL
/// byte; glib refuses C strings with a NUL inside, its Rust binding panicked while the bar
/// measured the text, and the window manager died. (Lua strings may hold NULs too.)
#[test]
fn a_widget_showing_a_nul_byte_does_not_kill_oxtile() {
    let session = Session::start(
        r#"oxtile.groups{ "1" }
oxtile.bar{ position = "top", size = 24, widgets = {
  oxtile.widget.command{ name = "nul", cmd = "printf 'a\\000b'", interval = 0.1 },
  oxtile.widget.poll{ name = "lua", fn = function() return "c\0d" end },
} }
"#,
    );
    session.wait_for(
        |s| widget(s, "nul")["text"] == "a\u{0}b" && widget(s, "lua")["text"] == "c\u{0}d",
        "the widgets show their text, NUL and all",
    );
    session.sync();
    assert!(session.wm_status().is_none(), "oxtile lives");
}

/// Found by chaos seeds 2, 3 and 4 (1000 steps, with the bar door), and seed 5 (44 000
/// steps): a poll widget whose function failed once, a command that failed once, or a
/// custom drawing that failed once (a colour that is not one) stayed an error widget for
/// good, whatever its feed gave afterwards.
#[test]
fn a_widget_whose_feed_failed_comes_back_when_it_works_again() {
    let session = Session::start(
        r##"oxtile.groups{ "1" }
text = "first"
oxtile.bar{ position = "top", size = 24, widgets = {
  oxtile.widget.poll{ name = "p", interval = 0.05, fn = function()
    if fail then error("the poll fails") end
    return text
  end },
  oxtile.widget.custom{ name = "c", width = 20, interval = 0.05, draw = function(d, w, h)
    d:color(color or "#ff0000"); d:rectangle(0, 0, w, h); d:fill()
  end },
} }
"##,
    );
    let kind = |s: &Session, name: &str| widget(s, name)["kind"].clone();
    session.wait_for(
        |s| widget(s, "p")["text"] == "first" && kind(s, "c") == "canvas",
        "the widgets",
    );
    session
        .cmd(&["eval", "fail = true color = 42"])
        .expect("eval");
    session.wait_for(
        |s| kind(s, "p") == "error" && kind(s, "c") == "error",
        "the error widgets",
    );
    session
        .cmd(&["eval", "fail = nil text = 'second' color = '#00ff00'"])
        .expect("eval");
    session.wait_for_report(
        |s| {
            let (p, c) = (widget(s, "p"), widget(s, "c"));
            if p["kind"] == "poll" && p["text"] == "second" && c["kind"] == "canvas" {
                Ok(())
            } else {
                Err(format!("the widgets are {p} and {c}"))
            }
        },
        "the poll widget is back with its new text, the drawing is back",
    );
}
