//! Prompt: where the window manager's prompts show in the bar (`oxtile.widget.prompt{}`).
//! It only displays: the window manager owns the line being edited and hands this widget
//! what to show (label, text — already masked for secrets —, cursor, hint, message) as
//! data; the widget blinks the cursor on its own clock and takes no room when idle.
//!
//! Options: `blink` (seconds per cursor phase, default 0.5; 0 keeps it on).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::builtin::ERROR_RED;
use crate::style::{Options, Rgba};
use crate::text::{self, Text};
use crate::widget::{DrawCx, Widget, WidgetError};

/// What the prompt shows, as the window manager sends it (`set_data`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromptView {
    /// A prompt is open (shows the cursor).
    pub active: bool,
    /// "run", "site", "secret", …
    pub label: String,
    /// The text as shown (masked for secrets).
    pub text: String,
    /// Cursor position, in characters of `text`.
    pub cursor: usize,
    /// Completion matches or a note, after the text.
    pub hint: String,
    /// A message shown alone when no prompt is open (a result, an error).
    pub message: String,
    /// The message is an error (shown in red).
    pub error: bool,
}

/// The prompt widget.
#[derive(Debug, Clone)]
pub struct PromptWidget {
    view: PromptView,
    blink: Option<Duration>,
    /// When the current blink cycle started (set on the first tick after a change).
    epoch: Option<DateTime<Utc>>,
    cursor_on: bool,
}

/// Width of the cursor bar in pixels.
const CURSOR_WIDTH: u32 = 2;

impl PromptWidget {
    /// An idle prompt blinking every `blink` (None: steady cursor).
    pub fn new(blink: Option<Duration>) -> Self {
        PromptWidget {
            view: PromptView::default(),
            blink,
            epoch: None,
            cursor_on: true,
        }
    }

    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let secs = o.number("blink", 0.5, 0.0, 60.0)?;
        let blink = (secs > 0.0).then(|| Duration::milliseconds((secs * 1000.0) as i64));
        Ok(PromptWidget::new(blink))
    }

    /// What it shows now.
    pub fn view(&self) -> &PromptView {
        &self.view
    }

    /// Whether the cursor is drawn now.
    pub fn cursor_visible(&self) -> bool {
        self.view.active && self.cursor_on
    }

    fn shows_anything(&self) -> bool {
        self.view.active || !self.view.message.is_empty()
    }

    fn head(&self) -> String {
        format!("{}: ", self.view.label)
    }

    fn tail(&self) -> String {
        if self.view.hint.is_empty() {
            String::new()
        } else {
            format!("  {}", self.view.hint)
        }
    }
}

