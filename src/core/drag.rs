//! Moving and resizing windows with the pointer, pure: a drag starts at a pointer position
//! with the window's rectangle, and every pointer position then gives the window's new
//! rectangle (resizes respect the size hints). Drags come from mouse bindings
//! (`oxtile.drag({mod}, 1, "move")`) and from clients' `_NET_WM_MOVERESIZE` requests.

use serde::{Deserialize, Serialize};

use super::client::SizeHints;
use super::geometry::Rect;
use crate::action::WindowId;

/// What a mouse binding drags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DragKind {
    /// Move the window with the pointer.
    Move,
    /// Resize the window from its bottom-right corner.
    Resize,
}

/// Which edges a resize moves (a move moves them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Edges {
    /// The left edge follows the pointer.
    pub left: bool,
    /// The right edge follows the pointer.
    pub right: bool,
    /// The top edge follows the pointer.
    pub top: bool,
    /// The bottom edge follows the pointer.
    pub bottom: bool,
}

impl Edges {
    /// The bottom-right corner (what a mouse-binding resize drags).
    pub const BOTTOM_RIGHT: Edges = Edges {
        left: false,
        right: true,
        top: false,
        bottom: true,
    };

    /// `_NET_WM_MOVERESIZE` directions 0..=7 (top-left, top, top-right, right, bottom-right,
    /// bottom, bottom-left, left); `None` for other values.
    pub fn from_direction(d: u32) -> Option<Edges> {
        let (left, right, top, bottom) = match d {
            0 => (true, false, true, false),
            1 => (false, false, true, false),
            2 => (false, true, true, false),
            3 => (false, true, false, false),
            4 => (false, true, false, true),
            5 => (false, false, false, true),
            6 => (true, false, false, true),
            7 => (true, false, false, false),
            _ => return None,
        };
        Some(Edges {
            left,
            right,
            top,
            bottom,
        })
    }
}

/// How a drag changes the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DragMode {
    /// Move it.
    Move,
    /// Resize it by these edges.
    Resize(Edges),
}

/// A drag in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drag {
    /// The window dragged.
    pub window: WindowId,
    /// Move or resize.
    pub mode: DragMode,
    /// Pointer position (root coordinates) when the drag started.
    pub start: (i32, i32),
    /// The window's rectangle when the drag started.
    pub rect: Rect,
    /// Whether a pointer grab was asked for (client-started drags), to release at the end.
    pub grabbed: bool,
}

impl Drag {
    /// The window's rectangle with the pointer at (x, y).
    pub fn rect_at(&self, x: i32, y: i32, hints: &SizeHints) -> Rect {
        let dx = i64::from(x) - i64::from(self.start.0);
        let dy = i64::from(y) - i64::from(self.start.1);
        let r = self.rect;
        let pos = |p: i32, d: i64| (i64::from(p) + d).clamp(-32768, 32767) as i32;
        match self.mode {
            DragMode::Move => Rect::new(pos(r.x, dx), pos(r.y, dy), r.w, r.h),
            DragMode::Resize(e) => {
                let size = |len: u32, d: i64, grow: bool, shrink: bool| -> u32 {
                    let d = if grow {
                        d
                    } else if shrink {
                        -d
                    } else {
                        0
                    };
                    (i64::from(len) + d).clamp(1, 32767) as u32
                };
                let w = size(r.w, dx, e.right, e.left);
                let h = size(r.h, dy, e.bottom, e.top);
                let (w, h) = hints.constrain(w, h);
                // Dragging the left or top edge keeps the opposite edge where it was.
                let x = if e.left {
                    (i64::from(r.right()) - i64::from(w)).clamp(-32768, 32767) as i32
                } else {
                    r.x
                };
                let y = if e.top {
                    (i64::from(r.bottom()) - i64::from(h)).clamp(-32768, 32767) as i32
                } else {
                    r.y
                };
                Rect::new(x, y, w, h)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drag(mode: DragMode) -> Drag {
        Drag {
            window: 1,
            mode,
            start: (100, 100),
            rect: Rect::new(50, 60, 300, 200),
            grabbed: false,
        }
    }

    #[test]
    fn a_move_follows_the_pointer() {
        let d = drag(DragMode::Move);
        let h = SizeHints::default();
        assert_eq!(d.rect_at(100, 100, &h), Rect::new(50, 60, 300, 200));
        assert_eq!(d.rect_at(400, 350, &h), Rect::new(350, 310, 300, 200));
        assert_eq!(d.rect_at(0, 0, &h), Rect::new(-50, -40, 300, 200));
        let far = d.rect_at(i32::MAX, i32::MIN, &h);
        assert_eq!((far.x, far.y), (32767, -32768));
    }

    #[test]
    fn a_resize_moves_its_edges_within_the_size_hints() {
        let h = SizeHints {
            min: Some((100, 80)),
            inc: Some((10, 10)),
            base: Some((0, 0)),
            max: Some((500, 400)),
        };
        let d = drag(DragMode::Resize(Edges::BOTTOM_RIGHT));
        assert_eq!(d.rect_at(155, 133, &h), Rect::new(50, 60, 350, 230));
        assert_eq!(d.rect_at(-1000, -1000, &h), Rect::new(50, 60, 100, 80));
        assert_eq!(d.rect_at(5000, 5000, &h), Rect::new(50, 60, 500, 400));
        // The top-left corner keeps the bottom-right one in place.
        let tl = drag(DragMode::Resize(Edges::from_direction(0).unwrap()));
        let r = tl.rect_at(60, 80, &SizeHints::default());
        assert_eq!(r, Rect::new(10, 40, 340, 220));
        assert_eq!((r.right(), r.bottom()), (350, 260));
        // One edge only.
        let right = drag(DragMode::Resize(Edges::from_direction(3).unwrap()));
        assert_eq!(
            right.rect_at(150, 999, &SizeHints::default()),
            Rect::new(50, 60, 350, 200)
        );
        assert_eq!(Edges::from_direction(8), None);
    }
}
