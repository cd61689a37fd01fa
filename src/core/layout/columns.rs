//! Columns (a simplified qtile Columns): up to `num_columns` side-by-side columns, windows
//! filling them in order and splitting each column's height evenly. Grow/Shrink change the
//! width of the column that held the focused window at the last arrangement.

use std::cell::Cell;

use super::{Layout, LayoutMsg, Options};
use crate::core::geometry::Rect;

/// Most columns the layout can be configured with.
pub const MAX_COLUMNS: usize = 10;
/// Width weight of a column nobody resized.
const DEFAULT_WEIGHT: u32 = 10;
/// How much one Grow/Shrink changes a column's weight (a tenth of the default width).
const WEIGHT_STEP: u32 = 1;
/// Narrowest a column can get, relative to [`DEFAULT_WEIGHT`].
const MIN_WEIGHT: u32 = 2;
/// Widest a column can get, relative to [`DEFAULT_WEIGHT`].
const MAX_WEIGHT: u32 = 50;

/// With `n` windows, `c = min(n, num_columns)` columns; each column gets `n / c` windows
/// and the last `n % c` columns one more. Options: `num_columns` (2, 1..10).
#[derive(Debug, Clone)]
pub struct Columns {
    num_columns: usize,
    /// Relative width of each column (index = column position), `DEFAULT_WEIGHT` each.
    weights: Vec<u32>,
    /// The column of the focused window at the last `arrange`, and how many columns there
    /// were: what Grow/Shrink act on (messages do not carry the focus).
    focus: Cell<Option<(usize, usize)>>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns::with_columns(2)
    }
}

impl Columns {
    /// Build from config options (`num_columns`).
    pub fn from_options(opts: &Options) -> Result<Self, String> {
        let num_columns = opts.usize("num_columns", 2, 1, MAX_COLUMNS)?;
        Ok(Columns::with_columns(num_columns))
    }

    /// A layout with `num_columns` equal columns (clamped to `1..=MAX_COLUMNS`).
    pub fn with_columns(num_columns: usize) -> Self {
        let num_columns = num_columns.clamp(1, MAX_COLUMNS);
        Columns {
            num_columns,
            weights: vec![DEFAULT_WEIGHT; num_columns],
            focus: Cell::new(None),
        }
    }

    /// How many windows go in each column, for `n` windows.
    fn column_sizes(&self, n: usize) -> Vec<usize> {
        let c = n.min(self.num_columns);
        if c == 0 {
            return Vec::new();
        }
        let (base, extra) = (n / c, n % c);
        (0..c).map(|i| base + usize::from(i >= c - extra)).collect()
    }

    /// Widen (`grow`) or narrow the focused column by one step; false when nothing changed.
    fn resize_focused(&mut self, grow: bool) -> bool {
        let Some((col, count)) = self.focus.get() else {
            return false;
        };
        if count < 2 {
            return false;
        }
        let Some(w) = self.weights.get_mut(col) else {
            return false;
        };
        let new = if grow {
            (*w + WEIGHT_STEP).min(MAX_WEIGHT)
        } else {
            w.saturating_sub(WEIGHT_STEP).max(MIN_WEIGHT)
        };
        let changed = new != *w;
        *w = new;
        changed
    }
}

