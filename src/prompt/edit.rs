//! One line of input with a label: editing keys, history recall (Up/Down) and Tab
//! completion for plain prompts; a masked line with neither for secrets. Pure: keys in,
//! [`Outcome`]s out, the text to show through [`Editor::view`].

use oxtile_password::Secret;

use super::complete::{self, Cycle, Matching};
use super::keys::Key;
use super::line::Line;

/// What a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing changed.
    Unchanged,
    /// The text, cursor or hint changed: redraw.
    Changed,
    /// Return: the caller takes the text ([`Editor::text`] or [`Editor::take_secret`]).
    Submit,
    /// Escape.
    Cancel,
}

/// Where completion applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No completion.
    None,
    /// The whole line.
    Line(Matching),
    /// The first word only, while no space was typed (a command and its arguments).
    FirstWord(Matching),
}

/// How the line is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// As typed.
    Plain,
    /// One `mask` per character (`""`: nothing at all, not even the count).
    Masked(String),
}

/// A label and an editable line.
pub struct Editor {
    label: String,
    line: Line,
    shown: Shown,
    history: Vec<String>,
    /// Index into `history` being shown, and the line as it was before Up.
    browse: Option<(usize, String)>,
    scope: Scope,
    candidates: Option<Vec<String>>,
    cycle: Option<Cycle>,
    /// Tab was pressed before the candidates arrived: complete when they do.
    tab_waiting: bool,
    hint: String,
}

/// What a prompt shows: label, text (masked for secrets), cursor, and a hint (the
/// completion's matches, a message).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EditorView {
    /// "run", "site", …
    pub label: String,
    /// The text as shown (masked for secrets).
    pub text: String,
    /// Cursor position in characters of `text`.
    pub cursor: usize,
    /// Completion matches or a message.
    pub hint: String,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only what cannot hold a secret: a secret prompt's line shows as a length.
        f.debug_struct("Editor")
            .field("label", &self.label)
            .field("line", &self.line)
            .field("secret", &self.is_secret())
            .finish_non_exhaustive()
    }
}

impl Editor {
    /// A plain prompt labelled `label`.
    pub fn new(label: &str) -> Editor {
        Editor {
            label: label.to_string(),
            line: Line::new(),
            shown: Shown::Plain,
            history: Vec::new(),
            browse: None,
            scope: Scope::None,
            candidates: Some(Vec::new()),
            cycle: None,
            tab_waiting: false,
            hint: String::new(),
        }
    }

    /// A secret prompt: masked, no history, no completion.
    pub fn secret(label: &str, mask: &str) -> Editor {
        Editor {
            shown: Shown::Masked(mask.to_string()),
            ..Editor::new(label)
        }
    }

    /// Start with `text` (cursor at its end).
    pub fn with_text(mut self, text: &str) -> Editor {
        self.line.set(text);
        self
    }

    /// Recall these entries with Up/Down (oldest first).
    pub fn with_history(mut self, entries: Vec<String>) -> Editor {
        self.history = entries;
        self
    }

    /// Complete in this scope; candidates come later through
    /// [`set_candidates`](Self::set_candidates) (until then Tab waits for them).
    pub fn with_completion(mut self, scope: Scope, candidates: Option<Vec<String>>) -> Editor {
        self.scope = scope;
        self.candidates = candidates;
        self
    }

    /// Whether this is a secret prompt.
    pub fn is_secret(&self) -> bool {
        matches!(self.shown, Shown::Masked(_))
    }

    /// The completion candidates arrived; a waiting Tab completes now. True when the text
    /// changed.
    pub fn set_candidates(&mut self, candidates: Vec<String>) -> bool {
        self.candidates = Some(candidates);
        std::mem::take(&mut self.tab_waiting) && self.tab() == Outcome::Changed
    }

    /// Set the hint line (a message, or the matches).
    pub fn set_hint(&mut self, hint: &str) {
        self.hint = hint.to_string();
    }

