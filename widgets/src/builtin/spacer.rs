//! Spacer: empty room, a fixed number of pixels or a stretching share of what is left.
//!
//! Options: `length` (pixels; default: stretch).

use crate::style::Options;
use crate::widget::{DrawCx, Length, Widget, WidgetError};

/// Empty room on the bar.
#[derive(Debug, Clone)]
pub struct Spacer {
    length: Option<u32>,
}

impl Spacer {
    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let length = match o.get("length") {
            None => None,
            Some(serde_json::Value::String(s)) if s == "stretch" => None,
            Some(_) => Some(o.uint("length", 0, 0, 10_000)?),
        };
        Ok(Spacer { length })
    }
}

impl Widget for Spacer {
    fn kind(&self) -> &'static str {
        "spacer"
    }

    fn text(&self) -> String {
        String::new()
    }

    fn length(&self) -> Length {
        self.length.map_or(Length::Stretch, Length::Fixed)
    }

    fn measure(&mut self, _cr: &cairo::Context, _cx: &DrawCx) -> u32 {
        self.length.unwrap_or(0)
    }

    fn draw(&mut self, _cr: &cairo::Context, _cx: &DrawCx) -> Result<(), WidgetError> {
        Ok(())
    }
}
