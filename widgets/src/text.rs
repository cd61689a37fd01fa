//! Text with Pango: markup when it parses, plain text when it does not (a stray `<` in a
//! window title must never break the bar), one font description per widget. Every string
//! reaches Pango through [`c_safe`]: Pango takes C strings, and glib's conversion panics on
//! a NUL inside one (a title, a command's output or a Lua string may hold any), and it
//! shapes no more of a text than a bar can show.

use std::borrow::Cow;

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

/// Pango shapes at most this many bytes of a text. A bar shows a few hundred characters;
/// shaping a megabyte held the event loop for most of a second, and harfbuzz keeps a
/// buffer the size of the largest text it shaped (tens of MiB) for good.
pub const MAX_SHAPED: usize = 8 << 10;

/// `s` without NUL characters (each becomes U+FFFD) and cut to [`MAX_SHAPED`] bytes (at a
/// character boundary), borrowed when it needs neither: what may be handed to Pango and
/// glib, which take C strings.
pub fn c_safe(s: &str) -> Cow<'_, str> {
    let mut end = s.len().min(MAX_SHAPED);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let s = &s[..end];
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A font description from its string (`"sans 10"`), whatever the string holds.
pub fn font_description(font: &str) -> pango::FontDescription {
    pango::FontDescription::from_string(&c_safe(font))
}

/// Whether `s` is valid Pango markup.
pub fn markup_is_valid(s: &str) -> bool {
    pango::parse_markup(&c_safe(s), '\0').is_ok()
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
    layout.set_font_description(Some(&font_description(font)));
    let content = c_safe(&text.content);
    if text.markup && markup_is_valid(&content) {
        layout.set_markup(&content);
    } else {
        layout.set_text(&content);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> cairo::Context {
        let surface = cairo::ImageSurface::create(cairo::Format::ARgb32, 200, 30).expect("surface");
        cairo::Context::new(&surface).expect("context")
    }

    /// Found by chaos (seed 1): a command widget whose output held a NUL byte made glib
    /// panic while the bar measured it, and the window manager died with it. Titles and
    /// Lua strings may hold NULs too, and so may a font name from the config.
    #[test]
    fn text_with_nul_bytes_is_measured_and_drawn_with_the_nul_replaced() {
        let cr = context();
        for content in ["a\0b", "\0", "<b>a\0</b>"] {
            for t in [Text::plain(content), Text::markup(content)] {
                let with_nul = width(&cr, &t, "sans\0 10");
                let replaced = width(
                    &cr,
                    &Text::plain(content.replace('\0', "\u{fffd}")),
                    "sans 10",
                );
                assert!(with_nul > 0, "{t:?} has a width");
                if !t.markup {
                    assert_eq!(with_nul, replaced, "{t:?} is the text with U+FFFD");
                }
                draw(&cr, &t, "sans 10", Rgba::rgb(0xffffff), 0.0, 30, Some(100));
            }
        }
        assert!(markup_is_valid("<b>a\0</b>"));
        assert!(!markup_is_valid("<b>a\0"));
        assert_eq!(c_safe("plain"), Cow::Borrowed("plain"));
    }

    /// Found by chaos (the bar door's megabyte texts, seed 4 under heaptrack): a poll
    /// widget's 1 MB text was shaped whole on the event loop (about 0.6 s) and left
    /// harfbuzz holding 43 MiB.
    #[test]
    fn only_the_start_of_a_huge_text_is_shaped() {
        let cr = context();
        let huge = "wide ".repeat(200_000);
        let start: String = huge.chars().take(MAX_SHAPED).collect();
        assert_eq!(
            width(&cr, &Text::plain(huge.as_str()), "sans 10"),
            width(&cr, &Text::plain(start), "sans 10")
        );
        // Cut at a character boundary, whatever the characters.
        let accents = "é".repeat(MAX_SHAPED);
        let cut = c_safe(&accents);
        assert!(
            cut.len() <= MAX_SHAPED && cut.len() >= MAX_SHAPED - 1,
            "{}",
            cut.len()
        );
        assert!(cut.chars().all(|c| c == 'é'));
    }
}
