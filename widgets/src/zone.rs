//! Time zones for clocks: what users write (IANA names, `"local"`, fixed offsets like
//! `"+05:30"`), suggestions for typos, where the local zone comes from (`TZ`,
//! /etc/localtime), and the next instant a clock's text can change, computed in the zone
//! so that DST gaps and overlaps and 30/45-minute offsets come out right.

use std::path::PathBuf;

use chrono::format::Item;
use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::{Tz, TZ_VARIANTS};

/// A zone a clock shows its time in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// An IANA zone, with its history of offsets and DST rules.
    Iana(Tz),
    /// A fixed offset from UTC, whatever the date.
    Fixed(FixedOffset),
}

impl Zone {
    /// The zone's name: the IANA name, or the offset as "+05:30".
    pub fn name(&self) -> String {
        match self {
            Zone::Iana(tz) => tz.name().to_string(),
            Zone::Fixed(off) => off.to_string(),
        }
    }

    /// The offset from UTC in force at `t`.
    pub fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Iana(tz) => tz.offset_from_utc_datetime(&t.naive_utc()).fix(),
            Zone::Fixed(off) => *off,
        }
    }

    /// The wall-clock time of the zone at `t` (None only at the ends of chrono's range).
    pub fn local(&self, t: DateTime<Utc>) -> Option<NaiveDateTime> {
        t.naive_utc()
            .checked_add_signed(Duration::seconds(self.offset_at(t).local_minus_utc() as i64))
    }

    /// `t` formatted in this zone with strftime items (already checked: see
    /// [`parse_format`]). An error only if chrono refuses an item at format time.
    pub fn format(&self, t: DateTime<Utc>, items: &[Item<'static>]) -> Result<String, String> {
        use std::fmt::Write;
        let mut s = String::new();
        // `write!` rather than `to_string()`: chrono's Display reports a bad item as
        // fmt::Error, which `to_string()` would turn into a panic.
        let r = match self {
            Zone::Iana(tz) => write!(s, "{}", t.with_timezone(tz).format_with_items(items.iter())),
            Zone::Fixed(off) => {
                write!(
                    s,
                    "{}",
                    t.with_timezone(off).format_with_items(items.iter())
                )
            }
        };
        r.map(|_| s)
            .map_err(|_| "the format cannot be formatted".to_string())
    }

    /// The first instant in `(from, to]` whose offset differs from the one at `from`.
    /// Offsets change at whole seconds and never twice within an hour, so the window is
    /// sampled hourly and the change found by bisection to the second.
    pub fn first_transition(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let tz = match self {
            Zone::Iana(tz) => tz,
            Zone::Fixed(_) => return None,
        };
        let offset = |secs: i64| {
            DateTime::from_timestamp(secs, 0)
                .map(|t| tz.offset_from_utc_datetime(&t.naive_utc()).fix())
        };
        let mut lo = from.timestamp();
        let end = to.timestamp() + i64::from(to.timestamp_subsec_nanos() > 0);
        let before = offset(lo)?;
        let mut hi = loop {
            if lo >= end {
                return None;
            }
            let next = (lo + 3600).min(end);
            if offset(next)? != before {
                break next;
            }
            lo = next;
        };
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if offset(mid)? == before {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let t = DateTime::from_timestamp(hi, 0)?;
        (t <= to).then_some(t)
    }
}

/// A zone together with how the user named it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSpec {
    /// What the user wrote ("local", "America/Chicago", "+05:30").
    pub spec: String,
    /// The zone it stands for.
    pub zone: Zone,
    /// Why `"local"` resolved the way it did, when that deserves a word (no zone found,
    /// `TZ` not understood).
    pub warning: Option<String>,
}

