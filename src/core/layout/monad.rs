//! MonadTall and MonadWide (stub: to be written).

use super::{Layout, Options};
use crate::core::geometry::Rect;

/// Stub.
#[derive(Debug, Clone, Default)]
pub struct MonadTall;
/// Stub.
#[derive(Debug, Clone, Default)]
pub struct MonadWide;

impl MonadTall {
    /// Build from config options.
    pub fn from_options(_opts: &Options) -> Result<Self, String> {
        Ok(MonadTall)
    }
}
impl MonadWide {
    /// Build from config options.
    pub fn from_options(_opts: &Options) -> Result<Self, String> {
        Ok(MonadWide)
    }
}
impl Layout for MonadTall {
    fn name(&self) -> &'static str {
        "monadtall"
    }
    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }
    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }
}
impl Layout for MonadWide {
    fn name(&self) -> &'static str {
        "monadwide"
    }
    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }
    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }
}
