//! Clock: the time in a zone of the user's choosing, woken only when its text can change
//! (the next second, minute, hour or local midnight of its zone, DST included). The
//! instant it shows comes from `tick(now)`: it never reads the system clock itself.
//!
//! Options: `format` (chrono strftime, default "%H:%M"; Pango markup allowed around the
//! specifiers), `alt_format` (shown instead after a left click; none by default),
//! `timezone` (an IANA name, "local" (the default: `TZ`, else /etc/localtime) or an offset
//! like "+05:30"), `timezones` (more zones: right click or scrolling down shows the next,
//! scrolling up the previous), `update` ("auto", the default, or a period in seconds,
//! woken on its multiples since the Unix epoch), `calendar` (the button that opens the
//! month's calendar in a popup: "middle", the default, "left", "right", or false; scroll
//! over it to change month), `week_start` ("monday", the default, or
//! "sunday"; for the calendar).

use chrono::{DateTime, Utc, Weekday};
use serde_json::{json, Value};

use crate::calendar::{self, MonthGrid};
use crate::style::Options;
use crate::text::{self, Text};
use crate::widget::{Button, Click, DrawCx, Request, Widget, WidgetError};
use crate::zone::{self, Format, ZoneSpec};

/// A clock.
#[derive(Debug, Clone)]
pub struct Clock {
    format: Format,
    alt_format: Option<Format>,
    show_alt: bool,
    /// The zones it cycles through; never empty. `timezone` first.
    zones: Vec<ZoneSpec>,
    current: usize,
    /// A forced wake-up period in milliseconds (`update = N`), else automatic.
    period_ms: Option<i64>,
    week_start: Weekday,
    /// The button that opens the calendar popup, if any.
    calendar_button: Option<Button>,
    /// Month shown by the calendar popup, relative to the current one.
    month_offset: i32,
    /// The instant from the last `tick`; None before the first.
    now: Option<DateTime<Utc>>,
    text: String,
}

impl Clock {
    /// A clock showing `format` in `timezone` (as the options take them), waking
    /// automatically. It shows nothing until its first [`Widget::tick`].
    pub fn new(format: &str, timezone: &str) -> Result<Self, String> {
        Ok(Clock {
            format: zone::parse_format(format)?,
            alt_format: None,
            show_alt: false,
            zones: vec![zone::parse(timezone)?],
            current: 0,
            period_ms: None,
            week_start: Weekday::Mon,
            calendar_button: Some(Button::Middle),
            month_offset: 0,
            now: None,
            text: String::new(),
        })
    }

