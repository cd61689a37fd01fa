//! The measurements, one function each: startup, a map/destroy burst, focus and key
//! latency, idle cost, churn, and oxtile's bar counters. Each measures from outside the
//! window manager (a [`Probe`] and /proc), so every window manager is measured alike.

use std::thread;
use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    ClientMessageEvent, ConnectionExt as _, EventMask, NotifyDetail, NotifyMode, Window,
};
use x11rb::protocol::Event;
use x11rb::CURRENT_TIME;

use super::launch::BenchDisplay;
use super::probe::{damage_area, Probe};
use super::procfs;

/// Pause between two polls of X state: short against the times measured, long enough that
/// the probe leaves the two cores to Xvfb and the window manager.
const POLL_PAUSE: Duration = Duration::from_micros(250);

/// What startup costs, from the instant of the exec.
#[derive(Debug, Clone, Copy)]
pub struct StartupTimes {
    /// Until SubstructureRedirect is selected on the root: the window manager is in charge.
    pub redirect: Duration,
    /// Until a window mapped right after that is viewable and in `_NET_CLIENT_LIST`.
    pub first_window: Duration,
    /// Until the bar's first paint is complete (the last drawing inside a bar before it
    /// goes quiet); `None` when no bar was painted.
    pub bar_painted: Option<Duration>,
}

/// Start the window manager on `display` and time its startup. The probe returned still
/// holds the first window (mapped and managed), so the idle measurement has one window.
///
/// The bar is found from outside: a viewable window spanning half the screen's width or
/// more, 8-64 px tall, on the top or bottom edge; DAMAGE on the root reports drawing inside
/// it. Waiting for the bar ends after `bar_quiet` without any drawing, or `bar_wait` after
/// the exec.
pub fn startup(
    display: &mut BenchDisplay,
    timeout: Duration,
    bar_quiet: Duration,
    bar_wait: Duration,
) -> Result<(StartupTimes, Probe), String> {
    let mut probe = Probe::connect(display.display());
    probe.watch_damage();
    let win = probe
        .client()
        .window()
        .title("wm-bench first window")
        .create();
    probe.discard_events();

    let t0 = display.exec().map_err(|e| e.to_string())?;
    let deadline = t0 + timeout;
    let redirect = loop {
        if probe.redirect_taken() {
            break t0.elapsed();
        }
        probe.drain();
        check_alive(display, deadline, "taking SubstructureRedirect")?;
        thread::sleep(POLL_PAUSE);
    };

    let conn = probe.client().conn();
    conn.map_window(win).map_err(|e| e.to_string())?;
    conn.flush().map_err(|e| e.to_string())?;
    let first_window = loop {
        if probe.count_viewable(&[win]) == 1 && probe.client().client_list().contains(&win) {
            break t0.elapsed();
        }
        probe.drain();
        check_alive(display, deadline, "managing the first window")?;
        thread::sleep(POLL_PAUSE);
    };

    // Every drawing since the exec (events read during the polls above were stamped then).
    let mut damage = Vec::new();
    let mut last_activity = t0 + first_window;
    let wait_end = t0 + bar_wait.max(first_window);
    while let Some((at, event)) = probe.next_event((last_activity + bar_quiet).min(wait_end)) {
        if let Some(area) = damage_area(&event) {
            damage.push((at, area));
            last_activity = last_activity.max(at);
        }
    }
    let bars = probe.bar_rects();
    let mut bar_times: Vec<Instant> = damage
        .iter()
        .filter(|(_, area)| bars.iter().any(|b| b.contains(area)))
        .map(|(at, _)| *at)
        .collect();
    bar_times.sort();
    // The first paint ends with the last drawing before the first pause of `bar_quiet`:
    // later drawings are updates (a clock), not startup.
    let bar_painted = bar_times
        .windows(2)
        .find(|pair| pair[1] - pair[0] > bar_quiet)
        .map(|pair| pair[0])
        .or(bar_times.last().copied())
        .map(|at| at.saturating_duration_since(t0));
    Ok((
        StartupTimes {
            redirect,
            first_window,
            bar_painted,
        },
        probe,
    ))
}

