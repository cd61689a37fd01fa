//! Lua timers as plain data: deadlines on an injected clock, one-shot or repeating. The
//! runtime asks which are due and calls their callbacks; nothing here sleeps or reads a clock.

use std::time::{Duration, Instant};

/// A timer's handle, as `oxtile.timer{}` returns it to Lua.
pub type TimerId = u64;

/// One pending timer with its payload (the Lua callback).
#[derive(Debug)]
struct Timer<T> {
    id: TimerId,
    deadline: Instant,
    interval: Option<Duration>,
    payload: T,
}

/// The pending timers.
#[derive(Debug)]
pub struct Timers<T> {
    next_id: TimerId,
    pending: Vec<Timer<T>>,
}

impl<T> Default for Timers<T> {
    fn default() -> Self {
        Timers {
            next_id: 1,
            pending: Vec::new(),
        }
    }
}

impl<T: Clone> Timers<T> {
    /// Schedule `payload` at `now + timeout`, again every `timeout` when `repeat`.
    pub fn add(&mut self, now: Instant, timeout: Duration, repeat: bool, payload: T) -> TimerId {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.push(Timer {
            id,
            deadline: now + timeout,
            interval: repeat.then_some(timeout),
            payload,
        });
        id
    }

    /// Forget a timer; stopping one that already ran or stopped is fine.
    pub fn stop(&mut self, id: TimerId) {
        self.pending.retain(|t| t.id != id);
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Instant> {
        self.pending.iter().map(|t| t.deadline).min()
    }

    /// Take every timer due at `now`, earliest first: one-shots are removed, repeating ones
    /// move to their next deadline (skipping periods missed while the loop was busy, rather
    /// than firing them in a burst). Returns their ids and payloads.
    pub fn take_due(&mut self, now: Instant) -> Vec<(TimerId, T)> {
        let mut due: Vec<(Instant, TimerId, T)> = self
            .pending
            .iter()
            .filter(|t| t.deadline <= now)
            .map(|t| (t.deadline, t.id, t.payload.clone()))
            .collect();
        due.sort_by_key(|(deadline, id, _)| (*deadline, *id));
        self.pending.retain_mut(|t| {
            if t.deadline > now {
                return true;
            }
            match t.interval {
                Some(every) => {
                    t.deadline += every;
                    if t.deadline <= now {
                        t.deadline = now + every;
                    }
                    true
                }
                None => false,
            }
        });
        due.into_iter().map(|(_, id, p)| (id, p)).collect()
    }

    /// Whether the timer is still scheduled.
    pub fn is_pending(&self, id: TimerId) -> bool {
        self.pending.iter().any(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_and_repeating_timers() {
        let t0 = Instant::now();
        let s = Duration::from_secs(1);
        let mut timers = Timers::default();
        let once = timers.add(t0, 2 * s, false, "once");
        let every = timers.add(t0, s, true, "every");
        assert_eq!(timers.next(), Some(t0 + s));
        assert!(timers.take_due(t0).is_empty());
        assert_eq!(timers.take_due(t0 + s), vec![(every, "every")]);
        assert_eq!(timers.next(), Some(t0 + 2 * s));
        assert_eq!(
            timers.take_due(t0 + 2 * s),
            vec![(once, "once"), (every, "every")]
        );
        assert!(!timers.is_pending(once));
        // Late by 10 periods: one call, next deadline a full period after now.
        assert_eq!(timers.take_due(t0 + 12 * s).len(), 1);
        assert_eq!(timers.next(), Some(t0 + 13 * s));
        timers.stop(every);
        assert_eq!(timers.next(), None);
    }
}
