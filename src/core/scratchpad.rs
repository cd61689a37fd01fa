//! Scratchpads (qtile's dropdowns): a program started on first use whose window is then
//! shown over the current group and hidden again by the same key. Hidden means minimized:
//! the window stays managed (and in a group), unmapped, until shown again.

use serde::Serialize;

use super::client::ClientInfo;
use super::rules::{Geometry, Match};
use super::state::State;
use super::Effect;
use crate::action::WindowId;

/// A scratchpad as configured (`oxtile.scratchpad{}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScratchpadSpec {
    /// Its name (what `toggle_scratchpad` takes).
    pub name: String,
    /// The command that starts its program.
    pub cmd: String,
    /// Which new window is its window; without one, the first window mapped after the
    /// command was started.
    pub matcher: Option<Match>,
    /// Where it is shown, as fractions of the focused screen's work area.
    pub geometry: Geometry,
    /// Hide it as soon as another window takes the focus.
    pub on_focus_lost_hide: bool,
}

impl ScratchpadSpec {
    /// qtile's defaults: 80 % of the width, 35 % of the height, at the top.
    pub fn new(name: &str, cmd: &str) -> Self {
        ScratchpadSpec {
            name: name.into(),
            cmd: cmd.into(),
            matcher: None,
            geometry: Geometry::fractions(0.1, 0.0, 0.8, 0.35),
            on_focus_lost_hide: true,
        }
    }
}

/// A scratchpad and its window.
#[derive(Debug, Clone, PartialEq)]
pub struct Scratchpad {
    /// What the config says.
    pub spec: ScratchpadSpec,
    /// Its window, once it has one.
    pub window: Option<WindowId>,
    /// Its command was started and its window has not appeared yet.
    pub pending: bool,
}

impl State {
    /// Take the configured scratchpads, keeping the windows of those that keep their name.
    pub(super) fn set_scratchpads(&mut self, specs: &[ScratchpadSpec]) {
        let old = std::mem::take(&mut self.scratchpads);
        self.scratchpads = specs
            .iter()
            .map(|spec| {
                let prev = old.iter().find(|o| o.spec.name == spec.name);
                Scratchpad {
                    spec: spec.clone(),
                    window: prev.and_then(|p| p.window),
                    pending: prev.is_some_and(|p| p.pending),
                }
            })
            .collect();
    }

    /// The scratchpad a new window belongs to: one waiting for its window whose match
    /// (if any) the window satisfies.
    pub(super) fn claim_scratchpad(&self, info: &ClientInfo) -> Option<usize> {
        self.scratchpads.iter().position(|sp| {
            sp.pending
                && sp.window.is_none()
                && sp
                    .spec
                    .matcher
                    .as_ref()
                    .is_none_or(|m| m.matches_info(info))
        })
    }

    /// The scratchpad a window belongs to, if any.
    pub fn scratchpad_of(&self, w: WindowId) -> Option<usize> {
        self.scratchpads.iter().position(|sp| sp.window == Some(w))
    }

    /// `toggle_scratchpad`: start its program the first time; show its window over the
    /// focused screen's group; hide it when it is shown there.
    pub(super) fn toggle_scratchpad(&mut self, name: &str, fx: &mut Vec<Effect>) {
        let Some(i) = self.scratchpads.iter().position(|sp| sp.spec.name == name) else {
            return;
        };
        let Some(w) = self.scratchpads[i].window else {
            // Started again if pressed again before its window came (a slow or failed
            // start); the first matching window is taken.
            self.scratchpads[i].pending = true;
            fx.push(Effect::Spawn {
                cmd: self.scratchpads[i].spec.cmd.clone(),
            });
            return;
        };
        let shown_here = self
            .clients
            .get(&w)
            .is_some_and(|c| c.group == self.current_group())
            && self.is_visible(w);
        if shown_here {
            self.minimize(w, fx);
        } else {
            self.show_scratchpad(i, fx);
        }
    }

    /// Show scratchpad `i`'s window floating over the focused screen's group, focused.
    pub(super) fn show_scratchpad(&mut self, i: usize, fx: &mut Vec<Effect>) {
        let Some(w) = self.scratchpads[i].window else {
            return;
        };
        let geometry = self.scratchpads[i].spec.geometry;
        let g = self.current_group();
        let area = self.work_area(self.focused_screen);
        self.unminimize(w);
        self.transfer(w, g);
        if let Some(c) = self.clients.get_mut(&w) {
            c.floating = true;
            c.fullscreen = false;
            c.above = true;
            c.below = false;
            c.float_rect = geometry.resolve(area, c.float_rect);
        }
        self.showing_desktop = false;
        self.focus_window(w, fx);
    }

    /// Hide the scratchpads with `on_focus_lost_hide` whose window had the focus before this
    /// input and lost it to another window.
    pub(super) fn hide_scratchpads_that_lost_focus(
        &mut self,
        before: Option<WindowId>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(b) = before else {
            return;
        };
        let now = self.focused();
        if now == before || now.is_none() {
            return;
        }
        let hide = self
            .scratchpads
            .iter()
            .any(|sp| sp.window == Some(b) && sp.spec.on_focus_lost_hide);
        if hide && self.is_visible(b) {
            self.minimize(b, fx);
        }
    }
}
