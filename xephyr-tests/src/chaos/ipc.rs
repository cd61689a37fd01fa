//! The chaos client's other doors: oxtile's IPC socket (valid actions, garbage, hang-ups,
//! huge lines), Lua through `eval` (runaway loops, errors of every type, huge results,
//! recursion) and the config (reloads of broken configs, which must be refused).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use super::actions::Outcome;
use super::{World, CHAOS_CONFIG};

/// How long oxtile may take to answer one IPC request before the run fails.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// A JSON-lines connection to oxtile's socket, opened when first needed and again after
/// oxtile (rightly) hung up on garbage.
pub struct Ipc {
    path: PathBuf,
    stream: Option<BufReader<UnixStream>>,
}

impl Ipc {
    /// A connection to the socket at `path` (not opened yet).
    pub fn new(path: PathBuf) -> Ipc {
        Ipc { path, stream: None }
    }

    fn open(&self) -> Result<BufReader<UnixStream>, String> {
        let stream = UnixStream::connect(&self.path)
            .map_err(|e| format!("cannot connect to {}: {e}", self.path.display()))?;
        stream
            .set_read_timeout(Some(ANSWER_TIMEOUT))
            .and_then(|_| stream.set_write_timeout(Some(ANSWER_TIMEOUT)))
            .map_err(|e| format!("socket timeouts: {e}"))?;
        Ok(BufReader::new(stream))
    }

    /// Send `line` (a newline is added) and read one answer line. `Ok(None)` when oxtile
    /// closed the connection instead of answering (allowed for garbage it refuses).
    pub fn exchange(&mut self, line: &[u8]) -> Result<Option<Value>, String> {
        let mut stream = match self.stream.take() {
            Some(s) => s,
            None => self.open()?,
        };
        let mut request = line.to_vec();
        request.push(b'\n');
        // oxtile may stop reading (a line that is too long) or refuse the connection before
        // reading anything ("too many connections"): the write fails, but an answer it
        // sent first is still there to read.
        let _ = stream.get_mut().write_all(&request);
        let mut answer = String::new();
        match stream.read_line(&mut answer) {
            Ok(0) => Ok(None),
            Ok(_) => {
                let value: Value = serde_json::from_str(&answer).map_err(|e| {
                    format!("oxtile answered with a line that is not JSON ({e}): {answer:?}")
                })?;
                if !value["ok"].is_boolean() {
                    return Err(format!("oxtile's answer has no \"ok\": {answer}"));
                }
                if value["ok"] == false && !value["error"].is_string() {
                    return Err(format!("oxtile's refusal has no error message: {answer}"));
                }
                self.stream = Some(stream);
                Ok(Some(value))
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Err(format!("oxtile did not answer within {ANSWER_TIMEOUT:?}"))
            }
            Err(_) => Ok(None),
        }
    }

    /// Send a request that must be answered.
    pub fn request(&mut self, request: &Value) -> Result<Value, String> {
        let line = request.to_string();
        self.exchange(line.as_bytes())?
            .ok_or_else(|| format!("oxtile hung up instead of answering {line}"))
    }

    /// Forget the connection (the next exchange opens a new one).
    pub fn hang_up(&mut self) {
        self.stream = None;
    }
}

/// The names a chaos action may give: real ones and ones that do not exist.
const GROUPS: [&str; 5] = ["1", "2", "3", "nope", ""];
const LAYOUTS: [&str; 8] = [
    "monadtall",
    "columns",
    "max",
    "tile",
    "monadwide",
    "floating",
    "MAX",
    "bsp?",
];

/// A random action as IPC sends it.
fn random_action(w: &mut World<'_>) -> Value {
    let group = *w.rng.pick(&GROUPS).unwrap_or(&"1");
    let layout = *w.rng.pick(&LAYOUTS).unwrap_or(&"max");
    let window = w.pick_any_window();
    let simple = [
        "focus_next",
        "focus_prev",
        "shuffle_up",
        "shuffle_down",
        "grow",
        "shrink",
        "normalize",
        "inc_main",
        "dec_main",
        "kill",
        "toggle_floating",
        "toggle_fullscreen",
        "next_layout",
        "prev_layout",
        "prev_group_toggle",
        "next_group",
        "prev_group",
        "leave_chord",
    ];
    match w.rng.below(10) {
        0 => json!({"action": "set_layout", "name": layout}),
        1 => json!({"action": "to_group", "group": group}),
        2 => json!({"action": "move_to_group", "group": group}),
        3 => json!({"action": "focus_window", "window": window}),
        4 if w.rng.chance(30) => json!({"action": "kill_window", "window": window}),
        5 if w.rng.chance(30) => json!({"action": "lua", "id": w.rng.below(40)}),
        6 if w.rng.chance(20) => json!({"action": "enter_chord", "name": "nope"}),
        _ => json!({"action": *w.rng.pick(&simple).unwrap_or(&"focus_next")}),
    }
}

