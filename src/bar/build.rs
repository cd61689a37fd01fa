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
    let mut placed = registry::build(kind, &spec.options, style)?;
    if kind != spec.kind && !spec.options.contains_key("name") {
        placed.name = spec.kind.clone();
    }
    Ok(placed)
}
