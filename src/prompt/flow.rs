//! A prompt session from open to close: the general prompts (one line: run, group,
//! window, lua) and the password prompt's stages (site → secret → optionally the secret
//! again for a new site). Pure: keys in, [`Step`]s out; the event loop carries them out.

use oxtile_password::{PasswordOptions, Secret};
use serde::{Deserialize, Serialize};

use super::complete::Matching;
use super::edit::{Editor, EditorView, Outcome, Scope};
use super::keys::Key;

/// The general prompts, after qtile's spawncmd, switchgroup, findwindow and qtilecmd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    /// Run a command; completes `$PATH` programs.
    Run,
    /// Show a group; completes group names.
    Group,
    /// Focus a window; completes window titles.
    Window,
    /// Evaluate Lua (like `oxtile cmd eval`).
    Lua,
}

impl PromptKind {
    /// Every kind.
    pub const ALL: [PromptKind; 4] = [
        PromptKind::Run,
        PromptKind::Group,
        PromptKind::Window,
        PromptKind::Lua,
    ];

    /// Its name in configs and history files ("run").
    pub fn name(self) -> &'static str {
        match self {
            PromptKind::Run => "run",
            PromptKind::Group => "group",
            PromptKind::Window => "window",
            PromptKind::Lua => "lua",
        }
    }

    /// The kind a config names.
    pub fn from_name(name: &str) -> Option<PromptKind> {
        PromptKind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn scope(self) -> Scope {
        match self {
            PromptKind::Run => Scope::FirstWord(Matching::Prefix),
            PromptKind::Group | PromptKind::Window => Scope::Line(Matching::Loose),
            PromptKind::Lua => Scope::None,
        }
    }
}

/// What a finished prompt asks for.
#[derive(Debug)]
pub enum Submitted {
    /// A general prompt's line.
    General {
        /// Which prompt.
        kind: PromptKind,
        /// What was typed.
        text: String,
    },
    /// Derive a password.
    Password {
        /// The site.
        site: String,
        /// The master secret.
        secret: Secret,
        /// How, and where the result goes.
        options: PasswordOptions,
    },
}

/// What the event loop does after a key.
#[derive(Debug)]
pub enum Step {
    /// Nothing to do.
    Unchanged,
    /// Redraw the prompt.
    Redraw,
    /// Close the prompt (Escape, or Return on an empty line).
    Close,
    /// Close the prompt and carry this out.
    Done(Submitted),
}

#[derive(Debug)]
enum Stage {
    General {
        kind: PromptKind,
        editor: Editor,
    },
    Site {
        editor: Editor,
    },
    Secret {
        site: String,
        editor: Editor,
        confirm: bool,
    },
    Confirm {
        site: String,
        first: Secret,
        editor: Editor,
    },
    Finished,
}

/// An open prompt.
#[derive(Debug)]
pub struct Flow {
    stage: Stage,
    password: Option<PasswordOptions>,
    known_sites: Vec<String>,
}

impl Flow {
    /// A general prompt with its history (oldest first) and completion candidates
    /// (`None`: still being gathered).
    pub fn general(
        kind: PromptKind,
        history: Vec<String>,
        candidates: Option<Vec<String>>,
    ) -> Flow {
        let editor = Editor::new(kind.name())
            .with_history(history)
            .with_completion(kind.scope(), candidates);
        Flow {
            stage: Stage::General { kind, editor },
            password: None,
            known_sites: Vec::new(),
        }
    }

    /// The password prompt: sites used before (completion and history), and the site
    /// guessed from the focused window.
    pub fn password(options: PasswordOptions, sites: Vec<String>, guess: Option<String>) -> Flow {
        let mut editor = Editor::new("site")
            .with_history(sites.clone())
            .with_completion(Scope::Line(Matching::Loose), Some(sites.clone()));
        if let Some(g) = guess {
            editor = editor.with_text(&g);
        }
        Flow {
            stage: Stage::Site { editor },
            password: Some(options),
            known_sites: sites,
        }
    }

