//! The worker thread behind each backend: list, then follow events (or poll when there are
//! none), reconnect with backoff when the daemon goes away, and post news to the widget.
//! The timing rules (backoff, when to log) are plain functions of durations, tested alone.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use super::http::Fault;
use super::model::{Action, Backend, Container, Watch};
use crate::widget::Waker;

/// What a worker tells the widget.
#[derive(Debug, Clone, PartialEq)]
pub enum News {
    /// A fresh, complete list of backend `backend`'s containers.
    Snapshot {
        /// Index of the backend in the widget's list.
        backend: usize,
        /// Its containers.
        containers: Vec<Container>,
    },
    /// Backend `backend` could not be read.
    Fault {
        /// Index of the backend.
        backend: usize,
        /// What went wrong.
        fault: Fault,
    },
    /// An action finished.
    Done {
        /// Index of the backend.
        backend: usize,
        /// The container's name.
        name: String,
        /// What was asked.
        action: Action,
        /// The runtime's answer.
        result: Result<String, String>,
    },
}

/// Delays between reconnection attempts: `first`, doubling, at most `max`.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    /// A backoff starting at `first`, capped at `max`.
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            first,
            max,
            next: first,
        }
    }

    /// The delay before the next attempt.
    pub fn next_delay(&mut self) -> Duration {
        let d = self.next;
        self.next = (self.next * 2).min(self.max);
        d
    }

    /// The daemon answered: start from `first` again next time.
    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

/// Logs a fault once, not once per retry: a daemon that stays down for an hour writes two
/// lines (down, back), not thousands.
#[derive(Debug, Default)]
pub struct LogGate {
    last: Option<String>,
}

impl LogGate {
    /// Whether this fault is news (it differs from the last one logged).
    pub fn fault(&mut self, message: &str) -> bool {
        if self.last.as_deref() == Some(message) {
            return false;
        }
        self.last = Some(message.to_string());
        true
    }

    /// Whether a recovery is news (a fault was logged before it).
    pub fn recovered(&mut self) -> bool {
        self.last.take().is_some()
    }
}

/// How a worker runs.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Poll period when there are no events, and the longest a list may be stale.
    pub interval: Duration,
    /// First reconnection delay.
    pub retry: Duration,
    /// Longest reconnection delay.
    pub retry_max: Duration,
}

/// Run one backend until the widget goes away (its channel closes) or `stop` says so.
pub fn run(
    index: usize,
    backend: Arc<dyn Backend>,
    timing: Timing,
    tx: Sender<News>,
    waker: Waker,
    stop: Receiver<()>,
) {
    let label = backend.label().to_string();
    let post = |news: News| -> bool {
        if tx.send(news).is_err() {
            return false;
        }
        waker();
        true
    };
    // Sleep that ends early when the widget is dropped; false means stop.
    let pause =
        |d: Duration| -> bool { matches!(stop.recv_timeout(d), Err(RecvTimeoutError::Timeout)) };
    let mut backoff = Backoff::new(timing.retry, timing.retry_max);
    let mut gate = LogGate::default();
    let mut watch: Option<Box<dyn Watch>> = None;
    let mut watch_failed_logged = false;
    loop {
        match backend.list() {
            Ok(containers) => {
                backoff.reset();
                if gate.recovered() {
                    tracing::info!("containers: {label}: answering again");
                }
                if !post(News::Snapshot {
                    backend: index,
                    containers,
                }) {
                    return;
                }
            }
            Err(fault) => {
                let message = fault.message(backend.group());
                if gate.fault(&message) {
                    tracing::warn!("containers: {label}: {message}");
                } else {
                    tracing::debug!("containers: {label}: still {message}");
                }
                let unreachable = fault.unreachable();
                if !post(News::Fault {
                    backend: index,
                    fault,
                }) {
                    return;
                }
                watch = None;
                // Unreachable: retry with backoff. A bad answer: the daemon is there but
                // garbled; try again on the poll period.
                let delay = if unreachable {
                    backoff.next_delay()
                } else {
                    backoff.next_delay().max(timing.interval)
                };
                if !pause(delay) {
                    return;
                }
                continue;
            }
        }
        if watch.is_none() {
            match backend.watch() {
                Ok(w) => {
                    watch = Some(w);
                    watch_failed_logged = false;
                }
                Err(e) => {
                    if !watch_failed_logged {
                        tracing::info!(
                            "containers: {label}: no event stream ({}); polling every {:?}",
                            e.message(backend.group()),
                            timing.interval
                        );
                        watch_failed_logged = true;
                    }
                }
            }
        }
        match watch.as_mut() {
            Some(w) => match wait_events(w.as_mut(), timing.interval, &stop) {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => {
                    tracing::debug!(
                        "containers: {label}: event stream ended: {}",
                        e.message(backend.group())
                    );
                    watch = None;
                }
            },
            None => {
                if !pause(timing.interval) {
                    return;
                }
            }
        }
    }
}

