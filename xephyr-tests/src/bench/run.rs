//! One window manager's whole benchmark, in the order that keeps measurements apart:
//! startup rounds (a fresh display each), then on the last one idle cost, focus and key
//! latency, churn, bursts (last: a window manager that cannot keep up stays busy), bar.

use std::time::Duration;

use serde_json::{json, Value};

use super::launch::{BenchDisplay, WmKind, WmSpec};
use super::measure::{self, median};
use super::report::{Cell, Column, Row};

/// What to measure and how much of it.
#[derive(Debug, Clone)]
pub struct Options {
    /// Startup rounds (each on a fresh display) and rounds of each burst; medians are
    /// reported.
    pub rounds: usize,
    /// Burst sizes.
    pub sizes: Vec<usize>,
    /// Samples of focus and key latency (medians are reported).
    pub samples: usize,
    /// How long to idle when measuring idle CPU time and wake-ups.
    pub idle: Duration,
    /// How long to let the window manager settle after startup before measuring memory.
    pub settle: Duration,
    /// Windows created and destroyed in the churn.
    pub churn: usize,
    /// Windows per batch of the churn.
    pub churn_batch: usize,
    /// Longest wait of any one step (a burst, a startup, a latency sample).
    pub timeout: Duration,
    /// A bar's first paint is over after this long without drawing.
    pub bar_quiet: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rounds: 3,
            sizes: vec![50, 200],
            samples: 200,
            idle: Duration::from_secs(30),
            settle: Duration::from_secs(1),
            churn: 2000,
            churn_batch: 20,
            timeout: Duration::from_secs(60),
            bar_quiet: Duration::from_millis(500),
        }
    }
}

impl Options {
    /// The options as JSON, for the report.
    pub fn to_json(&self) -> Value {
        json!({
            "rounds": self.rounds,
            "sizes": self.sizes,
            "samples": self.samples,
            "idle_s": self.idle.as_secs_f64(),
            "churn": self.churn,
            "churn_batch": self.churn_batch,
            "timeout_s": self.timeout.as_secs_f64(),
        })
    }

    /// The rows these options produce, in table order.
    pub fn rows(&self) -> Vec<Row> {
        let row = |key: &str, label: String, unit| Row {
            key: key.into(),
            label,
            unit,
        };
        let mut rows = vec![
            row(
                "startup.redirect",
                "exec → SubstructureRedirect".into(),
                "ms",
            ),
            row(
                "startup.first_window",
                "exec → first window managed".into(),
                "ms",
            ),
            row("startup.bar", "exec → bar painted".into(), "ms"),
        ];
        for n in &self.sizes {
            rows.push(row(
                &format!("map.{n}"),
                format!("map {n} windows at once → settled"),
                "ms",
            ));
            rows.push(row(
                &format!("destroy.{n}"),
                format!("destroy {n} → WM caught up"),
                "ms",
            ));
        }
        let idle = self.idle.as_secs_f64();
        rows.extend([
            row(
                "focus.active_window",
                "_NET_ACTIVE_WINDOW → root property, median".into(),
                "ms",
            ),
            row(
                "key.focus_next",
                "XTEST mod4+j → FocusIn on next window, median".into(),
                "ms",
            ),
            row("idle.rss", "RSS after startup, one window".into(), "MiB"),
            row("idle.pss", "PSS after startup, one window".into(), "MiB"),
            row("idle.cpu", format!("CPU time over {idle} s idle"), "ms"),
            row(
                "idle.wakeups",
                format!("wake-ups (context switches) over {idle} s idle"),
                "count",
            ),
            row(
                "churn.rss_before",
                format!("RSS before {} windows churn", self.churn),
                "MiB",
            ),
            row(
                "churn.rss_after",
                format!("RSS after {} windows churn", self.churn),
                "MiB",
            ),
            row(
                "churn.rss_growth",
                format!("RSS growth over {} windows churn", self.churn),
                "MiB",
            ),
            row(
                "bar.full_redraw",
                "bar full redraw (own counters)".into(),
                "ms",
            ),
            row(
                "bar.tick_redraw",
                "bar clock-tick redraw (own counters)".into(),
                "ms",
            ),
        ]);
        rows
    }
}

