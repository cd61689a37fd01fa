//! `oxtile.groups`, `oxtile.layouts`, `oxtile.layout.<name>{...}` and `oxtile.settings`: the
//! parts of the config that are plain data. Layouts are checked by `core::layout::build`
//! as they are written, so a bad option is reported at its own line.

use mlua::{Lua, MetaMethod, Table, UserData, UserDataFields, Value};
use serde_json::Map;

use super::bind::show;
use super::budget::Budget;
use super::convert::lua_to_json;
use super::state::{problem, while_loading, with_state};
use crate::config::{parse_color, GroupSpec, LayoutSpec, Settings};
use crate::core::layout::{self, LAYOUT_NAMES};

/// A layout as `oxtile.layout.<name>{...}` returns it. `None` when it was invalid (the
/// problem is already reported, so the lists it goes into stay quiet about it).
#[derive(Debug, Clone)]
pub(crate) struct LuaLayout(Option<LayoutSpec>);

impl UserData for LuaLayout {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("name", |_, this| {
            Ok(this.0.as_ref().map(|s| s.name.clone()))
        });
    }

    fn add_methods<M: mlua::UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(match &this.0 {
                Some(spec) => format!(
                    "layout {} {}",
                    spec.name,
                    serde_json::Value::Object(spec.options.clone())
                ),
                None => "layout (invalid)".to_string(),
            })
        });
    }
}

