//! Every row of the reference vectors (tests/data/password-vectors.tsv, copied from the
//! references' own outputs), and the edge cases: empty secret, non-ASCII secret and site,
//! one-character sites, bad options.

use super::*;

const VECTORS: &str = include_str!("../tests/data/password-vectors.tsv");

struct Row<'a> {
    scheme: &'a str,
    secret: &'a str,
    site: &'a str,
    login: &'a str,
    length: u32,
    counter: Option<u32>,
    rules: &'a str,
    expected: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    let mut lines = VECTORS.lines().filter(|l| !l.starts_with('#'));
    let header = lines.next().expect("a header line");
    assert!(header.starts_with("scheme\tsecret\tsite"), "{header}");
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 8, "8 columns in {l:?}");
            Row {
                scheme: f[0],
                secret: f[1],
                site: f[2],
                login: f[3],
                length: f[4].parse().expect("length"),
                counter: (!f[5].is_empty()).then(|| f[5].parse().expect("counter")),
                rules: f[6],
                expected: f[7],
            }
        })
        .collect()
}

fn options_for(row: &Row) -> PasswordOptions {
    let scheme = Scheme::from_name(row.scheme).expect("known scheme");
    let mut o = PasswordOptions {
        scheme,
        length: Some(row.length),
        login: row.login.to_string(),
        ..PasswordOptions::default()
    };
    if let Some(c) = row.counter {
        o.counter = c;
    }
    if scheme == Scheme::LessPass {
        o.lowercase = row.rules.contains('l');
        o.uppercase = row.rules.contains('u');
        o.digits = row.rules.contains('d');
        o.symbols = row.rules.contains('s');
    }
    o
}

fn derive_str(o: &PasswordOptions, site: &str, secret: &str) -> Result<String, PasswordError> {
    derive(o, site, &Secret::new(secret.into())).map(|s| s.expose().to_string())
}

