//! `oxtile-widgets`: the bar's widgets, drawn with cairo and pango and knowing nothing of
//! X. A widget measures itself, draws onto a cairo context, says when it next needs
//! waking, and takes clicks; what it needs from the window manager arrives as data.
//!
//! The bar and its widgets are being built (see docs/HACKING.md); this crate is where they
//! live so that they can be unit-tested by rendering to an image surface.
