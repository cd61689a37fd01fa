//! The built-in widgets, one small file each.

mod error;
mod sep;
mod spacer;
mod textbox;

pub use error::{ErrorWidget, ERROR_RED};
pub use sep::Sep;
pub use spacer::Spacer;
pub use textbox::TextBox;
