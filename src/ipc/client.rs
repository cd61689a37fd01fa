//! `oxtile cmd`: turn command-line words into a request, send it, print the answer as
//! JSON (`--json`) or as readable text.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

use serde_json::Value;

use super::{Request, Response};
use crate::action::Action;

/// Every command `oxtile cmd` knows, in the order `oxtile cmd --help` and docs/cli.md give
/// them (a test checks that each is understood and documented).
pub const COMMANDS: &[&str] = &[
    "windows",
    "groups",
    "screens",
    "layout",
    "focused",
    "errors",
    "stats",
    "widgets",
    "sync",
    "focus",
    "kill",
    "to-group",
    "move-to-group",
    "next-layout",
    "prev-layout",
    "set-layout",
    "spawn",
    "clock-zone",
    "reload",
    "restart",
    "quit",
    "action",
    "eval",
];

/// Build a request from `oxtile cmd` words, e.g. `["to-group", "2"]`.
pub fn request_from_args(args: &[String]) -> Result<Request, String> {
    let (cmd, rest) = args
        .split_first()
        .ok_or("no command given (try: oxtile cmd windows)")?;
    let arg = |what: &str| -> Result<String, String> {
        rest.first()
            .cloned()
            .ok_or_else(|| format!("'{cmd}' needs {what}"))
    };
    let window = || -> Result<u32, String> {
        let s = arg("a window id")?;
        parse_window(&s).ok_or_else(|| format!("not a window id: {s}"))
    };
    let action = |a: Action| Ok(Request::Action { action: a });
    let screen = || -> Result<usize, String> {
        let s = arg("a screen index (0 is the first)")?;
        s.parse().map_err(|_| format!("not a screen index: {s}"))
    };
    match cmd.as_str() {
        "windows" => Ok(Request::Windows),
        "groups" => Ok(Request::Groups),
        "screens" => Ok(Request::Screens),
        "layout" => Ok(Request::Layout),
        "focused" => Ok(Request::Focused),
        "errors" => Ok(Request::Errors),
        "sync" => Ok(Request::Sync),
        "stats" => Ok(Request::Stats),
        "widgets" => Ok(Request::Widgets),
        "eval" => Ok(Request::Eval {
            code: rest.join(" "),
        }),
        "focus" => action(Action::FocusWindow { window: window()? }),
        "kill" if rest.is_empty() => action(Action::Kill),
        "kill" => action(Action::KillWindow { window: window()? }),
        "to-group" => action(Action::ToGroup {
            group: arg("a group name")?,
        }),
        "move-to-group" => action(Action::MoveToGroup {
            group: arg("a group name")?,
        }),
        "next-layout" => action(Action::NextLayout),
        "prev-layout" => action(Action::PrevLayout),
        "set-layout" => action(Action::SetLayout {
            name: arg("a layout name")?,
        }),
        "spawn" => action(Action::Spawn {
            cmd: rest.join(" "),
        }),
        "clock-zone" => match rest {
            [widget, zone] => action(Action::SetClockZone {
                widget: widget.clone(),
                zone: zone.clone(),
            }),
            [zone] => action(Action::SetClockZone {
                widget: "clock".into(),
                zone: zone.clone(),
            }),
            _ => Err("'clock-zone' needs [WIDGET] ZONE".into()),
        },
        "next-screen" => action(Action::NextScreen),
        "prev-screen" => action(Action::PrevScreen),
        "to-screen" => action(Action::ToScreen { screen: screen()? }),
        "move-to-screen" => action(Action::MoveToScreen { screen: screen()? }),
        "move-to-next-screen" => action(Action::MoveToNextScreen),
        "move-to-prev-screen" => action(Action::MoveToPrevScreen),
        "minimize" => action(Action::Minimize),
        "toggle-scratchpad" => action(Action::ToggleScratchpad {
            name: arg("a scratchpad name")?,
        }),
        "reload" => action(Action::Reload),
        "restart" => action(Action::Restart),
        "quit" => action(Action::Quit),
        "action" => serde_json::from_str(&arg("an action as JSON")?)
            .map(|a| Request::Action { action: a })
            .map_err(|e| format!("bad action JSON: {e}")),
        other => Err(format!(
            "unknown command '{other}' ({})",
            COMMANDS.join(", ")
        )),
    }
}