    /// "run", "group", "window", "lua" or "password".
    pub fn kind_name(&self) -> &'static str {
        match &self.stage {
            Stage::General { kind, .. } => kind.name(),
            _ => "password",
        }
    }

    /// The general prompt's kind.
    pub fn kind(&self) -> Option<PromptKind> {
        match &self.stage {
            Stage::General { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Which question is asked: the kind's name, or "site", "secret", "confirm".
    pub fn stage_name(&self) -> &'static str {
        match &self.stage {
            Stage::General { kind, .. } => kind.name(),
            Stage::Site { .. } => "site",
            Stage::Secret { .. } => "secret",
            Stage::Confirm { .. } => "confirm",
            Stage::Finished => "finished",
        }
    }

    fn editor(&mut self) -> Option<&mut Editor> {
        match &mut self.stage {
            Stage::General { editor, .. }
            | Stage::Site { editor }
            | Stage::Secret { editor, .. }
            | Stage::Confirm { editor, .. } => Some(editor),
            Stage::Finished => None,
        }
    }

    /// Completion candidates arrived; true when the text changed.
    pub fn set_candidates(&mut self, candidates: Vec<String>) -> bool {
        self.editor().is_some_and(|e| e.set_candidates(candidates))
    }

    /// What to show.
    pub fn view(&self) -> EditorView {
        match &self.stage {
            Stage::General { editor, .. }
            | Stage::Site { editor }
            | Stage::Secret { editor, .. }
            | Stage::Confirm { editor, .. } => editor.view(),
            Stage::Finished => EditorView::default(),
        }
    }

    /// Handle a key.
    pub fn key(&mut self, key: Key) -> Step {
        let Some(editor) = self.editor() else {
            return Step::Unchanged;
        };
        match editor.key(key) {
            Outcome::Unchanged => Step::Unchanged,
            Outcome::Changed => Step::Redraw,
            Outcome::Cancel => {
                // Dropping the stage zeroes any secret it held.
                self.stage = Stage::Finished;
                Step::Close
            }
            Outcome::Submit => self.submit(),
        }
    }

    fn submit(&mut self) -> Step {
        let options = self.password.clone().unwrap_or_default();
        let mask = options.mask.clone();
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::General { kind, editor } => {
                let text = editor.text();
                if text.trim().is_empty() {
                    return Step::Close;
                }
                Step::Done(Submitted::General { kind, text })
            }
            Stage::Site { mut editor } => {
                let site = editor.text().trim().to_string();
                if let Err(e) = oxtile_password::check_site(options.scheme, &site) {
                    editor.set_hint(&e.to_string());
                    self.stage = Stage::Site { editor };
                    return Step::Redraw;
                }
                let confirm = options.confirm_new_site && !self.known_sites.contains(&site);
                let label = if confirm {
                    "new site, secret"
                } else {
                    "secret"
                };
                self.stage = Stage::Secret {
                    site,
                    editor: Editor::secret(label, &mask),
                    confirm,
                };
                Step::Redraw
            }
            Stage::Secret {
                site,
                mut editor,
                confirm,
            } => {
                let secret = editor.take_secret();
                if confirm {
                    self.stage = Stage::Confirm {
                        site,
                        first: secret,
                        editor: Editor::secret("again", &mask),
                    };
                    return Step::Redraw;
                }
                Step::Done(Submitted::Password {
                    site,
                    secret,
                    options,
                })
            }
            Stage::Confirm {
                site,
                first,
                mut editor,
            } => {
                let second = editor.take_secret();
                if first != second {
                    let mut editor = Editor::secret("new site, secret", &mask);
                    editor.set_hint("the two differ: type it again");
                    self.stage = Stage::Secret {
                        site,
                        editor,
                        confirm: true,
                    };
                    return Step::Redraw;
                }
                Step::Done(Submitted::Password {
                    site,
                    secret: first,
                    options,
                })
            }
            Stage::Finished => Step::Close,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxtile_password::Scheme;

    fn typed(f: &mut Flow, s: &str) -> Step {
        let mut last = Step::Unchanged;
        for c in s.chars() {
            last = f.key(Key::Char(c));
        }
        last
    }

    #[test]
    fn a_run_prompt_submits_what_was_typed_and_closes_on_an_empty_line() {
        let mut f = Flow::general(PromptKind::Run, vec![], Some(vec![]));
        assert_eq!(f.kind_name(), "run");
        assert!(matches!(typed(&mut f, "xterm -e top"), Step::Redraw));
        match f.key(Key::Return) {
            Step::Done(Submitted::General { kind, text }) => {
                assert_eq!(kind, PromptKind::Run);
                assert_eq!(text, "xterm -e top");
            }
            other => panic!("{other:?}"),
        }
        let mut empty = Flow::general(PromptKind::Group, vec![], Some(vec![]));
        typed(&mut empty, "  ");
        assert!(matches!(empty.key(Key::Return), Step::Close));
        let mut esc = Flow::general(PromptKind::Lua, vec![], None);
        typed(&mut esc, "1+1");
        assert!(matches!(esc.key(Key::Escape), Step::Close));
    }

    fn password(options: PasswordOptions, known: &[&str], guess: Option<&str>) -> Flow {
        Flow::password(
            options,
            known.iter().map(|s| s.to_string()).collect(),
            guess.map(str::to_string),
        )
    }

    #[test]
    fn the_password_prompt_asks_the_site_then_the_masked_secret() {
        let mut f = password(PasswordOptions::default(), &[], Some("github.com"));
        assert_eq!(f.stage_name(), "site");
        assert_eq!(f.view().text, "github.com", "pre-filled, editable");
        f.key(Key::KillLine);
        typed(&mut f, "example.org");
        assert!(matches!(f.key(Key::Return), Step::Redraw));
        assert_eq!(f.stage_name(), "secret");
        typed(&mut f, "hunter2");
        let v = f.view();
        assert_eq!(v.label, "secret");
        assert_eq!(v.text, "•••••••");
        assert!(
            !format!("{f:?}").contains("hunter2"),
            "Debug shows no secret"
        );
        match f.key(Key::Return) {
            Step::Done(Submitted::Password { site, secret, .. }) => {
                assert_eq!(site, "example.org");
                assert_eq!(secret.expose(), "hunter2");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_site_too_short_for_the_scheme_is_refused_before_the_secret() {
        let options = PasswordOptions {
            scheme: Scheme::Pbkdf2Sha512,
            ..PasswordOptions::default()
        };
        let mut f = password(options, &[], None);
        typed(&mut f, "x");
        assert!(matches!(f.key(Key::Return), Step::Redraw));
        assert_eq!(f.stage_name(), "site", "still asking for the site");
        assert!(f.view().hint.contains("at least 2"), "{}", f.view().hint);
        assert!(matches!(f.key(Key::Return), Step::Redraw));
    }

    #[test]
    fn a_new_site_asks_twice_when_configured_and_mismatches_start_over() {
        let options = PasswordOptions {
            confirm_new_site: true,
            ..PasswordOptions::default()
        };
        let mut f = password(options.clone(), &["known.org"], None);
        typed(&mut f, "new.org");
        f.key(Key::Return);
        assert_eq!(f.view().label, "new site, secret");
        typed(&mut f, "one");
        f.key(Key::Return);
        assert_eq!(f.stage_name(), "confirm");
        typed(&mut f, "two");
        assert!(matches!(f.key(Key::Return), Step::Redraw));
        assert_eq!(f.stage_name(), "secret");
        assert_eq!(f.view().hint, "the two differ: type it again");
        typed(&mut f, "one");
        f.key(Key::Return);
        typed(&mut f, "one");
        assert!(matches!(
            f.key(Key::Return),
            Step::Done(Submitted::Password { .. })
        ));
        // A known site is asked once.
        let mut known = password(options, &["known.org"], Some("known.org"));
        known.key(Key::Return);
        typed(&mut known, "s");
        assert!(matches!(
            known.key(Key::Return),
            Step::Done(Submitted::Password { .. })
        ));
    }

    #[test]
    fn escape_at_the_secret_closes_and_sites_complete_from_history() {
        let mut f = password(
            PasswordOptions::default(),
            &["github.com", "gitlab.com"],
            None,
        );
        typed(&mut f, "gith");
        f.key(Key::Tab);
        assert_eq!(f.view().text, "github.com");
        f.key(Key::Return);
        typed(&mut f, "secret");
        assert!(matches!(f.key(Key::Escape), Step::Close));
        assert!(matches!(f.key(Key::Char('x')), Step::Unchanged), "closed");
    }

    #[test]
    fn kinds_have_names() {
        for k in PromptKind::ALL {
            assert_eq!(PromptKind::from_name(k.name()), Some(k));
        }
        assert_eq!(PromptKind::from_name("spawn"), None);
    }
}
