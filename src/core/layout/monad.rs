//! MonadTall and MonadWide (xmonad's Tall and Mirror Tall, as in qtile): one main window
//! takes `ratio` of the area, the others share the rest evenly. MonadTall puts the main
//! window on the left, MonadWide on top.

use super::{Layout, LayoutMsg, Options};
use crate::core::geometry::Rect;

/// Smallest ratio the main area can have (configured or grown to).
pub const MIN_RATIO: f64 = 0.1;
/// Largest ratio the main area can have (configured or grown to).
pub const MAX_RATIO: f64 = 0.9;

/// Parameters shared by both orientations.
#[derive(Debug, Clone, PartialEq)]
struct Params {
    /// Current share of the main window.
    ratio: f64,
    /// The configured share, restored by `Reset`.
    default_ratio: f64,
    /// How much `Grow`/`Shrink` change the ratio.
    change_ratio: f64,
}

impl Params {
    fn from_options(opts: &Options) -> Result<Self, String> {
        let ratio = opts.f64("ratio", 0.5, MIN_RATIO, MAX_RATIO)?;
        let change_ratio = opts.f64("change_ratio", 0.05, 0.01, 0.5)?;
        Ok(Params {
            ratio,
            default_ratio: ratio,
            change_ratio,
        })
    }

    fn message(&mut self, msg: LayoutMsg) -> bool {
        let new = match msg {
            LayoutMsg::Grow => (self.ratio + self.change_ratio).clamp(MIN_RATIO, MAX_RATIO),
            LayoutMsg::Shrink => (self.ratio - self.change_ratio).clamp(MIN_RATIO, MAX_RATIO),
            LayoutMsg::Reset => self.default_ratio,
            LayoutMsg::IncMain | LayoutMsg::DecMain => return false,
        };
        let changed = new != self.ratio;
        self.ratio = new;
        changed
    }
}

impl Params {
    fn state(&self) -> serde_json::Value {
        serde_json::json!({ "ratio": self.ratio })
    }

    fn restore_state(&mut self, state: &serde_json::Value) {
        if let Some(r) = state["ratio"].as_f64().filter(|r| r.is_finite()) {
            self.ratio = r.clamp(MIN_RATIO, MAX_RATIO);
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        Params {
            ratio: 0.5,
            default_ratio: 0.5,
            change_ratio: 0.05,
        }
    }
}

/// Main window on the left, taking `ratio` of the width; the others in evenly sized rows on
/// the right. Options: `ratio` (0.5, 0.1..0.9), `change_ratio` (0.05, 0.01..0.5).
#[derive(Debug, Clone, Default)]
pub struct MonadTall {
    params: Params,
}

/// Main window on top, taking `ratio` of the height; the others side by side below.
/// Options as for [`MonadTall`].
#[derive(Debug, Clone, Default)]
pub struct MonadWide {
    params: Params,
}

impl MonadTall {
    /// Build from config options (`ratio`, `change_ratio`).
    pub fn from_options(opts: &Options) -> Result<Self, String> {
        Ok(MonadTall {
            params: Params::from_options(opts)?,
        })
    }

    /// The current share of the main window.
    pub fn ratio(&self) -> f64 {
        self.params.ratio
    }
}

impl MonadWide {
    /// Build from config options (`ratio`, `change_ratio`).
    pub fn from_options(opts: &Options) -> Result<Self, String> {
        Ok(MonadWide {
            params: Params::from_options(opts)?,
        })
    }

    /// The current share of the main window.
    pub fn ratio(&self) -> f64 {
        self.params.ratio
    }
}

impl Layout for MonadTall {
    fn name(&self) -> &'static str {
        "monadtall"
    }

    fn arrange(&self, n: usize, _focused: Option<usize>, area: Rect) -> Vec<Rect> {
        let area = area.clamped();
        if n <= 1 {
            return vec![area; n];
        }
        let (main, rest) = area.split_at_ratio_h(self.params.ratio);
        let mut out = Vec::with_capacity(n);
        out.push(main);
        out.extend(rest.split_rows(n - 1));
        out
    }

    fn message(&mut self, msg: LayoutMsg) -> bool {
        self.params.message(msg)
    }

    fn state(&self) -> serde_json::Value {
        self.params.state()
    }

    fn restore_state(&mut self, state: &serde_json::Value) {
        self.params.restore_state(state);
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
        let area = area.clamped();
        if n <= 1 {
            return vec![area; n];
        }
        let (main, rest) = area.split_at_ratio_v(self.params.ratio);
        let mut out = Vec::with_capacity(n);
        out.push(main);
        out.extend(rest.split_columns(n - 1));
        out
    }

    fn message(&mut self, msg: LayoutMsg) -> bool {
        self.params.message(msg)
    }

    fn state(&self) -> serde_json::Value {
        self.params.state()
    }

