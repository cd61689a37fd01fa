//! The boundary between oxtile and Lua code: every entry runs under a message handler that
//! gives errors raised with a value that is not a message (`error({})`, `error(nil)`) the
//! place they were raised, as Lua does for messages; and Lua code can load source text
//! only, never precompiled chunks, which Lua does not verify (a crafted one crashes it).

use mlua::{Function, Lua, MultiValue, Value};

/// Where the protected caller is kept.
const CALLER: &str = "oxtile.protected_call";

/// Install the text-only loaders and the protected caller. Runs before the budget wraps
/// `pcall` and `xpcall`, so that the handler uses the plain ones.
pub(crate) fn install(lua: &Lua) -> mlua::Result<()> {
    let caller: Function = lua
        .load(
            r#"
            local raw_xpcall, raw_pcall, raw_error, raw_tostring = xpcall, pcall, error, tostring
            local type, raw_load, raw_loadfile = type, load, loadfile
            load = function(chunk, name, _, env) return raw_load(chunk, name, "t", env) end
            if raw_loadfile then
                loadfile = function(file, _, env) return raw_loadfile(file, "t", env) end
                dofile = function(file)
                    local f, e = loadfile(file)
                    if not f then raw_error(e, 2) end
                    return f()
                end
            end
            string.dump = nil
            local function handler(e)
                local t = type(e)
                if t == "string" or t == "userdata" then return e end
                -- error("", level) prefixes the place of that stack level: the first
                -- level that has one, past this file, is where the value was raised.
                local where = ""
                for level = 2, 30 do
                    local _, w = raw_pcall(raw_error, "", level)
                    if type(w) == "string" and w ~= "" and w:sub(1, 15) ~= "oxtile protect:" then
                        where = w
                        break
                    end
                end
                local ok, text = raw_pcall(raw_tostring, e)
                if ok and type(text) == "string" and text ~= t then
                    return where .. "error object is a " .. t .. " value (" .. text .. ")"
                end
                return where .. "error object is a " .. t .. " value"
            end
            return function(f, ...) return raw_xpcall(f, handler, ...) end
            "#,
        )
        .set_name("=oxtile protect")
        .call(())?;
    lua.set_named_registry_value(CALLER, caller)
}

/// Call `f` with `args` under the message handler; its results, or the error it raised.
pub(crate) fn call(lua: &Lua, f: &Function, args: MultiValue) -> mlua::Result<MultiValue> {
    let caller: Function = lua.named_registry_value(CALLER)?;
    let mut all = args;
    all.push_front(Value::Function(f.clone()));
    let mut out: MultiValue = caller.call(all)?;
    match out.pop_front() {
        Some(Value::Boolean(true)) => Ok(out),
        _ => Err(match out.pop_front() {
            Some(Value::Error(e)) => *e,
            // Lua raises memory errors with this message, without calling the handler.
            Some(Value::String(s)) if s == "not enough memory" => {
                mlua::Error::MemoryError(s.to_string_lossy())
            }
            Some(Value::String(s)) => mlua::Error::RuntimeError(s.to_string_lossy()),
            Some(other) => mlua::Error::RuntimeError(format!("error object: {other:?}")),
            None => mlua::Error::RuntimeError("error without a value".into()),
        }),
    }
}