    /// Build from options; a bad format or zone is an error naming the option, and an
    /// unknown zone suggests the closest names.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let opt_err = |key: &str, e: String| format!("widget clock: option '{key}': {e}");
        let format = o.string("format", "%H:%M")?;
        let format = zone::parse_format(&format).map_err(|e| opt_err("format", e))?;
        let alt_format = match o.opt_string("alt_format")? {
            Some(f) => Some(zone::parse_format(&f).map_err(|e| opt_err("alt_format", e))?),
            None => None,
        };
        let first = o.string("timezone", "local")?;
        let mut zones = vec![zone::parse(&first).map_err(|e| opt_err("timezone", e))?];
        for z in o.strings("timezones", &[])? {
            let z = zone::parse(&z).map_err(|e| opt_err("timezones", e))?;
            if !zones.iter().any(|have| have.spec == z.spec) {
                zones.push(z);
            }
        }
        let period_ms = match o.get("update") {
            None => None,
            Some(Value::String(s)) if s == "auto" => None,
            Some(v) => match v.as_f64() {
                Some(secs) if (0.1..=86_400.0).contains(&secs) => {
                    Some((secs * 1000.0).round() as i64)
                }
                _ => {
                    return Err(opt_err(
                        "update",
                        format!("must be \"auto\" or a number of seconds in 0.1..86400, got {v}"),
                    ))
                }
            },
        };
        let week_start = match o.string("week_start", "monday")?.as_str() {
            "monday" => Weekday::Mon,
            "sunday" => Weekday::Sun,
            other => {
                return Err(opt_err(
                    "week_start",
                    format!("must be \"monday\" or \"sunday\", got \"{other}\""),
                ))
            }
        };
        let calendar_button = match o.get("calendar") {
            None => Some(Button::Middle),
            Some(Value::Bool(false)) => None,
            Some(Value::String(b)) if b == "left" => Some(Button::Left),
            Some(Value::String(b)) if b == "middle" => Some(Button::Middle),
            Some(Value::String(b)) if b == "right" => Some(Button::Right),
            Some(v) => {
                return Err(opt_err(
                    "calendar",
                    format!("must be \"left\", \"middle\", \"right\" or false, got {v}"),
                ))
            }
        };
        Ok(Clock {
            format,
            alt_format,
            show_alt: false,
            zones,
            current: 0,
            period_ms,
            week_start,
            calendar_button,
            month_offset: 0,
            now: None,
            text: String::new(),
        })
    }

    /// Show the time in another zone (the IPC command and `oxtile.clock.set_timezone`):
    /// replaces the zone on display. True when the text changed; an unknown zone is an
    /// error suggesting the closest names, and the clock keeps its zone.
    pub fn set_timezone(&mut self, zone: &str) -> Result<bool, String> {
        let z = zone::parse(zone)?;
        self.zones[self.current] = z;
        Ok(self.refresh())
    }

    /// The zone on display, with how the user named it.
    pub fn zone(&self) -> &ZoneSpec {
        &self.zones[self.current]
    }

    /// The instant from the last tick.
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        self.now
    }

    /// The month of the last tick's date in the zone on display, shifted by
    /// `month_offset` months, with today marked: the calendar popup's content. None before
    /// the first tick.
    pub fn calendar(&self, month_offset: i32) -> Option<MonthGrid> {
        let today = self.zone().zone.local(self.now?)?.date();
        calendar::month_grid(today, month_offset, Some(today), self.week_start)
    }

    /// The calendar popup for the month `month_offset` away, today marked with brackets.
    fn calendar_popup(&self) -> Vec<Request> {
        let Some(grid) = self.calendar(self.month_offset) else {
            return Vec::new();
        };
        let mut lines = grid.lines.clone();
        if let Some((line, col)) = grid.today {
            if let Some(l) = lines.get_mut(line) {
                let chars: Vec<char> = l.chars().collect();
                let (start, end) = (col.saturating_sub(1), (col + 2).min(chars.len()));
                if start < end {
                    let mut marked: String = chars[..start].iter().collect();
                    marked.push('[');
                    marked.extend(&chars[col.min(chars.len())..end]);
                    marked.push(']');
                    marked.extend(chars.get(end + 1..).unwrap_or_default());
                    *l = marked;
                }
            }
        }
        vec![Request::Popup(lines)]
    }

    fn active_format(&self) -> &Format {
        match (&self.alt_format, self.show_alt) {
            (Some(alt), true) => alt,
            _ => &self.format,
        }
    }

    /// Recompute the text from the last tick; true when it changed.
    fn refresh(&mut self) -> bool {
        let text = match self.now {
            None => String::new(),
            Some(now) => self
                .zone()
                .zone
                .format(now, &self.active_format().items)
                .unwrap_or_else(|e| format!("clock: {e}")),
        };
        if text == self.text {
            return false;
        }
        self.text = text;
        true
    }

    fn cycle(&mut self, forward: bool) -> bool {
        let n = self.zones.len();
        if n < 2 {
            return false;
        }
        self.current = if forward {
            (self.current + 1) % n
        } else {
            (self.current + n - 1) % n
        };
        self.refresh()
    }
}

