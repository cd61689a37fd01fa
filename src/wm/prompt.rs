//! The prompt as the event loop runs it: opening (the keyboard grabbed on the root, with
//! brief retries and a message in the bar when another client holds it), keys in through
//! the pure [`Flow`], what a finished prompt asks for carried out, key derivation on a
//! worker thread, the result put on the clipboard or typed, and every way of closing
//! giving the keyboard back. The prompt widget only shows what [`Wm::show_prompt`] sends.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use oxtile_password::{PasswordError, PasswordOptions, Secret};
use oxtile_widgets::prompt::PromptView;
use serde_json::Value;

use super::Wm;
use crate::action::Action;
use crate::prompt::complete::path_programs;
use crate::prompt::history::History;
use crate::prompt::{key_of, Flow, PromptKind, Step, Submitted};
use crate::x11::{Clipboard, GrabRefused, KeyInput, SelectionRequest};

/// How long to keep asking for the keyboard when another client holds it.
const GRAB_PATIENCE: Duration = Duration::from_millis(1000);
/// Pause between two tries.
const GRAB_RETRY: Duration = Duration::from_millis(50);
/// How long a message stays in the bar.
const MESSAGE_TIME: Duration = Duration::from_secs(5);
/// The history file of the password prompt: sites only, never secrets.
const SITES: &str = "sites";

/// What workers post back to the loop.
pub enum PromptMsg {
    /// `$PATH` programs, for the run prompt opened as `generation`.
    Programs(u64, Vec<String>),
    /// A derived password (or why not).
    Derived(Derived),
}

/// A derivation's result, with what is needed to deliver it.
pub struct Derived {
    job: u64,
    site: String,
    options: PasswordOptions,
    /// The timestamp of the key that submitted the secret.
    time: u32,
    result: Result<Secret, PasswordError>,
}

/// Keyboard ownership of the open prompt.
enum Grab {
    Held,
    /// Asking again at `next`, giving up at `until`.
    Waiting {
        next: Instant,
        until: Instant,
    },
}

/// Everything the prompt needs between turns.
pub(crate) struct Prompting {
    flow: Option<Flow>,
    grab: Option<Grab>,
    /// The prompt widget showing it: (bar, slot).
    at: Option<(usize, usize)>,
    message: Option<(String, bool, Option<Instant>)>,
    clipboard: Clipboard,
    generation: u64,
    job: u64,
    tx: Option<calloop::channel::Sender<PromptMsg>>,
}

impl Prompting {
    /// Nothing open; `tx` is where workers post (None until the loop exists).
    pub(crate) fn new() -> Prompting {
        Prompting {
            flow: None,
            grab: None,
            at: None,
            message: None,
            clipboard: Clipboard::new(),
            generation: 0,
            job: 0,
            tx: None,
        }
    }

    /// Where workers post their results.
    pub(crate) fn set_sender(&mut self, tx: calloop::channel::Sender<PromptMsg>) {
        self.tx = Some(tx);
    }

    /// The earliest instant the prompt needs the loop: a grab retry, a message to take
    /// down, the clipboard's time running out.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        let grab = match &self.grab {
            Some(Grab::Waiting { next, .. }) => Some(*next),
            _ => None,
        };
        let message = self.message.as_ref().and_then(|m| m.2);
        [grab, message, self.clipboard.deadline()]
            .into_iter()
            .flatten()
            .min()
    }
}

fn state_dir() -> PathBuf {
    crate::paths::state_dir()
}

