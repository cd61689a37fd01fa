//! `oxtile.bar{ ... }` and `oxtile.widget.<kind>{ ... }`: bars and their widgets as plain
//! data (`BarSpec`, `WidgetSpec`). Widget options are checked by building the widget as
//! they are written, so a bad option is reported at its own line; Lua functions given as
//! options (`fn`, `on_click`, `draw`) become callback ids.

use std::collections::BTreeMap;

use mlua::{Lua, MetaMethod, Table, UserData, UserDataFields, Value};
use serde_json::Map;

use super::convert::lua_to_json;
use super::state::{problem, while_loading, with_state};
use crate::config::{parse_color, BarSpec, Edge, WidgetSpec};

/// Options that may be Lua functions.
const CALLBACK_OPTIONS: &[&str] = &["fn", "on_click", "draw"];

/// A widget as `oxtile.widget.<kind>{...}` returns it; `None` when invalid (already reported).
#[derive(Debug, Clone)]
pub(crate) struct LuaWidget(Option<WidgetSpec>);

impl UserData for LuaWidget {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("kind", |_, this| {
            Ok(this.0.as_ref().map(|s| s.kind.clone()))
        });
        fields.add_field_method_get("name", |_, this| {
            Ok(this.0.as_ref().map(|s| {
                s.options
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or(&s.kind)
                    .to_string()
            }))
        });
    }

    fn add_methods<M: mlua::UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(match &this.0 {
                Some(s) => format!("widget {}", s.kind),
                None => "widget (invalid)".to_string(),
            })
        });
    }
}

/// Add `oxtile.bar` and `oxtile.widget` to the module table.
pub(crate) fn install(lua: &Lua, module: &Table) -> mlua::Result<()> {
    module.set("bar", lua.create_function(bar)?)?;
    let constructors = lua.create_table()?;
    let mut kinds: Vec<&str> = oxtile_widgets::registry::KINDS.to_vec();
    kinds.extend(["poll", "command", "custom"]);
    kinds.sort_unstable();
    kinds.dedup();
    for kind in &kinds {
        constructors.set(*kind, constructor(lua, kind)?)?;
    }
    let meta = lua.create_table()?;
    meta.set(
        "__index",
        lua.create_function(|lua, (_, name): (Value, Value)| match name {
            Value::String(s) => Ok(Value::Function(constructor(lua, &s.to_string_lossy())?)),
            _ => Ok(Value::Nil),
        })?,
    )?;
    constructors.set_metatable(Some(meta))?;
    module.set("widget", constructors)?;

    // oxtile.clock.set_timezone(widget, zone): queued like any action, carried out by the
    // bar after the callback returns.
    let clock = lua.create_table()?;
    clock.set(
        "set_timezone",
        lua.create_function(|lua, (widget, zone): (Value, String)| {
            let name = match &widget {
                Value::String(s) => Some(s.to_string_lossy()),
                Value::UserData(ud) if ud.is::<LuaWidget>() => {
                    ud.borrow::<LuaWidget>()?.0.as_ref().map(|s| {
                        s.options
                            .get("name")
                            .and_then(|n| n.as_str())
                            .unwrap_or(&s.kind)
                            .to_string()
                    })
                }
                _ => None,
            };
            match name {
                Some(widget) => {
                    super::state::queue(lua, crate::action::Action::SetClockZone { widget, zone })
                }
                None => problem(
                    lua,
                    format!(
                        "oxtile.clock.set_timezone: expected a clock widget or its name, got {}",
                        widget.type_name()
                    ),
                ),
            }
        })?,
    )?;
    module.set("clock", clock)?;
    Ok(())
}

fn constructor(lua: &Lua, kind: &str) -> mlua::Result<mlua::Function> {
    let kind = kind.to_string();
    lua.create_function(move |lua, opts: Value| {
        let table = match opts {
            Value::Nil => None,
            Value::Table(t) => Some(t),
            other => {
                problem(
                    lua,
                    format!(
                        "widget {kind}: options must be a table, got {}",
                        other.type_name()
                    ),
                )?;
                return Ok(LuaWidget(None));
            }
        };
        Ok(LuaWidget(widget_spec(lua, &kind, table)?))
    })
}

/// Split a widget's options into data and callbacks, then check them by building it.
fn widget_spec(lua: &Lua, kind: &str, table: Option<Table>) -> mlua::Result<Option<WidgetSpec>> {
    let mut options = Map::new();
    let mut callbacks = BTreeMap::new();
    if let Some(t) = table {
        for pair in t.pairs::<Value, Value>() {
            let (k, v) = pair?;
            let Value::String(key) = k else {
                problem(lua, format!("widget {kind}: option names must be strings"))?;
                return Ok(None);
            };
            let key = key.to_string_lossy();
            match v {
                Value::Function(f) => {
                    if !CALLBACK_OPTIONS.contains(&key.as_str()) {
                        problem(
                            lua,
                            format!("widget {kind}: option '{key}' cannot be a function"),
                        )?;
                        return Ok(None);
                    }
                    let id = with_state(lua, |s| {
                        s.callbacks.push(f);
                        s.callbacks.len() - 1
                    })?;
                    callbacks.insert(key, id);
                }
                other => match lua_to_json(&other) {
                    Ok(json) => {
                        options.insert(key, json);
                    }
                    Err(e) => {
                        problem(lua, format!("widget {kind}: option '{key}': {e}"))?;
                        return Ok(None);
                    }
                },
            }
        }
    }
    let spec = WidgetSpec {
        kind: kind.to_string(),
        options,
        callbacks,
    };
    match crate::bar::build_widget(&spec, &oxtile_widgets::Style::default()) {
        Ok(_) => Ok(Some(spec)),
        Err(e) => {
            problem(lua, e)?;
            Ok(None)
        }
    }
}

