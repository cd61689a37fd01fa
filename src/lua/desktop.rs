//! `oxtile.rule`, `oxtile.match`, `oxtile.scratchpad`, `oxtile.drag` and
//! `oxtile.fake_screens`: the desktop parts of the config, turned into plain core data
//! (`core::rules`, `core::scratchpad`) with every mistake reported at its line.

use mlua::{Lua, MetaMethod, Table, UserData, UserDataMethods, Value};

use super::bind::{parse_mods, show};
use super::state::{here, problem, while_loading, with_state};
use crate::config::DragBinding;
use crate::core::client::WindowType;
use crate::core::drag::DragKind;
use crate::core::geometry::Rect;
use crate::core::rules::{Geometry, Length, Match, Rule, Subject};
use crate::core::scratchpad::ScratchpadSpec;

/// A match as `oxtile.match{...}` returns it: use it in rules, scratchpads and actions
/// (`oxtile.lazy.focus_match(m)`), or test a client table with `m:matches(c)`.
#[derive(Debug, Clone)]
pub(crate) struct LuaMatch(pub Option<Match>);

impl UserData for LuaMatch {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("matches", |_, this, client: Value| {
            let (Some(m), Value::Table(c)) = (&this.0, client) else {
                return Ok(false);
            };
            let text = |k: &str| -> mlua::Result<String> {
                Ok(match c.get::<Value>(k)? {
                    Value::String(s) => s.to_string_lossy(),
                    _ => String::new(),
                })
            };
            let (class, instance, title, role) = (
                text("class")?,
                text("instance")?,
                text("title")?,
                text("role")?,
            );
            let window_type = WindowType::from_name(&text("type")?).unwrap_or_default();
            let transient = !matches!(c.get::<Value>("transient_for")?, Value::Nil);
            Ok(m.matches(&Subject {
                class: &class,
                instance: &instance,
                title: &title,
                role: &role,
                window_type,
                transient,
            }))
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(match &this.0 {
                Some(m) => format!(
                    "match {}",
                    serde_json::to_string(m).unwrap_or_else(|_| "?".into())
                ),
                None => "match (invalid)".to_string(),
            })
        });
    }
}

/// Add the functions to the module table.
pub(crate) fn install(lua: &Lua, m: &Table) -> mlua::Result<()> {
    m.set(
        "match",
        lua.create_function(|lua, t: Value| Ok(LuaMatch(match_of(lua, "oxtile.match", t)?)))?,
    )?;
    m.set("rule", lua.create_function(rule)?)?;
    m.set("scratchpad", lua.create_function(scratchpad)?)?;
    m.set("drag", lua.create_function(drag)?)?;
    m.set("fake_screens", lua.create_function(fake_screens)?)?;
    Ok(())
}

/// Report every key of `t` that is not in `known`; false if there was one.
fn check_keys(lua: &Lua, what: &str, t: &Table, known: &[&str]) -> mlua::Result<bool> {
    let mut ok = true;
    for pair in t.pairs::<Value, Value>() {
        let (k, _) = pair?;
        let fine = matches!(&k, Value::String(s) if known.contains(&&*s.to_string_lossy()));
        if !fine {
            ok = false;
            problem(
                lua,
                format!(
                    "{what}: unknown field {} (known: {})",
                    show(&k),
                    known.join(", ")
                ),
            )?;
        }
    }
    Ok(ok)
}

/// A match from `oxtile.match{}` or a plain table; `None` after reporting a problem.
pub(crate) fn match_of(lua: &Lua, what: &str, value: Value) -> mlua::Result<Option<Match>> {
    let t = match value {
        Value::UserData(ud) if ud.is::<LuaMatch>() => {
            return Ok(ud.borrow::<LuaMatch>()?.0.clone())
        }
        Value::Table(t) => t,
        other => {
            problem(
                lua,
                format!(
                    "{what}: expected a match like {{ class = \"Firefox\" }}, got {}",
                    show(&other)
                ),
            )?;
            return Ok(None);
        }
    };
    let known = ["class", "instance", "title", "role", "type", "transient"];
    let mut ok = check_keys(lua, what, &t, &known)?;
    let mut m = Match::default();
    for (key, field) in [
        ("class", &mut m.class),
        ("instance", &mut m.instance),
        ("title", &mut m.title),
        ("role", &mut m.role),
    ] {
        match texts(lua, what, key, t.get(key)?)? {
            Some(v) => *field = v,
            None => ok = false,
        }
    }
    match texts(lua, what, "type", t.get("type")?)? {
        Some(names) => {
            for n in names {
                match WindowType::from_name(&n) {
                    Some(wt) => m.window_type.push(wt),
                    None => {
                        ok = false;
                        let all: Vec<&str> = WindowType::ALL.iter().map(|t| t.name()).collect();
                        problem(
                            lua,
                            format!(
                                "{what}: unknown window type '{n}' (known: {})",
                                all.join(", ")
                            ),
                        )?;
                    }
                }
            }
        }
        None => ok = false,
    }
    match t.get::<Value>("transient")? {
        Value::Nil => {}
        Value::Boolean(b) => m.transient = Some(b),
        other => {
            ok = false;
            problem(
                lua,
                format!(
                    "{what}: transient must be true or false, got {}",
                    show(&other)
                ),
            )?;
        }
    }
    for p in m.problems() {
        tracing::warn!("{}: {what}: {p}", here(lua));
    }
    Ok(ok.then_some(m))
}

