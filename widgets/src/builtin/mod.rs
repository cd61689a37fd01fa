//! The built-in widgets, one small file each.

mod canvas;
mod clock;
mod currentlayout;
mod error;
mod groupbox;
mod sep;
mod spacer;
mod systray;
mod textbox;
mod windowname;

pub use canvas::{Canvas, DrawOp, COORD_LIMIT, MAX_OPS, MAX_TEXT};
pub use clock::Clock;
pub use currentlayout::CurrentLayout;
pub use error::{ErrorWidget, ERROR_RED};
pub use groupbox::GroupBox;
pub use sep::Sep;
pub use spacer::Spacer;
pub use systray::Systray;
pub use textbox::TextBox;
pub use windowname::WindowName;