/// A valid action over IPC: answered, with an error when it names what does not exist.
pub fn action(w: &mut World<'_>) -> Outcome {
    let action = random_action(w);
    let answer = w.ipc.request(&json!({"cmd": "action", "action": action}))?;
    Ok(format!("{action} -> ok={}", answer["ok"]))
}

/// A query over IPC.
pub fn query(w: &mut World<'_>) -> Outcome {
    let cmd = *w
        .rng
        .pick(&[
            "windows", "groups", "screens", "layout", "focused", "errors", "stats",
        ])
        .unwrap_or(&"sync");
    let answer = w.ipc.request(&json!({"cmd": cmd}))?;
    if answer["ok"] != true {
        return Err(format!("query {cmd} refused: {answer}"));
    }
    Ok(cmd.to_string())
}

/// Malformed requests: each must get an error answer (or, for refused lines, a hang-up),
/// and the next request must be served.
pub fn garbage(w: &mut World<'_>) -> Outcome {
    let n = w.rng.index(200) + 1;
    let (line, what): (Vec<u8>, &str) = match w.rng.below(12) {
        0 => (
            w.rng
                .bytes(n)
                .into_iter()
                .map(|b| if b == b'\n' { b'?' } else { b })
                .collect(),
            "random bytes",
        ),
        1 => (b"{\"cmd\": ".to_vec(), "truncated JSON"),
        2 => ("[".repeat(n * 50).into_bytes(), "deep arrays"),
        3 => ("{\"a\":".repeat(n * 20).into_bytes(), "deep objects"),
        4 => (b"{\"cmd\": 5}".to_vec(), "number as cmd"),
        5 => (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"to_group\", \"group\": 7}}".to_vec(),
            "wrong type",
        ),
        6 => (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"focus_window\", \"window\": -1}}"
                .to_vec(),
            "negative window",
        ),
        7 => (
            b"{\"cmd\": \"action\", \"action\": {\"action\": \"focus_window\", \"window\": 1e99}}"
                .to_vec(),
            "huge window",
        ),
        8 => (
            b"{\"cmd\": \"sync\", \"cmd\": \"quit\"}".to_vec(),
            "duplicate keys",
        ),
        9 => (b"null".to_vec(), "null"),
        10 => (
            "\u{feff}{\"cmd\":\"nope\"}".as_bytes().to_vec(),
            "BOM and unknown command",
        ),
        _ => (
            format!("{{\"cmd\": \"eval\", \"code\": {}}}", n).into_bytes(),
            "eval of a number",
        ),
    };
    let answer = w
        .ipc
        .exchange(&line)
        .map_err(|e| format!("garbage ({what}): {e}"))?;
    if let Some(a) = &answer {
        // Duplicate keys may legitimately parse; everything else is an error.
        if a["ok"] == true && what != "duplicate keys" && what != "eval of a number" {
            return Err(format!("garbage ({what}) was accepted: {a}"));
        }
    }
    let next = w
        .ipc
        .request(&json!({"cmd": "layout"}))
        .map_err(|e| format!("after garbage ({what}, answered {answer:?}): {e}"))?;
    if next["ok"] != true {
        return Err(format!(
            "after garbage ({what}), a query was refused: {next}"
        ));
    }
    Ok(format!(
        "{what} -> {}",
        if answer.is_some() { "error" } else { "hung up" }
    ))
}

/// A client that disconnects mid-request or right after sending one, and one that sends a
/// line longer than oxtile accepts.
pub fn hangup(w: &mut World<'_>) -> Outcome {
    let path = w.session.socket_path();
    let what = match w.rng.below(4) {
        0 => {
            let mut s = UnixStream::connect(&path).map_err(|e| e.to_string())?;
            let _ = s.write_all(b"{\"cmd\": \"win");
            "half a request, then gone"
        }
        1 => {
            let mut s = UnixStream::connect(&path).map_err(|e| e.to_string())?;
            let _ = s.write_all(b"{\"cmd\": \"windows\"}\n");
            "a request, gone before the answer"
        }
        2 => {
            let _s = UnixStream::connect(&path).map_err(|e| e.to_string())?;
            "connected, said nothing, gone"
        }
        _ => {
            let mut long = vec![b' '; (1 << 20) + 10];
            long.push(b'\n');
            let mut ipc = Ipc::new(path);
            match ipc.exchange(&long)? {
                Some(a) if a["ok"] == true => return Err(format!("a 1 MB line was accepted: {a}")),
                _ => "a line over 1 MB",
            }
        }
    };
    let next = w.ipc.request(&json!({"cmd": "sync"}))?;
    if next["ok"] != true {
        return Err(format!("after {what}, sync was refused: {next}"));
    }
    Ok(what.to_string())
}

