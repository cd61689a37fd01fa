//! The container-status widget: counts of running, frozen and stopped containers across
//! LXD/Incus, LXC and podman/Docker, a popup listing them with actions, the
//! `container_change` hook, and every daemon fault shown as a state, never a crash.
//!
//! Each backend runs on its own worker thread ([`worker`]); the widget only takes their
//! news in [`Widget::pump`] on the event loop, so a slow or dead daemon never stalls the
//! bar. Options, formats and the hook are described in docs/containers.md.

pub mod http;
pub mod lxc;
pub mod lxd;
pub mod model;
pub mod podman;
pub mod remote;
pub mod worker;

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};

use self::http::{Endpoint, Fault};
use self::model::{Action, Backend, Container, State};
use self::worker::{News, Timing};
use crate::style::{Options, Rgba};
use crate::text::{self, Text};
use crate::widget::{Button, Click, DrawCx, Request, Waker, Widget, WidgetError};

/// The hook run when a container changes state.
pub const HOOK: &str = "container_change";

/// One configured backend, before it is started.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendSpec {
    /// "lxd", "incus", "lxc", "podman" or "docker".
    pub kind: String,
    /// Shown in the widget (default: the kind).
    pub name: String,
    /// Socket path (LXD, Incus, podman, Docker); `None`: the usual places.
    pub socket: Option<String>,
    /// LXD/Incus project: a name, "all", or `None` for the default.
    pub project: Option<String>,
    /// LXC path (default /var/lib/lxc).
    pub path: Option<String>,
    /// A remote LXD/Incus server, `https://host[:port]`.
    pub url: Option<String>,
    /// The remote's client certificate (default `~/.config/lxc/client.crt`).
    pub cert: Option<String>,
    /// The remote's client key (default `~/.config/lxc/client.key`).
    pub key: Option<String>,
    /// The remote's pinned server certificate (default
    /// `~/.config/lxc/servercerts/<name>.crt`).
    pub server_cert: Option<String>,
}

const KINDS: &[&str] = &["lxd", "incus", "lxc", "podman", "docker"];

impl BackendSpec {
    fn parse(v: &Value) -> Result<BackendSpec, String> {
        let bad = |why: String| format!("widget containers: option 'backends': {why}");
        let (kind, table) = match v {
            Value::String(s) => (s.clone(), Map::new()),
            Value::Object(t) => match t.get("kind") {
                Some(Value::String(k)) => (k.clone(), t.clone()),
                _ => {
                    return Err(bad(
                        "a table entry needs kind = \"lxd\" (or lxc, podman, …)".into(),
                    ))
                }
            },
            other => return Err(bad(format!("entries must be names or tables, got {other}"))),
        };
        if !KINDS.contains(&kind.as_str()) {
            return Err(bad(format!(
                "unknown backend '{kind}' (known: {})",
                KINDS.join(", ")
            )));
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match table.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(bad(format!("'{key}' must be a string, got {other}"))),
            }
        };
        for key in table.keys() {
            let known = [
                "kind",
                "name",
                "socket",
                "project",
                "path",
                "url",
                "cert",
                "key",
                "server_cert",
            ];
            if !known.contains(&key.as_str()) {
                return Err(bad(format!("unknown key '{key}' in the {kind} entry")));
            }
        }
        let url = text("url")?;
        if url.is_some() && !matches!(kind.as_str(), "lxd" | "incus") {
            return Err(bad(format!(
                "'url' is for remote lxd and incus servers, not {kind}"
            )));
        }
        if let Some(u) = &url {
            remote::parse_url(u).map_err(bad)?;
        }
        Ok(BackendSpec {
            name: text("name")?.unwrap_or_else(|| kind.clone()),
            socket: text("socket")?,
            project: text("project")?,
            path: text("path")?,
            url,
            cert: text("cert")?,
            key: text("key")?,
            server_cert: text("server_cert")?,
            kind,
        })
    }

    /// The backend this spec describes. No I/O: sockets are chosen and certificates read
    /// when the worker first connects.
    pub fn build(&self, timeout: Duration) -> Arc<dyn Backend> {
        let sockets = |defaults: Vec<String>| -> Endpoint {
            let candidates = match &self.socket {
                Some(s) => vec![s.into()],
                None => defaults.into_iter().map(Into::into).collect(),
            };
            Endpoint::unix(candidates, timeout)
        };
        let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let projects = lxd::Projects::parse(self.project.as_deref());
        if let Some(url) = &self.url {
            let client = if self.kind == "incus" { "incus" } else { "lxc" };
            let files = remote::RemoteFiles::resolve(
                url,
                &self.name,
                client,
                self.cert.as_deref(),
                self.key.as_deref(),
                self.server_cert.as_deref(),
            );
            let endpoint = Endpoint::remote(files, timeout);
            return Arc::new(lxd::Lxd::new(&self.name, "", endpoint, projects));
        }
        match self.kind.as_str() {
            "lxc" => Arc::new(lxc::Lxc::new(
                &self.name,
                self.path
                    .clone()
                    .unwrap_or_else(|| lxc::DEFAULT_PATH.into()),
                timeout,
            )),
            "incus" => Arc::new(lxd::Lxd::new(
                &self.name,
                "incus-admin",
                sockets(strings(lxd::INCUS_SOCKETS)),
                projects,
            )),
            "podman" => Arc::new(podman::Docker::new(
                &self.name,
                "",
                sockets(podman::podman_sockets()),
            )),
            "docker" => Arc::new(podman::Docker::new(
                &self.name,
                "docker",
                sockets(strings(&[podman::DOCKER_SOCKET])),
            )),
            _ => Arc::new(lxd::Lxd::new(
                &self.name,
                "lxd",
                sockets(strings(lxd::LXD_SOCKETS)),
                projects,
            )),
        }
    }
}