    fn restore_state(&mut self, state: &serde_json::Value) {
        self.params.restore_state(state);
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

    fn opts(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn tall(v: Value) -> MonadTall {
        super::super::from_json("monadtall", v, MonadTall::from_options)
    }

    fn wide(v: Value) -> MonadWide {
        super::super::from_json("monadwide", v, MonadWide::from_options)
    }

    #[test]
    fn tall_arranges_one_to_five_windows() {
        let l = tall(json!({}));
        assert!(l.arrange(0, None, AREA).is_empty());
        assert_eq!(l.arrange(1, Some(0), AREA), vec![AREA]);
        assert_eq!(
            l.arrange(2, Some(0), AREA),
            vec![Rect::new(0, 0, 500, 800), Rect::new(500, 0, 500, 800)]
        );
        assert_eq!(
            l.arrange(3, Some(1), AREA),
            vec![
                Rect::new(0, 0, 500, 800),
                Rect::new(500, 0, 500, 400),
                Rect::new(500, 400, 500, 400),
            ]
        );
        // 800 / 3 = 266 rem 2: the last two rows get the extra pixels.
        assert_eq!(
            l.arrange(4, None, AREA),
            vec![
                Rect::new(0, 0, 500, 800),
                Rect::new(500, 0, 500, 266),
                Rect::new(500, 266, 500, 267),
                Rect::new(500, 533, 500, 267),
            ]
        );
        assert_eq!(
            l.arrange(5, None, AREA),
            vec![
                Rect::new(0, 0, 500, 800),
                Rect::new(500, 0, 500, 200),
                Rect::new(500, 200, 500, 200),
                Rect::new(500, 400, 500, 200),
                Rect::new(500, 600, 500, 200),
            ]
        );
    }

    #[test]
    fn tall_respects_the_area_origin_and_ratio() {
        let l = tall(json!({"ratio": 0.6}));
        let area = Rect::new(100, 20, 1000, 800);
        assert_eq!(
            l.arrange(3, None, area),
            vec![
                Rect::new(100, 20, 600, 800),
                Rect::new(700, 20, 400, 400),
                Rect::new(700, 420, 400, 400),
            ]
        );
    }

    #[test]
    fn wide_arranges_one_to_five_windows() {
        let l = wide(json!({}));
        assert!(l.arrange(0, None, AREA).is_empty());
        assert_eq!(l.arrange(1, None, AREA), vec![AREA]);
        assert_eq!(
            l.arrange(2, None, AREA),
            vec![Rect::new(0, 0, 1000, 400), Rect::new(0, 400, 1000, 400)]
        );
        assert_eq!(
            l.arrange(3, None, AREA),
            vec![
                Rect::new(0, 0, 1000, 400),
                Rect::new(0, 400, 500, 400),
                Rect::new(500, 400, 500, 400),
            ]
        );
        // 1000 / 3 = 333 rem 1: the last column gets the extra pixel.
        assert_eq!(
            l.arrange(4, None, AREA),
            vec![
                Rect::new(0, 0, 1000, 400),
                Rect::new(0, 400, 333, 400),
                Rect::new(333, 400, 333, 400),
                Rect::new(666, 400, 334, 400),
            ]
        );
        assert_eq!(
            l.arrange(5, None, AREA),
            vec![
                Rect::new(0, 0, 1000, 400),
                Rect::new(0, 400, 250, 400),
                Rect::new(250, 400, 250, 400),
                Rect::new(500, 400, 250, 400),
                Rect::new(750, 400, 250, 400),
            ]
        );
    }

    #[test]
    fn grow_shrink_and_reset_change_the_ratio() {
        let mut l = tall(json!({"ratio": 0.6, "change_ratio": 0.1}));
        assert!(l.message(LayoutMsg::Grow));
        assert!((l.ratio() - 0.7).abs() < 1e-9);
        assert_eq!(l.arrange(2, None, AREA)[0], Rect::new(0, 0, 700, 800));
        assert!(l.message(LayoutMsg::Shrink));
        assert!(l.message(LayoutMsg::Shrink));
        assert_eq!(l.arrange(2, None, AREA)[0], Rect::new(0, 0, 500, 800));
        assert!(l.message(LayoutMsg::Reset));
        assert_eq!(l.ratio(), 0.6);
        assert!(
            !l.message(LayoutMsg::Reset),
            "already at the configured ratio"
        );
    }

    #[test]
    fn ratio_is_clamped_and_clamping_reports_no_change() {
        let mut l = tall(json!({"ratio": 0.85}));
        assert!(l.message(LayoutMsg::Grow));
        assert_eq!(l.ratio(), MAX_RATIO);
        assert!(!l.message(LayoutMsg::Grow));
        assert_eq!(l.ratio(), MAX_RATIO);

        let mut w = wide(json!({"ratio": 0.1}));
        assert!(!w.message(LayoutMsg::Shrink));
        assert_eq!(w.ratio(), MIN_RATIO);
        assert!(w.message(LayoutMsg::Grow));
        assert_eq!(w.arrange(2, None, AREA)[0], Rect::new(0, 0, 1000, 120));
    }

    #[test]
    fn main_count_messages_are_not_understood() {
        let mut l = tall(json!({}));
        assert!(!l.message(LayoutMsg::IncMain));
        assert!(!l.message(LayoutMsg::DecMain));
        let mut w = wide(json!({}));
        assert!(!w.message(LayoutMsg::IncMain));
        assert!(!w.message(LayoutMsg::DecMain));
    }

    #[test]
    fn options_are_checked() {
        let m = opts(json!({"ratio": 0.95}));
        let err = MonadTall::from_options(&Options::new("monadtall", &m)).unwrap_err();
        assert!(err.contains("ratio"), "{err}");
        let m = opts(json!({"change_ratio": "big"}));
        let err = MonadWide::from_options(&Options::new("monadwide", &m)).unwrap_err();
        assert!(err.contains("change_ratio"), "{err}");
    }
}
