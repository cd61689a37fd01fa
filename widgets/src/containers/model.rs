//! What every backend reports, whatever its daemon: containers with a normalised state,
//! the actions users can take on them, and the [`Backend`] trait each runtime implements.

use std::time::Duration;

use serde::Serialize;

use super::http::Fault;

/// A container's state, the same words for every runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Running.
    Running,
    /// Frozen (LXD/LXC) or paused (podman/Docker).
    Frozen,
    /// Stopped, exited or created but never started.
    Stopped,
    /// On its way up.
    Starting,
    /// On its way down (or freezing, thawing, being removed).
    Stopping,
    /// The runtime says it is broken (LXD `Error`, Docker `dead`).
    Error,
    /// A state we do not know.
    Unknown,
}

impl State {
    /// The word used in JSON, hooks and the popup.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Frozen => "frozen",
            State::Stopped => "stopped",
            State::Starting => "starting",
            State::Stopping => "stopping",
            State::Error => "error",
            State::Unknown => "unknown",
        }
    }

    /// From LXD's / Incus's `status` ("Running", "Frozen", …) or LXC's ("RUNNING", …).
    pub fn from_lxd(status: &str) -> State {
        match status.to_ascii_lowercase().as_str() {
            "running" | "thawed" => State::Running,
            // LXC passes through FREEZING for a moment: it is frozen for all a user cares.
            "frozen" | "freezing" => State::Frozen,
            "stopped" => State::Stopped,
            "starting" => State::Starting,
            "stopping" | "aborting" => State::Stopping,
            "error" => State::Error,
            _ => State::Unknown,
        }
    }

    /// From Docker's and podman's `State` ("running", "paused", "exited", …).
    pub fn from_docker(state: &str) -> State {
        match state.to_ascii_lowercase().as_str() {
            "running" => State::Running,
            "paused" => State::Frozen,
            "exited" | "created" | "configured" | "stopped" | "initialized" => State::Stopped,
            "restarting" => State::Starting,
            "removing" | "stopping" => State::Stopping,
            "dead" => State::Error,
            _ => State::Unknown,
        }
    }

    /// The actions that make sense from this state, in popup order.
    pub fn actions(self) -> &'static [Action] {
        match self {
            State::Running => &[Action::Stop, Action::Freeze, Action::Restart],
            State::Frozen => &[Action::Unfreeze, Action::Stop],
            State::Stopped => &[Action::Start],
            State::Error | State::Unknown => &[Action::Start, Action::Stop],
            State::Starting | State::Stopping => &[Action::Stop],
        }
    }
}

/// What a user can ask of a container from the popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Start it.
    Start,
    /// Stop it (cleanly, with a timeout after which the runtime forces it).
    Stop,
    /// Freeze (pause) it.
    Freeze,
    /// Thaw (unpause) it.
    Unfreeze,
    /// Stop and start it.
    Restart,
}

impl Action {
    /// The word shown in the popup and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Stop => "stop",
            Action::Freeze => "freeze",
            Action::Unfreeze => "unfreeze",
            Action::Restart => "restart",
        }
    }
}

/// One container as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Container {
    /// The backend's name as configured ("lxd", "podman", or a remote's name).
    pub backend: String,
    /// The container's name.
    pub name: String,
    /// Its state.
    pub state: State,
    /// Its first global IPv4 address, if it has one.
    pub address: Option<String>,
    /// The LXD project it belongs to (LXD and Incus only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The cluster member it runs on (LXD and Incus clusters only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// What the API calls it by (podman's and Docker's id; the name elsewhere).
    #[serde(skip)]
    pub id: String,
}

impl Container {
    /// Key identifying it within its backend across refreshes.
    pub fn key(&self) -> (String, Option<String>, String) {
        (
            self.backend.clone(),
            self.project.clone(),
            self.name.clone(),
        )
    }
}

/// A container runtime, read and driven from worker threads (never the event loop).
pub trait Backend: Send + Sync {
    /// The name shown in the widget ("lxd", "podman", …).
    fn label(&self) -> &str;

    /// The group that grants access to the socket, for the "no access" hint ("" if none).
    fn group(&self) -> &str {
        ""
    }

    /// Every container with its state.
    fn list(&self) -> Result<Vec<Container>, Fault>;

    /// Start following the runtime's events; `Err` when it has none or they failed
    /// (the worker then polls).
    fn watch(&self) -> Result<Box<dyn Watch>, Fault>;

    /// Carry out `action` on `container`: a short success message, or the runtime's error.
    fn act(&self, container: &Container, action: Action) -> Result<String, String>;
}

/// A stream of "something changed" from a runtime.
pub trait Watch: Send {
    /// Wait at most `timeout`: `Ok(true)` when an event came, `Ok(false)` when none did,
    /// `Err` when the stream broke (the daemon went away).
    fn wait(&mut self, timeout: Duration) -> Result<bool, Fault>;
}

/// The first global IPv4 address in a list of (family, address, scope) candidates.
pub fn first_ipv4<'a>(addresses: impl IntoIterator<Item = &'a str>) -> Option<String> {
    addresses
        .into_iter()
        .map(str::trim)
        .find(|a| {
            a.parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| !ip.is_loopback() && !ip.is_unspecified())
        })
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_words_map_to_one_vocabulary() {
        assert_eq!(State::from_lxd("Running"), State::Running);
        assert_eq!(State::from_lxd("FROZEN"), State::Frozen);
        assert_eq!(State::from_lxd("Stopped"), State::Stopped);
        assert_eq!(State::from_lxd("Error"), State::Error);
        assert_eq!(State::from_lxd("weird"), State::Unknown);
        assert_eq!(State::from_docker("paused"), State::Frozen);
        assert_eq!(State::from_docker("exited"), State::Stopped);
        assert_eq!(State::from_docker("created"), State::Stopped);
        assert_eq!(State::from_docker("dead"), State::Error);
        assert_eq!(
            serde_json::to_value(State::Frozen).expect("json"),
            serde_json::json!("frozen")
        );
    }

    #[test]
    fn actions_offered_depend_on_the_state() {
        assert_eq!(State::Stopped.actions(), &[Action::Start]);
        assert!(State::Running.actions().contains(&Action::Freeze));
        assert!(State::Frozen.actions().contains(&Action::Unfreeze));
        assert!(!State::Frozen.actions().contains(&Action::Start));
    }

    #[test]
    fn the_first_address_skips_loopback_and_non_ipv4() {
        assert_eq!(
            first_ipv4(["127.0.0.1", "fe80::1", "10.0.0.5", "10.0.0.6"]),
            Some("10.0.0.5".into())
        );
        assert_eq!(first_ipv4(["", "-", "::1"]), None);
    }
}
