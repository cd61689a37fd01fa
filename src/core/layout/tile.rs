//! Tile (qtile's Tile): the first `main_count` windows stacked in a main column of width
//! `ratio` on the left, the rest stacked on the right. When every window fits in the main
//! area they share the full width.

use super::{Layout, LayoutMsg, Options};
use crate::core::geometry::Rect;

/// Smallest ratio the main column can have (configured or grown to).
pub const MIN_RATIO: f64 = 0.1;
/// Largest ratio the main column can have (configured or grown to).
pub const MAX_RATIO: f64 = 0.9;
/// Most windows the main column can hold (configured or increased to).
pub const MAX_MAIN: usize = 16;

/// Main column on the left with `main_count` windows, the rest on the right. Options:
/// `ratio` (0.618, 0.1..0.9), `change_ratio` (0.05, 0.01..0.5), `main_count` (1, 1..16).
#[derive(Debug, Clone)]
pub struct Tile {
    ratio: f64,
    default_ratio: f64,
    change_ratio: f64,
    main_count: usize,
    default_main_count: usize,
}

impl Default for Tile {
    fn default() -> Self {
        Tile {
            ratio: 0.618,
            default_ratio: 0.618,
            change_ratio: 0.05,
            main_count: 1,
            default_main_count: 1,
        }
    }
}

impl Tile {
    /// Build from config options (`ratio`, `change_ratio`, `main_count`).
    pub fn from_options(opts: &Options) -> Result<Self, String> {
        let ratio = opts.f64("ratio", 0.618, MIN_RATIO, MAX_RATIO)?;
        let change_ratio = opts.f64("change_ratio", 0.05, 0.01, 0.5)?;
        let main_count = opts.usize("main_count", 1, 1, MAX_MAIN)?;
        Ok(Tile {
            ratio,
            default_ratio: ratio,
            change_ratio,
            main_count,
            default_main_count: main_count,
        })
    }

    /// The current share of the main column.
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// How many windows the main column currently holds.
    pub fn main_count(&self) -> usize {
        self.main_count
    }
}