fn parse_window(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Send one request and read the answer.
pub fn send(socket: &Path, request: &Request) -> Result<Response, String> {
    let mut stream = UnixStream::connect(socket)
        .map_err(|e| format!("cannot reach oxtile at {}: {e}", socket.display()))?;
    let line = serde_json::to_string(request).map_err(|e| e.to_string())?;
    // A refusal (another user, too many connections) may be written and the connection
    // closed before the request is sent: the write fails, but the answer is there to read.
    let written = writeln!(stream, "{line}");
    let mut answer = String::new();
    let read = BufReader::new(stream).read_line(&mut answer);
    match (written, read) {
        (Err(e), Err(_) | Ok(0)) => Err(e.to_string()),
        (_, Err(e)) => Err(e.to_string()),
        _ => serde_json::from_str(&answer).map_err(|e| format!("bad answer from oxtile: {e}")),
    }
}

/// Readable text for an answer (what `oxtile cmd` prints without `--json`).
pub fn to_text(request: &Request, result: &Value) -> String {
    let s = |v: &Value, k: &str| -> String {
        match &v[k] {
            Value::String(s) => s.clone(),
            Value::Null => "-".into(),
            other => other.to_string(),
        }
    };
    match request {
        Request::Windows => result
            .as_array()
            .map(|ws| {
                ws.iter()
                    .map(|w| {
                        format!(
                            "{}{:#010x}  {:<4} {}x{}+{}+{}  pid {}@{}  {}  {}",
                            if w["focused"] == Value::Bool(true) {
                                "*"
                            } else {
                                " "
                            },
                            w["id"].as_u64().unwrap_or(0),
                            s(w, "group"),
                            s(w, "width"),
                            s(w, "height"),
                            s(w, "x"),
                            s(w, "y"),
                            s(w, "pid"),
                            match s(w, "machine").as_str() {
                                "" => "-".to_string(),
                                m => m.to_string(),
                            },
                            s(w, "class"),
                            s(w, "title")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Request::Groups => result
            .as_array()
            .map(|gs| {
                gs.iter()
                    .map(|g| {
                        format!(
                            "{}{:<6} {:<10} screen {:<3} {} windows",
                            if g["focused"] == Value::Bool(true) {
                                "*"
                            } else {
                                " "
                            },
                            s(g, "name"),
                            s(g, "layout"),
                            s(g, "screen"),
                            g["windows"].as_array().map_or(0, |w| w.len())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Request::Screens => result
            .as_array()
            .map(|ss| {
                ss.iter()
                    .map(|x| {
                        format!(
                            "{}: {}x{}+{}+{} group {}",
                            s(x, "index"),
                            s(x, "width"),
                            s(x, "height"),
                            s(x, "x"),
                            s(x, "y"),
                            s(x, "group")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Request::Widgets => result
            .as_array()
            .map(|bars| {
                bars.iter()
                    .flat_map(|b| {
                        let head = format!(
                            "bar {} (screen {}, {})",
                            s(b, "bar"),
                            s(b, "screen"),
                            s(b, "position")
                        );
                        let widgets = b["widgets"].as_array().cloned().unwrap_or_default();
                        let tray = b["tray"].is_object().then(|| {
                            format!(
                                "  tray: {}, {} icon(s) shown",
                                s(&b["tray"], "status"),
                                s(&b["tray"], "count")
                            )
                        });
                        std::iter::once(head)
                            .chain(widgets.into_iter().map(move |w| {
                                format!(
                                    "  {:<14} {:<12} {}",
                                    s(&w, "name"),
                                    s(&w, "kind"),
                                    s(&w, "text")
                                )
                            }))
                            .chain(tray)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Request::Layout => {
            let params = result["state"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| format!(" {k}={v}"))
                        .collect::<String>()
                })
                .unwrap_or_default();
            format!("{} {}{params}", s(result, "group"), s(result, "layout"))
        }
        Request::Errors => result
            .as_array()
            .map(|es| {
                es.iter()
                    .filter_map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Request::Focused if result.is_null() => "(none)".into(),
        Request::Focused => format!(
            "{:#010x} {} {}",
            result["id"].as_u64().unwrap_or(0),
            s(result, "class"),
            s(result, "title")
        ),
        _ => match result {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn command_words_become_requests() {
        assert_eq!(
            request_from_args(&words("windows")).unwrap(),
            Request::Windows
        );
        assert_eq!(
            request_from_args(&words("focus 0x400001")).unwrap(),
            Request::Action {
                action: Action::FocusWindow { window: 0x400001 }
            }
        );
        assert_eq!(
            request_from_args(&words("eval return 1 + 1")).unwrap(),
            Request::Eval {
                code: "return 1 + 1".into()
            }
        );
        assert!(request_from_args(&words("focus banana")).is_err());
        assert!(request_from_args(&words("to-group")).is_err());
        assert!(request_from_args(&words("frobnicate")).is_err());
        assert!(request_from_args(&[]).is_err());
    }
}
