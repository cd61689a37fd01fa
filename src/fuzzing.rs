//! Fuzzing bodies for the pure decoders: each takes any bytes, runs them through the real
//! decoder and asserts what must hold whatever the input (no panic, sane output). Two
//! runners share them:
//!
//! - `scripts/fuzz` runs `fuzz/fuzz_targets/<name>.rs` under libFuzzer (cargo-fuzz), one
//!   line each calling the body of [`TARGETS`] of that name;
//! - `tests/decoders_fuzz.rs` runs every body on random bytes (proptest) and on every file
//!   of `tests/fuzz-regressions/<name>/`, the inputs that once broke a decoder or are
//!   worth keeping, so CI holds them without cargo-fuzz.
//!
//! The X decoders' bodies live in `x11/fuzz.rs` (X is spoken only there), the widgets'
//! in `oxtile_widgets::fuzzing`. Not an API: the bodies panic on purpose when an
//! invariant breaks. docs/reliability.md has the targets and the last long run.

use crate::action::Action;
use crate::config::mods;
use crate::core::client::SizeHints;
use crate::ipc::{client, parse_request, server, Request};
use crate::keysym as keysyms;
use crate::lua::LuaRuntime;

pub use crate::x11::fuzz::{client_message, properties};
pub use oxtile_widgets::fuzzing::{clock_format, container_http, containers, Reader, SEP};

/// A fuzzing body: any bytes in; a panic means an invariant broke.
pub type Body = fn(&[u8]);

/// Every fuzz target: its name (of `fuzz/fuzz_targets/<name>.rs` and of
/// `tests/fuzz-regressions/<name>/`) and its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("client_message", client_message),
    ("properties", properties),
    ("keysym", keysym),
    ("binding", binding),
    ("ipc", ipc),
    ("clock_format", clock_format),
    ("containers", containers),
    ("container_http", container_http),
];

/// What holds for size hints however absurd the client's: sizes within X's 15 bits, max
/// at least min, increments positive, sanitising idempotent, and constraining `w`×`h`
/// gives a real size.
pub fn check_size_hints(s: &SizeHints, w: u32, h: u32) {
    for (x, y) in [s.min, s.max, s.inc, s.base].into_iter().flatten() {
        assert!(x <= 32767 && y <= 32767, "{s:?}");
    }
    if let (Some(min), Some(max)) = (s.min, s.max) {
        assert!(max.0 >= min.0 && max.1 >= min.1, "{s:?}");
    }
    assert!(s.inc.is_none_or(|(x, y)| x > 0 && y > 0), "{s:?}");
    let (cw, ch) = s.constrain(w, h);
    assert!(cw >= 1 && ch >= 1, "{s:?} constrains {w}x{h} to {cw}x{ch}");
    assert_eq!(s.sanitized(), *s, "sanitising twice changes nothing");
}

/// Key names and modifier names as configs write them: a name that resolves has a
/// canonical name resolving to the same keysym, and so does every named keysym value;
/// suggestions (asked when the value is a multiple of 8) are real names; a modifier name
/// is one modifier.
///
/// Input: 4 bytes of keysym value, then the text (a name, or modifiers joined by `+`).
pub fn keysym(data: &[u8]) {
    let mut r = Reader::new(data);
    let value = r.u32();
    let text = String::from_utf8_lossy(r.rest());

    if let Some(sym) = keysyms::from_name(&text) {
        let name = keysyms::name(sym)
            .unwrap_or_else(|| panic!("{text:?} is keysym {sym:#x}, which has no name"));
        assert_eq!(keysyms::from_name(&name), Some(sym), "{text:?} → {name:?}");
    }
    if let Some(name) = keysyms::name(value) {
        assert_eq!(
            keysyms::from_name(&name),
            Some(value),
            "{value:#x} → {name:?}"
        );
    }
    // Suggestions compare with every name, slow under the fuzzer's instrumentation: one
    // input in eight asks for them.
    if value.is_multiple_of(8) {
        let suggestions = keysyms::suggest(&text);
        assert!(suggestions.len() <= 3);
        for s in &suggestions {
            assert!(
                keysyms::from_name(s).is_some(),
                "suggested {s:?} for {text:?}"
            );
        }
    }
    for name in text.split('+') {
        if let Some(mask) = mods::parse(name.trim()) {
            assert_eq!(mask.count_ones(), 1, "{name:?}");
            assert_eq!(mods::names(mask).len(), 1, "{name:?}");
        }
    }
}

/// A Lua string literal holding `bytes` exactly (every byte escaped).
fn lua_string(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 4 * bytes.len());
    s.push('"');
    for b in bytes {
        s.push_str(&format!("\\{b:03}"));
    }
    s.push('"');
    s
}

/// `oxtile.key(mods, key, action)` with any strings, through the real binding parser (a
/// config loaded by Lua): it binds exactly when every modifier and the key are known
/// names, to the keysym and mask those names have; otherwise every problem names the
/// line and `oxtile.key`.
///
/// Input: the modifiers (`"mod4+shift"`), [`SEP`], the key name.
pub fn binding(data: &[u8]) {
    let mut r = Reader::new(data);
    let (mod_bytes, key_bytes) = (r.piece(), r.rest());
    let source = format!(
        "oxtile.key({}, {}, oxtile.lazy.kill())\n",
        lua_string(mod_bytes),
        lua_string(key_bytes)
    );
    let mod_text = String::from_utf8_lossy(mod_bytes);
    let mask = if mod_text.is_empty() {
        Some(0)
    } else {
        mod_text
            .split('+')
            .try_fold(0, |mask, name| Some(mask | mods::parse(name.trim())?))
    };
    let sym = keysyms::from_name(&String::from_utf8_lossy(key_bytes));
    match LuaRuntime::load_str("binding.lua", &source) {
        Ok(loaded) => {
            let (mask, sym) = (
                mask.expect("bound with unknown modifiers"),
                sym.expect("bound an unknown key"),
            );
            assert!(
                loaded
                    .config
                    .keys
                    .iter()
                    .any(|k| (k.mods, k.keysym, &k.action) == (mask, sym, &Action::Kill)),
                "{mask:#x}+{sym:#x} not bound"
            );
        }
        Err(problems) => {
            assert!(mask.is_none() || sym.is_none(), "refused: {problems:?}");
            for p in &problems {
                assert!(p.starts_with("binding.lua:1: oxtile.key: "), "{p}");
            }
        }
    }
}

/// A request as JSON survives the trip through a line: what is sent is what is read.
fn round_trip(request: &Request) {
    let line = serde_json::to_string(request).expect("a request serialises");
    assert!(!line.contains('\n'), "one line: {line}");
    assert_eq!(parse_request(&line).as_ref(), Ok(request), "{line}");
}

/// IPC: a line from a client socket (as the server reads it) is a request or a "bad
/// request" answer, never a panic; and whatever `oxtile cmd` builds from any words, the
/// server reads back as the same request.
///
/// Input: the line, [`SEP`], then the words of `oxtile cmd` separated by NUL bytes.
pub fn ipc(data: &[u8]) {
    let mut r = Reader::new(data);
    let line = r.piece();
    match server::request_of_line(line.to_vec()) {
        None => assert!(std::str::from_utf8(line).is_ok_and(|l| l.trim().is_empty())),
        Some(Err(e)) => assert!(e.starts_with("bad request"), "{e}"),
        Some(Ok(request)) => round_trip(&request),
    }
    let words: Vec<String> = r
        .rest()
        .split(|&b| b == 0)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    match client::request_from_args(&words) {
        Ok(request) => round_trip(&request),
        Err(e) => assert!(!e.is_empty()),
    }
}
