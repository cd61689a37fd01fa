//! Keysym names, both ways, as X spells them in keysymdef.h without the `XK_` prefix
//! ("Return", "a", "XF86AudioMute"), plus Unicode forms ("U+00E9") and "did you mean"
//! suggestions for config errors. Pure: no X connection, tables built once from `xkeysym`.

use std::collections::HashMap;
use std::sync::OnceLock;

use xkeysym::Keysym;

/// Keysym values that have names, in the order they are registered (so that the lower
/// value wins if two ever stripped to the same name). Unicode keysyms
/// (`0x1000000 | codepoint`) are computed, but the ones keysymdef.h names (Armenian,
/// Farsi, …) are registered too, so their names work.
const NAMED_RANGES: &[(u32, u32)] = &[
    (0x0000_0001, 0x0000_ffff),
    (0x0100_0100, 0x0100_2fff),
    (0x1000_0000, 0x1000_00ff),
    (0x1000_fe00, 0x1000_ffff),
    (0x1004_ff00, 0x1004_ffff),
    (0x1005_ff00, 0x1005_ffff),
    (0x1008_1000, 0x1008_12ff),
    (0x1008_fe00, 0x1008_ffff),
];

/// Second names of keysyms (`xkeysym` only gives the first name of each value), e.g.
/// "Page_Up" for `Prior`. Generated from xkeysym 0.2's constant list.
const ALIASES: &[(&str, u32)] = &[
    ("SunCompose", 0xff20),
    ("Kanji_Bangou", 0xff37),
    ("Hangul_Codeinput", 0xff37),
    ("Hangul_SingleCandidate", 0xff3c),
    ("Zen_Koho", 0xff3d),
    ("Hangul_MultipleCandidate", 0xff3d),
    ("Mae_Koho", 0xff3e),
    ("Hangul_PreviousCandidate", 0xff3e),
    ("Henkan", 0xff23),
    ("Page_Up", 0xff55),
    ("SunPageUp", 0xff55),
    ("Page_Down", 0xff56),
    ("SunPageDown", 0xff56),
    ("SunPrint_Screen", 0xff61),
    ("SunUndo", 0xff65),
    ("SunAgain", 0xff66),
    ("SunFind", 0xff68),
    ("SunStop", 0xff69),
    ("script_switch", 0xff7e),
    ("ISO_Group_Shift", 0xff7e),
    ("kana_switch", 0xff7e),
    ("Arabic_switch", 0xff7e),
    ("Greek_switch", 0xff7e),
    ("Hebrew_switch", 0xff7e),
    ("Hangul_switch", 0xff7e),
    ("SunAltGraph", 0xff7e),
    ("KP_Page_Up", 0xff9a),
    ("KP_Page_Down", 0xff9b),
    ("L1", 0xffc8),
    ("L2", 0xffc9),
    ("L3", 0xffca),
    ("L4", 0xffcb),
    ("L5", 0xffcc),
    ("L6", 0xffcd),
    ("L7", 0xffce),
    ("L8", 0xffcf),
    ("L9", 0xffd0),
    ("L10", 0xffd1),
    ("R1", 0xffd2),
    ("R2", 0xffd3),
    ("R3", 0xffd4),
    ("R4", 0xffd5),
    ("R5", 0xffd6),
    ("R6", 0xffd7),
    ("R7", 0xffd8),
    ("R8", 0xffd9),
    ("R9", 0xffda),
    ("R10", 0xffdb),
    ("R11", 0xffdc),
    ("R12", 0xffdd),
    ("R13", 0xffde),
    ("R14", 0xffdf),
    ("R15", 0xffe0),
    ("dead_perispomeni", 0xfe53),
    ("dead_psili", 0xfe64),
    ("dead_dasia", 0xfe65),
    ("dead_schwa", 0xfe8a),
    ("dead_SCHWA", 0xfe8b),
    ("quoteright", 0x27),
    ("quoteleft", 0x60),
    ("guillemetleft", 0xab),
    ("ordmasculine", 0xba),
    ("guillemetright", 0xbb),
    ("Eth", 0xd0),
    ("Ooblique", 0xd8),
    ("Thorn", 0xde),
    ("ooblique", 0xf8),
    ("kappa", 0x3a2),
    ("kana_middledot", 0x4a5),
    ("kana_tu", 0x4af),
    ("kana_TI", 0x4c1),
    ("kana_TU", 0x4c2),
    ("kana_HU", 0x4cc),
    ("Arabic_heh", 0x5e7),
    ("Arabic_farsi_yeh", 0x10006cc),
    ("Ukranian_je", 0x6a4),
    ("Ukranian_i", 0x6a6),
    ("Ukranian_yi", 0x6a7),
    ("Serbian_je", 0x6a8),
    ("Serbian_lje", 0x6a9),
    ("Serbian_nje", 0x6aa),
    ("Serbian_dze", 0x6af),
    ("Ukranian_JE", 0x6b4),
    ("Ukranian_I", 0x6b6),
    ("Ukranian_YI", 0x6b7),
    ("Serbian_JE", 0x6b8),
    ("Serbian_LJE", 0x6b9),
    ("Serbian_NJE", 0x6ba),
    ("Serbian_DZE", 0x6bf),
    ("Greek_IOTAdiaeresis", 0x7a5),
    ("Greek_LAMBDA", 0x7cb),
    ("Greek_lambda", 0x7eb),
    ("hebrew_beth", 0xce1),
    ("hebrew_gimmel", 0xce2),
    ("hebrew_daleth", 0xce3),
    ("hebrew_zayin", 0xce6),
    ("hebrew_het", 0xce7),
    ("hebrew_teth", 0xce8),
    ("hebrew_samekh", 0xcf1),
    ("hebrew_finalzadi", 0xcf5),
    ("hebrew_zadi", 0xcf6),
    ("hebrew_kuf", 0xcf7),
    ("hebrew_taf", 0xcfa),
    ("Armenian_verjaket", 0x1000589),
    ("Armenian_but", 0x100055d),
    ("Armenian_yentamna", 0x100058a),
    ("Armenian_amanak", 0x100055c),
    ("Armenian_shesht", 0x100055b),
    ("Armenian_paruyk", 0x100055e),
    ("ClearLine", 0x1000ff6f),
    ("InsertLine", 0x1000ff70),
    ("DeleteLine", 0x1000ff71),
    ("InsertChar", 0x1000ff72),
    ("DeleteChar", 0x1000ff73),
    ("BackTab", 0x1000ff74),
    ("KP_BackTab", 0x1000ff75),
    ("Reset", 0x1000ff6c),
    ("System", 0x1000ff6d),
    ("User", 0x1000ff6e),
    ("mute_acute", 0x100000a8),
    ("mute_grave", 0x100000a9),
    ("mute_asciicircum", 0x100000aa),
    ("mute_diaeresis", 0x100000ab),
    ("mute_asciitilde", 0x100000ac),
    ("lira", 0x100000af),
    ("guilder", 0x100000be),
    ("IO", 0x100000ee),
    ("longminus", 0x100000f6),
    ("block", 0x100000fc),
];

