//! Classic LXC (the `lxc-*` tools): containers under an LXC path, listed with
//! `lxc-ls -f -F NAME,STATE,IPV4`, followed with a long-running `lxc-monitor`, driven with
//! `lxc-start`, `lxc-stop`, `lxc-freeze` and `lxc-unfreeze`.
//!
//! Why the tools: they are LXC's stable interface and ask liblxc itself, so the state is
//! the one LXC acts on (FROZEN included) and the IPv4 address comes from inside the
//! container. Linking liblxc would need unsafe FFI and its -dev package to build; reading
//! the freezer cgroup gives neither stopped containers nor addresses, and its path differs
//! between cgroup v1, v2 and LXC versions. One `lxc-ls` per refresh costs milliseconds, and
//! `lxc-monitor` makes refreshes follow changes instead of a timer.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use super::http::Fault;
use super::model::{first_ipv4, Action, Backend, Container, State, Watch};

/// Where LXC keeps containers unless `lxc.lxcpath` says otherwise.
pub const DEFAULT_PATH: &str = "/var/lib/lxc";

/// Containers under one LXC path.
pub struct Lxc {
    label: String,
    path: PathBuf,
    timeout: Duration,
}

impl Lxc {
    /// The containers under `path`, shown as `label`; commands are killed after `timeout`.
    pub fn new(label: &str, path: impl Into<PathBuf>, timeout: Duration) -> Lxc {
        Lxc {
            label: label.to_string(),
            path: path.into(),
            timeout,
        }
    }

    fn tool(&self, name: &str) -> Command {
        let mut c = Command::new(name);
        c.arg("-P").arg(&self.path);
        c
    }
}

