//! The instruction budget: every entry into Lua (the config, a callback, a hook, a timer, an
//! eval) may run a bounded number of instructions, so a runaway loop cannot freeze the
//! window manager. A count hook on every thread stops the code with an error.

use std::cell::Cell;
use std::rc::Rc;

use mlua::{HookTriggers, Lua, VmState};

/// How often the hook looks at the count; small enough to stop close to the limit, large
/// enough to cost nothing measurable.
const STEP: u64 = 1000;

/// Instructions used by the current entry, and the limit.
#[derive(Debug)]
pub(crate) struct Budget {
    used: Cell<u64>,
    limit: Cell<u64>,
}

impl Budget {
    /// A budget of `limit` instructions per entry.
    pub fn new(limit: u64) -> Rc<Self> {
        Rc::new(Budget {
            used: Cell::new(0),
            limit: Cell::new(limit.max(1)),
        })
    }

    /// Start counting a new entry.
    pub fn reset(&self) {
        self.used.set(0);
    }

    /// Change the limit (the `lua_instruction_limit` setting).
    pub fn set_limit(&self, limit: u64) {
        self.limit.set(limit.max(1));
    }

    /// Whether the current entry has used up its budget.
    pub fn exceeded(&self) -> bool {
        self.used.get() > self.limit.get()
    }

    fn step(&self) -> u64 {
        self.limit.get().min(STEP)
    }
}

/// Install the counting hook. It is a *global* hook, so coroutines the code creates are
/// counted too (a per-thread hook would let `coroutine.wrap` escape the budget). Call again
/// after the limit changes so that the hook's step fits it.
pub(crate) fn install(lua: &Lua, budget: &Rc<Budget>) -> mlua::Result<()> {
    let step = budget.step();
    let count = u32::try_from(step).unwrap_or(u32::MAX);
    let budget = budget.clone();
    lua.set_global_hook(
        HookTriggers::new().every_nth_instruction(count),
        move |_, debug| {
            budget.used.set(budget.used.get().saturating_add(step));
            if !budget.exceeded() {
                return Ok(VmState::Continue);
            }
            let source = debug.source();
            let file = match source.source.as_deref() {
                Some(s) if s.starts_with('@') || s.starts_with('=') => s[1..].to_string(),
                _ => source.short_src.as_deref().unwrap_or("?").to_string(),
            };
            let line = debug.current_line().unwrap_or(0);
            Err(mlua::Error::runtime(format!(
                "{file}:{line}: stopped after {} Lua instructions (lua_instruction_limit)",
                budget.limit.get()
            )))
        },
    )
}

/// Make `pcall`, `xpcall` and `coroutine.resume` re-raise the budget error: without this,
/// `while true do pcall(f) end` would catch it forever.
pub(crate) fn guard_protected_calls(lua: &Lua, budget: &Rc<Budget>) -> mlua::Result<()> {
    let b = budget.clone();
    let exceeded = lua.create_function(move |_, ()| Ok(b.exceeded()))?;
    lua.load(
        r#"
        local exceeded = ...
        local raw_pcall, raw_xpcall = pcall, xpcall
        local raw_resume, raw_close = coroutine.resume, coroutine.close
        local function pass(ok, ...)
            if not ok and exceeded() then error((...), 0) end
            return ok, ...
        end
        pcall = function(f, ...) return pass(raw_pcall(f, ...)) end
        xpcall = function(f, h, ...) return pass(raw_xpcall(f, h, ...)) end
        coroutine.resume = function(co, ...) return pass(raw_resume(co, ...)) end
        coroutine.close = function(co) return pass(raw_close(co)) end
        "#,
    )
    .set_name("=oxtile budget")
    .call::<()>(exceeded)
}