/// A string or a list of strings (numbers taken as text); `None` after a problem.
fn texts(lua: &Lua, what: &str, key: &str, v: Value) -> mlua::Result<Option<Vec<String>>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.to_string_lossy()),
        Value::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    Ok(match &v {
        Value::Nil => Some(Vec::new()),
        Value::Table(list) => {
            let mut out = Vec::new();
            for item in list.sequence_values::<Value>() {
                let item = item?;
                match one(&item) {
                    Some(s) => out.push(s),
                    None => {
                        problem(
                            lua,
                            format!(
                                "{what}: {key} must be text or a list of texts, got {}",
                                show(&item)
                            ),
                        )?;
                        return Ok(None);
                    }
                }
            }
            Some(out)
        }
        other => match one(other) {
            Some(s) => Some(vec![s]),
            None => {
                problem(
                    lua,
                    format!(
                        "{what}: {key} must be text or a list of texts, got {}",
                        show(other)
                    ),
                )?;
                None
            }
        },
    })
}

fn flag(lua: &Lua, what: &str, t: &Table, key: &str) -> mlua::Result<Result<Option<bool>, ()>> {
    Ok(match t.get::<Value>(key)? {
        Value::Nil => Ok(None),
        Value::Boolean(b) => Ok(Some(b)),
        other => {
            problem(
                lua,
                format!("{what}: {key} must be true or false, got {}", show(&other)),
            )?;
            Err(())
        }
    })
}

/// A fraction 0..=1, or `default` when absent.
fn fraction(
    lua: &Lua,
    what: &str,
    t: &Table,
    key: &str,
    default: f64,
) -> mlua::Result<Option<f64>> {
    let v = match t.get::<Value>(key)? {
        Value::Nil => return Ok(Some(default)),
        Value::Integer(i) => i as f64,
        Value::Number(x) => x,
        other => {
            problem(
                lua,
                format!(
                    "{what}: {key} must be a fraction 0..1, got {}",
                    show(&other)
                ),
            )?;
            return Ok(None);
        }
    };
    if !(0.0..=1.0).contains(&v) {
        problem(
            lua,
            format!("{what}: {key} must be a fraction 0..1 of the screen, got {v}"),
        )?;
        return Ok(None);
    }
    Ok(Some(v))
}

/// `{x=, y=, width=, height=}`: integers are pixels, numbers with a fraction part (0.5)
/// are fractions of the work area.
fn geometry(lua: &Lua, what: &str, v: Value) -> mlua::Result<Result<Option<Geometry>, ()>> {
    let t = match v {
        Value::Nil => return Ok(Ok(None)),
        Value::Table(t) => t,
        other => {
            problem(
                lua,
                format!(
                    "{what}: geometry must be a table {{x=, y=, width=, height=}}, got {}",
                    show(&other)
                ),
            )?;
            return Ok(Err(()));
        }
    };
    let mut ok = check_keys(lua, what, &t, &["x", "y", "width", "height"])?;
    let mut g = Geometry::default();
    for (key, slot) in [
        ("x", &mut g.x),
        ("y", &mut g.y),
        ("width", &mut g.width),
        ("height", &mut g.height),
    ] {
        *slot = match t.get::<Value>(key)? {
            Value::Nil => None,
            Value::Integer(i) if i32::try_from(i).is_ok() => Some(Length::Pixels(i as i32)),
            Value::Number(x) if (0.0..=1.0).contains(&x) => Some(Length::Fraction(x)),
            other => {
                ok = false;
                problem(
                    lua,
                    format!(
                        "{what}: geometry {key} must be pixels (an integer) or a fraction 0.0..1.0, got {}",
                        show(&other)
                    ),
                )?;
                None
            }
        };
    }
    Ok(if ok { Ok(Some(g)) } else { Err(()) })
}