impl Wm {
    /// `Action::Prompt` and `Action::PasswordPrompt`.
    pub(super) fn open_prompt(&mut self, kind: Option<PromptKind>, options: PasswordOptions) {
        self.close_prompt();
        self.bars.dismiss_popup(&mut self.x);
        let Some(at) = self.bars.find_widget("prompt", self.state.focused_screen) else {
            let problem =
                "a prompt needs a prompt widget: add oxtile.widget.prompt{} to a bar".to_string();
            tracing::warn!("{problem}");
            if !self.errors.contains(&problem) {
                self.errors.push(problem);
                self.bars_stale = true;
            }
            return;
        };
        self.prompt.at = Some(at);
        let flow = match kind {
            Some(kind) => {
                let history = History::load(&state_dir(), kind.name());
                let candidates = self.candidates(kind);
                Flow::general(kind, history.entries().to_vec(), candidates)
            }
            None => {
                if let Err(e) = options.check() {
                    self.prompt_message(format!("password prompt: {e}"), true);
                    return;
                }
                let sites = History::load(&state_dir(), SITES);
                let guess = options.prefill.then(|| self.site_guess()).flatten();
                Flow::password(options, sites.entries().to_vec(), guess)
            }
        };
        self.prompt.flow = Some(flow);
        self.prompt.message = None;
        self.try_grab(Instant::now(), None);
    }

    /// Completion candidates of a general prompt; `None` while a worker gathers them.
    fn candidates(&mut self, kind: PromptKind) -> Option<Vec<String>> {
        match kind {
            PromptKind::Run => {
                self.prompt.generation += 1;
                let generation = self.prompt.generation;
                let tx = self.prompt.tx.clone()?;
                let path = std::env::var("PATH").unwrap_or_default();
                let spawned = std::thread::Builder::new()
                    .name("prompt-path".into())
                    .spawn(move || {
                        let _ = tx.send(PromptMsg::Programs(generation, path_programs(&path)));
                    });
                if let Err(e) = spawned {
                    tracing::warn!("cannot list the programs on $PATH: {e}");
                    return Some(Vec::new());
                }
                None
            }
            PromptKind::Group => Some(self.state.groups.iter().map(|g| g.name.clone()).collect()),
            PromptKind::Window => {
                let mut titles: Vec<String> = self
                    .state
                    .clients
                    .values()
                    .map(|c| c.info.title.clone())
                    .filter(|t| !t.is_empty())
                    .collect();
                titles.sort();
                titles.dedup();
                Some(titles)
            }
            PromptKind::Lua => Some(Vec::new()),
        }
    }

    /// The site the focused window names in its title or class, if it looks like one.
    fn site_guess(&self) -> Option<String> {
        let client = self
            .state
            .focused()
            .and_then(|w| self.state.clients.get(&w))?;
        oxtile_password::site_from_title(&client.info.title)
            .or_else(|| oxtile_password::site_from_title(&client.info.class))
    }

    /// Ask X for the keyboard. `waiting` carries the give-up time of earlier tries.
    fn try_grab(&mut self, now: Instant, waiting: Option<Instant>) {
        match self.x.grab_keyboard_for_text() {
            Ok(Ok(())) => {
                self.prompt.grab = Some(Grab::Held);
                self.prompt.message = None;
            }
            Ok(Err(why)) => {
                let until = waiting.unwrap_or(now + GRAB_PATIENCE);
                if now >= until {
                    self.prompt.grab = None;
                    self.prompt.flow = None;
                    let why = match why {
                        GrabRefused::AlreadyGrabbed => "AlreadyGrabbed",
                        GrabRefused::Frozen => "Frozen",
                        GrabRefused::Other => "refused",
                    };
                    self.prompt_message(
                        format!(
                            "cannot open the prompt: another program holds the keyboard ({why})"
                        ),
                        true,
                    );
                    return;
                }
                self.prompt.grab = Some(Grab::Waiting {
                    next: now + GRAB_RETRY,
                    until,
                });
                self.prompt.message = Some((
                    "waiting for the keyboard: another program holds it".into(),
                    false,
                    None,
                ));
            }
            Err(e) => {
                tracing::warn!("grabbing the keyboard for the prompt: {e}");
                self.prompt.grab = None;
                self.prompt.flow = None;
                self.prompt_message(format!("cannot open the prompt: {e}"), true);
                return;
            }
        }
        self.show_prompt();
    }

