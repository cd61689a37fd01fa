//! The prompt door: the run, group, window and Lua prompts and the password prompts opened
//! (IPC actions, some of them invalid, or their key bindings), random keys typed into them
//! through XTEST (letters, digits, Return, Escape, Tab, BackSpace, the editing keys,
//! Control chords, and Unicode keysyms put on spare keycodes: accents, an emoji, a
//! combining mark, a right-to-left override, NUL, a lone surrogate, beyond Unicode), left
//! open or closed; and the clipboard a password was put on, asked for with every target
//! and taken away.
//!
//! Safety: oxtile runs with an empty `PATH` (see [`super::Stage`]) and the typed text never
//! holds a space or punctuation, so whatever the run prompt is made to run is a single word
//! that can only be a shell builtin without arguments. The password that is typed (the
//! `type = true` binding) has no symbols. The invariants close whatever prompt is open
//! (Escape) and check that oxtile holds the keyboard exactly while one is.

use serde_json::json;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _};
use x11rb::CURRENT_TIME;

use super::actions::Outcome;
use super::World;

/// Unicode keysyms put on spare keycodes (first column, Shift column).
const UNICODE: &[[u32; 2]] = &[
    [0xfc, 0xdc],               // ü Ü
    [0x20ac, 0x6d6],            // € ж
    [0x0101_f600, 0x0100_0301], // 😀, a combining acute accent
    [0x0100_202e, 0x0100_0000], // right-to-left override, NUL
    [0x0100_d800, 0x0110_ffff], // a lone surrogate, the last code point
    [0x0111_0000, 0x1008_ff13], // beyond Unicode, XF86AudioRaiseVolume
];

/// The prompt door's keys.
#[derive(Debug, Clone, Default)]
pub struct Door {
    /// Keycodes holding [`UNICODE`], once bound.
    unicode: Option<Vec<u8>>,
}

/// Open a prompt: by an IPC action (some of them invalid: an unknown kind, options a
/// password prompt refuses) or by its key binding.
fn open(w: &mut World<'_>) -> Result<String, String> {
    if w.rng.chance(40) {
        let (mods, key): (&[&str], &str) = *w
            .rng
            .pick(&[
                (&["mod4"][..], "r"),
                (&["mod4"][..], "g"),
                (&["mod4"][..], "slash"),
                (&["mod4"][..], "semicolon"),
                (&["mod4"][..], "p"),
                (&["mod4"][..], "o"),
            ])
            .unwrap_or(&(&["mod4"][..], "r"));
        w.observer.key(mods, key);
        return Ok(format!("key {mods:?}+{key}"));
    }
    let action = match w.rng.below(8) {
        0 => json!({"action": "prompt", "kind": "run"}),
        1 => json!({"action": "prompt", "kind": "group"}),
        2 => json!({"action": "prompt", "kind": "window"}),
        3 => json!({"action": "prompt", "kind": "lua"}),
        4 => json!({"action": "prompt", "kind": "nope"}),
        5 => json!({"action": "password_prompt", "scheme": "sha512-2013", "length": 6,
                    "clipboard_seconds": 0.3, "mask": ""}),
        6 => json!({"action": "password_prompt", "length": 0, "scheme": "lesspass"}),
        _ => json!({"action": "password_prompt", "scheme": "pbkdf2-sha512", "length": 4,
                    "clipboard_seconds": 0.2, "prefill": true, "confirm_new_site": true}),
    };
    let answer = w.ipc.request(&json!({"cmd": "action", "action": action}))?;
    Ok(format!("{action} -> ok={}", answer["ok"]))
}

/// Type one random key; what it was.
fn type_key(w: &mut World<'_>) -> Result<String, String> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    match w.rng.below(20) {
        0..=9 => {
            let c = *w.rng.pick(LETTERS).unwrap_or(&b'a') as char;
            let name = c.to_string();
            // Shift only on letters: shifted digits are punctuation.
            if c.is_ascii_alphabetic() && w.rng.chance(15) {
                w.observer.key(&["shift"], &name);
            } else {
                w.observer.key(&[], &name);
            }
            Ok(name)
        }
        10..=14 => {
            let key = *w
                .rng
                .pick(&[
                    "Return",
                    "Tab",
                    "Tab",
                    "BackSpace",
                    "Delete",
                    "Left",
                    "Right",
                    "Home",
                    "End",
                    "Up",
                    "Down",
                    "Escape",
                ])
                .unwrap_or(&"Tab");
            w.observer.key(&[], key);
            Ok(key.to_string())
        }
        15 => {
            let key = *w.rng.pick(&["u", "w", "a", "e"]).unwrap_or(&"u");
            w.observer.key(&["control"], key);
            Ok(format!("Control+{key}"))
        }
        _ => {
            if w.prompt.unicode.is_none() {
                w.prompt.unicode = Some(w.observer.bind_spare_keycodes(UNICODE));
            }
            let codes = w.prompt.unicode.clone().unwrap_or_default();
            let Some(i) = (!codes.is_empty()).then(|| w.rng.index(codes.len())) else {
                return Ok("no spare keycode".into());
            };
            let shift = w.rng.chance(40);
            w.observer.press_keycode(codes[i], shift);
            Ok(format!("keysym {:#x}", UNICODE[i][usize::from(shift)]))
        }
    }
}

/// Open a prompt, type into it, and leave it open or close it (Escape, or a click on a
/// bar, which also ends a prompt).
pub fn prompt(w: &mut World<'_>) -> Outcome {
    let opened = open(w)?;
    let n = w.rng.range(0, 14);
    let mut typed = Vec::new();
    for _ in 0..n {
        typed.push(type_key(w)?);
    }
    let end = match w.rng.below(3) {
        0 => {
            w.observer.key(&[], "Escape");
            "closed with Escape"
        }
        _ => "left open",
    };
    Ok(format!("{opened}; typed [{}]; {end}", typed.join(" ")))
}

/// The clipboard a password may be on: asked for with a target oxtile answers or one it
/// refuses, into a property or none, and now and then taken by a chaos window.
pub fn clipboard(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let conn = &w.conns[c].conn;
    let intern = |name: &str| -> u32 {
        conn.intern_atom(false, name.as_bytes())
            .ok()
            .and_then(|k| k.reply().ok())
            .map_or(0, |r| r.atom)
    };
    let selection = if w.rng.chance(70) {
        intern("CLIPBOARD")
    } else {
        AtomEnum::PRIMARY.into()
    };
    if w.rng.chance(15) {
        let r = conn
            .set_selection_owner(win, selection, CURRENT_TIME)
            .map(drop);
        w.sent(c, r);
        w.flush(c);
        return Ok(format!("conn {c}: {win:#x} takes selection {selection}"));
    }
    let target = match w.rng.below(7) {
        0 => intern("TARGETS"),
        1 => w.atoms.UTF8_STRING,
        2 => AtomEnum::STRING.into(),
        3 => intern("TIMESTAMP"),
        4 => intern("x-kde-passwordManagerHint"),
        5 => w.rng.wild_u32(),
        _ => intern("image/png"),
    };
    let property = if w.rng.chance(80) {
        intern("CHAOS_SELECTION")
    } else {
        x11rb::NONE
    };
    let time = if w.rng.chance(80) {
        CURRENT_TIME
    } else {
        w.rng.next_u32()
    };
    let r = conn
        .convert_selection(win, selection, target, property, time)
        .map(drop);
    w.sent(c, r);
    w.flush(c);
    Ok(format!(
        "conn {c}: {win:#x} asks for selection {selection} as {target}"
    ))
}
