//! Canvas: replays a list of drawing operations it is given (what Lua `custom` widgets
//! draw with). Operations are checked when set: non-finite numbers are dropped, huge ones
//! clamped, and everything is clipped to the widget, so no list can break the bar.
//!
//! Options: `width` (pixels; default 100).
//!
//! Replay starts with the foreground colour, line width 1 and an empty path; see
//! [`DrawOp`] for each operation, [`DrawOp::from_json`] for the table form Lua gives.

use serde_json::{json, Value};

use crate::style::{Options, Rgba};
use crate::text::{self, Text};
use crate::widget::{DrawCx, Length, Widget, WidgetError};

/// Coordinates beyond this (in pixels, either sign) are clamped: far outside any bar,
/// small enough for cairo's fixed-point numbers.
pub const COORD_LIMIT: f64 = 100_000.0;
/// Operations past this many are dropped.
pub const MAX_OPS: usize = 10_000;
/// Text longer than this many characters is cut.
pub const MAX_TEXT: usize = 1_000;
const MAX_LINE_WIDTH: f64 = 1_000.0;

/// One drawing operation; x grows rightwards from the widget's left edge, y downwards
/// from the bar's top edge, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum DrawOp {
    /// Erase everything drawn so far back to the widget's background.
    Clear,
    /// The colour of the next fills, strokes and texts.
    Color(Rgba),
    /// The width of the next strokes.
    LineWidth(f64),
    /// Add a rectangle to the path (fill or stroke it next).
    Rectangle {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
    /// Start a new sub-path at (x, y).
    MoveTo {
        /// X.
        x: f64,
        /// Y.
        y: f64,
    },
    /// Add a line to (x, y) to the path.
    LineTo {
        /// X.
        x: f64,
        /// Y.
        y: f64,
    },
    /// Add a circular arc around (x, y) to the path, clockwise from `angle1` to `angle2`
    /// (radians, 0 pointing right); a full circle is 0 to 2π.
    Arc {
        /// Centre x.
        x: f64,
        /// Centre y.
        y: f64,
        /// Radius.
        radius: f64,
        /// Start angle.
        angle1: f64,
        /// End angle.
        angle2: f64,
    },
    /// Fill the path with the colour, then clear the path.
    Fill,
    /// Stroke the path with the colour and line width, then clear the path.
    Stroke,
    /// Text (Pango markup, shown plain if it does not parse) at `x` in the widget's font
    /// and the current colour, vertically centred; clears the path.
    Text {
        /// Left edge of the text.
        x: f64,
        /// The text.
        text: String,
    },
}