/// Vendor keysyms of old Unix workstations (hp, osf, Sun, DEC): accepted, never suggested
/// (they would crowd out the XF86 names, "SunAudioMute" for "AudioMute").
const LEGACY_VENDOR: std::ops::RangeInclusive<u32> = 0x1000_0000..=0x1005_ffff;

/// Name prefixes of the same vendors' aliases for ordinary keysyms ("SunPrint_Screen").
const LEGACY_PREFIXES: &[&str] = &["Sun", "hp", "osf"];

/// The prefix of XFree86 vendor keysym names, lowercased.
const XF86: [char; 4] = ['x', 'f', '8', '6'];

/// Unicode keysyms are `UNICODE_OFFSET | codepoint`.
const UNICODE_OFFSET: u32 = 0x0100_0000;

/// The name tables, built once.
struct Table {
    /// Exact name → keysym.
    exact: HashMap<String, u32>,
    /// Lowercased name → keysym, or `None` when several keysyms share that lowercase form
    /// ("aacute" / "Aacute").
    folded: HashMap<String, Option<u32>>,
    /// The names [`suggest`] may offer (no legacy vendor names), each with its lowercase
    /// characters, so that a suggestion compares without allocating per name.
    suggestable: Vec<(String, Vec<char>)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exact = HashMap::new();
        let named = NAMED_RANGES
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .filter_map(|k| Some((strip(Keysym::new(k).name()?), k)));
        let aliases = ALIASES.iter().map(|&(n, k)| (n.to_string(), k));
        for (name, k) in named.chain(aliases) {
            exact.entry(name).or_insert(k);
        }
        let mut folded: HashMap<String, Option<u32>> = HashMap::new();
        for (name, &k) in &exact {
            folded
                .entry(name.to_lowercase())
                .and_modify(|v| {
                    if *v != Some(k) {
                        *v = None;
                    }
                })
                .or_insert(Some(k));
        }
        let suggestable = exact
            .iter()
            .filter(|(n, k)| {
                !LEGACY_VENDOR.contains(k) && !LEGACY_PREFIXES.iter().any(|p| n.starts_with(p))
            })
            .map(|(n, _)| (n.clone(), n.to_lowercase().chars().collect()))
            .collect();
        Table {
            exact,
            folded,
            suggestable,
        }
    })
}