    /// Close whatever prompt is open and give the keyboard back (Escape, submit, reload,
    /// a failed grab: every way out ends here). Any secret it held is zeroed as it drops.
    pub(super) fn close_prompt(&mut self) {
        self.prompt.flow = None;
        if self.prompt.grab.take().is_some() || self.x.text_input() {
            if let Err(e) = self.x.release_keyboard_for_text() {
                tracing::warn!("releasing the keyboard: {e}");
            }
        }
        self.show_prompt();
    }

    /// Forget the prompt widget (bars are rebuilt on reload).
    pub(super) fn prompt_bars_rebuilt(&mut self) {
        self.close_prompt();
        self.prompt.at = None;
        self.prompt.message = None;
    }

    /// A key while the prompt holds the keyboard.
    pub(super) fn prompt_key(&mut self, input: KeyInput) {
        let Some(flow) = self.prompt.flow.as_mut() else {
            return;
        };
        let ch = if input.command { None } else { input.ch };
        let step = flow.key(key_of(input.keysym, ch, input.control));
        match step {
            Step::Unchanged => {}
            Step::Redraw => self.show_prompt(),
            Step::Close => self.close_prompt(),
            Step::Done(done) => {
                self.close_prompt();
                self.submitted(done, input.time);
            }
        }
    }

    fn submitted(&mut self, done: Submitted, time: u32) {
        let remember = |kind: &str, entry: &str| {
            let dir = state_dir();
            let mut h = History::load(&dir, kind);
            h.push(entry);
            if let Err(e) = h.save(&dir, kind) {
                tracing::warn!("saving the {kind} history: {e}");
            }
        };
        match done {
            Submitted::General { kind, text } => match kind {
                PromptKind::Run => {
                    remember(kind.name(), &text);
                    self.children.extend(super::spawn(&text));
                }
                PromptKind::Group => match self.state.group_index(text.trim()) {
                    Some(_) => {
                        remember(kind.name(), text.trim());
                        self.actions.push_back(Action::ToGroup {
                            group: text.trim().to_string(),
                        });
                    }
                    None => self.prompt_message(format!("no group '{}'", text.trim()), true),
                },
                PromptKind::Window => match self.window_titled(text.trim()) {
                    Some(window) => {
                        remember(kind.name(), text.trim());
                        self.actions.push_back(Action::FocusWindow { window });
                    }
                    None => {
                        self.prompt_message(format!("no window matches '{}'", text.trim()), true)
                    }
                },
                PromptKind::Lua => {
                    remember(kind.name(), &text);
                    let view = self.state.view();
                    let (result, queued) = self.lua.eval(&text, &view);
                    self.actions.extend(queued);
                    match result {
                        Ok(out) if out.is_empty() => {}
                        Ok(out) => self.prompt_message(out, false),
                        Err(e) => self.prompt_message(e, true),
                    }
                }
            },
            Submitted::Password {
                site,
                secret,
                options,
            } => {
                remember(SITES, &site);
                self.derive(site, secret, options, time);
            }
        }
    }

    /// The window whose title is `text`, else the first whose title contains it.
    fn window_titled(&self, text: &str) -> Option<u32> {
        let lower = text.to_lowercase();
        let mut clients: Vec<_> = self.state.clients.iter().collect();
        clients.sort_by_key(|(id, _)| **id);
        clients
            .iter()
            .find(|(_, c)| c.info.title == text)
            .or_else(|| {
                clients
                    .iter()
                    .find(|(_, c)| c.info.title.to_lowercase().contains(&lower))
            })
            .map(|(id, _)| **id)
    }

    /// Derive on a worker thread: PBKDF2 must not freeze the bar.
    fn derive(&mut self, site: String, secret: Secret, options: PasswordOptions, time: u32) {
        self.prompt.job += 1;
        let job = self.prompt.job;
        let Some(tx) = self.prompt.tx.clone() else {
            return;
        };
        self.prompt.message = Some((format!("deriving the password for {site}…"), false, None));
        self.show_prompt();
        let spawned = std::thread::Builder::new()
            .name("password".into())
            .spawn(move || {
                let result = oxtile_password::derive(&options, &site, &secret);
                drop(secret);
                let _ = tx.send(PromptMsg::Derived(Derived {
                    job,
                    site,
                    options,
                    time,
                    result,
                }));
            });
        if let Err(e) = spawned {
            self.prompt_message(format!("cannot start the password worker: {e}"), true);
        }
    }