/// An error naming what the window manager was doing when it died or the time ran out.
fn check_alive(display: &mut BenchDisplay, deadline: Instant, doing: &str) -> Result<(), String> {
    if let Some(status) = display.wm_exited() {
        return Err(format!(
            "exited ({status}) before {doing}; its output:\n{}",
            display.log()
        ));
    }
    if Instant::now() >= deadline {
        return Err(format!("timed out before {doing}"));
    }
    Ok(())
}

/// How long a burst took to be handled, each part separately (a window manager that never
/// settles the map may still be timed on the destroy).
#[derive(Debug, Clone)]
pub struct BurstTimes {
    /// From the first CreateWindow until every window is viewable, listed in
    /// `_NET_CLIENT_LIST` (under a window manager) and its geometry stopped changing.
    pub map: Result<Duration, String>,
    /// From the first DestroyWindow until `_NET_CLIENT_LIST` lists none of them (under a
    /// window manager) or the server processed them (bare).
    pub destroy: Result<Duration, String>,
}

/// Create and map `n` windows at once, wait until they are settled; destroy them at once
/// and wait until the window manager caught up. `managed` is false on the bare server.
pub fn burst(display: &str, n: usize, managed: bool, timeout: Duration) -> BurstTimes {
    let probe = Probe::connect(display);
    let client = probe.client();
    let start = Instant::now();
    let wins: Vec<Window> = (0..n).map(|_| client.window().map_no_wait()).collect();
    let map = wait_settled(&probe, &wins, managed, start, start + timeout);

    let start = Instant::now();
    for &w in &wins {
        client.destroy_no_wait(w);
    }
    let destroy = if managed {
        wait_unmanaged(&probe, &wins, start + timeout).map(|()| start.elapsed())
    } else {
        client.round_trip();
        Ok(start.elapsed())
    };
    BurstTimes { map, destroy }
}

/// Until every window is viewable and managed and two polls in a row see the same
/// geometry; the time is that of the first of those two polls.
fn wait_settled(
    probe: &Probe,
    wins: &[Window],
    managed: bool,
    start: Instant,
    deadline: Instant,
) -> Result<Duration, String> {
    let mut last: Option<(Instant, Vec<_>)> = None;
    loop {
        // A cheap test first: one property (or one window) rather than n queries.
        let ready = if managed {
            let listed = probe.client().client_list();
            wins.iter().all(|w| listed.contains(w))
        } else {
            wins.last().is_none_or(|&w| probe.count_viewable(&[w]) == 1)
        };
        if ready && probe.count_viewable(wins) == wins.len() {
            let geometry = probe.geometries(wins);
            let now = Instant::now();
            match &last {
                Some((seen, previous)) if *previous == geometry => return Ok(*seen - start),
                _ => last = Some((now, geometry)),
            }
        } else {
            last = None;
        }
        if Instant::now() >= deadline {
            let listed = probe.client().client_list();
            let done = wins.iter().filter(|w| listed.contains(w)).count();
            let viewable = probe.count_viewable(wins);
            return Err(format!(
                "not settled after {:.0} s: {viewable}/{} viewable, {done} managed",
                (deadline - start).as_secs_f64(),
                wins.len()
            ));
        }
        thread::sleep(POLL_PAUSE);
    }
}

/// Until `_NET_CLIENT_LIST` lists none of `wins`.
fn wait_unmanaged(probe: &Probe, wins: &[Window], deadline: Instant) -> Result<(), String> {
    loop {
        let listed = probe.client().client_list();
        let left = wins.iter().filter(|w| listed.contains(w)).count();
        if left == 0 {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{left}/{} still managed at the deadline",
                wins.len()
            ));
        }
        thread::sleep(POLL_PAUSE);
    }
}

/// Map `n` windows and wait until each is viewable and managed.
fn map_managed(probe: &Probe, n: usize, timeout: Duration) -> Result<Vec<Window>, String> {
    let start = Instant::now();
    let wins: Vec<Window> = (0..n)
        .map(|i| {
            probe
                .client()
                .window()
                .title(&format!("wm-bench {i}"))
                .map_no_wait()
        })
        .collect();
    wait_settled(probe, &wins, true, start, start + timeout).map(|_| wins)
}

