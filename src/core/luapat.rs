//! Lua patterns (`string.find` semantics) in pure Rust, so that window rules written in the
//! config match in the core without calling into Lua. A port of the matcher of Lua 5.4's
//! lstrlib.c: classes (`%a %c %d %g %l %p %s %u %w %x` and their negations), sets
//! (`[a-z%d]`, `[^...]`), `.`, the quantifiers `* + - ?`, anchors `^ $`, captures and
//! back-references (`(...)`, `()`, `%1`), `%b()` and `%f[set]`. Bytes, like Lua: the
//! classes are ASCII.

/// Recursion limit of the matcher (Lua's MAXCCALLS): a pathological pattern fails instead of
/// overflowing the stack.
const MAX_DEPTH: usize = 200;
/// Matcher steps one `find` may take: backtracking patterns (`a-a-a-...b`) can take
/// exponential time in Lua; here they give up and find nothing.
const MAX_STEPS: usize = 200_000;
/// Captures a pattern may open (Lua's LUA_MAXCAPTURES).
const MAX_CAPTURES: usize = 32;

const ESC: u8 = b'%';

/// What is wrong with a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: &str) -> Result<T, PatternError> {
    Err(PatternError(msg.to_string()))
}

/// Whether `pattern` is well formed (what Lua would complain about while matching it).
pub fn validate(pattern: &str) -> Result<(), PatternError> {
    let p = pattern.as_bytes();
    let mut i = usize::from(p.first() == Some(&b'^'));
    let mut open: Vec<bool> = Vec::new(); // one entry per capture opened: still open?
    while i < p.len() {
        match p[i] {
            b'(' => {
                if open.len() >= MAX_CAPTURES {
                    return err("too many captures");
                }
                if p.get(i + 1) == Some(&b')') {
                    open.push(false);
                    i += 2;
                } else {
                    open.push(true);
                    i += 1;
                }
                continue;
            }
            b')' => {
                match open.iter().rposition(|&o| o) {
                    Some(k) => open[k] = false,
                    None => return err("invalid pattern capture"),
                }
                i += 1;
                continue;
            }
            ESC => match p.get(i + 1) {
                None => return err("malformed pattern (ends with '%')"),
                Some(b'b') => {
                    if i + 3 >= p.len() {
                        return err("missing arguments to %b");
                    }
                    i += 4;
                    continue;
                }
                Some(b'f') => {
                    if p.get(i + 2) != Some(&b'[') {
                        return err("missing '[' after %f in pattern");
                    }
                    i = class_end(p, i + 2)?;
                    continue;
                }
                Some(d @ b'0'..=b'9') => {
                    let l = usize::from(d - b'1');
                    if *d == b'0' || l >= open.len() || open[l] {
                        return err("invalid capture index");
                    }
                    i += 2;
                    continue;
                }
                Some(_) => {}
            },
            _ => {}
        }
        i = class_end(p, i)?;
        if matches!(p.get(i), Some(b'*' | b'+' | b'-' | b'?')) {
            i += 1;
        }
    }
    if open.iter().any(|&o| o) {
        return err("unfinished capture");
    }
    Ok(())
}

/// `string.find(subject, pattern) ~= nil`; a malformed pattern finds nothing.
pub fn find(subject: &str, pattern: &str) -> bool {
    find_bytes(subject.as_bytes(), pattern.as_bytes()).unwrap_or(false)
}

/// `string.find` on bytes; Err when the pattern is malformed (found while matching).
pub fn find_bytes(s: &[u8], p: &[u8]) -> Result<bool, PatternError> {
    let (anchor, p) = match p.first() {
        Some(b'^') => (true, &p[1..]),
        _ => (false, p),
    };
    let mut start = 0;
    let mut steps = MAX_STEPS;
    loop {
        let mut m = Matcher {
            s,
            p,
            depth: MAX_DEPTH,
            steps,
            captures: Vec::new(),
        };
        let found = m.do_match(start, 0)?.is_some();
        steps = m.steps;
        if found {
            return Ok(true);
        }
        start += 1;
        if anchor || start > s.len() {
            return Ok(false);
        }
    }
}

/// Where the single-character class starting at `p[i]` ends.
fn class_end(p: &[u8], mut i: usize) -> Result<usize, PatternError> {
    let c = p[i];
    i += 1;
    match c {
        ESC => {
            if i >= p.len() {
                return err("malformed pattern (ends with '%')");
            }
            Ok(i + 1)
        }
        b'[' => {
            if p.get(i) == Some(&b'^') {
                i += 1;
            }
            // The first character of a set is taken literally, even ']'.
            loop {
                if i >= p.len() {
                    return err("malformed pattern (missing ']')");
                }
                let c = p[i];
                i += 1;
                if c == ESC && i < p.len() {
                    i += 1;
                }
                if p.get(i) == Some(&b']') {
                    return Ok(i + 1);
                }
            }
        }
        _ => Ok(i),
    }
}

fn match_class(c: u8, class: u8) -> bool {
    let res = match class.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        _ => return class == c,
    };
    if class.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

