//! podman and Docker: the Docker-compatible API both serve on their sockets. Lists come
//! from `GET /containers/json?all=1`, changes from the endless `GET /events` stream (one JSON
//! object per event), actions from `POST /containers/<id>/<start|stop|pause|unpause|restart>`.

use std::time::Duration;

use serde::Deserialize;
use ureq_proto::http::Method;

use super::http::{BodyStream, Endpoint, Fault};
use super::model::{first_ipv4, Action, Backend, Container, State, Watch};

/// Where rootful podman listens (`podman system service`, or its systemd socket).
pub const PODMAN_SOCKET: &str = "/run/podman/podman.sock";
/// Where Docker listens.
pub const DOCKER_SOCKET: &str = "/var/run/docker.sock";

/// The sockets tried for podman when none is configured: rootless first (the user's own
/// containers), then rootful.
pub fn podman_sockets() -> Vec<String> {
    let mut out = Vec::new();
    if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR") {
        out.push(format!("{}/podman/podman.sock", dir.to_string_lossy()));
    }
    out.push(PODMAN_SOCKET.to_string());
    out
}

/// A podman or Docker daemon.
pub struct Docker {
    label: String,
    group: &'static str,
    endpoint: Endpoint,
}

impl Docker {
    /// A daemon at `endpoint`, shown as `label`.
    pub fn new(label: &str, group: &'static str, endpoint: Endpoint) -> Docker {
        Docker {
            label: label.to_string(),
            group,
            endpoint,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Summary {
    id: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    network_settings: Option<NetworkSettings>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NetworkSettings {
    #[serde(default)]
    networks: Option<std::collections::BTreeMap<String, Network>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Network {
    #[serde(rename = "IPAddress", default)]
    ip_address: String,
}

/// Parse the body of `GET /containers/json?all=1`.
pub fn parse_containers(label: &str, body: &[u8]) -> Result<Vec<Container>, Fault> {
    let list: Vec<Summary> =
        serde_json::from_slice(body).map_err(|e| Fault::BadAnswer(e.to_string()))?;
    let mut out: Vec<Container> = list
        .into_iter()
        .map(|s| {
            let name = s
                .names
                .first()
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_else(|| s.id.chars().take(12).collect());
            let address = s
                .network_settings
                .and_then(|n| n.networks)
                .and_then(|nets| first_ipv4(nets.values().map(|n| n.ip_address.as_str())));
            Container {
                backend: label.to_string(),
                name,
                state: State::from_docker(&s.state),
                address,
                project: None,
                location: None,
                id: s.id,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The message in a Docker-style error body (`{"message": "..."}`), else the status.
pub fn error_message(status: u16, body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["message"].as_str().map(String::from))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("HTTP {status}"))
}

impl Backend for Docker {
    fn label(&self) -> &str {
        &self.label
    }

    fn group(&self) -> &str {
        self.group
    }

    fn list(&self) -> Result<Vec<Container>, Fault> {
        let r = self
            .endpoint
            .request(Method::GET, "/containers/json?all=1", None)?;
        if r.status != 200 {
            return Err(Fault::Other(error_message(r.status, &r.body)));
        }
        parse_containers(&self.label, &r.body)
    }

    fn watch(&self) -> Result<Box<dyn Watch>, Fault> {
        // filters={"type":["container"]}
        let stream = self
            .endpoint
            .stream("/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D")?;
        Ok(Box::new(Events {
            stream,
            place: self.endpoint.place(),
        }))
    }

    fn act(&self, c: &Container, action: Action) -> Result<String, String> {
        let verb = match action {
            Action::Start => "start",
            Action::Stop => "stop?t=10",
            Action::Freeze => "pause",
            Action::Unfreeze => "unpause",
            Action::Restart => "restart?t=10",
        };
        // Stopping waits for the container: allow its grace period and some.
        let endpoint = self.endpoint.with_timeout(Duration::from_secs(30));
        let r = endpoint
            .request(Method::POST, &format!("/containers/{}/{verb}", c.id), None)
            .map_err(|f| f.message(self.group))?;
        match r.status {
            200..=299 => Ok("done".into()),
            304 => Ok(format!("already {}", c.state.as_str())),
            s => Err(error_message(s, &r.body)),
        }
    }
}

/// The `/events` stream: any bytes mean an event (the list is re-read whole).
struct Events {
    stream: BodyStream,
    place: String,
}

impl Watch for Events {
    fn wait(&mut self, timeout: Duration) -> Result<bool, Fault> {
        match self.stream.next(timeout) {
            Ok(Some(bytes)) => Ok(!bytes.iter().all(u8::is_ascii_whitespace)),
            Ok(None) => Ok(false),
            Err(e) => Err(Fault::from_io(&e, &self.place)),
        }
    }
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
    fn the_captured_podman_list_gives_names_states_and_addresses() {
        let list = parse_containers(
            "podman",
            &sample("podman-docker-compat-containers-sample.json"),
        )
        .expect("parses");
        let seen: Vec<(&str, State, Option<&str>)> = list
            .iter()
            .map(|c| (c.name.as_str(), c.state, c.address.as_deref()))
            .collect();
        assert!(
            seen.contains(&("p-created", State::Stopped, None)),
            "{seen:?}"
        );
        assert!(
            seen.contains(&("p-exited", State::Stopped, None)),
            "{seen:?}"
        );
        assert!(
            seen.contains(&("p-paused", State::Frozen, Some("10.88.0.25"))),
            "{seen:?}"
        );
        assert!(
            seen.iter()
                .any(|(_, s, a)| *s == State::Running && a.is_some()),
            "{seen:?}"
        );
        assert!(
            list.iter().all(|c| c.id.len() == 64),
            "ids kept for actions"
        );
    }

    #[test]
    fn garbage_and_error_bodies_are_faults_with_the_daemons_words() {
        assert!(matches!(
            parse_containers("podman", b"[{\"Id\": 3}]"),
            Err(Fault::BadAnswer(_))
        ));
        assert!(matches!(
            parse_containers("podman", b"not json"),
            Err(Fault::BadAnswer(_))
        ));
        assert_eq!(
            error_message(404, br#"{"cause":"no such container","message":"no container with name or ID \"x\" found: no such container","response":404}"#),
            "no container with name or ID \"x\" found: no such container"
        );
        assert_eq!(error_message(500, b""), "HTTP 500");
    }

    #[test]
    fn the_captured_event_lines_are_container_events() {
        let text = String::from_utf8(sample("podman-docker-events-sample.jsonl")).expect("utf-8");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("event JSON");
            assert_eq!(v["Type"], "container");
        }
    }
}
