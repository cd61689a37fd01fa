//! Window rules and matches, pure. A [`Match`] says which windows something applies to (by
//! class, instance, title, role, type, transient-ness); a [`Rule`] says what to do with the
//! windows it matches when they are managed (group, floating, screen, fullscreen,
//! geometry, focus). The Lua config builds both (`oxtile.rule{}`, `oxtile.match{}`);
//! scratchpads and actions (`focus_match`, `kill_match`) use matches too.

use serde::{Deserialize, Serialize};

use super::client::{ClientInfo, WindowType};
use super::geometry::Rect;
use super::luapat;

/// Which windows something applies to. Every field given must match; a field with several
/// values matches when any of them does. A text value matches a property when it is
/// exactly equal to it or when it is a Lua pattern that `string.find` finds in it
/// ("Firefox" matches "Mozilla Firefox"; "^Firefox$" only "Firefox").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Match {
    /// `WM_CLASS` class ("Firefox").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class: Vec<String>,
    /// `WM_CLASS` instance ("Navigator").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance: Vec<String>,
    /// The title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title: Vec<String>,
    /// `WM_WINDOW_ROLE`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role: Vec<String>,
    /// `_NET_WM_WINDOW_TYPE`.
    #[serde(default, rename = "type", skip_serializing_if = "Vec::is_empty")]
    pub window_type: Vec<WindowType>,
    /// Whether it is a transient (has `WM_TRANSIENT_FOR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transient: Option<bool>,
}

/// What a match looks at, borrowed from a client or from a Lua client table.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// `WM_CLASS` class.
    pub class: &'a str,
    /// `WM_CLASS` instance.
    pub instance: &'a str,
    /// Title.
    pub title: &'a str,
    /// Role.
    pub role: &'a str,
    /// Window type.
    pub window_type: WindowType,
    /// Has `WM_TRANSIENT_FOR`.
    pub transient: bool,
}

impl<'a> From<&'a ClientInfo> for Subject<'a> {
    fn from(info: &'a ClientInfo) -> Self {
        Subject {
            class: &info.class,
            instance: &info.instance,
            title: &info.title,
            role: &info.role,
            window_type: info.window_type,
            transient: info.transient_for.is_some(),
        }
    }
}

/// Whether `value` matches `wanted` exactly or as a Lua pattern.
pub fn text_matches(wanted: &str, value: &str) -> bool {
    wanted == value || luapat::find(value, wanted)
}

impl Match {
    /// True when nothing is asked (it matches every window).
    pub fn is_empty(&self) -> bool {
        *self == Match::default()
    }

    /// Whether the window described by `s` matches.
    pub fn matches(&self, s: &Subject<'_>) -> bool {
        let text = |wanted: &[String], value: &str| {
            wanted.is_empty() || wanted.iter().any(|w| text_matches(w, value))
        };
        text(&self.class, s.class)
            && text(&self.instance, s.instance)
            && text(&self.title, s.title)
            && text(&self.role, s.role)
            && (self.window_type.is_empty() || self.window_type.contains(&s.window_type))
            && self.transient.is_none_or(|t| t == s.transient)
    }

    /// Whether a client's info matches.
    pub fn matches_info(&self, info: &ClientInfo) -> bool {
        self.matches(&Subject::from(info))
    }

    /// Every malformed pattern, as "field 'pattern': why".
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (field, values) in [
            ("class", &self.class),
            ("instance", &self.instance),
            ("title", &self.title),
            ("role", &self.role),
        ] {
            for v in values {
                if let Err(e) = luapat::validate(v) {
                    out.push(format!(
                        "{field} '{v}' is not a valid Lua pattern ({e}); it only matches exactly"
                    ));
                }
            }
        }
        out
    }
}

/// One coordinate of a rule's or scratchpad's geometry: pixels, or a fraction of the
/// screen's work area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Length {
    /// Pixels (positions count from the work area's corner).
    Pixels(i32),
    /// A fraction (0..=1) of the work area's width or height.
    Fraction(f64),
}

impl Length {
    fn resolve(self, total: u32) -> i64 {
        match self {
            Length::Pixels(p) => i64::from(p),
            Length::Fraction(f) => (f.clamp(0.0, 1.0) * f64::from(total)).round() as i64,
        }
    }
}

