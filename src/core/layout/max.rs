//! Max: every window takes the whole area; the focused one is stacked on top.

use super::{Layout, Options};
use crate::core::geometry::Rect;

/// Every window fills the area.
#[derive(Debug, Clone, Default)]
pub struct Max;

impl Max {
    /// Build from config options (Max has none).
    pub fn from_options(_opts: &Options) -> Result<Self, String> {
        Ok(Max)
    }
}

impl Layout for Max {
    fn name(&self) -> &'static str {
        "max"
    }

    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }

    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }
}
