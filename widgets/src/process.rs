//! Running a program to completion with a deadline, on the calling (worker) thread: its
//! output is collected by a reader thread (so a chatty program never blocks on a full pipe),
//! and a program past its deadline is killed with everything it started (it runs in a
//! process group of its own, and the whole group gets SIGKILL). Used by the `command` widget
//! and the LXC backend; never call it on the event loop.

use std::os::unix::process::CommandExt;
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
            RunError::TimedOut(d) => write!(f, "timed out after {d:?}; killed"),
        }
    }
}

/// Run `cmd` (stdin closed, stdout and stderr captured, in a new process group) and wait at
/// most `timeout`; past it, the process group is killed (a shell's children with it, so the
/// output pipes close and the reader thread ends).
pub fn output_within(mut cmd: Command, timeout: Duration) -> Result<Output, RunError> {
    let child = cmd
        .process_group(0)
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
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
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
        assert_eq!(err.to_string(), "timed out after 200ms; killed");
        let err = output_within(Command::new("/nonexistent/program"), Duration::from_secs(1));
        assert!(matches!(err, Err(RunError::Io(_))));
    }

    /// Whether `pid` has ended (gone, or a zombie waiting for its new parent).
    fn ended(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z')),
        }
    }

    #[test]
    fn a_timed_out_shell_is_killed_with_the_programs_it_started() {
        let dir = std::env::temp_dir().join(format!("oxtile-process-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let pidfile = dir.join("child.pid");
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(format!("sleep 600 & echo $! > {}; wait", pidfile.display()));
        let err = output_within(cmd, Duration::from_millis(300)).expect_err("killed");
        assert!(matches!(err, RunError::TimedOut(_)), "{err}");
        let pid = std::fs::read_to_string(&pidfile).expect("the shell wrote its child's pid");
        let pid = pid.trim();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !ended(pid) {
            assert!(
                std::time::Instant::now() < deadline,
                "the shell's child {pid} still runs after the timeout"
            );
            std::thread::yield_now();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