    /// Handle one key.
    pub fn key(&mut self, key: Key) -> Outcome {
        let l = &mut self.line;
        let changed = match key {
            Key::Return => return Outcome::Submit,
            Key::Escape => return Outcome::Cancel,
            Key::Tab => return self.tab(),
            Key::Up => return self.recall(true),
            Key::Down => return self.recall(false),
            Key::Char(c) => {
                l.insert(c);
                true
            }
            Key::Backspace => l.backspace(),
            Key::Delete => l.delete(),
            Key::Left => l.left(),
            Key::Right => l.right(),
            Key::Home => l.home(),
            Key::End => l.end(),
            Key::KillLine => l.kill_to_start(),
            Key::KillWord => l.kill_word(),
            Key::Ignored => false,
        };
        if changed {
            self.hint.clear();
            Outcome::Changed
        } else {
            Outcome::Unchanged
        }
    }

    fn tab(&mut self) -> Outcome {
        let how = match self.scope {
            Scope::None => return Outcome::Unchanged,
            Scope::Line(m) => m,
            Scope::FirstWord(m) => {
                if self.line.chars().iter().any(|c| c.is_whitespace()) {
                    return Outcome::Unchanged;
                }
                m
            }
        };
        if self.is_secret() {
            return Outcome::Unchanged;
        }
        let Some(candidates) = &self.candidates else {
            self.tab_waiting = true;
            return Outcome::Unchanged;
        };
        let typed = self.line.text();
        match complete::tab(candidates, &typed, how, self.cycle.take()) {
            None => {
                self.hint = "no match".into();
                Outcome::Changed
            }
            Some((text, cycle)) => {
                self.hint = cycle
                    .as_ref()
                    .map(|c| matches_hint(&c.matches, c.shown))
                    .unwrap_or_default();
                self.cycle = cycle;
                self.line.set(&text);
                Outcome::Changed
            }
        }
    }

    fn recall(&mut self, older: bool) -> Outcome {
        if self.is_secret() || self.history.is_empty() {
            return Outcome::Unchanged;
        }
        let last = self.history.len() - 1;
        let next = match (&self.browse, older) {
            (None, true) => Some(last),
            (None, false) => return Outcome::Unchanged,
            (Some((0, _)), true) => return Outcome::Unchanged,
            (Some((i, _)), true) => Some(i - 1),
            (Some((i, _)), false) if *i < last => Some(i + 1),
            (Some(_), false) => None,
        };
        match next {
            Some(i) => {
                let saved = match self.browse.take() {
                    Some((_, saved)) => saved,
                    None => self.line.text(),
                };
                self.line.set(&self.history[i]);
                self.browse = Some((i, saved));
            }
            None => {
                if let Some((_, saved)) = self.browse.take() {
                    self.line.set(&saved);
                }
            }
        }
        self.hint.clear();
        Outcome::Changed
    }

    /// The text (plain prompts).
    pub fn text(&self) -> String {
        self.line.text()
    }

    /// Take the text as a secret, leaving the line empty (and zeroed).
    pub fn take_secret(&mut self) -> Secret {
        let secret = Secret::from_chars(self.line.chars());
        self.line.clear();
        secret
    }

    /// What to show.
    pub fn view(&self) -> EditorView {
        let (text, cursor) = match &self.shown {
            Shown::Plain => (self.line.text(), self.line.cursor()),
            Shown::Masked(m) if m.is_empty() => (String::new(), 0),
            Shown::Masked(m) => (m.repeat(self.line.len()), self.line.cursor()),
        };
        EditorView {
            label: self.label.clone(),
            text,
            cursor,
            hint: self.hint.clone(),
        }
    }
}