/// Wait for an event or the poll period, in short slices so that a dropped widget stops the
/// worker promptly; then let a burst of events settle. Ok(false): stop.
fn wait_events(w: &mut dyn Watch, interval: Duration, stop: &Receiver<()>) -> Result<bool, Fault> {
    let slice = Duration::from_millis(500).min(interval);
    let mut waited = Duration::ZERO;
    loop {
        if !matches!(stop.try_recv(), Err(std::sync::mpsc::TryRecvError::Empty)) {
            return Ok(false);
        }
        if w.wait(slice)? {
            break;
        }
        waited += slice;
        if waited >= interval {
            return Ok(true);
        }
    }
    // One change often comes as several events (stopping, stopped): take them together.
    for _ in 0..20 {
        if !w.wait(Duration::from_millis(30))? {
            break;
        }
    }
    Ok(true)
}

/// Run one action on its own thread and post the result.
pub fn act(
    index: usize,
    backend: Arc<dyn Backend>,
    container: Container,
    action: Action,
    tx: Sender<News>,
    waker: Waker,
) {
    let spawned = std::thread::Builder::new()
        .name(format!("containers-{}", action.as_str()))
        .spawn(move || {
            let result = backend.act(&container, action);
            if tx
                .send(News::Done {
                    backend: index,
                    name: container.name.clone(),
                    action,
                    result,
                })
                .is_ok()
            {
                waker();
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("containers: cannot start a worker: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Mutex};

    #[test]
    fn backoff_doubles_to_its_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_millis(500), Duration::from_secs(4));
        let delays: Vec<u128> = (0..6).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 4000, 4000]);
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_millis(500));
    }

    #[test]
    fn a_lasting_fault_is_logged_once_and_its_end_once() {
        let mut g = LogGate::default();
        assert!(!g.recovered(), "nothing to recover from");
        assert!(g.fault("not running"));
        assert!(!g.fault("not running"));
        assert!(!g.fault("not running"));
        assert!(g.fault("timed out"), "a different fault is news");
        assert!(g.recovered());
        assert!(!g.recovered());
    }

    /// A backend whose list answers come from a script.
    struct Scripted {
        answers: Mutex<Vec<Result<Vec<Container>, Fault>>>,
        calls: AtomicUsize,
    }

    impl Backend for Scripted {
        fn label(&self) -> &str {
            "scripted"
        }
        fn list(&self) -> Result<Vec<Container>, Fault> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let mut a = self.answers.lock().expect("lock");
            if a.is_empty() {
                Err(Fault::NotRunning("/x".into()))
            } else {
                a.remove(0)
            }
        }
        fn watch(&self) -> Result<Box<dyn Watch>, Fault> {
            Err(Fault::Other("no events".into()))
        }
        fn act(&self, _: &Container, _: Action) -> Result<String, String> {
            Ok("ok".into())
        }
    }

    #[test]
    fn the_worker_posts_lists_and_faults_and_stops_when_the_widget_goes() {
        let c = Container {
            backend: "scripted".into(),
            name: "a".into(),
            state: super::super::model::State::Running,
            address: None,
            project: None,
            location: None,
            id: "a".into(),
        };
        let backend = Arc::new(Scripted {
            answers: Mutex::new(vec![
                Ok(vec![c.clone()]),
                Err(Fault::BadAnswer("expected value at line 1".into())),
            ]),
            calls: AtomicUsize::new(0),
        });
        let (tx, rx) = mpsc::channel();
        let (stop_tx, stop_rx) = mpsc::channel();
        let woken = Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        let waker: Waker = Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        });
        let timing = Timing {
            interval: Duration::from_millis(1),
            retry: Duration::from_millis(1),
            retry_max: Duration::from_millis(2),
        };
        let b: Arc<dyn Backend> = backend.clone();
        let t = std::thread::spawn(move || run(0, b, timing, tx, waker, stop_rx));
        let deadline = Duration::from_secs(10);
        assert_eq!(
            rx.recv_timeout(deadline).expect("first"),
            News::Snapshot {
                backend: 0,
                containers: vec![c]
            }
        );
        assert!(matches!(
            rx.recv_timeout(deadline).expect("second"),
            News::Fault {
                fault: Fault::BadAnswer(_),
                ..
            }
        ));
        assert!(matches!(
            rx.recv_timeout(deadline).expect("third"),
            News::Fault {
                fault: Fault::NotRunning(_),
                ..
            }
        ));
        drop(stop_tx);
        t.join().expect("worker ends when told");
        assert!(
            woken.load(Ordering::SeqCst) >= 3,
            "each news wakes the loop"
        );
    }
}