impl Widget for PromptWidget {
    fn kind(&self) -> &'static str {
        "prompt"
    }

    fn text(&self) -> String {
        if self.view.active {
            format!("{}{}{}", self.head(), self.view.text, self.tail())
        } else {
            self.view.message.clone()
        }
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        if !self.shows_anything() {
            return 0;
        }
        let font = &cx.style.font;
        text::width(cr, &Text::plain(self.text()), font) + CURSOR_WIDTH + 2 * cx.style.padding
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        let font = &cx.style.font;
        let fg = cx.style.foreground;
        let mut x = cx.style.padding as f64;
        if !self.view.active {
            let color = if self.view.error { ERROR_RED } else { fg };
            text::draw(
                cr,
                &Text::plain(&self.view.message),
                font,
                color,
                x,
                cx.height,
                None,
            );
            return Ok(());
        }
        let width = |s: &str| f64::from(text::width(cr, &Text::plain(s), font));
        let head = self.head();
        text::draw(cr, &Text::plain(&head), font, fg, x, cx.height, None);
        x += width(&head);
        let before: String = self.view.text.chars().take(self.view.cursor).collect();
        let cursor_x = x + width(&before);
        text::draw(
            cr,
            &Text::plain(&self.view.text),
            font,
            fg,
            x,
            cx.height,
            None,
        );
        x += width(&self.view.text);
        if self.cursor_visible() {
            let h = f64::from(cx.height);
            fg.set_source(cr);
            cr.rectangle(cursor_x, h * 0.2, f64::from(CURSOR_WIDTH), h * 0.6);
            cr.fill().map_err(|e| e.to_string())?;
        }
        let tail = self.tail();
        if !tail.is_empty() {
            let dim = Rgba { a: 0.6, ..fg };
            text::draw(cr, &Text::plain(&tail), font, dim, x, cx.height, None);
        }
        Ok(())
    }

    fn next_wake(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let period = self.blink.filter(|_| self.view.active)?;
        let Some(epoch) = self.epoch else {
            return Some(now);
        };
        let ms = period.num_milliseconds().max(1);
        let phases = (now - epoch).num_milliseconds().max(0) / ms;
        Some(epoch + Duration::milliseconds((phases + 1) * ms))
    }

    fn tick(&mut self, now: DateTime<Utc>) -> bool {
        let Some(period) = self.blink.filter(|_| self.view.active) else {
            return false;
        };
        let epoch = *self.epoch.get_or_insert(now);
        let ms = period.num_milliseconds().max(1);
        let on = ((now - epoch).num_milliseconds().max(0) / ms) % 2 == 0;
        let changed = on != self.cursor_on;
        self.cursor_on = on;
        changed
    }

    fn set_data(&mut self, data: &Value) -> bool {
        let Ok(view) = PromptView::deserialize(data) else {
            return false;
        };
        if view == self.view {
            return false;
        }
        self.view = view;
        // Any change shows the cursor and restarts the blink, as editors do while typing.
        self.epoch = None;
        self.cursor_on = true;
        true
    }

    fn state(&self) -> Value {
        serde_json::to_value(&self.view).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::render;
    use serde_json::json;

    fn t(ms: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp_millis(1_700_000_000_000 + ms).expect("time")
    }

    fn open(w: &mut PromptWidget, text: &str) {
        let view =
            json!({"active": true, "label": "run", "text": text, "cursor": text.chars().count()});
        assert!(w.set_data(&view));
    }

    #[test]
    fn idle_it_takes_no_room_and_open_it_shows_label_and_text() {
        let mut w = PromptWidget::new(None);
        let idle = render(&mut w, 24);
        assert_eq!(idle.width, 0);
        open(&mut w, "xterm");
        assert_eq!(w.text(), "run: xterm");
        let c = render(&mut w, 24);
        assert!(c.width > 20 && c.count_foreground() > 20, "{}", c.width);
        assert!(!w.set_data(&json!({"active": true, "label": "run", "text": "xterm", "cursor": 5})));
    }

    #[test]
    fn the_cursor_blinks_on_the_injected_clock_and_typing_restarts_it() {
        let mut w = PromptWidget::new(Some(Duration::milliseconds(500)));
        assert_eq!(w.next_wake(t(0)), None, "idle: no wake-ups");
        open(&mut w, "a");
        assert_eq!(
            w.next_wake(t(0)),
            Some(t(0)),
            "a first tick starts the clock"
        );
        assert!(!w.tick(t(0)));
        assert!(w.cursor_visible());
        assert_eq!(w.next_wake(t(100)), Some(t(500)));
        assert!(w.tick(t(500)), "off after one phase");
        assert!(!w.cursor_visible());
        assert_eq!(w.next_wake(t(500)), Some(t(1000)));
        assert!(!w.tick(t(700)));
        assert!(w.tick(t(1000)), "on again");
        assert!(w.tick(t(1600)));
        assert!(!w.cursor_visible());
        open(&mut w, "ab");
        assert!(w.cursor_visible(), "typing shows the cursor at once");
        assert!(!w.tick(t(1700)));
        assert!(w.cursor_visible());
        assert!(w.tick(t(2200)));
    }

    #[test]
    fn the_cursor_is_drawn_only_while_visible() {
        let mut w = PromptWidget::new(Some(Duration::milliseconds(500)));
        open(&mut w, "");
        w.tick(t(0));
        let on = render(&mut w, 24).count_foreground();
        w.tick(t(500));
        let off = render(&mut w, 24).count_foreground();
        assert!(on > off, "the cursor bar adds pixels ({on} vs {off})");
    }

    #[test]
    fn a_steady_cursor_never_wakes() {
        let mut w = PromptWidget::new(None);
        open(&mut w, "x");
        assert_eq!(w.next_wake(t(0)), None);
        assert!(!w.tick(t(10_000)));
        assert!(w.cursor_visible());
    }

    #[test]
    fn messages_show_without_a_cursor_errors_in_red() {
        let mut w = PromptWidget::new(None);
        assert!(w.set_data(&json!({"message": "cannot grab the keyboard", "error": true})));
        assert_eq!(w.text(), "cannot grab the keyboard");
        assert!(!w.cursor_visible());
        let c = render(&mut w, 24);
        assert!(c.count_color(|p| (p >> 16) & 0xff > 0xa0 && (p >> 8) & 0xff < 0x80) > 10);
        assert_eq!(w.state()["error"], json!(true));
    }

    #[test]
    fn blink_option_is_checked() {
        let map = serde_json::from_str(r#"{"blink": -1}"#).expect("json");
        assert!(PromptWidget::from_options(&Options::new("prompt", &map)).is_err());
        let map = serde_json::from_str(r#"{"blink": 0}"#).expect("json");
        let w = PromptWidget::from_options(&Options::new("prompt", &map)).expect("builds");
        assert_eq!(w.blink, None);
    }
}
