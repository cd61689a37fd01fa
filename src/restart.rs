//! Restart without losing anything: just before oxtile execs itself it writes what the
//! X properties cannot carry (`core::persist::Saved`: group order, focus, floating geometry)
//! to a file in the private runtime directory; the new process, once it has adopted the
//! windows again, reads it back and deletes it. Only the same process (exec keeps the pid)
//! reads it, so a file left behind by a crash is never applied to another session.

use std::path::PathBuf;

use crate::core::persist::Saved;

/// The state file for this display.
fn path() -> PathBuf {
    let display = std::env::var("DISPLAY").unwrap_or_else(|_| ":0".into());
    crate::paths::runtime_dir().join(format!("restart-{}.json", display.replace('/', "_")))
}

/// Write the state for the process about to exec (errors are logged: the restart then
/// only keeps what X properties carry).
pub fn keep(saved: &Saved) {
    let p = path();
    let result = serde_json::to_vec(saved)
        .map_err(std::io::Error::other)
        .and_then(|bytes| std::fs::write(&p, bytes));
    if let Err(e) = result {
        tracing::warn!(
            "cannot keep the state for the restart in {}: {e}",
            p.display()
        );
    }
}

/// The state written by this same process before it exec'd, if any; the file is removed.
pub fn take() -> Option<Saved> {
    let p = path();
    let bytes = std::fs::read(&p).ok()?;
    let _ = std::fs::remove_file(&p);
    match serde_json::from_slice::<Saved>(&bytes) {
        Ok(saved) if saved.pid == std::process::id() => Some(saved),
        Ok(_) => {
            tracing::debug!("ignoring restart state of another process");
            None
        }
        Err(e) => {
            tracing::warn!("ignoring unreadable restart state {}: {e}", p.display());
            None
        }
    }
}
