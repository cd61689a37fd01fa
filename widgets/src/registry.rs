//! Building widgets from their kind and options, as the Lua config gives them
//! (`oxtile.widget.<kind>{ ... }`). `oxtile check` uses the same path, so a bad option is
//! a config error with a line number, not a surprise at run time.

use serde_json::{Map, Value};

use crate::builtin::{
    Canvas, Clock, CurrentLayout, GroupBox, Sep, Spacer, Systray, TextBox, WindowName,
};
use crate::style::{Options, Style};
use crate::widget::Widget;

/// A built widget with the name users gave it and its resolved style.
pub struct Placed {
    /// `name = "..."` from its options, else its kind.
    pub name: String,
    /// The bar's style with the widget's own overrides.
    pub style: Style,
    /// The widget.
    pub widget: Box<dyn Widget>,
}

/// Every kind `build` knows, for error messages and docs.
pub const KINDS: &[&str] = &[
    "textbox",
    "spacer",
    "sep",
    "poll",
    "command",
    "groupbox",
    "windowname",
    "currentlayout",
    "systray",
    "canvas",
    "clock",
    "prompt",
];

/// Build a widget. Unknown kinds and unknown or ill-typed options are errors naming them.
pub fn build(
    kind: &str,
    options: &Map<String, Value>,
    bar_style: &Style,
) -> Result<Placed, String> {
    let o = Options::new(kind, options);
    let name = o.string("name", kind)?;
    let style = bar_style.with_overrides(&o)?;
    let widget: Box<dyn Widget> = match kind {
        "textbox" => Box::new(TextBox::from_options("textbox", &o)?),
        // Lua-driven text widgets: their callbacks (fn, cmd, interval, timeout, on_click) are
        // read by the window manager; here they are text boxes.
        "poll" | "command" => {
            let keys: &[&str] = if kind == "poll" {
                &["fn", "interval", "on_click"]
            } else {
                &["cmd", "interval", "timeout", "on_click"]
            };
            for key in keys {
                o.get(key);
            }
            let kind = if kind == "poll" { "poll" } else { "command" };
            Box::new(TextBox::from_options(kind, &o)?)
        }
        "spacer" => Box::new(Spacer::from_options(&o)?),
        "sep" => Box::new(Sep::from_options(&o)?),
        "groupbox" => Box::new(GroupBox::from_options(&o)?),
        "windowname" => Box::new(WindowName::from_options(&o)?),
        "currentlayout" => Box::new(CurrentLayout::from_options(&o)?),
        "systray" => Box::new(Systray::from_options(&o)?),
        "canvas" => Box::new(Canvas::from_options(&o)?),
        "clock" => Box::new(Clock::from_options(&o)?),
        "containers" => Box::new(crate::containers::Containers::from_options(&o)?),
        "prompt" => Box::new(crate::prompt::PromptWidget::from_options(&o)?),
        _ => {
            return Err(format!(
                "unknown widget '{kind}' (known: {})",
                KINDS.join(", ")
            ))
        }
    };
    o.finish()?;
    Ok(Placed {
        name,
        style,
        widget,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(s: &str) -> Map<String, Value> {
        serde_json::from_str(s).expect("json")
    }

    #[test]
    fn names_default_to_the_kind_and_styles_are_overridden() {
        let p = build(
            "textbox",
            &opts(r##"{"text": "hi", "foreground": "#ff0000"}"##),
            &Style::default(),
        )
        .expect("builds");
        assert_eq!(p.name, "textbox");
        assert_eq!(p.style.foreground.to_argb(), 0xffff0000);
        let p = build(
            "textbox",
            &opts(r#"{"name": "greeting"}"#),
            &Style::default(),
        )
        .expect("builds");
        assert_eq!(p.name, "greeting");
    }

    #[test]
    fn every_kind_builds_with_its_defaults_and_names_itself() {
        for kind in KINDS {
            let p = build(kind, &Map::new(), &Style::default())
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(p.widget.kind(), *kind);
        }
        let err = build(
            "clock",
            &opts(r#"{"timezone": "US/Centrl"}"#),
            &Style::default(),
        )
        .err()
        .expect("error");
        assert!(err.contains("US/Central"), "{err}");
    }

    #[test]
    fn unknown_kinds_and_options_are_errors_naming_them() {
        let err = build("clok", &Map::new(), &Style::default())
            .err()
            .expect("error");
        assert!(err.contains("'clok'"), "{err}");
        let err = build("textbox", &opts(r#"{"txt": "x"}"#), &Style::default())
            .err()
            .expect("error");
        assert!(err.contains("'txt'"), "{err}");
        let err = build(
            "textbox",
            &opts(r##"{"foreground": "red"}"##),
            &Style::default(),
        )
        .err()
        .expect("error");
        assert!(err.contains("foreground"), "{err}");
    }
}
