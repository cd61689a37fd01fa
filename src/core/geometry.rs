//! Rectangles in root-window coordinates: what layouts produce and screens are made of.

use serde::{Deserialize, Serialize};

/// A rectangle on the X screen. `w` and `h` are never negative; zero-sized rectangles are
/// allowed in the core and clamped to 1×1 by the X adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
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

    /// Right edge (exclusive), saturating at `i32::MAX`.
    pub fn right(&self) -> i32 {
        saturating_end(self.x, self.w)
    }

    /// Bottom edge (exclusive), saturating at `i32::MAX`.
    pub fn bottom(&self) -> i32 {
        saturating_end(self.y, self.h)
    }

    /// The largest part of `self` (same top-left corner) whose size fits in an `i32` and
    /// whose right and bottom edges do not overflow. Layouts work on this so that every
    /// offset inside the rectangle can be added to its corner without overflow; for any
    /// real screen it is `self`.
    pub fn clamped(&self) -> Rect {
        let fit = |pos: i32, len: u32| -> u32 {
            let room = (i64::from(i32::MAX) - i64::from(pos)).clamp(0, i64::from(i32::MAX));
            // `room` is in 0..=i32::MAX, so it fits in a u32.
            len.min(room as u32)
        };
        Rect::new(self.x, self.y, fit(self.x, self.w), fit(self.y, self.h))
    }

    /// Split into columns whose widths are proportional to `weights` (one column per
    /// weight). Each column gets the floor of its share and the pixels left over go, one
    /// each, to the last columns, so equal weights give exactly [`Rect::split_columns`].
    /// All-zero weights count as equal ones.
    pub fn split_columns_weighted(&self, weights: &[u32]) -> Vec<Rect> {
        split_weighted(self.w, weights)
            .into_iter()
            .map(|(off, len)| Rect::new(self.x + off as i32, self.y, len, self.h))
            .collect()
    }

    /// Split into rows whose heights are proportional to `weights`; see
    /// [`Rect::split_columns_weighted`].
    pub fn split_rows_weighted(&self, weights: &[u32]) -> Vec<Rect> {
        split_weighted(self.h, weights)
            .into_iter()
            .map(|(off, len)| Rect::new(self.x, self.y + off as i32, self.w, len))
            .collect()
    }

    /// The area in square pixels.
    pub fn area(&self) -> u64 {
        u64::from(self.w) * u64::from(self.h)
    }

    /// True when the two rectangles share at least one pixel (zero-sized rectangles never
    /// intersect anything).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.w > 0
            && self.h > 0
            && other.w > 0
            && other.h > 0
            && self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// The rectangle shrunk by `n` pixels on every side (never below 1×1).
    pub fn shrink(&self, n: u32) -> Rect {
        let w = self.w.saturating_sub(2 * n).max(1);
        let h = self.h.saturating_sub(2 * n).max(1);
        Rect::new(
            self.x + n.min(self.w / 2) as i32,
            self.y + n.min(self.h / 2) as i32,
            w,
            h,
        )
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

    /// The rectangle shrunk to fit in `area` and moved (as little as possible) into it.
    pub fn moved_inside(&self, area: &Rect) -> Rect {
        let fit = |pos: i32, len: u32, start: i32, room: u32| -> (i32, u32) {
            let len = len.min(room);
            let last = i64::from(start) + i64::from(room) - i64::from(len);
            let pos = i64::from(pos).clamp(i64::from(start), last.max(i64::from(start)));
            (pos as i32, len)
        };
        let (x, w) = fit(self.x, self.w, area.x, area.w);
        let (y, h) = fit(self.y, self.h, area.y, area.h);
        Rect::new(x, y, w, h)
    }

    /// Centre `size` (w, h) inside `self`.
    pub fn centered(&self, w: u32, h: u32) -> Rect {
        // In i64: absurd sizes (from a client's request) must not overflow.
        let mid = |pos: i32, outer: u32, inner: u32| -> i32 {
            let v = i64::from(pos) + (i64::from(outer) - i64::from(inner)) / 2;
            v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
        };
        Rect::new(mid(self.x, self.w, w), mid(self.y, self.h, h), w, h)
    }
}