/// Parse `lxc-ls -f -F NAME,STATE,IPV4` output.
pub fn parse_ls(label: &str, output: &str) -> Vec<Container> {
    let mut out: Vec<Container> = output
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("NAME"))
        .skip(1)
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?.to_string();
            let state = State::from_lxd(words.next()?);
            // Several addresses are listed as "a, b": the rest of the line.
            let rest: Vec<&str> = words.collect();
            let joined = rest.join(" ");
            let address = first_ipv4(joined.split(','));
            Some(Container {
                backend: label.to_string(),
                id: name.clone(),
                name,
                state,
                address,
                project: None,
                location: None,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Run a command to completion within `timeout`: its stdout, or its stderr as the error.
fn run(cmd: Command, timeout: Duration) -> Result<String, RunError> {
    let out = crate::process::output_within(cmd, timeout).map_err(|e| match e {
        crate::process::RunError::Io(e) => RunError::Spawn(e),
        crate::process::RunError::TimedOut(_) => RunError::Timeout,
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(RunError::Failed(if err.is_empty() {
            format!("exited with {}", out.status)
        } else {
            err
        }))
    }
}

#[derive(Debug)]
enum RunError {
    Spawn(std::io::Error),
    Timeout,
    Failed(String),
}

impl RunError {
    fn fault(self, what: &str) -> Fault {
        match self {
            RunError::Spawn(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Fault::NotRunning(format!("{what} (is lxc installed?)"))
            }
            RunError::Spawn(e) => Fault::Other(format!("{what}: {e}")),
            RunError::Timeout => Fault::Timeout,
            RunError::Failed(e) => Fault::Other(e),
        }
    }

    fn message(self) -> String {
        match self {
            RunError::Spawn(e) => e.to_string(),
            RunError::Timeout => "timed out".into(),
            RunError::Failed(e) => e,
        }
    }
}

impl Backend for Lxc {
    fn label(&self) -> &str {
        &self.label
    }

    fn list(&self) -> Result<Vec<Container>, Fault> {
        match std::fs::read_dir(&self.path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Fault::NotRunning(self.path.display().to_string()))
            }
            Err(e) => return Err(Fault::from_io(&e, &self.path.display().to_string())),
        }
        let mut cmd = self.tool("lxc-ls");
        cmd.args(["-f", "-F", "NAME,STATE,IPV4"]);
        let out = run(cmd, self.timeout).map_err(|e| e.fault("lxc-ls"))?;
        Ok(parse_ls(&self.label, &out))
    }

    fn watch(&self) -> Result<Box<dyn Watch>, Fault> {
        Monitor::start(&self.path)
    }

    fn act(&self, c: &Container, action: Action) -> Result<String, String> {
        let stop = || {
            let mut cmd = self.tool("lxc-stop");
            cmd.args(["-n", &c.name, "-t", "10"]);
            run(cmd, Duration::from_secs(30))
        };
        let simple = |tool: &str| {
            let mut cmd = self.tool(tool);
            cmd.args(["-n", &c.name]);
            run(cmd, Duration::from_secs(30))
        };
        let result = match action {
            Action::Start => simple("lxc-start"),
            Action::Stop => stop(),
            Action::Freeze => simple("lxc-freeze"),
            Action::Unfreeze => simple("lxc-unfreeze"),
            Action::Restart => stop().and_then(|_| simple("lxc-start")),
        };
        result.map(|_| "done".into()).map_err(RunError::message)
    }
}

/// `lxc-monitor` running as a child; its lines arrive through a reader thread so that
/// waiting has a timeout. Dropping it kills the child, which ends the reader.
struct Monitor {
    child: Child,
    lines: Receiver<String>,
}

impl Monitor {
    fn start(path: &Path) -> Result<Box<dyn Watch>, Fault> {
        let mut child = Command::new("lxc-monitor")
            .arg("-P")
            .arg(path)
            .args(["-n", ".*"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Fault::Other(format!("lxc-monitor: {e}")))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Fault::Other("lxc-monitor: no output".into()))?;
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("lxc-monitor".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        if let Err(e) = spawned {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Fault::Other(format!("lxc-monitor: {e}")));
        }
        Ok(Box::new(Monitor { child, lines: rx }))
    }
}

impl Watch for Monitor {
    fn wait(&mut self, timeout: Duration) -> Result<bool, Fault> {
        match self.lines.recv_timeout(timeout) {
            Ok(_) => Ok(true),
            Err(RecvTimeoutError::Timeout) => Ok(false),
            Err(RecvTimeoutError::Disconnected) => Err(Fault::Other("lxc-monitor ended".into())),
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lxc_ls_fancy_output_gives_names_states_and_the_first_address() {
        let out = "NAME         STATE   IPV4\n\
                   oxt-run      RUNNING 10.0.3.15, 10.0.4.1\n\
                   oxt-frz      FROZEN  -\n\
                   oxt-stop     STOPPED -\n";
        let list = parse_ls("lxc", out);
        let seen: Vec<(&str, State, Option<&str>)> = list
            .iter()
            .map(|c| (c.name.as_str(), c.state, c.address.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("oxt-frz", State::Frozen, None),
                ("oxt-run", State::Running, Some("10.0.3.15")),
                ("oxt-stop", State::Stopped, None),
            ]
        );
        assert!(parse_ls("lxc", "").is_empty());
    }

    #[test]
    fn the_captured_monitor_lines_name_lxc_states() {
        let path = format!(
            "{}/src/containers/testdata/lxc-monitor-sample.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("sample");
        let states: Vec<State> = text
            .lines()
            .filter_map(|l| l.split('[').nth(1)?.split(']').next())
            .map(State::from_lxd)
            .collect();
        assert!(states.contains(&State::Frozen));
        assert!(states.contains(&State::Running));
        assert!(states.contains(&State::Stopped));
    }

    #[test]
    fn a_missing_lxc_path_is_a_fault_not_a_crash() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lxc = Lxc::new("lxc", dir.path().join("absent"), Duration::from_secs(5));
        assert!(matches!(lxc.list(), Err(Fault::NotRunning(_))));
    }
}
