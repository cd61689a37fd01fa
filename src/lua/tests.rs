//! Tests of the Lua loader and runtime: configs in, `Config` data or "FILE:LINE: message"
//! problems out; callbacks, hooks, timers and eval in, actions out.

use std::time::{Duration, Instant};

use serde_json::json;

use super::*;
use crate::config::mods::{CONTROL, MOD4, SHIFT};
use crate::config::{KeyBinding, LayoutSpec};
use crate::core::client::WindowType;
use crate::core::drag::DragKind;
use crate::core::geometry::Rect;
use crate::core::rules::{Geometry, Length};
use crate::keysym;

fn load(source: &str) -> Loaded {
    match LuaRuntime::load_str("test.lua", source) {
        Ok(loaded) => loaded,
        Err(problems) => panic!("config failed to load: {problems:#?}"),
    }
}

fn problems(source: &str) -> Vec<String> {
    match LuaRuntime::load_str("test.lua", source) {
        Ok(_) => panic!("config loaded, expected problems"),
        Err(problems) => problems,
    }
}

fn binding(config: &Config, mods: u16, key: &str) -> Option<KeyBinding> {
    let keysym = keysym::from_name(key).unwrap();
    config
        .keys
        .iter()
        .find(|k| k.mods == mods && k.keysym == keysym)
        .cloned()
}

fn action(config: &Config, mods: u16, key: &str) -> Action {
    binding(config, mods, key)
        .unwrap_or_else(|| panic!("no binding for {mods:#x}+{key}"))
        .action
}

fn view() -> Json {
    json!({
        "windows": [
            {"id": 1, "title": "vim", "class": "XTerm", "instance": "xterm", "group": "1",
             "floating": false, "fullscreen": false, "urgent": false, "focused": false},
            {"id": 2, "title": "web", "class": "Firefox", "instance": "Navigator", "group": "1",
             "floating": false, "fullscreen": false, "urgent": false, "focused": true}
        ],
        "groups": [
            {"name": "1", "layout": "monadtall", "screen": 0, "windows": [1, 2], "focused": true},
            {"name": "2", "layout": "max", "screen": null, "windows": [], "focused": false}
        ],
        "screens": [{"index": 0, "x": 0, "y": 0, "width": 1920, "height": 1080, "group": "1"}],
        "focused": 2,
        "current_group": "1"
    })
}

/// Bindings in config/config.lua: 13 window and layout keys, 18 group keys, a terminal, 2
/// session keys, 3 prompts and the password prompt, 4 screen keys.
const KEYS_IN_DEFAULT_CONFIG: usize = 13 + 18 + 1 + 2 + 3 + 1 + 4;

#[test]
fn default_config_loads_with_the_documented_bindings() {
    let loaded =
        LuaRuntime::load_str(DEFAULT_NAME, DEFAULT_CONFIG).expect("default config has problems");
    let c = &loaded.config;
    let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    let layouts: Vec<&str> = c.layouts.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        layouts,
        [
            "monadtall",
            "columns",
            "max",
            "tile",
            "monadwide",
            "floating"
        ]
    );

    assert!(matches!(action(c, MOD4, "Return"), Action::Spawn { .. }));
    assert_eq!(action(c, MOD4, "w"), Action::Kill);
    assert_eq!(action(c, MOD4, "Tab"), Action::NextLayout);
    assert_eq!(action(c, MOD4 | SHIFT, "Tab"), Action::PrevLayout);
    assert_eq!(action(c, MOD4, "j"), Action::FocusNext);
    assert_eq!(action(c, MOD4, "k"), Action::FocusPrev);
    assert_eq!(action(c, MOD4 | SHIFT, "j"), Action::ShuffleDown);
    assert_eq!(action(c, MOD4 | SHIFT, "k"), Action::ShuffleUp);
    assert_eq!(action(c, MOD4, "h"), Action::Shrink);
    assert_eq!(action(c, MOD4, "l"), Action::Grow);
    assert_eq!(action(c, MOD4, "n"), Action::Normalize);
    assert_eq!(action(c, MOD4, "f"), Action::ToggleFullscreen);
    assert_eq!(action(c, MOD4, "t"), Action::ToggleFloating);
    for i in 1..=9 {
        let name = i.to_string();
        assert_eq!(
            action(c, MOD4, &name),
            Action::ToGroup {
                group: name.clone()
            }
        );
        assert_eq!(
            action(c, MOD4 | SHIFT, &name),
            Action::MoveToGroup {
                group: name.clone()
            }
        );
    }
    assert_eq!(action(c, MOD4, "grave"), Action::PrevGroupToggle);
    assert_eq!(action(c, MOD4 | CONTROL, "r"), Action::Reload);
    assert_eq!(action(c, MOD4 | CONTROL, "q"), Action::Quit);
    // mod4+r opens the run prompt in the bar (it was dmenu_run before the prompt widget).
    assert_eq!(
        action(c, MOD4, "r"),
        Action::Prompt {
            kind: crate::prompt::PromptKind::Run
        }
    );
    assert_eq!(binding(c, MOD4, "Return").unwrap().desc, "open a terminal");
    assert_eq!(action(c, MOD4, "period"), Action::NextScreen);
    assert_eq!(action(c, MOD4, "comma"), Action::PrevScreen);
    assert_eq!(action(c, MOD4 | SHIFT, "period"), Action::MoveToNextScreen);
    assert_eq!(action(c, MOD4 | SHIFT, "comma"), Action::MoveToPrevScreen);
    assert_eq!(c.keys.len(), KEYS_IN_DEFAULT_CONFIG);
    let drags: Vec<(u16, u8, DragKind)> =
        c.drags.iter().map(|d| (d.mods, d.button, d.kind)).collect();
    assert_eq!(
        drags,
        [(MOD4, 1, DragKind::Move), (MOD4, 3, DragKind::Resize)]
    );

    // Its startup hook runs and queues nothing.
    let mut rt = loaded.runtime;
    assert!(rt.hook(Hook::Startup, &Json::Null, &view()).is_empty());
}

