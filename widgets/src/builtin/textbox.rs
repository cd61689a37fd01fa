//! TextBox: a string (Pango markup allowed). Also what Lua `poll` and `command` widgets
//! show: their text is set from outside with `set_text`.
//!
//! Options: `text` (default ""), `markup` (default true), `width` (fixed pixels; default:
//! the text's width).

use crate::style::Options;
use crate::text::{self, Text};
use crate::widget::{DrawCx, Length, Widget, WidgetError};

/// A string on the bar.
#[derive(Debug, Clone)]
pub struct TextBox {
    kind: &'static str,
    text: Text,
    width: Option<u32>,
}

impl TextBox {
    /// A text box showing `text`.
    pub fn new(text: &str) -> Self {
        TextBox {
            kind: "textbox",
            text: Text::markup(text),
            width: None,
        }
    }

    /// Build from options; `kind` is the name users wrote (textbox, poll, command).
    pub fn from_options(kind: &'static str, o: &Options) -> Result<Self, String> {
        let markup = o.bool("markup", true)?;
        let content = o.string("text", "")?;
        let width = match o.get("width") {
            None => None,
            Some(_) => Some(o.uint("width", 0, 0, 10_000)?),
        };
        Ok(TextBox {
            kind,
            text: Text { content, markup },
            width,
        })
    }
}

impl Widget for TextBox {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn text(&self) -> String {
        self.text.content.clone()
    }

    fn length(&self) -> Length {
        self.width.map_or(Length::Content, Length::Fixed)
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        if self.text.content.is_empty() {
            return 0;
        }
        text::width(cr, &self.text, &cx.style.font) + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let pad = cx.style.padding;
        let max = cx.width.saturating_sub(2 * pad);
        text::draw(
            cr,
            &self.text,
            &cx.style.font,
            cx.style.foreground,
            pad as f64,
            cx.height,
            Some(max),
        );
        Ok(())
    }

    fn set_text(&mut self, text: &str) -> bool {
        if self.text.content == text {
            return false;
        }
        self.text.content = text.to_string();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, Canvas};

    #[test]
    fn text_appears_in_the_foreground_colour_and_width_grows_with_text() {
        let mut short = TextBox::new("ab");
        let mut long = TextBox::new("a much longer text");
        let c1: Canvas = render(&mut short, 30);
        let c2: Canvas = render(&mut long, 30);
        assert!(c2.width > c1.width, "{} <= {}", c2.width, c1.width);
        assert!(c1.count_foreground() > 10, "text pixels drawn");
    }

    #[test]
    fn broken_markup_is_shown_as_plain_text_not_an_error() {
        let mut tb = TextBox::new("<b>unclosed & <i>");
        let c = render(&mut tb, 30);
        assert!(c.count_foreground() > 10);
        assert!(tb.set_text("<span foreground='red'>ok</span>"));
        assert!(
            !tb.set_text("<span foreground='red'>ok</span>"),
            "same text: no change"
        );
    }
}
