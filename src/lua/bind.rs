//! `oxtile.key`, `oxtile.chord` and `oxtile.button`: turning what the config writes
//! (modifier names, key names, action objects or functions) into binding data, and
//! reporting every part that is wrong at the line that wrote it.

use mlua::{Lua, Table, Value};

use super::api::{action_of, describe_action};
use super::state::{problem, while_loading, with_state};
use crate::action::Action;
use crate::config::{mods, ButtonBinding, Chord, KeyBinding};
use crate::keysym;

/// The fields of `oxtile.chord`'s third argument.
pub(crate) const CHORD_FIELDS: &[&str] = &["name", "persistent", "keys"];

/// Add the binding functions to the module table.
pub(crate) fn install(lua: &Lua, module: &Table) -> mlua::Result<()> {
    module.set("key", lua.create_function(key)?)?;
    module.set("chord", lua.create_function(chord)?)?;
    module.set("button", lua.create_function(button)?)?;
    Ok(())
}

/// `oxtile.key(mods, key, action, desc?)`.
fn key(lua: &Lua, (mods, key, action, desc): (Value, Value, Value, Value)) -> mlua::Result<()> {
    if !while_loading(lua, "oxtile.key")? {
        return Ok(());
    }
    if let Some(binding) = binding(lua, "oxtile.key", &mods, &key, action, &desc)? {
        with_state(lua, |s| bind(&mut s.config.keys, binding))?;
    }
    Ok(())
}

/// `oxtile.chord(mods, key, {name=, persistent=, keys={...}})`.
fn chord(lua: &Lua, (mods, key, spec): (Value, Value, Value)) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.chord";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let mods = parse_mods(lua, WHAT, &mods)?;
    let keysym = parse_key(lua, WHAT, &key)?;
    let Value::Table(spec) = spec else {
        return problem(
            lua,
            format!(
                "{WHAT}: third argument must be a table {{name=..., keys={{...}}}}, got {}",
                spec.type_name()
            ),
        );
    };
    for pair in spec.pairs::<Value, Value>() {
        let (k, _) = pair?;
        let known = matches!(&k, Value::String(s) if CHORD_FIELDS.contains(&&*s.to_string_lossy()));
        if !known {
            problem(
                lua,
                format!(
                    "{WHAT}: unknown field {} (known: {})",
                    show(&k),
                    CHORD_FIELDS.join(", ")
                ),
            )?;
        }
    }
    let name = match spec.get::<Value>("name")? {
        Value::Nil => "chord".to_string(),
        Value::String(s) => s.to_string_lossy(),
        other => {
            problem(
                lua,
                format!("{WHAT}: name must be a string, got {}", other.type_name()),
            )?;
            "chord".to_string()
        }
    };
    let persistent = match spec.get::<Value>("persistent")? {
        Value::Nil => false,
        Value::Boolean(b) => b,
        other => {
            problem(
                lua,
                format!(
                    "{WHAT}: persistent must be true or false, got {}",
                    other.type_name()
                ),
            )?;
            false
        }
    };
    let mut keys = Vec::new();
    match spec.get::<Value>("keys")? {
        Value::Table(list) => {
            for entry in list.sequence_values::<Value>() {
                if let Some(b) = chord_key(lua, entry?)? {
                    bind(&mut keys, b);
                }
            }
        }
        other => problem(
            lua,
            format!(
                "{WHAT}: keys must be a list of bindings, got {}",
                other.type_name()
            ),
        )?,
    }
    let (Some(mods), Some(keysym)) = (mods, keysym) else {
        return Ok(());
    };
    with_state(lua, |s| {
        let id = s.config.chords.len();
        let desc = format!("enter chord {name}");
        s.config.chords.push(Chord {
            name,
            keys,
            persistent,
        });
        bind(
            &mut s.config.keys,
            KeyBinding {
                mods,
                keysym,
                action: Action::EnterChord { id },
                desc,
            },
        );
    })
}

/// One entry of a chord's `keys`: `{mods, key, action, desc}` or
/// `{mods=..., key=..., action=..., desc=...}`.
fn chord_key(lua: &Lua, entry: Value) -> mlua::Result<Option<KeyBinding>> {
    const WHAT: &str = "oxtile.chord key";
    let Value::Table(t) = entry else {
        problem(
            lua,
            format!(
                "{WHAT}: each entry must be a table {{mods, key, action}}, got {}",
                entry.type_name()
            ),
        )?;
        return Ok(None);
    };
    let named = t.contains_key("key")?;
    let field = |name: &str, index: usize| -> mlua::Result<Value> {
        if named {
            t.get(name)
        } else {
            t.get(index)
        }
    };
    let (m, k, a, d) = (
        field("mods", 1)?,
        field("key", 2)?,
        field("action", 3)?,
        field("desc", 4)?,
    );
    binding(lua, WHAT, &m, &k, a, &d)
}

