//! Text input for the prompt: a key press becomes the keysym its modifiers select (Shift,
//! Caps Lock, Num Lock on the keypad, Mode_switch, AltGr) and the Unicode character of that
//! keysym (xkeysym's `key_char`, after xkb_keysym_to_utf32). Also the keyboard grab that
//! makes every key come to oxtile while a prompt is open.

use x11rb::protocol::xproto::{self, ConnectionExt as _, GrabMode, GrabStatus, ModMask};
use x11rb::CURRENT_TIME;
use xkeysym::Keysym;
use zeroize::Zeroize;

use super::{Keyboard, XError, X11};

/// A key press while a prompt owns the keyboard. It may be part of a master secret: its
/// `Debug` shows nothing of the key, and it is zeroed when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyInput {
    /// The keysym after the modifiers were applied.
    pub keysym: u32,
    /// The character it types, if any.
    pub ch: Option<char>,
    /// Control is held.
    pub control: bool,
    /// Alt or Super is held: a command, not text.
    pub command: bool,
    /// The event's timestamp (selections are owned with it).
    pub time: u32,
}

impl std::fmt::Debug for KeyInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyInput(…, time {})", self.time)
    }
}

impl Drop for KeyInput {
    fn drop(&mut self) {
        self.keysym.zeroize();
        if let Some(c) = self.ch.as_mut() {
            c.zeroize();
        }
    }
}

/// Why the keyboard could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrabRefused {
    /// Another client has an active grab.
    AlreadyGrabbed,
    /// The keyboard is frozen by another client's grab.
    Frozen,
    /// Any other status (the root is not viewable, a bad time).
    Other,
}

impl X11 {
    /// Decode a key press for the prompt.
    pub(super) fn key_input(&self, e: &xproto::KeyPressEvent) -> KeyInput {
        let state = u16::from(e.state);
        let keysym = level_keysym(&self.keyboard, e.detail, state);
        KeyInput {
            keysym,
            ch: Keysym::new(keysym).key_char(),
            control: state & u16::from(ModMask::CONTROL) != 0,
            command: state & u16::from(ModMask::M1 | ModMask::M4) != 0,
            time: e.time,
        }
    }

    /// Take the keyboard for a prompt: GrabKeyboard on the root (one round trip for the
    /// answer). While held, key presses arrive as `XEvent::Text`.
    pub fn grab_keyboard_for_text(&mut self) -> Result<Result<(), GrabRefused>, XError> {
        let reply = self
            .conn
            .grab_keyboard(
                false,
                self.root,
                CURRENT_TIME,
                GrabMode::ASYNC,
                GrabMode::ASYNC,
            )?
            .reply()?;
        Ok(match reply.status {
            GrabStatus::SUCCESS => {
                self.text_input = true;
                Ok(())
            }
            GrabStatus::ALREADY_GRABBED => Err(GrabRefused::AlreadyGrabbed),
            GrabStatus::FROZEN => Err(GrabRefused::Frozen),
            _ => Err(GrabRefused::Other),
        })
    }

    /// Give the keyboard back (every way a prompt closes ends here).
    pub fn release_keyboard_for_text(&mut self) -> Result<(), XError> {
        self.text_input = false;
        self.conn.ungrab_keyboard(CURRENT_TIME)?;
        Ok(())
    }

    /// Whether a prompt holds the keyboard.
    pub fn text_input(&self) -> bool {
        self.text_input
    }
}

/// The keysym a key press selects, by the core protocol's rules (X11 protocol §5) with
/// XKB's conventions: Shift cancels Caps Lock, AltGr selects columns 4 and 5.
fn level_keysym(kb: &Keyboard, keycode: u8, state: u16) -> u32 {
    resolve(
        kb.syms(keycode),
        Mods {
            shift: state & u16::from(ModMask::SHIFT) != 0,
            caps: state & u16::from(ModMask::LOCK) != 0,
            numlock: kb.numlock != 0 && state & kb.numlock != 0,
            group2: kb.mode_switch != 0 && state & kb.mode_switch != 0,
            level3: kb.level3 != 0 && state & kb.level3 != 0,
        },
    )
}

/// The modifiers that choose among a key's keysyms.
#[derive(Debug, Clone, Copy, Default)]
struct Mods {
    shift: bool,
    caps: bool,
    numlock: bool,
    group2: bool,
    level3: bool,
}

/// Pick from one keycode's raw keysyms.
fn resolve(syms: &[u32], m: Mods) -> u32 {
    let pair = |base: usize| {
        let lo = syms.get(base).copied().unwrap_or(0);
        let hi = syms.get(base + 1).copied().unwrap_or(0);
        (lo, hi)
    };
    let base = if m.level3 {
        4
    } else if m.group2 {
        2
    } else {
        0
    };
    let (mut lo, mut hi) = pair(base);
    if lo == 0 && hi == 0 {
        (lo, hi) = pair(0);
    }
    if hi == 0 {
        (lo, hi) = case_pair(lo);
    }
    if m.numlock && Keysym::new(hi).is_keypad_key() {
        return if m.shift { lo } else { hi };
    }
    let cased = Keysym::new(lo).key_char().is_some_and(char::is_lowercase);
    if m.shift != (m.caps && cased) {
        hi
    } else {
        lo
    }
}

