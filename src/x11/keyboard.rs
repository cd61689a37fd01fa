//! The keyboard map as X reports it: keycode ↔ keysym, and which modifier bit Num Lock
//! is. Refreshed on MappingNotify so bindings follow `setxkbmap` and `xmodmap`.

use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::xproto::{ConnectionExt, Keycode};

/// A copy of the server's keyboard mapping.
#[derive(Debug, Default, Clone)]
pub struct Keyboard {
    min_keycode: u8,
    max_keycode: u8,
    per: u8,
    syms: Vec<u32>,
    /// Modifier bit(s) of Num Lock, ignored when matching bindings.
    pub numlock: u16,
    /// Modifier bit(s) of Mode_switch (the second keyboard group, columns 2 and 3).
    pub mode_switch: u16,
    /// Modifier bit(s) of ISO_Level3_Shift (AltGr: columns 4 and 5 of XKB's core map).
    pub level3: u16,
}

/// X's keysym for Num Lock.
const NUM_LOCK: u32 = 0xff7f;
/// Mode_switch.
const MODE_SWITCH: u32 = 0xff7e;
/// ISO_Level3_Shift (AltGr).
const LEVEL3_SHIFT: u32 = 0xfe03;

impl Keyboard {
    /// Read the mapping and the modifier map (two requests, pipelined).
    pub fn load(conn: &impl Connection) -> Result<Keyboard, ReplyError> {
        let setup = conn.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let map_cookie = conn.get_keyboard_mapping(min, max - min + 1)?;
        let mods_cookie = conn.get_modifier_mapping()?;
        let map = map_cookie.reply()?;
        let mods = mods_cookie.reply()?;
        let mut kb = Keyboard {
            min_keycode: min,
            max_keycode: max,
            per: map.keysyms_per_keycode,
            syms: map.keysyms,
            numlock: 0,
            mode_switch: 0,
            level3: 0,
        };
        let per_mod = mods.keycodes_per_modifier() as usize;
        if per_mod > 0 {
            for (bit, codes) in mods.keycodes.chunks(per_mod).enumerate() {
                let has = |sym: u32| {
                    codes
                        .iter()
                        .any(|&k| k != 0 && kb.keysym(k, 0) == Some(sym))
                };
                let (num, mode, level3) = (has(NUM_LOCK), has(MODE_SWITCH), has(LEVEL3_SHIFT));
                if num {
                    kb.numlock |= 1 << bit;
                }
                if mode {
                    kb.mode_switch |= 1 << bit;
                }
                if level3 {
                    kb.level3 |= 1 << bit;
                }
            }
        }
        Ok(kb)
    }

    /// The keysym at `column` of a keycode (0: unshifted, 1: shifted).
    pub fn keysym(&self, keycode: Keycode, column: u8) -> Option<u32> {
        if self.per == 0 || keycode < self.min_keycode || keycode > self.max_keycode {
            return None;
        }
        let start = (keycode - self.min_keycode) as usize * self.per as usize;
        if start + self.per as usize > self.syms.len() {
            return None;
        }
        xkeysym::keysym(
            xkeysym::KeyCode::new(keycode.into()),
            column,
            xkeysym::KeyCode::new(self.min_keycode.into()),
            self.per,
            &self.syms,
        )
        .map(|k| k.raw())
        .filter(|&k| k != 0)
    }

    /// The raw keysyms of a keycode, every column as the server sent them (0 is
    /// NoSymbol); empty for keycodes out of range.
    pub fn syms(&self, keycode: Keycode) -> &[u32] {
        if self.per == 0 || keycode < self.min_keycode || keycode > self.max_keycode {
            return &[];
        }
        let start = (keycode - self.min_keycode) as usize * self.per as usize;
        self.syms
            .get(start..start + self.per as usize)
            .unwrap_or(&[])
    }

    /// The first keycode whose raw keysyms hold `keysym`, and the column it is in.
    pub fn find(&self, keysym: u32) -> Option<(Keycode, usize)> {
        (self.min_keycode..=self.max_keycode).find_map(|k| {
            let column = self.syms(k).iter().position(|&s| s == keysym)?;
            Some((k, column))
        })
    }

    /// Every keycode that produces `keysym` in any column.
    pub fn keycodes(&self, keysym: u32) -> Vec<Keycode> {
        if self.per == 0 {
            return Vec::new();
        }
        let lower = lowercase(keysym);
        self.syms
            .chunks(self.per as usize)
            .enumerate()
            .filter(|(_, syms)| syms.iter().any(|&s| s == keysym || s == lower))
            .map(|(i, _)| self.min_keycode + i as u8)
            .collect()
    }
}

/// Latin letters are bound by their lowercase keysym (the unshifted column).
pub fn lowercase(keysym: u32) -> u32 {
    if (u32::from(b'A')..=u32::from(b'Z')).contains(&keysym) {
        keysym + 32
    } else {
        keysym
    }
}
