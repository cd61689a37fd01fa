//! Layouts are functions: the visible tiled clients of a group and a screen area in, one
//! rectangle per client out. A layout keeps only its own parameters (ratios, counts), which
//! `LayoutMsg`s change; it never sees windows, X or Lua.

use std::fmt;

use serde_json::{Map, Value};

use super::geometry::Rect;

mod columns;
mod floating;
mod max;
mod monad;
mod tile;

pub use columns::Columns;
pub use floating::Floating;
pub use max::Max;
pub use monad::{MonadTall, MonadWide};
pub use tile::Tile;

/// A message to a layout from an action (`oxtile.lazy.grow()`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutMsg {
    /// Give the main area (or the focused column) more room.
    Grow,
    /// Give the main area (or the focused column) less room.
    Shrink,
    /// Put every parameter back to its configured value.
    Reset,
    /// One more window in the main area.
    IncMain,
    /// One fewer window in the main area.
    DecMain,
}

/// A tiling algorithm. Implementations are small, pure and unit-tested on their own.
pub trait Layout: fmt::Debug + Send {
    /// The name users write in the config and see in the bar, e.g. `"monadtall"`.
    fn name(&self) -> &'static str;

    /// Rectangles for `n` tiled clients inside `area`, in the group's window order.
    /// `focused` is the index of the focused client among them, if any. Must return exactly
    /// `n` rectangles, each inside `area`, and never panic (any `n`, any area, even 0×0).
    fn arrange(&self, n: usize, focused: Option<usize>, area: Rect) -> Vec<Rect>;

    /// Apply a message; returns true when the layout changed.
    fn message(&mut self, _msg: LayoutMsg) -> bool {
        false
    }

    /// What a restart keeps of the parameters messages changed (ratios, counts, widths),
    /// as JSON; `Null` for a layout without any.
    fn state(&self) -> Value {
        Value::Null
    }

    /// Take back what [`Layout::state`] gave, within the layout's bounds; anything it does
    /// not recognise is ignored (the file is written by an older or newer oxtile).
    fn restore_state(&mut self, _state: &Value) {}

    /// A fresh copy (each group owns its own instances).
    fn clone_box(&self) -> Box<dyn Layout>;

    /// True for the floating layout: clients keep their own geometry.
    fn is_floating(&self) -> bool {
        false
    }
}

impl Clone for Box<dyn Layout> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Every layout name `build` accepts.
pub const LAYOUT_NAMES: &[&str] = &[
    "columns",
    "monadtall",
    "monadwide",
    "max",
    "tile",
    "floating",
];

/// Build a layout from its name and options (from the Lua config). Unknown names and
/// unknown or ill-typed options are errors naming the culprit.
pub fn build(name: &str, options: &Map<String, Value>) -> Result<Box<dyn Layout>, String> {
    let opts = Options::new(name, options);
    let layout = make(name, &opts)?;
    opts.finish()?;
    Ok(layout)
}

/// The options layout `name` reads, in the order it reads them (for the docs and the test
/// that keeps them and config/oxtile.lua in step).
pub fn option_names(name: &str) -> Result<Vec<String>, String> {
    let none = Map::new();
    let opts = Options::new(name, &none);
    make(name, &opts)?;
    let seen = opts.seen.borrow();
    Ok(seen.iter().map(|s| s.to_string()).collect())
}

/// The layout `name` with the options in `opts` (unknown options are left to the caller).
fn make(name: &str, opts: &Options) -> Result<Box<dyn Layout>, String> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "columns" => Box::new(Columns::from_options(opts)?),
        "monadtall" => Box::new(MonadTall::from_options(opts)?),
        "monadwide" => Box::new(MonadWide::from_options(opts)?),
        "max" => Box::new(Max::from_options(opts)?),
        "tile" => Box::new(Tile::from_options(opts)?),
        "floating" => Box::new(Floating::from_options(opts)?),
        _ => {
            return Err(format!(
                "unknown layout '{name}' (known: {})",
                LAYOUT_NAMES.join(", ")
            ))
        }
    })
}

/// Test helper: build layout `name` with `make` from JSON options, failing the test on
/// an invalid or unknown option.
#[cfg(test)]
pub(crate) fn from_json<T>(
    name: &str,
    options: Value,
    make: impl Fn(&Options) -> Result<T, String>,
) -> T {
    let map = match options {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let o = Options::new(name, &map);
    let layout = make(&o).expect("valid options");
    o.finish().expect("no unknown options");
    layout
}

/// Typed access to a layout's options that remembers which ones were read, so that an
/// option nobody asked for is reported as unknown.
pub struct Options<'a> {
    layout: &'a str,
    map: &'a Map<String, Value>,
    seen: std::cell::RefCell<Vec<&'a str>>,
}

impl<'a> Options<'a> {
    /// Wrap the options given to layout `layout`.
    pub fn new(layout: &'a str, map: &'a Map<String, Value>) -> Self {
        Options {
            layout,
            map,
            seen: Default::default(),
        }
    }