/// The matches as a hint line, the shown one in brackets, at most ten.
fn matches_hint(matches: &[String], shown: Option<usize>) -> String {
    let mut out: Vec<String> = matches
        .iter()
        .enumerate()
        .take(10)
        .map(|(i, m)| {
            if Some(i) == shown {
                format!("[{m}]")
            } else {
                m.clone()
            }
        })
        .collect();
    if matches.len() > 10 {
        out.push(format!("(+{})", matches.len() - 10));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(e: &mut Editor, s: &str) {
        for c in s.chars() {
            e.key(Key::Char(c));
        }
    }

    fn list(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn editing_keys_change_the_text_and_return_submits() {
        let mut e = Editor::new("run");
        typed(&mut e, "xtrm");
        assert_eq!(e.key(Key::Left), Outcome::Changed);
        assert_eq!(e.key(Key::Left), Outcome::Changed);
        typed(&mut e, "e");
        assert_eq!(e.text(), "xterm");
        assert_eq!(e.view().cursor, 3);
        assert_eq!(e.key(Key::End), Outcome::Changed);
        assert_eq!(e.key(Key::End), Outcome::Unchanged);
        assert_eq!(e.key(Key::Ignored), Outcome::Unchanged);
        assert_eq!(e.key(Key::Return), Outcome::Submit);
        assert_eq!(e.key(Key::Escape), Outcome::Cancel);
    }

    #[test]
    fn up_and_down_walk_the_history_and_restore_the_typed_line() {
        let mut e = Editor::new("run").with_history(list(&["one", "two"]));
        typed(&mut e, "dra");
        assert_eq!(e.key(Key::Down), Outcome::Unchanged);
        e.key(Key::Up);
        assert_eq!(e.text(), "two");
        e.key(Key::Up);
        assert_eq!(e.text(), "one");
        assert_eq!(e.key(Key::Up), Outcome::Unchanged, "oldest reached");
        e.key(Key::Down);
        assert_eq!(e.text(), "two");
        e.key(Key::Down);
        assert_eq!(e.text(), "dra", "back to what was typed");
        assert_eq!(e.key(Key::Down), Outcome::Unchanged);
    }

    #[test]
    fn tab_completes_the_first_word_only() {
        let mut e = Editor::new("run").with_completion(
            Scope::FirstWord(Matching::Prefix),
            Some(list(&["xclip", "xclock", "xterm"])),
        );
        typed(&mut e, "xc");
        e.key(Key::Tab);
        assert_eq!(e.text(), "xcl");
        e.key(Key::Tab);
        assert_eq!(e.text(), "xclip");
        assert_eq!(e.view().hint, "[xclip] xclock");
        e.key(Key::Tab);
        assert_eq!(e.text(), "xclock");
        typed(&mut e, " -x");
        assert_eq!(
            e.key(Key::Tab),
            Outcome::Unchanged,
            "arguments are not completed"
        );
        assert_eq!(e.view().hint, "", "typing clears the hint");
    }

    #[test]
    fn a_tab_before_the_candidates_arrive_completes_when_they_do() {
        let mut e = Editor::new("run").with_completion(Scope::FirstWord(Matching::Prefix), None);
        typed(&mut e, "xte");
        assert_eq!(e.key(Key::Tab), Outcome::Unchanged);
        assert!(e.set_candidates(list(&["xterm"])));
        assert_eq!(e.text(), "xterm");
        assert!(!e.set_candidates(list(&["xterm"])), "only once");
    }

    #[test]
    fn no_match_says_so() {
        let mut e = Editor::new("group")
            .with_completion(Scope::Line(Matching::Loose), Some(list(&["web", "mail"])));
        typed(&mut e, "zz");
        assert_eq!(e.key(Key::Tab), Outcome::Changed);
        assert_eq!(e.view().hint, "no match");
        assert_eq!(e.text(), "zz");
    }

    #[test]
    fn secrets_are_masked_and_neither_recalled_nor_completed() {
        let mut e = Editor::secret("secret", "•")
            .with_history(list(&["old"]))
            .with_completion(Scope::Line(Matching::Loose), Some(list(&["pässwörd"])));
        typed(&mut e, "päss");
        let v = e.view();
        assert_eq!((v.text.as_str(), v.cursor), ("••••", 4));
        assert_eq!(e.key(Key::Up), Outcome::Unchanged);
        assert_eq!(e.key(Key::Tab), Outcome::Unchanged);
        assert!(!format!("{e:?}").contains("päss"), "Debug shows no secret");
        let s = e.take_secret();
        assert_eq!(s.expose(), "päss");
        assert_eq!(e.view().text, "", "the line is empty after");
        let mut hidden = Editor::secret("secret", "");
        typed(&mut hidden, "abc");
        assert_eq!(hidden.view().text, "", "an empty mask shows nothing");
        assert_eq!(hidden.view().cursor, 0);
    }
}
