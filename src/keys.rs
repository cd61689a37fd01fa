//! The key-binding state machine, pure: which (modifiers, keysym) pairs to grab in the
//! current mode (root bindings, or the active chord's), and what a key press means.
//! The X adapter turns keycodes into keysyms and grabs; this module only decides.

use xkeysym::Keysym;

use crate::action::Action;
use crate::config::{mods, Chord, KeyBinding};

/// Modifiers that never take part in matching (Caps Lock, Num Lock).
const IGNORED_MODS: u16 = mods::LOCK | mods::MOD2;

/// The Escape keysym: leaves any chord.
pub const ESCAPE: u32 = 0xff1b;

/// What a key press did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyOutcome {
    /// The action to run, if the key was bound to one (entering and leaving chords is
    /// handled here and never returned).
    pub action: Option<Action>,
    /// True when the active chord changed: the caller must re-grab [`KeyMap::grabs`] and
    /// may show the new [`KeyMap::current_chord`].
    pub mode_changed: bool,
}

/// Root bindings, chords, and which chord (if any) is active.
#[derive(Debug, Clone, Default)]
pub struct KeyMap {
    root: Vec<KeyBinding>,
    chords: Vec<Chord>,
    current: Option<usize>,
}

impl KeyMap {
    /// A key map in root mode. `Action::EnterChord { id }` refers to `chords[id]`.
    /// Bindings are normalised: Lock and Num Lock are dropped from their modifiers, and
    /// ASCII uppercase letters become lowercase (the caller reports unshifted keysyms, so
    /// "mod4+shift+A" is matched as mod4+shift and `a`). When two bindings share a key,
    /// the first one wins.
    pub fn new(keys: Vec<KeyBinding>, chords: Vec<Chord>) -> Self {
        let chords = chords
            .into_iter()
            .map(|c| Chord {
                keys: c.keys.into_iter().map(normalise).collect(),
                ..c
            })
            .collect();
        KeyMap {
            root: keys.into_iter().map(normalise).collect(),
            chords,
            current: None,
        }
    }