/// `oxtile.rule{ match = {...}, group =, float =, screen =, fullscreen =, geometry =, focus = }`.
fn rule(lua: &Lua, spec: Value) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.rule";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let Value::Table(t) = spec else {
        return problem(
            lua,
            format!(
                "{WHAT}: expected a table {{ match = {{...}}, ... }}, got {}",
                show(&spec)
            ),
        );
    };
    let known = [
        "match",
        "group",
        "float",
        "screen",
        "fullscreen",
        "geometry",
        "focus",
    ];
    let mut ok = check_keys(lua, WHAT, &t, &known)?;
    let matcher = match t.get::<Value>("match")? {
        Value::Nil => {
            problem(
                lua,
                format!("{WHAT}: needs a match, e.g. match = {{ class = \"Gimp\" }}"),
            )?;
            None
        }
        v => match_of(lua, WHAT, v)?,
    };
    let group = match t.get::<Value>("group")? {
        Value::Nil => None,
        Value::String(s) => Some(s.to_string_lossy()),
        Value::Integer(i) => Some(i.to_string()),
        other => {
            ok = false;
            problem(
                lua,
                format!("{WHAT}: group must be a group name, got {}", show(&other)),
            )?;
            None
        }
    };
    let screen = match t.get::<Value>("screen")? {
        Value::Nil => None,
        Value::Integer(i) if (0..64).contains(&i) => Some(i as usize),
        other => {
            ok = false;
            problem(
                lua,
                format!(
                    "{WHAT}: screen must be a screen index (0 is the first), got {}",
                    show(&other)
                ),
            )?;
            None
        }
    };
    let float = flag(lua, WHAT, &t, "float")?;
    let fullscreen = flag(lua, WHAT, &t, "fullscreen")?;
    let focus = flag(lua, WHAT, &t, "focus")?;
    let geometry = geometry(lua, WHAT, t.get("geometry")?)?;
    let (Some(matcher), Ok(float), Ok(fullscreen), Ok(focus), Ok(geometry), true) =
        (matcher, float, fullscreen, focus, geometry, ok)
    else {
        return Ok(());
    };
    let origin = here(lua);
    with_state(lua, |s| {
        s.config.rules.push(Rule {
            matcher,
            group,
            float,
            screen,
            fullscreen,
            geometry,
            focus,
        });
        s.rule_origins.push(origin);
    })
}

/// `oxtile.scratchpad{ name =, cmd =, match =, x =, y =, width =, height =,
/// on_focus_lost_hide = }`.
fn scratchpad(lua: &Lua, spec: Value) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.scratchpad";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let Value::Table(t) = spec else {
        return problem(
            lua,
            format!(
                "{WHAT}: expected a table {{ name =, cmd = }}, got {}",
                show(&spec)
            ),
        );
    };
    let known = [
        "name",
        "cmd",
        "match",
        "x",
        "y",
        "width",
        "height",
        "on_focus_lost_hide",
    ];
    let ok = check_keys(lua, WHAT, &t, &known)?;
    let text = |key: &str| -> mlua::Result<Option<String>> {
        Ok(match t.get::<Value>(key)? {
            Value::String(s) if !s.to_string_lossy().trim().is_empty() => Some(s.to_string_lossy()),
            other => {
                problem(
                    lua,
                    format!(
                        "{WHAT}: {key} must be a non-empty string, got {}",
                        show(&other)
                    ),
                )?;
                None
            }
        })
    };
    let name = text("name")?;
    let cmd = text("cmd")?;
    let defaults = ScratchpadSpec::new("", "");
    let d = |l: Option<Length>| match l {
        Some(Length::Fraction(f)) => f,
        _ => 0.0,
    };
    let x = fraction(lua, WHAT, &t, "x", d(defaults.geometry.x))?;
    let y = fraction(lua, WHAT, &t, "y", d(defaults.geometry.y))?;
    let w = fraction(lua, WHAT, &t, "width", d(defaults.geometry.width))?;
    let h = fraction(lua, WHAT, &t, "height", d(defaults.geometry.height))?;
    let matcher = match t.get::<Value>("match")? {
        Value::Nil => Ok(None),
        v => match_of(lua, WHAT, v)?.map(Some).ok_or(()),
    };
    let hide = flag(lua, WHAT, &t, "on_focus_lost_hide")?;
    let (Some(name), Some(cmd), Some(x), Some(y), Some(w), Some(h), Ok(matcher), Ok(hide), true) =
        (name, cmd, x, y, w, h, matcher, hide, ok)
    else {
        return Ok(());
    };
    let taken = with_state(lua, |s| {
        s.config.scratchpads.iter().any(|sp| sp.name == name)
    })?;
    if taken {
        return problem(
            lua,
            format!("{WHAT}: a scratchpad named '{name}' already exists"),
        );
    }
    let spec = ScratchpadSpec {
        name,
        cmd,
        matcher,
        geometry: Geometry::fractions(x, y, w, h),
        on_focus_lost_hide: hide.unwrap_or(defaults.on_focus_lost_hide),
    };
    with_state(lua, |s| s.config.scratchpads.push(spec))
}

