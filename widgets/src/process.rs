//! Running a program to completion with a deadline, on the calling (worker) thread: its
//! output is collected by a reader thread (so a chatty program never blocks on a full pipe),
//! and a program past its deadline is killed. Used by the `command` widget and the LXC
//! backend; never call it on the event loop.

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Why a program gave no output.
#[derive(Debug)]
pub enum RunError {
    /// It could not be started (or waited for).
    Io(std::io::Error),
    /// It ran past its deadline and was killed.
    TimedOut(Duration),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Io(e) => write!(f, "{e}"),
            RunError::TimedOut(d) => write!(f, "timed out after {}s", d.as_secs()),
        }
    }
}

/// Run `cmd` (stdin closed, stdout and stderr captured) and wait at most `timeout`.
pub fn output_within(mut cmd: Command, timeout: Duration) -> Result<Output, RunError> {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(RunError::Io)?;
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("process-output".into())
        .spawn(move || {
            let _ = tx.send(child.wait_with_output());
        })
        .map_err(RunError::Io)?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result.map_err(RunError::Io),
        Err(_) => {
            if let Some(pid) = i32::try_from(pid)
                .ok()
                .and_then(rustix::process::Pid::from_raw)
            {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
            Err(RunError::TimedOut(timeout))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_collected_and_a_slow_program_is_killed() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "echo hi; echo oops >&2"]);
        let out = output_within(cmd, Duration::from_secs(10)).expect("runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "oops\n");
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "exec sleep 30"]);
        let err = output_within(cmd, Duration::from_millis(200)).expect_err("killed");
        assert!(matches!(err, RunError::TimedOut(_)), "{err}");
        let err = output_within(Command::new("/nonexistent/program"), Duration::from_secs(1));
        assert!(matches!(err, Err(RunError::Io(_))));
    }
}
