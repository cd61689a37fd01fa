//! `cargo run --release -p xephyr-tests --bin chaos -- --steps 100000 --seed 7`: run the
//! chaos client against a fresh oxtile on a private X server, one run per seed, and print
//! what it did or the first broken invariant. Build oxtile first (`cargo build --release
//! -p oxtile`; the profile of this binary picks `target/<profile>/oxtile`, `OXTILE_BIN`
//! overrides). Exits 1 if any seed fails. With `CHAOS_LOG=DIR`, a failing seed leaves
//! oxtile's whole log in DIR/seed-N.log (run with `RUST_LOG=oxtile=trace` to log every X event and
//! every effect).

use std::process::ExitCode;

use xephyr_tests::chaos::{self, Options, Stage};

const USAGE: &str = "usage: chaos [--steps N] [--seed N | --seeds A..B] [--check-every N] \
                     [--connections N] [--max-windows N] [--trace N] [--only KIND,...] [--skip KIND,...] [--list]";

fn parse(args: &[String]) -> Result<(Options, Vec<u64>), String> {
    let mut opts = Options::default();
    let mut seeds = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{arg}: not a number: {v}"))
        };
        match arg.as_str() {
            "--steps" => opts.steps = number(value()?)?,
            "--seed" => seeds.push(number(value()?)?),
            "--seeds" => {
                let v = value()?;
                let (a, b) = v
                    .split_once("..")
                    .ok_or_else(|| format!("--seeds wants A..B, got {v}"))?;
                let (a, b) = (number(a.into())?, number(b.into())?);
                seeds.extend(a..b);
            }
            "--check-every" => opts.check_every = number(value()?)?,
            "--connections" => opts.connections = number(value()?)? as usize,
            "--max-windows" => opts.max_windows = number(value()?)? as usize,
            "--trace" => opts.trace_len = number(value()?)? as usize,
            "--only" => opts.only = value()?.split(',').map(String::from).collect(),
            "--skip" => opts.skip = value()?.split(',').map(String::from).collect(),
            "--list" => {
                for k in chaos::KINDS {
                    println!("{:20} weight {}", k.name, k.weight);
                }
                std::process::exit(0);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if seeds.is_empty() {
        seeds.push(opts.seed);
    }
    Ok((opts, seeds))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (opts, seeds) = match parse(&args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    for seed in seeds {
        let opts = Options {
            seed,
            ..opts.clone()
        };
        let stage = Stage::start();
        let session = &stage.session;
        let pid = session.wm_pid();
        let before = rss_kib(pid);
        match chaos::run(&stage, &opts) {
            Ok(report) => {
                println!("{report}");
                if let (Some(b), Some(a)) = (before, rss_kib(pid)) {
                    println!("  oxtile RSS: {b} KiB at start, {a} KiB at the end");
                }
            }
            Err(failure) => {
                failed += 1;
                println!("{failure}");
                let log = session.log();
                if let Some(dir) = std::env::var_os("CHAOS_LOG") {
                    let path = std::path::Path::new(&dir).join(format!("seed-{seed}.log"));
                    match std::fs::write(&path, &log) {
                        Ok(()) => println!("oxtile's whole log is in {}", path.display()),
                        Err(e) => println!("cannot write {}: {e}", path.display()),
                    }
                }
                let tail: Vec<&str> = log.lines().rev().take(40).collect();
                println!("----- end of the oxtile log -----");
                for line in tail.iter().rev() {
                    println!("{line}");
                }
            }
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Resident set size of a process, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
