//! LXD and Incus: their REST API over the daemon's Unix socket. Lists come from
//! `GET /1.0/instances?recursion=2` (status and addresses in one call), changes from the
//! `/1.0/events?type=lifecycle` WebSocket (any event triggers a re-list, since a clean stop
//! sends only `instance-shutdown`), actions from `PUT /1.0/instances/<name>/state` and the
//! operation it starts.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use ureq_proto::http::Method;

use super::http::{ws_fault, Endpoint, Fault, WebSocket};
use super::model::{first_ipv4, Action, Backend, Container, State, Watch};

/// Where LXD and Incus listen, in the order tried when no `socket` is given.
pub const LXD_SOCKETS: &[&str] = &[
    "/var/lib/lxd/unix.socket",
    "/var/snap/lxd/common/lxd/unix.socket",
];
/// Where Incus listens.
pub const INCUS_SOCKETS: &[&str] = &["/var/lib/incus/unix.socket"];

/// Which projects to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projects {
    /// The daemon's default project.
    Default,
    /// This one.
    Named(String),
    /// Every project.
    All,
}

impl Projects {
    /// From the `project` option: absent, a name, or "all".
    pub fn parse(s: Option<&str>) -> Projects {
        match s {
            None | Some("") => Projects::Default,
            Some("all") | Some("*") => Projects::All,
            Some(p) => Projects::Named(p.to_string()),
        }
    }

    fn query(&self) -> String {
        match self {
            Projects::Default => String::new(),
            Projects::Named(p) => format!("&project={}", encode(p)),
            Projects::All => "&all-projects=true".into(),
        }
    }
}

/// An LXD or Incus daemon.
pub struct Lxd {
    label: String,
    group: &'static str,
    endpoint: Endpoint,
    projects: Projects,
}

impl Lxd {
    /// A daemon at `endpoint`, shown as `label`; `group` is the group granting access.
    pub fn new(label: &str, group: &'static str, endpoint: Endpoint, projects: Projects) -> Lxd {
        Lxd {
            label: label.to_string(),
            group,
            endpoint,
            projects,
        }
    }

    /// GET and unwrap LXD's envelope: its `metadata`, or its error message.
    fn get(&self, path: &str) -> Result<Value, Fault> {
        let r = self.endpoint.request(Method::GET, path, None)?;
        envelope(r.status, &r.body).map_err(|e| match e {
            Envelope::Bad(why) => Fault::BadAnswer(why),
            Envelope::Error(why) => Fault::Other(why),
        })
    }

    fn state_path(&self, c: &Container) -> String {
        let project = match &c.project {
            Some(p) if p != "default" => format!("?project={}", encode(p)),
            _ => String::new(),
        };
        format!("/1.0/instances/{}/state{project}", encode(&c.name))
    }
}

/// Why an LXD answer could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Envelope {
    /// Not LXD's JSON.
    Bad(String),
    /// LXD said no; its message.
    Error(String),
}

/// LXD's answer envelope: `{"type": "sync"|"async"|"error", "metadata": …, "error": …}`.
#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    metadata: Value,
    #[serde(default)]
    operation: String,
}

/// The metadata of a successful answer, or why there is none.
pub fn envelope(status: u16, body: &[u8]) -> Result<Value, Envelope> {
    let a: Answer = serde_json::from_slice(body).map_err(|e| Envelope::Bad(e.to_string()))?;
    if a.kind == "error" || status >= 400 {
        let why = if a.error.is_empty() {
            format!("HTTP {status}")
        } else {
            a.error
        };
        return Err(Envelope::Error(why));
    }
    if a.kind == "async" {
        return Ok(json!({ "operation": a.operation, "metadata": a.metadata }));
    }
    Ok(a.metadata)
}

#[derive(Debug, Deserialize)]
struct Instance {
    name: String,
    status: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    state: Option<InstanceState>,
}

#[derive(Debug, Deserialize)]
struct InstanceState {
    #[serde(default)]
    network: Option<std::collections::BTreeMap<String, Nic>>,
}

#[derive(Debug, Deserialize)]
struct Nic {
    #[serde(default)]
    addresses: Vec<Address>,
}

#[derive(Debug, Deserialize)]
struct Address {
    #[serde(default)]
    family: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    scope: String,
}

