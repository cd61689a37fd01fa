//! The clock widget end to end: a seconds clock changes once a second while a minute clock
//! beside it is not redrawn between minutes; `timezone = "local"` follows oxtile's `TZ`;
//! the zone can be changed at run time over IPC and from Lua.

use serde_json::Value;
use xephyr_tests::Session;

fn config(widgets: &str) -> String {
    format!(
        r##"oxtile.groups{{ "1", "2" }}
oxtile.bar{{ position = "top", size = 24, font = "DejaVu Sans Mono 10", widgets = {{ {widgets} }} }}
"##
    )
}

fn clock(session: &Session, name: &str) -> Value {
    let bars = session.cmd_json(&["widgets"]);
    bars.as_array()
        .and_then(|b| b.first())
        .and_then(|b| b["widgets"].as_array())
        .and_then(|ws| ws.iter().find(|w| w["name"] == name).cloned())
        .unwrap_or(Value::Null)
}

fn text(w: &Value) -> String {
    w["text"].as_str().unwrap_or_default().to_string()
}

fn redraws(w: &Value) -> u64 {
    w["redraws"].as_u64().unwrap_or(0)
}

#[test]
fn a_seconds_clock_ticks_each_second_and_a_minute_clock_waits_for_its_minute() {
    let session = Session::start(&config(
        r#"oxtile.widget.clock{ name = "sec", format = "%H:%M:%S", timezone = "UTC" },
           oxtile.widget.clock{ name = "min", format = "%H:%M", timezone = "UTC" }"#,
    ));
    let start = session.wait_for_value(
        |s| Some(clock(s, "sec")).filter(|w| !text(w).is_empty()),
        "the seconds clock shows a time",
    );
    let min_start = clock(&session, "min");
    let mut seen = vec![text(&start)];
    let mut last = start.clone();
    // Three changes of the seconds clock: about three seconds, waited on as a condition.
    while seen.len() < 4 {
        last = session.wait_for_value(
            |s| Some(clock(s, "sec")).filter(|w| text(w) != *seen.last().unwrap_or(&String::new())),
            "the seconds clock changes",
        );
        seen.push(text(&last));
    }
    let sec_redraws = redraws(&last) - redraws(&start);
    assert_eq!(sec_redraws, 3, "one redraw per change of text, {seen:?}");
    let min_end = clock(&session, "min");
    let minute_changed = text(&min_end) != text(&min_start);
    assert_eq!(
        redraws(&min_end) - redraws(&min_start),
        u64::from(minute_changed),
        "the minute clock redraws only when its minute changes ({} -> {})",
        text(&min_start),
        text(&min_end)
    );
}

#[test]
fn a_local_clock_follows_tz_of_the_oxtile_process() {
    let session = Session::builder()
        .config(&config(
            r#"oxtile.widget.clock{ format = "%H:%M %Z", timezone = "local" }"#,
        ))
        .env("TZ", "US/Central")
        .start();
    let w = session.wait_for_value(
        |s| Some(clock(s, "clock")).filter(|w| !text(w).is_empty()),
        "the clock shows a time",
    );
    let t = text(&w);
    assert!(
        t.ends_with("CST") || t.ends_with("CDT"),
        "Central time: {t}"
    );
    assert_eq!(w["state"]["zone"], "US/Central", "{w}");
}

#[test]
fn the_zone_changes_at_run_time_over_ipc_and_from_lua() {
    let session = Session::start(&config(
        r#"oxtile.widget.clock{ format = "%H:%M %Z", timezone = "UTC" }"#,
    ));
    session.wait_for(|s| text(&clock(s, "clock")).ends_with("UTC"), "a UTC clock");
    session
        .cmd(&["clock-zone", "clock", "Asia/Tokyo"])
        .expect("clock-zone");
    session.wait_for(
        |s| text(&clock(s, "clock")).ends_with("JST"),
        "Tokyo time after the IPC command",
    );
    let err = session
        .cmd(&["clock-zone", "clock", "US/Centrl"])
        .expect_err("an unknown zone is refused");
    assert!(
        err.to_string().contains("US/Central"),
        "suggests the right name: {err}"
    );
    session
        .cmd(&[
            "eval",
            r#"oxtile.clock.set_timezone("clock", "Europe/Berlin")"#,
        ])
        .expect("eval");
    session.wait_for(
        |s| {
            let t = text(&clock(s, "clock"));
            t.ends_with("CET") || t.ends_with("CEST")
        },
        "Berlin time after the Lua call",
    );
}

fn popup(session: &Session) -> Value {
    session.cmd_json(&["widgets"])[0]["popup"].clone()
}

#[test]
fn a_middle_click_opens_the_calendar_and_escape_closes_it() {
    let session = Session::start(&config(
        r#"oxtile.widget.clock{ format = "%H:%M", timezone = "UTC" }"#,
    ));
    let client = session.client();
    let w = session.wait_for_value(
        |s| Some(clock(s, "clock")).filter(|w| w["length"].as_u64().unwrap_or(0) > 0),
        "the clock is laid out",
    );
    let x = w["offset"].as_i64().unwrap_or(0) + 5;
    client.click(x as i32, 12, 2);
    let lines = session.wait_for_value(
        |s| popup(s)["lines"].as_array().cloned(),
        "the calendar popup is open",
    );
    assert!(
        lines
            .iter()
            .any(|l| l.as_str().is_some_and(|l| l.contains('['))),
        "today marked: {lines:?}"
    );
    let title = lines[0].as_str().unwrap_or_default().trim().to_string();
    // The wheel over the popup moves to the next month.
    let p = popup(&session);
    let (px, py) = (
        p["x"].as_i64().unwrap_or(0) + 10,
        p["y"].as_i64().unwrap_or(0) + 10,
    );
    client.click(px as i32, py as i32, 5);
    session.wait_for(
        |s| {
            popup(s)["lines"][0]
                .as_str()
                .is_some_and(|t| t.trim() != title)
        },
        "the calendar shows another month",
    );
    client.key(&[], "Escape");
    session.wait_for(|s| popup(s).is_null(), "Escape closes the calendar");
    // The keyboard is free again: another client can grab it.
    let other = session.client();
    let grab = x11rb::protocol::xproto::ConnectionExt::grab_keyboard(
        other.conn(),
        false,
        other.root(),
        x11rb::CURRENT_TIME,
        x11rb::protocol::xproto::GrabMode::ASYNC,
        x11rb::protocol::xproto::GrabMode::ASYNC,
    )
    .expect("request")
    .reply()
    .expect("reply");
    assert_eq!(grab.status, x11rb::protocol::xproto::GrabStatus::SUCCESS);
}
