//! Sep: a thin vertical line between widgets.
//!
//! Options: `linewidth` (default 1), `size_percent` (of the bar height, default 80),
//! `color` (default: the foreground), `padding` (room on each side, default 4).

use crate::style::{Options, Rgba};
use crate::widget::{DrawCx, Length, Widget, WidgetError};

/// A vertical separator line.
#[derive(Debug, Clone)]
pub struct Sep {
    linewidth: u32,
    size_percent: u32,
    color: Option<Rgba>,
}

impl Sep {
    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let color = match o.get("color") {
            None => None,
            Some(_) => Some(o.color("color", Rgba::rgb(0))?),
        };
        Ok(Sep {
            linewidth: o.uint("linewidth", 1, 1, 100)?,
            size_percent: o.uint("size_percent", 80, 1, 100)?,
            color,
        })
    }
}

impl Widget for Sep {
    fn kind(&self) -> &'static str {
        "sep"
    }

    fn text(&self) -> String {
        String::new()
    }

    fn length(&self) -> Length {
        Length::Content
    }

    fn measure(&mut self, _cr: &cairo::Context, cx: &DrawCx) -> u32 {
        self.linewidth + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let h = cx.height as f64 * self.size_percent as f64 / 100.0;
        let top = (cx.height as f64 - h) / 2.0;
        self.color.unwrap_or(cx.style.foreground).set_source(cr);
        cr.rectangle(cx.style.padding as f64, top, self.linewidth as f64, h);
        cr.fill().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {

    use crate::testing::{render_opts, Canvas};

    #[test]
    fn draws_a_line_of_its_colour_in_the_middle() {
        let c: Canvas = render_opts("sep", r##"{"color": "#ff0000", "linewidth": 2}"##, 20);
        assert_eq!(c.width, 2 + 2 * 4);
        assert_eq!(c.pixel(4, 10), 0xffff0000);
        assert_eq!(c.pixel(5, 10), 0xffff0000);
        assert_ne!(c.pixel(0, 10), 0xffff0000);
        assert_ne!(
            c.pixel(4, 0),
            0xffff0000,
            "80% of the height: not the top row"
        );
    }
}
