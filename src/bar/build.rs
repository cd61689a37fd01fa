//! From a configured widget (kind, options, Lua callbacks) to a built one. Lua-driven
//! kinds are mapped onto built-ins: `poll` and `command` are text boxes whose text the
//! window manager sets, `custom` is a canvas replaying what its Lua `draw` recorded.

use oxtile_widgets::registry::{self, Placed};
use oxtile_widgets::Style;

use crate::config::WidgetSpec;

/// Build one widget for a bar with `style`.
pub fn build_widget(spec: &WidgetSpec, style: &Style) -> Result<Placed, String> {
    let needs = |callback: &str, how: &str| {
        if spec.callbacks.contains_key(callback) {
            Ok(())
        } else {
            Err(format!("{}: needs {how}", spec.kind))
        }
    };
    let kind = match spec.kind.as_str() {
        "poll" => {
            needs("fn", "fn = function() return text end")?;
            "poll"
        }
        "command" => {
            if !spec.options.get("cmd").is_some_and(|c| c.is_string()) {
                return Err("command: needs cmd = \"a shell command\"".into());
            }
            if let Some(t) = spec.options.get("timeout") {
                if !t
                    .as_f64()
                    .is_some_and(|t| t.is_finite() && t > 0.0 && t <= 86_400.0)
                {
                    return Err(format!(
                        "command: timeout = {t} is not a number of seconds in (0, 86400]"
                    ));
                }
            }
            "command"
        }
        "custom" => {
            needs("draw", "draw = function(d, w, h) ... end")?;
            "canvas"
        }
        other => other,
    };
    // `interval` is the window manager's (how often `draw` runs), not the canvas's.
    let mut options = spec.options.clone();
    if spec.kind == "custom" {
        options.remove("interval");
    }
    let mut placed = registry::build(kind, &options, style)?;
    if kind != spec.kind && !spec.options.contains_key("name") {
        placed.name = spec.kind.clone();
    }
    Ok(placed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: &str, options: serde_json::Value, callback: &str) -> WidgetSpec {
        WidgetSpec {
            kind: kind.into(),
            options: options.as_object().cloned().unwrap_or_default(),
            callbacks: [(callback.to_string(), 0)].into_iter().collect(),
        }
    }

    /// Found by the chaos config: docs/widgets.md gives `custom` an `interval`, but the
    /// canvas it is built on refused it as an unknown option, so the whole config failed.
    #[test]
    fn a_custom_widget_takes_an_interval_and_still_refuses_unknown_options() {
        let style = Style::default();
        let built = build_widget(
            &spec(
                "custom",
                serde_json::json!({"width": 40, "interval": 0.5}),
                "draw",
            ),
            &style,
        )
        .expect("custom with an interval builds");
        assert_eq!(built.name, "custom");
        assert_eq!(built.widget.kind(), "canvas");
        let err = build_widget(
            &spec("custom", serde_json::json!({"intervall": 0.5}), "draw"),
            &style,
        )
        .err()
        .unwrap_or_default();
        assert!(err.contains("intervall"), "{err}");
    }
}
