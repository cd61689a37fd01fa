//! Text with Pango: markup when it parses, plain text when it does not (a stray `<` in a
//! window title must never break the bar), one font description per widget.

use crate::style::Rgba;

/// How a text widget shows its string.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The string, possibly Pango markup.
    pub content: String,
    /// Whether to try parsing `content` as markup.
    pub markup: bool,
}

impl Text {
    /// Plain text (never parsed as markup).
    pub fn plain(s: impl Into<String>) -> Self {
        Text {
            content: s.into(),
            markup: false,
        }
    }

    /// Markup, shown as plain text if it does not parse.
    pub fn markup(s: impl Into<String>) -> Self {
        Text {
            content: s.into(),
            markup: true,
        }
    }
}

/// Whether `s` is valid Pango markup.
pub fn markup_is_valid(s: &str) -> bool {
    pango::parse_markup(s, '\0').is_ok()
}

/// A Pango layout for `text` in `font` on `cr`, ellipsised at the end to `max_width` pixels
/// when given.
pub fn layout(
    cr: &cairo::Context,
    text: &Text,
    font: &str,
    max_width: Option<u32>,
) -> pango::Layout {
    let layout = pangocairo::functions::create_layout(cr);
    layout.set_font_description(Some(&pango::FontDescription::from_string(font)));
    if text.markup && markup_is_valid(&text.content) {
        layout.set_markup(&text.content);
    } else {
        layout.set_text(&text.content);
    }
    if let Some(w) = max_width {
        layout.set_width(w as i32 * pango::SCALE);
        layout.set_ellipsize(pango::EllipsizeMode::End);
    }
    layout.set_single_paragraph_mode(true);
    layout
}

/// Width in pixels of `text` in `font`.
pub fn width(cr: &cairo::Context, text: &Text, font: &str) -> u32 {
    let (w, _) = layout(cr, text, font, None).pixel_size();
    w.max(0) as u32
}

/// Draw `text` at `x`, vertically centred in `height`, in `color`, ellipsised to `max_width`.
pub fn draw(
    cr: &cairo::Context,
    text: &Text,
    font: &str,
    color: Rgba,
    x: f64,
    height: u32,
    max_width: Option<u32>,
) {
    let layout = layout(cr, text, font, max_width);
    let (_, h) = layout.pixel_size();
    color.set_source(cr);
    cr.move_to(x, ((height as i32 - h) / 2) as f64);
    pangocairo::functions::show_layout(cr, &layout);
}