/// "XK_Return" → "Return", "XF86XK_AudioMute" → "XF86AudioMute", "SunXK_Copy" → "SunCopy".
fn strip(raw: &str) -> String {
    match raw.find("XK_") {
        Some(i) => format!("{}{}", &raw[..i], &raw[i + 3..]),
        None => raw.to_string(),
    }
}

/// "U+00E9", "U00E9" (either case of `U`, 2 to 6 hex digits) → keysym: Latin-1 characters
/// are their code point, others `0x1000000 | codepoint`. Control characters, surrogates and
/// values past U+10FFFF are not keys.
fn parse_unicode(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(['U', 'u'])?;
    let hex = rest.strip_prefix('+').unwrap_or(rest);
    if !(2..=6).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let cp = u32::from_str_radix(hex, 16).ok()?;
    let c = char::from_u32(cp)?;
    if c.is_control() {
        return None;
    }
    Some(if cp <= 0xff { cp } else { UNICODE_OFFSET | cp })
}

/// The keysym called `name`: an exact keysymdef.h name without `XK_` ("Return", "a", "A",
/// "1", "F1", "XF86AudioRaiseVolume"), a Unicode form ("U+20AC", "U20AC"), the same with
/// an `XK_`/`XF86XK_` prefix left on, or else a name that matches exactly one keysym when
/// case is ignored ("return"; but not "AACUTE", which could be "Aacute" or "aacute").
pub fn from_name(name: &str) -> Option<u32> {
    let t = table();
    if let Some(&k) = t.exact.get(name) {
        return Some(k);
    }
    if let Some(k) = parse_unicode(name) {
        return Some(k);
    }
    if name.contains("XK_") {
        if let Some(&k) = t.exact.get(&strip(name)) {
            return Some(k);
        }
    }
    t.folded.get(&name.to_lowercase()).copied().flatten()
}

/// The name of `keysym` as [`from_name`] accepts it ("Return", "XF86AudioMute"); unnamed
/// Unicode keysyms get their "U20AC" form. `None` for values that are not keysyms
/// (`NoSymbol`, `VoidSymbol`: xkeysym names them, but no key produces them).
pub fn name(keysym: u32) -> Option<String> {
    if let Some(raw) = Keysym::new(keysym).name() {
        let name = strip(raw);
        if table().exact.get(&name) == Some(&keysym) {
            return Some(name);
        }
    }
    let cp = keysym.checked_sub(UNICODE_OFFSET)?;
    let c = char::from_u32(cp)?;
    (cp > 0xff && !c.is_control()).then(|| format!("U{cp:04X}"))
}

