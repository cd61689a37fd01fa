//! wm-bench's smoke test: every measurement runs once against oxtile (and the bursts on
//! the bare server) with tiny sizes, and yields a finite, positive number or an honest
//! "not applicable". No timing is asserted: speed is for `wm-bench --release` to report.

use std::time::Duration;

use xephyr_tests::bench::{run_wm, Cell, Options, WmSpec};

fn tiny() -> Options {
    Options {
        rounds: 1,
        sizes: vec![3],
        samples: 3,
        idle: Duration::ZERO,
        settle: Duration::ZERO,
        churn: 6,
        churn_batch: 3,
        timeout: Duration::from_secs(20),
        bar_quiet: Duration::from_millis(50),
    }
}

/// Rows that must be measured, rows that may be zero, rows that exist only with a bar.
fn check(wm: &str, must: &[&str], may_be_zero: &[&str], bar_only: &[&str]) {
    let opts = tiny();
    let spec = WmSpec::parse(wm).expect("a known window manager");
    let column = run_wm(&spec, &opts, &mut |_| {}).expect("the display starts");
    let mut problems = Vec::new();
    for row in opts.rows() {
        let key = row.key.as_str();
        let cell = column.cell(key);
        let ok = match cell {
            Cell::Failed(_) => false,
            Cell::NotApplicable => {
                !(must.contains(&key) || may_be_zero.contains(&key)) || bar_only.contains(&key)
            }
            Cell::Value(v) if may_be_zero.contains(&key) => v.is_finite() && *v >= 0.0,
            // RSS may shrink over a churn.
            Cell::Value(v) if key == "churn.rss_growth" => v.is_finite(),
            Cell::Value(v) => v.is_finite() && *v > 0.0,
        };
        if !ok {
            problems.push(format!("{key}: {cell:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{wm}: measurements that did not produce a sane number:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_measurement_completes_against_oxtile() {
    check(
        "oxtile",
        &[
            "startup.redirect",
            "startup.first_window",
            "map.3",
            "destroy.3",
            "focus.active_window",
            "key.focus_next",
            "idle.rss",
            "idle.pss",
            "churn.rss_before",
            "churn.rss_after",
            "churn.rss_growth",
        ],
        &["idle.cpu", "idle.wakeups"],
        // Until oxtile draws a bar (and counts its redraws) these are not applicable.
        &["startup.bar", "bar.full_redraw", "bar.tick_redraw"],
    );
}

#[test]
fn bursts_complete_on_the_bare_server() {
    check("none", &["map.3", "destroy.3"], &[], &[]);
}
