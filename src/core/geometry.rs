//! Rectangles in root-window coordinates: what layouts produce and screens are made of.

use serde::Serialize;

/// A rectangle on the X screen. `w` and `h` are never negative; zero-sized rectangles are
/// allowed in the core and clamped to 1×1 by the X adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width in pixels.
    pub w: u32,
    /// Height in pixels.
    pub h: u32,
}

impl Rect {
    /// A rectangle from its position and size.
    pub const fn new(x: i32, y: i32, w: u32, h: u32) -> Self {
        Rect { x, y, w, h }
    }

    /// Right edge (exclusive).
    pub fn right(&self) -> i32 {
        self.x.saturating_add(self.w as i32)
    }

    /// Bottom edge (exclusive).
    pub fn bottom(&self) -> i32 {
        self.y.saturating_add(self.h as i32)
    }

    /// The rectangle shrunk by `n` pixels on every side (never below 1×1).
    pub fn shrink(&self, n: u32) -> Rect {
        let w = self.w.saturating_sub(2 * n).max(1);
        let h = self.h.saturating_sub(2 * n).max(1);
        Rect::new(self.x + n.min(self.w / 2) as i32, self.y + n.min(self.h / 2) as i32, w, h)
    }

    /// Split into `n` columns of (almost) equal width; the remainder goes to the last ones.
    pub fn split_columns(&self, n: usize) -> Vec<Rect> {
        split(self.w, n)
            .into_iter()
            .map(|(off, len)| Rect::new(self.x + off as i32, self.y, len, self.h))
            .collect()
    }

    /// Split into `n` rows of (almost) equal height; the remainder goes to the last ones.
    pub fn split_rows(&self, n: usize) -> Vec<Rect> {
        split(self.h, n)
            .into_iter()
            .map(|(off, len)| Rect::new(self.x, self.y + off as i32, self.w, len))
            .collect()
    }

    /// Split at `ratio` (0..1) of the width: (left, right).
    pub fn split_at_ratio_h(&self, ratio: f64) -> (Rect, Rect) {
        let left = ((self.w as f64) * ratio.clamp(0.0, 1.0)).round() as u32;
        (
            Rect::new(self.x, self.y, left, self.h),
            Rect::new(self.x + left as i32, self.y, self.w - left, self.h),
        )
    }

    /// Split at `ratio` (0..1) of the height: (top, bottom).
    pub fn split_at_ratio_v(&self, ratio: f64) -> (Rect, Rect) {
        let top = ((self.h as f64) * ratio.clamp(0.0, 1.0)).round() as u32;
        (
            Rect::new(self.x, self.y, self.w, top),
            Rect::new(self.x, self.y + top as i32, self.w, self.h - top),
        )
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// True when the point lies inside.
    pub fn contains_point(&self, x: i32, y: i32) -> bool {
        x >= self.x && y >= self.y && x < self.right() && y < self.bottom()
    }

    /// Centre `size` (w, h) inside `self`.
    pub fn centered(&self, w: u32, h: u32) -> Rect {
        let x = self.x + (self.w as i32 - w as i32) / 2;
        let y = self.y + (self.h as i32 - h as i32) / 2;
        Rect::new(x, y, w, h)
    }
}

/// Offsets and lengths of `n` parts of `total`, remainder spread over the last parts.
fn split(total: u32, n: usize) -> Vec<(u32, u32)> {
    if n == 0 {
        return Vec::new();
    }
    let n32 = n as u32;
    let base = total / n32;
    let extra = total % n32;
    let mut off = 0;
    (0..n32)
        .map(|i| {
            let len = base + u32::from(i >= n32 - extra);
            let part = (off, len);
            off += len;
            part
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_cover_the_whole_width_without_overlap() {
        let r = Rect::new(10, 20, 1001, 500);
        for n in 1..7 {
            let cols = r.split_columns(n);
            assert_eq!(cols.len(), n);
            assert_eq!(cols[0].x, 10);
            for pair in cols.windows(2) {
                assert_eq!(pair[0].right(), pair[1].x);
            }
            assert_eq!(cols[n - 1].right(), r.right());
        }
    }

    #[test]
    fn shrink_never_goes_below_one_pixel() {
        assert_eq!(Rect::new(0, 0, 4, 4).shrink(10).w, 1);
        assert_eq!(Rect::new(0, 0, 100, 50).shrink(5), Rect::new(5, 5, 90, 40));
    }
}