    /// The (modifiers, keysym) pairs to grab in the current mode, without duplicates: the
    /// root bindings, or inside a chord its bindings plus Escape without modifiers.
    pub fn grabs(&self) -> Vec<(u16, u32)> {
        let mut out: Vec<(u16, u32)> = Vec::new();
        let extra = self.current.map(|_| (0, ESCAPE));
        for pair in self
            .bindings()
            .iter()
            .map(|b| (b.mods, b.keysym))
            .chain(extra)
        {
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
        out
    }

    /// Handle a key press. `mods` is the event's modifier state (Lock and Num Lock are
    /// ignored), `keysym` the key's unshifted keysym.
    ///
    /// In root mode a bound key returns its action. A key bound to `EnterChord` enters that
    /// chord (unknown chord ids are ignored). Inside a chord a bound key returns its action
    /// and leaves the chord unless it is persistent; Escape (unless the chord binds it
    /// itself) leaves; an unbound key leaves a non-persistent chord, except a bare
    /// modifier key (Shift, Super, …), which is ignored. `LeaveChord` goes back to root
    /// mode from anywhere.
    pub fn press(&mut self, mods: u16, keysym: u32) -> KeyOutcome {
        let mods = mods & !IGNORED_MODS;
        let keysym = lowercase_ascii(keysym);
        let before = self.current;
        let bound = self
            .bindings()
            .iter()
            .find(|b| b.mods == mods && b.keysym == keysym)
            .map(|b| b.action.clone());
        let mut action = None;
        match (bound, self.current) {
            (Some(Action::EnterChord { id }), _) => {
                if id < self.chords.len() {
                    self.current = Some(id);
                }
            }
            (Some(Action::LeaveChord), _) => self.current = None,
            (Some(a), Some(_)) => {
                if !self.persistent() {
                    self.current = None;
                }
                action = Some(a);
            }
            (Some(a), None) => action = Some(a),
            (None, Some(_)) => {
                let escape = mods == 0 && keysym == ESCAPE;
                let modifier = Keysym::new(keysym).is_modifier_key();
                if escape || (!self.persistent() && !modifier) {
                    self.current = None;
                }
            }
            (None, None) => {}
        }
        KeyOutcome {
            action,
            mode_changed: self.current != before,
        }
    }

    /// The name of the active chord, `None` in root mode.
    pub fn current_chord(&self) -> Option<&str> {
        self.current
            .and_then(|id| self.chords.get(id))
            .map(|c| c.name.as_str())
    }

    /// Back to root mode (e.g. when the keyboard grab is lost or the config reloads).
    pub fn reset(&mut self) {
        self.current = None;
    }

    /// The bindings that apply in the current mode.
    fn bindings(&self) -> &[KeyBinding] {
        match self.current.and_then(|id| self.chords.get(id)) {
            Some(chord) => &chord.keys,
            None => &self.root,
        }
    }

    /// True when the active chord stays active after an action.
    fn persistent(&self) -> bool {
        self.current
            .and_then(|id| self.chords.get(id))
            .is_some_and(|c| c.persistent)
    }
}

/// Drop ignored modifiers and lowercase ASCII letters.
fn normalise(b: KeyBinding) -> KeyBinding {
    KeyBinding {
        mods: b.mods & !IGNORED_MODS,
        keysym: lowercase_ascii(b.keysym),
        ..b
    }
}

/// Keysyms `A`..=`Z` (0x41..=0x5a) to `a`..=`z`; others unchanged.
fn lowercase_ascii(keysym: u32) -> u32 {
    if (0x41..=0x5a).contains(&keysym) {
        keysym + 0x20
    } else {
        keysym
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::mods::{CONTROL, LOCK, MOD1, MOD2, MOD4, SHIFT};

    const RETURN: u32 = 0xff0d;
    const SHIFT_L: u32 = 0xffe1;
    const A: u32 = 0x61;

    fn key(mods: u16, keysym: u32, action: Action) -> KeyBinding {
        KeyBinding {
            mods,
            keysym,
            action,
            desc: String::new(),
        }
    }

    fn spawn(cmd: &str) -> Action {
        Action::Spawn {
            cmd: cmd.to_string(),
        }
    }

    fn key_char(c: char) -> u32 {
        c as u32
    }

    /// Root: mod4+Return spawns a terminal, mod4+r enters "resize" (persistent),
    /// mod4+x enters "launch" (one-shot). Chord 0 "launch": f -> firefox, x -> LeaveChord,
    /// r -> enter "resize". Chord 1 "resize": h/l shrink/grow, Return -> LeaveChord.
    fn map() -> KeyMap {
        KeyMap::new(
            vec![
                key(MOD4, RETURN, spawn("xterm")),
                key(MOD4, key_char('x'), Action::EnterChord { id: 0 }),
                key(MOD4, key_char('r'), Action::EnterChord { id: 1 }),
                key(MOD4 | SHIFT, key_char('Q'), Action::Quit),
                key(MOD4, key_char('9'), Action::EnterChord { id: 7 }),
                key(MOD4, key_char('l'), Action::LeaveChord),
            ],
            vec![
                Chord {
                    name: "launch".into(),
                    keys: vec![
                        key(0, key_char('f'), spawn("firefox")),
                        key(0, key_char('x'), Action::LeaveChord),
                        key(0, key_char('r'), Action::EnterChord { id: 1 }),
                        key(SHIFT, key_char('f'), spawn("firefox --private-window")),
                    ],
                    persistent: false,
                },
                Chord {
                    name: "resize".into(),
                    keys: vec![
                        key(0, key_char('h'), Action::Shrink),
                        key(0, key_char('l'), Action::Grow),
                        key(0, key_char('l'), Action::Normalize),
                        key(0, RETURN, Action::LeaveChord),
                    ],
                    persistent: true,
                },
            ],
        )
    }

    fn action(a: Action) -> KeyOutcome {
        KeyOutcome {
            action: Some(a),
            mode_changed: false,
        }
    }

    fn nothing() -> KeyOutcome {
        KeyOutcome::default()
    }

    fn mode_change() -> KeyOutcome {
        KeyOutcome {
            action: None,
            mode_changed: true,
        }
    }

    #[test]
    fn root_bindings_return_their_actions() {
        let mut m = map();
        assert_eq!(m.press(MOD4, RETURN), action(spawn("xterm")));
        assert_eq!(m.press(MOD4, key_char('q')), nothing(), "needs shift");
        assert_eq!(m.press(MOD4 | CONTROL, RETURN), nothing(), "extra modifier");
        assert_eq!(m.press(0, RETURN), nothing());
        assert_eq!(m.current_chord(), None);
    }

    #[test]
    fn lock_and_num_lock_are_ignored() {
        let mut m = map();
        assert_eq!(m.press(MOD4 | LOCK | MOD2, RETURN), action(spawn("xterm")));
        let mut m = KeyMap::new(vec![key(MOD1 | MOD2 | LOCK, A, Action::Kill)], vec![]);
        assert_eq!(m.grabs(), vec![(MOD1, A)]);
        assert_eq!(m.press(MOD1, A), action(Action::Kill));
    }

    #[test]
    fn uppercase_bindings_match_the_unshifted_keysym() {
        let mut m = map();
        assert!(m.grabs().contains(&(MOD4 | SHIFT, key_char('q'))));
        assert!(!m.grabs().contains(&(MOD4 | SHIFT, key_char('Q'))));
        assert_eq!(m.press(MOD4 | SHIFT, key_char('q')), action(Action::Quit));
        // Defensive: an uppercase keysym from the caller matches too.
        assert_eq!(m.press(MOD4 | SHIFT, key_char('Q')), action(Action::Quit));
        // Only ASCII letters are folded.
        let mut m = KeyMap::new(vec![key(0, 0xc9, Action::Kill)], vec![]);
        assert_eq!(m.grabs(), vec![(0, 0xc9)]);
        assert_eq!(m.press(0, 0xe9), nothing());
    }

    #[test]
    fn grabs_follow_the_mode() {
        let mut m = map();
        assert_eq!(
            m.grabs(),
            vec![
                (MOD4, RETURN),
                (MOD4, key_char('x')),
                (MOD4, key_char('r')),
                (MOD4 | SHIFT, key_char('q')),
                (MOD4, key_char('9')),
                (MOD4, key_char('l')),
            ]
        );
        m.press(MOD4, key_char('r'));
        // Duplicate (0, l) grabbed once; Escape added.
        assert_eq!(
            m.grabs(),
            vec![
                (0, key_char('h')),
                (0, key_char('l')),
                (0, RETURN),
                (0, ESCAPE)
            ]
        );
        m.reset();
        assert_eq!(m.grabs().len(), 6);
    }

    #[test]
    fn an_explicit_escape_binding_is_not_grabbed_twice() {
        let mut m = KeyMap::new(
            vec![key(MOD4, A, Action::EnterChord { id: 0 })],
            vec![Chord {
                name: "c".into(),
                keys: vec![key(0, ESCAPE, Action::Kill)],
                persistent: true,
            }],
        );
        m.press(MOD4, A);
        assert_eq!(m.grabs(), vec![(0, ESCAPE)]);
        // The chord's own Escape binding wins over leaving.
        assert_eq!(m.press(0, ESCAPE), action(Action::Kill));
        assert_eq!(m.current_chord(), Some("c"));
    }

    #[test]
    fn a_one_shot_chord_runs_one_action_and_leaves() {
        let mut m = map();
        assert_eq!(m.press(MOD4, key_char('x')), mode_change());
        assert_eq!(m.current_chord(), Some("launch"));
        assert_eq!(
            m.press(0, key_char('f')),
            KeyOutcome {
                action: Some(spawn("firefox")),
                mode_changed: true
            }
        );
        assert_eq!(m.current_chord(), None);
        // Root bindings apply again; chord keys do not.
        assert_eq!(m.press(0, key_char('f')), nothing());
        assert_eq!(m.press(MOD4, RETURN), action(spawn("xterm")));
    }

    #[test]
    fn chord_bindings_match_modifiers_exactly() {
        let mut m = map();
        m.press(MOD4, key_char('x'));
        assert_eq!(
            m.press(SHIFT | LOCK, key_char('F')).action,
            Some(spawn("firefox --private-window"))
        );
    }

    #[test]
    fn an_unbound_key_leaves_a_one_shot_chord() {
        let mut m = map();
        m.press(MOD4, key_char('x'));
        assert_eq!(m.press(0, key_char('z')), mode_change());
        assert_eq!(m.current_chord(), None);
        // Root bindings are not consulted while in a chord.
        m.press(MOD4, key_char('x'));
        assert_eq!(m.press(MOD4, RETURN), mode_change());
        assert_eq!(m.current_chord(), None);
    }

    #[test]
    fn a_bare_modifier_key_does_not_leave_a_chord() {
        let mut m = map();
        m.press(MOD4, key_char('x'));
        assert_eq!(m.press(0, SHIFT_L), nothing());
        assert_eq!(m.press(SHIFT, 0xffeb), nothing(), "Super_L");
        assert_eq!(m.current_chord(), Some("launch"));
    }

    #[test]
    fn escape_leaves_any_chord() {
        let mut m = map();
        m.press(MOD4, key_char('x'));
        assert_eq!(m.press(0, ESCAPE), mode_change());
        assert_eq!(m.current_chord(), None);
        m.press(MOD4, key_char('r'));
        assert_eq!(m.press(MOD2, ESCAPE), mode_change());
        assert_eq!(m.current_chord(), None);
        // Escape in root mode is just an unbound key.
        assert_eq!(m.press(0, ESCAPE), nothing());
    }

    #[test]
    fn a_persistent_chord_stays_until_left() {
        let mut m = map();
        assert_eq!(m.press(MOD4, key_char('r')), mode_change());
        assert_eq!(m.press(0, key_char('h')), action(Action::Shrink));
        // The first of two bindings for the same key wins.
        assert_eq!(m.press(0, key_char('l')), action(Action::Grow));
        assert_eq!(
            m.press(0, key_char('z')),
            nothing(),
            "unbound keys are ignored"
        );
        assert_eq!(m.current_chord(), Some("resize"));
        assert_eq!(m.press(0, RETURN), mode_change(), "bound to LeaveChord");
        assert_eq!(m.current_chord(), None);
    }

    #[test]
    fn leave_chord_works_from_a_one_shot_chord_and_is_harmless_at_root() {
        let mut m = map();
        m.press(MOD4, key_char('x'));
        assert_eq!(m.press(0, key_char('x')), mode_change());
        assert_eq!(m.current_chord(), None);
        assert_eq!(m.press(MOD4, key_char('l')), nothing());
    }

    #[test]
    fn chords_can_lead_into_other_chords() {
        let mut m = map();
        m.press(MOD4, key_char('x'));
        assert_eq!(m.press(0, key_char('r')), mode_change());
        assert_eq!(m.current_chord(), Some("resize"));
        // Entering the chord you are in changes nothing.
        let mut m = KeyMap::new(
            vec![key(MOD4, A, Action::EnterChord { id: 0 })],
            vec![Chord {
                name: "self".into(),
                keys: vec![key(0, A, Action::EnterChord { id: 0 })],
                persistent: false,
            }],
        );
        m.press(MOD4, A);
        assert_eq!(m.press(0, A), nothing());
        assert_eq!(m.current_chord(), Some("self"));
    }

    #[test]
    fn unknown_chord_ids_are_ignored() {
        let mut m = map();
        assert_eq!(m.press(MOD4, key_char('9')), nothing());
        assert_eq!(m.current_chord(), None);
    }

    #[test]
    fn reset_returns_to_root_mode() {
        let mut m = map();
        m.press(MOD4, key_char('r'));
        m.reset();
        assert_eq!(m.current_chord(), None);
        assert_eq!(m.press(MOD4, RETURN), action(spawn("xterm")));
        let mut empty = KeyMap::default();
        assert!(empty.grabs().is_empty());
        assert_eq!(empty.press(0, A), nothing());
    }
}
