//! [`Secret`]: a string that is zeroed when dropped, prints as `Secret(…)` in `Debug`,
//! and has no `Display`, so that a master secret or a derived password cannot end up in
//! a log line, a panic message or an IPC reply by accident.

use std::fmt;

use zeroize::Zeroizing;

/// A secret string: a master secret or a derived password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Take ownership of `s` (its buffer is zeroed when the secret is dropped).
    pub fn new(s: String) -> Secret {
        Secret(Zeroizing::new(s))
    }

    /// Collect characters into a secret without reallocating (so no copy is left behind
    /// in freed memory).
    pub fn from_chars(chars: &[char]) -> Secret {
        let bytes: usize = chars.iter().map(|c| c.len_utf8()).sum();
        let mut s = String::with_capacity(bytes);
        s.extend(chars.iter());
        Secret::new(s)
    }

    /// The secret's text, for the code that must use it (derivation, the selection).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Length in characters.
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_text() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s:?}"), "Secret(…)");
        assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(…))");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn from_chars_keeps_non_ascii() {
        let s = Secret::from_chars(&['p', 'ä', '♥']);
        assert_eq!(s.expose(), "pä♥");
        assert_eq!(s.char_count(), 3);
    }
}
