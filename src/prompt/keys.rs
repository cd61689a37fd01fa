//! What a key means to a prompt: the keysym and character the X adapter decoded, plus
//! Control, become an editing [`Key`]. Emacs-style Control keys as in readline.

/// An editing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Insert this character.
    Char(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Cursor one character left.
    Left,
    /// Cursor one character right.
    Right,
    /// Cursor to the start.
    Home,
    /// Cursor to the end.
    End,
    /// Older history entry.
    Up,
    /// Newer history entry.
    Down,
    /// Complete.
    Tab,
    /// Submit.
    Return,
    /// Cancel.
    Escape,
    /// Delete from the start to the cursor (Control-u).
    KillLine,
    /// Delete the word before the cursor (Control-w).
    KillWord,
    /// A key a prompt does nothing with (modifiers, function keys, Super+x).
    Ignored,
}

/// The key for a decoded key press: `keysym` after Shift and the keyboard group were
/// applied, `ch` the character it types (if any), `control` whether Control is held.
pub fn key_of(keysym: u32, ch: Option<char>, control: bool) -> Key {
    let named = match keysym {
        0xff08 => Some(Key::Backspace),
        0xff09 | 0xfe20 | 0xff89 => Some(Key::Tab), // Tab, ISO_Left_Tab, KP_Tab
        0xff0d | 0xff8d => Some(Key::Return),       // Return, KP_Enter
        0xff1b => Some(Key::Escape),
        0xffff | 0xff9f => Some(Key::Delete),
        0xff50 | 0xff95 => Some(Key::Home),
        0xff51 | 0xff96 => Some(Key::Left),
        0xff52 | 0xff97 => Some(Key::Up),
        0xff53 | 0xff98 => Some(Key::Right),
        0xff54 | 0xff99 => Some(Key::Down),
        0xff57 | 0xff9c => Some(Key::End),
        _ => None,
    };
    if let Some(k) = named {
        return k;
    }
    if control {
        return match ch.map(|c| c.to_ascii_lowercase()) {
            Some('u') => Key::KillLine,
            Some('w') => Key::KillWord,
            Some('a') => Key::Home,
            Some('e') => Key::End,
            Some('b') => Key::Left,
            Some('f') => Key::Right,
            Some('h') => Key::Backspace,
            Some('d') => Key::Delete,
            Some('p') => Key::Up,
            Some('n') => Key::Down,
            Some('g') | Some('[') => Key::Escape,
            Some('m') | Some('j') => Key::Return,
            Some('i') => Key::Tab,
            _ => Key::Ignored,
        };
    }
    match ch {
        Some(c) if !c.is_control() => Key::Char(c),
        _ => Key::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_keys_control_keys_and_characters() {
        assert_eq!(key_of(0xff0d, Some('\r'), false), Key::Return);
        assert_eq!(key_of(0xff8d, None, false), Key::Return);
        assert_eq!(key_of(0xff1b, Some('\u{1b}'), false), Key::Escape);
        assert_eq!(key_of(0xff08, Some('\u{8}'), false), Key::Backspace);
        assert_eq!(key_of(0x75, Some('u'), true), Key::KillLine);
        assert_eq!(key_of(0x57, Some('W'), true), Key::KillWord);
        assert_eq!(key_of(0x78, Some('x'), true), Key::Ignored);
        assert_eq!(key_of(0xfc, Some('ü'), false), Key::Char('ü'));
        assert_eq!(key_of(0x20ac, Some('€'), false), Key::Char('€'));
        assert_eq!(key_of(0xffe1, None, false), Key::Ignored, "Shift alone");
        assert_eq!(key_of(0xffbe, None, false), Key::Ignored, "F1");
    }
}