/// Colours of the states on the bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colors {
    /// Running containers.
    pub running: Rgba,
    /// Frozen (paused) containers.
    pub frozen: Rgba,
    /// Stopped containers.
    pub stopped: Rgba,
    /// Any other state.
    pub other: Rgba,
    /// Faults ("lxd: not running").
    pub error: Rgba,
}

/// States last seen by (project, name), for the hook.
type Seen = BTreeMap<(Option<String>, String), State>;

/// Where the popup is.
#[derive(Debug, Clone, PartialEq)]
enum Popup {
    /// The list; each line's container (backend index and key), if it is one.
    List(Vec<Option<(usize, Container)>>),
    /// The actions for one container (line 0 is its title, the last line goes back).
    Actions(usize, Container, Vec<Action>),
    /// An action is running.
    Pending(usize, String, Action),
    /// Showing an action's result.
    Result,
}

/// Live state of a started widget.
struct Running {
    rx: Receiver<News>,
    tx: Sender<News>,
    waker: Waker,
    backends: Vec<Arc<dyn Backend>>,
    // Dropping these tells the workers to stop.
    _stops: Vec<Sender<()>>,
}

/// The container-status widget.
pub struct Containers {
    specs: Vec<BackendSpec>,
    timing: Timing,
    timeout: Duration,
    format: Option<String>,
    colors: Colors,
    running: Option<Running>,
    /// Per backend: the last list (`None` until the first answer, or while unreachable).
    lists: Vec<Option<Vec<Container>>>,
    /// Per backend: the current fault.
    faults: Vec<Option<Fault>>,
    /// Per backend: states last seen, for the hook (kept across outages).
    known: Vec<Option<Seen>>,
    popup: Option<Popup>,
    last_action: Value,
}

impl Containers {
    /// A widget over these backends (not started: no threads, no I/O).
    pub fn new(specs: Vec<BackendSpec>, timing: Timing, timeout: Duration) -> Containers {
        let n = specs.len();
        Containers {
            specs,
            timing,
            timeout,
            format: None,
            colors: Colors {
                running: Rgba::rgb(0x50fa7b),
                frozen: Rgba::rgb(0x8be9fd),
                stopped: Rgba::rgb(0x9e9e9e),
                other: Rgba::rgb(0xf1fa8c),
                error: Rgba::rgb(0xff5555),
            },
            running: None,
            lists: vec![None; n],
            faults: vec![None; n],
            known: vec![None; n],
            popup: None,
            last_action: Value::Null,
        }
    }