impl DrawOp {
    /// An operation from its table form, as Lua gives it through JSON: `{op = "color",
    /// color = "#rrggbb"}`, `{op = "line_width", width = 2}`, `{op = "rectangle", x, y, w,
    /// h}`, `{op = "move_to", x, y}`, `{op = "line_to", x, y}`, `{op = "arc", x, y,
    /// radius, angle1, angle2}`, `{op = "fill"}`, `{op = "stroke"}`, `{op = "text", x,
    /// text}`, `{op = "clear"}`.
    pub fn from_json(v: &Value) -> Result<DrawOp, String> {
        let op = v
            .get("op")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("a drawing operation needs op = \"name\", got {v}"))?;
        let num = |key: &str| {
            v.get(key)
                .and_then(Value::as_f64)
                .ok_or_else(|| format!("drawing operation '{op}' needs a number '{key}'"))
        };
        Ok(match op {
            "clear" => DrawOp::Clear,
            "fill" => DrawOp::Fill,
            "stroke" => DrawOp::Stroke,
            "color" => {
                let c = v.get("color").and_then(Value::as_str).unwrap_or("");
                DrawOp::Color(Rgba::parse(c).ok_or_else(|| {
                    format!("drawing operation 'color' needs color = \"#rrggbb\", got {v}")
                })?)
            }
            "line_width" => DrawOp::LineWidth(num("width")?),
            "rectangle" => DrawOp::Rectangle {
                x: num("x")?,
                y: num("y")?,
                w: num("w")?,
                h: num("h")?,
            },
            "move_to" => DrawOp::MoveTo {
                x: num("x")?,
                y: num("y")?,
            },
            "line_to" => DrawOp::LineTo {
                x: num("x")?,
                y: num("y")?,
            },
            "arc" => DrawOp::Arc {
                x: num("x")?,
                y: num("y")?,
                radius: num("radius")?,
                angle1: num("angle1")?,
                angle2: num("angle2")?,
            },
            "text" => DrawOp::Text {
                x: num("x")?,
                text: v
                    .get("text")
                    .and_then(Value::as_str)
                    .ok_or_else(|| "drawing operation 'text' needs a string 'text'".to_string())?
                    .to_string(),
            },
            _ => {
                return Err(format!(
                    "unknown drawing operation '{op}' (known: clear, color, line_width, \
                     rectangle, move_to, line_to, arc, fill, stroke, text)"
                ))
            }
        })
    }

    /// A list of operations from a JSON array of tables.
    pub fn list_from_json(v: &Value) -> Result<Vec<DrawOp>, String> {
        v.as_array()
            .ok_or_else(|| format!("drawing operations must be a list, got {v}"))?
            .iter()
            .map(DrawOp::from_json)
            .collect()
    }

    /// The operation made safe to replay, or None when it cannot be (a NaN or infinite
    /// number).
    fn sanitized(self) -> Option<DrawOp> {
        let c = |v: f64| v.is_finite().then(|| v.clamp(-COORD_LIMIT, COORD_LIMIT));
        Some(match self {
            DrawOp::Color(rgba) => {
                let ch = |v: f64| v.is_finite().then(|| v.clamp(0.0, 1.0));
                DrawOp::Color(Rgba {
                    r: ch(rgba.r)?,
                    g: ch(rgba.g)?,
                    b: ch(rgba.b)?,
                    a: ch(rgba.a)?,
                })
            }
            DrawOp::LineWidth(w) => {
                DrawOp::LineWidth(w.is_finite().then(|| w.clamp(0.0, MAX_LINE_WIDTH))?)
            }
            DrawOp::Rectangle { x, y, w, h } => DrawOp::Rectangle {
                x: c(x)?,
                y: c(y)?,
                w: c(w)?,
                h: c(h)?,
            },
            DrawOp::MoveTo { x, y } => DrawOp::MoveTo { x: c(x)?, y: c(y)? },
            DrawOp::LineTo { x, y } => DrawOp::LineTo { x: c(x)?, y: c(y)? },
            DrawOp::Arc {
                x,
                y,
                radius,
                angle1,
                angle2,
            } => {
                if !(angle1.is_finite() && angle2.is_finite()) {
                    return None;
                }
                // Keep angles small (cairo turns a huge sweep into that many segments)
                // and the sweep within one turn, its visible effect.
                let tau = std::f64::consts::TAU;
                let start = angle1.rem_euclid(tau);
                let sweep = (angle2 - angle1).clamp(-tau, tau);
                DrawOp::Arc {
                    x: c(x)?,
                    y: c(y)?,
                    radius: c(radius)?.abs(),
                    angle1: start,
                    angle2: start + sweep,
                }
            }
            DrawOp::Text { x, text } => DrawOp::Text {
                x: c(x)?,
                text: if text.chars().count() > MAX_TEXT {
                    text.chars().take(MAX_TEXT).collect()
                } else {
                    text
                },
            },
            op @ (DrawOp::Clear | DrawOp::Fill | DrawOp::Stroke) => op,
        })
    }
}

/// A widget drawing what it is told.
#[derive(Debug, Clone)]
pub struct Canvas {
    width: u32,
    ops: Vec<DrawOp>,
    /// Operations refused by the last `set_ops` (non-finite numbers, past [`MAX_OPS`]).
    dropped: usize,
    /// Why the last operations from Lua could not be read (shown as the error widget).
    error: Option<String>,
}

