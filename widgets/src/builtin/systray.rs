//! Systray: room on the bar for the tray icons the window manager docks. The icons are X
//! windows placed on top of the bar by the window manager; this widget only reserves
//! their width and draws nothing.
//!
//! Options: `icon_size` (pixels; default: the bar's height − 4), `spacing` (pixels after
//! each icon; default 2).
//!
//! Placing icons (the bar's side of the convention): with `s = state()`, icon `i`
//! (0-based) goes at x = widget x + i × (`s.icon_size` + `s.spacing`), y = (bar height −
//! `s.icon_size`) / 2, sized `s.icon_size` square. [`Systray::icon_size_for`] gives the
//! same size without going through JSON.

use serde_json::{json, Value};

use crate::style::Options;
use crate::widget::{DrawCx, Widget, WidgetError, WmData};

/// Reserved room for tray icons.
#[derive(Debug, Clone)]
pub struct Systray {
    icon_size: Option<u32>,
    spacing: u32,
    icons: u32,
    /// The bar height last measured or drawn with, for `state()`'s effective icon size.
    height: Option<u32>,
}

impl Default for Systray {
    fn default() -> Self {
        Systray {
            icon_size: None,
            spacing: 2,
            icons: 0,
            height: None,
        }
    }
}

impl Systray {
    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let icon_size = match o.get("icon_size") {
            None => None,
            Some(_) => Some(o.uint("icon_size", 0, 1, 1000)?),
        };
        Ok(Systray {
            icon_size,
            spacing: o.uint("spacing", 2, 0, 1000)?,
            ..Systray::default()
        })
    }

    /// The size of one icon on a bar `bar_height` pixels high: `icon_size`, or the height
    /// minus 4 (at least 1).
    pub fn icon_size_for(&self, bar_height: u32) -> u32 {
        self.icon_size
            .unwrap_or_else(|| bar_height.saturating_sub(4).max(1))
    }

    /// Pixels after each icon.
    pub fn spacing(&self) -> u32 {
        self.spacing
    }

    /// How many icons it makes room for.
    pub fn icons(&self) -> u32 {
        self.icons
    }
}

impl Widget for Systray {
    fn kind(&self) -> &'static str {
        "systray"
    }

    /// Tray icons are windows, not text: always "".
    fn text(&self) -> String {
        String::new()
    }

    fn measure(&mut self, _cr: &cairo::Context, cx: &DrawCx) -> u32 {
        self.height = Some(cx.height);
        let slot = self.icon_size_for(cx.height).saturating_add(self.spacing);
        self.icons.saturating_mul(slot)
    }

    fn draw(&mut self, _cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        self.height = Some(cx.height);
        Ok(())
    }

    fn update(&mut self, data: &WmData) -> bool {
        if data.tray_icons == self.icons {
            return false;
        }
        self.icons = data.tray_icons;
        true
    }

    /// `{"icons": n, "icon_size": pixels, "spacing": pixels}`; `icon_size` is null until
    /// the widget has been measured when it follows the bar's height.
    fn state(&self) -> Value {
        let size = self
            .icon_size
            .or_else(|| self.height.map(|h| self.icon_size_for(h)));
        json!({ "icons": self.icons, "icon_size": size, "spacing": self.spacing })
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, render_opts};
    use serde_json::Map;

    fn tray(opts: &str, icons: u32) -> Systray {
        let map: Map<String, Value> = serde_json::from_str(opts).expect("json");
        let o = Options::new("systray", &map);
        let mut t = Systray::from_options(&o).expect("builds");
        o.finish().expect("known options");
        t.update(&WmData {
            tray_icons: icons,
            ..WmData::default()
        });
        t
    }

    #[test]
    fn width_is_icons_times_size_plus_spacing_and_nothing_is_drawn() {
        let mut t = tray("{}", 3);
        assert_eq!(t.state()["icon_size"], Value::Null, "not measured yet");
        let c = render(&mut t, 24);
        assert_eq!(c.width, 3 * (20 + 2));
        assert_eq!(c.count_foreground(), 0, "draws nothing");
        assert_eq!(
            t.state(),
            json!({"icons": 3, "icon_size": 20, "spacing": 2})
        );

        let mut t = tray(r#"{"icon_size": 16, "spacing": 4}"#, 2);
        assert_eq!(t.state()["icon_size"], 16);
        assert_eq!(render(&mut t, 30).width, 2 * 20);
        assert_eq!(render_opts("systray", "{}", 30).width, 0, "no icons yet");
    }

    #[test]
    fn update_tracks_the_icon_count() {
        let mut t = tray("{}", 0);
        let d = |n| WmData {
            tray_icons: n,
            ..WmData::default()
        };
        assert!(t.update(&d(1)));
        assert!(!t.update(&d(1)));
        assert_eq!(t.icons(), 1);
        assert!(t.update(&d(0)));
        assert_eq!(render(&mut t, 2).width, 0);
        assert_eq!(t.icon_size_for(2), 1, "tiny bars still give 1-pixel icons");
        assert_eq!(t.spacing(), 2);
    }
}
