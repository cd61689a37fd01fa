//! Tile: every window takes the whole area; the focused one is stacked on top.

use super::{Layout, Options};
use crate::core::geometry::Rect;

/// Every window fills the area.
#[derive(Debug, Clone, Default)]
pub struct Tile;

impl Tile {
    /// Build from config options (Tile has none).
    pub fn from_options(_opts: &Options) -> Result<Self, String> {
        Ok(Tile)
    }
}

impl Layout for Tile {
    fn name(&self) -> &'static str {
        "tile"
    }

    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }

    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }
}
