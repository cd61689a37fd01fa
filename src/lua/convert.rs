//! Values crossing the Lua boundary: the JSON view of the window manager into Lua tables,
//! Lua tables (layout options, eval results) back into JSON, and Lua values as text.

use mlua::{Lua, Value};
use serde_json::{Map, Number, Value as Json};

/// Nesting beyond this is refused when converting Lua to JSON (cycles, runaway tables).
const MAX_DEPTH: usize = 32;

/// A Lua value for a JSON value: objects and arrays become tables, `null` becomes nil.
pub fn json_to_lua(lua: &Lua, json: &Json) -> mlua::Result<Value> {
    Ok(match json {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(lua.create_string(s)?),
        Json::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set(i + 1, json_to_lua(lua, item)?)?;
            }
            Value::Table(t)
        }
        Json::Object(map) => {
            let t = lua.create_table_with_capacity(0, map.len())?;
            for (k, v) in map {
                t.raw_set(k.as_str(), json_to_lua(lua, v)?)?;
            }
            Value::Table(t)
        }
    })
}

/// A JSON value for a Lua value. Tables with keys 1..n only become arrays (an empty table
/// becomes an empty object); functions, userdata and the like are errors naming their type.
pub fn lua_to_json(value: &Value) -> Result<Json, String> {
    to_json(value, 0)
}

fn to_json(value: &Value, depth: usize) -> Result<Json, String> {
    if depth > MAX_DEPTH {
        return Err("table nested too deeply (a cycle?)".into());
    }
    Ok(match value {
        Value::Nil => Json::Null,
        Value::Boolean(b) => Json::Bool(*b),
        Value::Integer(i) => Json::from(*i),
        Value::Number(x) => {
            Json::Number(Number::from_f64(*x).ok_or_else(|| format!("{x} is not a finite number"))?)
        }
        Value::String(s) => Json::String(s.to_string_lossy()),
        Value::Table(t) => {
            let len = t.raw_len();
            let mut pairs = Vec::new();
            for pair in t.pairs::<Value, Value>() {
                pairs.push(pair.map_err(|e| e.to_string())?);
            }
            let is_array = len > 0
                && pairs.len() == len
                && pairs.iter().all(
                    |(k, _)| matches!(k, Value::Integer(i) if *i >= 1 && (*i as usize) <= len),
                );
            if is_array {
                let mut items = vec![Json::Null; len];
                for (k, v) in &pairs {
                    if let Value::Integer(i) = k {
                        items[*i as usize - 1] = to_json(v, depth + 1)?;
                    }
                }
                Json::Array(items)
            } else {
                let mut map = Map::new();
                for (k, v) in &pairs {
                    let key = match k {
                        Value::String(s) => s.to_string_lossy(),
                        Value::Integer(i) => i.to_string(),
                        other => return Err(format!("a {} cannot be a key", other.type_name())),
                    };
                    map.insert(key, to_json(v, depth + 1)?);
                }
                Json::Object(map)
            }
        }
        other => return Err(format!("a {} has no plain-data form", other.type_name())),
    })
}

/// A value as `print` shows it: strings as they are, tables as JSON when they are plain
/// data, anything else as Lua's `tostring` would write it.
pub fn to_text(lua: &Lua, value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string_lossy(),
        Value::Table(_) => match lua_to_json(value) {
            Ok(json) => json.to_string(),
            Err(_) => tostring(lua, value),
        },
        _ => tostring(lua, value),
    }
}

/// Lua's own `tostring` (honouring `__tostring`), falling back to the type name.
pub fn tostring(lua: &Lua, value: &Value) -> String {
    let via_lua = lua
        .globals()
        .get::<mlua::Function>("tostring")
        .and_then(|f| f.call::<mlua::LuaString>(value.clone()))
        .map(|s| s.to_string_lossy());
    via_lua.unwrap_or_else(|_| value.type_name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips_through_lua() {
        let lua = Lua::new();
        let v = json!({"a": [1, 2.5, "x", true], "b": {"c": 3}, "e": {}});
        let l = json_to_lua(&lua, &v).unwrap();
        assert_eq!(lua_to_json(&l).unwrap(), v);
    }

    #[test]
    fn functions_do_not_convert() {
        let lua = Lua::new();
        let v: Value = lua.load("return {f = print}").eval().unwrap();
        assert!(lua_to_json(&v).unwrap_err().contains("function"));
        let v: Value = lua.load("local t = {} t.t = t return t").eval().unwrap();
        assert!(lua_to_json(&v).is_err());
    }
}
