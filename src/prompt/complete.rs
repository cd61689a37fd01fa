//! Tab completion: which candidates match what was typed, and what one Tab does with
//! them. The first Tab extends the text to the matches' longest common prefix; when that
//! adds nothing, Tab cycles through the matches. Candidates: `$PATH` programs (scanned on
//! a worker), group names, window titles, sites used before.

use std::collections::BTreeSet;
use std::path::Path;

/// How candidates match the typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Candidates starting with the text, case as typed (programs).
    Prefix,
    /// Candidates starting with the text ignoring case, else containing it (titles,
    /// groups, sites).
    Loose,
}

/// The candidates that match `typed`, in the candidates' order.
pub fn matches(candidates: &[String], typed: &str, how: Matching) -> Vec<String> {
    match how {
        Matching::Prefix => candidates
            .iter()
            .filter(|c| c.starts_with(typed))
            .cloned()
            .collect(),
        Matching::Loose => {
            let t = typed.to_lowercase();
            let prefix: Vec<String> = candidates
                .iter()
                .filter(|c| c.to_lowercase().starts_with(&t))
                .cloned()
                .collect();
            if !prefix.is_empty() {
                return prefix;
            }
            candidates
                .iter()
                .filter(|c| c.to_lowercase().contains(&t))
                .cloned()
                .collect()
        }
    }
}

/// The longest common prefix of `words` (in characters).
pub fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut len = first.chars().count();
    for w in &words[1..] {
        len = len.min(
            first
                .chars()
                .zip(w.chars())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first.chars().take(len).collect()
}

/// Completion in progress: the matches of the text Tab was first pressed on, and which
/// one is shown (`None`: the common prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The matches.
    pub matches: Vec<String>,
    /// The match shown, if cycling.
    pub shown: Option<usize>,
    /// The text the last Tab left (a different text means the user edited: start over).
    pub left: String,
}

/// One Tab on `typed`: the new text (`None`: nothing matches) and the cycle to keep for
/// the next Tab. `cycle` is the previous Tab's, if the text is still what it left.
pub fn tab(
    candidates: &[String],
    typed: &str,
    how: Matching,
    cycle: Option<Cycle>,
) -> Option<(String, Option<Cycle>)> {
    if let Some(mut c) = cycle.filter(|c| c.left == typed && !c.matches.is_empty()) {
        let next = c.shown.map_or(0, |i| (i + 1) % c.matches.len());
        c.shown = Some(next);
        c.left = c.matches[next].clone();
        return Some((c.left.clone(), Some(c)));
    }
    let found = matches(candidates, typed, how);
    match found.len() {
        0 => None,
        1 => Some((found[0].clone(), None)),
        _ => {
            let prefix = common_prefix(&found);
            let grows = prefix.chars().count() > typed.chars().count()
                && prefix.to_lowercase().starts_with(&typed.to_lowercase());
            let (text, shown) = if grows {
                (prefix, None)
            } else {
                (found[0].clone(), Some(0))
            };
            let cycle = Cycle {
                matches: found,
                shown,
                left: text.clone(),
            };
            Some((text, Some(cycle)))
        }
    }
}

/// Every executable file name in the directories of `path` (a `$PATH` value), sorted,
/// without duplicates. Runs on a worker thread: it reads directories.
pub fn path_programs(path: &str) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut names = BTreeSet::new();
    for dir in std::env::split_paths(path) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p: &Path = &entry.path();
            let executable = p
                .metadata()
                .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false);
            if executable {
                if let Some(name) = entry.file_name().to_str() {
                    names.insert(name.to_string());
                }
            }
        }
    }
    names.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn prefix_matching_is_exact_and_loose_matching_falls_back_to_substrings() {
        let c = list(&["firefox", "find", "Files", "xfind"]);
        assert_eq!(matches(&c, "fi", Matching::Prefix), ["firefox", "find"]);
        assert_eq!(
            matches(&c, "fi", Matching::Loose),
            ["firefox", "find", "Files"]
        );
        assert_eq!(matches(&c, "ind", Matching::Loose), ["find", "xfind"]);
        assert!(matches(&c, "zz", Matching::Loose).is_empty());
    }

    #[test]
    fn common_prefixes_count_characters() {
        assert_eq!(common_prefix(&list(&["über", "übel"])), "übe");
        assert_eq!(common_prefix(&list(&["a"])), "a");
        assert_eq!(common_prefix(&[]), "");
    }

    #[test]
    fn tab_completes_a_single_match_outright() {
        let c = list(&["xterm", "xclock"]);
        let (text, cycle) = tab(&c, "xt", Matching::Prefix, None).expect("match");
        assert_eq!(text, "xterm");
        assert_eq!(cycle, None);
        assert_eq!(tab(&c, "q", Matching::Prefix, None), None);
    }

    #[test]
    fn tab_extends_to_the_common_prefix_then_cycles() {
        let c = list(&["xclip", "xclock", "xterm"]);
        let (text, _) = tab(&c, "x", Matching::Prefix, None).expect("match");
        assert_eq!(
            text, "xclip",
            "the matches share only x: cycling starts at once"
        );
        let (text, cycle) = tab(&c, "xc", Matching::Prefix, None).expect("match");
        assert_eq!(text, "xcl");
        let (text, cycle) = tab(&c, &text, Matching::Prefix, cycle).expect("cycle");
        assert_eq!(text, "xclip");
        let (text, cycle) = tab(&c, &text, Matching::Prefix, cycle).expect("cycle");
        assert_eq!(text, "xclock");
        let (text, _) = tab(&c, &text, Matching::Prefix, cycle.clone()).expect("cycle");
        assert_eq!(text, "xclip", "wraps around");
        // An edit in between starts a new completion.
        let (text, _) = tab(&c, "xt", Matching::Prefix, cycle).expect("fresh");
        assert_eq!(text, "xterm");
    }

    #[test]
    fn path_programs_lists_executables_once() {
        use std::os::unix::fs::PermissionsExt;
        let a = tempfile::tempdir().expect("dir");
        let b = tempfile::tempdir().expect("dir");
        for (dir, name, mode) in [
            (&a, "tool", 0o755),
            (&a, "notes.txt", 0o644),
            (&b, "tool", 0o755),
            (&b, "other", 0o700),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, "").expect("write");
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        let path = format!("{}:{}:/nonexistent", a.path().display(), b.path().display());
        assert_eq!(path_programs(&path), ["other", "tool"]);
    }
}