/// A floating geometry relative to a screen; missing parts keep the window's own.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Geometry {
    /// Left edge from the work area's left.
    pub x: Option<Length>,
    /// Top edge from the work area's top.
    pub y: Option<Length>,
    /// Width.
    pub width: Option<Length>,
    /// Height.
    pub height: Option<Length>,
}

impl Geometry {
    /// Fractions of a work area (scratchpads).
    pub fn fractions(x: f64, y: f64, width: f64, height: f64) -> Geometry {
        Geometry {
            x: Some(Length::Fraction(x)),
            y: Some(Length::Fraction(y)),
            width: Some(Length::Fraction(width)),
            height: Some(Length::Fraction(height)),
        }
    }

    /// The rectangle in `area` for a window whose own geometry is `own`; a position not
    /// given centres the window in that direction.
    pub fn resolve(&self, area: Rect, own: Rect) -> Rect {
        let clamp = |v: i64| v.clamp(1, 32767) as u32;
        let w = self.width.map_or(own.w, |l| clamp(l.resolve(area.w)));
        let h = self.height.map_or(own.h, |l| clamp(l.resolve(area.h)));
        let centred = area.centered(w, h);
        let pos = |l: Option<Length>, origin: i32, total: u32, mid: i32| {
            l.map_or(mid, |l| {
                (i64::from(origin) + l.resolve(total))
                    .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
            })
        };
        Rect::new(
            pos(self.x, area.x, area.w, centred.x),
            pos(self.y, area.y, area.h, centred.y),
            w,
            h,
        )
    }
}

/// `oxtile.rule{}`: what to do with matching windows when they are managed. Every rule that
/// matches applies, in the order written; a later one overrides what an earlier one set.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Rule {
    /// Which windows.
    pub matcher: Match,
    /// Put it in this group (by name).
    pub group: Option<String>,
    /// Float it (or tile it, with false).
    pub float: Option<bool>,
    /// Put it on the group shown on this screen (0 is the first), unless `group` is given.
    pub screen: Option<usize>,
    /// Make it fullscreen (or not).
    pub fullscreen: Option<bool>,
    /// Its floating geometry (implies floating unless `float = false`).
    pub geometry: Option<Geometry>,
    /// Whether it takes the focus when it appears (default: it does).
    pub focus: Option<bool>,
}

/// What the rules matching a window decided, merged.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Decision<'r> {
    /// Group name.
    pub group: Option<&'r str>,
    /// Floating.
    pub float: Option<bool>,
    /// Screen index.
    pub screen: Option<usize>,
    /// Fullscreen.
    pub fullscreen: Option<bool>,
    /// Floating geometry.
    pub geometry: Option<Geometry>,
    /// Takes focus.
    pub focus: Option<bool>,
}

