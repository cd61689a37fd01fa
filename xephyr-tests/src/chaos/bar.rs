//! The bar door: clicks and scrolls on the bars (XTEST, at the geometry `oxtile cmd
//! widgets` reports), the calendar and the containers list opened, browsed and closed,
//! widget text changed through Lua (`eval` of the globals the chaos config's poll and
//! custom widgets show: lengths from nothing to a megabyte, broken Pango markup, invalid
//! UTF-8 through Lua escapes, values that are not strings, a function that fails), the
//! command widget's file rewritten with any bytes or removed, reloads of the good config,
//! and windows docked into the system tray.
//!
//! What the door set is remembered in [`Door`], so that the invariants can say what the
//! poll, command and custom widgets must show once their feeds ran again.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, CreateWindowAux, EventMask, PropMode, Window,
    WindowClass,
};
use x11rb::wrapper::ConnectionExt as _;

use super::actions::Outcome;
use super::World;

/// What the bar door has set, for the invariants.
#[derive(Debug, Clone)]
pub struct Door {
    /// What the poll widget must show, when known (`None`: a value whose text is not
    /// predicted, or a failing function).
    pub poll: Option<String>,
    /// What the command widget must show, when known (`None`: the file is missing).
    pub command: Option<String>,
    /// Whether the custom widget's colour is valid.
    pub color_ok: bool,
    /// Whether `tostring(chaos_text)`, which the custom widget draws, works.
    pub text_ok: bool,
    /// Every bar window oxtile ever reported: those it no longer reports must be gone.
    pub windows_seen: BTreeSet<Window>,
}

impl Door {
    /// What the chaos config shows at start (and after a good reload).
    pub fn new() -> Door {
        Door {
            poll: Some("chaos".into()),
            command: Some("command".into()),
            color_ok: true,
            text_ok: true,
            windows_seen: BTreeSet::new(),
        }
    }

    /// The good config was loaded again: its Lua globals start over.
    pub fn reloaded(&mut self) {
        self.poll = Some("chaos".into());
        self.color_ok = true;
        self.text_ok = true;
    }

    /// Whether the custom widget's drawing can work.
    pub fn custom_ok(&self) -> bool {
        self.color_ok && self.text_ok
    }
}

impl Default for Door {
    fn default() -> Self {
        Door::new()
    }
}

/// The bars as `oxtile cmd widgets --json` describes them.
pub fn bars(w: &mut World<'_>) -> Result<Vec<Value>, String> {
    let answer = w.ipc.request(&json!({"cmd": "widgets"}))?;
    match answer["result"].as_array() {
        Some(bars) if answer["ok"] == true => Ok(bars.clone()),
        _ => Err(format!("widgets was refused: {answer}")),
    }
}

fn int(v: &Value) -> i32 {
    v.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0)
}

/// A random point of the rectangle of `v` (`x`, `y`, `width`, `height`).
fn point_in(w: &mut World<'_>, v: &Value) -> (i32, i32) {
    let (wd, ht) = (int(&v["width"]).max(1), int(&v["height"]).max(1));
    (
        int(&v["x"]) + w.rng.below(wd as u64) as i32,
        int(&v["y"]) + w.rng.below(ht as u64) as i32,
    )
}