/// Up to three known names closest to `name` (by edit distance, ignoring case; a swap of
/// two neighbouring letters counts as one edit), best first, for messages like
/// `unknown key name 'Retrun' (did you mean 'Return'?)`. Empty when nothing is close.
/// Legacy vendor names (hp, osf, Sun, DEC) are never suggested.
pub fn suggest(name: &str) -> Vec<String> {
    let query = name.to_lowercase();
    let query: Vec<char> = query.chars().collect();
    let limit = (query.len() / 3).max(1);
    let mut scratch = Vec::new();
    let mut found: Vec<(usize, usize, &str)> = table()
        .suggestable
        .iter()
        .filter_map(|(cand, folded)| {
            let full = close(&query, folded, limit, &mut scratch);
            // Leaving out "XF86" is a common slip: count it as one edit.
            let bare = match folded.strip_prefix(&XF86[..]) {
                Some(bare) if !query.starts_with(&XF86) => {
                    close(&query, bare, limit, &mut scratch).map(|d| d + 1)
                }
                _ => None,
            };
            let d = full.into_iter().chain(bare).min()?;
            (d <= limit).then(|| (d, usize::from(cand.as_str() != name), cand.as_str()))
        })
        .collect();
    found.sort_unstable();
    found
        .into_iter()
        .take(3)
        .map(|(_, _, n)| n.to_string())
        .collect()
}

