//! `cargo run --release -p xephyr-tests --bin wm-bench -- [OPTIONS] [WM...]`: oxtile beside
//! other window managers in one run, each on a fresh 1920x1080 Xvfb; prints a markdown
//! table with ratios to oxtile (or JSON). See docs/benchmarks.md.

use std::process::{Command, ExitCode};
use std::time::Duration;

use xephyr_tests::bench::{run_wm, Options, Report, WmKind, WmSpec};

const USAGE: &str = "\
usage: wm-bench [OPTIONS] [WM...]

Measures each window manager on a fresh 1920x1080 Xvfb: startup, map/destroy bursts,
_NET_ACTIVE_WINDOW and key latency, idle memory/CPU/wake-ups, churn, bar counters.

WM: oxtile (the default), none (the bare X server), i3, awesome, qtile, or a command
    line such as \"qtile start -b x11\". Peers come from xephyr-tests/bench-setup.

options:
  --all               oxtile, none, and every installed peer (i3, awesome, qtile)
  --json              print JSON instead of the markdown table
  --rounds N          startup and burst rounds; medians are reported (3)
  --sizes N,N         burst sizes (50,200)
  --samples N         focus and key latency samples (200)
  --idle SECS         idle period for CPU time and wake-ups (30)
  --churn N           windows created and destroyed for the leak check (2000)
  --churn-batch N     windows per churn batch (20)
  --timeout SECS      longest wait of one step, e.g. one burst (60)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (opts, wms, json) = match parse(args) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("wm-bench: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let oxtile = xephyr_tests::oxtile_bin();
    if wms.iter().any(|w| w.kind == WmKind::Oxtile) && !oxtile.is_file() {
        eprintln!(
            "wm-bench: {} does not exist: build it first (cargo build --release -p oxtile) \
             or set OXTILE_BIN",
            oxtile.display()
        );
        return ExitCode::FAILURE;
    }

    let mut columns = Vec::new();
    for spec in &wms {
        let name = spec.kind.name();
        if !spec.installed() {
            eprintln!(
                "wm-bench: skipping {name}: {} is not installed (xephyr-tests/bench-setup)",
                spec.program.display()
            );
            continue;
        }
        eprintln!("wm-bench: {name}: {}", spec.version());
        let mut progress = |what: &str| eprintln!("wm-bench: {name}: {what}");
        match run_wm(spec, &opts, &mut progress) {
            Ok(column) => columns.push(column),
            Err(e) => {
                eprintln!("wm-bench: {name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let report = Report {
        date: shell("date -u '+%Y-%m-%d %H:%M UTC'"),
        machine: machine(),
        options: opts.to_json(),
        rows: opts.rows(),
        columns,
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.json()).unwrap_or_default()
        );
    } else {
        print!("{}", report.markdown());
    }
    ExitCode::SUCCESS
}

/// Options, window managers, and whether JSON was asked for.
fn parse(args: Vec<String>) -> Result<(Options, Vec<WmSpec>, bool), String> {
    let mut opts = Options::default();
    let mut wms = Vec::new();
    let mut json = false;
    let mut all = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--json" => json = true,
            "--all" => all = true,
            "--rounds" => opts.rounds = number(&value("--rounds")?)?,
            "--samples" => opts.samples = number(&value("--samples")?)?,
            "--churn" => opts.churn = number(&value("--churn")?)?,
            "--churn-batch" => opts.churn_batch = number(&value("--churn-batch")?)?,
            "--idle" => opts.idle = seconds(&value("--idle")?)?,
            "--timeout" => opts.timeout = seconds(&value("--timeout")?)?,
            "--sizes" => {
                opts.sizes = value("--sizes")?
                    .split(',')
                    .map(number)
                    .collect::<Result<_, _>>()?
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            command => wms.push(WmSpec::parse(command)?),
        }
    }
    if all {
        for name in ["oxtile", "none", "i3", "awesome", "qtile"] {
            let spec = WmSpec::parse(name)?;
            if !wms.iter().any(|w| w.kind == spec.kind) && spec.installed() {
                wms.push(spec);
            }
        }
    }
    if wms.is_empty() {
        wms.push(WmSpec::parse("oxtile")?);
    }
    Ok((opts, wms, json))
}

fn number(text: &str) -> Result<usize, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or(format!("{text:?} is not a number of seconds"))
}

/// "2 cores, <cpu model>, Linux <release>, <memory> GiB".
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU".into(), |m| m.trim().to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!(
        "{cores} cores, {model}, Linux {}, {mem_gib:.0} GiB",
        shell("uname -r")
    )
}

fn shell(command: &str) -> String {
    Command::new("sh")
        .args(["-c", command])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