impl Layout for Tile {
    fn name(&self) -> &'static str {
        "tile"
    }

    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        let area = area.clamped();
        if n <= self.main_count {
            return area.split_rows(n);
        }
        let (main, rest) = area.split_at_ratio_h(self.ratio);
        let mut out = main.split_rows(self.main_count);
        out.extend(rest.split_rows(n - self.main_count));
        out
    }

    fn message(&mut self, msg: LayoutMsg) -> bool {
        let (ratio, main_count) = match msg {
            LayoutMsg::Grow => (
                (self.ratio + self.change_ratio).clamp(MIN_RATIO, MAX_RATIO),
                self.main_count,
            ),
            LayoutMsg::Shrink => (
                (self.ratio - self.change_ratio).clamp(MIN_RATIO, MAX_RATIO),
                self.main_count,
            ),
            LayoutMsg::IncMain => (self.ratio, (self.main_count + 1).min(MAX_MAIN)),
            LayoutMsg::DecMain => (self.ratio, self.main_count.saturating_sub(1).max(1)),
            LayoutMsg::Reset => (self.default_ratio, self.default_main_count),
        };
        let changed = ratio != self.ratio || main_count != self.main_count;
        self.ratio = ratio;
        self.main_count = main_count;
        changed
    }

    fn state(&self) -> serde_json::Value {
        serde_json::json!({ "ratio": self.ratio, "main_count": self.main_count })
    }

    fn restore_state(&mut self, state: &serde_json::Value) {
        if let Some(r) = state["ratio"].as_f64().filter(|r| r.is_finite()) {
            self.ratio = r.clamp(MIN_RATIO, MAX_RATIO);
        }
        if let Some(n) = state["main_count"].as_u64() {
            self.main_count = usize::try_from(n).unwrap_or(MAX_MAIN).clamp(1, MAX_MAIN);
        }
    }

    fn clone_box(&self) -> Box<dyn Layout> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    const AREA: Rect = Rect::new(0, 0, 1000, 800);

    fn tile(v: Value) -> Tile {
        super::super::from_json("tile", v, Tile::from_options)
    }

    #[test]
    fn arranges_one_to_five_windows() {
        let l = tile(json!({}));
        // 1000 * 0.618 = 618.
        assert!(l.arrange(0, None, AREA).is_empty());
        assert_eq!(l.arrange(1, None, AREA), vec![AREA]);
        assert_eq!(
            l.arrange(2, None, AREA),
            vec![Rect::new(0, 0, 618, 800), Rect::new(618, 0, 382, 800)]
        );
        assert_eq!(
            l.arrange(3, None, AREA),
            vec![
                Rect::new(0, 0, 618, 800),
                Rect::new(618, 0, 382, 400),
                Rect::new(618, 400, 382, 400),
            ]
        );
        assert_eq!(
            l.arrange(4, None, AREA),
            vec![
                Rect::new(0, 0, 618, 800),
                Rect::new(618, 0, 382, 266),
                Rect::new(618, 266, 382, 267),
                Rect::new(618, 533, 382, 267),
            ]
        );
        assert_eq!(
            l.arrange(5, None, AREA),
            vec![
                Rect::new(0, 0, 618, 800),
                Rect::new(618, 0, 382, 200),
                Rect::new(618, 200, 382, 200),
                Rect::new(618, 400, 382, 200),
                Rect::new(618, 600, 382, 200),
            ]
        );
    }

    #[test]
    fn several_main_windows_stack_in_the_main_column() {
        let l = tile(json!({"main_count": 2, "ratio": 0.5}));
        // n <= main_count: full width, stacked.
        assert_eq!(
            l.arrange(2, None, AREA),
            vec![Rect::new(0, 0, 1000, 400), Rect::new(0, 400, 1000, 400)]
        );
        assert_eq!(
            l.arrange(3, None, AREA),
            vec![
                Rect::new(0, 0, 500, 400),
                Rect::new(0, 400, 500, 400),
                Rect::new(500, 0, 500, 800),
            ]
        );
        assert_eq!(
            l.arrange(5, None, AREA),
            vec![
                Rect::new(0, 0, 500, 400),
                Rect::new(0, 400, 500, 400),
                Rect::new(500, 0, 500, 266),
                Rect::new(500, 266, 500, 267),
                Rect::new(500, 533, 500, 267),
            ]
        );
    }

    #[test]
    fn inc_and_dec_main_change_the_main_count_within_bounds() {
        let mut l = tile(json!({}));
        assert!(!l.message(LayoutMsg::DecMain), "never below one");
        assert_eq!(l.main_count(), 1);
        assert!(l.message(LayoutMsg::IncMain));
        assert_eq!(l.main_count(), 2);
        assert_eq!(l.arrange(3, None, AREA)[1], Rect::new(0, 400, 618, 400));
        assert!(l.message(LayoutMsg::DecMain));
        assert_eq!(l.main_count(), 1);

        let mut full = tile(json!({"main_count": 16}));
        assert!(!full.message(LayoutMsg::IncMain));
        assert_eq!(full.main_count(), MAX_MAIN);
    }

    #[test]
    fn grow_shrink_and_reset() {
        let mut l = tile(json!({"ratio": 0.5, "change_ratio": 0.1, "main_count": 2}));
        assert!(l.message(LayoutMsg::Grow));
        assert_eq!(l.arrange(3, None, AREA)[2], Rect::new(600, 0, 400, 800));
        assert!(l.message(LayoutMsg::Shrink));
        assert!(l.message(LayoutMsg::Shrink));
        assert_eq!(l.arrange(3, None, AREA)[2], Rect::new(400, 0, 600, 800));
        assert!(l.message(LayoutMsg::IncMain));
        assert!(l.message(LayoutMsg::Reset));
        assert_eq!((l.ratio(), l.main_count()), (0.5, 2));
        assert!(!l.message(LayoutMsg::Reset));

        let mut edge = tile(json!({"ratio": 0.9}));
        assert!(!edge.message(LayoutMsg::Grow));
        assert!(edge.message(LayoutMsg::Shrink));
    }

    #[test]
    fn options_are_checked() {
        let m: Map<String, Value> = match json!({"main_count": 0}) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let err = Tile::from_options(&Options::new("tile", &m)).unwrap_err();
        assert!(err.contains("main_count"), "{err}");
    }
}
