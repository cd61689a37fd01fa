//! Keysym names (TEMPORARY stand-in: the real table lands from another branch at merge).
//! Only what the Lua loader's tests and the default config need: letters, digits, a few
//! named keys, F1..F12 and the arrows.

/// Named keys this stand-in knows, with their X keysym values.
const NAMED: &[(&str, u32)] = &[
    ("Return", 0xff0d),
    ("space", 0x0020),
    ("Tab", 0xff09),
    ("Escape", 0xff1b),
    ("grave", 0x0060),
    ("Left", 0xff51),
    ("Up", 0xff52),
    ("Right", 0xff53),
    ("Down", 0xff54),
];

/// The keysym called `name` ("Return", "a", "F5"), or `None` when there is no such key.
pub fn from_name(name: &str) -> Option<u32> {
    let bytes = name.as_bytes();
    if bytes.len() == 1 && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit()) {
        return Some(u32::from(bytes[0]));
    }
    if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse::<u32>().ok()) {
        if (1..=12).contains(&n) {
            return Some(0xffbe + n - 1);
        }
    }
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// Known key names close to `name`, best first, for "did you mean" messages.
pub fn suggest(name: &str) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let mut known: Vec<String> = NAMED.iter().map(|(n, _)| n.to_string()).collect();
    known.extend((1..=12).map(|n| format!("F{n}")));
    if name.len() == 1 && from_name(&lower).is_some() {
        return vec![lower];
    }
    let mut scored: Vec<(usize, String)> = known
        .into_iter()
        .map(|k| (distance(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= 2)
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, k)| k).collect()
}

/// Levenshtein distance (edits of one character).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_suggestions() {
        assert_eq!(from_name("Return"), Some(0xff0d));
        assert_eq!(from_name("a"), Some(0x61));
        assert_eq!(from_name("F12"), Some(0xffc9));
        assert_eq!(from_name("Retrun"), None);
        assert_eq!(
            suggest("Retrun").first().map(String::as_str),
            Some("Return")
        );
    }
}
