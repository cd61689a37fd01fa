//! `oxtile.lazy.prompt(kind)` and `oxtile.password_prompt{...}`: the prompt actions as Lua
//! writes them, checked at the line that wrote them. Lua only names what to ask for; the
//! secret and the derived password never pass through it.

use mlua::{Lua, Table, Value};
use oxtile_password::PasswordOptions;

use super::api::LuaAction;
use super::bind::show;
use super::convert::lua_to_json;
use super::setup::closest;
use super::state::problem;
use crate::action::Action;
use crate::prompt::PromptKind;

/// Add `oxtile.password_prompt`, `oxtile.lazy.prompt` and `oxtile.lazy.password_prompt`.
pub(crate) fn install(lua: &Lua, module: &Table) -> mlua::Result<()> {
    let password = lua.create_function(password_prompt)?;
    module.set("password_prompt", password.clone())?;
    let lazy: Table = module.get("lazy")?;
    lazy.set("password_prompt", password)?;
    lazy.set("prompt", lua.create_function(prompt)?)?;
    Ok(())
}

/// `oxtile.lazy.prompt("run" | "group" | "window" | "lua")`.
fn prompt(lua: &Lua, kind: Value) -> mlua::Result<LuaAction> {
    let names: Vec<&str> = PromptKind::ALL.iter().map(|k| k.name()).collect();
    let found = match &kind {
        Value::String(s) => PromptKind::from_name(&s.to_string_lossy()),
        _ => None,
    };
    if let Some(kind) = found {
        return Ok(LuaAction(Some(Action::Prompt { kind })));
    }
    let hint = match &kind {
        Value::String(s) => closest(&s.to_string_lossy(), &names)
            .map(|n| format!(" (did you mean '{n}'?)"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    problem(
        lua,
        format!(
            "oxtile.lazy.prompt: unknown prompt {}{hint} (known: {})",
            show(&kind),
            names.join(", ")
        ),
    )?;
    Ok(LuaAction(None))
}

/// `oxtile.password_prompt{ scheme = "lesspass", length = 16, login = "", counter = 1,
/// lowercase, uppercase, digits, symbols = true, clipboard_seconds = 45, primary = false,
/// type = false, mask = "•", confirm_new_site = false, prefill = true }`.
fn password_prompt(lua: &Lua, spec: Value) -> mlua::Result<LuaAction> {
    const WHAT: &str = "oxtile.password_prompt";
    let json = match &spec {
        Value::Nil => serde_json::json!({}),
        Value::Table(_) => match lua_to_json(&spec) {
            Ok(serde_json::Value::Object(map)) => serde_json::Value::Object(map),
            Ok(_) => {
                problem(lua, format!("{WHAT}: expected a table of options by name"))?;
                return Ok(LuaAction(None));
            }
            Err(e) => {
                problem(lua, format!("{WHAT}: {e}"))?;
                return Ok(LuaAction(None));
            }
        },
        other => {
            problem(
                lua,
                format!(
                    "{WHAT}: expected a table of options, got {}",
                    other.type_name()
                ),
            )?;
            return Ok(LuaAction(None));
        }
    };
    let options: PasswordOptions = match serde_json::from_value(json) {
        Ok(o) => o,
        Err(e) => {
            problem(lua, format!("{WHAT}: {e}"))?;
            return Ok(LuaAction(None));
        }
    };
    if let Err(e) = options.check() {
        problem(lua, format!("{WHAT}: {e}"))?;
        return Ok(LuaAction(None));
    }
    Ok(LuaAction(Some(Action::PasswordPrompt(options))))
}

#[cfg(test)]
mod tests {
    use oxtile_password::Scheme;

    use crate::action::Action;
    use crate::lua::LuaRuntime;
    use crate::prompt::PromptKind;

    fn actions(source: &str) -> Vec<Action> {
        match LuaRuntime::load_str("test.lua", source) {
            Ok(l) => l.config.keys.into_iter().map(|k| k.action).collect(),
            Err(p) => panic!("{p:#?}"),
        }
    }

    fn problems(source: &str) -> Vec<String> {
        match LuaRuntime::load_str("test.lua", source) {
            Ok(_) => panic!("loaded, expected problems"),
            Err(p) => p,
        }
    }

    #[test]
    fn prompts_and_password_prompts_bind_to_keys() {
        let got = actions(
            r#"
            oxtile.key({"mod4"}, "r", oxtile.lazy.prompt("run"))
            oxtile.key({"mod4"}, "p", oxtile.password_prompt{ scheme = "pbkdf2-sha512", length = 12,
                clipboard_seconds = 2, primary = true, type = false, mask = "" })
            oxtile.key({"mod4"}, "o", oxtile.password_prompt())
            "#,
        );
        assert_eq!(
            got[0],
            Action::Prompt {
                kind: PromptKind::Run
            }
        );
        let Action::PasswordPrompt(o) = &got[1] else {
            panic!("{:?}", got[1]);
        };
        assert_eq!(o.scheme, Scheme::Pbkdf2Sha512);
        assert_eq!(
            (o.length(), o.clipboard_seconds, o.primary),
            (12, 2.0, true)
        );
        assert_eq!(o.mask, "");
        let Action::PasswordPrompt(d) = &got[2] else {
            panic!("{:?}", got[2]);
        };
        assert_eq!(d.scheme, Scheme::LessPass, "lesspass by default");
        assert_eq!(d.length(), 16);
    }

    #[test]
    fn bad_prompt_options_are_reported_at_their_line() {
        let p = problems(
            "oxtile.key({'mod4'}, 'r', oxtile.lazy.prompt('rnu'))\n\
             oxtile.key({'mod4'}, 'p', oxtile.password_prompt{ scheme = 'sha256' })\n\
             oxtile.key({'mod4'}, 'o', oxtile.password_prompt{ length = 99 })\n\
             oxtile.key({'mod4'}, 'i', oxtile.password_prompt{ lenght = 9 })\n",
        );
        assert_eq!(p.len(), 4, "{p:#?}");
        assert!(
            p[0].starts_with("test.lua:1:") && p[0].contains("did you mean 'run'"),
            "{}",
            p[0]
        );
        assert!(
            p[1].starts_with("test.lua:2:") && p[1].contains("lesspass"),
            "{}",
            p[1]
        );
        assert!(
            p[2].starts_with("test.lua:3:") && p[2].contains("5 to 35"),
            "{}",
            p[2]
        );
        assert!(
            p[3].starts_with("test.lua:4:") && p[3].contains("lenght"),
            "{}",
            p[3]
        );
    }
}
