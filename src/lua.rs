//! STUB (replaced by the lua branch): the Lua runtime API the event loop uses.
#![allow(missing_docs, unused_variables)]
use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use crate::action::Action;
use crate::config::Config;

pub struct LuaRuntime;
pub struct Loaded {
    pub runtime: LuaRuntime,
    pub config: Config,
}
#[derive(Debug, Clone, Copy)]
pub enum Hook {
    Startup,
    ClientNew,
    ClientFocus,
    ClientKilled,
    GroupChange,
    ScreenChange,
    LayoutChange,
}
impl LuaRuntime {
    pub fn load_file(path: &Path) -> Result<Loaded, Vec<String>> {
        Err(vec![])
    }
    pub fn load_str(name: &str, source: &str) -> Result<Loaded, Vec<String>> {
        Err(vec![])
    }
    pub fn load_default() -> Loaded {
        Loaded {
            runtime: LuaRuntime,
            config: Config::default(),
        }
    }
    pub fn call(&mut self, id: usize, view: &Value) -> Vec<Action> {
        vec![]
    }
    pub fn hook(&mut self, hook: Hook, arg: &Value, view: &Value) -> Vec<Action> {
        vec![]
    }
    pub fn eval(&mut self, code: &str, view: &Value) -> (Result<String, String>, Vec<Action>) {
        (Err("stub".into()), vec![])
    }
    pub fn next_timer(&self) -> Option<Instant> {
        None
    }
    pub fn fire_timers(&mut self, now: Instant, view: &Value) -> Vec<Action> {
        vec![]
    }
}
pub fn check(path: &Path) -> Vec<String> {
    vec![]
}