/// Parse the `metadata` of `GET /1.0/instances?recursion=2` into containers of `label`.
pub fn parse_instances(label: &str, metadata: Value) -> Result<Vec<Container>, Fault> {
    let list: Vec<Instance> =
        serde_json::from_value(metadata).map_err(|e| Fault::BadAnswer(e.to_string()))?;
    let mut out: Vec<Container> = list
        .into_iter()
        .map(|i| {
            let address = i
                .state
                .as_ref()
                .and_then(|s| s.network.as_ref())
                .and_then(|n| {
                    // Global addresses first, interfaces in name order (eth0 before eth1).
                    first_ipv4(
                        n.values()
                            .flat_map(|nic| nic.addresses.iter())
                            .filter(|a| a.family == "inet" && a.scope == "global")
                            .map(|a| a.address.as_str()),
                    )
                });
            Container {
                backend: label.to_string(),
                id: i.name.clone(),
                name: i.name,
                state: State::from_lxd(&i.status),
                address,
                project: i.project,
                location: i.location.filter(|l| !l.is_empty() && l != "none"),
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.project, &a.name).cmp(&(&b.project, &b.name)));
    Ok(out)
}

impl Backend for Lxd {
    fn label(&self) -> &str {
        &self.label
    }

    fn group(&self) -> &str {
        self.group
    }

    fn list(&self) -> Result<Vec<Container>, Fault> {
        let meta = self.get(&format!(
            "/1.0/instances?recursion=2{}",
            self.projects.query()
        ))?;
        parse_instances(&self.label, meta)
    }

    fn watch(&self) -> Result<Box<dyn Watch>, Fault> {
        let ws = self.endpoint.websocket(&format!(
            "/1.0/events?type=lifecycle{}",
            self.projects.query()
        ))?;
        Ok(Box::new(Events {
            ws,
            place: self.endpoint.place(),
        }))
    }

    fn act(&self, c: &Container, action: Action) -> Result<String, String> {
        let body = json!({
            "action": match action {
                Action::Start => "start",
                Action::Stop => "stop",
                Action::Freeze => "freeze",
                Action::Unfreeze => "unfreeze",
                Action::Restart => "restart",
            },
            // A clean stop, forced by LXD after this many seconds.
            "timeout": 30,
            "force": false,
        });
        let body = body.to_string();
        let r = self
            .endpoint
            .request(Method::PUT, &self.state_path(c), Some(body.as_bytes()))
            .map_err(|f| f.message(self.group))?;
        let op = match envelope(r.status, &r.body) {
            Ok(v) => v,
            Err(Envelope::Error(e)) | Err(Envelope::Bad(e)) => return Err(e),
        };
        let Some(operation) = op["operation"].as_str().filter(|o| !o.is_empty()) else {
            return Ok("done".into());
        };
        // Wait for the operation on a connection allowed to outlive the usual timeout.
        let waiter = self.endpoint.with_timeout(Duration::from_secs(70));
        let r = waiter
            .request(Method::GET, &format!("{operation}/wait?timeout=60"), None)
            .map_err(|f| f.message(self.group))?;
        operation_result(r.status, &r.body)
    }
}

/// The outcome of `GET /1.0/operations/<id>/wait`.
pub fn operation_result(status: u16, body: &[u8]) -> Result<String, String> {
    match envelope(status, body) {
        Ok(meta) => {
            let err = meta["err"].as_str().unwrap_or_default();
            match meta["status"].as_str() {
                Some("Success") => Ok("done".into()),
                _ if !err.is_empty() => Err(err.to_string()),
                Some(other) => Err(format!("operation {}", other.to_lowercase())),
                None => Err("no operation status".into()),
            }
        }
        Err(Envelope::Error(e)) | Err(Envelope::Bad(e)) => Err(e),
    }
}

/// The lifecycle events WebSocket.
struct Events {
    ws: WebSocket,
    place: String,
}

impl Watch for Events {
    fn wait(&mut self, timeout: Duration) -> Result<bool, Fault> {
        self.ws
            .get_ref()
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
            .map_err(|e| Fault::from_io(&e, &self.place))?;
        event_news(self.ws.read(), &self.place)
    }
}

/// What one read of the lifecycle WebSocket at `place` means: news (a text or binary
/// message), none (a ping, a pong, a timeout), or the fault that ended it.
pub fn event_news(
    read: Result<tungstenite::Message, tungstenite::Error>,
    place: &str,
) -> Result<bool, Fault> {
    match read {
        Ok(m) if m.is_text() || m.is_binary() => Ok(true),
        // Pings are answered by tungstenite; they are not news.
        Ok(_) => Ok(false),
        Err(tungstenite::Error::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(ws_fault(e, place)),
    }
}

/// Percent-encode a path segment or query value (instance and project names are plain in
/// practice; this keeps a stray space or '&' from breaking the request).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/src/containers/testdata/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_captured_lxd_list_gives_states_and_addresses() {
        let meta = envelope(200, &sample("lxd-instances-sample.json")).expect("sync answer");
        let list = parse_instances("lxd", meta).expect("parses");
        let seen: Vec<(&str, State, Option<&str>)> = list
            .iter()
            .map(|c| (c.name.as_str(), c.state, c.address.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("c-frozen", State::Frozen, Some("10.123.0.184")),
                ("c-running", State::Running, Some("10.123.0.112")),
                ("c-stopped", State::Stopped, None),
            ]
        );
        assert!(
            list.iter().all(|c| c.location.is_none()),
            "'none' is no location"
        );
        assert_eq!(list[0].project.as_deref(), Some("default"));
    }

    #[test]
    fn cluster_members_and_projects_are_kept() {
        let mut meta = envelope(200, &sample("lxd-instances-sample.json")).expect("sync");
        meta[0]["location"] = json!("node2");
        meta[0]["project"] = json!("lab");
        let list = parse_instances("cluster", meta).expect("parses");
        let moved = list.iter().find(|c| c.name == "c-frozen").expect("listed");
        assert_eq!(moved.location.as_deref(), Some("node2"));
        assert_eq!(moved.project.as_deref(), Some("lab"));
    }

    #[test]
    fn the_captured_incus_list_parses_the_same_way() {
        let meta = envelope(200, &sample("incus-instances-sample.json")).expect("sync");
        let list = parse_instances("incus", meta).expect("parses");
        let states: Vec<State> = list.iter().map(|c| c.state).collect();
        assert_eq!(states, [State::Frozen, State::Running, State::Stopped]);
        assert!(list.iter().all(|c| c.backend == "incus"));
    }

    #[test]
    fn errors_and_garbage_are_told_apart() {
        let e = envelope(
            404,
            br#"{"type":"error","error_code":404,"error":"Instance not found"}"#,
        );
        assert_eq!(e, Err(Envelope::Error("Instance not found".into())));
        assert!(matches!(
            envelope(200, b"{\"type\": \"sync\", "),
            Err(Envelope::Bad(_))
        ));
        // A list of names (recursion=0) is not a list of instances.
        let meta = envelope(200, &sample("lxd-instances-recursion0-sample.json")).expect("sync");
        assert!(matches!(
            parse_instances("lxd", meta),
            Err(Fault::BadAnswer(_))
        ));
    }

    #[test]
    fn operations_report_success_or_the_daemons_error() {
        assert_eq!(
            operation_result(
                200,
                br#"{"type":"sync","metadata":{"status":"Success","err":""}}"#
            ),
            Ok("done".into())
        );
        assert_eq!(
            operation_result(
                200,
                br#"{"type":"sync","metadata":{"status":"Failure","err":"The instance is already stopped"}}"#
            ),
            Err("The instance is already stopped".into())
        );
    }

    #[test]
    fn projects_become_query_parameters() {
        assert_eq!(Projects::parse(None).query(), "");
        assert_eq!(Projects::parse(Some("all")).query(), "&all-projects=true");
        assert_eq!(
            Projects::parse(Some("my proj")).query(),
            "&project=my%20proj"
        );
    }

    #[test]
    fn events_samples_are_lifecycle_json() {
        // What the WebSocket carries: every line is one JSON event naming an instance.
        let text = String::from_utf8(sample("lxd-events-sample.jsonl")).expect("utf-8");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).expect("event JSON");
            assert_eq!(v["type"], "lifecycle");
            assert!(v["metadata"]["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("/1.0/instances/")));
        }
    }
}
