//! The bar end to end: it sits at its edge with its height, keeps tiled windows off its
//! space, shows its background and text on screen (read back with GetImage), updates Lua
//! poll widgets, replaces an erroring widget while the others keep working, and shows
//! config errors.

use serde_json::Value;

use xephyr_tests::{Rect, Session, SCREEN_HEIGHT, SCREEN_WIDTH};

const BAR_BG: u32 = 0x203040;

fn config(position: &str, size: u32, widgets: &str) -> String {
    format!(
        r##"oxtile.groups{{ "1", "2", "3" }}
oxtile.settings{{ border_width = 0, margin = 0, focus_follows_mouse = false }}
oxtile.bar{{ position = "{position}", size = {size}, background = "#203040", foreground = "#ffffff",
  widgets = {{ {widgets} }} }}
"##
    )
}

/// The bars as `oxtile cmd widgets --json` lists them.
fn bars(session: &Session) -> Vec<Value> {
    session
        .cmd_json(&["widgets"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn widget<'a>(bar: &'a Value, name: &str) -> Option<&'a Value> {
    bar["widgets"]
        .as_array()?
        .iter()
        .find(|w| w["name"] == name)
}

/// Pixels of a root rectangle as 0xRRGGBB.
fn grab(session: &Session, r: Rect) -> Vec<u32> {
    session.client().pixels(r)
}

#[test]
fn a_top_bar_has_its_height_keeps_windows_off_and_shows_its_colours() {
    let session = Session::start(&config(
        "top",
        30,
        r#"oxtile.widget.textbox{ text = "HELLO BAR" }"#,
    ));
    let client = session.client();
    let w = client.window().map();
    session.wait_for_geometry(
        &client,
        &[w],
        &[Rect::new(0, 30, SCREEN_WIDTH, SCREEN_HEIGHT - 30)],
        "the window tiled below the bar",
    );
    let bar = &bars(&session)[0];
    let win = bar["window"].as_u64().expect("bar window") as u32;
    assert_eq!(
        client.geometry(win),
        Rect::new(0, 0, SCREEN_WIDTH, 30),
        "bar geometry in X"
    );
    let pixels = session.wait_for_value(
        |s| {
            let px = grab(s, Rect::new(0, 0, 400, 30));
            px.iter().any(|&p| p != BAR_BG).then_some(px)
        },
        "text drawn on the bar",
    );
    let background = pixels.iter().filter(|&&p| p == BAR_BG).count();
    let text = pixels.iter().filter(|&&p| p != BAR_BG).count();
    assert!(
        background > pixels.len() / 2,
        "mostly the configured background"
    );
    assert!(text > 30, "text pixels where the text is ({text})");
    // Right of the text the bar is plain background.
    assert!(grab(&session, Rect::new(900, 0, 300, 30))
        .iter()
        .all(|&p| p == BAR_BG));
}

#[test]
fn a_bottom_bar_and_a_left_bar_reserve_their_edges() {
    let lua = config("bottom", 20, r#"oxtile.widget.textbox{ text = "bottom" }"#)
        + r#"oxtile.bar{ position = "left", size = 16, widgets = { oxtile.widget.textbox{ text = "side" } } }"#;
    let session = Session::start(&lua);
    let client = session.client();
    let w = client.window().map();
    session.wait_for_geometry(
        &client,
        &[w],
        &[Rect::new(16, 0, SCREEN_WIDTH - 16, SCREEN_HEIGHT - 20)],
        "the window between the left and bottom bars",
    );
    let all = bars(&session);
    assert_eq!(all.len(), 2);
    let bottom = all
        .iter()
        .find(|b| b["position"] == "bottom")
        .expect("bottom bar");
    let win = bottom["window"].as_u64().expect("window") as u32;
    assert_eq!(
        client.geometry(win),
        Rect::new(0, SCREEN_HEIGHT as i32 - 20, SCREEN_WIDTH, 20)
    );
    let left = all
        .iter()
        .find(|b| b["position"] == "left")
        .expect("left bar");
    let win = left["window"].as_u64().expect("window") as u32;
    assert_eq!(
        client.geometry(win),
        Rect::new(0, 0, 16, SCREEN_HEIGHT - 20),
        "side bar stops at the bottom bar"
    );
}

#[test]
fn a_lua_poll_widget_updates_its_text() {
    let session = Session::start(&config(
        "top",
        24,
        r#"oxtile.widget.poll{ name = "ticks", interval = 0.05, fn = (function() local n = 0; return function() n = n + 1; return "tick " .. n end end)() }"#,
    ));
    let first = session.wait_for_value(
        |s| widget(&bars(s)[0], "ticks").and_then(|w| w["text"].as_str().map(String::from)),
        "the poll widget has text",
    );
    session.wait_for(
        |s| {
            widget(&bars(s)[0], "ticks").is_some_and(|w| w["text"].as_str() != Some(first.as_str()))
        },
        "the poll widget's text changes",
    );
    assert!(first.starts_with("tick "), "{first}");
}

#[test]
fn a_command_widget_shows_the_output_of_its_command() {
    let session = Session::start(&config(
        "top",
        24,
        r#"oxtile.widget.command{ name = "cmd", cmd = "printf '  from the shell \n'", interval = 60 }"#,
    ));
    session.wait_for(
        |s| widget(&bars(s)[0], "cmd").is_some_and(|w| w["text"] == "from the shell"),
        "the command's trimmed output",
    );
}

#[test]
fn a_hanging_command_is_killed_with_what_it_started_after_its_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pidfile = dir.path().join("sleep.pid");
    let session = Session::start(&config(
        "top",
        24,
        &format!(
            r#"oxtile.widget.command{{ name = "hang", cmd = "sleep 600 & echo $! > {}; wait", timeout = 0.5, interval = 3600 }}"#,
            pidfile.display()
        ),
    ));
    session.wait_for(
        |s| {
            widget(&bars(s)[0], "hang").is_some_and(|w| {
                w["kind"] == "error"
                    && w["text"]
                        .as_str()
                        .is_some_and(|t| t.contains("timed out after 500ms; killed"))
            })
        },
        "the widget shows that its command timed out",
    );
    let pid = std::fs::read_to_string(&pidfile).expect("the command wrote its child's pid");
    let pid: u32 = pid.trim().parse().expect("a pid");
    session.wait_for(
        |_| xephyr_tests::resources::has_ended(pid),
        "the command's own child is killed too",
    );
    session.wait_for_report(
        |s| {
            let left = xephyr_tests::resources::children(s.wm_pid());
            if left.is_empty() {
                Ok(())
            } else {
                Err(format!("oxtile's children left (pid, state): {left:?}"))
            }
        },
        "the killed shell is reaped",
    );
    session.sync();
}

#[test]
fn an_erroring_widget_is_replaced_and_the_others_keep_working() {
    let session = Session::start(&config(
        "top",
        24,
        r#"oxtile.widget.poll{ name = "broken", interval = 0.05, fn = function() error("boom") end },
           oxtile.widget.poll{ name = "fine", interval = 0.05, fn = (function() local n = 0; return function() n = n + 1; return n end end)() }"#,
    ));
    session.wait_for(
        |s| {
            widget(&bars(s)[0], "broken").is_some_and(|w| {
                w["kind"] == "error" && w["text"].as_str().is_some_and(|t| t.contains("boom"))
            })
        },
        "the broken widget shows its error",
    );
    let n = |s: &Session| {
        widget(&bars(s)[0], "fine")
            .and_then(|w| w["text"].as_str().and_then(|t| t.parse::<u64>().ok()))
            .unwrap_or(0)
    };
    let before =
        session.wait_for_value(|s| Some(n(s)).filter(|&v| v > 0), "the fine widget counts");
    session.wait_for(|s| n(s) > before, "the fine widget keeps counting");
    assert!(session.cmd(&["sync"]).is_ok());
}

#[test]
fn a_runaway_poll_widget_is_stopped_by_the_budget() {
    let session = Session::start(&config(
        "top",
        24,
        r#"oxtile.widget.poll{ name = "loop", interval = 0.05, fn = function() while true do end end }"#,
    ));
    session.wait_for(
        |s| widget(&bars(s)[0], "loop").is_some_and(|w| w["kind"] == "error"),
        "the runaway widget becomes an error widget",
    );
    assert!(session.cmd(&["sync"]).is_ok(), "oxtile still answers");
}

#[test]
fn a_broken_widget_option_is_a_config_error_shown_in_the_bar() {
    let lua = config("top", 24, r#"oxtile.widget.textbox{ text = "ok" }"#)
        + "oxtile.widget.textbox{ txet = \"typo\" }\n";
    let session = Session::start(&lua);
    let errors = session.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains(":5:") && e.contains("txet")),
        "{errors:?}"
    );
    // The session runs on the built-in default config; its first bar shows the error.
    session.wait_for(
        |s| {
            bars(s).first().is_some_and(|b| {
                b["widgets"].as_array().is_some_and(|ws| {
                    ws.iter().any(|w| {
                        w["kind"] == "error"
                            && w["text"].as_str().is_some_and(|t| t.contains("txet"))
                    })
                })
            })
        },
        "the config error in the bar",
    );
}