/// A random point over one of the bar's widgets (or anywhere on the bar).
fn point_on_bar(w: &mut World<'_>, bar: &Value, kind: Option<&str>) -> (i32, i32, String) {
    let empty = Vec::new();
    let widgets: Vec<&Value> = bar["widgets"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter(|wd| int(&wd["length"]) > 0 && kind.is_none_or(|k| wd["kind"] == k))
        .collect();
    let (x0, y0) = (int(&bar["x"]), int(&bar["y"]));
    let (width, height) = (int(&bar["width"]).max(1), int(&bar["height"]).max(1));
    let horizontal = width >= height;
    match w.rng.pick(&widgets).copied() {
        Some(wd) if kind.is_some() || w.rng.chance(85) => {
            let along = int(&wd["offset"]) + w.rng.below(int(&wd["length"]) as u64) as i32;
            let across = w.rng.below(if horizontal { height } else { width } as u64) as i32;
            let (x, y) = if horizontal {
                (x0 + along, y0 + across)
            } else {
                (x0 + across, y0 + along)
            };
            (x, y, wd["name"].as_str().unwrap_or("?").to_string())
        }
        _ => {
            let (x, y) = point_in(w, bar);
            (x, y, "the bar".into())
        }
    }
}

/// Click or scroll somewhere on a bar: a widget's span (the group box switches groups, the
/// clock changes format and zone, the containers widget opens its list) or anywhere.
pub fn click(w: &mut World<'_>) -> Outcome {
    let bars = bars(w)?;
    let Some(bar) = w.rng.pick(&bars).cloned() else {
        return Ok("no bar".into());
    };
    let (x, y, what) = point_on_bar(w, &bar, None);
    let button = *w.rng.pick(&[1u8, 1, 1, 2, 3, 4, 5]).unwrap_or(&1);
    w.observer.click(x, y, button);
    Ok(format!("button {button} at {x},{y} on {what}"))
}

/// The popups: open the calendar (the clock's middle button) or the containers list
/// (left), browse one (click a line, scroll), close it (Escape, a click elsewhere).
pub fn popup(w: &mut World<'_>) -> Outcome {
    let bars = bars(w)?;
    let open = bars.iter().find(|b| !b["popup"].is_null()).cloned();
    if let Some(bar) = open {
        let p = bar["popup"].clone();
        return Ok(match w.rng.below(5) {
            0 => {
                w.observer.key(&[], "Escape");
                "Escape on the popup".into()
            }
            1 => {
                let (x, y) = (w.rng.range(0, 1279) as i32, w.rng.range(300, 700) as i32);
                w.observer.click(x, y, 1);
                format!("click elsewhere ({x},{y}) with a popup open")
            }
            _ => {
                let (x, y) = point_in(w, &p);
                let button = *w.rng.pick(&[1u8, 1, 1, 3, 4, 5]).unwrap_or(&1);
                w.observer.click(x, y, button);
                format!(
                    "button {button} at {x},{y} in the popup of widget {} ({} lines)",
                    p["widget"],
                    p["lines"].as_array().map_or(0, Vec::len)
                )
            }
        });
    }
    let (kind, button) = *w
        .rng
        .pick(&[
            ("clock", 2u8),
            ("containers", 1),
            ("clock", 4),
            ("containers", 3),
        ])
        .unwrap_or(&("clock", 2));
    let hosts: Vec<Value> = bars
        .iter()
        .filter(|b| {
            b["widgets"]
                .as_array()
                .is_some_and(|ws| ws.iter().any(|wd| wd["kind"] == kind))
        })
        .cloned()
        .collect();
    let Some(bar) = w.rng.pick(&hosts).cloned() else {
        return Ok(format!("no {kind} widget"));
    };
    let (x, y, what) = point_on_bar(w, &bar, Some(kind));
    w.observer.click(x, y, button);
    Ok(format!("button {button} on {what} at {x},{y}"))
}

/// `s` as a Lua string literal: printable ASCII as it is, every other byte as `\ddd`.
pub fn lua_literal(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\{b:03}"));
        }
    }
    out.push('"');
    out
}

/// Texts for the poll and custom widgets: what each is, its Lua expression, and the text
/// the poll widget then shows when that is known.
fn random_text(w: &mut World<'_>) -> (String, String, Option<String>) {
    let plain = |s: &str| (lua_literal(s.as_bytes()), Some(s.to_string()));
    let (what, (lua, shown)) = match w.rng.below(24) {
        0 => ("empty", plain("")),
        1 => {
            let n = *w.rng.pick(&[100usize, 10_000, 100_000]).unwrap_or(&100);
            (
                "long",
                (format!("string.rep('W', {n})"), Some("W".repeat(n))),
            )
        }
        2 if w.rng.chance(15) => (
            "a megabyte",
            (
                "string.rep('wide ', 209715)".to_string(),
                Some("wide ".repeat(209_715)),
            ),
        ),
        3 => ("unclosed markup", plain("<b>bold <i>and italic")),
        4 => (
            "markup with a bad colour",
            plain("<span foreground='nope'>x</span>"),
        ),
        5 => ("a bad entity", plain("&bogus; & &amp &#xZZ;")),
        6 => ("crossed tags", plain("<i><b>x</i></b>")),
        7 => ("big font", plain("<span font='72'>big</span>")),
        8 => (
            "invalid UTF-8",
            (lua_literal(b"\xff\xfe bad \xc3( \xf0\x9f"), None::<String>),
        ),
        9 => ("NUL bytes", plain("a\0b\0")),
        10 => ("lines and tabs", plain("one\ntwo\tthree\r\n")),
        11 => (
            "right to left",
            plain("\u{202e}txet desrever \u{05d0}\u{05d1}"),
        ),
        12 => (
            "combining marks",
            plain(&"e\u{301}\u{302}\u{303}".repeat(200)),
        ),
        13 => (
            "emoji",
            plain("\u{1f600}\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467} \u{1f1eb}\u{1f1f7}"),
        ),
        14 => ("a number", ("42".into(), Some("42".into()))),
        15 => ("a table", ("{ 1, 2, x = {} }".into(), None)),
        16 => ("nil", ("nil".into(), Some(String::new()))),
        17 => ("a boolean", ("true".into(), Some("true".into()))),
        18 => (
            "a broken __tostring",
            (
                "setmetatable({}, { __tostring = function() error('no') end })".into(),
                None,
            ),
        ),
        19 => ("a function", ("function() end".into(), None)),
        _ => {
            let s = format!("chaos {}", w.rng.below(100_000));
            ("ordinary", plain(&s))
        }
    };
    (what.to_string(), lua, shown)
}

