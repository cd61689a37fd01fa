//! A widget's popup: a list of lines under (or over) the widget, drawn like the bar and
//! copied to its own window. Which line a click hits is computed here; the X side only
//! creates the window and grabs the pointer and keyboard while it is open.

use oxtile_widgets::text::{self, Text};
use oxtile_widgets::Style;

use crate::config::Edge;
use crate::core::geometry::Rect;

/// An open popup.
pub struct Popup {
    /// Bar and widget it belongs to.
    pub owner: (usize, usize),
    /// Its window.
    pub window: u32,
    /// Its rectangle in root coordinates.
    pub rect: Rect,
    /// Height of one line.
    pub line_height: u32,
    /// The lines.
    pub lines: Vec<String>,
    /// The rendered pixels and stride, ready to copy.
    pub image: Option<(Vec<u8>, usize)>,
}

/// Where a popup for a widget at `widget` (root coordinates) goes, on a bar at `edge`,
/// kept inside `screen`.
pub fn place(widget: Rect, edge: Edge, size: (u32, u32), screen: Rect) -> Rect {
    let (w, h) = (size.0.min(screen.w).max(1), size.1.min(screen.h).max(1));
    let (x, y) = match edge {
        Edge::Top => (widget.x, widget.bottom()),
        Edge::Bottom => (widget.x, widget.y - h as i32),
        Edge::Left => (widget.right(), widget.y),
        Edge::Right => (widget.x - w as i32, widget.y),
    };
    let x = x.clamp(screen.x, screen.right() - w as i32);
    let y = y.clamp(screen.y, screen.bottom() - h as i32);
    Rect::new(x, y, w, h)
}

/// The popup's font: the widget's, in a monospace family (calendars and lists line up).
fn monospace(font: &str) -> String {
    let mut desc = text::font_description(font);
    desc.set_family("monospace");
    desc.to_string()
}

/// Size of a popup showing `lines` in `style` with lines `line_height` high.
pub fn measure(lines: &[String], style: &Style, line_height: u32) -> (u32, u32) {
    let Ok(scratch) = cairo::ImageSurface::create(cairo::Format::ARgb32, 1, 1) else {
        return (1, 1);
    };
    let Ok(cr) = cairo::Context::new(&scratch) else {
        return (1, 1);
    };
    let w = lines
        .iter()
        .map(|l| text::width(&cr, &Text::plain(l), &monospace(&style.font)))
        .max()
        .unwrap_or(0);
    (
        w + 4 * style.padding,
        line_height * lines.len().max(1) as u32,
    )
}

/// Draw the lines (plain text, monospace-friendly) into an image of `size`.
pub fn render(
    lines: &[String],
    style: &Style,
    line_height: u32,
    size: (u32, u32),
) -> Option<(Vec<u8>, usize)> {
    let mut surface =
        cairo::ImageSurface::create(cairo::Format::ARgb32, size.0 as i32, size.1 as i32).ok()?;
    {
        let cr = cairo::Context::new(&surface).ok()?;
        style.background.set_source(&cr);
        cr.paint().ok()?;
        for (i, line) in lines.iter().enumerate() {
            cr.save().ok()?;
            cr.translate(0.0, (i as u32 * line_height) as f64);
            text::draw(
                &cr,
                &Text::plain(line),
                &monospace(&style.font),
                style.foreground,
                (2 * style.padding) as f64,
                line_height,
                None,
            );
            cr.restore().ok()?;
        }
    }
    surface.flush();
    let stride = surface.stride() as usize;
    let data = surface.data().ok()?.to_vec();
    Some((data, stride))
}

impl Popup {
    /// The line under a popup-local y.
    pub fn line_at(&self, y: i32) -> Option<usize> {
        let i = usize::try_from(y).ok()? / self.line_height.max(1) as usize;
        (i < self.lines.len()).then_some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn popups_stay_on_screen_and_open_away_from_the_edge() {
        let screen = Rect::new(0, 0, 1000, 800);
        let top = place(Rect::new(950, 0, 40, 24), Edge::Top, (200, 100), screen);
        assert_eq!(top, Rect::new(800, 24, 200, 100));
        let bottom = place(Rect::new(10, 776, 40, 24), Edge::Bottom, (200, 100), screen);
        assert_eq!(bottom, Rect::new(10, 676, 200, 100));
        let huge = place(Rect::new(0, 0, 10, 10), Edge::Top, (5000, 5000), screen);
        assert!(screen.contains_rect(&huge));
    }

    #[test]
    fn clicks_map_to_lines() {
        let p = Popup {
            owner: (0, 0),
            window: 1,
            rect: Rect::new(0, 0, 100, 60),
            line_height: 20,
            lines: vec!["a".into(), "b".into(), "c".into()],
            image: None,
        };
        assert_eq!(p.line_at(0), Some(0));
        assert_eq!(p.line_at(45), Some(2));
        assert_eq!(p.line_at(60), None);
        assert_eq!(p.line_at(-1), None);
    }
}