    /// Build from options: `backends` (names or tables with kind, name, socket, project,
    /// path), `format`, `interval` and `timeout` (seconds), and the colours
    /// `running_color`, `frozen_color`, `stopped_color`, `other_color`, `error_color`.
    pub fn from_options(o: &Options) -> Result<Containers, String> {
        let specs = match o.get("backends") {
            None => vec![BackendSpec::parse(&json!("lxd"))?],
            Some(Value::Array(a)) if !a.is_empty() => a
                .iter()
                .map(BackendSpec::parse)
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => {
                return Err(format!(
                    "widget containers: option 'backends' must be a list like {{\"lxd\", \"lxc\", \"podman\"}}, got {other}"
                ))
            }
        };
        let interval = o.number("interval", 5.0, 0.05, 86_400.0)?;
        let timeout = o.number("timeout", 5.0, 0.05, 600.0)?;
        let timing = Timing {
            interval: Duration::from_secs_f64(interval),
            retry: Duration::from_millis(500),
            retry_max: Duration::from_secs(30),
        };
        let mut w = Containers::new(specs, timing, Duration::from_secs_f64(timeout));
        w.format = o.opt_string("format")?.filter(|f| !f.is_empty());
        let c = w.colors;
        w.colors = Colors {
            running: o.color("running_color", c.running)?,
            frozen: o.color("frozen_color", c.frozen)?,
            stopped: o.color("stopped_color", c.stopped)?,
            other: o.color("other_color", c.other)?,
            error: o.color("error_color", c.error)?,
        };
        Ok(w)
    }

    /// Start with these backends instead of building them from the specs (tests).
    pub fn start_with(&mut self, backends: Vec<Arc<dyn Backend>>, waker: Waker) {
        let (tx, rx) = mpsc::channel();
        let mut stops = Vec::new();
        for (i, b) in backends.iter().enumerate() {
            let (stop_tx, stop_rx) = mpsc::channel();
            stops.push(stop_tx);
            let (b, tx, waker, timing) = (b.clone(), tx.clone(), waker.clone(), self.timing);
            let spawned = std::thread::Builder::new()
                .name(format!("containers-{}", b.label()))
                .spawn(move || worker::run(i, b, timing, tx, waker, stop_rx));
            if let (Err(e), Some(fault)) = (spawned, self.faults.get_mut(i)) {
                *fault = Some(Fault::Other(format!("cannot start a worker: {e}")));
            }
        }
        self.running = Some(Running {
            rx,
            tx,
            waker,
            backends,
            _stops: stops,
        });
    }

    fn containers(&self) -> impl Iterator<Item = &Container> {
        self.lists.iter().flatten().flatten()
    }

    fn label(&self, i: usize) -> &str {
        self.specs.get(i).map_or("?", |s| s.name.as_str())
    }

    fn counts(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for c in self.containers() {
            n[match c.state {
                State::Running => 0,
                State::Frozen => 1,
                State::Stopped => 2,
                _ => 3,
            }] += 1;
        }
        n
    }