impl Layout for Columns {
    fn name(&self) -> &'static str {
        "columns"
    }

    fn arrange(&self, n: usize, focused: Option<usize>, area: Rect) -> Vec<Rect> {
        let area = area.clamped();
        let sizes = self.column_sizes(n);
        // `sizes.len() <= num_columns == weights.len()`; fall back to equal widths anyway.
        let equal;
        let weights = match self.weights.get(..sizes.len()) {
            Some(w) => w,
            None => {
                equal = vec![DEFAULT_WEIGHT; sizes.len()];
                &equal
            }
        };
        let columns = area.split_columns_weighted(weights);
        let mut out = Vec::with_capacity(n);
        let mut focus = None;
        for (col, (rect, &count)) in columns.iter().zip(&sizes).enumerate() {
            if let Some(f) = focused {
                if (out.len()..out.len() + count).contains(&f) {
                    focus = Some((col, sizes.len()));
                }
            }
            out.extend(rect.split_rows(count));
        }
        self.focus.set(focus);
        out
    }

    fn message(&mut self, msg: LayoutMsg) -> bool {
        match msg {
            LayoutMsg::Grow => self.resize_focused(true),
            LayoutMsg::Shrink => self.resize_focused(false),
            LayoutMsg::Reset => {
                let changed = self.weights.iter().any(|&w| w != DEFAULT_WEIGHT);
                self.weights.fill(DEFAULT_WEIGHT);
                changed
            }
            LayoutMsg::IncMain | LayoutMsg::DecMain => false,
        }
    }

    fn state(&self) -> serde_json::Value {
        serde_json::json!({ "weights": self.weights })
    }

    fn restore_state(&mut self, state: &serde_json::Value) {
        let Some(saved) = state["weights"].as_array() else {
            return;
        };
        for (w, s) in self.weights.iter_mut().zip(saved) {
            if let Some(s) = s.as_u64() {
                *w = u32::try_from(s)
                    .unwrap_or(MAX_WEIGHT)
                    .clamp(MIN_WEIGHT, MAX_WEIGHT);
            }
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

    fn columns(v: Value) -> Columns {
        super::super::from_json("columns", v, Columns::from_options)
    }

    #[test]
    fn two_columns_with_one_to_five_windows() {
        let l = columns(json!({}));
        assert!(l.arrange(0, None, AREA).is_empty());
        assert_eq!(l.arrange(1, None, AREA), vec![AREA]);
        assert_eq!(
            l.arrange(2, None, AREA),
            vec![Rect::new(0, 0, 500, 800), Rect::new(500, 0, 500, 800)]
        );
        // 3 windows: 1 + 2 (the last column gets the extra one).
        assert_eq!(
            l.arrange(3, None, AREA),
            vec![
                Rect::new(0, 0, 500, 800),
                Rect::new(500, 0, 500, 400),
                Rect::new(500, 400, 500, 400),
            ]
        );
        assert_eq!(
            l.arrange(4, None, AREA),
            vec![
                Rect::new(0, 0, 500, 400),
                Rect::new(0, 400, 500, 400),
                Rect::new(500, 0, 500, 400),
                Rect::new(500, 400, 500, 400),
            ]
        );
        // 5 windows: 2 + 3; 800 / 3 = 266 rem 2.
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
    fn three_columns_fill_in_order() {
        let l = columns(json!({"num_columns": 3}));
        assert_eq!(
            l.arrange(2, None, AREA),
            vec![Rect::new(0, 0, 500, 800), Rect::new(500, 0, 500, 800)]
        );
        // 1000 / 3 = 333 rem 1: the last column is one pixel wider.
        assert_eq!(
            l.arrange(3, None, AREA),
            vec![
                Rect::new(0, 0, 333, 800),
                Rect::new(333, 0, 333, 800),
                Rect::new(666, 0, 334, 800),
            ]
        );
        // 5 windows in 3 columns: 1 + 2 + 2.
        assert_eq!(
            l.arrange(5, None, AREA),
            vec![
                Rect::new(0, 0, 333, 800),
                Rect::new(333, 0, 333, 400),
                Rect::new(333, 400, 333, 400),
                Rect::new(666, 0, 334, 400),
                Rect::new(666, 400, 334, 400),
            ]
        );
    }

    #[test]
    fn one_column_stacks_everything() {
        let mut l = columns(json!({"num_columns": 1}));
        assert_eq!(l.arrange(2, Some(0), AREA)[1], Rect::new(0, 400, 1000, 400));
        assert!(!l.message(LayoutMsg::Grow), "a single column cannot grow");
    }

    #[test]
    fn grow_widens_the_focused_column() {
        let mut l = columns(json!({}));
        l.arrange(3, Some(2), AREA);
        assert!(l.message(LayoutMsg::Grow));
        assert!(l.message(LayoutMsg::Grow));
        // Weights 10 : 12 -> 1000 * 10 / 22 = 454, 1000 * 12 / 22 = 545, +1 to the last.
        let r = l.arrange(3, Some(2), AREA);
        assert_eq!(r[0], Rect::new(0, 0, 454, 800));
        assert_eq!(r[1], Rect::new(454, 0, 546, 400));
        assert!(l.message(LayoutMsg::Shrink));
        assert!(l.message(LayoutMsg::Shrink));
        assert_eq!(l.arrange(3, Some(0), AREA)[0], Rect::new(0, 0, 500, 800));
        // Now the left column is focused: shrinking it narrows it.
        assert!(l.message(LayoutMsg::Shrink));
        assert_eq!(l.arrange(3, Some(0), AREA)[0], Rect::new(0, 0, 473, 800));
    }

    #[test]
    fn resizing_is_bounded_and_needs_a_focus() {
        let mut l = columns(json!({}));
        assert!(
            !l.message(LayoutMsg::Grow),
            "never arranged: no focused column"
        );
        l.arrange(2, None, AREA);
        assert!(!l.message(LayoutMsg::Grow), "no focused window");
        l.arrange(1, Some(0), AREA);
        assert!(!l.message(LayoutMsg::Grow), "only one column shown");
        l.arrange(2, Some(0), AREA);
        let mut shrinks = 0;
        while l.message(LayoutMsg::Shrink) {
            shrinks += 1;
        }
        assert_eq!(shrinks, (DEFAULT_WEIGHT - MIN_WEIGHT) as usize);
        // 1000 * 2 / 12 = 166.
        assert_eq!(l.arrange(2, Some(0), AREA)[0].w, 166);
        let mut grows = 0;
        while l.message(LayoutMsg::Grow) {
            grows += 1;
        }
        assert_eq!(grows, (MAX_WEIGHT - MIN_WEIGHT) as usize);
    }

    #[test]
    fn reset_equalizes_and_main_messages_are_ignored() {
        let mut l = columns(json!({}));
        assert!(!l.message(LayoutMsg::Reset));
        l.arrange(2, Some(1), AREA);
        assert!(l.message(LayoutMsg::Grow));
        assert!(l.message(LayoutMsg::Reset));
        assert_eq!(l.arrange(2, None, AREA)[0], Rect::new(0, 0, 500, 800));
        assert!(!l.message(LayoutMsg::IncMain));
        assert!(!l.message(LayoutMsg::DecMain));
    }

    #[test]
    fn options_are_checked() {
        let m: Map<String, Value> = match json!({"num_columns": 11}) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let err = Columns::from_options(&Options::new("columns", &m)).unwrap_err();
        assert!(err.contains("num_columns"), "{err}");
    }
}
