//! `oxtile-widgets`: the bar's widgets, drawn with cairo and pango and knowing nothing of
//! X. A widget measures itself, draws onto a cairo context, says when it next needs
//! waking, and answers clicks with requests; what it needs from the window manager arrives
//! as plain data ([`WmData`]). Every widget can therefore be rendered to an image surface in
//! a unit test ([`testing`]).
//!
//! Start with [`Widget`]; widgets are built from Lua options by [`registry::build`].

pub mod builtin;
pub mod calendar;
pub mod containers;
#[doc(hidden)]
pub mod fuzzing;
pub mod process;
pub mod prompt;
pub mod registry;
pub mod style;
pub mod testing;
pub mod text;
mod widget;
pub mod zone;

pub use style::{Options, Rgba, Style};
pub use widget::{
    Button, Click, DrawCx, GroupInfo, Length, Request, Waker, Widget, WidgetError, WmData,
};
