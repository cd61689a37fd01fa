//! Rectangles, and the rectangles each built-in layout must produce, written down from the
//! command-line contract independently of oxtile's own layout code.
//! Where a length does not divide evenly the remainder goes to the last parts, one pixel each.

use std::fmt;

use crate::{SCREEN_HEIGHT, SCREEN_WIDTH};

/// A rectangle in root coordinates (a window's inside, border excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl Rect {
    /// A rectangle from position and size.
    pub const fn new(x: i32, y: i32, w: u32, h: u32) -> Self {
        Rect { x, y, w, h }
    }

    /// The whole test screen, 1280x800 at the origin.
    pub const fn screen() -> Self {
        Rect::new(0, 0, SCREEN_WIDTH, SCREEN_HEIGHT)
    }

    /// Right edge (exclusive).
    pub fn right(&self) -> i32 {
        self.x + self.w as i32
    }

    /// Bottom edge (exclusive).
    pub fn bottom(&self) -> i32 {
        self.y + self.h as i32
    }

    /// The point in the middle.
    pub fn center(&self) -> (i32, i32) {
        (self.x + self.w as i32 / 2, self.y + self.h as i32 / 2)
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// `w`x`h` centred inside `self`.
    pub fn centered(&self, w: u32, h: u32) -> Rect {
        Rect::new(
            self.x + (self.w as i32 - w as i32) / 2,
            self.y + (self.h as i32 - h as i32) / 2,
            w,
            h,
        )
    }

    /// `n` columns side by side.
    pub fn columns(&self, n: usize) -> Vec<Rect> {
        split(self.w, n)
            .map(|(off, len)| Rect::new(self.x + off as i32, self.y, len, self.h))
            .collect()
    }

    /// `n` rows stacked top to bottom.
    pub fn rows(&self, n: usize) -> Vec<Rect> {
        split(self.h, n)
            .map(|(off, len)| Rect::new(self.x, self.y + off as i32, self.w, len))
            .collect()
    }

    /// Split the width at `ratio` (rounded): (left, right).
    pub fn split_h(&self, ratio: f64) -> (Rect, Rect) {
        let left = (self.w as f64 * ratio).round() as u32;
        (
            Rect::new(self.x, self.y, left, self.h),
            Rect::new(self.x + left as i32, self.y, self.w - left, self.h),
        )
    }

    /// Split the height at `ratio` (rounded): (top, bottom).
    pub fn split_v(&self, ratio: f64) -> (Rect, Rect) {
        let top = (self.h as f64 * ratio).round() as u32;
        (
            Rect::new(self.x, self.y, self.w, top),
            Rect::new(self.x, self.y + top as i32, self.w, self.h - top),
        )
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}+{}+{}", self.w, self.h, self.x, self.y)
    }
}

/// Offsets and lengths of `n` parts of `total`; the remainder goes to the last parts.
fn split(total: u32, n: usize) -> impl Iterator<Item = (u32, u32)> {
    let n = n as u32;
    let base = total.checked_div(n).unwrap_or(0);
    let extra = total.checked_rem(n).unwrap_or(0);
    (0..n).scan(0, move |off, i| {
        let len = base + u32::from(i >= n - extra);
        let part = (*off, len);
        *off += len;
        Some(part)
    })
}

/// Expected rectangles of the built-in layouts with their default options, for `n` tiled
/// windows in `area`, in the group's window order (oldest first).
pub mod expected {
    use super::Rect;

    /// monadtall: the main window on the left at ratio 0.5, the others stacked on the right.
    pub fn monadtall(n: usize, area: Rect) -> Vec<Rect> {
        main_and_stack(n, area, 0.5, false)
    }

    /// monadwide: the main window on top at ratio 0.5, the others side by side below.
    pub fn monadwide(n: usize, area: Rect) -> Vec<Rect> {
        main_and_stack(n, area, 0.5, true)
    }

    /// tile: one main window on the left at ratio 0.618, the others stacked on the right.
    pub fn tile(n: usize, area: Rect) -> Vec<Rect> {
        main_and_stack(n, area, 0.618, false)
    }

    /// max: every window covers the whole area.
    pub fn max(n: usize, area: Rect) -> Vec<Rect> {
        vec![area; n]
    }

    /// columns: two columns (one while there is a single window); each column gets
    /// floor(n/2) windows, the last n mod 2 columns one more, stacked evenly.
    pub fn columns(n: usize, area: Rect) -> Vec<Rect> {
        let cols = n.min(2);
        area.columns(cols)
            .into_iter()
            .enumerate()
            .flat_map(|(i, col)| {
                let count = n / cols + usize::from(i >= cols - n % cols);
                col.rows(count)
            })
            .collect()
    }

    /// By layout name: `monadtall`, `monadwide`, `tile`, `max` or `columns`.
    pub fn by_name(layout: &str, n: usize, area: Rect) -> Vec<Rect> {
        match layout {
            "monadtall" => monadtall(n, area),
            "monadwide" => monadwide(n, area),
            "tile" => tile(n, area),
            "max" => max(n, area),
            "columns" => columns(n, area),
            other => panic!("no expected geometry for layout {other:?}"),
        }
    }

    fn main_and_stack(n: usize, area: Rect, ratio: f64, wide: bool) -> Vec<Rect> {
        match n {
            0 => Vec::new(),
            1 => vec![area],
            _ => {
                let (main, rest) = if wide {
                    area.split_v(ratio)
                } else {
                    area.split_h(ratio)
                };
                let stack = if wide {
                    rest.columns(n - 1)
                } else {
                    rest.rows(n - 1)
                };
                std::iter::once(main).chain(stack).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remainder_goes_to_the_last_parts() {
        let rows = Rect::new(0, 0, 10, 800).rows(3);
        assert_eq!(
            rows.iter().map(|r| r.h).collect::<Vec<_>>(),
            [266, 267, 267]
        );
        assert_eq!(rows.iter().map(|r| r.y).collect::<Vec<_>>(), [0, 266, 533]);
    }

    #[test]
    fn expected_layouts_tile_the_screen() {
        let s = Rect::screen();
        assert_eq!(expected::tile(2, s)[0], Rect::new(0, 0, 791, 800));
        assert_eq!(expected::columns(1, s), [s]);
        let five = expected::columns(5, s);
        assert_eq!(five[0], Rect::new(0, 0, 640, 400));
        assert_eq!(five[4], Rect::new(640, 533, 640, 267));
        assert_eq!(
            expected::monadwide(3, s),
            [
                Rect::new(0, 0, 1280, 400),
                Rect::new(0, 400, 640, 400),
                Rect::new(640, 400, 640, 400)
            ]
        );
        for layout in ["monadtall", "monadwide", "tile", "max", "columns"] {
            for n in 1..8 {
                let rects = expected::by_name(layout, n, s);
                assert_eq!(rects.len(), n);
                let area: u64 = rects.iter().map(|r| r.w as u64 * r.h as u64).sum();
                if layout != "max" {
                    assert_eq!(area, 1280 * 800, "{layout} with {n} leaves a gap");
                }
                assert!(rects.iter().all(|r| s.contains(r)));
            }
        }
    }
}
