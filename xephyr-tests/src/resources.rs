//! What a process holds, for leak checks: resident memory, file descriptors and threads
//! (from /proc), zombie children, and the X resources an X client owns (through the
//! X-Resource extension, what `xrestop` shows).

use std::collections::BTreeMap;
use std::fs;

use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::res::ConnectionExt as _;
use x11rb::protocol::xproto::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;

/// A process's use of memory, file descriptors and threads at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Resident set size, KiB.
    pub rss_kib: u64,
    /// Open file descriptors.
    pub fds: usize,
    /// Threads.
    pub threads: u64,
}

/// The usage of process `pid`, `None` if it is gone.
pub fn usage(pid: u32) -> Option<Usage> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    let fds = fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count();
    Some(Usage {
        rss_kib: field("VmRSS:")?,
        fds,
        threads: field("Threads:")?,
    })
}

/// The open file descriptors of `pid` and what they point to (for failure messages).
pub fn fd_targets(pid: u32) -> Vec<String> {
    let Ok(dir) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = dir
        .filter_map(Result::ok)
        .map(|e| {
            let target = fs::read_link(e.path()).map_or("?".into(), |t| t.display().to_string());
            format!("{} -> {target}", e.file_name().to_string_lossy())
        })
        .collect();
    out.sort();
    out
}

/// A process's state letter and parent, from /proc/PID/stat; `None` once it is gone.
fn state_and_parent(pid: u32) -> Option<(String, u32)> {
    // "pid (comm) state ppid ..."; comm may hold spaces.
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.to_string();
    let ppid = fields.next()?.parse().ok()?;
    Some((state, ppid))
}

/// Whether process `pid` has ended: gone, or a zombie waiting to be reaped.
pub fn has_ended(pid: u32) -> bool {
    state_and_parent(pid).is_none_or(|(state, _)| state == "Z")
}

/// The child processes of `pid`, each with its state letter (`Z` for a zombie: exited,
/// not reaped).
pub fn children(pid: u32) -> Vec<(u32, String)> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|child| {
            let (state, ppid) = state_and_parent(child)?;
            (ppid == pid).then_some((child, state))
        })
        .collect()
}

/// How many X resources of each type (`WINDOW`, `PIXMAP`, `GC`…) the client that owns the
/// resource `xid` holds.
pub fn x_resources(conn: &RustConnection, xid: u32) -> Result<BTreeMap<String, u32>, String> {
    let reply = conn
        .res_query_client_resources(xid)
        .map_err(ReplyError::from)
        .and_then(|c| c.reply())
        .map_err(|e| format!("XResQueryClientResources({xid:#x}): {e}"))?;
    let mut out = BTreeMap::new();
    for t in reply.types {
        let name = conn
            .get_atom_name(t.resource_type)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map(|r| String::from_utf8_lossy(&r.name).into_owned())
            .unwrap_or_else(|_| format!("atom {}", t.resource_type));
        out.insert(name, t.count);
    }
    let _ = conn.flush();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_fds_and_a_thread() {
        let u = usage(std::process::id()).expect("our own /proc entry");
        assert!(u.rss_kib > 0 && u.fds >= 3 && u.threads >= 1, "{u:?}");
        assert!(usage(u32::MAX).is_none());
        assert!(fd_targets(std::process::id()).len() >= 3);
        let child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("sleep");
        let mine = children(std::process::id());
        let mut child = child;
        assert!(!has_ended(child.id()), "sleep runs");
        let _ = child.kill();
        let _ = child.wait();
        assert!(mine.iter().any(|(pid, _)| *pid == child.id()), "{mine:?}");
        assert!(has_ended(child.id()), "sleep was killed and reaped");
    }
}