/// `c` against the set `p[start..=end]` (`p[start]` is '[', `p[end]` is ']').
fn match_bracket(c: u8, p: &[u8], start: usize, end: usize) -> bool {
    let mut i = start;
    let mut sig = true;
    if p[i + 1] == b'^' {
        sig = false;
        i += 1;
    }
    i += 1;
    while i < end {
        if p[i] == ESC {
            i += 1;
            if match_class(c, p[i]) {
                return sig;
            }
        } else if p.get(i + 1) == Some(&b'-') && i + 2 < end {
            if p[i] <= c && c <= p[i + 2] {
                return sig;
            }
            i += 2;
        } else if p[i] == c {
            return sig;
        }
        i += 1;
    }
    !sig
}

#[derive(Clone, Copy)]
enum Cap {
    Open,
    Position,
    Len(usize),
}

struct Matcher<'a> {
    s: &'a [u8],
    p: &'a [u8],
    depth: usize,
    steps: usize,
    captures: Vec<(usize, Cap)>,
}

impl Matcher<'_> {
    fn single(&self, si: usize, pi: usize, ep: usize) -> bool {
        let Some(&c) = self.s.get(si) else {
            return false;
        };
        match self.p[pi] {
            b'.' => true,
            ESC => match_class(c, self.p[pi + 1]),
            b'[' => match_bracket(c, self.p, pi, ep - 1),
            pc => pc == c,
        }
    }

    /// Match `p[pi..]` at `s[si..]`: the end of the match, or None.
    fn do_match(&mut self, mut si: usize, mut pi: usize) -> Result<Option<usize>, PatternError> {
        if self.depth == 0 || self.steps == 0 {
            return err("pattern too complex");
        }
        self.depth -= 1;
        self.steps -= 1;
        let p = self.p;
        let result = loop {
            if pi >= p.len() {
                break Some(si);
            }
            match p[pi] {
                b'(' => {
                    break if p.get(pi + 1) == Some(&b')') {
                        self.start_capture(si, pi + 2, Cap::Position)?
                    } else {
                        self.start_capture(si, pi + 1, Cap::Open)?
                    };
                }
                b')' => break self.end_capture(si, pi + 1)?,
                b'$' if pi + 1 == p.len() => break (si == self.s.len()).then_some(si),
                ESC if p.get(pi + 1) == Some(&b'b') => match self.balance(si, pi + 2)? {
                    Some(end) => {
                        si = end;
                        pi += 4;
                        continue;
                    }
                    None => break None,
                },
                ESC if p.get(pi + 1) == Some(&b'f') => {
                    pi += 2;
                    if p.get(pi) != Some(&b'[') {
                        return err("missing '[' after %f in pattern");
                    }
                    let ep = class_end(p, pi)?;
                    let prev = if si == 0 { 0 } else { self.s[si - 1] };
                    let cur = self.s.get(si).copied().unwrap_or(0);
                    if !match_bracket(prev, p, pi, ep - 1) && match_bracket(cur, p, pi, ep - 1) {
                        pi = ep;
                        continue;
                    }
                    break None;
                }
                ESC if p.get(pi + 1).is_some_and(u8::is_ascii_digit) => {
                    match self.match_capture(si, p[pi + 1])? {
                        Some(end) => {
                            si = end;
                            pi += 2;
                            continue;
                        }
                        None => break None,
                    }
                }
                _ => {
                    let ep = class_end(p, pi)?;
                    let q = p.get(ep).copied();
                    if !self.single(si, pi, ep) {
                        if matches!(q, Some(b'*' | b'?' | b'-')) {
                            pi = ep + 1;
                            continue;
                        }
                        break None;
                    }
                    match q {
                        Some(b'?') => match self.do_match(si + 1, ep + 1)? {
                            Some(end) => break Some(end),
                            None => {
                                pi = ep + 1;
                                continue;
                            }
                        },
                        Some(b'+') => break self.max_expand(si + 1, pi, ep)?,
                        Some(b'*') => break self.max_expand(si, pi, ep)?,
                        Some(b'-') => break self.min_expand(si, pi, ep)?,
                        _ => {
                            si += 1;
                            pi = ep;
                            continue;
                        }
                    }
                }
            }
        };
        self.depth += 1;
        Ok(result)
    }

    fn max_expand(
        &mut self,
        si: usize,
        pi: usize,
        ep: usize,
    ) -> Result<Option<usize>, PatternError> {
        let mut n = 0;
        while self.single(si + n, pi, ep) {
            n += 1;
        }
        loop {
            if let Some(end) = self.do_match(si + n, ep + 1)? {
                return Ok(Some(end));
            }
            if n == 0 {
                return Ok(None);
            }
            n -= 1;
        }
    }

    fn min_expand(
        &mut self,
        mut si: usize,
        pi: usize,
        ep: usize,
    ) -> Result<Option<usize>, PatternError> {
        loop {
            if let Some(end) = self.do_match(si, ep + 1)? {
                return Ok(Some(end));
            }
            if self.single(si, pi, ep) {
                si += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(
        &mut self,
        si: usize,
        pi: usize,
        what: Cap,
    ) -> Result<Option<usize>, PatternError> {
        if self.captures.len() >= MAX_CAPTURES {
            return err("too many captures");
        }
        self.captures.push((si, what));
        let res = self.do_match(si, pi)?;
        if res.is_none() {
            self.captures.pop();
        }
        Ok(res)
    }

    fn end_capture(&mut self, si: usize, pi: usize) -> Result<Option<usize>, PatternError> {
        let Some(l) = self
            .captures
            .iter()
            .rposition(|(_, c)| matches!(c, Cap::Open))
        else {
            return err("invalid pattern capture");
        };
        let start = self.captures[l].0;
        self.captures[l].1 = Cap::Len(si - start);
        let res = self.do_match(si, pi)?;
        if res.is_none() {
            self.captures[l].1 = Cap::Open;
        }
        Ok(res)
    }

    fn match_capture(&self, si: usize, digit: u8) -> Result<Option<usize>, PatternError> {
        let l = usize::from(digit).wrapping_sub(usize::from(b'1'));
        let (start, len) = match self.captures.get(l) {
            Some((start, Cap::Len(len))) => (*start, *len),
            Some((start, Cap::Position)) => (*start, 0),
            _ => return err("invalid capture index"),
        };
        let cap = &self.s[start..start + len];
        Ok((self.s.len() - si >= len && &self.s[si..si + len] == cap).then_some(si + len))
    }

    fn balance(&self, si: usize, pi: usize) -> Result<Option<usize>, PatternError> {
        if pi + 1 >= self.p.len() {
            return err("missing arguments to %b");
        }
        let (b, e) = (self.p[pi], self.p[pi + 1]);
        if self.s.get(si) != Some(&b) {
            return Ok(None);
        }
        let mut depth = 1;
        let mut i = si + 1;
        while i < self.s.len() {
            let c = self.s[i];
            if c == e {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == b {
                depth += 1;
            }
            i += 1;
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases checked against Lua 5.4's `string.find(s, p) ~= nil`.
    #[test]
    fn finds_like_lua() {
        let cases: &[(&str, &str, bool)] = &[
            ("Firefox", "Firefox", true),
            ("Mozilla Firefox", "Firefox", true),
            ("Mozilla Firefox", "^Firefox", false),
            ("Firefox", "^Fire", true),
            ("Firefox", "fox$", true),
            ("Firefox", "Fire$", false),
            ("xterm", "^x.*m$", true),
            ("xterm", "^x.-m$", true),
            ("", "", true),
            ("", "^$", true),
            ("a", "^$", false),
            ("abc", "b?c", true),
            ("ac", "ab?c", true),
            ("abbbc", "^ab+c$", true),
            ("ac", "^ab+c$", false),
            ("Page 12 of 30", "%d+ of %d+", true),
            ("Page x of 30", "^Page %d", false),
            ("hello world", "%s", true),
            ("helloworld", "%s", false),
            ("UPPER", "^%u+$", true),
            ("Upper", "^%u+$", false),
            ("a.b", "a%.b", true),
            ("axb", "a%.b", false),
            ("axb", "a.b", true),
            ("x1y", "[%d]", true),
            ("xy", "[^xy]", false),
            ("xyz", "[^xy]", true),
            ("b", "[a-c]", true),
            ("d", "[a-c]", false),
            ("]", "[]]", true),
            ("-", "[a-]", true),
            ("f(a(b)c)", "%b()", true),
            ("f(a(bc", "%b()", false),
            ("THE (quick) fox", "%f[%a]%a+", true),
            ("hello hello", "(h%a+) %1", true),
            ("hello world", "(h%a+) %1", false),
            ("abc", "()b", true),
            ("Save (1)", "Save (1)", false),
            ("Save 1", "Save (1)", true),
            ("a+b", "a+b", false),
            ("aab", "a+b", true),
            ("a+b", "a%+b", true),
            ("dialog", "^%l+$", true),
            ("x", "%W", false),
            ("!", "%W", true),
        ];
        for &(s, p, want) in cases {
            assert_eq!(find(s, p), want, "string.find({s:?}, {p:?})");
            assert_eq!(validate(p), Ok(()), "{p:?} is valid");
        }
    }

    #[test]
    fn malformed_patterns_are_reported_and_find_nothing() {
        for p in [
            "%", "[a", "(a", "a)", "%b", "%ba", "%f", "%fa", "%1", "(a)%2", "[^", "(()",
        ] {
            assert!(validate(p).is_err(), "{p:?} should be malformed");
            assert!(!find("a", p) || find_bytes(b"a", p.as_bytes()).is_ok());
        }
        assert!(find_bytes(b"x", b"%").is_err() || !find("x", "%"));
    }

    #[test]
    fn pathological_patterns_terminate() {
        let s = "a".repeat(1000);
        let p = "a-".repeat(100) + "b";
        let started = std::time::Instant::now();
        assert!(!find(&s, &p));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let deep = "(".repeat(40) + &")".repeat(40);
        assert!(validate(&deep).is_err(), "too many captures");
        assert!(!find("x", &deep));
        // Long subjects and greedy classes stay linear-ish and never overflow.
        assert!(find(&s, "^a*$"));
        assert!(find(&s, "a+$"));
    }
}