/// Add the data functions to the module table.
pub(crate) fn install(lua: &Lua, module: &Table, budget: std::rc::Rc<Budget>) -> mlua::Result<()> {
    module.set("groups", lua.create_function(groups)?)?;
    module.set("layouts", lua.create_function(layouts)?)?;
    module.set(
        "settings",
        lua.create_function(move |lua, t: Value| settings(lua, t, &budget))?,
    )?;

    // oxtile.layout.<name>: known names are plain fields (so `pairs` lists them); any other
    // name yields a constructor that reports the unknown layout where it is used.
    let constructors = lua.create_table()?;
    for name in LAYOUT_NAMES {
        constructors.set(*name, constructor(lua, name)?)?;
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
    module.set("layout", constructors)?;
    Ok(())
}

/// The function behind `oxtile.layout.<name>`.
fn constructor(lua: &Lua, name: &str) -> mlua::Result<mlua::Function> {
    let name = name.to_string();
    lua.create_function(move |lua, opts: Value| {
        let spec = match opts {
            Value::Nil => spec_of(lua, &name, Map::new())?,
            Value::Table(_) => match lua_to_json(&opts) {
                Ok(serde_json::Value::Object(map)) => spec_of(lua, &name, map)?,
                Ok(_) => {
                    problem(
                        lua,
                        format!("layout {name}: options must be a table of name = value"),
                    )?;
                    None
                }
                Err(e) => {
                    problem(lua, format!("layout {name}: {e}"))?;
                    None
                }
            },
            other => {
                problem(
                    lua,
                    format!(
                        "layout {name}: options must be a table, got {}",
                        other.type_name()
                    ),
                )?;
                None
            }
        };
        Ok(LuaLayout(spec))
    })
}

/// A checked layout spec, or `None` after reporting why not.
fn spec_of(
    lua: &Lua,
    name: &str,
    options: Map<String, serde_json::Value>,
) -> mlua::Result<Option<LayoutSpec>> {
    match layout::build(name, &options) {
        Ok(_) => {
            let mut options = options;
            options.remove("name");
            Ok(Some(LayoutSpec {
                name: name.to_ascii_lowercase(),
                options,
            }))
        }
        Err(e) => {
            problem(lua, e)?;
            Ok(None)
        }
    }
}

/// One entry of a layout list: `oxtile.layout.x{}`, a name, or `{name = "x", ...}`.
/// `Ok(None)` when invalid (and reported, unless it was reported where it was made).
fn layout_entry(lua: &Lua, what: &str, value: Value) -> mlua::Result<Option<LayoutSpec>> {
    match value {
        Value::UserData(ud) if ud.is::<LuaLayout>() => Ok(ud.borrow::<LuaLayout>()?.0.clone()),
        Value::String(s) => spec_of(lua, &s.to_string_lossy(), Map::new()),
        Value::Table(_) => match lua_to_json(&value) {
            Ok(serde_json::Value::Object(map)) => match map.get("name").and_then(|n| n.as_str()) {
                Some(name) => {
                    let name = name.to_string();
                    spec_of(lua, &name, map)
                }
                None => {
                    problem(
                        lua,
                        format!("{what}: a layout table needs a name, e.g. oxtile.layout.max{{}}"),
                    )?;
                    Ok(None)
                }
            },
            Ok(_) => {
                problem(
                    lua,
                    format!("{what}: a layout table needs a name, e.g. oxtile.layout.max{{}}"),
                )?;
                Ok(None)
            }
            Err(e) => {
                problem(lua, format!("{what}: {e}"))?;
                Ok(None)
            }
        },
        other => {
            problem(
                lua,
                format!(
                    "{what}: expected a layout (oxtile.layout.<name>{{...}}), got {}",
                    other.type_name()
                ),
            )?;
            Ok(None)
        }
    }
}

/// A list of layouts; `None` if any entry was bad or the list is empty.
fn layout_list(lua: &Lua, what: &str, value: Value) -> mlua::Result<Option<Vec<LayoutSpec>>> {
    let Value::Table(list) = value else {
        problem(
            lua,
            format!(
                "{what}: expected a list of layouts, got {}",
                value.type_name()
            ),
        )?;
        return Ok(None);
    };
    let mut specs = Vec::new();
    let mut ok = true;
    for entry in list.sequence_values::<Value>() {
        match layout_entry(lua, what, entry?)? {
            Some(spec) => specs.push(spec),
            None => ok = false,
        }
    }
    if ok && specs.is_empty() {
        problem(lua, format!("{what}: needs at least one layout"))?;
        return Ok(None);
    }
    Ok(ok.then_some(specs))
}

/// `oxtile.layouts{...}`: the layouts every group gets unless it has its own.
fn layouts(lua: &Lua, list: Value) -> mlua::Result<()> {
    if !while_loading(lua, "oxtile.layouts")? {
        return Ok(());
    }
    if let Some(specs) = layout_list(lua, "oxtile.layouts", list)? {
        with_state(lua, |s| s.config.layouts = specs)?;
    }
    Ok(())
}

/// `oxtile.groups{ "1", {name = "web", layouts = {...}}, ... }`: replaces the group list.
fn groups(lua: &Lua, list: Value) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.groups";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let Value::Table(list) = list else {
        return problem(
            lua,
            format!(
                "{WHAT}: expected a list of groups, got {}",
                list.type_name()
            ),
        );
    };
    let mut groups: Vec<GroupSpec> = Vec::new();
    let mut ok = true;
    for entry in list.sequence_values::<Value>() {
        let group = match entry? {
            Value::String(s) => Some(GroupSpec {
                name: s.to_string_lossy(),
                layouts: None,
            }),
            Value::Integer(i) => Some(GroupSpec {
                name: i.to_string(),
                layouts: None,
            }),
            Value::Table(t) => group_table(lua, &t)?,
            other => {
                problem(
                    lua,
                    format!(
                        "{WHAT}: a group is a name or {{name=..., layouts={{...}}}}, got {}",
                        other.type_name()
                    ),
                )?;
                None
            }
        };
        match group {
            Some(g) if g.name.is_empty() => {
                ok = false;
                problem(lua, format!("{WHAT}: a group name cannot be empty"))?;
            }
            Some(g) if groups.iter().any(|o| o.name == g.name) => {
                ok = false;
                problem(lua, format!("{WHAT}: group '{}' is listed twice", g.name))?;
            }
            Some(g) => groups.push(g),
            None => ok = false,
        }
    }
    if ok && groups.is_empty() {
        return problem(lua, format!("{WHAT}: needs at least one group"));
    }
    if ok {
        with_state(lua, |s| s.config.groups = groups)?;
    }
    Ok(())
}

/// The fields of a group table in `oxtile.groups{...}`.
pub(crate) const GROUP_FIELDS: &[&str] = &["name", "layouts"];

