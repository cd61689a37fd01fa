//! Colours and the drawing style a bar hands its widgets (font, foreground, background,
//! padding), with per-widget overrides from their options.

use serde_json::{Map, Value};

/// A colour with alpha, each channel 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    /// Red.
    pub r: f64,
    /// Green.
    pub g: f64,
    /// Blue.
    pub b: f64,
    /// Alpha (1 is opaque).
    pub a: f64,
}

impl Rgba {
    /// An opaque colour from 0xRRGGBB.
    pub const fn rgb(hex: u32) -> Rgba {
        Rgba {
            r: ((hex >> 16) & 0xff) as f64 / 255.0,
            g: ((hex >> 8) & 0xff) as f64 / 255.0,
            b: (hex & 0xff) as f64 / 255.0,
            a: 1.0,
        }
    }

    /// Parse "#rrggbb", "#rrggbbaa", "#rgb" (the leading '#' is optional).
    pub fn parse(s: &str) -> Option<Rgba> {
        let hex = s.strip_prefix('#').unwrap_or(s);
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        match hex.len() {
            3 => {
                let (r, g, b) = ((v >> 8) & 0xf, (v >> 4) & 0xf, v & 0xf);
                Some(Rgba::rgb((r * 0x11) << 16 | (g * 0x11) << 8 | (b * 0x11)))
            }
            6 => Some(Rgba::rgb(v)),
            8 => Some(Rgba {
                a: (v & 0xff) as f64 / 255.0,
                ..Rgba::rgb(v >> 8)
            }),
            _ => None,
        }
    }

    /// Make this the source colour of `cr`.
    pub fn set_source(&self, cr: &cairo::Context) {
        cr.set_source_rgba(self.r, self.g, self.b, self.a);
    }

    /// As 0xAARRGGBB with premultiplied-free channels (what tests compare pixels with).
    pub fn to_argb(&self) -> u32 {
        let c = |x: f64| (x.clamp(0.0, 1.0) * 255.0).round() as u32;
        c(self.a) << 24 | c(self.r) << 16 | c(self.g) << 8 | c(self.b)
    }
}

/// How a bar draws by default; each widget may override any field from its options
/// (`font`, `foreground`, `background`, `padding`).
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// A Pango font description, e.g. "sans 10" or "DejaVu Sans Mono Bold 9".
    pub font: String,
    /// Text colour.
    pub foreground: Rgba,
    /// Background colour (the bar's, unless the widget sets its own).
    pub background: Rgba,
    /// Horizontal padding on each side of a widget's content, in pixels.
    pub padding: u32,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            font: "sans 10".into(),
            foreground: Rgba::rgb(0xdddddd),
            background: Rgba::rgb(0x222222),
            padding: 4,
        }
    }
}

impl Style {
    /// This style with the overrides found in a widget's options.
    pub fn with_overrides(&self, opts: &Options) -> Result<Style, String> {
        Ok(Style {
            font: opts.string("font", &self.font)?,
            foreground: opts.color("foreground", self.foreground)?,
            background: opts.color("background", self.background)?,
            padding: opts.uint("padding", self.padding, 0, 1000)?,
        })
    }
}

/// Typed, checked access to a widget's options (from Lua, as JSON). Remembers which keys
/// were read so that an option nobody asked for is reported as unknown.
pub struct Options<'a> {
    kind: &'a str,
    map: &'a Map<String, Value>,
    seen: std::cell::RefCell<Vec<String>>,
}

impl<'a> Options<'a> {
    /// Wrap the options given to a widget of `kind`.
    pub fn new(kind: &'a str, map: &'a Map<String, Value>) -> Self {
        Options {
            kind,
            map,
            seen: Default::default(),
        }
    }

    /// The raw value, if given (marks the key as known).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.seen.borrow_mut().push(key.to_string());
        self.map.get(key)
    }

    fn err(&self, key: &str, want: &str, got: &Value) -> String {
        format!(
            "widget {}: option '{key}' must be {want}, got {got}",
            self.kind
        )
    }

    /// A string, or `default`.
    pub fn string(&self, key: &str, default: &str) -> Result<String, String> {
        match self.get(key) {
            None => Ok(default.to_string()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(self.err(key, "a string", v)),
        }
    }

    /// An optional string.
    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.err(key, "a string", v)),
        }
    }

    /// A whole number in `min..=max`, or `default`.
    pub fn uint(&self, key: &str, default: u32, min: u32, max: u32) -> Result<u32, String> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => match v.as_u64() {
                Some(x) if (min as u64..=max as u64).contains(&x) => Ok(x as u32),
                _ => Err(self.err(key, &format!("a whole number in {min}..{max}"), v)),
            },
        }
    }

    /// A number in `min..=max`, or `default`.
    pub fn number(&self, key: &str, default: f64, min: f64, max: f64) -> Result<f64, String> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => match v.as_f64() {
                Some(x) if (min..=max).contains(&x) => Ok(x),
                _ => Err(self.err(key, &format!("a number in {min}..{max}"), v)),
            },
        }
    }

    /// A boolean, or `default`.
    pub fn bool(&self, key: &str, default: bool) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(self.err(key, "true or false", v)),
        }
    }

    /// A colour ("#rrggbb", "#rrggbbaa", "#rgb"), or `default`.
    pub fn color(&self, key: &str, default: Rgba) -> Result<Rgba, String> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::String(s)) => Rgba::parse(s).ok_or_else(|| {
                self.err(key, "a colour like \"#rrggbb\"", &Value::String(s.clone()))
            }),
            Some(v) => Err(self.err(key, "a colour like \"#rrggbb\"", v)),
        }
    }

    /// A list of strings, or `default`.
    pub fn strings(&self, key: &str, default: &[&str]) -> Result<Vec<String>, String> {
        match self.get(key) {
            None => Ok(default.iter().map(|s| s.to_string()).collect()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(String::from)
                        .ok_or_else(|| self.err(key, "a list of strings", v))
                })
                .collect(),
            Some(v) => Err(self.err(key, "a list of strings", v)),
        }
    }

    /// Error on the first option no accessor asked for. Keys every widget accepts
    /// (`name`, the style overrides) are read by the registry before this.
    pub fn finish(&self) -> Result<(), String> {
        let seen = self.seen.borrow();
        match self.map.keys().find(|k| !seen.iter().any(|s| s == *k)) {
            Some(k) => Err(format!("widget {}: unknown option '{k}'", self.kind)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_with_and_without_alpha() {
        assert_eq!(
            Rgba::parse("#ff0000").map(|c| c.to_argb()),
            Some(0xffff0000)
        );
        assert_eq!(
            Rgba::parse("00ff0080").map(|c| c.to_argb()),
            Some(0x8000ff00)
        );
        assert_eq!(Rgba::parse("#fff").map(|c| c.to_argb()), Some(0xffffffff));
        assert_eq!(Rgba::parse("#12"), None);
        assert_eq!(Rgba::parse("#-12345"), None);
        assert_eq!(Rgba::parse("#zzzzzz"), None);
    }

    #[test]
    fn unknown_and_ill_typed_options_are_named() {
        let map: Map<String, Value> =
            serde_json::from_str(r##"{"text": 3, "colour": "#fff"}"##).expect("json");
        let o = Options::new("textbox", &map);
        let err = o.string("text", "").unwrap_err();
        assert!(err.contains("'text'") && err.contains("string"), "{err}");
        let err = o.finish().unwrap_err();
        assert!(err.contains("'colour'"), "{err}");
    }
}