#[test]
fn load_default_gives_the_shipped_config() {
    let loaded = LuaRuntime::load_default();
    assert_eq!(loaded.config.groups.len(), 9);
    assert_eq!(loaded.config.layouts.len(), 6);
}

#[test]
fn examples_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "lua") {
            assert_eq!(check(&path), Vec::<String>::new(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 2);
    let chords = LuaRuntime::load_file(&dir.join("chords.lua"))
        .ok()
        .unwrap()
        .config;
    assert_eq!(chords.chords.len(), 2);
    let resize = &chords.chords[0];
    assert_eq!(resize.name, "resize");
    assert!(resize.persistent);
    assert!(resize.keys.iter().any(|k| k.action == Action::Grow));
    assert!(chords
        .keys
        .iter()
        .any(|k| k.action == Action::EnterChord { id: 0 }));
}

#[test]
fn the_annotation_file_is_valid_lua() {
    let meta = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/oxtile.lua");
    let source = std::fs::read_to_string(meta).unwrap();
    let lua = Lua::new();
    lua.load(&source)
        .set_name("@oxtile.lua")
        .into_function()
        .unwrap();
}

#[test]
fn a_syntax_error_gives_file_and_line() {
    let p = problems("oxtile.groups { '1' }\n\nlocal x = = 3\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("test.lua:3: "), "{p:?}");
    assert!(!p[0].contains("traceback"), "{p:?}");
}

#[test]
fn a_runtime_error_ends_the_load_with_its_line() {
    let p =
        problems("oxtile.groups { '1' }\nlocal t = nil\nprint(t.x)\noxtile.groups { 'never' }\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("test.lua:3: attempt to index a nil value"),
        "{p:?}"
    );
    assert!(!p[0].contains("traceback"), "{p:?}");
}

#[test]
fn every_bad_line_is_reported_once_at_its_line() {
    let source = r##"local lazy = oxtile.lazy
oxtile.key({"mod4"}, "Return", oxtile.spawn("xterm"))
oxtile.key({"mod4"}, "Retrun", oxtile.spawn("xterm"))
oxtile.layouts { oxtile.layout.max{}, oxtile.layout.spiral{} }
oxtile.settings { bordr_width = 3 }
oxtile.settings { border_focus = "#12345" }
oxtile.key({"hyper"}, "a", lazy.kill())
oxtile.layouts { oxtile.layout.monadtall{ ratio = 2 } }
oxtile.hook("client_nwe", function() end)
oxtile.key({"mod4"}, "b", 42)
oxtile.groups { "a", {name = "b", layouts = {"nope"}} }
"##;
    let p = problems(source);
    let expect = [
        (
            "test.lua:3: ",
            "unknown key 'Retrun' (did you mean 'Return'",
        ),
        ("test.lua:4: ", "unknown layout 'spiral'"),
        (
            "test.lua:5: ",
            "unknown setting 'bordr_width' (did you mean 'border_width'?)",
        ),
        ("test.lua:6: ", "bad colour '#12345'"),
        ("test.lua:7: ", "unknown modifier 'hyper'"),
        ("test.lua:8: ", "ratio"),
        (
            "test.lua:9: ",
            "unknown hook 'client_nwe' (did you mean 'client_new'?)",
        ),
        ("test.lua:10: ", "expected an action"),
        ("test.lua:11: ", "unknown layout 'nope'"),
    ];
    assert_eq!(p.len(), expect.len(), "{p:#?}");
    for (got, (prefix, text)) in p.iter().zip(expect) {
        assert!(
            got.starts_with(prefix) && got.contains(text),
            "{got:?} should be {prefix}...{text}"
        );
    }
}

#[test]
fn problems_name_the_full_path_of_a_long_file() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir
        .path()
        .join("a-rather-long-directory-name/that-goes/on-and-on-and-on");
    std::fs::create_dir_all(&deep).unwrap();
    let file = deep.join("config.lua");
    std::fs::write(&file, "oxtile.groups{'1'}\nerror('boom')\n").unwrap();
    let p = check(&file);
    assert_eq!(p, vec![format!("{}:2: boom", file.display())]);
    std::fs::write(
        &file,
        "oxtile.key({'mod4'}, 'Retrun', oxtile.lazy.kill())\n",
    )
    .unwrap();
    let p = check(&file);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with(&format!("{}:1: ", file.display())),
        "{p:?}"
    );
}

