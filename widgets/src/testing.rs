//! Rendering a widget to an image surface and reading pixels back: what widget unit tests
//! (here and in the oxtile crate) use to check that text appears and colours are right.

use serde_json::{Map, Value};

use crate::style::Style;
use crate::widget::{DrawCx, Length, Widget};

/// A rendered widget: its pixels as 0xAARRGGBB.
#[derive(Debug, Clone)]
pub struct Canvas {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The background the widget was drawn on.
    pub background: u32,
    pixels: Vec<u32>,
}

impl Canvas {
    /// The pixel at (x, y), 0xAARRGGBB.
    pub fn pixel(&self, x: u32, y: u32) -> u32 {
        self.pixels[(y * self.width + x) as usize]
    }

    /// How many pixels satisfy `pred`.
    pub fn count_color(&self, pred: impl Fn(u32) -> bool) -> usize {
        self.pixels.iter().filter(|&&p| pred(p)).count()
    }

    /// How many pixels differ from the background.
    pub fn count_foreground(&self) -> usize {
        self.count_color(|p| p != self.background)
    }

    /// How many pixels in columns `x0..x1` are within `tolerance` (per channel) of the
    /// opaque colour `rgb` (0xRRGGBB). Antialiased text has few pixels of exactly its
    /// colour; a tolerance finds its cores.
    pub fn count_near_in(&self, x0: u32, x1: u32, rgb: u32, tolerance: u8) -> usize {
        let near = |p: u32| {
            (0..3).all(|i| {
                let (a, b) = ((p >> (8 * i)) & 0xff, (rgb >> (8 * i)) & 0xff);
                a.abs_diff(b) <= tolerance as u32
            })
        };
        (x0..x1.min(self.width))
            .flat_map(|x| (0..self.height).map(move |y| (x, y)))
            .filter(|&(x, y)| near(self.pixel(x, y)))
            .count()
    }

    /// [`Canvas::count_near_in`] over the whole width.
    pub fn count_near(&self, rgb: u32, tolerance: u8) -> usize {
        self.count_near_in(0, self.width, rgb, tolerance)
    }

    /// The leftmost and rightmost columns holding a non-background pixel.
    pub fn ink_columns(&self) -> Option<(u32, u32)> {
        let cols: Vec<u32> = (0..self.width)
            .filter(|&x| (0..self.height).any(|y| self.pixel(x, y) != self.background))
            .collect();
        Some((*cols.first()?, *cols.last()?))
    }
}

/// Render `widget` with the default style at `height`; its width is what it measures
/// (stretching widgets get 200 pixels).
pub fn render(widget: &mut dyn Widget, height: u32) -> Canvas {
    render_with(widget, height, &Style::default(), None)
}

/// Render with a style and optionally a forced width.
pub fn render_with(
    widget: &mut dyn Widget,
    height: u32,
    style: &Style,
    width: Option<u32>,
) -> Canvas {
    let scratch = cairo::ImageSurface::create(cairo::Format::ARgb32, 1, 1).expect("surface");
    let cr = cairo::Context::new(&scratch).expect("context");
    let probe = DrawCx {
        width: 0,
        height,
        style,
    };
    let width = width.unwrap_or_else(|| match widget.length() {
        Length::Fixed(w) => w,
        Length::Content => widget.measure(&cr, &probe),
        Length::Stretch => 200,
    });
    let w = width.max(1);
    let mut surface = cairo::ImageSurface::create(cairo::Format::ARgb32, w as i32, height as i32)
        .expect("surface");
    {
        let cr = cairo::Context::new(&surface).expect("context");
        style.background.set_source(&cr);
        cr.paint().expect("paint");
        let cx = DrawCx {
            width,
            height,
            style,
        };
        widget.draw(&cr, &cx).expect("widget draws");
    }
    surface.flush();
    let stride = surface.stride() as usize;
    let data = surface.data().expect("surface data");
    let mut pixels = Vec::with_capacity((w * height) as usize);
    for y in 0..height as usize {
        for x in 0..w as usize {
            let i = y * stride + x * 4;
            pixels.push(u32::from_ne_bytes([
                data[i],
                data[i + 1],
                data[i + 2],
                data[i + 3],
            ]));
        }
    }
    Canvas {
        width,
        height,
        background: style.background.to_argb(),
        pixels,
    }
}

/// Build a widget of `kind` from JSON options (as Lua would give them) and render it.
pub fn render_opts(kind: &str, options: &str, height: u32) -> Canvas {
    let map: Map<String, Value> = serde_json::from_str(options).expect("options are a JSON object");
    let style = Style::default();
    let mut placed = crate::registry::build(kind, &map, &style).expect("widget builds");
    render_with(placed.widget.as_mut(), height, &placed.style, None)
}
