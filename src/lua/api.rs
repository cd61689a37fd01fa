//! The `oxtile` Lua module: action objects and `oxtile.lazy`, the view of the window
//! manager (`oxtile.clients()`, ...), hooks, timers, logging and the helpers a config
//! needs. Bindings live in `bind`, plain config data in `setup`.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use mlua::{
    Function, Lua, MetaMethod, MultiValue, Table, UserData, UserDataFields, UserDataMethods, Value,
};
use serde_json::Value as Json;

use super::bind::{self, show};
use super::budget::Budget;
use super::convert::{json_to_lua, to_text};
use super::setup::{self, closest};
use super::state::{problem, queue, with_state};
use super::timers::TimerId;
use super::Hook;
use crate::action::Action;
use crate::core::layout::LAYOUT_NAMES;

/// An action object, as `oxtile.spawn` and `oxtile.lazy.*` return it: bind it to a key, or
/// call it to queue it. `None` when its arguments were bad (already reported), so that
/// using it does not report the same mistake twice.
#[derive(Debug, Clone)]
pub(crate) struct LuaAction(pub(crate) Option<Action>);

impl UserData for LuaAction {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("name", |_, this| Ok(this.0.as_ref().map(action_name)));
    }

    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Call, |lua, this, _: MultiValue| match &this.0 {
            Some(action) => queue(lua, action.clone()),
            None => Ok(()),
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(match &this.0 {
                Some(action) => format!("action {}", describe_action(action)),
                None => "action (invalid)".to_string(),
            })
        });
    }
}

/// The snake_case name of an action ("focus_next").
fn action_name(action: &Action) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|v| v.get("action").and_then(Json::as_str).map(str::to_string))
        .unwrap_or_default()
}

/// A short description of an action for `oxtile cmd keys`: "spawn xterm", "to_group 3".
pub(crate) fn describe_action(action: &Action) -> String {
    if let Action::Lua { .. } = action {
        return "lua function".to_string();
    }
    let mut text = action_name(action);
    if let Ok(Json::Object(fields)) = serde_json::to_value(action) {
        for (k, v) in fields {
            if k != "action" {
                text.push(' ');
                text.push_str(&v.as_str().map_or_else(|| v.to_string(), str::to_string));
            }
        }
    }
    text
}

/// What a binding runs: an action object, or a Lua function kept as a callback. `None` after
/// reporting anything else.
pub(crate) fn action_of(lua: &Lua, what: &str, value: Value) -> mlua::Result<Option<Action>> {
    match value {
        Value::UserData(ud) if ud.is::<LuaAction>() => Ok(ud.borrow::<LuaAction>()?.0.clone()),
        Value::Function(f) => with_state(lua, |s| {
            s.callbacks.push(f);
            Some(Action::Lua {
                id: s.callbacks.len() - 1,
            })
        }),
        other => {
            problem(
                lua,
                format!(
                    "{what}: expected an action (oxtile.spawn(...), oxtile.lazy.*) or a function, got {}",
                    other.type_name()
                ),
            )?;
            Ok(None)
        }
    }
}

/// Build the `oxtile` module, make it a global and `require`-able, and replace `print`.
pub(crate) fn install(lua: &Lua, budget: Rc<Budget>) -> mlua::Result<()> {
    let m = lua.create_table()?;
    bind::install(lua, &m)?;
    setup::install(lua, &m, budget)?;
    super::bar::install(lua, &m)?;
    install_actions(lua, &m)?;
    super::prompt::install(lua, &m)?;
    install_view(lua, &m)?;

    m.set("hook", lua.create_function(hook)?)?;
    m.set("timer", lua.create_function(timer)?)?;
    m.set(
        "log",
        lua.create_function(|lua, v: Value| {
            let text = to_text(lua, &v);
            tracing::info!(target: "oxtile::lua", "{text}");
            Ok(())
        })?,
    )?;
    m.set(
        "which",
        lua.create_function(|_, name: String| {
            Ok(which(&name).map(|p| p.to_string_lossy().into_owned()))
        })?,
    )?;
    m.set("terminal", terminal())?;

    let globals = lua.globals();
    globals.set("oxtile", m.clone())?;
    let loaded: Table = globals.get::<Table>("package")?.get("loaded")?;
    loaded.set("oxtile", m)?;

    globals.set("print", lua.create_function(print)?)?;
    let os: Table = globals.get("os")?;
    os.set(
        "exit",
        lua.create_function(|_, _: MultiValue| -> mlua::Result<()> {
            Err(mlua::Error::runtime(
                "os.exit would end the window manager; use oxtile.lazy.quit()",
            ))
        })?,
    )?;
    Ok(())
}

