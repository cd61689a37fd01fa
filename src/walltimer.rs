//! A timer on the wall clock (CLOCK_REALTIME timerfd, absolute, cancelled when the clock is
//! set). Widget wake-ups are wall-clock instants (a clock's next minute); a monotonic sleep
//! would oversleep them after a suspend or a clock jump. This timer fires at the right wall
//! time after a resume, and wakes the loop at once when the clock is set, so the bar is
//! right within a loop turn.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use chrono::{DateTime, Utc};
use rustix::time::{
    timerfd_create, timerfd_settime, Itimerspec, TimerfdClockId, TimerfdFlags, TimerfdTimerFlags,
    Timespec,
};

/// The timer's file descriptor, for the event loop to poll.
pub struct WallTimer {
    fd: OwnedFd,
    armed: Option<DateTime<Utc>>,
}

impl WallTimer {
    /// A disarmed timer.
    pub fn new() -> std::io::Result<WallTimer> {
        let fd = timerfd_create(
            TimerfdClockId::Realtime,
            TimerfdFlags::NONBLOCK | TimerfdFlags::CLOEXEC,
        )?;
        Ok(WallTimer { fd, armed: None })
    }

    /// A second handle on the same timer (for the event-loop source).
    pub fn try_clone_fd(&self) -> std::io::Result<OwnedFd> {
        self.fd.try_clone()
    }

    /// Fire at `at` (or disarm with `None`). Re-arming for the same instant is free.
    pub fn arm(&mut self, at: Option<DateTime<Utc>>) {
        if at == self.armed {
            return;
        }
        self.armed = at;
        let it_value = match at {
            // Zero disarms a timerfd, so an instant at or before the epoch fires "now".
            Some(t) => Timespec {
                tv_sec: t.timestamp().max(0),
                tv_nsec: i64::from(t.timestamp_subsec_nanos()).max(if t.timestamp() <= 0 {
                    1
                } else {
                    0
                }),
            },
            None => Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
        };
        let spec = Itimerspec {
            it_interval: Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value,
        };
        let flags = TimerfdTimerFlags::ABSTIME | TimerfdTimerFlags::CANCEL_ON_SET;
        if let Err(e) = timerfd_settime(&self.fd, flags, &spec) {
            tracing::warn!("wall-clock timer: {e}");
        }
    }

    /// After the fd became readable: consume the expiry or the clock-set notice. Returns
    /// true when the wall clock was set (everything scheduled on it must be recomputed).
    /// The timer is disarmed afterwards; the caller re-arms it for the next wake-up.
    pub fn acknowledge(&mut self) -> bool {
        let mut buf = [0u8; 8];
        self.armed = None;
        matches!(
            rustix::io::read(&self.fd, &mut buf),
            Err(rustix::io::Errno::CANCELED)
        )
    }
}

impl AsFd for WallTimer {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