#[test]
fn a_missing_file_is_one_problem() {
    let p = check(Path::new("/nonexistent/oxtile/config.lua"));
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("/nonexistent/oxtile/config.lua: cannot read"),
        "{p:?}"
    );
}

#[test]
fn groups_layouts_and_settings_become_data() {
    let c = load(
        r##"
        oxtile.groups { "term", 2, { name = "web", layouts = { oxtile.layout.max{}, "columns" } } }
        oxtile.layouts { oxtile.layout.MonadTall{}, { name = "tile" } }
        oxtile.settings { border_width = 3, border_focus = "#f80", margin = 0,
                          focus_follows_mouse = false, lua_instruction_limit = 123456 }
        oxtile.button({"mod4"}, 1, oxtile.lazy.toggle_floating())
        "##,
    )
    .config;
    let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["term", "2", "web"]);
    let web: Vec<&str> = c.groups[2]
        .layouts
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(web, ["max", "columns"]);
    assert_eq!(c.layouts[0], LayoutSpec::named("monadtall"));
    assert_eq!(c.layouts[1], LayoutSpec::named("tile"));
    assert_eq!(c.settings.border_width, 3);
    assert_eq!(c.settings.border_focus, 0xff8800);
    assert_eq!(c.settings.margin, 0);
    assert!(!c.settings.focus_follows_mouse);
    assert_eq!(c.settings.lua_instruction_limit, 123456);
    assert_eq!(c.buttons.len(), 1);
    assert_eq!((c.buttons[0].mods, c.buttons[0].button), (MOD4, 1));
}

#[test]
fn layout_options_reach_the_spec_when_the_layout_takes_them() {
    // Which options a layout takes is the layout's business; this test follows `build`.
    let mut options = serde_json::Map::new();
    options.insert("ratio".into(), json!(0.6));
    let source = "oxtile.layouts { oxtile.layout.monadtall{ ratio = 0.6 } }";
    match crate::core::layout::build("monadtall", &options) {
        Ok(_) => assert_eq!(load(source).config.layouts[0].options, options),
        Err(e) => assert_eq!(problems(source), vec![format!("test.lua:1: {e}")]),
    }
}

#[test]
fn a_key_callback_returns_the_actions_it_queued() {
    let Loaded {
        mut runtime,
        config,
    } = load(
        r#"
        oxtile.key({"mod4"}, "x", function()
            local c = oxtile.focused()
            oxtile.lazy.kill_window(c.id)()
            oxtile.run(oxtile.lazy.to_group("2"))
            oxtile.spawn("notify-send " .. c.class)()
        end)
        "#,
    );
    let Action::Lua { id } = action(&config, MOD4, "x") else {
        panic!("not a Lua binding")
    };
    assert_eq!(
        runtime.call(id, &view()),
        vec![
            Action::KillWindow { window: 2 },
            Action::ToGroup { group: "2".into() },
            Action::Spawn {
                cmd: "notify-send Firefox".into()
            },
        ]
    );
    // Each call starts with an empty queue.
    assert_eq!(runtime.call(id, &view()).len(), 3);
    assert!(runtime.call(99, &view()).is_empty());
}