/// Parse a zone as users write it: an IANA name (`"Asia/Kathmandu"`), `"local"` (the `TZ`
/// environment variable, else /etc/localtime), or a fixed offset (`"+05:30"`, `"-0800"`,
/// `"+5"`, `"UTC+01:00"`). An unknown name is an error suggesting the closest valid ones.
pub fn parse(spec: &str) -> Result<ZoneSpec, String> {
    let s = spec.trim();
    if s.eq_ignore_ascii_case("local") {
        let local = resolve_local(&LocalSources::system());
        return Ok(ZoneSpec {
            spec: "local".into(),
            zone: local.zone,
            warning: local.warning,
        });
    }
    // IANA first: "Etc/GMT+5" and "UTC" are names, not offsets.
    if let Ok(tz) = s.parse::<Tz>() {
        return Ok(ZoneSpec {
            spec: s.into(),
            zone: Zone::Iana(tz),
            warning: None,
        });
    }
    if let Some(off) = parse_offset(s) {
        return Ok(ZoneSpec {
            spec: s.into(),
            zone: Zone::Fixed(off),
            warning: None,
        });
    }
    let close = suggest(s);
    Err(if close.is_empty() {
        format!(
            "unknown time zone '{s}' (use an IANA name like \"Europe/Paris\", \"local\" or an \
             offset like \"+05:30\")"
        )
    } else {
        format!(
            "unknown time zone '{s}' (did you mean {}?)",
            or_list(&close)
        )
    })
}

fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A fixed offset: `+HH`, `+H`, `+HHMM`, `+HH:MM`, optionally after `UTC` or `GMT`; hours
/// up to 23. Not POSIX `TZ` syntax, whose sign is the other way round.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s
        .strip_prefix("UTC")
        .or_else(|| s.strip_prefix("GMT"))
        .unwrap_or(s);
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) if m.len() == 2 && (1..=2).contains(&h.len()) => (h, m),
        Some(_) => return None,
        None if rest.len() <= 2 => (rest, "0"),
        None if rest.len() == 4 => rest.split_at(2),
        None => return None,
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Up to three IANA names closest to `name` (edit distance, ignoring case; a bare city
/// like "Kathmandu" is also compared with the last part of each name).
pub fn suggest(name: &str) -> Vec<&'static str> {
    let want: Vec<char> = name.to_lowercase().chars().collect();
    if want.is_empty() || want.len() > 64 {
        return Vec::new();
    }
    let bare = !name.contains('/');
    let mut scored: Vec<(usize, &'static str)> = TZ_VARIANTS
        .iter()
        .map(|tz| {
            let full = tz.name();
            let lower = full.to_lowercase();
            let mut d = levenshtein(&want, &lower.chars().collect::<Vec<_>>());
            if bare {
                if let Some((_, city)) = lower.rsplit_once('/') {
                    d = d.min(levenshtein(&want, &city.chars().collect::<Vec<_>>()));
                }
            }
            (d, full)
        })
        .collect();
    scored.sort();
    // Beyond about a third of the name, a "suggestion" is a different name.
    let limit = (want.len() / 3).max(2);
    scored
        .into_iter()
        .take_while(|&(d, _)| d <= limit)
        .take(3)
        .map(|(_, n)| n)
        .collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Where the local zone is looked for; [`LocalSources::system`] for the real ones, other
/// paths in tests.
#[derive(Debug, Clone)]
pub struct LocalSources {
    /// The `TZ` environment variable, if set.
    pub tz: Option<String>,
    /// Usually /etc/localtime: a link into the zoneinfo directory, or a copy of a zone file.
    pub localtime: PathBuf,
    /// Usually /etc/timezone (Debian): the zone's name on one line.
    pub timezone_file: PathBuf,
    /// Usually /usr/share/zoneinfo: compared with a copied /etc/localtime.
    pub zoneinfo: PathBuf,
}

impl LocalSources {
    /// This machine's: `$TZ`, /etc/localtime, /etc/timezone, /usr/share/zoneinfo.
    pub fn system() -> Self {
        LocalSources {
            tz: std::env::var_os("TZ").map(|v| v.to_string_lossy().into_owned()),
            localtime: "/etc/localtime".into(),
            timezone_file: "/etc/timezone".into(),
            zoneinfo: "/usr/share/zoneinfo".into(),
        }
    }
}

/// The local zone and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalZone {
    /// The zone (UTC when none was found).
    pub zone: Zone,
    /// Where it came from: "TZ", the /etc/localtime link, /etc/timezone, ...
    pub source: String,
    /// Set when something was not understood or nothing was found.
    pub warning: Option<String>,
}

/// The zone name in a path into a zoneinfo tree ("/usr/share/zoneinfo/posix/Europe/Paris").
fn name_in_zoneinfo_path(path: &str) -> &str {
    let name = match path.rfind("zoneinfo/") {
        Some(i) => &path[i + "zoneinfo/".len()..],
        None => path,
    };
    name.strip_prefix("posix/")
        .or_else(|| name.strip_prefix("right/"))
        .unwrap_or(name)
}

/// Find the local zone like the C library does: `TZ` if set (`":Europe/Paris"`,
/// `"Europe/Paris"`, a path into zoneinfo; empty means UTC), else the zone /etc/localtime
/// links to, else /etc/timezone, else the zoneinfo file identical to /etc/localtime, else
/// UTC with a warning saying so.
pub fn resolve_local(src: &LocalSources) -> LocalZone {
    let mut warning = None;
    if let Some(tz) = &src.tz {
        let v = tz.strip_prefix(':').unwrap_or(tz).trim();
        if v.is_empty() {
            return LocalZone {
                zone: Zone::Iana(Tz::UTC),
                source: "TZ (empty: UTC)".into(),
                warning: None,
            };
        }
        match name_in_zoneinfo_path(v).parse::<Tz>() {
            Ok(z) => {
                return LocalZone {
                    zone: Zone::Iana(z),
                    source: "TZ".into(),
                    warning: None,
                }
            }
            Err(_) => {
                warning = Some(format!(
                    "TZ='{tz}' is not a time zone name oxtile knows; using the system zone"
                ))
            }
        }
    }
    let found = |zone: Tz, source: String, warning: Option<String>| LocalZone {
        zone: Zone::Iana(zone),
        source,
        warning,
    };
    if let Ok(target) = std::fs::read_link(&src.localtime) {
        let target = target.to_string_lossy().into_owned();
        if let Ok(z) = name_in_zoneinfo_path(&target).parse::<Tz>() {
            return found(
                z,
                format!("{} -> {target}", src.localtime.display()),
                warning,
            );
        }
    }
    if let Ok(name) = std::fs::read_to_string(&src.timezone_file) {
        if let Ok(z) = name.trim().parse::<Tz>() {
            return found(z, src.timezone_file.display().to_string(), warning);
        }
    }
    // A copied zone file: the zoneinfo entry with the same bytes. Read once at start.
    if let Ok(bytes) = std::fs::read(&src.localtime) {
        for tz in TZ_VARIANTS.iter() {
            let path = src.zoneinfo.join(tz.name());
            let same_size = std::fs::metadata(&path)
                .map(|m| m.len() == bytes.len() as u64)
                .unwrap_or(false);
            if same_size && std::fs::read(&path).is_ok_and(|b| b == bytes) {
                return found(
                    *tz,
                    format!("{} (same as {})", src.localtime.display(), path.display()),
                    warning,
                );
            }
        }
    }
    let why = format!(
        "no local time zone found (TZ unset or unknown, {} neither a link into zoneinfo nor a \
         copy of a zone file, no {}); showing UTC",
        src.localtime.display(),
        src.timezone_file.display()
    );
    LocalZone {
        zone: Zone::Iana(Tz::UTC),
        source: "none".into(),
        warning: Some(match warning {
            Some(w) => format!("{w}; {why}"),
            None => why,
        }),
    }
}

/// The smallest unit of time a clock's text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    /// Seconds (also sub-second specifiers: a bar clock updates at most once a second).
    Second,
    /// Minutes.
    Minute,
    /// Hours (and AM/PM).
    Hour,
    /// Days (dates, weekdays, months, years).
    Day,
}