/// A keysym alone in its group stands for its lowercase and uppercase forms.
fn case_pair(sym: u32) -> (u32, u32) {
    let Some(c) = Keysym::new(sym).key_char() else {
        return (sym, sym);
    };
    let one = |s: String| {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(x), None) => Some(x),
            _ => None,
        }
    };
    if c.is_lowercase() {
        match one(c.to_uppercase().collect()) {
            Some(u) if u != c => (sym, Keysym::from_char(u).raw()),
            _ => (sym, sym),
        }
    } else if c.is_uppercase() {
        match one(c.to_lowercase().collect()) {
            Some(l) if l != c => (Keysym::from_char(l).raw(), sym),
            _ => (sym, sym),
        }
    } else {
        (sym, sym)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: u32 = 0x61;
    const BIG_A: u32 = 0x41;
    const UDIAERESIS: u32 = 0xfc;
    const BIG_UDIAERESIS: u32 = 0xdc;
    const KP_1: u32 = 0xffb1;
    const KP_END: u32 = 0xff9c;

    fn m(f: impl FnOnce(&mut Mods)) -> Mods {
        let mut mods = Mods::default();
        f(&mut mods);
        mods
    }

    #[test]
    fn shift_and_caps_lock_choose_the_case() {
        let row = [A, BIG_A];
        assert_eq!(resolve(&row, Mods::default()), A);
        assert_eq!(resolve(&row, m(|m| m.shift = true)), BIG_A);
        assert_eq!(resolve(&row, m(|m| m.caps = true)), BIG_A);
        assert_eq!(
            resolve(
                &row,
                m(|m| {
                    m.caps = true;
                    m.shift = true
                })
            ),
            A,
            "Shift cancels Caps Lock"
        );
        // Caps Lock leaves digits alone: "1" stays "1", not "!".
        assert_eq!(resolve(&[0x31, 0x21], m(|m| m.caps = true)), 0x31);
    }

    #[test]
    fn a_lone_keysym_stands_for_both_cases() {
        assert_eq!(resolve(&[UDIAERESIS, 0], Mods::default()), UDIAERESIS);
        assert_eq!(
            resolve(&[UDIAERESIS], m(|m| m.shift = true)),
            BIG_UDIAERESIS
        );
        assert_eq!(resolve(&[BIG_UDIAERESIS, 0], Mods::default()), UDIAERESIS);
        // Non-Latin-1 letters too (Greek alpha: keysym 0x7e1, capital 0x7c1).
        assert_eq!(resolve(&[0x7e1, 0], m(|m| m.shift = true)), 0x7c1);
    }

    #[test]
    fn num_lock_turns_keypad_keys_into_digits() {
        let row = [KP_END, KP_1];
        assert_eq!(resolve(&row, Mods::default()), KP_END);
        assert_eq!(resolve(&row, m(|m| m.numlock = true)), KP_1);
        assert_eq!(
            resolve(
                &row,
                m(|m| {
                    m.numlock = true;
                    m.shift = true
                })
            ),
            KP_END
        );
    }

    #[test]
    fn mode_switch_and_altgr_select_their_columns() {
        // q, Q, (group 2) ю, Ю, (AltGr) @, Ω
        let row = [0x71, 0x51, 0x6c0, 0x6e0, 0x40, 0x7d9];
        assert_eq!(resolve(&row, m(|m| m.group2 = true)), 0x6c0);
        assert_eq!(resolve(&row, m(|m| m.level3 = true)), 0x40);
        assert_eq!(
            resolve(
                &row,
                m(|m| {
                    m.level3 = true;
                    m.shift = true
                })
            ),
            0x7d9
        );
        // A key without AltGr keysyms falls back to its first group.
        assert_eq!(resolve(&[0x71, 0x51], m(|m| m.level3 = true)), 0x71);
    }

    #[test]
    fn keysyms_become_unicode() {
        for (sym, want) in [
            (0x61, 'a'),
            (UDIAERESIS, 'ü'),
            (0xe9, 'é'),
            (0x20ac, '€'),
            (0x7e1, 'α'),
            (0x1000444, 'ф'),
        ] {
            assert_eq!(Keysym::new(sym).key_char(), Some(want), "{sym:#x}");
        }
        assert_eq!(
            Keysym::new(0xffe1).key_char(),
            None,
            "Shift_L types nothing"
        );
    }

    #[test]
    fn key_input_debug_hides_the_key() {
        let k = KeyInput {
            keysym: A,
            ch: Some('a'),
            control: false,
            command: false,
            time: 7,
        };
        assert_eq!(format!("{k:?}"), "KeyInput(…, time 7)");
    }
}