impl Canvas {
    /// An empty canvas `width` pixels wide.
    pub fn new(width: u32) -> Self {
        Canvas {
            width,
            ops: Vec::new(),
            error: None,
            dropped: 0,
        }
    }

    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        Ok(Canvas::new(o.uint("width", 100, 0, 10_000)?))
    }

    /// Replace the operations; true when they differ from the current ones (a redraw is
    /// needed). Unusable operations are dropped (counted in `state()`), never an error.
    pub fn set_ops(&mut self, ops: Vec<DrawOp>) -> bool {
        let total = ops.len();
        let ops: Vec<DrawOp> = ops
            .into_iter()
            .take(MAX_OPS)
            .filter_map(DrawOp::sanitized)
            .collect();
        self.dropped = total - ops.len();
        if ops == self.ops {
            return false;
        }
        self.ops = ops;
        true
    }

    /// The operations it replays (after checking).
    pub fn ops(&self) -> &[DrawOp] {
        &self.ops
    }

    fn replay(&self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), cairo::Error> {
        cr.rectangle(0.0, 0.0, cx.width as f64, cx.height as f64);
        cr.clip();
        cr.new_path();
        cr.set_line_width(1.0);
        let mut color = cx.style.foreground;
        color.set_source(cr);
        for op in &self.ops {
            match op {
                DrawOp::Clear => {
                    cx.style.background.set_source(cr);
                    cr.set_operator(cairo::Operator::Source);
                    cr.paint()?;
                    cr.set_operator(cairo::Operator::Over);
                    color.set_source(cr);
                }
                DrawOp::Color(c) => {
                    color = *c;
                    color.set_source(cr);
                }
                DrawOp::LineWidth(w) => cr.set_line_width(*w),
                DrawOp::Rectangle { x, y, w, h } => cr.rectangle(*x, *y, *w, *h),
                DrawOp::MoveTo { x, y } => cr.move_to(*x, *y),
                DrawOp::LineTo { x, y } => cr.line_to(*x, *y),
                DrawOp::Arc {
                    x,
                    y,
                    radius,
                    angle1,
                    angle2,
                } => {
                    if angle2 >= angle1 {
                        cr.arc(*x, *y, *radius, *angle1, *angle2)
                    } else {
                        cr.arc_negative(*x, *y, *radius, *angle1, *angle2)
                    }
                }
                DrawOp::Fill => cr.fill()?,
                DrawOp::Stroke => cr.stroke()?,
                DrawOp::Text { x, text } => {
                    cr.new_path();
                    text::draw(
                        cr,
                        &Text::markup(text.as_str()),
                        &cx.style.font,
                        color,
                        *x,
                        cx.height,
                        None,
                    );
                    cr.new_path();
                }
            }
        }
        cr.status()
    }
}

impl Widget for Canvas {
    fn set_data(&mut self, data: &Value) -> bool {
        match DrawOp::list_from_json(data) {
            Ok(ops) => self.set_ops(ops),
            Err(e) => {
                // Bad operations from Lua: the bar shows why instead of half a picture.
                self.error = Some(e);
                true
            }
        }
    }