/// Evaluate `code` in oxtile; an error answer is fine (hostile values), no answer is not.
fn eval(w: &mut World<'_>, code: &str) -> Result<bool, String> {
    let answer = w.ipc.request(&json!({"cmd": "eval", "code": code}))?;
    Ok(answer["ok"] == true)
}

/// Change what the poll, custom and command widgets show.
pub fn text(w: &mut World<'_>) -> Outcome {
    match w.rng.below(10) {
        0..=4 => {
            let (what, lua, shown) = random_text(w);
            let ok = eval(w, &format!("chaos_fail = nil chaos_text = {lua}"))?;
            w.bar.poll = if ok { shown } else { None };
            w.bar.text_ok = !what.contains("__tostring");
            Ok(format!("chaos_text = {what} -> ok={ok}"))
        }
        5 => {
            let (lua, what) = *w
                .rng
                .pick(&[
                    ("'a poll that fails'", "a message"),
                    ("{ 'a table' }", "a table"),
                    ("string.rep('e', 100000)", "a long message"),
                ])
                .unwrap_or(&("'x'", "a message"));
            let ok = eval(w, &format!("chaos_fail = {lua}"))?;
            if ok {
                w.bar.poll = None;
            }
            Ok(format!("the poll fails with {what} -> ok={ok}"))
        }
        6 => {
            let (lua, valid) = *w
                .rng
                .pick(&[
                    ("'#ff0000'", true),
                    ("'#abc'", true),
                    ("nil", true),
                    ("'not a colour'", false),
                    ("42", false),
                ])
                .unwrap_or(&("nil", true));
            let ok = eval(w, &format!("chaos_color = {lua}"))?;
            if ok {
                w.bar.color_ok = valid;
            }
            Ok(format!("chaos_color = {lua} -> ok={ok}"))
        }
        _ => command_file(w),
    }
}

/// Rewrite (or remove) the file the command widget shows.
fn command_file(w: &mut World<'_>) -> Outcome {
    let path = w.stage.command_file();
    let (bytes, what): (Option<Vec<u8>>, &str) = match w.rng.below(8) {
        0 => (None, "removed"),
        1 => (Some(Vec::new()), "empty"),
        2 => {
            let n = w.rng.index(300) + 1;
            (Some(w.rng.bytes(n)), "random bytes")
        }
        3 => (
            Some(b"<span foreground='#f00'>red</span> <b>open\n\n".to_vec()),
            "markup",
        ),
        4 if w.rng.chance(20) => (Some(vec![b'x'; 1 << 20]), "a megabyte"),
        5 => (
            Some(b"\xff\xfe\x00 half \xe2\x82".to_vec()),
            "invalid UTF-8",
        ),
        _ => (
            Some(format!("  cmd {}  \n", w.rng.below(1000)).into_bytes()),
            "ordinary",
        ),
    };
    let written = match &bytes {
        Some(b) => std::fs::write(&path, b),
        None => match std::fs::remove_file(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        },
    };
    written.map_err(|e| format!("{}: {e}", path.display()))?;
    // What oxtile shows: the output read as UTF-8 (lossy) and trimmed; a missing file makes
    // `cat` fail with nothing on stdout, which shows the error.
    w.bar.command = bytes.map(|b| String::from_utf8_lossy(&b).trim().to_string());
    Ok(format!("command file {what}"))
}