/// `Some(distance(a, b))`, or `None` when the lengths alone differ by more than `limit`.
fn close(a: &[char], b: &[char], limit: usize, scratch: &mut Vec<usize>) -> Option<usize> {
    (a.len().abs_diff(b.len()) <= limit).then(|| distance(a, b, scratch))
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// adjacent characters each cost one. `d` is scratch space (reused across candidates).
fn distance(a: &[char], b: &[char], d: &mut Vec<usize>) -> usize {
    let w = b.len() + 1;
    d.clear();
    d.resize((a.len() + 1) * w, 0);
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_resolve() {
        assert_eq!(from_name("Return"), Some(0xff0d));
        assert_eq!(from_name("space"), Some(0x20));
        assert_eq!(from_name("a"), Some(0x61));
        assert_eq!(from_name("A"), Some(0x41));
        assert_eq!(from_name("1"), Some(0x31));
        assert_eq!(from_name("F1"), Some(0xffbe));
        assert_eq!(from_name("F12"), Some(0xffc9));
        assert_eq!(from_name("Print"), Some(0xff61));
        assert_eq!(from_name("Escape"), Some(0xff1b));
        assert_eq!(from_name("Tab"), Some(0xff09));
        assert_eq!(from_name("Super_L"), Some(0xffeb));
        assert_eq!(from_name("eacute"), Some(0xe9));
    }

    #[test]
    fn xf86_names_lose_only_the_xk() {
        assert_eq!(from_name("XF86AudioRaiseVolume"), Some(0x1008ff13));
        assert_eq!(from_name("XF86AudioLowerVolume"), Some(0x1008ff11));
        assert_eq!(from_name("XF86AudioMute"), Some(0x1008ff12));
        assert_eq!(from_name("XF86MonBrightnessUp"), Some(0x1008ff02));
        assert_eq!(name(0x1008ff12).as_deref(), Some("XF86AudioMute"));
        assert_eq!(from_name("XF86Switch_VT_1"), Some(0x1008fe01));
    }

    #[test]
    fn prefixed_names_are_accepted_too() {
        assert_eq!(from_name("XK_Return"), Some(0xff0d));
        assert_eq!(from_name("XF86XK_AudioMute"), Some(0x1008ff12));
        assert_eq!(from_name("XK_Nonsense"), None);
    }

    #[test]
    fn aliases_shadowed_in_xkeysym_still_resolve() {
        assert_eq!(from_name("Page_Up"), Some(0xff55));
        assert_eq!(from_name("Prior"), Some(0xff55));
        assert_eq!(from_name("Page_Down"), Some(0xff56));
        assert_eq!(from_name("KP_Page_Up"), Some(0xff9a));
        assert_eq!(from_name("script_switch"), Some(0xff7e));
        assert_eq!(name(0xff55).as_deref(), Some("Prior"));
        for &(alias, k) in ALIASES {
            assert_eq!(from_name(alias), Some(k), "{alias}");
            assert_ne!(name(k).as_deref(), Some(alias), "{alias} is not shadowed");
        }
    }

    #[test]
    fn names_are_only_given_to_what_from_name_accepts() {
        // Found by the keysym fuzz target: xkeysym names these, from_name refuses them.
        assert_eq!(from_name("NoSymbol"), None);
        assert_eq!(name(0), None);
        assert_eq!(from_name("VoidSymbol"), None);
        assert_eq!(name(0xff_ffff), None);
    }

    #[test]
    fn unicode_forms() {
        assert_eq!(from_name("U+00E9"), Some(0xe9));
        assert_eq!(from_name("U00E9"), Some(0xe9));
        assert_eq!(from_name("U+20AC"), Some(0x10020ac));
        assert_eq!(from_name("u20ac"), Some(0x10020ac));
        assert_eq!(from_name("U+1F600"), Some(0x101f600));
        assert_eq!(from_name("U+0007"), None, "control character");
        assert_eq!(from_name("U+D800"), None, "surrogate");
        assert_eq!(from_name("U+110000"), None, "past Unicode");
        assert_eq!(from_name("U+"), None);
        assert_eq!(from_name("U+12G4"), None);
        // "U" alone is the letter.
        assert_eq!(from_name("U"), Some(0x55));
        assert_eq!(name(0x101f600).as_deref(), Some("U1F600"));
        assert_eq!(from_name("U1F600"), Some(0x101f600));
    }

    #[test]
    fn named_unicode_keysyms_keep_their_names() {
        assert_eq!(from_name("Farsi_0"), Some(0x10006f0));
        assert_eq!(name(0x10006f0).as_deref(), Some("Farsi_0"));
    }

    #[test]
    fn case_is_ignored_only_when_unambiguous() {
        assert_eq!(from_name("return"), Some(0xff0d));
        assert_eq!(from_name("ESCAPE"), Some(0xff1b));
        assert_eq!(from_name("xf86audiomute"), Some(0x1008ff12));
        assert_eq!(from_name("page_up"), Some(0xff55));
        // Exact names win over folding: "A" and "a" are different keysyms.
        assert_eq!(from_name("Aacute"), Some(0xc1));
        assert_eq!(from_name("aacute"), Some(0xe1));
        assert_eq!(from_name("AACUTE"), None);
    }

    #[test]
    fn unknown_names_are_none() {
        assert_eq!(from_name(""), None);
        assert_eq!(from_name("Retrun"), None);
        assert_eq!(from_name("mod4"), None);
    }

    #[test]
    fn names_round_trip() {
        for k in [
            0x20, 0x61, 0x41, 0x31, 0xff0d, 0xffbe, 0xff61, 0x1008ff13, 0xe9,
        ] {
            let n = name(k).expect("named keysym");
            assert_eq!(from_name(&n), Some(k), "{n}");
        }
        assert_eq!(name(0xff0d).as_deref(), Some("Return"));
        assert_eq!(name(0x20).as_deref(), Some("space"));
        assert_eq!(name(0x7777_7777), None);
        assert_eq!(name(0x0100_0007), None);
    }

    #[test]
    fn every_named_keysym_round_trips() {
        for &(lo, hi) in NAMED_RANGES {
            for k in lo..=hi {
                if let Some(n) = name(k) {
                    assert_eq!(from_name(&n), Some(k), "{n}");
                }
            }
        }
    }

    #[test]
    fn suggestions_find_typos() {
        assert_eq!(
            suggest("Retrun").first().map(String::as_str),
            Some("Return")
        );
        assert_eq!(
            suggest("Escpae").first().map(String::as_str),
            Some("Escape")
        );
        assert_eq!(
            suggest("XF86AudioRaiseVolum").first().map(String::as_str),
            Some("XF86AudioRaiseVolume")
        );
        assert_eq!(
            suggest("AudioMute").first().map(String::as_str),
            Some("XF86AudioMute")
        );
        assert!(suggest("SunAudioMut").iter().all(|n| !n.starts_with("Sun")));
        assert!(suggest("Print_Screen").is_empty(), "not SunPrint_Screen");
        assert_eq!(suggest("BackSpac"), vec!["BackSpace".to_string()]);
        assert!(suggest("AACUTE").contains(&"Aacute".to_string()));
        assert!(suggest("zz").len() <= 3);
        assert!(suggest("completely-unrelated-words").is_empty());
    }

    #[test]
    fn edit_distance() {
        let mut scratch = vec![7; 3];
        let mut d = |a: &str, b: &str| {
            distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
                &mut scratch,
            )
        };
        assert_eq!(d("", ""), 0);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("retrun", "return"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
    }
}