/// `{name = "web", layouts = {...}}`.
fn group_table(lua: &Lua, t: &Table) -> mlua::Result<Option<GroupSpec>> {
    const WHAT: &str = "oxtile.groups";
    let mut ok = true;
    for pair in t.pairs::<Value, Value>() {
        let (k, _) = pair?;
        if !matches!(&k, Value::String(s) if GROUP_FIELDS.contains(&&*s.to_string_lossy())) {
            ok = false;
            problem(
                lua,
                format!(
                    "{WHAT}: unknown group field {} (known: {})",
                    show(&k),
                    GROUP_FIELDS.join(", ")
                ),
            )?;
        }
    }
    let name = match t.get::<Value>("name")? {
        Value::String(s) => Some(s.to_string_lossy()),
        Value::Integer(i) => Some(i.to_string()),
        other => {
            problem(
                lua,
                format!(
                    "{WHAT}: a group needs a name (a string), got {}",
                    other.type_name()
                ),
            )?;
            None
        }
    };
    let layouts = match t.get::<Value>("layouts")? {
        Value::Nil => Some(None),
        list => layout_list(lua, WHAT, list)?.map(Some),
    };
    Ok(match (ok, name, layouts) {
        (true, Some(name), Some(layouts)) => Some(GroupSpec { name, layouts }),
        _ => None,
    })
}

/// Every setting `oxtile.settings` accepts.
pub(crate) const SETTING_NAMES: &[&str] = &[
    "border_width",
    "border_focus",
    "border_normal",
    "border_urgent",
    "margin",
    "focus_follows_mouse",
    "focus_on_activate",
    "lua_instruction_limit",
];

/// `oxtile.settings{...}`: sets the given keys, leaves the others as they were.
fn settings(lua: &Lua, table: Value, budget: &Budget) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.settings";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let Value::Table(table) = table else {
        return problem(
            lua,
            format!(
                "{WHAT}: expected a table of name = value, got {}",
                table.type_name()
            ),
        );
    };
    let mut settings = with_state(lua, |s| s.config.settings.clone())?;
    for pair in table.pairs::<Value, Value>() {
        let (key, value) = pair?;
        let name = match &key {
            Value::String(s) => s.to_string_lossy(),
            other => {
                problem(
                    lua,
                    format!("{WHAT}: setting names are strings, got {}", show(other)),
                )?;
                continue;
            }
        };
        if let Err(e) = apply_setting(&mut settings, &name, &value) {
            problem(lua, format!("{WHAT}: {e}"))?;
        }
    }
    budget.set_limit(settings.lua_instruction_limit);
    with_state(lua, |s| s.config.settings = settings)
}

/// Set one setting from a Lua value, or say what is wrong with it.
fn apply_setting(settings: &mut Settings, name: &str, value: &Value) -> Result<(), String> {
    let whole = |max: u64| match value {
        Value::Integer(i) if *i >= 0 && (*i as u64) <= max => Ok(*i as u64),
        Value::Number(x) if x.fract() == 0.0 && *x >= 0.0 && *x <= max as f64 => Ok(*x as u64),
        other => Err(format!(
            "'{name}' must be a whole number 0..{max}, got {}",
            show(other)
        )),
    };
    let flag = || match value {
        Value::Boolean(b) => Ok(*b),
        other => Err(format!(
            "'{name}' must be true or false, got {}",
            show(other)
        )),
    };
    let color = || match value {
        Value::String(s) => parse_color(&s.to_string_lossy()).ok_or_else(|| {
            format!(
                "'{name}': bad colour '{}' (write \"#rrggbb\" or \"#rgb\")",
                s.to_string_lossy()
            )
        }),
        Value::Integer(i) if (0..=0xff_ffff).contains(i) => Ok(*i as u32),
        other => Err(format!(
            "'{name}' must be a colour like \"#5294e2\", got {}",
            show(other)
        )),
    };
    let u32_max = u64::from(u32::MAX);
    match name {
        "border_width" => settings.border_width = whole(u32_max)? as u32,
        "margin" => settings.margin = whole(u32_max)? as u32,
        "border_focus" => settings.border_focus = color()?,
        "border_normal" => settings.border_normal = color()?,
        "border_urgent" => settings.border_urgent = color()?,
        "focus_follows_mouse" => settings.focus_follows_mouse = flag()?,
        "focus_on_activate" => settings.focus_on_activate = flag()?,
        "lua_instruction_limit" => match whole(u64::MAX >> 1)? {
            0 => return Err(format!("'{name}' must be at least 1")),
            n => settings.lua_instruction_limit = n,
        },
        _ => {
            let hint = match closest(name, SETTING_NAMES) {
                Some(near) => format!(" (did you mean '{near}'?)"),
                None => format!(" (known: {})", SETTING_NAMES.join(", ")),
            };
            return Err(format!("unknown setting '{name}'{hint}"));
        }
    }
    Ok(())
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a typo.
pub(crate) fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
