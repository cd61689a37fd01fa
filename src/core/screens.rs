//! Screens coming and going (RandR, Xinerama, `fake_screens`): new rectangles are matched
//! to the screens there were, so that a screen keeps its group through a resolution change
//! or the loss of another screen; the windows of a screen that went away move to a
//! remaining screen's group, so nothing ends up out of reach.

use super::client::Strut;
use super::geometry::Rect;
use super::state::{Screen, State};
use crate::action::WindowId;

/// For each new rectangle, the old screen it continues: the one with the same rectangle,
/// else the same top-left corner (a resolution change), else the remaining old screens in
/// order. Old screens left over are gone.
pub fn match_screens(old: &[Rect], new: &[Rect]) -> Vec<Option<usize>> {
    let mut taken = vec![false; old.len()];
    let mut from: Vec<Option<usize>> = vec![None; new.len()];
    type Same = fn(&Rect, &Rect) -> bool;
    let rules: [Same; 3] = [|a, b| a == b, |a, b| (a.x, a.y) == (b.x, b.y), |_, _| true];
    for same in rules {
        for (i, r) in new.iter().enumerate() {
            if from[i].is_some() {
                continue;
            }
            if let Some(j) = (0..old.len()).find(|&j| !taken[j] && same(&old[j], r)) {
                taken[j] = true;
                from[i] = Some(j);
            }
        }
    }
    from
}

impl State {
    /// Replace the screens. A screen that remains (see [`match_screens`]) keeps its group,
    /// focus and reserve; the windows of a group whose screen went away join the group of
    /// the screen that has the focus now (they stay visible); new screens show groups
    /// nobody shows.
    pub fn set_screens(&mut self, rects: &[Rect]) {
        let rects: Vec<Rect> = if rects.is_empty() {
            vec![Rect::new(0, 0, 1, 1)]
        } else {
            // Mirrored outputs are one screen.
            let mut unique: Vec<Rect> = Vec::new();
            for r in rects {
                if !unique.contains(r) {
                    unique.push(*r);
                }
            }
            unique
        };
        let old = std::mem::take(&mut self.screens);
        let old_rects: Vec<Rect> = old.iter().map(|s| s.rect).collect();
        let from = match_screens(&old_rects, &rects);
        for (r, f) in rects.iter().zip(&from) {
            let prev = f.map(|j| &old[j]);
            self.screens.push(Screen {
                rect: *r,
                group: prev.map_or(usize::MAX, |s| s.group),
                prev_group: prev.and_then(|s| s.prev_group),
                reserve: prev.map_or(Strut::default(), |s| s.reserve),
            });
        }
        self.focused_screen = from
            .iter()
            .position(|&f| f == Some(self.focused_screen))
            .unwrap_or(0);
        self.assign_free_groups();
        // Groups that lost their screen and are not shown elsewhere: their windows move.
        let target = self.current_group();
        let lost: Vec<(usize, Rect)> = (0..old.len())
            .filter(|j| !from.contains(&Some(*j)))
            .map(|j| (old[j].group, old[j].rect))
            .filter(|&(g, _)| g < self.groups.len() && g != target)
            .filter(|&(g, _)| self.screen_of_group(g).is_none())
            .collect();
        let target_rect = self.screens[self.focused_screen].rect;
        for (g, from_rect) in lost {
            // Floating windows keep their place relative to the screen they were on.
            let dx = i64::from(target_rect.x) - i64::from(from_rect.x);
            let dy = i64::from(target_rect.y) - i64::from(from_rect.y);
            let clamp = |v: i64| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
            for w in self.groups[g].windows.clone() {
                if let Some(c) = self.clients.get_mut(&w) {
                    let r = c.float_rect;
                    c.float_rect = Rect::new(
                        clamp(i64::from(r.x) + dx),
                        clamp(i64::from(r.y) + dy),
                        r.w,
                        r.h,
                    );
                }
            }
            self.merge_group_into(g, target);
        }
        for s in 0..self.screens.len() {
            let g = self.screens[s].group;
            self.fit_floating(g, s);
        }
    }

    /// Move every window of group `from` into group `to`, after its own windows; `to`'s
    /// focus stays where it is.
    fn merge_group_into(&mut self, from: usize, to: usize) {
        if from == to || target_invalid(self, from, to) {
            return;
        }
        let windows: Vec<WindowId> = std::mem::take(&mut self.groups[from].windows);
        let mut stack: Vec<WindowId> = std::mem::take(&mut self.groups[from].focus_stack);
        for &w in &windows {
            if let Some(c) = self.clients.get_mut(&w) {
                c.group = to;
            }
        }
        let g = &mut self.groups[to];
        g.windows.extend(windows);
        stack.append(&mut g.focus_stack);
        g.focus_stack = stack;
    }
}

fn target_invalid(s: &State, from: usize, to: usize) -> bool {
    from >= s.groups.len() || to >= s.groups.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_match_by_rect_then_corner_then_order() {
        let a = Rect::new(0, 0, 1000, 800);
        let b = Rect::new(1000, 0, 1000, 800);
        let c = Rect::new(2000, 0, 800, 600);
        assert_eq!(match_screens(&[a, b], &[a, b]), vec![Some(0), Some(1)]);
        assert_eq!(match_screens(&[a, b], &[b, a]), vec![Some(1), Some(0)]);
        // b is gone: a keeps its screen even though c takes index 1.
        assert_eq!(match_screens(&[a, b, c], &[a, c]), vec![Some(0), Some(2)]);
        // A resolution change keeps the corner.
        let big = Rect::new(0, 0, 1920, 1080);
        assert_eq!(match_screens(&[a, b], &[big]), vec![Some(0)]);
        // Everything moved: by order.
        let d = Rect::new(5, 5, 10, 10);
        assert_eq!(match_screens(&[a, b], &[d, c]), vec![Some(0), Some(1)]);
        assert_eq!(match_screens(&[a], &[a, b]), vec![Some(0), None]);
        assert_eq!(match_screens(&[], &[a]), vec![None]);
    }
}
