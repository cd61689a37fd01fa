//! Floating: the layout that does not tile. Clients keep the geometry the core stores for
//! them; `arrange` only answers with the whole area so that callers get one rect per client.

use super::{Layout, Options};
use crate::core::geometry::Rect;

/// No tiling: every client floats where it is.
#[derive(Debug, Clone, Default)]
pub struct Floating;

impl Floating {
    /// Build from config options (Floating has none).
    pub fn from_options(_opts: &Options) -> Result<Self, String> {
        Ok(Floating)
    }
}

impl Layout for Floating {
    fn name(&self) -> &'static str {
        "floating"
    }

    /// The whole area once per client; the core ignores it and uses each client's own
    /// floating geometry.
    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }

    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }

    fn is_floating(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::layout::LayoutMsg;

    #[test]
    fn floats_and_answers_the_area_per_client() {
        let mut l = Floating;
        assert!(l.is_floating());
        let area = Rect::new(0, 0, 1000, 800);
        for n in 0..=5 {
            assert_eq!(l.arrange(n, None, area), vec![area; n]);
        }
        assert!(!l.message(LayoutMsg::Grow));
        assert!(!l.message(LayoutMsg::Reset));
        assert_eq!(l.clone_box().name(), "floating");
    }
}
