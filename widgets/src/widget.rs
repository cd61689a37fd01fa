//! The `Widget` trait and the plain data that flows between the bar and its widgets:
//! window-manager facts in ([`WmData`]), clicks in ([`Click`]), requests out ([`Request`]).

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::style::Style;

/// How much room a widget takes along the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// Exactly this many pixels.
    Fixed(u32),
    /// What [`Widget::measure`] says (text widgets).
    Content,
    /// An equal share of whatever the other widgets leave.
    Stretch,
}

/// One group as widgets see it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupInfo {
    /// Its name.
    pub name: String,
    /// Shown on the bar's screen.
    pub on_this_screen: bool,
    /// Shown on another screen.
    pub on_other_screen: bool,
    /// Shown on the focused screen (the group keys act on).
    pub focused: bool,
    /// Has at least one window.
    pub has_windows: bool,
    /// One of its windows wants attention.
    pub urgent: bool,
}

/// What the window manager tells widgets. One value per bar (per screen).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WmData {
    /// Groups in order.
    pub groups: Vec<GroupInfo>,
    /// Title of the focused window on the bar's screen ("" when none).
    pub focused_title: String,
    /// Name of the current layout of the bar's screen's group.
    pub layout: String,
    /// Number of icons docked in the system tray (for the `Systray` widget's width).
    pub tray_icons: u32,
    /// Problems in the config the session runs without ("FILE:LINE: message").
    pub config_errors: Vec<String>,
}

/// A mouse button as widgets see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Button 1.
    Left,
    /// Button 2.
    Middle,
    /// Button 3.
    Right,
    /// Button 4.
    ScrollUp,
    /// Button 5.
    ScrollDown,
    /// Any other button number.
    Other(u8),
}

impl Button {
    /// From the X button number.
    pub fn from_number(n: u8) -> Button {
        match n {
            1 => Button::Left,
            2 => Button::Middle,
            3 => Button::Right,
            4 => Button::ScrollUp,
            5 => Button::ScrollDown,
            n => Button::Other(n),
        }
    }
}

/// A click (or scroll) on a widget, in the widget's own coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Click {
    /// Which button.
    pub button: Button,
    /// Pixels from the widget's left edge.
    pub x: i32,
    /// Pixels from the bar's top edge.
    pub y: i32,
}

/// What a widget asks the window manager to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Show this group on the bar's screen.
    ToGroup(String),
    /// Show the next group.
    NextGroup,
    /// Show the previous group.
    PrevGroup,
    /// Run a shell command.
    Spawn(String),
    /// Call the Lua function registered under this id (on_click callbacks).
    Callback(usize),
    /// Run the Lua functions connected to hook `name` with these arguments (e.g.
    /// `container_change(backend, name, old_state, new_state)`).
    Hook(String, Vec<Value>),
    /// Open a popup under the widget listing `lines`; a click on line `i` comes back
    /// through [`Widget::popup_choice`]. Escape or a click elsewhere closes it.
    Popup(Vec<String>),
    /// Close the widget's popup.
    ClosePopup,
}

/// Wakes the event loop from another thread. A widget that does I/O starts a worker in
/// [`Widget::start`]; the worker calls the waker when it has news, and the loop then calls
/// [`Widget::pump`] on the event-loop thread.
pub type Waker = std::sync::Arc<dyn Fn() + Send + Sync>;

/// What a widget draws with: its size and its resolved style.
#[derive(Debug, Clone, Copy)]
pub struct DrawCx<'a> {
    /// Width given to the widget.
    pub width: u32,
    /// Height of the bar.
    pub height: u32,
    /// The widget's style (bar defaults plus its own overrides).
    pub style: &'a Style,
}

/// A widget failed; the bar replaces it by an error widget showing this.
pub type WidgetError = String;