/// `pos + len`, saturating at the ends of the `i32` range.
fn saturating_end(pos: i32, len: u32) -> i32 {
    (i64::from(pos) + i64::from(len)).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Offsets and lengths of parts of `total` proportional to `weights`: floors first, then
/// the leftover pixels one each to the last parts (all-zero weights count as equal).
fn split_weighted(total: u32, weights: &[u32]) -> Vec<(u32, u32)> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if sum == 0 {
        return split(total, n);
    }
    // Each floor loses less than one pixel, so the sum of the floors is at most `total`
    // and the leftover is less than `n`.
    let mut lens: Vec<u32> = weights
        .iter()
        .map(|&w| (u64::from(total) * u64::from(w) / sum) as u32)
        .collect();
    let used: u64 = lens.iter().map(|&l| u64::from(l)).sum();
    let left = u64::from(total).saturating_sub(used) as usize;
    for len in lens.iter_mut().skip(n.saturating_sub(left)) {
        *len += 1;
    }
    let mut off = 0u32;
    lens.into_iter()
        .map(|len| {
            let part = (off, len);
            off += len;
            part
        })
        .collect()
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
    fn edges_saturate_instead_of_wrapping() {
        let huge = Rect::new(0, 0, u32::MAX, u32::MAX);
        assert_eq!(huge.right(), i32::MAX);
        assert_eq!(huge.bottom(), i32::MAX);
        assert!(huge.contains_rect(&huge));
        assert_eq!(Rect::new(-5, 0, 10, 10).right(), 5);
    }

    #[test]
    fn clamped_keeps_real_screens_and_cuts_huge_ones() {
        let screen = Rect::new(-1920, 0, 3840, 1080);
        assert_eq!(screen.clamped(), screen);
        let huge = Rect::new(i32::MIN, 10, u32::MAX, u32::MAX);
        let c = huge.clamped();
        assert_eq!((c.x, c.y), (i32::MIN, 10));
        assert_eq!(c.w, i32::MAX as u32);
        assert_eq!(c.h, (i32::MAX - 10) as u32);
        assert_eq!(Rect::new(i32::MAX, 0, 5, 5).clamped().w, 0);
        assert!(huge.contains_rect(&c));
    }

    #[test]
    fn weighted_split_matches_even_split_for_equal_weights() {
        let r = Rect::new(3, 4, 1001, 10);
        for n in 1..9 {
            assert_eq!(r.split_columns_weighted(&vec![7; n]), r.split_columns(n));
            assert_eq!(r.split_rows_weighted(&vec![1; n]), r.split_rows(n));
        }
        assert_eq!(r.split_columns_weighted(&[0, 0]), r.split_columns(2));
        assert!(r.split_columns_weighted(&[]).is_empty());
    }

    #[test]
    fn weighted_split_is_proportional_and_covers_everything() {
        let r = Rect::new(0, 0, 1000, 800);
        let cols = r.split_columns_weighted(&[12, 10]);
        // 1000 * 12 / 22 = 545.45 -> 545, 1000 * 10 / 22 = 454.5 -> 454, +1 to the last.
        assert_eq!(
            cols,
            vec![Rect::new(0, 0, 545, 800), Rect::new(545, 0, 455, 800)]
        );
        let rows = r.split_rows_weighted(&[1, 2, 1]);
        assert_eq!(
            rows,
            vec![
                Rect::new(0, 0, 1000, 200),
                Rect::new(0, 200, 1000, 400),
                Rect::new(0, 600, 1000, 200),
            ]
        );
    }

    #[test]
    fn intersection_needs_a_shared_pixel() {
        let a = Rect::new(0, 0, 10, 10);
        assert!(a.intersects(&Rect::new(9, 9, 5, 5)));
        assert!(!a.intersects(&Rect::new(10, 0, 5, 5)));
        assert!(!a.intersects(&Rect::new(5, 5, 0, 5)));
        assert_eq!(a.area(), 100);
    }

    #[test]
    fn shrink_never_goes_below_one_pixel() {
        assert_eq!(Rect::new(0, 0, 4, 4).shrink(10).w, 1);
        assert_eq!(Rect::new(0, 0, 100, 50).shrink(5), Rect::new(5, 5, 90, 40));
    }
}