/// `oxtile.bar{ screen, position, size, margin, background, foreground, font, padding,
/// opacity, widgets, center }`.
fn bar(lua: &Lua, t: Value) -> mlua::Result<()> {
    if !while_loading(lua, "oxtile.bar")? {
        return Ok(());
    }
    let Value::Table(t) = t else {
        return problem(
            lua,
            format!("oxtile.bar: expected a table, got {}", t.type_name()),
        );
    };
    let mut spec = BarSpec::new(0, Edge::Top);
    let mut ok = true;
    for pair in t.pairs::<Value, Value>() {
        let (k, v) = pair?;
        let key = match &k {
            Value::String(s) => s.to_string_lossy(),
            _ => {
                problem(lua, "oxtile.bar: keys must be names")?;
                ok = false;
                continue;
            }
        };
        let bad = |what: &str| {
            format!(
                "oxtile.bar: '{key}' must be {what}, got {}",
                super::bind::show(&v)
            )
        };
        match key.as_str() {
            "screen" => match v.as_integer() {
                Some(n) if n >= 1 => spec.screen = (n - 1) as usize,
                _ => {
                    problem(lua, bad("a screen number from 1"))?;
                    ok = false;
                }
            },
            "position" => match v
                .as_string()
                .and_then(|s| Edge::parse(&s.to_string_lossy()))
            {
                Some(e) => spec.position = e,
                None => {
                    problem(lua, bad("\"top\", \"bottom\", \"left\" or \"right\""))?;
                    ok = false;
                }
            },
            "size" | "margin" | "padding" => match v.as_integer() {
                Some(n) if (0..=1000).contains(&n) && (key != "size" || n > 0) => {
                    let n = n as u32;
                    match key.as_str() {
                        "size" => spec.size = n,
                        "margin" => spec.margin = n,
                        _ => spec.padding = n,
                    }
                }
                _ => {
                    problem(lua, bad("a number of pixels"))?;
                    ok = false;
                }
            },
            "background" | "foreground" => match v.as_string().map(|s| s.to_string_lossy()) {
                Some(c)
                    if parse_color(&c).is_some() || oxtile_widgets::Rgba::parse(&c).is_some() =>
                {
                    if key == "background" {
                        spec.background = c;
                    } else {
                        spec.foreground = c;
                    }
                }
                _ => {
                    problem(lua, bad("a colour like \"#222222\""))?;
                    ok = false;
                }
            },
            "font" => match v.as_string() {
                Some(s) => spec.font = s.to_string_lossy(),
                None => {
                    problem(lua, bad("a font description like \"sans 10\""))?;
                    ok = false;
                }
            },
            "opacity" => match v.as_number() {
                Some(x) if (0.0..=1.0).contains(&x) => spec.opacity = x,
                _ => {
                    problem(lua, bad("a number from 0 to 1"))?;
                    ok = false;
                }
            },
            "widgets" | "center" => {
                let list = widget_list(lua, &key, v)?;
                if key == "widgets" {
                    spec.widgets = list;
                } else {
                    spec.center = list;
                }
            }
            other => {
                let known = [
                    "screen",
                    "position",
                    "size",
                    "margin",
                    "background",
                    "foreground",
                    "font",
                    "padding",
                    "opacity",
                    "widgets",
                    "center",
                ];
                let hint = super::setup::closest(other, &known)
                    .map(|c| format!(" (did you mean '{c}'?)"))
                    .unwrap_or_default();
                problem(lua, format!("oxtile.bar: unknown option '{other}'{hint}"))?;
                ok = false;
            }
        }
    }
    if ok {
        with_state(lua, |s| {
            // One bar per screen edge: a second declaration replaces the first.
            s.config
                .bars
                .retain(|b| !(b.screen == spec.screen && b.position == spec.position));
            s.config.bars.push(spec);
        })?;
    }
    Ok(())
}

fn widget_list(lua: &Lua, key: &str, v: Value) -> mlua::Result<Vec<WidgetSpec>> {
    let Value::Table(t) = v else {
        problem(
            lua,
            format!("oxtile.bar: '{key}' must be a list of oxtile.widget.*{{}}"),
        )?;
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in t.sequence_values::<Value>() {
        match item? {
            Value::UserData(ud) if ud.is::<LuaWidget>() => {
                if let Some(spec) = ud.borrow::<LuaWidget>()?.0.clone() {
                    out.push(spec);
                }
            }
            other => {
                problem(
                    lua,
                    format!(
                        "oxtile.bar: '{key}' entries must be oxtile.widget.<kind>{{...}}, got {}",
                        other.type_name()
                    ),
                )?;
            }
        }
    }
    Ok(out)
}