    fn fault_lines(&self) -> Vec<String> {
        self.faults
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let group = self
                    .running
                    .as_ref()
                    .and_then(|r| r.backends.get(i))
                    .map_or(String::new(), |b| b.group().to_string());
                f.as_ref()
                    .map(|f| format!("{}: {}", self.label(i), f.message(&group)))
            })
            .collect()
    }

    /// What the bar shows, as Pango markup (`markup`) or plain text.
    fn render_text(&self, markup: bool) -> String {
        let paint = |color: Rgba, s: &str| {
            if markup {
                format!(
                    "<span foreground=\"#{:06x}\">{}</span>",
                    color.to_argb() & 0xff_ffff,
                    escape(s)
                )
            } else {
                s.to_string()
            }
        };
        let [running, frozen, stopped, other] = self.counts();
        let mut parts = Vec::new();
        match &self.format {
            Some(f) => {
                let names = |want: Option<State>| {
                    self.containers()
                        .filter(|c| want.is_none_or(|s| c.state == s))
                        .map(|c| {
                            if markup {
                                escape(&c.name)
                            } else {
                                c.name.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let s = f
                    .replace("{running}", &running.to_string())
                    .replace("{frozen}", &frozen.to_string())
                    .replace("{stopped}", &stopped.to_string())
                    .replace("{other}", &other.to_string())
                    .replace("{total}", &(running + frozen + stopped + other).to_string())
                    .replace("{running_names}", &names(Some(State::Running)))
                    .replace("{frozen_names}", &names(Some(State::Frozen)))
                    .replace("{stopped_names}", &names(Some(State::Stopped)))
                    .replace("{names}", &names(None));
                parts.push(s);
            }
            None => {
                parts.push(paint(self.colors.running, &format!("▶{running}")));
                if frozen > 0 {
                    parts.push(paint(self.colors.frozen, &format!("❚❚{frozen}")));
                }
                if stopped > 0 {
                    parts.push(paint(self.colors.stopped, &format!("■{stopped}")));
                }
                if other > 0 {
                    parts.push(paint(self.colors.other, &format!("?{other}")));
                }
            }
        }
        for line in self.fault_lines() {
            parts.push(paint(self.colors.error, &line));
        }
        parts.join(" ")
    }

    /// The popup's list of containers and faults.
    fn list_popup(&mut self) -> Vec<Request> {
        let mut lines = Vec::new();
        let mut entries = Vec::new();
        for i in 0..self.specs.len() {
            let label = self.label(i).to_string();
            if let Some(f) = &self.faults[i] {
                let group = self
                    .running
                    .as_ref()
                    .and_then(|r| r.backends.get(i))
                    .map_or(String::new(), |b| b.group().to_string());
                lines.push(format!("{label}: {}", f.message(&group)));
                entries.push(None);
            }
            for c in self.lists[i].iter().flatten() {
                let mut line = format!(
                    "{label}  {}  {}  {}",
                    display_name(c),
                    c.state.as_str(),
                    c.address.as_deref().unwrap_or("-")
                );
                if let Some(l) = &c.location {
                    line.push_str(&format!("  @{l}"));
                }
                lines.push(line);
                entries.push(Some((i, c.clone())));
            }
        }
        if lines.is_empty() {
            lines.push("no containers".into());
            entries.push(None);
        }
        self.popup = Some(Popup::List(entries));
        vec![Request::Popup(lines)]
    }

    /// Diff a new list against what was last seen: the hook requests to run.
    fn hooks_for(&mut self, i: usize, new: &[Container]) -> Vec<Request> {
        let label = self.label(i).to_string();
        let now: Seen = new
            .iter()
            .map(|c| ((c.project.clone(), c.name.clone()), c.state))
            .collect();
        let Some(before) = self.known[i].replace(now.clone()) else {
            // The first list after start is the starting point, not a change.
            return Vec::new();
        };
        let hook = |name: &str, old: Option<State>, new: Option<State>| {
            let word = |s: Option<State>| s.map_or(Value::Null, |s| json!(s.as_str()));
            Request::Hook(
                HOOK.into(),
                vec![json!(label), json!(name), word(old), word(new)],
            )
        };
        let mut out = Vec::new();
        for (key, state) in &now {
            let old = before.get(key).copied();
            if old != Some(*state) {
                out.push(hook(&key.1, old, Some(*state)));
            }
        }
        for (key, state) in &before {
            if !now.contains_key(key) {
                out.push(hook(&key.1, Some(*state), None));
            }
        }
        out
    }

    /// Take one piece of news; whether the bar changed, and requests to pass on.
    fn take(&mut self, news: News) -> (bool, Vec<Request>) {
        match news {
            News::Snapshot {
                backend,
                containers,
            } => {
                if backend >= self.lists.len() {
                    return (false, Vec::new());
                }
                let hooks = self.hooks_for(backend, &containers);
                let changed = self.lists[backend].as_ref() != Some(&containers)
                    || self.faults[backend].is_some();
                self.lists[backend] = Some(containers);
                self.faults[backend] = None;
                (changed, hooks)
            }
            News::Fault { backend, fault } => {
                if backend >= self.lists.len() {
                    return (false, Vec::new());
                }
                let mut changed = self.faults[backend].as_ref() != Some(&fault);
                // Out of reach: its containers are unknown. A glitch: keep the last list.
                if fault.unreachable() && self.lists[backend].take().is_some() {
                    changed = true;
                }
                self.faults[backend] = Some(fault);
                (changed, Vec::new())
            }
            News::Done {
                backend,
                name,
                action,
                result,
            } => {
                let label = self.label(backend).to_string();
                let line = match &result {
                    Ok(msg) => format!("{label} {name}: {}: {msg}", action.as_str()),
                    Err(e) => format!("{label} {name}: {} failed: {e}", action.as_str()),
                };
                self.last_action = json!({
                    "backend": label,
                    "name": name,
                    "action": action.as_str(),
                    "ok": result.is_ok(),
                    "message": match &result { Ok(m) | Err(m) => m.clone() },
                });
                let mut requests = Vec::new();
                if self.popup == Some(Popup::Pending(backend, name.clone(), action)) {
                    self.popup = Some(Popup::Result);
                    requests.push(Request::Popup(vec![line]));
                }
                (false, requests)
            }
        }
    }
}

/// A container's name as listed: with its project when it is not the default one.
fn display_name(c: &Container) -> String {
    match &c.project {
        Some(p) if p != "default" => format!("{}/{}", p, c.name),
        _ => c.name.clone(),
    }
}

/// Escape text for Pango markup.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

impl Widget for Containers {
    fn kind(&self) -> &'static str {
        "containers"
    }

    fn text(&self) -> String {
        self.render_text(false)
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        text::width(cr, &Text::markup(self.render_text(true)), &cx.style.font)
            + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let pad = cx.style.padding;
        text::draw(
            cr,
            &Text::markup(self.render_text(true)),
            &cx.style.font,
            cx.style.foreground,
            pad as f64,
            cx.height,
            Some(cx.width.saturating_sub(2 * pad)),
        );
        Ok(())
    }

    fn click(&mut self, click: Click) -> (bool, Vec<Request>) {
        match click.button {
            Button::Left => (false, self.list_popup()),
            _ => (false, Vec::new()),
        }
    }

    fn start(&mut self, waker: Waker) {
        if self.running.is_some() {
            return;
        }
        let backends = self.specs.iter().map(|s| s.build(self.timeout)).collect();
        self.start_with(backends, waker);
    }

    fn pump(&mut self) -> (bool, Vec<Request>) {
        let mut news = Vec::new();
        if let Some(r) = &self.running {
            while let Ok(n) = r.rx.try_recv() {
                news.push(n);
            }
        }
        let mut changed = false;
        let mut requests = Vec::new();
        for n in news {
            let (c, r) = self.take(n);
            changed |= c;
            requests.extend(r);
        }
        (changed, requests)
    }

    /// Closed from outside: an action still running reports in `last_action` (and the
    /// log), not in a popup that grabs the keyboard again.
    fn popup_closed(&mut self) {
        self.popup = None;
    }

    fn popup_choice(&mut self, line: usize) -> (bool, Vec<Request>) {
        match self.popup.take() {
            Some(Popup::List(entries)) => match entries.get(line).cloned().flatten() {
                Some((i, c)) => {
                    let actions = c.state.actions().to_vec();
                    let mut lines = vec![format!(
                        "{} ({}, {})",
                        display_name(&c),
                        self.label(i),
                        c.state.as_str()
                    )];
                    lines.extend(
                        actions
                            .iter()
                            .map(|a| format!("  {} {}", a.as_str(), display_name(&c))),
                    );
                    lines.push("  ← back".into());
                    self.popup = Some(Popup::Actions(i, c, actions));
                    (false, vec![Request::Popup(lines)])
                }
                None => {
                    self.popup = Some(Popup::List(entries));
                    (false, Vec::new())
                }
            },
            Some(Popup::Actions(i, c, actions)) => {
                let chosen = line.checked_sub(1).and_then(|k| actions.get(k)).copied();
                match (chosen, &self.running) {
                    (Some(action), Some(r)) => {
                        let Some(backend) = r.backends.get(i).cloned() else {
                            return (false, vec![Request::ClosePopup]);
                        };
                        worker::act(i, backend, c.clone(), action, r.tx.clone(), r.waker.clone());
                        let line = format!(
                            "{} {}: {}…",
                            self.label(i),
                            display_name(&c),
                            action.as_str()
                        );
                        self.popup = Some(Popup::Pending(i, c.name, action));
                        (false, vec![Request::Popup(vec![line])])
                    }
                    // The title line and "back" return to the list.
                    _ => (false, self.list_popup()),
                }
            }
            Some(Popup::Pending(..)) | Some(Popup::Result) | None => {
                (false, vec![Request::ClosePopup])
            }
        }
    }

    fn state(&self) -> Value {
        let backends: Vec<Value> = self
            .specs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (status, message) = match (&self.faults[i], &self.lists[i]) {
                    (Some(f), _) => {
                        let group = self
                            .running
                            .as_ref()
                            .and_then(|r| r.backends.get(i))
                            .map_or(String::new(), |b| b.group().to_string());
                        (f.status(), f.message(&group))
                    }
                    (None, Some(_)) => ("ok", String::new()),
                    (None, None) => ("connecting", String::new()),
                };
                json!({ "name": s.name, "kind": s.kind, "status": status, "message": message })
            })
            .collect();
        json!({
            "containers": self.containers().collect::<Vec<_>>(),
            "backends": backends,
            "last_action": self.last_action,
        })
    }
}

#[cfg(test)]
mod tests;