/// Reload the good config: the bars are built anew, the old windows must go.
pub fn reload(w: &mut World<'_>) -> Outcome {
    let before: Vec<Value> = bars(w)?;
    let answer = w
        .ipc
        .request(&json!({"cmd": "action", "action": {"action": "reload"}}))?;
    if answer["ok"] != true {
        return Err(format!("reload was refused over IPC: {answer}"));
    }
    w.bar.reloaded();
    let after = bars(w)?;
    let windows =
        |bars: &[Value]| -> Vec<u64> { bars.iter().filter_map(|b| b["window"].as_u64()).collect() };
    Ok(format!(
        "reload: bar windows {:x?} -> {:x?}",
        windows(&before),
        windows(&after)
    ))
}

/// Dock a window into the tray as applets do (an `_XEMBED_INFO`, then
/// `SYSTEM_TRAY_REQUEST_DOCK` to the selection owner), or flip the `_XEMBED_INFO` of a
/// window already docked (mapped, unmapped, garbage).
pub fn tray_dock(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let a = w.atoms;
    let owner = w.tray_owner(c);
    if w.rng.chance(30) && !w.conns[c].windows.is_empty() {
        let win = w.pick_window(c);
        let info: Vec<u32> = match w.rng.below(4) {
            0 => vec![0, 0],
            1 => vec![0, 1],
            2 => vec![w.rng.wild_u32()],
            _ => vec![w.rng.wild_u32(), w.rng.wild_u32(), w.rng.wild_u32()],
        };
        let r = w.conns[c]
            .conn
            .change_property32(
                PropMode::REPLACE,
                win,
                a._XEMBED_INFO,
                a._XEMBED_INFO,
                &info,
            )
            .map(drop);
        w.sent(c, r);
        w.flush(c);
        return Ok(format!("conn {c}: _XEMBED_INFO of {win:#x} = {info:x?}"));
    }
    let Ok(win) = w.conns[c].conn.generate_id() else {
        w.conns[c].dead = true;
        return Ok(format!("conn {c}: no more ids"));
    };
    let size = *w.rng.pick(&[16u16, 22, 1, 300]).unwrap_or(&16);
    let r = w.conns[c]
        .conn
        .create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            win,
            w.root,
            0,
            0,
            size,
            size / 2 + 1,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new()
                .background_pixel(w.rng.next_u32() & 0xff_ffff)
                .event_mask(EventMask::STRUCTURE_NOTIFY | EventMask::PROPERTY_CHANGE),
        )
        .map(drop);
    if !w.sent(c, r) {
        return Ok(format!("conn {c}: gone"));
    }
    let flags = u32::from(w.rng.chance(80));
    let conn = &w.conns[c].conn;
    let r = conn
        .change_property32(
            PropMode::REPLACE,
            win,
            a._XEMBED_INFO,
            a._XEMBED_INFO,
            &[0, flags],
        )
        .and_then(|_| {
            conn.change_property8(
                PropMode::REPLACE,
                win,
                AtomEnum::WM_CLASS,
                AtomEnum::STRING,
                b"chaos-icon\0ChaosIcon\0",
            )
        })
        .map(drop);
    w.sent(c, r);
    // Not a dock or desktop: if it ends up mapped on the root, oxtile must manage it.
    w.created(c, win, false);
    let dest = if owner != 0 { owner } else { w.root };
    let ev = ClientMessageEvent::new(32, dest, a._NET_SYSTEM_TRAY_OPCODE, [0, 0, win, 0, 0]);
    let r = w.conns[c]
        .conn
        .send_event(false, dest, EventMask::NO_EVENT, ev)
        .map(drop);
    w.sent(c, r);
    w.flush(c);
    Ok(format!(
        "conn {c}: icon {win:#x} ({size}px, XEMBED mapped={flags}) docks with {owner:#x}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lua_literals_escape_everything_but_printable_ascii() {
        assert_eq!(lua_literal(b"a\"b\\c"), r#""a\034b\092c""#);
        assert_eq!(lua_literal(b"\xff\x00\n"), r#""\255\000\010""#);
        assert_eq!(lua_literal("é".as_bytes()), r#""\195\169""#);
    }
}
