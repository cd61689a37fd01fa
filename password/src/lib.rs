//! oxtile-password: the stateless password schemes. A site's password is derived from
//! one master secret and the site's name, so that nothing is stored. Pure computation (no
//! X, no Lua, no I/O); oxtile runs [`derive`] on a worker thread: PBKDF2 takes a while.
//!
//! Secrets live in [`Secret`]: zeroed when dropped, redacted in `Debug`, never `Display`.

mod altchar;
mod lesspass;
mod secret;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use secret::Secret;

/// Rounds of PBKDF2 used by `pbkdf2-sha512` and `lesspass` (both references use 100 000).
pub const PBKDF2_ROUNDS: u32 = 100_000;

/// How a site's password is derived. See docs/prompt.md for what each one is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Scheme {
    /// `base64(sha512(secret + site))[:length]`: the plain formula. No key stretching.
    #[serde(rename = "sha512")]
    Sha512,
    /// The `password` script as published in 2013: sha512(site + secret), base64 with the
    /// site's first two characters for `+` and `/`, a digit forced in. No key stretching.
    #[serde(rename = "sha512-2013")]
    Sha512_2013,
    /// The `password` script since 2014: PBKDF2-HMAC-SHA512 (100 000 rounds, the site as
    /// salt, 64 bytes), then the same encoding as `sha512-2013`.
    #[serde(rename = "pbkdf2-sha512")]
    Pbkdf2Sha512,
    /// LessPass v2: PBKDF2-HMAC-SHA256 (100 000 rounds, salt site + login + hex(counter),
    /// 32 bytes) rendered with its character-class rules. The default for new configs.
    #[default]
    #[serde(rename = "lesspass")]
    LessPass,
}

impl Scheme {
    /// Every scheme, in the order of the docs.
    pub const ALL: [Scheme; 4] = [
        Scheme::LessPass,
        Scheme::Pbkdf2Sha512,
        Scheme::Sha512_2013,
        Scheme::Sha512,
    ];

    /// The name configs use (`scheme = "pbkdf2-sha512"`).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Sha512 => "sha512",
            Scheme::Sha512_2013 => "sha512-2013",
            Scheme::Pbkdf2Sha512 => "pbkdf2-sha512",
            Scheme::LessPass => "lesspass",
        }
    }

    /// The scheme a config names.
    pub fn from_name(name: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Password lengths the scheme can produce.
    pub fn lengths(self) -> std::ops::RangeInclusive<u32> {
        match self {
            // 64 bytes are 86 base64 characters before the padding.
            Scheme::Sha512 | Scheme::Sha512_2013 | Scheme::Pbkdf2Sha512 => 1..=86,
            // LessPass's own limits.
            Scheme::LessPass => 5..=35,
        }
    }

    /// The length used when the config gives none (what each reference defaults to).
    pub fn default_length(self) -> u32 {
        match self {
            Scheme::Sha512 | Scheme::Sha512_2013 | Scheme::Pbkdf2Sha512 => 10,
            Scheme::LessPass => 16,
        }
    }

    /// The fewest characters a site may have: the altchar schemes take `+` and `/`'s
    /// replacements from the site's first two characters.
    pub fn min_site_chars(self) -> usize {
        match self {
            Scheme::Sha512_2013 | Scheme::Pbkdf2Sha512 => 2,
            Scheme::Sha512 | Scheme::LessPass => 1,
        }
    }
}

/// What the password prompt derives and where the result goes: the options of
/// `oxtile.password_prompt{...}`. Plain data, no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordOptions {
    /// The scheme.
    pub scheme: Scheme,
    /// Password length; `None` takes the scheme's default.
    pub length: Option<u32>,
    /// LessPass: the login (user name) mixed into the salt.
    pub login: String,
    /// LessPass: the counter (raise it to change a site's password).
    pub counter: u32,
    /// LessPass: use lowercase letters.
    pub lowercase: bool,
    /// LessPass: use uppercase letters.
    pub uppercase: bool,
    /// LessPass: use digits.
    pub digits: bool,
    /// LessPass: use symbols.
    pub symbols: bool,
    /// Seconds the result stays on the clipboard.
    pub clipboard_seconds: f64,
    /// Also put the result on the PRIMARY selection.
    pub primary: bool,
    /// Type the result into the focused window (XTEST) instead of using the clipboard.
    #[serde(rename = "type")]
    pub type_result: bool,
    /// Shown for each character of the secret; "" shows nothing at all.
    pub mask: String,
    /// Ask for the secret twice when the site was never used before.
    pub confirm_new_site: bool,
    /// Pre-fill the site from the focused window's title or class when it looks like a
    /// domain.
    pub prefill: bool,
}

impl Default for PasswordOptions {
    fn default() -> Self {
        PasswordOptions {
            scheme: Scheme::LessPass,
            length: None,
            login: String::new(),
            counter: 1,
            lowercase: true,
            uppercase: true,
            digits: true,
            symbols: true,
            clipboard_seconds: 45.0,
            primary: false,
            type_result: false,
            mask: "•".into(),
            confirm_new_site: false,
            prefill: true,
        }
    }
}