/// Measure one window manager; `progress` hears what is being done (for stderr).
/// Failures become [`Cell::Failed`]; only a display that cannot start is an `Err`.
pub fn run_wm(
    spec: &WmSpec,
    opts: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<Column, String> {
    let mut column = Column {
        wm: spec.kind.name().into(),
        version: spec.version(),
        ..Column::default()
    };
    let new_display = || BenchDisplay::new(spec).map_err(|e| format!("cannot start Xvfb: {e}"));
    if spec.kind == WmKind::None {
        let display = new_display()?;
        bursts(&display, false, opts, &mut column, progress);
        return Ok(column);
    }

    // Startup: a fresh display per round; the last one stays for the rest.
    let mut startups = Vec::new();
    let mut kept = None;
    for round in 0..opts.rounds.max(1) {
        progress(&format!("startup, round {}", round + 1));
        let mut display = new_display()?;
        // A bar that keeps drawing (a clock with seconds) ends the wait at 10 s.
        let bar_wait = opts.timeout.min(Duration::from_secs(10));
        match measure::startup(&mut display, opts.timeout, opts.bar_quiet, bar_wait) {
            Ok((times, probe)) => {
                startups.push(times);
                kept = Some((display, probe));
            }
            Err(e) => {
                for key in ["startup.redirect", "startup.first_window", "startup.bar"] {
                    column.set(key, Cell::Failed(e.clone()));
                }
                return Ok(column);
            }
        }
    }
    let ms = |d: Duration| Cell::Value(d.as_secs_f64() * 1000.0);
    let median_cell = |times: Vec<Duration>| median(times).map_or(Cell::NotApplicable, ms);
    column.set(
        "startup.redirect",
        median_cell(startups.iter().map(|s| s.redirect).collect()),
    );
    column.set(
        "startup.first_window",
        median_cell(startups.iter().map(|s| s.first_window).collect()),
    );
    column.set(
        "startup.bar",
        median_cell(startups.iter().filter_map(|s| s.bar_painted).collect()),
    );
    let Some((display, first_window)) = kept else {
        return Ok(column);
    };

    progress(&format!("idle {:?}", opts.idle));
    std::thread::sleep(opts.settle);
    match measure::idle(&display, opts.idle) {
        Ok(cost) => {
            column.set("idle.rss", mib(cost.rss_kib));
            column.set("idle.pss", mib(cost.pss_kib));
            column.set("idle.cpu", ms(cost.cpu));
            column.set("idle.wakeups", Cell::Value(cost.wakeups as f64));
        }
        Err(e) => {
            for key in ["idle.rss", "idle.pss", "idle.cpu", "idle.wakeups"] {
                column.set(key, Cell::Failed(e.clone()));
            }
        }
    }
    drop(first_window);

    progress("focus latency");
    let latency = |r: Result<Vec<Duration>, String>| match r {
        Ok(times) => median_cell(times),
        Err(e) => Cell::Failed(e),
    };
    column.set(
        "focus.active_window",
        latency(measure::focus_latency(
            display.display(),
            opts.samples,
            opts.timeout,
        )),
    );
    if let Some((mods, key)) = spec.kind.focus_next_key() {
        progress("key latency");
        column.set(
            "key.focus_next",
            latency(measure::key_latency(
                display.display(),
                mods,
                key,
                opts.samples,
                opts.timeout,
            )),
        );
    }

    progress(&format!("churn of {} windows", opts.churn));
    match measure::churn(&display, opts.churn, opts.churn_batch, opts.timeout) {
        Ok(c) => {
            column.set("churn.rss_before", mib(c.rss_before_kib));
            column.set("churn.rss_after", mib(c.rss_after_kib));
            column.set(
                "churn.rss_growth",
                Cell::Value((c.rss_after_kib as f64 - c.rss_before_kib as f64) / 1024.0),
            );
        }
        Err(e) => {
            for key in ["churn.rss_before", "churn.rss_after", "churn.rss_growth"] {
                column.set(key, Cell::Failed(e.clone()));
            }
        }
    }

    bursts(&display, true, opts, &mut column, progress);

    let bar = measure::bar_counters(&display);
    column.set(
        "bar.full_redraw",
        bar.full_redraw.map_or(Cell::NotApplicable, ms),
    );
    column.set(
        "bar.tick_redraw",
        bar.tick_redraw.map_or(Cell::NotApplicable, ms),
    );
    Ok(column)
}

/// Every burst size, `rounds` times each; a size whose map fails is not tried again (a
/// window manager that cannot settle 200 windows in a minute would take many minutes).
fn bursts(
    display: &BenchDisplay,
    managed: bool,
    opts: &Options,
    column: &mut Column,
    progress: &mut dyn FnMut(&str),
) {
    for &n in &opts.sizes {
        let (mut maps, mut destroys) = (Vec::new(), Vec::new());
        let (mut map_error, mut destroy_error) = (None, None);
        for round in 0..opts.rounds.max(1) {
            progress(&format!("burst of {n}, round {}", round + 1));
            let times = measure::burst(display.display(), n, managed, opts.timeout);
            match times.map {
                Ok(t) => maps.push(t),
                Err(e) => map_error = Some(e),
            }
            match times.destroy {
                Ok(t) => destroys.push(t),
                Err(e) => destroy_error = Some(e),
            }
            if map_error.is_some() || destroy_error.is_some() {
                break;
            }
        }
        let cell = |times: Vec<Duration>, error: Option<String>| match (error, median(times)) {
            (Some(e), _) => Cell::Failed(e),
            (None, Some(t)) => Cell::Value(t.as_secs_f64() * 1000.0),
            (None, None) => Cell::NotApplicable,
        };
        column.set(format!("map.{n}"), cell(maps, map_error));
        column.set(format!("destroy.{n}"), cell(destroys, destroy_error));
    }
}

fn mib(kib: u64) -> Cell {
    Cell::Value(kib as f64 / 1024.0)
}
