//! `sha512`, `sha512-2013` and `pbkdf2-sha512`: 64 bytes of hash encoded in base64. The
//! last two are the `password` script (2013: sha512 of site + secret; since 2014:
//! PBKDF2-HMAC-SHA512), whose base64 takes the site's first two characters for `+` and
//! `/` (Python's `b64encode(raw, site)`) and which forces a digit into the result.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::Hmac;
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, Zeroizing};

use super::{PasswordError, Scheme, Secret, PBKDF2_ROUNDS};

/// `base64(sha512(secret + site))[:length]`.
pub(super) fn sha512(secret: &[u8], site: &str, length: usize) -> Secret {
    let mut hasher = Sha512::new();
    hasher.update(secret);
    hasher.update(site.as_bytes());
    let mut raw = hasher.finalize();
    let encoded = Zeroizing::new(STANDARD.encode(raw.as_slice()));
    raw.as_mut_slice().zeroize();
    // base64 is ASCII: any cut is a character boundary.
    Secret::new(encoded[..length.min(encoded.len())].to_owned())
}

/// The 2013 `password` script: sha512(site + secret), then [`encode`].
pub(super) fn sha512_2013(
    secret: &[u8],
    site: &str,
    length: usize,
) -> Result<Secret, PasswordError> {
    let alt = altchars(Scheme::Sha512_2013, site)?;
    let mut hasher = Sha512::new();
    hasher.update(site.as_bytes());
    hasher.update(secret);
    let mut raw = hasher.finalize();
    let out = encode(raw.as_slice(), alt, length);
    raw.as_mut_slice().zeroize();
    Ok(out)
}

/// The `password` script since 2014: PBKDF2-HMAC-SHA512, 100 000 rounds, the site as
/// salt, 64 bytes, then [`encode`].
pub(super) fn pbkdf2_sha512(
    secret: &[u8],
    site: &str,
    length: usize,
) -> Result<Secret, PasswordError> {
    let alt = altchars(Scheme::Pbkdf2Sha512, site)?;
    let mut raw = Zeroizing::new([0u8; 64]);
    // Only fails for output lengths HMAC cannot produce; 64 bytes always works.
    pbkdf2::pbkdf2::<Hmac<Sha512>>(secret, site.as_bytes(), PBKDF2_ROUNDS, raw.as_mut())
        .map_err(|_| PasswordError::Options("PBKDF2 refused the output length".into()))?;
    Ok(encode(raw.as_ref(), alt, length))
}

/// The site's first two characters, which replace `+` and `/`.
fn altchars(scheme: Scheme, site: &str) -> Result<[u8; 2], PasswordError> {
    let mut chars = site.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_ascii() && b.is_ascii() => Ok([a as u8, b as u8]),
        (Some(_), Some(_)) => Err(PasswordError::SiteNotAscii {
            scheme: scheme.name(),
        }),
        _ => Err(PasswordError::SiteTooShort {
            scheme: scheme.name(),
            need: 2,
        }),
    }
}

/// base64 with `alt` for `+` and `/`, cut to `length`; when no digit is left, the last
/// character c becomes the digit `(ord(upper(c)) - 65) mod 10` (Python's modulo, never
/// negative).
pub(super) fn encode(raw: &[u8], alt: [u8; 2], length: usize) -> Secret {
    let encoded = Zeroizing::new(STANDARD.encode(raw));
    let mut out: Zeroizing<Vec<char>> = Zeroizing::new(Vec::with_capacity(length));
    for b in encoded.bytes().take(length) {
        let b = match b {
            b'+' => alt[0],
            b'/' => alt[1],
            other => other,
        };
        out.push(char::from(b));
    }
    if !out.iter().any(char::is_ascii_digit) {
        if let Some(last) = out.last_mut() {
            let n = (i32::from(last.to_ascii_uppercase() as u8) - 65).rem_euclid(10);
            *last = char::from(b'0' + n as u8);
        }
    }
    Secret::from_chars(&out)
}