/// `_NET_ACTIVE_WINDOW` round trips: with three windows, ask (as a pager, source 2) to
/// activate one that is not active, and time until the root's `_NET_ACTIVE_WINDOW` names
/// it (the PropertyNotify after which it does). `samples` times, each within `timeout`.
pub fn focus_latency(
    display: &str,
    samples: usize,
    timeout: Duration,
) -> Result<Vec<Duration>, String> {
    let mut probe = Probe::connect(display);
    probe.select_root(EventMask::PROPERTY_CHANGE);
    let wins = map_managed(&probe, 3, timeout)?;
    let active_atom = probe.client().atoms()._NET_ACTIVE_WINDOW;
    let root = probe.client().root();
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let current = probe.client().active_window();
        let target = (0..wins.len())
            .map(|k| wins[(i + k) % wins.len()])
            .find(|&w| Some(w) != current)
            .unwrap_or(wins[0]);
        probe.discard_events();
        let data = [2, CURRENT_TIME, current.unwrap_or(0), 0, 0];
        let message = ClientMessageEvent::new(32, target, active_atom, data);
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        let t0 = Instant::now();
        let conn = probe.client().conn();
        conn.send_event(false, root, mask, message)
            .and_then(|_| conn.flush())
            .map_err(|e| e.to_string())?;
        loop {
            let Some((at, event)) = probe.next_event(t0 + timeout) else {
                return Err(format!(
                    "sample {i}: _NET_ACTIVE_WINDOW did not become {target:#x} within {timeout:?}"
                ));
            };
            if let Event::PropertyNotify(p) = event {
                if p.window == root
                    && p.atom == active_atom
                    && probe.client().active_window() == Some(target)
                {
                    times.push(at - t0);
                    break;
                }
            }
        }
    }
    Ok(times)
}

/// Key latency: with three windows, type `mods`+`key` through XTEST (a binding to "focus
/// next") and time until a window other than the focused one gets FocusIn (mode Normal:
/// not the keyboard grab's own focus events). `samples` times, each within `timeout`.
pub fn key_latency(
    display: &str,
    mods: &[&str],
    key: &str,
    samples: usize,
    timeout: Duration,
) -> Result<Vec<Duration>, String> {
    let mut probe = Probe::connect(display);
    let wins = map_managed(&probe, 3, timeout)?;
    if !wins.contains(&probe.client().input_focus()) {
        probe.client().request_activate(wins[0]);
    }
    // The first XTEST event switches the server's core keyboard to the XTEST device, which
    // sends every client a MappingNotify; a window manager then reloads its keymap and
    // grabs its keys again, and a press in between is lost. So warm up untimed first.
    let warm_up = (0..3).any(|_| {
        let current = probe.client().input_focus();
        probe.discard_events();
        let t0 = Instant::now();
        probe.client().key_no_wait(mods, key);
        next_focus_in(&mut probe, &wins, current, t0 + Duration::from_secs(1)).is_some()
    });
    if !warm_up {
        return Err(format!(
            "{}+{key} never moved the focus (three tries)",
            mods.join("+")
        ));
    }
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let current = probe.client().input_focus();
        probe.discard_events();
        let t0 = Instant::now();
        probe.client().key_no_wait(mods, key);
        let Some(at) = next_focus_in(&mut probe, &wins, current, t0 + timeout) else {
            return Err(format!(
                "sample {i}: no FocusIn on another window within {timeout:?} \
                 (focus was on {current:#x})"
            ));
        };
        times.push(at - t0);
    }
    Ok(times)
}

/// When one of `wins` other than `current` got FocusIn through a focus change (mode
/// Normal: not the keyboard grab's own focus events); `None` at the deadline.
fn next_focus_in(
    probe: &mut Probe,
    wins: &[Window],
    current: Window,
    deadline: Instant,
) -> Option<Instant> {
    loop {
        let (at, event) = probe.next_event(deadline)?;
        if let Event::FocusIn(f) = event {
            if f.mode == NotifyMode::NORMAL
                && f.event != current
                && wins.contains(&f.event)
                && f.detail != NotifyDetail::POINTER
                && f.detail != NotifyDetail::INFERIOR
            {
                return Some(at);
            }
        }
    }
}