    fn get(&self, key: &'static str) -> Option<&'a Value> {
        self.seen.borrow_mut().push(key);
        self.map.get(key)
    }

    /// A number in `min..=max`, or `default` when absent.
    pub fn f64(&self, key: &'static str, default: f64, min: f64, max: f64) -> Result<f64, String> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => match v.as_f64() {
                Some(x) if (min..=max).contains(&x) => Ok(x),
                Some(x) => Err(format!(
                    "layout {}: option '{key}' = {x} is out of range {min}..{max}",
                    self.layout
                )),
                None => Err(format!(
                    "layout {}: option '{key}' must be a number, got {v}",
                    self.layout
                )),
            },
        }
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub fn usize(
        &self,
        key: &'static str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, String> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => match v.as_u64() {
                Some(x) if (min as u64..=max as u64).contains(&x) => Ok(x as usize),
                _ => Err(format!(
                    "layout {}: option '{key}' must be a whole number in {min}..{max}, got {v}",
                    self.layout
                )),
            },
        }
    }

    /// A boolean, or `default` when absent.
    pub fn bool(&self, key: &'static str, default: bool) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(format!(
                "layout {}: option '{key}' must be true or false, got {v}",
                self.layout
            )),
        }
    }

    /// Error on the first option that no `f64`/`usize`/`bool` call asked for.
    pub fn finish(&self) -> Result<(), String> {
        let seen = self.seen.borrow();
        // "name" is how the Lua side says which layout this is; never an unknown option.
        match self
            .map
            .keys()
            .find(|k| k.as_str() != "name" && !seen.contains(&k.as_str()))
        {
            Some(k) => Err(format!("layout {}: unknown option '{k}'", self.layout)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn build_knows_every_listed_layout() {
        for name in LAYOUT_NAMES {
            let layout = build(name, &Map::new()).expect("listed layouts build");
            assert_eq!(layout.name(), *name);
            assert_eq!(layout.clone().name(), *name);
            assert_eq!(layout.is_floating(), *name == "floating");
        }
        assert_eq!(
            build("MonadTall", &Map::new()).map(|l| l.name()),
            Ok("monadtall")
        );
    }

    #[test]
    fn build_rejects_unknown_layouts_by_name() {
        let err = build("spiral", &Map::new()).unwrap_err();
        assert!(err.contains("'spiral'"), "{err}");
        assert!(err.contains("monadtall"), "lists the known ones: {err}");
    }

    #[test]
    fn build_rejects_unknown_options_by_name() {
        let err = build("monadtall", &map(json!({"ratoi": 0.5}))).unwrap_err();
        assert!(
            err.contains("monadtall") && err.contains("'ratoi'"),
            "{err}"
        );
        let err = build("max", &map(json!({"ratio": 0.5}))).unwrap_err();
        assert!(err.contains("max") && err.contains("'ratio'"), "{err}");
        // "name" is how the Lua side names the layout, never an unknown option.
        assert!(build("tile", &map(json!({"name": "tile", "main_count": 2}))).is_ok());
    }

    #[test]
    fn build_rejects_ill_typed_options() {
        let err = build("columns", &map(json!({"num_columns": "two"}))).unwrap_err();
        assert!(err.contains("num_columns"), "{err}");
        let err = build("tile", &map(json!({"ratio": 2.0}))).unwrap_err();
        assert!(err.contains("ratio"), "{err}");
    }

    fn any_area() -> impl Strategy<Value = Rect> {
        let pos = prop_oneof![-5_000i32..5_000, any::<i32>()];
        let len = prop_oneof![Just(0u32), 0u32..4_000, any::<u32>()];
        (pos.clone(), pos, len.clone(), len).prop_map(|(x, y, w, h)| Rect::new(x, y, w, h))
    }

    fn any_message() -> impl Strategy<Value = LayoutMsg> {
        prop_oneof![
            Just(LayoutMsg::Grow),
            Just(LayoutMsg::Shrink),
            Just(LayoutMsg::Reset),
            Just(LayoutMsg::IncMain),
            Just(LayoutMsg::DecMain),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn every_layout_returns_n_rects_inside_the_area(
            which in 0..LAYOUT_NAMES.len(),
            n in 0usize..40,
            focused in proptest::option::of(0usize..45),
            area in any_area(),
            msgs in proptest::collection::vec(any_message(), 0..30),
        ) {
            let name = LAYOUT_NAMES[which];
            let mut layout = build(name, &Map::new()).map_err(TestCaseError::fail)?;
            // Arrange once so that layouts that remember the focus (columns) have one.
            layout.arrange(n, focused, area);
            for msg in msgs {
                layout.message(msg);
            }
            let rects = layout.arrange(n, focused, area);
            prop_assert_eq!(rects.len(), n);
            if !layout.is_floating() {
                for r in &rects {
                    prop_assert!(area.contains_rect(r), "{name}: {r:?} not inside {area:?}");
                }
            }
            let tiling = !matches!(name, "max" | "floating");
            if tiling && area.w >= 200 && area.h >= 200 {
                for (i, a) in rects.iter().enumerate() {
                    for b in &rects[i + 1..] {
                        prop_assert!(!a.intersects(b), "{name}: {a:?} overlaps {b:?}");
                    }
                }
                // No gaps either: the rects cover the (representable part of the) area.
                if n > 0 {
                    let covered: u64 = rects.iter().map(Rect::area).sum();
                    prop_assert_eq!(covered, area.clamped().area(), "{} leaves gaps", name);
                }
            }
        }
    }
}
