//! The error widget: what the bar shows instead of a widget whose configuration or drawing
//! failed (its name and the error, in red), and the config's problems at startup.

use crate::style::Rgba;
use crate::text::{self, Text};
use crate::widget::{DrawCx, Length, Widget, WidgetError};

/// The red colour of errors.
pub const ERROR_RED: Rgba = Rgba::rgb(0xff3333);

/// Shows "name: error" in red.
#[derive(Debug, Clone)]
pub struct ErrorWidget {
    message: String,
}

impl ErrorWidget {
    /// An error widget for the widget `name` that failed with `error`.
    pub fn new(name: &str, error: &str) -> Self {
        // Keep the bar usable whatever the error's size.
        let mut message = format!("{name}: {error}");
        if message.len() > 300 {
            let mut cut = 300;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
            message.push('…');
        }
        ErrorWidget { message }
    }
}

impl Widget for ErrorWidget {
    fn kind(&self) -> &'static str {
        "error"
    }

    fn text(&self) -> String {
        self.message.clone()
    }

    fn length(&self) -> Length {
        Length::Content
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        text::width(cr, &Text::plain(&self.message), &cx.style.font) + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let pad = cx.style.padding;
        let text = Text::plain(&self.message);
        let max = cx.width.saturating_sub(2 * pad);
        text::draw(
            cr,
            &text,
            &cx.style.font,
            ERROR_RED,
            pad as f64,
            cx.height,
            Some(max),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::render;

    #[test]
    fn shows_the_name_and_error_in_red() {
        let mut w = ErrorWidget::new("clock", "bad format");
        assert_eq!(w.text(), "clock: bad format");
        let c = render(&mut w, 30);
        assert!(
            c.count_color(|p| (p >> 16) & 0xff > 0xa0 && (p >> 8) & 0xff < 0x80) > 10,
            "red text"
        );
    }
}