/// `print`: into the eval output while `eval` runs, else into the log.
fn print(lua: &Lua, args: MultiValue) -> mlua::Result<()> {
    let line = args
        .iter()
        .map(|v| to_text(lua, v))
        .collect::<Vec<_>>()
        .join("\t");
    let line = with_state(lua, |s| match &mut s.printed {
        Some(out) => {
            out.push(line);
            None
        }
        None => Some(line),
    })?;
    if let Some(line) = line {
        tracing::info!(target: "oxtile::lua", "{line}");
    }
    Ok(())
}

/// `oxtile.spawn`, `oxtile.run` and every `oxtile.lazy.*` constructor.
fn install_actions(lua: &Lua, m: &Table) -> mlua::Result<()> {
    let spawn = lua.create_function(|lua, cmd: Value| {
        Ok(LuaAction(match cmd {
            Value::String(s) if !s.to_string_lossy().trim().is_empty() => Some(Action::Spawn {
                cmd: s.to_string_lossy(),
            }),
            other => {
                problem(
                    lua,
                    format!(
                        "oxtile.spawn: expected a command line (a string), got {}",
                        show(&other)
                    ),
                )?;
                None
            }
        }))
    })?;
    m.set("spawn", spawn.clone())?;
    m.set(
        "run",
        lua.create_function(|lua, a: Value| match a {
            Value::UserData(ud) if ud.is::<LuaAction>() => {
                match ud.borrow::<LuaAction>()?.0.clone() {
                    Some(action) => queue(lua, action),
                    None => Ok(()),
                }
            }
            other => problem(
                lua,
                format!("oxtile.run: expected an action, got {}", other.type_name()),
            ),
        })?,
    )?;

    let lazy = lua.create_table()?;
    lazy.set("spawn", spawn)?;
    let simple: &[(&str, Action)] = &[
        ("focus_next", Action::FocusNext),
        ("focus_prev", Action::FocusPrev),
        ("shuffle_up", Action::ShuffleUp),
        ("shuffle_down", Action::ShuffleDown),
        ("grow", Action::Grow),
        ("shrink", Action::Shrink),
        ("normalize", Action::Normalize),
        ("inc_main", Action::IncMain),
        ("dec_main", Action::DecMain),
        ("kill", Action::Kill),
        ("toggle_floating", Action::ToggleFloating),
        ("toggle_fullscreen", Action::ToggleFullscreen),
        ("next_layout", Action::NextLayout),
        ("prev_layout", Action::PrevLayout),
        ("prev_group_toggle", Action::PrevGroupToggle),
        ("next_group", Action::NextGroup),
        ("prev_group", Action::PrevGroup),
        ("reload", Action::Reload),
        ("restart", Action::Restart),
        ("quit", Action::Quit),
        ("leave_chord", Action::LeaveChord),
    ];
    for (name, action) in simple {
        let action = action.clone();
        lazy.set(
            *name,
            lua.create_function(move |_, ()| Ok(LuaAction(Some(action.clone()))))?,
        )?;
    }
    lazy.set(
        "focus_window",
        window_action(lua, "focus_window", |window| Action::FocusWindow { window })?,
    )?;
    lazy.set(
        "kill_window",
        window_action(lua, "kill_window", |window| Action::KillWindow { window })?,
    )?;
    lazy.set(
        "to_group",
        group_action(lua, "to_group", |group| Action::ToGroup { group })?,
    )?;
    lazy.set(
        "move_to_group",
        group_action(lua, "move_to_group", |group| Action::MoveToGroup { group })?,
    )?;
    lazy.set(
        "set_layout",
        lua.create_function(|lua, name: Value| {
            let known = |n: &str| LAYOUT_NAMES.contains(&n.to_ascii_lowercase().as_str());
            Ok(LuaAction(match name {
                Value::String(s) if known(&s.to_string_lossy()) => Some(Action::SetLayout {
                    name: s.to_string_lossy().to_ascii_lowercase(),
                }),
                other => {
                    let hint = match &other {
                        Value::String(s) => closest(&s.to_string_lossy(), LAYOUT_NAMES)
                            .map(|n| format!(" (did you mean '{n}'?)"))
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    problem(
                        lua,
                        format!(
                            "oxtile.lazy.set_layout: unknown layout {}{hint} (known: {})",
                            show(&other),
                            LAYOUT_NAMES.join(", ")
                        ),
                    )?;
                    None
                }
            }))
        })?,
    )?;
    m.set("lazy", lazy)?;
    Ok(())
}

/// A `lazy` constructor taking a window id.
fn window_action(lua: &Lua, name: &'static str, make: fn(u32) -> Action) -> mlua::Result<Function> {
    lua.create_function(move |lua, id: Value| {
        Ok(LuaAction(match id {
            Value::Integer(i) if u32::try_from(i).is_ok() => u32::try_from(i).ok().map(make),
            other => {
                problem(
                    lua,
                    format!(
                        "oxtile.lazy.{name}: expected a window id, got {}",
                        show(&other)
                    ),
                )?;
                None
            }
        }))
    })
}

/// A `lazy` constructor taking a group name (numbers are taken as names: `to_group(3)`).
fn group_action(
    lua: &Lua,
    name: &'static str,
    make: fn(String) -> Action,
) -> mlua::Result<Function> {
    lua.create_function(move |lua, group: Value| {
        Ok(LuaAction(match group {
            Value::String(s) => Some(make(s.to_string_lossy())),
            Value::Integer(i) => Some(make(i.to_string())),
            other => {
                problem(
                    lua,
                    format!(
                        "oxtile.lazy.{name}: expected a group name, got {}",
                        show(&other)
                    ),
                )?;
                None
            }
        }))
    })
}

/// `oxtile.clients()`, `focused()`, `groups()`, `current_group()`, `screens()`: tables read
/// from the view of the current call.
fn install_view(lua: &Lua, m: &Table) -> mlua::Result<()> {
    // Each copies its part of the view first, so that no borrow is held while Lua allocates.
    fn part(lua: &Lua, key: &str) -> mlua::Result<Json> {
        with_state(lua, |s| {
            s.view.get(key).cloned().unwrap_or(Json::Array(Vec::new()))
        })
    }
    fn list(lua: &Lua, key: &str) -> mlua::Result<Value> {
        match part(lua, key)? {
            Json::Array(items) => json_to_lua(lua, &Json::Array(items)),
            _ => Ok(Value::Table(lua.create_table()?)),
        }
    }
    fn find(lua: &Lua, key: &str, field: &str, wanted: &Json) -> mlua::Result<Value> {
        if wanted.is_null() {
            return Ok(Value::Nil);
        }
        match part(lua, key)? {
            Json::Array(items) => match items.iter().find(|item| item.get(field) == Some(wanted)) {
                Some(item) => json_to_lua(lua, item),
                None => Ok(Value::Nil),
            },
            _ => Ok(Value::Nil),
        }
    }
    m.set(
        "clients",
        lua.create_function(|lua, ()| list(lua, "windows"))?,
    )?;
    m.set(
        "focused",
        lua.create_function(|lua, ()| {
            let id = with_state(lua, |s| {
                s.view.get("focused").cloned().unwrap_or(Json::Null)
            })?;
            find(lua, "windows", "id", &id)
        })?,
    )?;
    m.set(
        "current_group",
        lua.create_function(|lua, ()| {
            let name = with_state(lua, |s| {
                s.view.get("current_group").cloned().unwrap_or(Json::Null)
            })?;
            find(lua, "groups", "name", &name)
        })?,
    )?;
    m.set(
        "screens",
        lua.create_function(|lua, ()| list(lua, "screens"))?,
    )?;
    // `oxtile.groups` is both the config setter (with a table) and the view reader (without
    // arguments), as users reach for `oxtile.groups()` to list groups.
    let set_groups: Function = m.get("groups")?;
    m.set(
        "groups",
        lua.create_function(move |lua, args: MultiValue| {
            if args.is_empty() {
                list(lua, "groups")
            } else {
                set_groups.call::<()>(args).map(|()| Value::Nil)
            }
        })?,
    )?;
    Ok(())
}

/// `oxtile.hook(name, fn)`.
fn hook(lua: &Lua, (name, f): (Value, Value)) -> mlua::Result<()> {
    let known: Vec<&str> = Hook::ALL.iter().map(|h| h.name()).collect();
    let hook = match &name {
        Value::String(s) => {
            let name = s.to_string_lossy();
            match Hook::from_name(&name) {
                Some(h) => Some(h),
                None => {
                    let hint = closest(&name, &known)
                        .map(|n| format!(" (did you mean '{n}'?)"))
                        .unwrap_or_default();
                    problem(
                        lua,
                        format!(
                            "oxtile.hook: unknown hook '{name}'{hint} (known: {})",
                            known.join(", ")
                        ),
                    )?;
                    None
                }
            }
        }
        other => {
            problem(
                lua,
                format!(
                    "oxtile.hook: the hook name must be a string, got {}",
                    show(other)
                ),
            )?;
            None
        }
    };
    let f = match f {
        Value::Function(f) => Some(f),
        other => {
            problem(
                lua,
                format!(
                    "oxtile.hook: expected a function, got {}",
                    other.type_name()
                ),
            )?;
            None
        }
    };
    if let (Some(hook), Some(f)) = (hook, f) {
        with_state(lua, |s| s.hooks.push((hook, f)))?;
    }
    Ok(())
}

/// What `oxtile.timer{}` returns: stop it with `t:stop()`.
#[derive(Debug, Clone, Copy)]
struct TimerHandle(Option<TimerId>);

impl UserData for TimerHandle {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("stop", |lua, this, ()| match this.0 {
            Some(id) => with_state(lua, |s| s.timers.stop(id)),
            None => Ok(()),
        });
        methods.add_method("is_pending", |lua, this, ()| match this.0 {
            Some(id) => with_state(lua, |s| s.timers.is_pending(id)),
            None => Ok(false),
        });
    }
}