#[test]
fn an_erroring_callback_logs_and_returns_nothing() {
    let Loaded {
        mut runtime,
        config,
    } = load(
        r#"
        oxtile.key({"mod4"}, "x", function()
            oxtile.lazy.quit()()
            error("oops")
        end)
        oxtile.key({"mod4"}, "y", function() oxtile.lazy.reload()() end)
        "#,
    );
    let Action::Lua { id: bad } = action(&config, MOD4, "x") else {
        panic!()
    };
    let Action::Lua { id: good } = action(&config, MOD4, "y") else {
        panic!()
    };
    assert!(runtime.call(bad, &view()).is_empty());
    assert_eq!(runtime.call(good, &view()), vec![Action::Reload]);
}

#[test]
fn a_runaway_callback_is_stopped_and_the_runtime_lives_on() {
    let Loaded {
        mut runtime,
        config,
    } = load(
        r#"
        oxtile.settings { lua_instruction_limit = 100000 }
        oxtile.key({"mod4"}, "x", function() while true do end end)
        oxtile.key({"mod4"}, "y", function()
            while true do pcall(function() while true do end end) end
        end)
        oxtile.key({"mod4"}, "z", function()
            coroutine.wrap(function() while true do end end)()
        end)
        oxtile.key({"mod4"}, "q", function()
            local n = 0
            for i = 1, 1000 do n = n + i end
            oxtile.lazy.quit()()
        end)
        "#,
    );
    for key in ["x", "y", "z"] {
        let Action::Lua { id } = action(&config, MOD4, key) else {
            panic!()
        };
        assert!(runtime.call(id, &view()).is_empty(), "{key}");
    }
    let Action::Lua { id } = action(&config, MOD4, "q") else {
        panic!()
    };
    assert_eq!(runtime.call(id, &view()), vec![Action::Quit]);
    let (result, _) = runtime.eval("while true do end", &view());
    assert!(result.unwrap_err().contains("lua_instruction_limit"));
}

