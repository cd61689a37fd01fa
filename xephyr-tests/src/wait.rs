//! Waiting without sleeping blindly: deadlines, a short backoff for the harness's own poll
//! loops, and running a program that is killed if it outlives its deadline.
//! Tests never sleep; they wait on a condition through [`crate::Session::wait_for`].

use std::io;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// A point in time after which a wait gives up.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    end: Instant,
}

impl Deadline {
    /// The deadline `timeout` from now.
    pub fn after(timeout: Duration) -> Self {
        Deadline {
            end: Instant::now() + timeout,
        }
    }

    /// True once the deadline has passed.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.end
    }

    /// Time left, zero once expired.
    pub fn remaining(&self) -> Duration {
        self.end.saturating_duration_since(Instant::now())
    }
}

/// Growing pauses between two polls of a harness wait loop: 2 ms doubling up to 50 ms, never
/// past the deadline. The only place the harness pauses; every caller polls a real condition.
#[derive(Debug)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            next: Duration::from_millis(2),
        }
    }
}

impl Backoff {
    /// Pause before the next poll, at most until `deadline`.
    pub fn pause(&mut self, deadline: &Deadline) {
        let pause = self.next.min(deadline.remaining());
        thread::sleep(pause);
        self.next = (self.next * 2).min(Duration::from_millis(50));
    }
}

/// Run `cmd` to completion, capturing stdout and stderr; kill it and return a `TimedOut`
/// error if it is still running after `timeout`.
pub fn run_with_deadline(mut cmd: Command, timeout: Duration) -> io::Result<Output> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn()?;
    let pid = child.id();
    // wait_with_output reads both pipes while waiting; it runs on a helper thread so that
    // this one can give up at the deadline and kill the child, which ends that thread too.
    let (tx, rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(timeout) {
        Ok(result) => {
            let _ = waiter.join();
            result
        }
        Err(_) => {
            signal(pid, rustix::process::Signal::KILL);
            let _ = waiter.join();
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{cmd:?} still running after {timeout:?}; killed"),
            ))
        }
    }
}

/// Wait for `child` to exit, until `deadline`; `None` if it is still running then.
pub fn wait_child(child: &mut Child, deadline: Deadline) -> Option<ExitStatus> {
    let mut backoff = Backoff::default();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if deadline.expired() => return None,
            Ok(None) => backoff.pause(&deadline),
            Err(_) => return None,
        }
    }
}

/// Stop `child`: SIGTERM, up to `grace` to exit, then SIGKILL. Always reaps it, so no zombie
/// and no process is left behind.
pub fn stop_child(child: &mut Child, grace: Duration) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    signal(child.id(), rustix::process::Signal::TERM);
    if wait_child(child, Deadline::after(grace)).is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Send `sig` to process `pid`, ignoring errors (it may have exited already).
pub fn signal(pid: u32, sig: rustix::process::Signal) {
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, sig);
    }
}

/// True while a process with this id exists (`kill(pid, 0)` succeeds). A reaped child no
/// longer exists; a zombie still does.
pub fn process_exists(pid: u32) -> bool {
    i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .is_some_and(|pid| rustix::process::test_kill_process(pid).is_ok())
}