impl Unit {
    /// The unit's name ("second", "minute", "hour", "day").
    pub fn name(self) -> &'static str {
        match self {
            Unit::Second => "second",
            Unit::Minute => "minute",
            Unit::Hour => "hour",
            Unit::Day => "day",
        }
    }

    /// The start of the unit that `local` is in.
    fn truncate(self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        use chrono::Timelike;
        let t = local.time();
        let time = match self {
            Unit::Second => NaiveTime::from_hms_opt(t.hour(), t.minute(), t.second()),
            Unit::Minute => NaiveTime::from_hms_opt(t.hour(), t.minute(), 0),
            Unit::Hour => NaiveTime::from_hms_opt(t.hour(), 0, 0),
            Unit::Day => Some(NaiveTime::MIN),
        }?;
        Some(local.date().and_time(time))
    }

    fn length(self) -> Duration {
        match self {
            Unit::Second => Duration::seconds(1),
            Unit::Minute => Duration::minutes(1),
            Unit::Hour => Duration::hours(1),
            Unit::Day => Duration::days(1),
        }
    }
}

/// The next instant after `now` when a clock showing `unit` in `zone` changes: the end of
/// the current unit in the zone's wall-clock time, or an offset change before it if that
/// moves the wall clock into another unit (or always, when the format shows the zone's
/// name or offset: `zone_shown`). None only at the ends of chrono's range.
///
/// Example: an hour clock in Europe/Berlin at 02:30 CEST on the night DST ends is next
/// due at 03:00 CET, two real hours later, because 02:xx is shown again after the change.
pub fn next_change(
    zone: Zone,
    now: DateTime<Utc>,
    unit: Unit,
    zone_shown: bool,
) -> Option<DateTime<Utc>> {
    let bucket = unit.truncate(zone.local(now)?)?;
    let end_local = bucket.checked_add_signed(unit.length())?;
    let mut t = now;
    // Each round passes one offset change; zones change offset at most twice a day.
    for _ in 0..8 {
        let off = Duration::seconds(zone.offset_at(t).local_minus_utc() as i64);
        let mut end = end_local.checked_sub_signed(off)?.and_utc();
        if end <= t {
            // Cannot happen with real zones (the wall clock at t is inside the bucket),
            // but never return an instant in the past.
            end = t.checked_add_signed(Duration::seconds(1))?;
        }
        match zone.first_transition(t, end) {
            Some(change) => {
                if zone_shown || unit.truncate(zone.local(change)?)? != bucket {
                    return Some(change);
                }
                t = change;
            }
            None => return Some(end),
        }
    }
    t.checked_add_signed(Duration::seconds(1))
}

