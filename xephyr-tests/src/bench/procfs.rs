//! What a window manager costs the machine, read from /proc for all its processes (i3
//! runs i3bar and i3status, detached with setsid): memory (RSS, PSS), CPU time and
//! wake-ups (context switches), summed over every thread of every process.

use std::collections::{BTreeMap, HashMap};
use std::fs;

/// The process `root` and all its descendants that exist now.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(ppid) = parent_of(pid) {
            children.entry(ppid).or_default().push(pid);
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        if let Some(kids) = children.get(&tree[i]) {
            tree.extend(kids);
        }
        i += 1;
    }
    tree.retain(|&p| fs::metadata(format!("/proc/{p}")).is_ok());
    tree
}

/// The parent of `pid`, from /proc/PID/stat (the field after the command name, which may
/// itself hold spaces and parentheses, hence the search from the last ')').
fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Memory of a process tree, in KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    /// Resident set size, summed (pages shared between the processes count once per process).
    pub rss_kib: u64,
    /// Proportional set size, summed: shared pages split between their users.
    pub pss_kib: u64,
}

/// The processes whose environment holds `NAME=value` exactly: what a window manager
/// started, even detached from it (setsid and a double fork make i3bar a child of init),
/// inherited its environment, e.g. a `HOME` private to one benchmark display.
pub fn processes_with_env(name: &str, value: &str) -> Vec<u32> {
    let wanted = format!("{name}={value}");
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == wanted.as_bytes()))
        })
        .collect()
}

/// RSS and PSS of these processes summed, from /proc/PID/smaps_rollup.
pub fn memory(pids: &[u32]) -> Memory {
    let mut total = Memory::default();
    for &pid in pids {
        let Ok(text) = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue;
        };
        total.rss_kib += field_kib(&text, "Rss:");
        total.pss_kib += field_kib(&text, "Pss:");
    }
    total
}

fn field_kib(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU time and context switches of one process, all threads summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuSample {
    /// CPU time in nanoseconds.
    pub cpu_ns: u64,
    /// Voluntary plus involuntary context switches: how often a thread was put to sleep or
    /// preempted, i.e. (for an idle process) how often it woke up.
    pub switches: u64,
}

/// A sample of each of these processes, by pid.
pub fn cpu_sample(pids: &[u32]) -> BTreeMap<u32, CpuSample> {
    pids.iter().map(|&pid| (pid, process_cpu(pid))).collect()
}

/// What the tree did between two samples: per-process differences summed, so a process
/// that started in between counts whole and one that exited counts nothing.
pub fn cpu_between(
    before: &BTreeMap<u32, CpuSample>,
    after: &BTreeMap<u32, CpuSample>,
) -> CpuSample {
    let mut total = CpuSample::default();
    for (pid, end) in after {
        let start = before.get(pid).copied().unwrap_or_default();
        total.cpu_ns += end.cpu_ns.saturating_sub(start.cpu_ns);
        total.switches += end.switches.saturating_sub(start.switches);
    }
    total
}

/// One process: CPU from each thread's schedstat (nanoseconds; /proc/PID/stat counts
/// clock ticks of 10 ms, too coarse for an idle window manager), falling back to stat's
/// utime+stime when schedstat is missing; switches from each thread's status.
fn process_cpu(pid: u32) -> CpuSample {
    let mut sample = CpuSample::default();
    let mut schedstat_seen = false;
    let tasks = fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten();
    for task in tasks {
        let dir = task.path();
        if let Some(ns) = fs::read_to_string(dir.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        {
            sample.cpu_ns += ns;
            schedstat_seen = true;
        }
        if let Ok(status) = fs::read_to_string(dir.join("status")) {
            for name in ["voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"] {
                sample.switches += status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    if !schedstat_seen {
        sample.cpu_ns = stat_cpu_ns(pid).unwrap_or(0);
    }
    sample
}

/// utime + stime of /proc/PID/stat (fields 14 and 15), in nanoseconds.
fn stat_cpu_ns(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    // After the command: state is field 3, so utime (14) is the 12th of the rest.
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    let tick_ns = 1_000_000_000 / rustix::param::clock_ticks_per_second().max(1);
    Some((utime + stime) * tick_ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_its_own_tree_root_and_has_memory_and_cpu() {
        let me = std::process::id();
        assert_eq!(process_tree(me)[0], me);
        let mem = memory(&[me]);
        assert!(mem.rss_kib > 0 && mem.pss_kib > 0, "{mem:?}");
        assert!(mem.pss_kib <= mem.rss_kib, "{mem:?}");
        let sample = cpu_sample(&[me]);
        assert!(sample[&me].cpu_ns > 0, "{sample:?}");
    }

    #[test]
    fn a_child_is_in_the_tree_and_found_by_its_environment() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .env("OXTILE_BENCH_PROCFS_TEST", "marker")
            .spawn()
            .expect("run sleep");
        let tree = process_tree(std::process::id());
        let by_env = processes_with_env("OXTILE_BENCH_PROCFS_TEST", "marker");
        let _ = child.kill();
        let _ = child.wait();
        assert!(tree.contains(&child.id()), "{tree:?}");
        assert_eq!(by_env, [child.id()]);
    }

    #[test]
    fn cpu_between_counts_only_growth() {
        let before = BTreeMap::from([(
            1,
            CpuSample {
                cpu_ns: 10,
                switches: 5,
            },
        )]);
        let after = BTreeMap::from([
            (
                1,
                CpuSample {
                    cpu_ns: 25,
                    switches: 7,
                },
            ),
            (
                2,
                CpuSample {
                    cpu_ns: 3,
                    switches: 1,
                },
            ),
        ]);
        assert_eq!(
            cpu_between(&before, &after),
            CpuSample {
                cpu_ns: 18,
                switches: 3
            }
        );
    }
}