    fn kind(&self) -> &'static str {
        "canvas"
    }

    /// The texts it draws, space-separated.
    fn text(&self) -> String {
        self.ops
            .iter()
            .filter_map(|op| match op {
                DrawOp::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn length(&self) -> Length {
        Length::Fixed(self.width)
    }

    fn measure(&mut self, _cr: &cairo::Context, _cx: &DrawCx) -> u32 {
        self.width
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        // save/restore: the clip, colour and line width must not leak to the next widget.
        cr.save().map_err(|e| format!("canvas: {e}"))?;
        let r = self.replay(cr, cx);
        cr.new_path();
        let restored = cr.restore();
        r.and(restored).map_err(|e| format!("canvas: {e}"))
    }

    /// `{"ops": n, "dropped": n}`.
    fn state(&self) -> Value {
        json!({ "ops": self.ops.len(), "dropped": self.dropped })
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Style;
    use crate::testing::{render, render_with};

    fn red() -> DrawOp {
        DrawOp::Color(Rgba::rgb(0xff0000))
    }

    #[test]
    fn rectangles_lines_and_colours_land_where_told() {
        let mut c = Canvas::new(40);
        assert!(c.set_ops(vec![
            red(),
            DrawOp::Rectangle {
                x: 10.0,
                y: 5.0,
                w: 10.0,
                h: 10.0
            },
            DrawOp::Fill,
            DrawOp::Color(Rgba::rgb(0x0000ff)),
            DrawOp::LineWidth(2.0),
            DrawOp::MoveTo { x: 30.0, y: 0.0 },
            DrawOp::LineTo { x: 30.0, y: 20.0 },
            DrawOp::Stroke,
        ]));
        let img = render(&mut c, 20);
        assert_eq!(img.width, 40);
        assert_eq!(img.pixel(10, 5), 0xffff0000);
        assert_eq!(img.pixel(19, 14), 0xffff0000);
        assert_eq!(img.pixel(20, 14), img.background);
        assert_eq!(img.pixel(9, 10), img.background);
        // A 2-pixel line centred on x = 30 covers columns 29 and 30.
        assert_eq!(img.pixel(29, 10), 0xff0000ff);
        assert_eq!(img.pixel(30, 10), 0xff0000ff);
        assert_eq!(img.pixel(31, 10), img.background);
        assert_eq!(img.count_near(0xff0000, 0), 100);
    }

    #[test]
    fn arcs_text_clear_and_the_default_colour() {
        let mut c = Canvas::new(60);
        c.set_ops(vec![
            DrawOp::Arc {
                x: 10.0,
                y: 10.0,
                radius: 5.0,
                angle1: 0.0,
                angle2: std::f64::consts::TAU,
            },
            DrawOp::Fill,
        ]);
        let img = render(&mut c, 20);
        let fg = Style::default().foreground.to_argb();
        assert_eq!(img.pixel(10, 10), fg, "filled in the foreground colour");
        assert_eq!(img.pixel(10, 2), img.background);

        assert!(c.set_ops(vec![
            red(),
            DrawOp::Rectangle {
                x: 0.0,
                y: 0.0,
                w: 60.0,
                h: 20.0
            },
            DrawOp::Fill,
            DrawOp::Clear,
            DrawOp::Color(Rgba::rgb(0x00ff00)),
            DrawOp::Text {
                x: 30.0,
                text: "hi".into()
            },
        ]));
        let img = render(&mut c, 20);
        assert_eq!(img.count_near(0xff0000, 0x20), 0, "cleared");
        assert_eq!(img.count_near_in(0, 30, 0x00ff00, 0x40), 0);
        assert!(
            img.count_near_in(30, 60, 0x00ff00, 0x40) > 5,
            "text at x = 30"
        );
        assert_eq!(c.text(), "hi");
    }

    #[test]
    fn drawing_outside_is_clipped_and_absurd_values_never_panic() {
        let mut c = Canvas::new(20);
        let nan = f64::NAN;
        let ops = vec![
            red(),
            DrawOp::Rectangle {
                x: -5.0,
                y: -10.0,
                w: 1e308,
                h: f64::MAX,
            },
            DrawOp::Rectangle {
                x: -1e300,
                y: f64::MIN,
                w: -1e300,
                h: 1e300,
            },
            DrawOp::Fill,
            DrawOp::Rectangle {
                x: nan,
                y: 0.0,
                w: 1.0,
                h: 1.0,
            },
            DrawOp::LineWidth(f64::INFINITY),
            DrawOp::LineWidth(1e300),
            DrawOp::MoveTo { x: nan, y: nan },
            DrawOp::LineTo {
                x: 1e300,
                y: -1e300,
            },
            DrawOp::Arc {
                x: 0.0,
                y: 0.0,
                radius: 1e300,
                angle1: 1e300,
                angle2: -1e300,
            },
            DrawOp::Arc {
                x: 0.0,
                y: 0.0,
                radius: nan,
                angle1: 0.0,
                angle2: 1.0,
            },
            DrawOp::Stroke,
            DrawOp::Color(Rgba {
                r: nan,
                g: 2.0,
                b: -1.0,
                a: 1.0,
            }),
            DrawOp::Text {
                x: 1e300,
                text: "x".repeat(100_000),
            },
            DrawOp::Text {
                x: 2.0,
                text: "<b>unclosed".into(),
            },
        ];
        assert!(c.set_ops(ops.clone()));
        assert_eq!(c.state()["dropped"], 5, "NaNs and infinities dropped");
        assert!(!c.set_ops(ops), "same list: no change");
        let img = render_with(&mut c, 20, &Style::default(), Some(20));
        assert_eq!(img.width, 20);
        assert_eq!(
            img.pixel(0, 0),
            0xffff0000,
            "huge rectangle filled, clipped"
        );

        // Too many operations: the rest are dropped.
        let many = vec![DrawOp::Fill; MAX_OPS + 5];
        c.set_ops(many);
        assert_eq!(c.ops().len(), MAX_OPS);
        assert_eq!(c.state()["dropped"], 5);
    }

    #[test]
    fn the_clip_and_colour_do_not_leak_to_the_next_widget() {
        let s = cairo::ImageSurface::create(cairo::Format::ARgb32, 40, 10).expect("surface");
        let cr = cairo::Context::new(&s).expect("cr");
        let style = Style::default();
        let cx = DrawCx {
            width: 10,
            height: 10,
            style: &style,
        };
        let mut c = Canvas::new(10);
        c.set_ops(vec![red(), DrawOp::LineWidth(7.0)]);
        c.draw(&cr, &cx).expect("draws");
        assert_eq!(cr.line_width(), 2.0, "cairo's default line width is back");
        let (x0, _, x1, _) = cr.clip_extents().expect("extents");
        assert_eq!((x0, x1), (0.0, 40.0), "no clip left behind");
    }

    #[test]
    fn ops_from_lua_tables() {
        let v: Value = serde_json::from_str(
            r##"[{"op": "color", "color": "#00ff00"}, {"op": "rectangle", "x": 1, "y": 2,
                 "w": 3, "h": 4}, {"op": "fill"}, {"op": "text", "x": 5, "text": "t"},
                 {"op": "arc", "x": 1, "y": 1, "radius": 2, "angle1": 0, "angle2": 3},
                 {"op": "line_width", "width": 2}, {"op": "move_to", "x": 0, "y": 0},
                 {"op": "line_to", "x": 1, "y": 1}, {"op": "stroke"}, {"op": "clear"}]"##,
        )
        .expect("json");
        let ops = DrawOp::list_from_json(&v).expect("parses");
        assert_eq!(ops.len(), 10);
        assert_eq!(ops[0], DrawOp::Color(Rgba::rgb(0x00ff00)));
        assert_eq!(
            ops[1],
            DrawOp::Rectangle {
                x: 1.0,
                y: 2.0,
                w: 3.0,
                h: 4.0
            }
        );
        for (bad, want) in [
            (r#"[{"op": "circle"}]"#, "'circle'"),
            (r#"[{"op": "rectangle", "x": 1}]"#, "'y'"),
            (r#"[{"op": "color", "color": "red"}]"#, "#rrggbb"),
            (r#"[{"x": 1}]"#, "op ="),
            (r#"{"op": "fill"}"#, "list"),
        ] {
            let v: Value = serde_json::from_str(bad).expect("json");
            let err = DrawOp::list_from_json(&v).unwrap_err();
            assert!(err.contains(want), "{bad}: {err}");
        }
    }
}