/// A clock format: strftime items checked once, with what the text depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Format {
    /// The format as written.
    pub source: String,
    /// Its items, all known to format.
    pub items: Vec<Item<'static>>,
    /// The smallest unit it shows.
    pub unit: Unit,
    /// Whether it shows the zone's name or offset (`%Z`, `%z`, RFC 2822/3339), which
    /// changes at DST transitions.
    pub zone_shown: bool,
}

/// Check a chrono strftime format. An invalid specifier is an error naming it
/// ("unknown specifier '%Q' in format \"%H:%Q\"").
pub fn parse_format(fmt: &str) -> Result<Format, String> {
    use chrono::format::StrftimeItems;
    let bad = |spec: &str| {
        format!(
            "unknown or unusable specifier '{spec}' in format \"{fmt}\" (see chrono's strftime \
             specifiers: %H:%M, %a %d %b, %Y-%m-%d, %Z, ...)"
        )
    };
    // Check each specifier alone to name the bad one: chrono only says "bad format".
    // A specifier is '%', optional flags and width, then one character.
    let mut chars = fmt.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '%' {
            continue;
        }
        let mut end = fmt.len();
        while let Some(&(j, d)) = chars.peek() {
            chars.next();
            if !matches!(d, '-' | '_' | '0'..='9' | '.' | ':' | '#') {
                end = j + d.len_utf8();
                break;
            }
        }
        let spec = &fmt[i..end];
        if !format_ok(spec) {
            return Err(bad(spec));
        }
    }
    let items = StrftimeItems::new(fmt)
        .parse_to_owned()
        .map_err(|_| bad(fmt))?;
    if !format_ok(fmt) {
        return Err(bad(fmt));
    }
    let mut unit: Option<Unit> = None;
    let mut zone_shown = false;
    for item in &items {
        let (u, z) = item_needs(item);
        zone_shown |= z;
        if let Some(u) = u {
            unit = Some(unit.map_or(u, |cur| cur.min(u)));
        }
    }
    Ok(Format {
        source: fmt.to_string(),
        items,
        // A format with no date or time at all changes (at most) with the date.
        unit: unit.unwrap_or(Unit::Day),
        zone_shown,
    })
}

/// Whether `fmt` parses without error items and formats a sample instant.
fn format_ok(fmt: &str) -> bool {
    use chrono::format::StrftimeItems;
    let Ok(items) = StrftimeItems::new(fmt).parse_to_owned() else {
        return false;
    };
    Zone::Iana(Tz::UTC)
        .format(DateTime::UNIX_EPOCH, &items)
        .is_ok()
}

