//! Key names as the Lua config writes them ("j", "Return", "F1", "mod4"), mapped to X keysyms,
//! so that tests can type the same names the config binds.
//! Only what tests need: letters, digits, common named keys, F1-F12 and the modifiers.

/// The keysym of a key name, e.g. `"j"` → 0x6a, `"Return"` → 0xff0d. Case matters for
/// letters as in X (`"J"` is the shifted keysym).
pub fn from_name(name: &str) -> Option<u32> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // Printable Latin-1 characters are their own keysyms.
        if (' '..='~').contains(&c) {
            return Some(c as u32);
        }
    }
    if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse::<u32>().ok()) {
        if (1..=12).contains(&n) {
            return Some(0xffbe + n - 1);
        }
    }
    Some(match name {
        "Return" => 0xff0d,
        "Tab" => 0xff09,
        "space" => 0x20,
        "slash" => 0x2f,
        "semicolon" => 0x3b,
        "Escape" => 0xff1b,
        "BackSpace" => 0xff08,
        "Delete" => 0xffff,
        "Home" => 0xff50,
        "Left" => 0xff51,
        "Up" => 0xff52,
        "Right" => 0xff53,
        "Down" => 0xff54,
        "End" => 0xff57,
        "Shift_L" => 0xffe1,
        "Control_L" => 0xffe3,
        "Alt_L" => 0xffe9,
        "Super_L" => 0xffeb,
        _ => return None,
    })
}

/// The keysym of the key that holds a modifier, by the config's modifier names
/// (`"mod4"`/`"super"` → Super_L, `"shift"`, `"control"`/`"ctrl"`, `"mod1"`/`"alt"`).
pub fn modifier(name: &str) -> Option<u32> {
    match name.to_ascii_lowercase().as_str() {
        "mod4" | "super" => from_name("Super_L"),
        "shift" => from_name("Shift_L"),
        "control" | "ctrl" => from_name("Control_L"),
        "mod1" | "alt" => from_name("Alt_L"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_x_keysyms() {
        assert_eq!(from_name("j"), Some(0x6a));
        assert_eq!(from_name("2"), Some(0x32));
        assert_eq!(from_name("Return"), Some(0xff0d));
        assert_eq!(from_name("F1"), Some(0xffbe));
        assert_eq!(from_name("F12"), Some(0xffc9));
        assert_eq!(from_name("slash"), from_name("/"));
        assert_eq!(from_name("semicolon"), Some(0x3b));
        assert_eq!(from_name("NoSuchKey"), None);
        assert_eq!(modifier("mod4"), Some(0xffeb));
        assert_eq!(modifier("hyper"), None);
    }
}