/// `oxtile.drag(mods, button, "move" | "resize")`.
fn drag(lua: &Lua, (mods, button, kind): (Value, Value, Value)) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.drag";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let mods = parse_mods(lua, WHAT, &mods)?;
    let button = match button {
        Value::Integer(b) if (1..=255).contains(&b) => u8::try_from(b).ok(),
        other => {
            problem(
                lua,
                format!(
                    "{WHAT}: button must be a number 1..255 (1 left, 3 right), got {}",
                    show(&other)
                ),
            )?;
            None
        }
    };
    let kind = match &kind {
        Value::String(s) if s.to_string_lossy() == "move" => Some(DragKind::Move),
        Value::String(s) if s.to_string_lossy() == "resize" => Some(DragKind::Resize),
        other => {
            problem(
                lua,
                format!(
                    "{WHAT}: what to drag must be \"move\" or \"resize\", got {}",
                    show(other)
                ),
            )?;
            None
        }
    };
    if let (Some(mods), Some(button), Some(kind)) = (mods, button, kind) {
        with_state(lua, |s| {
            s.config
                .drags
                .retain(|d| (d.mods, d.button) != (mods, button));
            s.config
                .buttons
                .retain(|b| (b.mods, b.button) != (mods, button));
            s.config.drags.push(DragBinding { mods, button, kind });
        })?;
    }
    Ok(())
}

/// `oxtile.fake_screens{ {x=, y=, width=, height=}, ... }`: use these screens instead of
/// the monitors X reports (e.g. two halves of one wide monitor).
fn fake_screens(lua: &Lua, list: Value) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.fake_screens";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let Value::Table(list) = list else {
        return problem(
            lua,
            format!(
                "{WHAT}: expected a list of {{x=, y=, width=, height=}}, got {}",
                show(&list)
            ),
        );
    };
    let mut rects = Vec::new();
    let mut ok = true;
    for entry in list.sequence_values::<Value>() {
        let Value::Table(t) = entry? else {
            ok = false;
            problem(
                lua,
                format!("{WHAT}: each screen is a table {{x=, y=, width=, height=}}"),
            )?;
            continue;
        };
        ok &= check_keys(lua, WHAT, &t, &["x", "y", "width", "height"])?;
        let int = |key: &str, min: i64| -> mlua::Result<Option<i64>> {
            Ok(match t.get::<Value>(key)? {
                Value::Integer(i) if i >= min && (-32768..=32767).contains(&i) => Some(i),
                other => {
                    problem(
                        lua,
                        format!("{WHAT}: {key} must be a whole number of pixels (at least {min}), got {}", show(&other)),
                    )?;
                    None
                }
            })
        };
        match (
            int("x", -32768)?,
            int("y", -32768)?,
            int("width", 1)?,
            int("height", 1)?,
        ) {
            (Some(x), Some(y), Some(w), Some(h)) => {
                rects.push(Rect::new(x as i32, y as i32, w as u32, h as u32))
            }
            _ => ok = false,
        }
    }
    if ok && rects.is_empty() {
        return problem(lua, format!("{WHAT}: needs at least one screen"));
    }
    if ok {
        with_state(lua, |s| s.config.fake_screens = Some(rects))?;
    }
    Ok(())
}

/// Problems only visible once the whole config ran: rules naming groups that do not exist.
pub(crate) fn final_problems(lua: &Lua) -> mlua::Result<Vec<String>> {
    with_state(lua, |s| {
        let groups: Vec<String> = if s.config.groups.is_empty() {
            crate::config::Config::default()
                .groups
                .into_iter()
                .map(|g| g.name)
                .collect()
        } else {
            s.config.groups.iter().map(|g| g.name.clone()).collect()
        };
        s.config
            .rules
            .iter()
            .zip(&s.rule_origins)
            .filter_map(|(r, origin)| {
                let g = r.group.as_ref()?;
                (!groups.contains(g)).then(|| {
                    format!(
                        "{origin}: oxtile.rule: no group '{g}' (groups: {})",
                        groups.join(", ")
                    )
                })
            })
            .collect()
    })
}
