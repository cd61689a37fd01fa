//! What the Rust functions of the `oxtile` module share while Lua runs: the config being
//! built, the problems found, the actions queued, the callbacks, hooks and timers, and the
//! window-manager view of the current call. Kept as the Lua state's app data.

use std::time::Instant;

use mlua::{Function, Lua};
use serde_json::Value as Json;

use super::timers::Timers;
use super::Hook;
use crate::action::Action;
use crate::config::Config;

/// The shared state of one Lua runtime.
pub(crate) struct State {
    /// True while the config file runs: only then do bindings, groups, layouts and settings
    /// make sense, since the config is read once, after loading.
    pub loading: bool,
    /// The config being built by the `oxtile.*` calls.
    pub config: Config,
    /// Problems found so far, each "FILE:LINE: message".
    pub problems: Vec<String>,
    /// Actions Lua asked for during the current call.
    pub queue: Vec<Action>,
    /// Lua functions bound to keys and buttons; `Action::Lua { id }` indexes this.
    pub callbacks: Vec<Function>,
    /// Functions connected to hooks, in connection order.
    pub hooks: Vec<(Hook, Function)>,
    /// Pending timers and their callbacks.
    pub timers: Timers<Function>,
    /// The window-manager snapshot of the current call.
    pub view: Json,
    /// "Now" for the current call (injected when timers fire).
    pub now: Instant,
    /// Lines `print` wrote, while `eval` collects them.
    pub printed: Option<Vec<String>>,
    /// "FILE:LINE" of each `oxtile.rule`, for problems found after loading.
    pub rule_origins: Vec<String>,
}

impl State {
    /// A fresh state around the given starting config.
    pub fn new(config: Config) -> Self {
        State {
            loading: false,
            config,
            problems: Vec::new(),
            queue: Vec::new(),
            callbacks: Vec::new(),
            hooks: Vec::new(),
            timers: Timers::default(),
            view: Json::Null,
            now: Instant::now(),
            printed: None,
            rule_origins: Vec::new(),
        }
    }
}

/// Run `f` on the shared state. Never call Lua inside `f`: a callback reaching the state
/// again would find it borrowed.
pub(crate) fn with_state<R>(lua: &Lua, f: impl FnOnce(&mut State) -> R) -> mlua::Result<R> {
    match lua.try_app_data_mut::<State>() {
        Ok(Some(mut state)) => Ok(f(&mut state)),
        Ok(None) => Err(mlua::Error::runtime("oxtile: Lua state has no oxtile data")),
        Err(_) => Err(mlua::Error::runtime("oxtile: Lua state data is busy")),
    }
}

/// "FILE:LINE" of the innermost Lua code on the stack: the config line that called the
/// `oxtile` function now running.
pub(crate) fn here(lua: &Lua) -> String {
    (0..64)
        .map_while(|level| {
            lua.inspect_stack(level, |d| {
                let source = d.source();
                let line = d.current_line();
                match (source.what, line) {
                    ("Lua" | "main", Some(line)) => {
                        let file = match source.source.as_deref() {
                            Some(s) if s.starts_with('@') || s.starts_with('=') => {
                                s[1..].to_string()
                            }
                            _ => source.short_src.as_deref().unwrap_or("?").to_string(),
                        };
                        Some(format!("{file}:{line}"))
                    }
                    _ => None,
                }
            })
        })
        .flatten()
        .next()
        .unwrap_or_else(|| "oxtile".to_string())
}

/// Record a problem at the calling config line; loading goes on so that every problem of a
/// file is reported in one go.
pub(crate) fn problem(lua: &Lua, message: impl std::fmt::Display) -> mlua::Result<()> {
    let entry = format!("{}: {message}", here(lua));
    with_state(lua, |s| s.problems.push(entry))
}

/// Queue an action to run after the current call.
pub(crate) fn queue(lua: &Lua, action: Action) -> mlua::Result<()> {
    with_state(lua, |s| s.queue.push(action))
}

/// Whether the config is loading; records a problem naming `what` when it is not.
pub(crate) fn while_loading(lua: &Lua, what: &str) -> mlua::Result<bool> {
    if with_state(lua, |s| s.loading)? {
        return Ok(true);
    }
    problem(
        lua,
        format!("{what} only works while the config loads (it is read once, at load)"),
    )?;
    Ok(false)
}
