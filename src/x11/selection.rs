//! The clipboard for derived passwords: oxtile owns CLIPBOARD (and optionally PRIMARY)
//! with the key event's timestamp, answers SelectionRequests for TARGETS, UTF8_STRING,
//! STRING, TEXT, TIMESTAMP and x-kde-passwordManagerHint ("secret": clipboard managers
//! skip it), refuses the rest, and after its time gives the selection up and wipes its copy.

use std::time::Instant;

use oxtile_password::Secret;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, PropMode, SelectionNotifyEvent,
    WindowClass, SELECTION_NOTIFY_EVENT,
};
use x11rb::wrapper::ConnectionExt as _;
use x11rb::{CURRENT_TIME, NONE};

use super::{Atoms, XError, X11};

/// A SelectionRequest as the loop hands it back to [`X11::answer_selection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectionRequest {
    /// The window that owns the selection (ours, if the request is for us).
    pub owner: u32,
    /// Who asks.
    pub requestor: u32,
    /// CLIPBOARD or PRIMARY.
    pub selection: u32,
    /// The form asked for.
    pub target: u32,
    /// Where to put it (NONE from obsolete clients: use the target).
    pub property: u32,
    /// The requestor's timestamp.
    pub time: u32,
}

/// What oxtile holds on the clipboard: the text (a derived password), which selections it
/// owns, since when, and until when.
#[derive(Debug, Default)]
pub struct Clipboard {
    window: u32,
    text: Option<Secret>,
    owned: Vec<u32>,
    since: u32,
    until: Option<Instant>,
}

impl Clipboard {
    /// Nothing held.
    pub fn new() -> Clipboard {
        Clipboard::default()
    }

    /// Whether a text is held (on any selection).
    pub fn holds(&self) -> bool {
        self.text.is_some()
    }

    /// When the held text must be given up.
    pub fn deadline(&self) -> Option<Instant> {
        self.until.filter(|_| self.text.is_some())
    }

    /// Whether the held text's time is up at `now`.
    pub fn expired(&self, now: Instant) -> bool {
        self.deadline().is_some_and(|t| t <= now)
    }

    /// Forget the text (zeroed as it drops) and the selections.
    pub fn wipe(&mut self) {
        self.text = None;
        self.owned.clear();
        self.until = None;
    }

    /// Another client took `selection` (SelectionClear): once no selection is ours, the
    /// text is wiped; there is nothing to give up any more.
    pub fn lost(&mut self, window: u32, selection: u32) {
        if window != self.window {
            return;
        }
        self.owned.retain(|&s| s != selection);
        if self.owned.is_empty() {
            self.wipe();
        }
    }
}

/// How to answer a request for `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// 32-bit values of a type (ATOM for TARGETS, INTEGER for TIMESTAMP).
    Values(u32, Vec<u32>),
    /// Bytes of a type.
    Bytes(u32, Vec<u8>),
    /// A target we do not offer: property None.
    Refuse,
}

/// The atoms that name the offered forms.
#[derive(Debug, Clone, Copy)]
struct Forms {
    targets: u32,
    timestamp: u32,
    utf8: u32,
    text: u32,
    hint: u32,
}

impl Forms {
    fn of(a: &Atoms) -> Forms {
        Forms {
            targets: a.TARGETS,
            timestamp: a.TIMESTAMP,
            utf8: a.UTF8_STRING,
            text: a.TEXT,
            hint: a.KDE_PASSWORD_HINT,
        }
    }

    /// The targets offered, TARGETS first.
    fn list(self) -> Vec<u32> {
        vec![
            self.targets,
            self.timestamp,
            self.utf8,
            AtomEnum::STRING.into(),
            self.text,
            self.hint,
        ]
    }
}

fn answer_for(f: Forms, target: u32, text: &str, since: u32) -> Answer {
    if target == f.targets {
        Answer::Values(AtomEnum::ATOM.into(), f.list())
    } else if target == f.timestamp {
        Answer::Values(AtomEnum::INTEGER.into(), vec![since])
    } else if target == f.utf8 || target == f.text {
        Answer::Bytes(f.utf8, text.as_bytes().to_vec())
    } else if target == u32::from(AtomEnum::STRING) {
        // STRING is Latin-1; what it cannot hold becomes '?'.
        let latin1 = text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect();
        Answer::Bytes(AtomEnum::STRING.into(), latin1)
    } else if target == f.hint {
        Answer::Bytes(f.hint, b"secret".to_vec())
    } else {
        Answer::Refuse
    }
}

impl X11 {
    /// Put `text` on CLIPBOARD (and PRIMARY) from `time` (the key event's timestamp) until
    /// `until`. Ownership is checked with GetSelectionOwner, as ICCCM asks; false when X
    /// gave it to nobody (someone set the selection after `time`), and then nothing is held.
    pub fn own_selection(
        &mut self,
        clip: &mut Clipboard,
        text: Secret,
        time: u32,
        primary: bool,
        until: Instant,
    ) -> Result<bool, XError> {
        clip.wipe();
        if clip.window == NONE {
            let win = self.conn.generate_id()?;
            self.conn.create_window(
                0,
                win,
                self.root,
                -1,
                -1,
                1,
                1,
                0,
                WindowClass::INPUT_ONLY,
                0,
                &CreateWindowAux::new().override_redirect(1),
            )?;
            clip.window = win;
        }
        let mut selections = vec![self.atoms.CLIPBOARD];
        if primary {
            selections.push(AtomEnum::PRIMARY.into());
        }
        for &s in &selections {
            self.conn.set_selection_owner(clip.window, s, time)?;
        }
        let cookies: Vec<_> = selections
            .iter()
            .map(|&s| self.conn.get_selection_owner(s))
            .collect::<Result<_, _>>()?;
        for (s, cookie) in selections.into_iter().zip(cookies) {
            if cookie.reply()?.owner == clip.window {
                clip.owned.push(s);
            }
        }
        if clip.owned.is_empty() {
            return Ok(false);
        }
        clip.text = Some(text);
        clip.since = time;
        clip.until = Some(until);
        Ok(true)
    }

