//! The Lua side of oxtile: loads `config.lua` into a plain [`Config`], keeps the user's
//! callbacks, hooks and timers, and runs them under an instruction budget. Lua never touches
//! X: what it wants done comes back as [`Action`]s for the event loop to apply.

mod api;
mod bar;
mod bind;
mod budget;
mod convert;
mod desktop;
mod prompt;
mod protect;
mod setup;
mod state;
mod timers;

#[cfg(test)]
mod docs_tests;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use mlua::{Function, Lua, MultiValue, Value};
use serde_json::Value as Json;

use self::budget::Budget;
use self::state::{with_state, State};
use crate::action::Action;
use crate::config::Config;

/// The shipped default config, also what `load_default` runs.
const DEFAULT_CONFIG: &str = include_str!("../../config/config.lua");

/// The name the default config goes by in messages.
const DEFAULT_NAME: &str = "builtin/config.lua";

/// Memory the Lua state may use; a config needs a few megabytes, this only stops a runaway.
const MEMORY_LIMIT: usize = 512 << 20;

/// An event Lua functions can be connected to with `oxtile.hook(name, fn)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    /// Once, after the window manager has started and managed the existing windows. No
    /// argument.
    Startup,
    /// A window was mapped and is now managed; the argument is the window table.
    ClientNew,
    /// A window got the focus; the argument is the window table.
    ClientFocus,
    /// A window went away; the argument is a table with (at least) its `id`.
    ClientKilled,
    /// A screen now shows another group. No argument: read `oxtile.current_group()`.
    GroupChange,
    /// The screens changed (RandR). No argument: read `oxtile.screens()`.
    ScreenChange,
    /// A group switched layouts. No argument: read `oxtile.current_group().layout`.
    LayoutChange,
    /// A container changed state (the `containers` widget). Four arguments: backend,
    /// name, old state, new state (`nil` when it appeared or went away).
    ContainerChange,
}

impl Hook {
    /// Every hook, in the order of the docs.
    pub const ALL: [Hook; 8] = [
        Hook::Startup,
        Hook::ClientNew,
        Hook::ClientFocus,
        Hook::ClientKilled,
        Hook::GroupChange,
        Hook::ScreenChange,
        Hook::LayoutChange,
        Hook::ContainerChange,
    ];

    /// The name Lua uses for this hook ("client_new").
    pub fn name(self) -> &'static str {
        match self {
            Hook::Startup => "startup",
            Hook::ClientNew => "client_new",
            Hook::ClientFocus => "client_focus",
            Hook::ClientKilled => "client_killed",
            Hook::GroupChange => "group_change",
            Hook::ScreenChange => "screen_change",
            Hook::LayoutChange => "layout_change",
            Hook::ContainerChange => "container_change",
        }
    }

    /// Whether its argument, a JSON array, is passed as that many Lua arguments.
    fn spreads(self) -> bool {
        matches!(self, Hook::ContainerChange)
    }

    /// The hook Lua calls `name`.
    pub fn from_name(name: &str) -> Option<Hook> {
        Hook::ALL.into_iter().find(|h| h.name() == name)
    }
}

/// A Lua state with the `oxtile` module, and what the loaded config left in it: callbacks
/// (behind `Action::Lua { id }`), hook functions and timers.
///
/// Every entry point takes the `view`, a JSON snapshot of the window manager that
/// `oxtile.clients()` and friends read, and returns the actions Lua queued. Problems in a
/// config are collected rather than raised, so that `oxtile check` reports all of them,
/// each as "FILE:LINE: message". Each entry runs under the instruction budget
/// (`lua_instruction_limit`) and the state under a memory limit, so user code can fail but
/// cannot hang or exhaust the window manager.
pub struct LuaRuntime {
    lua: Lua,
    budget: Rc<Budget>,
}

/// A loaded config: the data for the core, and the runtime that runs its callbacks.
pub struct Loaded {
    /// The Lua state that keeps the config's callbacks, hooks and timers.
    pub runtime: LuaRuntime,
    /// The configuration as plain data.
    pub config: Config,
}

