//! Random and broken configs never crash the loader: each either loads into sane data or
//! is refused with problems that name the file, and `oxtile check` exits 0 or 1 on each,
//! never with a panic or a signal. The configs are the default config mutated at random
//! (cut, spliced with Lua tokens, lines duplicated and swapped) and token soup.

use std::process::Command;

use oxtile::lua::LuaRuntime;
use proptest::prelude::*;

const DEFAULT: &str = include_str!("../config/config.lua");

/// Runaway code in a mutated config stops after this many instructions instead of the
/// default 50 million (a prefix the mutations never touch).
const PREFIX: &str = "oxtile.settings { lua_instruction_limit = 200000 }\n";

const TOKENS: &[&str] = &[
    "end",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "=",
    "==",
    ",",
    ".",
    "..",
    "...",
    ":",
    "nil",
    "true",
    "false",
    "0",
    "-1",
    "1e308",
    "0/0",
    "2^63",
    "local",
    "function",
    "return",
    "if",
    "then",
    "else",
    "for",
    "while true do end",
    "repeat",
    "until",
    "goto",
    "::x::",
    "oxtile.",
    "oxtile.groups",
    "oxtile.layouts",
    "oxtile.settings",
    "oxtile.key",
    "oxtile.layout.monadtall",
    "oxtile.lazy.kill()",
    "oxtile.hook",
    "oxtile.timer",
    "error(",
    "error({})",
    "pcall(",
    "setmetatable({}, {__index = function(t, k) return t[k] end})",
    "string.rep('x', 1 << 28)",
    "require('x')",
    "--[[",
    "]]",
    "--",
    "\n",
    "\0",
    "é",
    "\u{fffd}",
    "{ name = 7 }",
    "{ {} }",
    "\"mod4\"",
    "\"NoSuchKey\"",
    "#",
    "~",
    "<<",
    "//",
];

/// Cases per property: a quick pass by default; `OXTILE_FUZZ_CASES=N` for a long run.
fn cases(default: u32) -> u32 {
    std::env::var("OXTILE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Debug, Clone)]
enum Edit {
    Cut { at: usize, len: usize },
    Insert { at: usize, token: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Edit::Cut { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Edit::Insert { at, token }),
        any::<usize>().prop_map(|line| Edit::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
    ]
}

/// The nearest character boundary at or before `at`.
fn boundary(s: &str, at: usize) -> usize {
    let mut at = at % (s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut s: String, e: &Edit) -> String {
    match *e {
        Edit::Cut { at, len } => {
            let a = boundary(&s, at);
            let b = boundary(&s, (a + len).min(s.len()));
            s.replace_range(a..b.max(a), "");
            s
        }
        Edit::Insert { at, token } => {
            let a = boundary(&s, at);
            s.insert_str(a, TOKENS[token]);
            s
        }
        Edit::DuplicateLine { line } => {
            let mut lines: Vec<&str> = s.lines().collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Edit::SwapLines { a, b } => {
            let mut lines: Vec<&str> = s.lines().collect();
            if !lines.is_empty() {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            lines.join("\n")
        }
    }
}

fn mutated() -> impl Strategy<Value = String> {
    proptest::collection::vec(edit(), 1..8).prop_map(|edits| {
        let body = edits.iter().fold(DEFAULT.to_string(), apply);
        format!("{PREFIX}{body}")
    })
}

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..TOKENS.len(), 0..60).prop_map(|ts| {
        let body: Vec<&str> = ts.into_iter().map(|t| TOKENS[t]).collect();
        format!("{PREFIX}{}", body.join(" "))
    })
}

/// Load `source`; every outcome is fine but a panic, problems that do not name the file,
/// or a config that loaded with data the window manager cannot use.
fn check_loader(source: &str) -> Result<(), TestCaseError> {
    match LuaRuntime::load_str("fuzz.lua", source) {
        Ok(mut loaded) => {
            let c = &loaded.config;
            prop_assert!(
                c.layouts.iter().all(|l| !l.name.is_empty()),
                "{:?}",
                c.layouts
            );
            prop_assert!(c.settings.lua_instruction_limit > 0);
            // The runtime it made still answers.
            let (result, _) = loaded.runtime.eval("1 + 1", &serde_json::Value::Null);
            prop_assert_eq!(result, Ok("2".to_string()));
        }
        Err(problems) => {
            prop_assert!(!problems.is_empty());
            for p in &problems {
                prop_assert!(
                    p.starts_with("fuzz.lua"),
                    "a problem without the file: {p:?}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(300)))]

    #[test]
    fn a_mutated_default_config_never_panics_the_loader(source in mutated()) {
        check_loader(&source)?;
    }

    #[test]
    fn token_soup_never_panics_the_loader(source in soup()) {
        check_loader(&source)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(400) / 10))]

    #[test]
    fn oxtile_check_exits_0_or_1_on_random_configs(source in prop_oneof![mutated(), soup()]) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("config.lua");
        std::fs::write(&path, &source).expect("write the config");
        let out = Command::new(env!("CARGO_BIN_EXE_oxtile"))
            .arg("check")
            .arg(&path)
            .output()
            .expect("run oxtile check");
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0) | Some(1)), "exit {:?}: {}", out.status,
            String::from_utf8_lossy(&out.stderr));
        if code == Some(1) {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let name = path.display().to_string();
            prop_assert!(stderr.starts_with(&name), "stderr: {stderr}");
        }
    }
}
