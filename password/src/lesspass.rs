//! LessPass v2: PBKDF2-HMAC-SHA256 (100 000 rounds, salt = site + login + hex(counter),
//! 32 bytes) read as one big number, from which characters are drawn by repeated division
//! (lesspass-render-password: `consumeEntropy`, `getOneCharPerRule`,
//! `insertStringPseudoRandomly`).

use hmac::Hmac;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{Secret, PBKDF2_ROUNDS};

const LOWERCASE: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPERCASE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// The character classes a password draws from (at least one is set; the options are
/// checked before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Classes {
    pub lowercase: bool,
    pub uppercase: bool,
    pub digits: bool,
    pub symbols: bool,
}

impl Classes {
    /// The chosen classes' characters, in LessPass's rule order.
    fn sets(self) -> Vec<&'static [u8]> {
        [
            (self.lowercase, LOWERCASE),
            (self.uppercase, UPPERCASE),
            (self.digits, DIGITS),
            (self.symbols, SYMBOLS),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, set)| set.as_bytes())
        .collect()
    }
}

/// The entropy as a big-endian number that shrinks as characters are drawn from it.
struct Entropy(Zeroizing<[u8; 32]>);

impl Entropy {
    /// Divide by `d` in place (schoolbook long division by a small number); the remainder.
    fn divmod(&mut self, d: usize) -> usize {
        let d = d.max(1) as u32;
        let mut rem = 0u32;
        for byte in self.0.iter_mut() {
            let cur = (rem << 8) | u32::from(*byte);
            *byte = (cur / d) as u8;
            rem = cur % d;
        }
        rem as usize
    }
}

/// The LessPass password. `length` is at least 5 and `classes` not empty (checked by
/// `PasswordOptions::check`), so the password always has room for one of each class.
pub(super) fn derive(
    secret: &[u8],
    site: &str,
    login: &str,
    counter: u32,
    length: usize,
    classes: Classes,
) -> Secret {
    let salt = format!("{site}{login}{counter:x}");
    let mut key = Zeroizing::new([0u8; 32]);
    // 32 bytes is always a valid HMAC-SHA256 output length.
    let _ = pbkdf2::pbkdf2::<Hmac<Sha256>>(secret, salt.as_bytes(), PBKDF2_ROUNDS, key.as_mut());
    let mut entropy = Entropy(key);
    let sets = classes.sets();
    let all: Vec<u8> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    let mut password: Zeroizing<Vec<char>> = Zeroizing::new(Vec::with_capacity(length));
    while password.len() < length.saturating_sub(sets.len()) {
        let i = entropy.divmod(all.len());
        password.push(char::from(all[i]));
    }
    let mut extra: Zeroizing<Vec<char>> = Zeroizing::new(Vec::with_capacity(sets.len()));
    for set in &sets {
        let i = entropy.divmod(set.len());
        extra.push(char::from(set[i]));
    }
    for &c in extra.iter() {
        // Never zero: the password holds length - rules >= 1 characters already.
        let at = entropy.divmod(password.len());
        password.insert(at, c);
    }
    Secret::from_chars(&password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_division_by_small_numbers() {
        let mut bytes = [0u8; 32];
        bytes[30] = 0x01;
        bytes[31] = 0x2c; // 300
        let mut e = Entropy(Zeroizing::new(bytes));
        assert_eq!(e.divmod(7), 300 % 7);
        assert_eq!(e.0[31], (300 / 7) as u8);
        assert_eq!(
            e.divmod(0),
            0,
            "a zero divisor is taken as one, never a panic"
        );
    }
}