/// `oxtile.button(mods, button, action)`.
fn button(lua: &Lua, (mods, button, action): (Value, Value, Value)) -> mlua::Result<()> {
    const WHAT: &str = "oxtile.button";
    if !while_loading(lua, WHAT)? {
        return Ok(());
    }
    let mods = parse_mods(lua, WHAT, &mods)?;
    let button = match button {
        Value::Integer(b) if (1..=255).contains(&b) => u8::try_from(b).ok(),
        other => {
            problem(lua, format!("{WHAT}: button must be a number 1..255 (1 left, 2 middle, 3 right, 4/5 wheel), got {}", show(&other)))?;
            None
        }
    };
    let action = action_of(lua, WHAT, action)?;
    if let (Some(mods), Some(button), Some(action)) = (mods, button, action) {
        with_state(lua, |s| {
            s.config
                .buttons
                .retain(|b| (b.mods, b.button) != (mods, button));
            s.config.buttons.push(ButtonBinding {
                mods,
                button,
                action,
            });
        })?;
    }
    Ok(())
}

/// A key binding from its parts, each checked (and reported) on its own.
fn binding(
    lua: &Lua,
    what: &str,
    mods: &Value,
    key: &Value,
    action: Value,
    desc: &Value,
) -> mlua::Result<Option<KeyBinding>> {
    let mods = parse_mods(lua, what, mods)?;
    let keysym = parse_key(lua, what, key)?;
    let action = action_of(lua, what, action)?;
    let desc = match desc {
        Value::Nil => None,
        Value::String(s) => Some(s.to_string_lossy()),
        other => {
            problem(
                lua,
                format!(
                    "{what}: description must be a string, got {}",
                    other.type_name()
                ),
            )?;
            None
        }
    };
    Ok(match (mods, keysym, action) {
        (Some(mods), Some(keysym), Some(action)) => Some(KeyBinding {
            mods,
            keysym,
            desc: desc.unwrap_or_else(|| describe_action(&action)),
            action,
        }),
        _ => None,
    })
}

/// Add a binding; a later binding of the same keys replaces the earlier one.
fn bind(keys: &mut Vec<KeyBinding>, binding: KeyBinding) {
    keys.retain(|k| (k.mods, k.keysym) != (binding.mods, binding.keysym));
    keys.push(binding);
}

/// Modifiers as a list of names (`{"mod4", "shift"}`) or one string (`"mod4+shift"`).
fn parse_mods(lua: &Lua, what: &str, value: &Value) -> mlua::Result<Option<u16>> {
    let names: Vec<Value> = match value {
        Value::Table(t) => t.sequence_values::<Value>().collect::<mlua::Result<_>>()?,
        Value::String(s) if s.as_bytes().is_empty() => Vec::new(),
        Value::String(s) => {
            let text = s.to_string_lossy();
            text.split('+')
                .map(|m| lua.create_string(m.trim()).map(Value::String))
                .collect::<mlua::Result<_>>()?
        }
        other => {
            problem(
                lua,
                format!(
                    "{what}: modifiers must be a list like {{\"mod4\", \"shift\"}}, got {}",
                    other.type_name()
                ),
            )?;
            return Ok(None);
        }
    };
    let mut mask = 0;
    let mut ok = true;
    for name in names {
        let parsed = match &name {
            Value::String(s) => mods::parse(&s.to_string_lossy()),
            _ => None,
        };
        match parsed {
            Some(m) => mask |= m,
            None => {
                ok = false;
                problem(
                    lua,
                    format!(
                        "{what}: unknown modifier {} (known: shift, control/ctrl, mod1/alt, mod4/super, mod2, mod3, mod5, lock)",
                        show(&name)
                    ),
                )?;
            }
        }
    }
    Ok(ok.then_some(mask))
}

/// A key name ("Return", "a", "F5"); digits may be written as numbers.
fn parse_key(lua: &Lua, what: &str, value: &Value) -> mlua::Result<Option<u32>> {
    let name = match value {
        Value::String(s) => s.to_string_lossy(),
        Value::Integer(i) if (0..=9).contains(i) => i.to_string(),
        other => {
            problem(
                lua,
                format!(
                    "{what}: key must be a key name like \"Return\" or \"a\", got {}",
                    show(other)
                ),
            )?;
            return Ok(None);
        }
    };
    if let Some(keysym) = keysym::from_name(&name) {
        return Ok(Some(keysym));
    }
    let hint = match keysym::suggest(&name).as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean '{one}'?)"),
        [one, two, ..] => format!(" (did you mean '{one}' or '{two}'?)"),
    };
    problem(lua, format!("{what}: unknown key '{name}'{hint}"))?;
    Ok(None)
}

/// A value for a message: strings quoted, numbers as written, else the type name.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{}'", s.to_string_lossy()),
        Value::Integer(i) => i.to_string(),
        Value::Number(x) => x.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => other.type_name().to_string(),
    }
}
