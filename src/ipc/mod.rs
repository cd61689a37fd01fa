//! IPC: JSON lines over a Unix socket at `$XDG_RUNTIME_DIR/oxtile/<display>.sock`.
//! [`server`] accepts connections on its own threads and hands each request to the event
//! loop through a channel; [`client`] is `oxtile cmd`. The protocol types live here.

pub mod client;
pub mod server;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::action::Action;

/// One request: a JSON object with a `cmd` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Every managed window.
    Windows,
    /// Every group.
    Groups,
    /// Every screen.
    Screens,
    /// The current group's layout.
    Layout,
    /// The focused window, or null.
    Focused,
    /// Problems found in the config (the WM runs on the fallback when there are any).
    Errors,
    /// Returns once every event received before it was handled and pushed to X.
    Sync,
    /// Counters of the event loop (turns, X events, layouts pushed).
    Stats,
    /// Every bar and its widgets (name, kind, text, state).
    Widgets,
    /// Run an action.
    Action {
        /// The action.
        action: Action,
    },
    /// Evaluate Lua code in the running config (like awesome-client).
    Eval {
        /// The code.
        code: String,
    },
}

/// One reply line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Whether the request succeeded.
    pub ok: bool,
    /// The answer, when `ok`.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub result: Value,
    /// What went wrong, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Response {
    /// A success.
    pub fn ok(result: Value) -> Self {
        Response {
            ok: true,
            result,
            error: None,
        }
    }

    /// A failure.
    pub fn err(msg: impl Into<String>) -> Self {
        Response {
            ok: false,
            result: Value::Null,
            error: Some(msg.into()),
        }
    }
}

/// Parse one request line; a malformed one is an error message for the client.
pub fn parse_request(line: &str) -> Result<Request, String> {
    serde_json::from_str(line.trim()).map_err(|e| format!("bad request: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_as_json_lines() {
        let r = Request::Action {
            action: Action::ToGroup { group: "2".into() },
        };
        let line = serde_json::to_string(&r).unwrap();
        assert_eq!(
            line,
            r#"{"cmd":"action","action":{"action":"to_group","group":"2"}}"#
        );
        assert_eq!(parse_request(&line).unwrap(), r);
        assert_eq!(parse_request(r#"{"cmd":"sync"}"#).unwrap(), Request::Sync);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "null",
            r#"{"cmd":"nope"}"#,
            "\u{0}\u{1}",
            r#"{"cmd":"action"}"#,
        ] {
            assert!(parse_request(bad).is_err(), "{bad:?} accepted");
        }
    }
}
