//! The benchmark's X client: a [`TestClient`] plus what measuring needs — events stamped
//! with the instant they were read, waiting on the connection's fd with a deadline (no
//! spinning: the machine has two cores to share with Xvfb and the window manager), the
//! DAMAGE extension on the root, and pipelined queries over many windows.

use std::collections::VecDeque;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use x11rb::connection::Connection;
use x11rb::protocol::damage::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{
    ChangeWindowAttributesAux, ConnectionExt as _, EventMask, MapState, Window,
};
use x11rb::protocol::Event;

use crate::{Rect, TestClient};

/// An event and the instant the probe read it from the connection.
pub type Stamped = (Instant, Event);

/// A connection to the benchmarked display, measuring from outside the window manager.
pub struct Probe {
    client: TestClient,
    queue: VecDeque<Stamped>,
    screen: Rect,
}

impl Probe {
    /// Connect to `display`; panics (the benchmark fails loudly) when it cannot.
    pub fn connect(display: &str) -> Probe {
        let client = TestClient::connect(display);
        let setup = &client.conn().setup().roots[0];
        let screen = Rect::new(
            0,
            0,
            setup.width_in_pixels.into(),
            setup.height_in_pixels.into(),
        );
        Probe {
            client,
            queue: VecDeque::new(),
            screen,
        }
    }

    /// The test client underneath, for making windows and reading EWMH properties.
    pub fn client(&self) -> &TestClient {
        &self.client
    }

    /// The screen's rectangle.
    pub fn screen(&self) -> Rect {
        self.screen
    }

    /// Add `mask` to the events this probe selects on the root. Only SubstructureRedirect
    /// is exclusive, and the probe never asks for it.
    pub fn select_root(&self, mask: EventMask) {
        let conn = self.client.conn();
        let aux = ChangeWindowAttributesAux::new().event_mask(mask);
        conn.change_window_attributes(self.client.root(), &aux)
            .expect("change_window_attributes on the root")
            .check()
            .expect("selecting root events");
    }

    /// Report every drawing on the screen as DamageNotify events (one per rectangle, in
    /// root coordinates). Damage on the root covers its inferiors, so this sees a bar's
    /// first paint without racing the window manager for the bar window's id.
    pub fn watch_damage(&self) {
        let conn = self.client.conn();
        conn.damage_query_version(1, 1)
            .expect("damage_query_version")
            .reply()
            .expect("the X server has no DAMAGE extension");
        let id = conn.generate_id().expect("generate_id");
        conn.damage_create(id, self.client.root(), damage::ReportLevel::RAW_RECTANGLES)
            .expect("damage_create")
            .check()
            .expect("damage_create on the root");
    }

    /// True once some client (the window manager) selected SubstructureRedirect on the
    /// root. Read from the root's `all_event_masks`, so the probe never takes the redirect
    /// itself and cannot make the window manager's own attempt fail.
    pub fn redirect_taken(&self) -> bool {
        let conn = self.client.conn();
        conn.get_window_attributes(self.client.root())
            .expect("get_window_attributes")
            .reply()
            .map(|a| {
                u32::from(a.all_event_masks) & u32::from(EventMask::SUBSTRUCTURE_REDIRECT) != 0
            })
            .expect("get_window_attributes(root)")
    }

    /// Move every event the connection has already read into the stamped queue, stamped
    /// now. Called right after each reply a poll loop waits for, so an event that arrived
    /// during the poll is stamped at most one round trip late.
    pub fn drain(&mut self) {
        let now = Instant::now();
        while let Some(event) = self
            .client
            .conn()
            .poll_for_event()
            .expect("the X connection broke")
        {
            self.queue.push_back((now, event));
        }
    }

    /// The next event, waiting for it until `deadline`; `None` when none came.
    pub fn next_event(&mut self, deadline: Instant) -> Option<Stamped> {
        loop {
            self.drain();
            if let Some(event) = self.queue.pop_front() {
                return Some(event);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.wait_readable(left);
        }
    }

    /// Forget every event received so far (after a round trip, so nothing in flight from
    /// requests already processed is left).
    pub fn discard_events(&mut self) {
        self.client.round_trip();
        self.drain();
        self.queue.clear();
    }

    /// Sleep in poll(2) until the connection has data or `timeout` passes.
    fn wait_readable(&self, timeout: Duration) {
        let stream = self.client.conn().stream();
        let fd = stream.as_fd();
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        let timeout = Timespec {
            tv_sec: timeout.as_secs() as i64,
            tv_nsec: timeout.subsec_nanos().into(),
        };
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => panic!("poll on the X connection: {e}"),
        }
    }

    /// How many of `wins` are viewable (mapped, frames included), all asked at once.
    pub fn count_viewable(&self, wins: &[Window]) -> usize {
        self.viewable(wins).into_iter().filter(|&v| v).count()
    }

    /// Whether each of `wins` is viewable, all asked at once.
    pub fn viewable(&self, wins: &[Window]) -> Vec<bool> {
        let conn = self.client.conn();
        let cookies: Vec<_> = wins
            .iter()
            .map(|&w| conn.get_window_attributes(w).expect("request"))
            .collect();
        cookies
            .into_iter()
            .map(|c| c.reply().is_ok_and(|a| a.map_state == MapState::VIEWABLE))
            .collect()
    }

    /// Where each of `wins` is in root coordinates (`None` for a window that is gone),
    /// all asked at once.
    pub fn geometries(&self, wins: &[Window]) -> Vec<Option<Rect>> {
        let conn = self.client.conn();
        let root = self.client.root();
        let cookies: Vec<_> = wins
            .iter()
            .map(|&w| {
                (
                    conn.get_geometry(w).expect("request"),
                    conn.translate_coordinates(w, root, 0, 0).expect("request"),
                )
            })
            .collect();
        cookies
            .into_iter()
            .map(|(geo, pos)| {
                let (geo, pos) = (geo.reply().ok()?, pos.reply().ok()?);
                Some(Rect::new(
                    pos.dst_x.into(),
                    pos.dst_y.into(),
                    geo.width.into(),
                    geo.height.into(),
                ))
            })
            .collect()
    }

    /// The rectangles of the bars on screen: viewable windows up to three levels below the
    /// root (a dock may be reparented into a frame) that span at least half the screen's
    /// width, are 8 to 64 pixels tall and touch its top or bottom edge.
    pub fn bar_rects(&self) -> Vec<Rect> {
        let conn = self.client.conn();
        let screen = self.screen;
        let mut bars = Vec::new();
        let mut level = vec![self.client.root()];
        for _depth in 0..3 {
            let mut next = Vec::new();
            for parent in level {
                if let Some(tree) = conn.query_tree(parent).ok().and_then(|c| c.reply().ok()) {
                    next.extend(tree.children);
                }
            }
            let viewable: Vec<Window> = next
                .iter()
                .zip(self.viewable(&next))
                .filter_map(|(&w, v)| v.then_some(w))
                .collect();
            for r in self.geometries(&viewable).into_iter().flatten() {
                let edge = r.y == screen.y || r.bottom() == screen.bottom();
                if r.w * 2 >= screen.w && (8..=64).contains(&r.h) && edge && !bars.contains(&r) {
                    bars.push(r);
                }
            }
            level = next;
        }
        bars
    }
}

/// The rectangle a DamageNotify reports, in root coordinates (damage is watched on the root).
pub fn damage_area(event: &Event) -> Option<Rect> {
    match event {
        Event::DamageNotify(d) => Some(Rect::new(
            d.area.x.into(),
            d.area.y.into(),
            d.area.width.into(),
            d.area.height.into(),
        )),
        _ => None,
    }
}