/// Lua that misbehaves, evaluated in the running window manager: every one is answered
/// (with a result or an error) and the next request is served.
const HOSTILE_LUA: &[&str] = &[
    "while true do end",
    "local function f(n) return f(n + 1) + 1 end return f(1)",
    "local function f() return 1 + f() end return pcall(f)",
    "error(nil)",
    "error({})",
    "error(42)",
    "error(function() end)",
    "error(setmetatable({}, {__tostring = function() error('in __tostring') end}))",
    "return string.rep('x', 1 << 20)",
    "return string.rep('x', 1 << 30)",
    "local t = {} for i = 1, 1e7 do t[i] = i end return #t",
    "return coroutine.wrap(function() while true do end end)()",
    "local t = {} t.t = t return t",
    "return setmetatable({}, {__tostring = function() return nil end})",
    "return oxtile.clients()",
    "for i = 1, 500 do oxtile.run(oxtile.lazy.next_layout()) end",
    "return 1, nil, 3",
    "print(string.rep('y', 100000))",
    "return load('return ' .. string.rep('(', 300) .. '1' .. string.rep(')', 300))()",
    "return os.exit(1)",
    "return oxtile.key",
    "return #oxtile.groups()",
    "oxtile.timer{timeout = 0, callback = function() error('timer fails') end}",
    "oxtile.hook('client_new', function() while true do end end)",
    "oxtile.hook('nope', function() end)",
    "return table.concat({}, nil, 1, 1e9)",
];

/// Evaluate one piece of hostile Lua.
pub fn lua_eval(w: &mut World<'_>) -> Outcome {
    let code = *w.rng.pick(HOSTILE_LUA).unwrap_or(&"return 1");
    let answer = w.ipc.request(&json!({"cmd": "eval", "code": code}))?;
    let next = w.ipc.request(&json!({"cmd": "sync"}))?;
    if next["ok"] != true {
        return Err(format!("after eval of {code:?}, sync was refused: {next}"));
    }
    Ok(format!("{code:?} -> ok={}", answer["ok"]))
}

/// Configs that must be refused on reload (the running one stays).
const BROKEN_CONFIGS: &[&str] = &[
    "oxtile.groups{ \"1\", ",
    "error('boom')",
    "error({})",
    "oxtile.groups(42)",
    "oxtile.layouts{ oxtile.layout.nope{} }",
    "oxtile.settings{ lua_instruction_limit = 100000 } while true do end",
    "require('does.not.exist')",
    "oxtile.key({'mod4'}, 'NoSuchKey', oxtile.lazy.kill())",
    "oxtile.settings{ border_width = 'wide' }",
    "local function f() return 1 + f() end f()",
];

/// Reload with a broken config (refused: the running config and groups stay, the error is
/// reported) or with the good one (accepted: no errors).
pub fn config_reload(w: &mut World<'_>) -> Outcome {
    let path = w.session.config_path().to_path_buf();
    let broken = w.rng.chance(70);
    let source = if broken {
        *w.rng.pick(BROKEN_CONFIGS).unwrap_or(&"error('x')")
    } else {
        CHAOS_CONFIG
    };
    std::fs::write(&path, source).map_err(|e| format!("writing the config: {e}"))?;
    let answer = w
        .ipc
        .request(&json!({"cmd": "action", "action": {"action": "reload"}}));
    // Whatever happens, the next run of oxtile must find the good config.
    std::fs::write(&path, CHAOS_CONFIG).map_err(|e| format!("restoring the config: {e}"))?;
    let answer = answer?;
    if answer["ok"] != true {
        return Err(format!("reload was refused over IPC: {answer}"));
    }
    let errors = w.ipc.request(&json!({"cmd": "errors"}))?;
    let n = errors["result"].as_array().map_or(0, Vec::len);
    if broken && n == 0 {
        return Err(format!("reloading {source:?} reported no error"));
    }
    if !broken && n != 0 {
        return Err(format!("reloading the good config left errors: {errors}"));
    }
    if !broken {
        w.bar.reloaded();
    }
    Ok(format!(
        "{} config -> {n} error(s)",
        if broken { "broken" } else { "good" }
    ))
}
