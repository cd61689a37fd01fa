//! Typing a derived password into the focused window through XTEST (`type = true`), as if
//! from the keyboard: for each character the key that makes it, with Shift or AltGr held
//! as its column needs. Characters missing from the keyboard map are refused as a whole
//! (remapping a spare key races with the receiving client's reading of the map).

use oxtile_password::Secret;
use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::xproto::{KEY_PRESS_EVENT, KEY_RELEASE_EVENT};
use x11rb::protocol::xtest::{self, ConnectionExt as _};
use x11rb::CURRENT_TIME;
use xkeysym::Keysym;

use super::{XError, X11};

/// Why a text could not be typed. Says nothing of the text.
#[derive(Debug, thiserror::Error)]
pub enum TypeError {
    /// The server has no XTEST.
    #[error("the X server has no XTEST extension: use the clipboard")]
    NoXtest,
    /// A character is not on the keyboard map.
    #[error("a character of the password is not on the keyboard map: use the clipboard")]
    NotOnKeyboard,
    /// X failed.
    #[error(transparent)]
    X(#[from] XError),
}

impl X11 {
    /// Type `text` into whatever has the focus. Call it after the prompt gave the keyboard
    /// back, or the keys would come back to oxtile.
    pub fn type_text(&self, text: &Secret) -> Result<(), TypeError> {
        let present = self
            .conn
            .extension_information(xtest::X11_EXTENSION_NAME)
            .map_err(XError::from)?
            .is_some();
        if !present {
            return Err(TypeError::NoXtest);
        }
        let kb = &self.keyboard;
        let shift = kb.find(0xffe1).map(|(k, _)| k);
        let level3 = kb.find(0xfe03).map(|(k, _)| k);
        // Plan every key first: a text that cannot be typed whole is not typed at all.
        let mut plan = Vec::with_capacity(text.char_count());
        for c in text.expose().chars() {
            let sym = Keysym::from_char(c).raw();
            let (code, column) = kb.find(sym).ok_or(TypeError::NotOnKeyboard)?;
            let need = |k: Option<u8>| k.ok_or(TypeError::NotOnKeyboard);
            let held = match column {
                0 => Vec::new(),
                1 => vec![need(shift)?],
                4 => vec![need(level3)?],
                5 => vec![need(level3)?, need(shift)?],
                _ => return Err(TypeError::NotOnKeyboard),
            };
            plan.push((code, held));
        }
        for (code, held) in &plan {
            for &m in held {
                self.fake_key(KEY_PRESS_EVENT, m)?;
            }
            self.fake_key(KEY_PRESS_EVENT, *code)?;
            self.fake_key(KEY_RELEASE_EVENT, *code)?;
            for &m in held.iter().rev() {
                self.fake_key(KEY_RELEASE_EVENT, m)?;
            }
        }
        // The plan says which keys make the password: forget it.
        for (code, _) in plan.iter_mut() {
            zeroize::Zeroize::zeroize(code);
        }
        self.conn.flush().map_err(XError::from)?;
        Ok(())
    }

    fn fake_key(&self, kind: u8, code: u8) -> Result<(), XError> {
        self.conn
            .xtest_fake_input(kind, code, CURRENT_TIME, self.root, 0, 0, 0)?;
        Ok(())
    }
}
