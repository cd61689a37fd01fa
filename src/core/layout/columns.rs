//! Columns: every window takes the whole area; the focused one is stacked on top.

use super::{Layout, Options};
use crate::core::geometry::Rect;

/// Every window fills the area.
#[derive(Debug, Clone, Default)]
pub struct Columns;

impl Columns {
    /// Build from config options (Columns has none).
    pub fn from_options(_opts: &Options) -> Result<Self, String> {
        Ok(Columns)
    }
}

impl Layout for Columns {
    fn name(&self) -> &'static str {
        "columns"
    }

    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }

    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }
}