#[test]
fn clicking_a_groupbox_entry_switches_group_and_scrolling_cycles() {
    let session = Session::start(&config(
        "top",
        24,
        "oxtile.widget.groupbox{}, oxtile.widget.spacer{}",
    ));
    let client = session.client();
    let gb = session.wait_for_value(
        |s| {
            widget(&bars(s)[0], "groupbox")
                .filter(|w| w["length"].as_u64().unwrap_or(0) > 0)
                .cloned()
        },
        "the group box is laid out",
    );
    let (offset, length) = (
        gb["offset"].as_i64().unwrap_or(0),
        gb["length"].as_i64().unwrap_or(0),
    );
    // Three one-digit groups: equal boxes; the middle of the second.
    client.click((offset + length / 2) as i32, 12, 1);
    session.wait_for(
        |s| s.current_group().name == "2",
        "group 2 shown after the click",
    );
    session.wait_for(
        |s| {
            widget(&bars(s)[0], "groupbox")
                .is_some_and(|w| w["state"]["groups"][1]["on_this_screen"] == true)
        },
        "the group box highlights group 2",
    );
    client.click((offset + length / 2) as i32, 12, 5);
    session.wait_for(
        |s| s.current_group().name == "3",
        "scrolling down shows the next group",
    );
    client.click((offset + length / 2) as i32, 12, 4);
    session.wait_for(
        |s| s.current_group().name == "2",
        "scrolling up shows the previous group",
    );
}

