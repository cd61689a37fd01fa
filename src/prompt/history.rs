//! History of one prompt kind ("run", "group", "window", "lua", "sites"): entries oldest
//! first, without duplicates, at most [`MAX_ENTRIES`], kept as one entry per line in
//! `$XDG_STATE_HOME/oxtile/history-<kind>`. The password prompt keeps only sites here.

use std::path::{Path, PathBuf};

/// Entries kept per kind.
pub const MAX_ENTRIES: usize = 500;

/// The entries of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
}

impl History {
    /// Parse a history file's text (one entry per line, blank lines skipped).
    pub fn from_text(text: &str) -> History {
        let mut h = History::default();
        for line in text.lines() {
            h.push(line);
        }
        h
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            out.push_str(e);
            out.push('\n');
        }
        out
    }

    /// Add an entry as the newest; an equal older entry is moved, not repeated. Entries
    /// that would break the one-per-line file (newlines) or are blank are not kept.
    pub fn push(&mut self, entry: &str) {
        if entry.trim().is_empty() || entry.contains(['\n', '\r']) {
            return;
        }
        self.entries.retain(|e| e != entry);
        self.entries.push(entry.to_string());
        if self.entries.len() > MAX_ENTRIES {
            let extra = self.entries.len() - MAX_ENTRIES;
            self.entries.drain(..extra);
        }
    }

    /// Entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Whether `entry` is there.
    pub fn contains(&self, entry: &str) -> bool {
        self.entries.iter().any(|e| e == entry)
    }

    /// The file of `kind` under `dir` (the state directory).
    pub fn path(dir: &Path, kind: &str) -> PathBuf {
        dir.join(format!("history-{kind}"))
    }

    /// Read `kind`'s history; empty when there is no file yet or it cannot be read.
    pub fn load(dir: &Path, kind: &str) -> History {
        match std::fs::read_to_string(Self::path(dir, kind)) {
            Ok(text) => History::from_text(&text),
            Err(e) => {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!("reading the {kind} history: {e}");
                }
                History::default()
            }
        }
    }

    /// Write `kind`'s history (through a temporary file, so a crash never leaves half).
    pub fn save(&self, dir: &Path, kind: &str) -> std::io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = Self::path(dir, kind);
        let tmp = dir.join(format!(".history-{kind}.tmp"));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(self.to_text().as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_last_without_duplicates_or_blank_lines() {
        let mut h = History::from_text("ls\n\nxterm\nls\n");
        assert_eq!(h.entries(), ["xterm", "ls"]);
        h.push("xterm");
        assert_eq!(h.entries(), ["ls", "xterm"]);
        h.push("  ");
        h.push("two\nlines");
        assert_eq!(h.entries(), ["ls", "xterm"]);
        assert_eq!(History::from_text(&h.to_text()), h);
    }

    #[test]
    fn only_the_newest_entries_are_kept() {
        let mut h = History::default();
        for i in 0..MAX_ENTRIES + 10 {
            h.push(&i.to_string());
        }
        assert_eq!(h.entries().len(), MAX_ENTRIES);
        assert_eq!(h.entries()[0], "10");
    }

    #[test]
    fn saved_and_loaded_through_a_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(History::load(dir.path(), "run"), History::default());
        let mut h = History::default();
        h.push("firefox");
        h.push("ü-tool");
        h.save(dir.path(), "run").expect("saves");
        assert_eq!(History::load(dir.path(), "run"), h);
        let mode = std::fs::metadata(History::path(dir.path(), "run"))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