/// Apply every matching rule in order to `info`.
pub fn decide<'r>(rules: &'r [Rule], info: &ClientInfo) -> Decision<'r> {
    let subject = Subject::from(info);
    let mut d = Decision::default();
    for r in rules.iter().filter(|r| r.matcher.matches(&subject)) {
        if let Some(g) = &r.group {
            d.group = Some(g);
        }
        d.float = r.float.or(d.float);
        d.screen = r.screen.or(d.screen);
        d.fullscreen = r.fullscreen.or(d.fullscreen);
        d.geometry = r.geometry.or(d.geometry);
        d.focus = r.focus.or(d.focus);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(class: &str, instance: &str, title: &str) -> ClientInfo {
        ClientInfo {
            class: class.into(),
            instance: instance.into(),
            title: title.into(),
            ..Default::default()
        }
    }

    fn m(f: impl FnOnce(&mut Match)) -> Match {
        let mut m = Match::default();
        f(&mut m);
        m
    }

    #[test]
    fn text_fields_match_exactly_or_as_lua_patterns() {
        let ff = info("Firefox", "Navigator", "Mozilla Firefox - Page (1)");
        assert!(m(|m| m.class = vec!["Firefox".into()]).matches_info(&ff));
        assert!(m(|m| m.class = vec!["^Fire".into()]).matches_info(&ff));
        assert!(!m(|m| m.class = vec!["^fox".into()]).matches_info(&ff));
        assert!(m(|m| m.title = vec!["Firefox".into()]).matches_info(&ff));
        // "(1)" is a capture as a pattern, but the exact title still matches.
        assert!(m(|m| m.title = vec!["Mozilla Firefox - Page (1)".into()]).matches_info(&ff));
        assert!(m(|m| m.title = vec!["Page %(%d%)$".into()]).matches_info(&ff));
        // Any of several values; every field given must match.
        let both = m(|m| {
            m.class = vec!["Chromium".into(), "Firefox".into()];
            m.instance = vec!["Navigator".into()];
        });
        assert!(both.matches_info(&ff));
        let wrong_instance = m(|m| {
            m.class = vec!["Firefox".into()];
            m.instance = vec!["Dialog".into()];
        });
        assert!(!wrong_instance.matches_info(&ff));
        assert!(
            Match::default().matches_info(&ff),
            "an empty match matches all"
        );
    }

    #[test]
    fn type_role_and_transient_match() {
        let mut dialog = info("Gimp", "gimp", "Open");
        dialog.window_type = WindowType::Dialog;
        dialog.role = "file-open".into();
        dialog.transient_for = Some(7);
        assert!(m(|m| m.window_type = vec![WindowType::Dialog]).matches_info(&dialog));
        assert!(!m(|m| m.window_type = vec![WindowType::Utility]).matches_info(&dialog));
        assert!(m(|m| m.role = vec!["^file%-".into()]).matches_info(&dialog));
        assert!(m(|m| m.transient = Some(true)).matches_info(&dialog));
        assert!(!m(|m| m.transient = Some(false)).matches_info(&dialog));
    }

    #[test]
    fn malformed_patterns_are_reported_but_still_match_exactly() {
        let bad = m(|m| m.title = vec!["Save [draft".into()]);
        assert_eq!(bad.problems().len(), 1);
        assert!(bad.matches_info(&info("", "", "Save [draft")));
        assert!(!bad.matches_info(&info("", "", "Save d")));
        assert!(m(|m| m.title = vec!["100%".into()]).problems().len() == 1);
    }

    #[test]
    fn later_rules_override_earlier_ones() {
        let rules = vec![
            Rule {
                matcher: m(|m| m.class = vec!["Gimp".into()]),
                group: Some("3".into()),
                float: Some(true),
                ..Default::default()
            },
            Rule {
                matcher: m(|m| m.title = vec!["^Open".into()]),
                group: Some("2".into()),
                focus: Some(false),
                ..Default::default()
            },
            Rule {
                matcher: m(|m| m.class = vec!["Nope".into()]),
                screen: Some(1),
                ..Default::default()
            },
        ];
        let d = decide(&rules, &info("Gimp", "gimp", "Open image"));
        assert_eq!(d.group, Some("2"));
        assert_eq!(d.float, Some(true));
        assert_eq!(d.focus, Some(false));
        assert_eq!(d.screen, None);
        assert_eq!(decide(&rules, &info("Xterm", "", "")), Decision::default());
    }

    #[test]
    fn geometry_in_pixels_fractions_or_centred() {
        let area = Rect::new(100, 20, 1000, 800);
        let own = Rect::new(0, 0, 300, 200);
        let g = Geometry::fractions(0.1, 0.0, 0.8, 0.5);
        assert_eq!(g.resolve(area, own), Rect::new(200, 20, 800, 400));
        let px = Geometry {
            x: Some(Length::Pixels(10)),
            y: Some(Length::Pixels(-5)),
            width: Some(Length::Pixels(400)),
            height: None,
        };
        assert_eq!(px.resolve(area, own), Rect::new(110, 15, 400, 200));
        let centred = Geometry::default().resolve(area, own);
        assert_eq!(centred, area.centered(300, 200));
        let absurd = Geometry {
            width: Some(Length::Pixels(-3)),
            height: Some(Length::Fraction(f64::MAX)),
            x: Some(Length::Pixels(i32::MAX)),
            y: None,
        };
        let r = absurd.resolve(area, own);
        assert_eq!((r.w, r.h), (1, 800));
    }
}