impl PasswordOptions {
    /// The length to derive.
    pub fn length(&self) -> u32 {
        self.length.unwrap_or(self.scheme.default_length())
    }

    /// Whether the options can derive anything: a clear message otherwise.
    pub fn check(&self) -> Result<(), String> {
        let lengths = self.scheme.lengths();
        if !lengths.contains(&self.length()) {
            return Err(format!(
                "length must be {} to {} for {}, got {}",
                lengths.start(),
                lengths.end(),
                self.scheme.name(),
                self.length()
            ));
        }
        if self.scheme == Scheme::LessPass {
            if self.counter == 0 {
                return Err("counter must be at least 1".into());
            }
            if !(self.lowercase || self.uppercase || self.digits || self.symbols) {
                return Err(
                    "at least one of lowercase, uppercase, digits, symbols must be true".into(),
                );
            }
        }
        if !(self.clipboard_seconds.is_finite()
            && (0.1..=86_400.0).contains(&self.clipboard_seconds))
        {
            return Err(format!(
                "clipboard_seconds must be a number of seconds from 0.1 to 86400, got {}",
                self.clipboard_seconds
            ));
        }
        if self.mask.chars().count() > 1 {
            return Err(format!(
                "mask must be one character or \"\", got {:?}",
                self.mask
            ));
        }
        Ok(())
    }
}

/// Why no password could be derived. Messages name the site or the options, never the
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    /// No site was typed.
    #[error("type a site")]
    EmptySite,
    /// The site is too short for the scheme.
    #[error("{scheme} needs a site of at least {need} characters (its first two replace + and / in the password)")]
    SiteTooShort {
        /// The scheme's name.
        scheme: &'static str,
        /// Characters it needs.
        need: usize,
    },
    /// The altchar schemes put the site's first two characters into the password; the
    /// reference works on bytes, so they must be ASCII.
    #[error("{scheme} puts the site's first two characters into the password: they must be ASCII (write an international domain in its xn-- form)")]
    SiteNotAscii {
        /// The scheme's name.
        scheme: &'static str,
    },
    /// Bad options (length, character classes, counter).
    #[error("{0}")]
    Options(String),
}

/// Derive the password for `site` from `secret` as `options` say. The PBKDF2 schemes
/// take 20-90 ms optimised (a second unoptimised): call it off the event loop.
pub fn derive(
    options: &PasswordOptions,
    site: &str,
    secret: &Secret,
) -> Result<Secret, PasswordError> {
    options.check().map_err(PasswordError::Options)?;
    let scheme = options.scheme;
    check_site(scheme, site)?;
    let length = options.length() as usize;
    let secret = secret.expose().as_bytes();
    match scheme {
        Scheme::Sha512 => Ok(altchar::sha512(secret, site, length)),
        Scheme::Sha512_2013 => altchar::sha512_2013(secret, site, length),
        Scheme::Pbkdf2Sha512 => altchar::pbkdf2_sha512(secret, site, length),
        Scheme::LessPass => {
            let classes = lesspass::Classes {
                lowercase: options.lowercase,
                uppercase: options.uppercase,
                digits: options.digits,
                symbols: options.symbols,
            };
            Ok(lesspass::derive(
                secret,
                site,
                &options.login,
                options.counter,
                length,
                classes,
            ))
        }
    }
}

/// Whether `scheme` can derive a password for `site` (so the prompt can say so before
/// asking for the secret).
pub fn check_site(scheme: Scheme, site: &str) -> Result<(), PasswordError> {
    if site.is_empty() {
        return Err(PasswordError::EmptySite);
    }
    let need = scheme.min_site_chars();
    if site.chars().count() < need {
        return Err(PasswordError::SiteTooShort {
            scheme: scheme.name(),
            need,
        });
    }
    if need == 2 && !site.chars().take(2).all(|c| c.is_ascii()) {
        return Err(PasswordError::SiteNotAscii {
            scheme: scheme.name(),
        });
    }
    Ok(())
}

/// The site a window title or class names, when it looks like a domain: "GitHub -
/// github.com - Firefox" → "github.com"; "https://mail.example.org/inbox" →
/// "mail.example.org". A leading "www." is dropped.
pub fn site_from_title(title: &str) -> Option<String> {
    title
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '(' | ')' | '[' | ']' | '"'))
        .filter_map(domain_of)
        .next()
}

fn domain_of(word: &str) -> Option<String> {
    let word = word
        .split_once("://")
        .map_or(word, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()?;
    let host = word.rsplit_once('@').map_or(word, |(_, h)| h);
    let host = host.split(':').next()?;
    let host = host.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | '\'' | '`'));
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let tld = labels.last()?;
    let tld_ok = (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
        || tld.starts_with("xn--");
    (labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok).then_some(host)
}