#[test]
fn a_runaway_config_is_stopped_with_its_line() {
    let p = problems("oxtile.settings { lua_instruction_limit = 100000 }\nlocal i = 0\nwhile true do\n  i = i + 1\nend\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("test.lua:"), "{p:?}");
    assert!(
        p[0].contains("stopped after 100000 Lua instructions"),
        "{p:?}"
    );
}

#[test]
fn timers_fire_on_the_injected_clock() {
    let t0 = Instant::now();
    let Loaded { mut runtime, .. } = load(
        r#"
        count = 0
        oxtile.timer { timeout = 2, callback = function() oxtile.lazy.next_group()() end }
        ticker = oxtile.timer { timeout = 0.5, ["repeat"] = true, callback = function()
            count = count + 1
            if count == 3 then ticker:stop() end
        end }
        "#,
    );
    let t1 = Instant::now();
    let next = runtime.next_timer().unwrap();
    assert!(next >= t0 + Duration::from_millis(500) && next <= t1 + Duration::from_millis(500));
    assert!(runtime
        .fire_timers(next - Duration::from_millis(1), &view())
        .is_empty());
    assert!(runtime.fire_timers(next, &view()).is_empty());
    assert_eq!(runtime.eval("count", &view()).0.unwrap(), "1");
    let at_two = runtime.next_timer().unwrap() + Duration::from_secs(1);
    assert_eq!(
        runtime.fire_timers(at_two, &view()),
        vec![Action::NextGroup]
    );
    assert_eq!(runtime.eval("count", &view()).0.unwrap(), "2");
    let next = runtime.next_timer().unwrap();
    runtime.fire_timers(next, &view());
    assert_eq!(runtime.eval("count", &view()).0.unwrap(), "3");
    assert_eq!(
        runtime.next_timer(),
        None,
        "stopped from inside its callback"
    );
}

#[test]
fn timers_made_at_run_time_use_the_injected_clock() {
    let Loaded { mut runtime, .. } = load("");
    let now = Instant::now() + Duration::from_secs(100);
    let (r, _) = runtime.eval(
        "oxtile.timer { timeout = 1, callback = function() oxtile.lazy.quit()() end }",
        &view(),
    );
    r.unwrap();
    assert!(runtime.next_timer().unwrap() < now);
    // A timer created inside a timer counts from the time the outer one fired.
    let (r, _) = runtime.eval(
        "oxtile.timer { timeout = 0, callback = function() oxtile.timer { timeout = 5, callback = function() end } end }",
        &view(),
    );
    r.unwrap();
    let fired = runtime.fire_timers(now, &view());
    assert_eq!(fired, vec![Action::Quit]);
    assert_eq!(runtime.next_timer(), Some(now + Duration::from_secs(5)));
}

#[test]
fn eval_returns_values_prints_and_errors() {
    let Loaded { mut runtime, .. } = load("");
    assert_eq!(runtime.eval("return 1+1", &view()).0, Ok("2".into()));
    assert_eq!(runtime.eval("1+1", &view()).0, Ok("2".into()));
    assert_eq!(
        runtime.eval("print('a', 1) return 'b', nil", &view()).0,
        Ok("a\t1\nb\tnil".into())
    );
    assert_eq!(runtime.eval("x = 5", &view()).0, Ok(String::new()));
    assert_eq!(runtime.eval("x", &view()).0, Ok("5".into()));
    let err = runtime.eval("error('bad')", &view()).0.unwrap_err();
    assert_eq!(err, "eval:1: bad");
    let err = runtime.eval("local = 1", &view()).0.unwrap_err();
    assert!(err.starts_with("eval:1:"), "{err}");
    let (r, actions) = runtime.eval("oxtile.lazy.focus_next()()", &view());
    assert_eq!((r, actions), (Ok(String::new()), vec![Action::FocusNext]));
    let err = runtime
        .eval("oxtile.key({'mod4'}, 'a', oxtile.lazy.kill())", &view())
        .0
        .unwrap_err();
    assert!(err.contains("only works while the config loads"), "{err}");
}

#[test]
fn the_view_reads_through_oxtile_functions() {
    let Loaded { mut runtime, .. } = load("");
    let v = view();
    let eval = |rt: &mut LuaRuntime, code: &str| rt.eval(code, &v).0.unwrap();
    assert_eq!(eval(&mut runtime, "#oxtile.clients()"), "2");
    assert_eq!(eval(&mut runtime, "oxtile.clients()[1].title"), "vim");
    assert_eq!(eval(&mut runtime, "oxtile.focused().class"), "Firefox");
    assert_eq!(
        eval(&mut runtime, "oxtile.current_group().layout"),
        "monadtall"
    );
    assert_eq!(eval(&mut runtime, "#oxtile.groups()"), "2");
    assert_eq!(eval(&mut runtime, "oxtile.screens()[1].width"), "1920");
    assert_eq!(eval(&mut runtime, "oxtile.clients()[2].floating"), "false");
    // An empty view (as while loading) reads as nothing, not as an error.
    assert_eq!(
        runtime.eval("oxtile.focused()", &Json::Null).0,
        Ok("nil".into())
    );
    assert_eq!(
        runtime.eval("#oxtile.clients()", &Json::Null).0,
        Ok("0".into())
    );
}

#[test]
fn hooks_get_their_argument() {
    let Loaded { mut runtime, .. } = load(
        r#"
        oxtile.hook("client_new", function(c)
            if c.class == "Gimp" then oxtile.lazy.move_to_group("9")() end
        end)
        oxtile.hook("client_new", function(c) error("second hook fails") end)
        oxtile.hook("client_new", function(c) oxtile.lazy.focus_window(c.id)() end)
        "#,
    );
    let gimp = json!({"id": 7, "class": "Gimp", "title": "gimp"});
    assert_eq!(
        runtime.hook(Hook::ClientNew, &gimp, &view()),
        vec![
            Action::MoveToGroup { group: "9".into() },
            Action::FocusWindow { window: 7 }
        ]
    );
    assert!(runtime
        .hook(Hook::GroupChange, &json!({}), &view())
        .is_empty());
}

#[test]
fn container_change_gets_four_arguments_with_nil_for_a_missing_state() {
    let Loaded { mut runtime, .. } = load(
        r#"
        oxtile.hook("container_change", function(backend, name, old, new)
            local w = backend .. " " .. name .. " " .. tostring(old) .. " " .. tostring(new)
            if w == "lxd web running frozen" then oxtile.lazy.to_group("2")() end
            if old == nil and new == "running" then oxtile.lazy.to_group(name)() end
        end)
        "#,
    );
    let args = json!(["lxd", "web", "running", "frozen"]);
    assert_eq!(
        runtime.hook(Hook::ContainerChange, &args, &view()),
        vec![Action::ToGroup { group: "2".into() }]
    );
    let args = json!(["podman", "3", null, "running"]);
    assert_eq!(
        runtime.hook(Hook::ContainerChange, &args, &view()),
        vec![Action::ToGroup { group: "3".into() }]
    );
}

#[test]
fn chords_are_bound_and_entered() {
    let c = load(
        r#"
        local lazy = oxtile.lazy
        oxtile.chord({"mod4"}, "r", { name = "resize", persistent = true, keys = {
            { {}, "h", lazy.shrink() },
            { mods = {}, key = "l", action = lazy.grow(), desc = "grow" },
            { {}, "Return", lazy.leave_chord() },
        } })
        "#,
    )
    .config;
    assert_eq!(action(&c, MOD4, "r"), Action::EnterChord { id: 0 });
    let chord = &c.chords[0];
    assert_eq!(
        (chord.name.as_str(), chord.persistent, chord.keys.len()),
        ("resize", true, 3)
    );
    assert_eq!(chord.keys[1].desc, "grow");
    assert_eq!(chord.keys[0].desc, "shrink");
}

#[test]
fn require_gives_the_module_and_actions_describe_themselves() {
    let Loaded {
        mut runtime,
        config,
    } = load(
        r#"
        local ox = require("oxtile")
        assert(ox == oxtile)
        ox.key("mod4+shift", "a", ox.lazy.set_layout("max"))
        ox.key({"super"}, "s", ox.spawn("xterm -e top"))
        "#,
    );
    assert_eq!(
        action(&config, MOD4 | SHIFT, "a"),
        Action::SetLayout { name: "max".into() }
    );
    assert_eq!(
        binding(&config, MOD4, "s").unwrap().desc,
        "spawn xterm -e top"
    );
    assert_eq!(
        runtime.eval("tostring(oxtile.lazy.to_group(3))", &view()).0,
        Ok("action to_group 3".into())
    );
    assert_eq!(
        runtime.eval("oxtile.lazy.next_layout().name", &view()).0,
        Ok("next_layout".into())
    );
    assert!(!runtime
        .eval("type(oxtile.terminal)", &view())
        .0
        .unwrap()
        .is_empty());
}

#[test]
fn a_memory_hog_fails_without_harm() {
    let Loaded { mut runtime, .. } = load("");
    let err = runtime
        .eval("local s = string.rep('x', 1 << 30) return #s", &view())
        .0
        .unwrap_err();
    assert!(err.contains("memory"), "{err}");
    assert_eq!(runtime.eval("1+1", &view()).0, Ok("2".into()));
}

#[test]
fn os_exit_cannot_end_the_window_manager() {
    let p = problems("os.exit(1)\n");
    assert!(
        p[0].starts_with("test.lua:1:") && p[0].contains("oxtile.lazy.quit"),
        "{p:?}"
    );
}

#[test]
fn misuse_of_the_api_is_reported_not_raised() {
    let p = problems(
        "oxtile.key({'mod4'}, 'a', function() end, 5)\n\
         oxtile.spawn()\n\
         oxtile.timer{timeout=-1, callback=3, foo=1}\n\
         oxtile.chord({}, 'x', {keys={{{}, 'b', 1}}, bogus=1})\n\
         oxtile.groups{'1', '1'}\n\
         oxtile.button({}, 0, oxtile.lazy.kill())\n\
         oxtile.lazy.set_layout('maxx')\n",
    );
    let lines: Vec<&str> = p.iter().map(|m| &m[..m.find(": ").unwrap()]).collect();
    assert_eq!(
        lines,
        [
            "test.lua:1",
            "test.lua:2",
            "test.lua:3",
            "test.lua:3",
            "test.lua:3",
            "test.lua:4",
            "test.lua:4",
            "test.lua:5",
            "test.lua:6",
            "test.lua:7"
        ],
        "{p:#?}"
    );
    assert!(p[0].contains("description must be a string"));
    assert!(p[7].contains("group '1' is listed twice"));
    assert!(p[9].contains("did you mean 'max'"));
}

// ----- the desktop: rules, matches, scratchpads, drags, fake screens ----------------------

#[test]
fn rules_become_data_with_patterns_geometry_and_flags() {
    let c = load(
        r#"
oxtile.groups{ "1", "2", "web" }
oxtile.rule{ match = { class = "Firefox", type = "dialog" }, float = true,
             geometry = { x = 10, y = 0.25, width = 0.5, height = 300 } }
oxtile.rule{ match = oxtile.match{ title = { "^Open", "Save" }, transient = true },
             group = "web", screen = 1, fullscreen = false, focus = false }
"#,
    )
    .config;
    assert_eq!(c.rules.len(), 2);
    let r = &c.rules[0];
    assert_eq!(r.matcher.class, ["Firefox"]);
    assert_eq!(r.matcher.window_type, [WindowType::Dialog]);
    assert_eq!(r.float, Some(true));
    let g = r.geometry.unwrap();
    assert_eq!(g.x, Some(Length::Pixels(10)));
    assert_eq!(g.y, Some(Length::Fraction(0.25)));
    assert_eq!(g.height, Some(Length::Pixels(300)));
    let r = &c.rules[1];
    assert_eq!(r.matcher.title, ["^Open", "Save"]);
    assert_eq!(r.matcher.transient, Some(true));
    assert_eq!(
        (r.group.as_deref(), r.screen, r.fullscreen, r.focus),
        (Some("web"), Some(1), Some(false), Some(false))
    );
}

#[test]
fn bad_rules_are_reported_at_their_lines() {
    let p = problems(
        r#"oxtile.groups{ "1", "2" }
oxtile.rule{ match = { klass = "x" } }
oxtile.rule{ group = "1" }
oxtile.rule{ match = { type = "dialogue" }, float = "yes" }
oxtile.rule{ match = {}, geometry = { x = 1.5 }, screen = -1, bogus = 1 }
oxtile.rule{ match = {}, group = "nope" }
oxtile.rule("x")
"#,
    );
    let joined = p.join("\n");
    assert!(
        joined.contains("test.lua:2: oxtile.rule: unknown field 'klass'"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:3: oxtile.rule: needs a match"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:4: oxtile.rule: unknown window type 'dialogue'"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:4: oxtile.rule: float must be true or false"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:5: oxtile.rule: geometry x must be pixels"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:5: oxtile.rule: screen must be a screen index"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:5: oxtile.rule: unknown field 'bogus'"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:6: oxtile.rule: no group 'nope' (groups: 1, 2)"),
        "{joined}"
    );
    assert!(
        joined.contains("test.lua:7: oxtile.rule: expected a table"),
        "{joined}"
    );
}

#[test]
fn matches_test_client_tables_and_work_in_actions() {
    let loaded = load(
        r#"
local m = oxtile.match{ class = "^Fire", instance = "Navigator" }
oxtile.key({"mod4"}, "b", oxtile.lazy.focus_match(m))
oxtile.key({"mod4"}, "x", oxtile.lazy.kill_match({ class = "XTerm" }))
oxtile.key({"mod4"}, "s", function()
    for _, c in ipairs(oxtile.clients()) do
        if m:matches(c) then oxtile.lazy.focus_window(c.id)() end
    end
end)
"#,
    );
    let c = &loaded.config;
    let Action::FocusMatch { matcher } = action(c, MOD4, "b") else {
        panic!("not a focus_match");
    };
    assert_eq!(matcher.class, ["^Fire"]);
    assert!(matches!(action(c, MOD4, "x"), Action::KillMatch { .. }));
    let Action::Lua { id } = action(c, MOD4, "s") else {
        panic!("not a function");
    };
    let mut rt = loaded.runtime;
    assert_eq!(
        rt.call(id, &view()),
        vec![Action::FocusWindow { window: 2 }]
    );
    // tostring shows the match; a bad one is reported.
    let (shown, _) = rt.eval("tostring(oxtile.match{ class = 'a' })", &view());
    assert_eq!(shown.unwrap(), r#"match {"class":["a"]}"#);
    let (bad, _) = rt.eval("oxtile.match{ class = {} , nope = 1 }", &view());
    assert!(bad.unwrap_err().contains("unknown field 'nope'"));
}

#[test]
fn scratchpads_drags_and_fake_screens_are_configured() {
    let c = load(
        r#"
oxtile.scratchpad{ name = "term", cmd = "xterm -class scratch", match = { instance = "scratch" },
                   x = 0.2, width = 0.6, on_focus_lost_hide = false }
oxtile.scratchpad{ name = "music", cmd = "ncmpcpp" }
oxtile.key({"mod4"}, "grave", oxtile.lazy.toggle_scratchpad("term"))
oxtile.drag({"mod1"}, 1, "move")
oxtile.drag("mod1+shift", 1, "resize")
oxtile.drag({"mod1"}, 1, "resize")
oxtile.fake_screens{ { x = 0, y = 0, width = 640, height = 800 },
                     { x = 640, y = 0, width = 640, height = 800 } }
oxtile.settings{ screen_debounce_ms = 200 }
oxtile.key({"mod4"}, "o", oxtile.lazy.to_screen(1))
oxtile.key({"mod4", "shift"}, "o", oxtile.lazy.move_to_screen(0))
oxtile.key({"mod4"}, "m", oxtile.lazy.minimize())
"#,
    )
    .config;
    assert_eq!(c.scratchpads.len(), 2);
    let sp = &c.scratchpads[0];
    assert_eq!(
        (sp.name.as_str(), sp.cmd.as_str()),
        ("term", "xterm -class scratch")
    );
    assert_eq!(sp.matcher.as_ref().unwrap().instance, ["scratch"]);
    assert_eq!(sp.geometry, Geometry::fractions(0.2, 0.0, 0.6, 0.35));
    assert!(!sp.on_focus_lost_hide);
    assert!(c.scratchpads[1].on_focus_lost_hide && c.scratchpads[1].matcher.is_none());
    assert_eq!(
        action(&c, MOD4, "grave"),
        Action::ToggleScratchpad {
            name: "term".into()
        }
    );
    let drags: Vec<(u16, u8, DragKind)> =
        c.drags.iter().map(|d| (d.mods, d.button, d.kind)).collect();
    let alt = crate::config::mods::MOD1;
    assert_eq!(
        drags,
        [
            (alt | SHIFT, 1, DragKind::Resize),
            (alt, 1, DragKind::Resize)
        ],
        "a later binding of the same button replaces the earlier one"
    );
    assert_eq!(
        c.fake_screens,
        Some(vec![Rect::new(0, 0, 640, 800), Rect::new(640, 0, 640, 800)])
    );
    assert_eq!(c.settings.screen_debounce_ms, 200);
    assert_eq!(action(&c, MOD4, "o"), Action::ToScreen { screen: 1 });
    assert_eq!(
        action(&c, MOD4 | SHIFT, "o"),
        Action::MoveToScreen { screen: 0 }
    );
    assert_eq!(action(&c, MOD4, "m"), Action::Minimize);
}

#[test]
fn bad_scratchpads_drags_and_fake_screens_are_reported() {
    let p = problems(
        r#"oxtile.scratchpad{ name = "t" }
oxtile.scratchpad{ name = "u", cmd = "x", width = 2 }
oxtile.scratchpad{ name = "v", cmd = "x" }
oxtile.scratchpad{ name = "v", cmd = "y" }
oxtile.drag({"mod4"}, 1, "spin")
oxtile.drag({"hyper"}, 0, "move")
oxtile.fake_screens{ { x = 0, y = 0, width = 0, height = 10 } }
oxtile.fake_screens{}
oxtile.lazy.toggle_scratchpad(3)
oxtile.lazy.to_screen("left")
"#,
    );
    let joined = p.join("\n");
    for want in [
        "test.lua:1: oxtile.scratchpad: cmd must be a non-empty string",
        "test.lua:2: oxtile.scratchpad: width must be a fraction 0..1 of the screen, got 2",
        "test.lua:4: oxtile.scratchpad: a scratchpad named 'v' already exists",
        "test.lua:5: oxtile.drag: what to drag must be \"move\" or \"resize\"",
        "test.lua:6: oxtile.drag: unknown modifier 'hyper'",
        "test.lua:6: oxtile.drag: button must be a number 1..255",
        "test.lua:7: oxtile.fake_screens: width must be a whole number of pixels (at least 1)",
        "test.lua:8: oxtile.fake_screens: needs at least one screen",
        "test.lua:9: oxtile.lazy.toggle_scratchpad: expected a scratchpad name",
        "test.lua:10: oxtile.lazy.to_screen: expected a screen index",
    ] {
        assert!(joined.contains(want), "missing {want:?} in:\n{joined}");
    }
}

#[test]
fn errors_raised_with_values_that_are_not_messages_get_their_place() {
    let mut l = load("");
    let (r, _) = l.runtime.eval("local t = {}\nerror(t)", &view());
    let e = r.unwrap_err();
    assert!(
        e.starts_with("eval:2: error object is a table value (table: "),
        "{e}"
    );
    let (r, _) = l.runtime.eval("error(nil)", &view());
    assert_eq!(r.unwrap_err(), "eval:1: error object is a nil value");
    let p = problems("oxtile.groups { \"1\" }\n\nerror(42)\n");
    assert_eq!(p, ["test.lua:3: error object is a number value (42)"]);
    // Lua code that catches error values still gets them as they are.
    let (r, _) = l.runtime.eval(
        "local ok, e = pcall(error, { code = 7 }) return e.code",
        &view(),
    );
    assert_eq!(r.unwrap(), "7");
}

#[test]
fn precompiled_chunks_cannot_be_loaded() {
    let mut l = load("");
    let (r, _) = l.runtime.eval("return string.dump", &view());
    assert_eq!(r.unwrap(), "nil");
    let (r, _) = l
        .runtime
        .eval(r#"return select(2, load("\27LuaT\0"))"#, &view());
    assert!(r.unwrap().contains("binary chunk"));
    let (r, _) = l.runtime.eval("return load('return 40 + 2')()", &view());
    assert_eq!(r.unwrap(), "42");
}