    /// A worker's news.
    pub(super) fn prompt_msg(&mut self, msg: PromptMsg) {
        match msg {
            PromptMsg::Programs(generation, programs) => {
                if generation != self.prompt.generation {
                    return;
                }
                let changed = self.prompt.flow.as_mut().is_some_and(|f| {
                    f.kind() == Some(PromptKind::Run) && f.set_candidates(programs)
                });
                if changed {
                    self.show_prompt();
                }
            }
            PromptMsg::Derived(d) => {
                if d.job != self.prompt.job {
                    return;
                }
                self.deliver(d);
            }
        }
    }

    fn deliver(&mut self, d: Derived) {
        let password = match d.result {
            Ok(p) => p,
            Err(e) => {
                self.prompt_message(e.to_string(), true);
                return;
            }
        };
        let site = d.site;
        if d.options.type_result {
            match self.x.type_text(&password) {
                Ok(()) => self.prompt_message(format!("typed the password for {site}"), false),
                Err(e) => self.prompt_message(e.to_string(), true),
            }
            return;
        }
        let secs = d.options.clipboard_seconds;
        let until = Instant::now() + Duration::from_secs_f64(secs);
        match self.x.own_selection(
            &mut self.prompt.clipboard,
            password,
            d.time,
            d.options.primary,
            until,
        ) {
            Ok(true) => self.prompt_message(
                format!("password for {site} on the clipboard for {secs} s"),
                false,
            ),
            Ok(false) => self.prompt_message(
                "could not take the clipboard: another program set it since".into(),
                true,
            ),
            Err(e) => self.prompt_message(format!("clipboard: {e}"), true),
        }
    }

    /// Timers: grab retries, messages to take down, the clipboard's time.
    pub(super) fn prompt_timers(&mut self, now: Instant) {
        if let Some(Grab::Waiting { next, until, .. }) = self.prompt.grab {
            if next <= now {
                self.try_grab(now, Some(until));
            }
        }
        if self
            .prompt
            .message
            .as_ref()
            .is_some_and(|m| m.2.is_some_and(|t| t <= now))
        {
            self.prompt.message = None;
            self.show_prompt();
        }
        if let Err(e) = self.x.expire_selection(&mut self.prompt.clipboard, now) {
            tracing::warn!("giving up the clipboard: {e}");
        }
    }

    /// Another client asks for the clipboard.
    pub(super) fn selection_request(&mut self, req: SelectionRequest) {
        if let Err(e) = self.x.answer_selection(&self.prompt.clipboard, &req) {
            tracing::debug!("answering a selection request: {e}");
        }
    }

    /// Another client took a selection.
    pub(super) fn selection_clear(&mut self, window: u32, selection: u32) {
        self.prompt.clipboard.lost(window, selection);
    }

    /// Show `text` in the prompt widget for a few seconds.
    fn prompt_message(&mut self, text: String, error: bool) {
        if error {
            tracing::info!("prompt: {text}");
        }
        self.prompt.message = Some((text, error, Some(Instant::now() + MESSAGE_TIME)));
        self.show_prompt();
    }

    /// Send the prompt widget what to show.
    fn show_prompt(&mut self) {
        let Some(at) = self.prompt.at else {
            return;
        };
        let held = matches!(self.prompt.grab, Some(Grab::Held));
        let mut view = match (&self.prompt.flow, held) {
            (Some(flow), true) => {
                let v = flow.view();
                PromptView {
                    active: true,
                    label: v.label,
                    text: v.text,
                    cursor: v.cursor,
                    hint: v.hint,
                    ..PromptView::default()
                }
            }
            _ => PromptView::default(),
        };
        if let Some((text, error, _)) = &self.prompt.message {
            view.message = text.clone();
            view.error = *error;
        }
        let data = serde_json::to_value(&view).unwrap_or(Value::Null);
        self.bars.set_widget_data(at, &data);
    }
}