/// A piece of the bar. Widgets never talk to X: they measure themselves, draw on a cairo
/// context, say when they next need waking, and answer clicks with requests.
///
/// ```
/// use oxtile_widgets::{Click, DrawCx, Length, Request, Widget, WidgetError};
/// use oxtile_widgets::text::{self, Text};
///
/// /// Shows how many times it was clicked.
/// struct Counter(u32);
///
/// impl Widget for Counter {
///     fn kind(&self) -> &'static str { "counter" }
///     fn text(&self) -> String { self.0.to_string() }
///     fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
///         text::width(cr, &Text::plain(self.text()), &cx.style.font) + 2 * cx.style.padding
///     }
///     fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
///         let pad = cx.style.padding as f64;
///         text::draw(cr, &Text::plain(self.text()), &cx.style.font, cx.style.foreground, pad, cx.height, None);
///         Ok(())
///     }
///     fn click(&mut self, _click: Click) -> (bool, Vec<Request>) {
///         self.0 += 1;
///         (true, Vec::new())
///     }
/// }
/// ```
pub trait Widget {
    /// The widget's kind, as in `oxtile.widget.<kind>{}` ("clock", "groupbox").
    fn kind(&self) -> &'static str;

    /// What the widget shows, as text (for `oxtile cmd widgets` and tests).
    fn text(&self) -> String;

    /// How it is sized along the bar.
    fn length(&self) -> Length {
        Length::Content
    }

    /// Its width for [`Length::Content`], measured with `cr` (any cairo context works).
    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32;

    /// Draw into (0, 0, cx.width, cx.height) of `cr`; the bar has already painted the
    /// widget's background and clipped to its rectangle.
    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError>;

    /// New facts from the window manager; true when what it shows changed.
    fn update(&mut self, _data: &WmData) -> bool {
        false
    }

    /// The next instant (wall clock) it needs [`Widget::tick`], if any.
    fn next_wake(&self, _now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        None
    }

    /// Time passed (`now` is injected, so tests choose it); true when it changed.
    fn tick(&mut self, _now: DateTime<Utc>) -> bool {
        false
    }

    /// A click or scroll on it: whether it changed, and what it asks for.
    fn click(&mut self, _click: Click) -> (bool, Vec<Request>) {
        (false, Vec::new())
    }

    /// Called once when the bar is built: start background workers (sockets, daemons),
    /// which call `waker` when they have news. Never block here.
    fn start(&mut self, _waker: Waker) {}

    /// After a wake: take the workers' news (without blocking). Whether it changed, and
    /// what it asks for (hooks to run, for instance).
    fn pump(&mut self) -> (bool, Vec<Request>) {
        (false, Vec::new())
    }

    /// A line of the widget's popup was clicked.
    fn popup_choice(&mut self, _line: usize) -> (bool, Vec<Request>) {
        (false, Vec::new())
    }

    /// The wheel turned over the widget's popup (`up` for button 4); a calendar moves by a
    /// month, answering with a new `Request::Popup`.
    fn popup_scroll(&mut self, _up: bool) -> (bool, Vec<Request>) {
        (false, Vec::new())
    }

    /// Its popup was closed from outside (Escape, a click elsewhere, a prompt opening): it
    /// must not open it again on its own (an action's result arriving later, say).
    fn popup_closed(&mut self) {}

    /// Replace its text (widgets whose text comes from outside: Lua poll and command
    /// widgets). True when it changed; false for widgets that do not take text.
    fn set_text(&mut self, _text: &str) -> bool {
        false
    }

    /// Data from outside for widgets drawn by Lua (`custom`: the drawing operations its
    /// `draw` recorded, as JSON). True when it changed; false for widgets that take none.
    fn set_data(&mut self, _data: &Value) -> bool {
        false
    }

    /// Its own state as JSON, for `oxtile cmd widgets` (null when it has nothing beyond
    /// its text).
    fn state(&self) -> Value {
        Value::Null
    }

    /// The widget as [`std::any::Any`], so that the bar can reach a kind's own methods
    /// through a `Box<dyn Widget>` (`Clock::set_timezone`, `Canvas::set_ops`):
    /// `w.as_any_mut().and_then(|a| a.downcast_mut::<Clock>())`. None for widgets that
    /// have no such methods.
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        None
    }
}