#[test]
fn every_reference_vector_row_passes() {
    let rows = rows();
    assert_eq!(rows.len(), 43, "the whole file is read");
    let mut failures = Vec::new();
    for row in &rows {
        let got = derive_str(&options_for(row), row.site, row.secret);
        if got.as_deref() != Ok(row.expected) {
            failures.push(format!(
                "{} {:?} {:?}: got {got:?}, want {}",
                row.scheme, row.secret, row.site, row.expected
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for scheme in Scheme::ALL {
        assert!(
            rows.iter().any(|r| r.scheme == scheme.name()),
            "{} has reference rows",
            scheme.name()
        );
    }
}

fn scheme(s: Scheme) -> PasswordOptions {
    PasswordOptions {
        scheme: s,
        ..PasswordOptions::default()
    }
}

#[test]
fn an_empty_secret_still_derives_and_an_empty_site_is_an_error() {
    for s in Scheme::ALL {
        let out = derive_str(&scheme(s), "example.org", "").expect("derives");
        assert_eq!(out.chars().count() as u32, s.default_length());
        assert_eq!(
            derive_str(&scheme(s), "", "secret"),
            Err(PasswordError::EmptySite)
        );
    }
}

#[test]
fn non_ascii_secrets_and_sites_are_utf8_bytes() {
    // The sha512 formula is easy to restate: check it on UTF-8 directly.
    let o = scheme(Scheme::Sha512);
    let a = derive_str(&o, "bücher.example", "pässwörd").expect("derives");
    let b = derive_str(&o, "bücher.example", "passwörd").expect("derives");
    assert_ne!(a, b, "each byte of the secret counts");
    // LessPass takes any site (its reference vectors include "♥ LessPass ♥").
    let lp = derive_str(&scheme(Scheme::LessPass), "bücher.example", "pässwörd").expect("ok");
    assert_eq!(lp.chars().count(), 16);
    // The altchar schemes put the site's first two bytes into the password: those must be
    // ASCII, later characters may be anything.
    for s in [Scheme::Sha512_2013, Scheme::Pbkdf2Sha512] {
        assert_eq!(
            derive_str(&scheme(s), "ünï.example", "x"),
            Err(PasswordError::SiteNotAscii { scheme: s.name() })
        );
        let ok = derive_str(&scheme(s), "bu-ü.example", "pässwörd").expect("ascii start");
        assert!(ok.is_ascii() && ok.len() == 10, "{ok}");
    }
}

#[test]
fn one_character_sites_are_clear_errors_for_the_altchar_schemes_only() {
    for s in [Scheme::Sha512_2013, Scheme::Pbkdf2Sha512] {
        let err = derive_str(&scheme(s), "x", "secret").expect_err("too short");
        assert_eq!(
            err,
            PasswordError::SiteTooShort {
                scheme: s.name(),
                need: 2
            }
        );
        assert!(err.to_string().contains("at least 2 characters"), "{err}");
    }
    // A non-ASCII single character is "too short" too, not a byte-slicing panic.
    assert!(matches!(
        derive_str(&scheme(Scheme::Sha512_2013), "ü", "s"),
        Err(PasswordError::SiteTooShort { .. })
    ));
    for s in [Scheme::Sha512, Scheme::LessPass] {
        assert!(
            derive_str(&scheme(s), "x", "secret").is_ok(),
            "{}",
            s.name()
        );
    }
}

#[test]
fn the_digit_rule_uses_a_never_negative_modulo() {
    // 0xfb 0xef 0xbe is "++++" in base64; with the altchars "-_" that is "----", cut to
    // one character without a digit: (ord('-') - 65) mod 10 = (45 - 65) mod 10 = 0 as
    // Python computes it (Rust's % would give -0, and '.' would give -9).
    let raw = [0xfbu8, 0xef, 0xbe];
    assert_eq!(altchar::encode(&raw, *b"-_", 1).expose(), "0");
    assert_eq!(altchar::encode(&raw, *b"._", 2).expose(), ".1");
    assert_eq!(altchar::encode(&raw, *b"a_", 3).expose(), "aa0");
}

#[test]
fn options_are_checked_with_clear_messages() {
    let mut o = scheme(Scheme::LessPass);
    o.length = Some(4);
    assert!(o.check().expect_err("too short").contains("5 to 35"));
    o.length = Some(16);
    o.lowercase = false;
    o.uppercase = false;
    o.digits = false;
    o.symbols = false;
    assert!(o.check().expect_err("no classes").contains("at least one"));
    let mut o = scheme(Scheme::Sha512);
    o.length = Some(0);
    assert!(derive_str(&o, "a.b", "s").is_err(), "length 0 is refused");
    o.length = Some(87);
    assert!(o.check().is_err());
    o.length = Some(86);
    assert_eq!(derive_str(&o, "a.b", "s").expect("full").len(), 86);
    let mut o = PasswordOptions {
        clipboard_seconds: f64::NAN,
        ..PasswordOptions::default()
    };
    assert!(o.check().is_err());
    o.clipboard_seconds = 45.0;
    o.mask = "ab".into();
    assert!(o.check().is_err());
}

#[test]
fn the_default_scheme_is_lesspass_and_names_round_trip() {
    assert_eq!(PasswordOptions::default().scheme, Scheme::LessPass);
    for s in Scheme::ALL {
        assert_eq!(Scheme::from_name(s.name()), Some(s));
        let json = serde_json::to_string(&s).expect("serializes");
        assert_eq!(json, format!("\"{}\"", s.name()));
    }
    assert_eq!(Scheme::from_name("sha256"), None);
}

#[test]
fn errors_never_contain_the_secret() {
    let secret = "hunter2-very-secret";
    for s in Scheme::ALL {
        for site in ["", "x", "ünï"] {
            if let Err(e) = derive_str(&scheme(s), site, secret) {
                assert!(!e.to_string().contains(secret));
                assert!(!format!("{e:?}").contains(secret));
            }
        }
    }
}

#[test]
fn sites_come_from_titles_that_look_like_domains() {
    let cases = [
        ("GitHub - github.com - Mozilla Firefox", Some("github.com")),
        ("https://www.Example.org/login?x=1", Some("example.org")),
        ("mail.example.org", Some("mail.example.org")),
        ("user@host.example.net:22", Some("host.example.net")),
        ("xn--bcher-kva.example", Some("xn--bcher-kva.example")),
        ("bücher.example", Some("bücher.example")),
        ("xterm", None),
        // ".md" is a real top-level domain: file names can look like sites.
        ("README.md", Some("readme.md")),
        ("version 1.2.3", None),
        ("", None),
        ("...", None),
    ];
    for (title, want) in cases {
        assert_eq!(site_from_title(title).as_deref(), want, "{title:?}");
    }
}