/// The unit an item shows, and whether it shows the zone.
fn item_needs(item: &Item) -> (Option<Unit>, bool) {
    use chrono::format::{Fixed, Numeric};
    match item {
        Item::Numeric(n, _) => match n {
            Numeric::Second | Numeric::Nanosecond | Numeric::Timestamp => {
                (Some(Unit::Second), false)
            }
            Numeric::Minute => (Some(Unit::Minute), false),
            Numeric::Hour | Numeric::Hour12 => (Some(Unit::Hour), false),
            Numeric::Year
            | Numeric::YearDiv100
            | Numeric::YearMod100
            | Numeric::IsoYear
            | Numeric::IsoYearDiv100
            | Numeric::IsoYearMod100
            | Numeric::Quarter
            | Numeric::Month
            | Numeric::Day
            | Numeric::WeekFromSun
            | Numeric::WeekFromMon
            | Numeric::IsoWeek
            | Numeric::NumDaysFromSun
            | Numeric::WeekdayFromMon
            | Numeric::Ordinal => (Some(Unit::Day), false),
            // Unknown future items: assume the finest unit (wakes more, never shows stale).
            _ => (Some(Unit::Second), false),
        },
        Item::Fixed(f) => match f {
            Fixed::ShortMonthName
            | Fixed::LongMonthName
            | Fixed::ShortWeekdayName
            | Fixed::LongWeekdayName => (Some(Unit::Day), false),
            Fixed::LowerAmPm | Fixed::UpperAmPm => (Some(Unit::Hour), false),
            Fixed::Nanosecond | Fixed::Nanosecond3 | Fixed::Nanosecond6 | Fixed::Nanosecond9 => {
                (Some(Unit::Second), false)
            }
            Fixed::TimezoneName
            | Fixed::TimezoneOffset
            | Fixed::TimezoneOffsetZ
            | Fixed::TimezoneOffsetColon
            | Fixed::TimezoneOffsetColonZ
            | Fixed::TimezoneOffsetDoubleColon
            | Fixed::TimezoneOffsetTripleColon => (None, true),
            Fixed::RFC2822 | Fixed::RFC3339 => (Some(Unit::Second), true),
            _ => (Some(Unit::Second), true),
        },
        _ => (None, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("rfc3339").to_utc()
    }

    fn zone(name: &str) -> Zone {
        parse(name).expect("zone").zone
    }

    fn wake(z: &str, fmt: &str, now: &str) -> DateTime<Utc> {
        let f = parse_format(fmt).expect("format");
        next_change(zone(z), utc(now), f.unit, f.zone_shown).expect("in range")
    }

    #[test]
    fn names_offsets_and_typos() {
        assert_eq!(zone("Asia/Kathmandu"), Zone::Iana(Tz::Asia__Kathmandu));
        assert_eq!(zone("UTC"), Zone::Iana(Tz::UTC));
        assert_eq!(zone("Etc/GMT+5"), Zone::Iana(Tz::Etc__GMTPlus5));
        for (s, secs) in [
            ("+05:30", 19800),
            ("-0800", -28800),
            ("+5", 18000),
            ("UTC+01:00", 3600),
            ("-03:30", -12600),
        ] {
            assert_eq!(
                zone(s),
                Zone::Fixed(FixedOffset::east_opt(secs).expect("ok"))
            );
        }
        for bad in ["+24:00", "+05:60", "+5:3", "+", "05:30", "+05:30:00"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
        let err = parse("US/Centrl").unwrap_err();
        assert!(err.contains("'US/Centrl'"), "{err}");
        assert!(err.contains("did you mean US/Central"), "{err}");
        let err = parse("america/chicago").unwrap_err();
        assert!(err.contains("America/Chicago"), "{err}");
        let err = parse("Kathmandu").unwrap_err();
        assert!(err.contains("Asia/Kathmandu"), "{err}");
        let err = parse("Xyzzy/Plugh").unwrap_err();
        assert!(err.contains("IANA name"), "{err}");
    }

    #[test]
    fn local_zone_from_tz_symlink_timezone_file_copy_or_utc() {
        let dir = std::env::temp_dir().join(format!("oxtile-zone-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let zoneinfo = dir.join("zoneinfo");
        std::fs::create_dir_all(zoneinfo.join("America")).expect("mkdir");
        // A fake zone file: only its bytes matter for the copy comparison.
        std::fs::write(zoneinfo.join("America/Chicago"), b"TZif-fake-chicago").expect("w");
        let src = |tz: Option<&str>, localtime: &str, tzfile: &str| LocalSources {
            tz: tz.map(String::from),
            localtime: dir.join(localtime),
            timezone_file: dir.join(tzfile),
            zoneinfo: zoneinfo.clone(),
        };

        let l = resolve_local(&src(Some(":US/Central"), "none", "none"));
        assert_eq!((l.zone, l.warning), (Zone::Iana(Tz::US__Central), None));
        let l = resolve_local(&src(Some("/usr/share/zoneinfo/Asia/Tokyo"), "none", "none"));
        assert_eq!(l.zone, Zone::Iana(Tz::Asia__Tokyo));
        let l = resolve_local(&src(Some(""), "none", "none"));
        assert_eq!(l.zone, Zone::Iana(Tz::UTC));

        std::os::unix::fs::symlink("/usr/share/zoneinfo/posix/Europe/Berlin", dir.join("link"))
            .expect("symlink");
        let l = resolve_local(&src(None, "link", "none"));
        assert_eq!((l.zone, l.warning), (Zone::Iana(Tz::Europe__Berlin), None));
        // A TZ we cannot read falls back to the system zone, saying so.
        let l = resolve_local(&src(Some("CET-1CEST,M3.5.0,M10.5.0/3"), "link", "none"));
        assert_eq!(l.zone, Zone::Iana(Tz::Europe__Berlin));
        assert!(l.warning.expect("warned").contains("TZ='CET-1CEST"));

        std::fs::write(dir.join("timezone"), "Asia/Kathmandu\n").expect("w");
        let l = resolve_local(&src(None, "none", "timezone"));
        assert_eq!(l.zone, Zone::Iana(Tz::Asia__Kathmandu));

        std::fs::write(dir.join("copy"), b"TZif-fake-chicago").expect("w");
        let l = resolve_local(&src(None, "copy", "none"));
        assert_eq!(l.zone, Zone::Iana(Tz::America__Chicago), "{}", l.source);

        let l = resolve_local(&src(None, "none", "none"));
        assert_eq!(l.zone, Zone::Iana(Tz::UTC));
        assert!(l.warning.expect("warned").contains("showing UTC"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn invalid_specifiers_are_named() {
        let err = parse_format("%H:%Q").unwrap_err();
        assert!(err.contains("'%Q'"), "{err}");
        let err = parse_format("%Y-%m-%d %").unwrap_err();
        assert!(err.contains("'%'"), "{err}");
        // Parses, but chrono refuses to format it: still named.
        let err = parse_format("%H %#z").unwrap_err();
        assert!(err.contains("'%#z'"), "{err}");
        assert!(parse_format("%-d %e %.3f %:z %%").is_ok());
    }

    #[test]
    fn units_come_from_the_format() {
        let unit = |f: &str| parse_format(f).expect("format").unit;
        for f in ["%S", "%T", "%X", "%c", "%r", "%s", "%H:%M:%S%.3f"] {
            assert_eq!(unit(f), Unit::Second, "{f}");
        }
        for f in ["%M", "%R", "%a %H:%M"] {
            assert_eq!(unit(f), Unit::Minute, "{f}");
        }
        for f in ["%H", "%I %p", "%k", "%l"] {
            assert_eq!(unit(f), Unit::Hour, "{f}");
        }
        for f in ["%Y-%m-%d", "%a %d %b", "%x", "%F", "week %V", "hello"] {
            assert_eq!(unit(f), Unit::Day, "{f}");
        }
        assert!(parse_format("%H:%M %Z").expect("ok").zone_shown);
        assert!(!parse_format("%H:%M").expect("ok").zone_shown);
    }

    #[test]
    fn wake_ups_for_each_unit_across_chicago_spring_forward() {
        // 2024-03-10 08:00 UTC: 02:00 CST becomes 03:00 CDT.
        let z = "America/Chicago";
        assert_eq!(
            wake(z, "%T", "2024-03-10T07:59:59.250Z"),
            utc("2024-03-10T08:00:00Z")
        );
        assert_eq!(
            wake(z, "%H:%M", "2024-03-10T07:59:30Z"),
            utc("2024-03-10T08:00:00Z")
        );
        assert_eq!(
            wake(z, "%H", "2024-03-10T07:30:00Z"),
            utc("2024-03-10T08:00:00Z")
        );
        assert_eq!(
            wake(z, "%H", "2024-03-10T08:30:00Z"),
            utc("2024-03-10T09:00:00Z")
        );
        // A date clock sleeps through the change to midnight CDT (05:00 UTC, not 06:00)...
        assert_eq!(
            wake(z, "%a %d %b", "2024-03-10T07:30:00Z"),
            utc("2024-03-11T05:00:00Z")
        );
        // ...unless it shows the zone, whose name changes at 02:00.
        assert_eq!(
            wake(z, "%a %d %b %Z", "2024-03-10T07:30:00Z"),
            utc("2024-03-10T08:00:00Z")
        );
        // The day before: midnight CST.
        assert_eq!(
            wake(z, "%F", "2024-03-09T12:00:00Z"),
            utc("2024-03-10T06:00:00Z")
        );
    }

    #[test]
    fn wake_ups_across_berlin_fall_back_and_lord_howe_half_hour() {
        // 2024-10-27 01:00 UTC: 03:00 CEST becomes 02:00 CET.
        let z = "Europe/Berlin";
        assert_eq!(
            wake(z, "%H:%M", "2024-10-27T00:59:30Z"),
            utc("2024-10-27T01:00:00Z")
        );
        // "02" is shown again after the change: the hour clock wakes at 03:00 CET.
        assert_eq!(
            wake(z, "%H", "2024-10-27T00:30:00Z"),
            utc("2024-10-27T02:00:00Z")
        );
        assert_eq!(
            wake(z, "%H %Z", "2024-10-27T00:30:00Z"),
            utc("2024-10-27T01:00:00Z")
        );
        assert_eq!(
            wake(z, "%d", "2024-10-26T23:30:00Z"),
            utc("2024-10-27T23:00:00Z")
        );
        assert_eq!(
            wake(z, "%S", "2024-10-27T00:59:59Z"),
            utc("2024-10-27T01:00:00Z")
        );

        // Lord Howe: 2024-04-07 02:00 +11 (15:00 UTC) becomes 01:30 +1030.
        let z = "Australia/Lord_Howe";
        assert_eq!(
            wake(z, "%H:%M", "2024-04-06T14:59:30Z"),
            utc("2024-04-06T15:00:00Z")
        );
        // 01:45 +11 -> hour 1 goes on until 02:00 +1030 = 15:30 UTC.
        assert_eq!(
            wake(z, "%H", "2024-04-06T14:45:00Z"),
            utc("2024-04-06T15:30:00Z")
        );
        // Local midnight at +1030.
        assert_eq!(
            wake(z, "%F", "2024-04-06T14:45:00Z"),
            utc("2024-04-07T13:30:00Z")
        );
        // Spring forward, 2024-10-06 02:00 +1030 (15:30 UTC) becomes 02:30 +11: the hour
        // changes from 1 to 2 at the change.
        assert_eq!(
            wake(z, "%H", "2024-10-05T15:00:00Z"),
            utc("2024-10-05T15:30:00Z")
        );
    }

    #[test]
    fn wake_ups_in_45_minute_and_fixed_offsets() {
        // Kathmandu is +05:45: hours start at :15 UTC, days at 18:15 UTC.
        let z = "Asia/Kathmandu";
        assert_eq!(
            wake(z, "%H", "2024-01-01T00:00:00Z"),
            utc("2024-01-01T00:15:00Z")
        );
        assert_eq!(
            wake(z, "%F", "2024-01-01T00:00:00Z"),
            utc("2024-01-01T18:15:00Z")
        );
        assert_eq!(
            wake(z, "%H:%M", "2024-01-01T00:00:00Z"),
            utc("2024-01-01T00:01:00Z")
        );
        assert_eq!(
            wake("+05:30", "%H", "2024-01-01T00:00:00Z"),
            utc("2024-01-01T00:30:00Z")
        );
        assert_eq!(
            wake("-03:30", "%F %Z", "2024-01-01T00:00:00Z"),
            utc("2024-01-01T03:30:00Z")
        );
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let f = parse_format("%c %Z").expect("format");
        for t in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
            for z in ["America/Chicago", "+05:30", "Australia/Lord_Howe"] {
                let z = zone(z);
                let _ = next_change(z, t, Unit::Day, true);
                let _ = next_change(z, t, f.unit, false);
                let _ = z.format(t, &f.items);
            }
        }
    }
}