impl Widget for Clock {
    fn kind(&self) -> &'static str {
        "clock"
    }

    fn text(&self) -> String {
        self.text.clone()
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        if self.text.is_empty() {
            return 0;
        }
        text::width(cr, &Text::markup(&self.text), &cx.style.font) + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let pad = cx.style.padding;
        text::draw(
            cr,
            &Text::markup(&self.text),
            &cx.style.font,
            cx.style.foreground,
            pad as f64,
            cx.height,
            Some(cx.width.saturating_sub(2 * pad)),
        );
        Ok(())
    }

    /// With `update = N`: the next multiple of N seconds since the epoch. Else the next
    /// boundary, in the zone on display, of the smallest unit the format shows (see
    /// [`zone::next_change`]).
    fn next_wake(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if let Some(p) = self.period_ms {
            let next = (now.timestamp_millis().div_euclid(p)).checked_add(1)?;
            return DateTime::from_timestamp_millis(next.checked_mul(p)?);
        }
        let f = self.active_format();
        zone::next_change(self.zone().zone, now, f.unit, f.zone_shown)
    }

    fn tick(&mut self, now: DateTime<Utc>) -> bool {
        self.now = Some(now);
        self.refresh()
    }

    /// Left: toggle `alt_format`. Right or scroll down: the next zone; scroll up: the
    /// previous one. The `calendar` button (middle by default) opens the month's calendar.
    fn click(&mut self, click: Click) -> (bool, Vec<Request>) {
        if Some(click.button) == self.calendar_button {
            self.month_offset = 0;
            return (false, self.calendar_popup());
        }
        let changed = match click.button {
            Button::Left if self.alt_format.is_some() => {
                self.show_alt = !self.show_alt;
                self.refresh();
                // The wake-up unit may have changed even if the text did not: redraw.
                true
            }
            Button::Right | Button::ScrollDown => self.cycle(true),
            Button::ScrollUp => self.cycle(false),
            _ => false,
        };
        (changed, Vec::new())
    }

    /// Scrolling over the calendar moves it by a month.
    fn popup_scroll(&mut self, up: bool) -> (bool, Vec<Request>) {
        self.month_offset = self.month_offset.saturating_add(if up { -1 } else { 1 });
        (false, self.calendar_popup())
    }

    /// `{"zone": "America/Chicago", "zone_spec": "local", "zones": [...], "format":
    /// "%H:%M", "alt": false, "unit": "minute", "update": "auto" or seconds, "text":
    /// "09:41", "warning": null or why "local" fell back}`.
    fn state(&self) -> Value {
        let z = self.zone();
        json!({
            "zone": z.zone.name(),
            "zone_spec": z.spec,
            "zones": self.zones.iter().map(|z| z.spec.as_str()).collect::<Vec<_>>(),
            "format": self.active_format().source,
            "alt": self.show_alt,
            "unit": self.active_format().unit.name(),
            "update": match self.period_ms {
                Some(ms) => json!(ms as f64 / 1000.0),
                None => json!("auto"),
            },
            "text": self.text,
            "warning": z.warning,
        })
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{Rgba, Style};
    use crate::testing::render_with;
    use serde_json::Map;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("rfc3339").to_utc()
    }

    fn clock(opts: &str) -> Result<Clock, String> {
        let map: Map<String, Value> = serde_json::from_str(opts).expect("json");
        let o = Options::new("clock", &map);
        let c = Clock::from_options(&o)?;
        o.finish()?;
        Ok(c)
    }

    fn shown(zone: &str, fmt: &str, at: &str) -> String {
        let mut c = Clock::new(fmt, zone).expect("clock");
        c.tick(utc(at));
        c.text()
    }

    fn click(button: Button) -> Click {
        Click { button, x: 3, y: 3 }
    }

    #[test]
    fn text_in_many_zones_with_zone_names() {
        let f = "%H:%M %Z";
        let cases = [
            ("UTC", "2024-03-10T07:30:00Z", "07:30 UTC"),
            ("Asia/Tokyo", "2024-03-10T07:30:00Z", "16:30 JST"),
            ("Asia/Kathmandu", "2024-01-01T00:00:00Z", "05:45 +0545"),
            ("America/St_Johns", "2024-01-01T00:00:00Z", "20:30 NST"),
            ("+05:30", "2024-01-01T00:00:00Z", "05:30 +05:30"),
            // Lord Howe: +11 in its summer, +10:30 in winter; 02:00 +11 goes back to
            // 01:30 +1030 on 2024-04-07.
            ("Australia/Lord_Howe", "2024-01-01T00:00:00Z", "11:00 +11"),
            ("Australia/Lord_Howe", "2024-07-01T00:00:00Z", "10:30 +1030"),
            ("Australia/Lord_Howe", "2024-04-06T14:59:00Z", "01:59 +11"),
            ("Australia/Lord_Howe", "2024-04-06T15:00:00Z", "01:30 +1030"),
            // Chicago springs forward at 02:00 CST on 2024-03-10: 02:xx never shows.
            ("America/Chicago", "2024-03-10T07:59:00Z", "01:59 CST"),
            ("America/Chicago", "2024-03-10T08:00:00Z", "03:00 CDT"),
            ("US/Central", "2024-03-10T08:30:00Z", "03:30 CDT"),
            // Berlin falls back at 03:00 CEST on 2024-10-27: 02:30 shows twice.
            ("Europe/Berlin", "2024-10-27T00:30:00Z", "02:30 CEST"),
            ("Europe/Berlin", "2024-10-27T01:30:00Z", "02:30 CET"),
        ];
        for (zone, at, want) in cases {
            assert_eq!(shown(zone, f, at), want, "{zone} at {at}");
        }
        assert_eq!(
            shown(
                "America/Chicago",
                "%a %d %b %Y %H:%M:%S %z",
                "2024-03-10T08:00:01Z"
            ),
            "Sun 10 Mar 2024 03:00:01 -0500"
        );
    }

    #[test]
    fn tick_reports_only_text_changes_and_nothing_shows_before_it() {
        let mut c = Clock::new("%H:%M", "Asia/Kathmandu").expect("clock");
        assert_eq!(c.text(), "");
        assert!(c.tick(utc("2024-01-01T00:00:10Z")));
        assert_eq!(c.text(), "05:45");
        assert!(!c.tick(utc("2024-01-01T00:00:50Z")), "same minute");
        assert!(c.tick(utc("2024-01-01T00:01:00Z")));
        assert_eq!(c.instant(), Some(utc("2024-01-01T00:01:00Z")));
    }

    #[test]
    fn next_wake_follows_the_format_and_zone() {
        let now = utc("2024-10-27T00:30:00Z");
        let c = Clock::new("%H", "Europe/Berlin").expect("clock");
        assert_eq!(c.next_wake(now), Some(utc("2024-10-27T02:00:00Z")));
        let c = Clock::new("%H:%M:%S", "Europe/Berlin").expect("clock");
        assert_eq!(c.next_wake(now), Some(utc("2024-10-27T00:30:01Z")));
        let c = Clock::new("%a %d", "Asia/Kathmandu").expect("clock");
        assert_eq!(c.next_wake(now), Some(utc("2024-10-27T18:15:00Z")));
        // update = N: multiples of N seconds since the epoch.
        let c = clock(r#"{"timezone": "UTC", "update": 15}"#).expect("clock");
        assert_eq!(
            c.next_wake(utc("2024-01-01T00:00:07.5Z")),
            Some(utc("2024-01-01T00:00:15Z"))
        );
        assert_eq!(
            c.next_wake(utc("2024-01-01T00:00:15Z")),
            Some(utc("2024-01-01T00:00:30Z"))
        );
        assert_eq!(c.state()["update"], 15.0);
    }

    #[test]
    fn clicks_toggle_the_alt_format_and_cycle_zones() {
        let mut c = clock(
            r#"{"format": "%H:%M", "alt_format": "%Y-%m-%d %H:%M:%S %Z",
                "timezone": "UTC", "timezones": ["Asia/Tokyo", "UTC", "+05:30"]}"#,
        )
        .expect("clock");
        let now = utc("2024-03-10T07:30:00Z");
        c.tick(now);
        assert_eq!(c.text(), "07:30");
        assert_eq!(c.state()["unit"], "minute");
        assert_eq!(c.click(click(Button::Left)), (true, vec![]));
        assert_eq!(c.text(), "2024-03-10 07:30:00 UTC");
        assert_eq!(c.next_wake(now), Some(utc("2024-03-10T07:30:01Z")));
        assert_eq!(c.state()["alt"], true);
        c.click(click(Button::Left));
        assert_eq!(c.text(), "07:30");

        assert_eq!(c.state()["zones"], json!(["UTC", "Asia/Tokyo", "+05:30"]));
        assert!(c.click(click(Button::ScrollDown)).0);
        assert_eq!(c.text(), "16:30");
        assert_eq!(c.state()["zone"], "Asia/Tokyo");
        assert!(c.click(click(Button::Right)).0);
        assert_eq!(c.text(), "13:00");
        assert!(c.click(click(Button::ScrollDown)).0);
        assert_eq!(c.text(), "07:30", "wraps around");
        assert!(c.click(click(Button::ScrollUp)).0);
        assert_eq!(c.text(), "13:00");
        // Middle opens the month's calendar, today marked; the wheel over it moves months.
        let (changed, popup) = c.click(click(Button::Middle));
        assert!(!changed);
        let [Request::Popup(lines)] = popup.as_slice() else {
            panic!("a calendar popup: {popup:?}")
        };
        assert!(lines[0].contains("March 2024"), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("[10]")),
            "today marked: {lines:?}"
        );
        let (_, next) = c.popup_scroll(false);
        assert!(
            matches!(next.as_slice(), [Request::Popup(l)] if l[0].contains("April 2024")),
            "{next:?}"
        );
        let (_, back) = c.popup_scroll(true);
        assert!(
            matches!(back.as_slice(), [Request::Popup(l)] if l[0].contains("March 2024")),
            "{back:?}"
        );

        // Without alt_format or extra zones, clicks change nothing.
        let mut plain = Clock::new("%H:%M", "UTC").expect("clock");
        plain.tick(now);
        assert_eq!(plain.click(click(Button::Left)), (false, vec![]));
        assert_eq!(plain.click(click(Button::ScrollDown)), (false, vec![]));
    }

    #[test]
    fn set_timezone_changes_the_text_or_explains() {
        let mut c = Clock::new("%H:%M %Z", "UTC").expect("clock");
        let other = Clock::new("%H:%M %Z", "UTC");
        c.tick(utc("2024-01-01T00:00:00Z"));
        assert_eq!(c.set_timezone("Asia/Kathmandu"), Ok(true));
        assert_eq!(c.text(), "05:45 +0545");
        assert_eq!(c.set_timezone("Asia/Kathmandu"), Ok(false));
        let err = c.set_timezone("US/Centrl").unwrap_err();
        assert!(err.contains("did you mean US/Central"), "{err}");
        assert_eq!(c.zone().zone.name(), "Asia/Kathmandu", "kept");
        assert_eq!(c.state()["zone"], "Asia/Kathmandu");
        assert_eq!(c.state()["text"], "05:45 +0545");
        // Another clock keeps its own zone.
        let mut other = other.expect("clock");
        other.tick(utc("2024-01-01T00:00:00Z"));
        assert_eq!(other.text(), "00:00 UTC");
        // Reachable through a Box<dyn Widget>, as the bar holds it.
        let mut boxed: Box<dyn Widget> = Box::new(c);
        let clock = boxed
            .as_any_mut()
            .and_then(|a| a.downcast_mut::<Clock>())
            .expect("a clock");
        assert_eq!(clock.set_timezone("+01:00"), Ok(true));
        assert_eq!(boxed.text(), "01:00 +01:00");
    }

    #[test]
    fn bad_options_are_errors_naming_them() {
        let err = clock(r#"{"format": "%H:%Q"}"#).unwrap_err();
        assert!(err.contains("'format'") && err.contains("'%Q'"), "{err}");
        let err = clock(r#"{"alt_format": "%k %"}"#).unwrap_err();
        assert!(err.contains("'alt_format'") && err.contains("'%'"), "{err}");
        let err = clock(r#"{"timezone": "US/Centrl"}"#).unwrap_err();
        assert!(
            err.contains("'timezone'") && err.contains("US/Central"),
            "{err}"
        );
        let err = clock(r#"{"timezones": ["Europe/Pari"]}"#).unwrap_err();
        assert!(err.contains("Europe/Paris"), "{err}");
        let err = clock(r#"{"update": 0}"#).unwrap_err();
        assert!(err.contains("'update'"), "{err}");
        let err = clock(r#"{"update": "sometimes"}"#).unwrap_err();
        assert!(err.contains("\"auto\""), "{err}");
        let err = clock(r#"{"week_start": "friday"}"#).unwrap_err();
        assert!(err.contains("'week_start'"), "{err}");
        let err = clock(r#"{"fromat": "%H"}"#).unwrap_err();
        assert!(err.contains("'fromat'"), "{err}");
        let c = clock(r#"{"timezone": "local"}"#).expect("local always resolves");
        assert_eq!(c.state()["zone_spec"], "local");
    }

    #[test]
    fn text_is_drawn_and_width_follows_the_format() {
        let style = Style {
            foreground: Rgba::rgb(0x00ffff),
            ..Style::default()
        };
        let now = utc("2024-03-10T07:30:00Z");
        let mut short = Clock::new("%H:%M", "UTC").expect("clock");
        let mut long = Clock::new("%A %d %B %Y %H:%M:%S", "UTC").expect("clock");
        assert_eq!(
            render_with(&mut short, 24, &style, None).width,
            0,
            "no tick yet"
        );
        short.tick(now);
        long.tick(now);
        let a = render_with(&mut short, 24, &style, None);
        let b = render_with(&mut long, 24, &style, None);
        assert!(b.width > a.width + 50, "{} vs {}", b.width, a.width);
        assert!(a.count_near(0x00ffff, 0x40) > 10, "cyan text");
        // Markup around specifiers is honoured: bold is wider than regular.
        let mut bold = Clock::new("<b>%H:%M</b>", "UTC").expect("clock");
        bold.tick(now);
        assert_eq!(bold.text(), "<b>07:30</b>");
        let c = render_with(&mut bold, 24, &style, None);
        assert!(c.width > a.width, "{} vs {}", c.width, a.width);
    }

    #[test]
    fn calendar_is_the_month_of_the_zone_with_today_marked() {
        let now = utc("2024-03-31T23:30:00Z");
        let mut chicago = clock(r#"{"timezone": "America/Chicago"}"#).expect("clock");
        assert_eq!(chicago.calendar(0), None, "no tick yet");
        chicago.tick(now);
        let g = chicago.calendar(0).expect("grid");
        assert_eq!(g.lines[0].trim(), "March 2024");
        let (l, col) = g.today.expect("today marked");
        assert_eq!(&g.lines[l][col..col + 2], "31");
        let mut tokyo =
            clock(r#"{"timezone": "Asia/Tokyo", "week_start": "sunday"}"#).expect("clock");
        tokyo.tick(now);
        let g = tokyo.calendar(0).expect("grid");
        assert_eq!(
            g.lines[0].trim(),
            "April 2024",
            "already April 1st in Tokyo"
        );
        assert_eq!(g.lines[1], "Su Mo Tu We Th Fr Sa");
        let g = tokyo.calendar(-1).expect("grid");
        assert_eq!((g.lines[0].trim(), g.today), ("March 2024", None));
    }
}