/// The fields of `oxtile.timer`'s argument.
pub(crate) const TIMER_FIELDS: &[&str] = &["timeout", "callback", "repeat"];

/// `oxtile.timer{ timeout = seconds, callback = fn, ["repeat"] = false }`.
fn timer(lua: &Lua, spec: Value) -> mlua::Result<TimerHandle> {
    const WHAT: &str = "oxtile.timer";
    let Value::Table(spec) = spec else {
        problem(
            lua,
            format!(
                "{WHAT}: expected {{timeout = seconds, callback = function}}, got {}",
                spec.type_name()
            ),
        )?;
        return Ok(TimerHandle(None));
    };
    let mut ok = true;
    for pair in spec.pairs::<Value, Value>() {
        let (k, _) = pair?;
        if !matches!(&k, Value::String(s) if TIMER_FIELDS.contains(&&*s.to_string_lossy())) {
            ok = false;
            problem(
                lua,
                format!(
                    "{WHAT}: unknown field {} (known: {})",
                    show(&k),
                    TIMER_FIELDS.join(", ")
                ),
            )?;
        }
    }
    let repeat = match spec.get::<Value>("repeat")? {
        Value::Nil => false,
        Value::Boolean(b) => b,
        other => {
            ok = false;
            problem(
                lua,
                format!("{WHAT}: repeat must be true or false, got {}", show(&other)),
            )?;
            false
        }
    };
    let seconds = match spec.get::<Value>("timeout")? {
        Value::Integer(i) => Some(i as f64),
        Value::Number(x) => Some(x),
        _ => None,
    };
    let least = if repeat { 0.001 } else { 0.0 };
    let timeout = match seconds {
        Some(s) if s.is_finite() && s >= least && s <= 1e9 => Some(Duration::from_secs_f64(s)),
        _ => {
            problem(
                lua,
                format!(
                    "{WHAT}: timeout must be a number of seconds (at least {least}), got {}",
                    show(&spec.get::<Value>("timeout")?)
                ),
            )?;
            None
        }
    };
    let callback = match spec.get::<Value>("callback")? {
        Value::Function(f) => Some(f),
        other => {
            problem(
                lua,
                format!(
                    "{WHAT}: callback must be a function, got {}",
                    other.type_name()
                ),
            )?;
            None
        }
    };
    match (ok, timeout, callback) {
        (true, Some(timeout), Some(callback)) => {
            let id = with_state(lua, |s| {
                let now = s.now;
                s.timers.add(now, timeout, repeat, callback)
            })?;
            Ok(TimerHandle(Some(id)))
        }
        _ => Ok(TimerHandle(None)),
    }
}

/// The terminal for `oxtile.terminal`: `$TERMINAL`, else the first known one on `PATH`.
fn terminal() -> String {
    if let Some(t) = std::env::var_os("TERMINAL").filter(|t| !t.is_empty()) {
        return t.to_string_lossy().into_owned();
    }
    ["alacritty", "kitty", "wezterm", "urxvt", "st", "xterm"]
        .into_iter()
        .find(|t| which(t).is_some())
        .unwrap_or("xterm")
        .to_string()
}

/// The executable `name` on `PATH` (or `name` itself when it is a path), if there is one.
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| {
        p.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    };
    if name.is_empty() {
        return None;
    }
    if name.contains('/') {
        let p = PathBuf::from(name);
        return executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| executable(p))
}
