//! CurrentLayout: the name of the layout of the group on the bar's screen ("monadtall").
//!
//! Options: only the common ones (`font`, `foreground`, `background`, `padding`, `name`).

use crate::style::Options;
use crate::text::{self, Text};
use crate::widget::{DrawCx, Widget, WidgetError, WmData};

/// The current layout's name.
#[derive(Debug, Clone, Default)]
pub struct CurrentLayout {
    layout: String,
}

impl CurrentLayout {
    /// Build from options (it has none of its own).
    pub fn from_options(_o: &Options) -> Result<Self, String> {
        Ok(CurrentLayout::default())
    }
}

impl Widget for CurrentLayout {
    fn kind(&self) -> &'static str {
        "currentlayout"
    }

    fn text(&self) -> String {
        self.layout.clone()
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        if self.layout.is_empty() {
            return 0;
        }
        text::width(cr, &Text::plain(&self.layout), &cx.style.font) + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let pad = cx.style.padding;
        text::draw(
            cr,
            &Text::plain(&self.layout),
            &cx.style.font,
            cx.style.foreground,
            pad as f64,
            cx.height,
            Some(cx.width.saturating_sub(2 * pad)),
        );
        Ok(())
    }

    fn update(&mut self, data: &WmData) -> bool {
        if data.layout == self.layout {
            return false;
        }
        self.layout.clone_from(&data.layout);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{Rgba, Style};
    use crate::testing::render_with;

    fn layout(w: &mut CurrentLayout, name: &str) -> bool {
        w.update(&WmData {
            layout: name.into(),
            ..WmData::default()
        })
    }

    #[test]
    fn shows_the_layout_name_and_grows_with_it() {
        let mut w = CurrentLayout::default();
        let style = Style {
            foreground: Rgba::rgb(0xff8000),
            ..Style::default()
        };
        assert_eq!(render_with(&mut w, 24, &style, None).width, 0, "empty");
        assert!(layout(&mut w, "max"));
        assert!(!layout(&mut w, "max"));
        let short = render_with(&mut w, 24, &style, None);
        assert!(short.count_near(0xff8000, 0x40) > 10, "orange text");
        assert_eq!(w.text(), "max");
        assert!(layout(&mut w, "monadtall"));
        let long = render_with(&mut w, 24, &style, None);
        assert!(long.width > short.width);
        assert_eq!(w.text(), "monadtall");
    }
}