    /// Answer a SelectionRequest: the property set (or None for what we refuse, for a
    /// selection we no longer hold, or for a request older than our ownership), then
    /// always a SelectionNotify.
    pub fn answer_selection(&self, clip: &Clipboard, req: &SelectionRequest) -> Result<(), XError> {
        let property = if req.property == NONE {
            req.target
        } else {
            req.property
        };
        let ours = req.owner == clip.window
            && clip.owned.contains(&req.selection)
            && (req.time == CURRENT_TIME || req.time >= clip.since);
        let answer = match (&clip.text, ours) {
            (Some(text), true) => answer_for(
                Forms::of(&self.atoms),
                req.target,
                text.expose(),
                clip.since,
            ),
            _ => Answer::Refuse,
        };
        let property = match answer {
            Answer::Values(ty, values) => {
                self.conn.change_property32(
                    PropMode::REPLACE,
                    req.requestor,
                    property,
                    ty,
                    &values,
                )?;
                property
            }
            Answer::Bytes(ty, mut bytes) => {
                self.conn.change_property(
                    PropMode::REPLACE,
                    req.requestor,
                    property,
                    ty,
                    8,
                    bytes.len() as u32,
                    &bytes,
                )?;
                zeroize::Zeroize::zeroize(&mut bytes);
                property
            }
            Answer::Refuse => NONE,
        };
        let notify = SelectionNotifyEvent {
            response_type: SELECTION_NOTIFY_EVENT,
            sequence: 0,
            time: req.time,
            requestor: req.requestor,
            selection: req.selection,
            target: req.target,
            property,
        };
        self.conn
            .send_event(false, req.requestor, EventMask::NO_EVENT, notify)?;
        self.conn.flush()?;
        Ok(())
    }

    /// Give up the selections and wipe the text if its time is up at `now`. Releasing
    /// with our own timestamp is ignored by X if someone took the selection since.
    pub fn expire_selection(&self, clip: &mut Clipboard, now: Instant) -> Result<(), XError> {
        if !clip.expired(now) {
            return Ok(());
        }
        let owned = std::mem::take(&mut clip.owned);
        let since = clip.since;
        clip.wipe();
        for s in owned {
            self.conn.set_selection_owner(NONE, s, since)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Distinct fake atom values: only the mapping from targets to answers is tested.
    const A: Forms = Forms {
        targets: 1001,
        timestamp: 1002,
        utf8: 1003,
        text: 1004,
        hint: 1005,
    };

    #[test]
    fn targets_texts_timestamps_and_the_password_manager_hint() {
        let a = A;
        assert_eq!(
            answer_for(a, a.targets, "pw", 7),
            Answer::Values(
                AtomEnum::ATOM.into(),
                vec![1001, 1002, 1003, AtomEnum::STRING.into(), 1004, 1005]
            )
        );
        assert_eq!(
            answer_for(a, a.timestamp, "pw", 7),
            Answer::Values(AtomEnum::INTEGER.into(), vec![7])
        );
        for t in [a.utf8, a.text] {
            assert_eq!(
                answer_for(a, t, "pä", 7),
                Answer::Bytes(1003, "pä".as_bytes().to_vec())
            );
        }
        assert_eq!(
            answer_for(a, AtomEnum::STRING.into(), "pä€", 7),
            Answer::Bytes(AtomEnum::STRING.into(), vec![b'p', 0xe4, b'?'])
        );
        assert_eq!(
            answer_for(a, a.hint, "pw", 7),
            Answer::Bytes(1005, b"secret".to_vec())
        );
        assert_eq!(answer_for(a, 4242, "pw", 7), Answer::Refuse);
    }

    fn holding(now: Instant) -> Clipboard {
        Clipboard {
            window: 5,
            text: Some(Secret::new("pw".into())),
            owned: vec![1006, AtomEnum::PRIMARY.into()],
            since: 7,
            until: Some(now + Duration::from_secs(45)),
        }
    }

    #[test]
    fn the_text_expires_at_its_deadline() {
        let t0 = Instant::now();
        let clip = holding(t0);
        assert_eq!(clip.deadline(), Some(t0 + Duration::from_secs(45)));
        assert!(!clip.expired(t0 + Duration::from_secs(44)));
        assert!(clip.expired(t0 + Duration::from_secs(45)));
        let mut empty = Clipboard::new();
        assert_eq!(empty.deadline(), None);
        empty.wipe();
        assert!(!empty.holds());
    }

    #[test]
    fn losing_every_selection_wipes_the_text() {
        let t0 = Instant::now();
        let mut clip = holding(t0);
        clip.lost(99, 1006);
        assert!(clip.holds(), "another window's SelectionClear is not ours");
        clip.lost(5, 1006);
        assert!(clip.holds(), "PRIMARY is still ours");
        clip.lost(5, AtomEnum::PRIMARY.into());
        assert!(!clip.holds());
        assert_eq!(clip.deadline(), None, "nothing left to give up");
    }
}