/// `oxtile check`: every problem in the config file at `path`, empty when it is fine.
pub fn check(path: &Path) -> Vec<String> {
    match LuaRuntime::load_file(path) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

impl LuaRuntime {
    /// Load a config file. Err holds every problem found, each "FILE:LINE: message".
    pub fn load_file(path: &Path) -> Result<Loaded, Vec<String>> {
        let name = path.display().to_string();
        let source = std::fs::read_to_string(path)
            .map_err(|e| vec![format!("{name}: cannot read the config: {e}")])?;
        Self::load(&name, &source, path.parent())
    }

    /// Load from a string; `name` is used as FILE in messages.
    pub fn load_str(name: &str, source: &str) -> Result<Loaded, Vec<String>> {
        Self::load(name, source, None)
    }

    /// The built-in default (config/config.lua); never fails: should even that not load, the
    /// problems are logged and [`Config::default`] applies.
    pub fn load_default() -> Loaded {
        match Self::load_str(DEFAULT_NAME, DEFAULT_CONFIG) {
            Ok(loaded) => loaded,
            Err(problems) => {
                for p in &problems {
                    tracing::error!("default config: {p}");
                }
                let runtime = Self::new().unwrap_or_else(|e| {
                    tracing::error!("Lua runtime without the oxtile module: {e}");
                    Self::bare(Config::default())
                });
                Loaded {
                    runtime,
                    config: Config::default(),
                }
            }
        }
    }

    /// A Lua state with our shared state but no `oxtile` module yet.
    fn bare(config: Config) -> Self {
        let lua = Lua::new();
        if let Err(e) = lua.set_memory_limit(MEMORY_LIMIT) {
            tracing::warn!("cannot limit Lua's memory: {e}");
        }
        let budget = Budget::new(config.settings.lua_instruction_limit);
        lua.set_app_data(State::new(config));
        LuaRuntime { lua, budget }
    }

    /// A Lua state ready to load a config.
    fn new() -> mlua::Result<Self> {
        let runtime = Self::bare(Config::default());
        api::install(&runtime.lua, runtime.budget.clone())?;
        protect::install(&runtime.lua)?;
        budget::guard_protected_calls(&runtime.lua, &runtime.budget)?;
        Ok(runtime)
    }

    /// Run a config chunk and collect the config it builds, or every problem.
    fn load(name: &str, source: &str, dir: Option<&Path>) -> Result<Loaded, Vec<String>> {
        let runtime = Self::new().map_err(|e| vec![format!("{name}: cannot start Lua: {e}")])?;
        if let Some(dir) = dir {
            // `require("mymodule")` finds mymodule.lua beside the config.
            let dir = dir.display().to_string();
            let set_path = runtime.lua.load("local dir = ... package.path = dir .. '/?.lua;' .. dir .. '/?/init.lua;' .. package.path");
            if let Err(e) = set_path.call::<()>(dir) {
                return Err(vec![format!("{name}: cannot set package.path: {e}")]);
            }
        }
        runtime.enter(&Json::Null, Instant::now());
        runtime.set_loading(true);
        let result = runtime
            .lua
            .load(source)
            .set_name(format!("@{name}"))
            .into_function()
            .and_then(|f| protect::call(&runtime.lua, &f, MultiValue::new()));
        runtime.set_loading(false);
        let (queued, mut problems) = runtime.leave();
        if let Err(e) = result {
            problems.push(error_message(&e, name));
        }
        problems.extend(desktop::final_problems(&runtime.lua).unwrap_or_default());
        if !queued.is_empty() {
            tracing::warn!(
                "{name}: {} action(s) queued while loading were dropped; run them from the \"startup\" hook",
                queued.len()
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let config = with_state(&runtime.lua, |s| std::mem::take(&mut s.config))
            .map_err(|e| vec![format!("{name}: {e}")])?;
        runtime
            .budget
            .set_limit(config.settings.lua_instruction_limit);
        Ok(Loaded { runtime, config })
    }

    /// Run the Lua callback behind `Action::Lua { id }`; returns the actions it queued.
    pub fn call(&mut self, id: usize, view: &Json) -> Vec<Action> {
        let f = with_state(&self.lua, |s| s.callbacks.get(id).cloned())
            .ok()
            .flatten();
        let Some(f) = f else {
            tracing::warn!("no Lua callback {id}");
            return Vec::new();
        };
        self.enter(view, Instant::now());
        self.invoke(&format!("Lua callback {id}"), &f, Value::Nil)
    }

    /// Call a widget's callback (`fn` of a poll widget) with no argument; its return value
    /// as JSON, or the error as one line. Actions it queued are returned too.
    pub fn call_value(&mut self, id: usize, view: &Json) -> (Result<Json, String>, Vec<Action>) {
        let Some(f) = with_state(&self.lua, |s| s.callbacks.get(id).cloned())
            .ok()
            .flatten()
        else {
            return (Err(format!("no Lua callback {id}")), Vec::new());
        };
        self.enter(view, Instant::now());
        let result = f.call::<Value>(());
        let (queued, _) = self.leave();
        match result {
            Ok(v) => (convert::lua_to_json(&v).map_err(|e| e.to_string()), queued),
            Err(e) => (Err(error_message(&e, "widget")), Vec::new()),
        }
    }

    /// Run a custom widget's `draw(d, w, h)`: `d` records drawing calls (`d:color("#f00")`,
    /// `d:rectangle(x, y, w, h)`, `d:fill()`, `d:stroke()`, `d:line_width(n)`,
    /// `d:move_to(x, y)`, `d:line_to(x, y)`, `d:arc(x, y, r, a1, a2)`, `d:text(x, "text")`,
    /// `d:clear()`), returned as the JSON list of operations the canvas widget replays.
    /// Lua never touches cairo.
    pub fn call_draw(
        &mut self,
        id: usize,
        width: u32,
        height: u32,
        view: &Json,
    ) -> Result<Json, String> {
        let Some(f) = with_state(&self.lua, |s| s.callbacks.get(id).cloned())
            .ok()
            .flatten()
        else {
            return Err(format!("no Lua callback {id}"));
        };
        const RECORDER: &str = r#"
            local f, w, h = ...
            local ops = {}
            local function add(t) ops[#ops + 1] = t end
            local d = {
                clear = function(_) add({ op = "clear" }) end,
                color = function(_, c) add({ op = "color", color = c }) end,
                line_width = function(_, n) add({ op = "line_width", width = n }) end,
                rectangle = function(_, x, y, rw, rh) add({ op = "rectangle", x = x, y = y, w = rw, h = rh }) end,
                move_to = function(_, x, y) add({ op = "move_to", x = x, y = y }) end,
                line_to = function(_, x, y) add({ op = "line_to", x = x, y = y }) end,
                arc = function(_, x, y, r, a1, a2)
                    add({ op = "arc", x = x, y = y, radius = r, angle1 = a1, angle2 = a2 })
                end,
                fill = function(_) add({ op = "fill" }) end,
                stroke = function(_) add({ op = "stroke" }) end,
                text = function(_, x, t) add({ op = "text", x = x, text = tostring(t) }) end,
            }
            f(d, w, h)
            return ops
        "#;
        self.enter(view, Instant::now());
        let result = self
            .lua
            .load(RECORDER)
            .set_name("=custom widget")
            .call::<Value>((f, width, height));
        let _ = self.leave();
        match result {
            Ok(v) => convert::lua_to_json(&v).map_err(|e| e.to_string()),
            Err(e) => Err(error_message(&e, "widget")),
        }
    }

    /// Whether any function is connected to `hook` (so the caller can skip building the
    /// argument and the state view).
    pub fn has_hook(&self, hook: Hook) -> bool {
        with_state(&self.lua, |s| s.hooks.iter().any(|(h, _)| *h == hook)).unwrap_or(false)
    }

    /// Run every function connected to `hook`, with `arg` (converted from JSON) as argument.
    pub fn hook(&mut self, hook: Hook, arg: &Json, view: &Json) -> Vec<Action> {
        let fs: Vec<Function> = with_state(&self.lua, |s| {
            s.hooks
                .iter()
                .filter(|(h, _)| *h == hook)
                .map(|(_, f)| f.clone())
                .collect()
        })
        .unwrap_or_default();
        if fs.is_empty() {
            return Vec::new();
        }
        self.enter(view, Instant::now());
        let mut actions = Vec::new();
        // Hooks with several arguments get the array's items, one Lua argument each.
        let items = match arg {
            Json::Array(items) if hook.spreads() => items.as_slice(),
            one => std::slice::from_ref(one),
        };
        for f in fs {
            let args: mlua::Result<MultiValue> = items
                .iter()
                .map(|v| convert::json_to_lua(&self.lua, v))
                .collect();
            let args = match args {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!("hook {}: cannot pass its argument to Lua: {e}", hook.name());
                    return actions;
                }
            };
            actions.extend(self.invoke(&format!("hook {}", hook.name()), &f, args));
        }
        actions
    }

    /// Evaluate code like awesome-client: returns what it printed and returned as text, or
    /// the error. Code that is an expression ("1+1") is returned as if written "return 1+1".
    pub fn eval(&mut self, code: &str, view: &Json) -> (Result<String, String>, Vec<Action>) {
        const NAME: &str = "eval";
        let chunk = self
            .lua
            .load(format!("return {code}"))
            .set_name(format!("@{NAME}"))
            .into_function()
            .or_else(|_| {
                self.lua
                    .load(code)
                    .set_name(format!("@{NAME}"))
                    .into_function()
            });
        let f = match chunk {
            Ok(f) => f,
            Err(e) => return (Err(error_message(&e, NAME)), Vec::new()),
        };
        self.enter(view, Instant::now());
        let _ = with_state(&self.lua, |s| s.printed = Some(Vec::new()));
        let result = protect::call(&self.lua, &f, MultiValue::new());
        let printed = with_state(&self.lua, |s| s.printed.take())
            .ok()
            .flatten()
            .unwrap_or_default();
        let (queued, problems) = self.leave();
        match result {
            Err(e) => (Err(error_message(&e, NAME)), Vec::new()),
            Ok(_) if !problems.is_empty() => (Err(problems.join("\n")), queued),
            Ok(values) => {
                let mut out = printed;
                if !values.is_empty() {
                    let shown: Vec<String> = values
                        .iter()
                        .map(|v| convert::to_text(&self.lua, v))
                        .collect();
                    out.push(shown.join("\t"));
                }
                (Ok(out.join("\n")), queued)
            }
        }
    }

    /// Earliest deadline of the Lua timers.
    pub fn next_timer(&self) -> Option<Instant> {
        with_state(&self.lua, |s| s.timers.next()).ok().flatten()
    }

    /// Run every timer due at `now` (the caller's clock), and reschedule repeating ones.
    pub fn fire_timers(&mut self, now: Instant, view: &Json) -> Vec<Action> {
        let due = with_state(&self.lua, |s| s.timers.take_due(now)).unwrap_or_default();
        let mut actions = Vec::new();
        for (id, f) in due {
            self.enter(view, now);
            actions.extend(self.invoke(&format!("timer {id}"), &f, Value::Nil));
        }
        actions
    }

    /// Prepare a call into Lua: the view it sees, its clock, a fresh budget.
    fn enter(&self, view: &Json, now: Instant) {
        let _ = with_state(&self.lua, |s| {
            s.view = view.clone();
            s.now = now;
        });
        self.budget.reset();
        if let Err(e) = budget::install(&self.lua, &self.budget) {
            tracing::warn!("cannot install the Lua instruction budget: {e}");
        }
    }

    /// After a call: the actions it queued and the problems it recorded.
    fn leave(&self) -> (Vec<Action>, Vec<String>) {
        with_state(&self.lua, |s| {
            (
                std::mem::take(&mut s.queue),
                std::mem::take(&mut s.problems),
            )
        })
        .unwrap_or_default()
    }

    fn set_loading(&self, loading: bool) {
        let _ = with_state(&self.lua, |s| s.loading = loading);
    }

    /// Call one function with a fresh budget. A failing call is logged and does nothing:
    /// the actions it queued before failing are dropped.
    fn invoke(&self, what: &str, f: &Function, arg: impl mlua::IntoLuaMulti) -> Vec<Action> {
        self.budget.reset();
        let args = match arg.into_lua_multi(&self.lua) {
            Ok(args) => args,
            Err(e) => {
                tracing::warn!("{what}: cannot pass its arguments to Lua: {e}");
                return Vec::new();
            }
        };
        let result = protect::call(&self.lua, f, args);
        let (queued, problems) = self.leave();
        for p in &problems {
            tracing::warn!("{what}: {p}");
        }
        match result {
            Ok(_) => queued,
            Err(e) => {
                tracing::warn!("{what} failed: {}", error_message(&e, what));
                Vec::new()
            }
        }
    }
}

/// One line "FILE:LINE: message" for a Lua error: the traceback mlua appends is dropped, a
/// Rust-side error gets the Lua line that called it, and a file name that Lua shortened
/// ("...long/path/config.lua") is written in full.
fn error_message(err: &mlua::Error, name: &str) -> String {
    let message = match err {
        mlua::Error::CallbackError { traceback, cause } => {
            let inner = error_message(cause, name);
            match (location(&inner), traceback_location(traceback)) {
                (None, Some(loc)) => format!("{loc}: {inner}"),
                _ => inner,
            }
        }
        mlua::Error::WithContext { context, cause } => {
            format!("{context}: {}", error_message(cause, name))
        }
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::RuntimeError(m) => m.clone(),
        // Lua gives no place for these.
        mlua::Error::MemoryError(m) => {
            format!("{name}: {m} (Lua may use {} MiB)", MEMORY_LIMIT >> 20)
        }
        other => other.to_string(),
    };
    let message = match message.find("\nstack traceback:") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let message = message.trim_end().to_string();
    // Lua writes long file names as "..." and their tail; put the full name back.
    match (message.strip_prefix("..."), location(&message)) {
        (Some(rest), Some(loc)) => {
            let short = &loc[3..loc.rfind(':').unwrap_or(loc.len())];
            if name.ends_with(short) {
                format!("{name}{}", &rest[short.len()..])
            } else {
                message
            }
        }
        _ => message,
    }
}

/// The "FILE:LINE" a message starts with, if it does.
fn location(message: &str) -> Option<&str> {
    let first = message.lines().next()?;
    let mut from = 0;
    while let Some(i) = first[from..].find(':') {
        let colon = from + i;
        let digits: String = first[colon + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() && first[colon + 1 + digits.len()..].starts_with(':') && colon > 0 {
            return Some(&first[..colon + 1 + digits.len()]);
        }
        from = colon + 1;
    }
    None
}

/// The first Lua "FILE:LINE" in a traceback (skipping Rust and C frames).
fn traceback_location(traceback: &str) -> Option<String> {
    traceback
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("[C]"))
        .find_map(|l| location(l).map(str::to_string))
}