#[test]
fn a_custom_lua_widget_draws_and_on_click_runs_lua() {
    let session = Session::start(&config(
        "top",
        24,
        r##"oxtile.widget.custom{ name = "box", width = 40,
              draw = function(d, w, h) d:color("#ff0000"); d:rectangle(0, 0, w, h); d:fill() end,
              on_click = function() clicked = (clicked or 0) + 1 end }"##,
    ));
    let client = session.client();
    let w = session.wait_for_value(
        |s| {
            widget(&bars(s)[0], "box")
                .filter(|w| w["length"] == 40)
                .cloned()
        },
        "the custom widget is laid out 40 px wide",
    );
    let x = w["offset"].as_i64().unwrap_or(0) as i32;
    session.wait_for(
        |s| {
            grab(s, Rect::new(x + 5, 5, 30, 14))
                .iter()
                .all(|&p| p == 0xff0000)
        },
        "the custom widget's red rectangle on screen",
    );
    assert!(
        grab(&session, Rect::new(x + 45, 5, 10, 10))
            .iter()
            .all(|&p| p == BAR_BG),
        "only its own 40 px"
    );
    client.click(x + 10, 10, 1);
    session.wait_for(
        |s| {
            s.cmd(&["eval", "return clicked"])
                .is_ok_and(|out| out.trim() == "1")
        },
        "on_click ran once",
    );
}
