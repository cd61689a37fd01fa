//! Which screens (monitors) there are: RandR 1.5 monitors (these include the ones
//! `xrandr --setmonitor` defines), RandR 1.2 CRTCs or Xinerama heads, whichever knows the
//! most, else the root window; the primary first, then left to right. Changes arrive as RandR notifications or
//! as a ConfigureNotify of the root (what `xrandr --setmonitor` causes); the event loop
//! waits `screen_debounce_ms` for the burst to end, then asks again.

use x11rb::connection::{Connection, RequestConnection};
use x11rb::errors::ReplyError;
use x11rb::protocol::randr::{self, ConnectionExt as _};
use x11rb::protocol::xinerama::{self, ConnectionExt as _};
use x11rb::rust_connection::RustConnection;

use super::{XError, X11};
use crate::core::geometry::Rect;

/// What the server offers for finding monitors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScreenSource {
    /// The RandR version the server speaks (0.0 without RandR).
    pub randr: (u32, u32),
    /// Xinerama is present.
    pub xinerama: bool,
}

impl ScreenSource {
    /// Ask the server (one round trip per extension present).
    pub fn query(conn: &RustConnection) -> Result<ScreenSource, XError> {
        let mut source = ScreenSource::default();
        if conn
            .extension_information(randr::X11_EXTENSION_NAME)?
            .is_some()
        {
            if let Ok(v) = conn.randr_query_version(1, 5)?.reply() {
                source.randr = (v.major_version, v.minor_version);
            }
        }
        source.xinerama = conn
            .extension_information(xinerama::X11_EXTENSION_NAME)?
            .is_some();
        Ok(source)
    }

    fn at_least(&self, major: u32, minor: u32) -> bool {
        self.randr >= (major, minor)
    }
}

/// Rectangles in screen order: the primary first, then left to right (top to bottom when
/// level); empty and duplicate (mirrored) ones dropped.
pub fn order_monitors(mut mons: Vec<(bool, Rect)>) -> Vec<Rect> {
    mons.retain(|(_, r)| r.w > 0 && r.h > 0);
    mons.sort_by_key(|(primary, r)| (!primary, r.x, r.y, r.w, r.h));
    let mut out: Vec<Rect> = Vec::new();
    for (_, r) in mons {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

fn rect(x: i16, y: i16, w: u16, h: u16) -> Rect {
    Rect::new(x.into(), y.into(), w.into(), h.into())
}

impl X11 {
    /// Ask for the RandR notifications that mean "the screens changed".
    pub(super) fn select_randr(&self) -> Result<(), XError> {
        if self.screen_source.at_least(1, 2) {
            let m = randr::NotifyMask::SCREEN_CHANGE
                | randr::NotifyMask::CRTC_CHANGE
                | randr::NotifyMask::OUTPUT_CHANGE;
            self.conn.randr_select_input(self.root, m)?;
        } else if self.randr {
            self.conn
                .randr_select_input(self.root, randr::NotifyMask::SCREEN_CHANGE)?;
        }
        Ok(())
    }

    /// One rectangle per monitor, primary first, then left to right; the root window when
    /// nothing better is known. Of RandR monitors, RandR CRTCs and Xinerama heads, the
    /// source that knows the most screens wins, RandR first on a tie: a nested Xephyr with
    /// `+xinerama` has RandR report only its first screen.
    pub fn screens(&self) -> Vec<Rect> {
        let candidates: Vec<Vec<Rect>> = [Self::monitors, Self::crtcs, Self::xinerama]
            .iter()
            .map(|f| f(self))
            .collect();
        tracing::debug!(
            monitors = ?candidates[0],
            crtcs = ?candidates[1],
            xinerama = ?candidates[2],
            "screens"
        );
        let found = candidates
            .into_iter()
            .enumerate()
            .max_by_key(|(i, r)| (r.len(), std::cmp::Reverse(*i)))
            .map(|(_, r)| r)
            .filter(|r| !r.is_empty());
        match found {
            Some(r) => r,
            None => {
                let s = &self.conn.setup().roots[self.screen_num];
                vec![Rect::new(
                    0,
                    0,
                    s.width_in_pixels.into(),
                    s.height_in_pixels.into(),
                )]
            }
        }
    }

    /// RandR 1.5 monitors.
    fn monitors(&self) -> Vec<Rect> {
        if !self.screen_source.at_least(1, 5) {
            return Vec::new();
        }
        let reply = self
            .conn
            .randr_get_monitors(self.root, true)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply());
        match reply {
            Ok(r) => order_monitors(
                r.monitors
                    .iter()
                    .map(|m| (m.primary, rect(m.x, m.y, m.width, m.height)))
                    .collect(),
            ),
            Err(e) => {
                tracing::debug!("RandR GetMonitors: {e}");
                Vec::new()
            }
        }
    }

    /// RandR 1.2 CRTCs that show something.
    fn crtcs(&self) -> Vec<Rect> {
        if !self.screen_source.at_least(1, 2) {
            return Vec::new();
        }
        let c = &self.conn;
        let Ok(res) = c
            .randr_get_screen_resources_current(self.root)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
        else {
            return Vec::new();
        };
        let primary = c
            .randr_get_output_primary(self.root)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map(|r| r.output)
            .unwrap_or(0);
        let cookies: Vec<_> = res
            .crtcs
            .iter()
            .filter_map(|&crtc| c.randr_get_crtc_info(crtc, res.config_timestamp).ok())
            .collect();
        let mons = cookies
            .into_iter()
            .filter_map(|cookie| cookie.reply().ok())
            .filter(|i| i.mode != 0 && !i.outputs.is_empty())
            .map(|i| {
                let is_primary = primary != 0 && i.outputs.contains(&primary);
                (is_primary, rect(i.x, i.y, i.width, i.height))
            })
            .collect();
        order_monitors(mons)
    }

    /// Xinerama screens (servers without RandR 1.2, some nested servers).
    fn xinerama(&self) -> Vec<Rect> {
        if !self.screen_source.xinerama {
            return Vec::new();
        }
        let c = &self.conn;
        let active = c
            .xinerama_is_active()
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .is_ok_and(|r| r.state != 0);
        if !active {
            return Vec::new();
        }
        match c
            .xinerama_query_screens()
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
        {
            Ok(r) => order_monitors(
                r.screen_info
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (i == 0, rect(s.x_org, s.y_org, s.width, s.height)))
                    .collect(),
            ),
            Err(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_first_then_left_to_right_without_mirrors() {
        let a = Rect::new(0, 0, 1280, 800);
        let b = Rect::new(1280, 0, 1920, 1080);
        let c = Rect::new(-1024, 0, 1024, 768);
        let got = order_monitors(vec![
            (false, a),
            (true, b),
            (false, c),
            (false, a),
            (false, Rect::new(5, 5, 0, 10)),
        ]);
        assert_eq!(got, vec![b, c, a]);
        assert_eq!(order_monitors(vec![]), Vec::<Rect>::new());
    }
}
