//! WindowName: the focused window's title, as plain text (a title is never markup),
//! ellipsised to the room it gets; by default it takes what the other widgets leave.
//!
//! Options: `max_chars` (cut longer titles with "…"; 0, the default, means no limit),
//! `empty_text` (shown when no window is focused; default ""), `width` (pixels, or
//! "stretch", the default).

use serde_json::Value;

use crate::style::Options;
use crate::text::{self, Text};
use crate::widget::{DrawCx, Length, Widget, WidgetError, WmData};

/// The focused window's title.
#[derive(Debug, Clone, Default)]
pub struct WindowName {
    max_chars: u32,
    empty_text: String,
    width: Option<u32>,
    /// The title as shown (after `max_chars`), "" when nothing is focused.
    title: String,
}

impl WindowName {
    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let width = match o.get("width") {
            None => None,
            Some(Value::String(s)) if s == "stretch" => None,
            Some(_) => Some(o.uint("width", 0, 0, 10_000)?),
        };
        Ok(WindowName {
            max_chars: o.uint("max_chars", 0, 0, 100_000)?,
            empty_text: o.string("empty_text", "")?,
            width,
            title: String::new(),
        })
    }

    fn shown(&self) -> Text {
        Text::plain(if self.title.is_empty() {
            &self.empty_text
        } else {
            &self.title
        })
    }
}

impl Widget for WindowName {
    fn kind(&self) -> &'static str {
        "windowname"
    }

    fn text(&self) -> String {
        self.shown().content
    }

    fn length(&self) -> Length {
        self.width.map_or(Length::Stretch, Length::Fixed)
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        let t = self.shown();
        if t.content.is_empty() {
            return 0;
        }
        text::width(cr, &t, &cx.style.font) + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let pad = cx.style.padding;
        text::draw(
            cr,
            &self.shown(),
            &cx.style.font,
            cx.style.foreground,
            pad as f64,
            cx.height,
            Some(cx.width.saturating_sub(2 * pad)),
        );
        Ok(())
    }

    fn update(&mut self, data: &WmData) -> bool {
        let limit = self.max_chars as usize;
        let title = if limit > 0 && data.focused_title.chars().count() > limit {
            let mut t: String = data.focused_title.chars().take(limit).collect();
            t.push('…');
            t
        } else {
            data.focused_title.clone()
        };
        if title == self.title {
            return false;
        }
        self.title = title;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Style;
    use crate::testing::render_with;
    use serde_json::Map;

    fn build(opts: &str) -> WindowName {
        let map: Map<String, Value> = serde_json::from_str(opts).expect("json");
        let o = Options::new("windowname", &map);
        let w = WindowName::from_options(&o).expect("builds");
        o.finish().expect("all options known");
        w
    }

    fn focus(w: &mut WindowName, title: &str) -> bool {
        w.update(&WmData {
            focused_title: title.into(),
            ..WmData::default()
        })
    }

    fn measure(w: &mut WindowName) -> u32 {
        let s = cairo::ImageSurface::create(cairo::Format::ARgb32, 1, 1).expect("surface");
        let cr = cairo::Context::new(&s).expect("cr");
        let style = Style::default();
        w.measure(
            &cr,
            &DrawCx {
                width: 0,
                height: 30,
                style: &style,
            },
        )
    }

    #[test]
    fn shows_the_title_in_the_foreground_and_stretches() {
        let mut w = build("{}");
        assert_eq!(w.length(), Length::Stretch);
        assert!(focus(&mut w, "xterm"));
        assert!(!focus(&mut w, "xterm"), "same title: no change");
        let style = Style {
            foreground: Rgba::rgb(0x00ff00),
            ..Style::default()
        };
        let c = render_with(&mut w, 30, &style, None);
        assert_eq!(c.width, 200);
        assert!(c.count_near(0x00ff00, 0x40) > 10, "green text");
        let (first, _) = c.ink_columns().expect("ink");
        assert!(first >= 4, "starts after the padding");
        let short = measure(&mut w);
        focus(&mut w, "xterm: a much longer title");
        assert!(measure(&mut w) > short);
    }

    use crate::style::Rgba;

    #[test]
    fn long_titles_are_ellipsised_to_the_width() {
        let mut w = build("{}");
        focus(&mut w, &"a long window title ".repeat(20));
        assert!(measure(&mut w) > 300);
        let c = render_with(&mut w, 30, &Style::default(), Some(100));
        let (_, last) = c.ink_columns().expect("ink");
        assert!(last < 100 - 4 + 1, "ink up to {last}: inside the padding");
    }

    #[test]
    fn titles_are_plain_text_never_markup() {
        let mut w = build("{}");
        focus(&mut w, "<b>x</b>");
        assert_eq!(w.text(), "<b>x</b>");
        let markup_len = measure(&mut w);
        focus(&mut w, "x");
        assert!(
            markup_len > 2 * measure(&mut w),
            "tags are shown, not parsed"
        );
        focus(&mut w, "<span foreground='red'>unclosed & ");
        let c = render_with(&mut w, 30, &Style::default(), None);
        assert!(c.count_foreground() > 10);
    }

    #[test]
    fn max_chars_empty_text_and_fixed_width() {
        let mut w = build(r#"{"max_chars": 5, "empty_text": "desktop", "width": 120}"#);
        assert_eq!(w.length(), Length::Fixed(120));
        assert_eq!(w.text(), "desktop");
        let c = render_with(&mut w, 30, &Style::default(), None);
        assert!(c.count_foreground() > 10, "empty text drawn");
        assert!(focus(&mut w, "Firefox Nightly"));
        assert_eq!(w.text(), "Firef…");
        assert!(!focus(&mut w, "Firefox Beta"), "same first five characters");
        assert!(focus(&mut w, ""));
        assert_eq!(w.text(), "desktop");
        let mut none = build("{}");
        assert_eq!(measure(&mut none), 0, "nothing focused, no empty text");
    }
}