/// Memory after startup, and what idling costs.
#[derive(Debug, Clone, Copy)]
pub struct IdleCost {
    /// RSS of all the window manager's processes, KiB.
    pub rss_kib: u64,
    /// PSS of all its processes, KiB.
    pub pss_kib: u64,
    /// CPU time used over the idle period.
    pub cpu: Duration,
    /// Context switches over the idle period (wake-ups).
    pub wakeups: u64,
}

/// Memory now, then CPU time and wake-ups over `duration` of idling (nothing is sent to X
/// meanwhile). The caller keeps one window mapped.
pub fn idle(display: &BenchDisplay, duration: Duration) -> Result<IdleCost, String> {
    let pids = display.wm_processes();
    if pids.is_empty() {
        return Err("no window manager process".into());
    }
    let memory = procfs::memory(&pids);
    let before = procfs::cpu_sample(&pids);
    thread::sleep(duration);
    let after = procfs::cpu_sample(&display.wm_processes());
    let used = procfs::cpu_between(&before, &after);
    Ok(IdleCost {
        rss_kib: memory.rss_kib,
        pss_kib: memory.pss_kib,
        cpu: Duration::from_nanos(used.cpu_ns),
        wakeups: used.switches,
    })
}

/// RSS before and after churn, KiB.
#[derive(Debug, Clone, Copy)]
pub struct Churn {
    /// Before the first window.
    pub rss_before_kib: u64,
    /// After the last window was destroyed and unmanaged.
    pub rss_after_kib: u64,
}

/// Create and destroy `total` windows, `batch` at a time (each batch mapped, managed,
/// destroyed and unmanaged before the next, so the leak check does not turn into a burst
/// benchmark), and compare the window manager's RSS before and after.
pub fn churn(
    display: &BenchDisplay,
    total: usize,
    batch: usize,
    timeout: Duration,
) -> Result<Churn, String> {
    let rss = || procfs::memory(&display.wm_processes()).rss_kib;
    let rss_before_kib = rss();
    let probe = Probe::connect(display.display());
    let mut made = 0;
    while made < total {
        let n = batch.max(1).min(total - made);
        let wins = map_managed(&probe, n, timeout).map_err(|e| format!("after {made}: {e}"))?;
        let start = Instant::now();
        for &w in &wins {
            probe.client().destroy_no_wait(w);
        }
        wait_unmanaged(&probe, &wins, start + timeout).map_err(|e| format!("after {made}: {e}"))?;
        made += n;
    }
    drop(probe);
    Ok(Churn {
        rss_before_kib,
        rss_after_kib: rss(),
    })
}

/// oxtile's own bar timings, when `oxtile cmd stats` has them.
#[derive(Debug, Clone, Copy, Default)]
pub struct BarCounters {
    /// Mean time of a full redraw of the bar.
    pub full_redraw: Option<Duration>,
    /// Mean time of a redraw caused by a clock tick (only the widgets that changed).
    pub tick_redraw: Option<Duration>,
}

/// Read the bar's counters from `oxtile cmd stats --json`: a `bar` object with
/// `full_redraws` and `full_redraw_ns` (their total time), and `tick_redraws` and
/// `tick_redraw_ns`. Absent counters (no bar yet, or another window manager) give `None`.
pub fn bar_counters(display: &BenchDisplay) -> BarCounters {
    let Some(stats) = display.oxtile_stats() else {
        return BarCounters::default();
    };
    let mean = |count: &str, total: &str| {
        let bar = stats.get("bar")?;
        let n = bar.get(count)?.as_u64().filter(|&n| n > 0)?;
        let ns = bar.get(total)?.as_u64()?;
        Some(Duration::from_nanos(ns / n))
    };
    BarCounters {
        full_redraw: mean("full_redraws", "full_redraw_ns"),
        tick_redraw: mean("tick_redraws", "tick_redraw_ns"),
    }
}

/// The median of some durations (the upper one of an even count); `None` when empty.
pub fn median(mut times: Vec<Duration>) -> Option<Duration> {
    times.sort();
    times.get(times.len() / 2).copied()
}
