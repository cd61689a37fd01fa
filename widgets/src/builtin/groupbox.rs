//! GroupBox: one box per group, coloured by what the group holds and where it is shown;
//! a click on a box shows that group, scrolling moves to the previous or next group.
//!
//! Options: `active` (text of groups with windows; default: the foreground), `inactive`
//! (text of empty groups; default "#707070"), `highlight` (background of the group on
//! this bar's screen; default "#215578"), `other_screen` (border of groups shown on
//! another screen; default "#8d62a9"), `urgent` (text and border of groups wanting
//! attention; default "#ff3333"), `borderwidth` (default 2), `hide_unused` (hide empty
//! groups shown nowhere; default false), `spacing` (pixels between boxes; default 2).
//! Each box is the name plus the widget's `padding` on both sides.

use serde_json::{json, Value};

use crate::style::{Options, Rgba};
use crate::text::{self, Text};
use crate::widget::{Button, Click, DrawCx, GroupInfo, Request, Widget, WidgetError, WmData};

/// One box per group.
#[derive(Debug, Clone)]
pub struct GroupBox {
    active: Option<Rgba>,
    inactive: Rgba,
    highlight: Rgba,
    other_screen: Rgba,
    urgent: Rgba,
    borderwidth: u32,
    hide_unused: bool,
    spacing: u32,
    /// Every group from the last update (hidden ones too: `state()` lists them).
    groups: Vec<GroupInfo>,
    /// (group name, left x, right x) of each box, from the last measure or draw: what
    /// clicks are matched against.
    boxes: Vec<(String, i32, i32)>,
}

impl Default for GroupBox {
    fn default() -> Self {
        GroupBox {
            active: None,
            inactive: Rgba::rgb(0x707070),
            highlight: Rgba::rgb(0x215578),
            other_screen: Rgba::rgb(0x8d62a9),
            urgent: Rgba::rgb(0xff3333),
            borderwidth: 2,
            hide_unused: false,
            spacing: 2,
            groups: Vec::new(),
            boxes: Vec::new(),
        }
    }
}

/// What a box shows of a group; `update` compares these to know if a redraw is needed
/// (`focused` is not drawn, so a change of it alone is no change).
#[derive(PartialEq)]
struct Shown {
    name: String,
    this: bool,
    other: bool,
    windows: bool,
    urgent: bool,
}

impl GroupBox {
    /// Build from options.
    pub fn from_options(o: &Options) -> Result<Self, String> {
        let d = GroupBox::default();
        let active = match o.get("active") {
            None => None,
            Some(_) => Some(o.color("active", Rgba::rgb(0))?),
        };
        Ok(GroupBox {
            active,
            inactive: o.color("inactive", d.inactive)?,
            highlight: o.color("highlight", d.highlight)?,
            other_screen: o.color("other_screen", d.other_screen)?,
            urgent: o.color("urgent", d.urgent)?,
            borderwidth: o.uint("borderwidth", d.borderwidth, 0, 100)?,
            hide_unused: o.bool("hide_unused", d.hide_unused)?,
            spacing: o.uint("spacing", d.spacing, 0, 1000)?,
            ..d
        })
    }

    /// The groups that get a box.
    fn visible(&self) -> impl Iterator<Item = &GroupInfo> {
        let hide = self.hide_unused;
        self.groups
            .iter()
            .filter(move |g| !hide || g.has_windows || g.on_this_screen || g.on_other_screen)
    }

    fn shown(&self) -> Vec<Shown> {
        self.visible()
            .map(|g| Shown {
                name: g.name.clone(),
                this: g.on_this_screen,
                other: g.on_other_screen,
                windows: g.has_windows,
                urgent: g.urgent,
            })
            .collect()
    }

    /// Lay the boxes out with `cr`'s font metrics; returns the total width.
    fn layout(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        let pad = cx.style.padding as i32;
        let mut boxes = Vec::new();
        let mut x = 0i32;
        for g in self.visible() {
            if !boxes.is_empty() {
                x = x.saturating_add(self.spacing as i32);
            }
            let w = text::width(cr, &Text::plain(&g.name), &cx.style.font) as i32 + 2 * pad;
            boxes.push((g.name.clone(), x, x.saturating_add(w)));
            x = x.saturating_add(w);
        }
        self.boxes = boxes;
        x.max(0) as u32
    }
}

impl Widget for GroupBox {
    fn kind(&self) -> &'static str {
        "groupbox"
    }

    /// The visible groups' names, the one on this screen in brackets: `"1 [2] 3"`.
    fn text(&self) -> String {
        self.visible()
            .map(|g| {
                if g.on_this_screen {
                    format!("[{}]", g.name)
                } else {
                    g.name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn measure(&mut self, cr: &cairo::Context, cx: &DrawCx) -> u32 {
        self.layout(cr, cx)
    }

    fn draw(&mut self, cr: &cairo::Context, cx: &DrawCx) -> Result<(), WidgetError> {
        self.layout(cr, cx);
        let pad = cx.style.padding;
        let h = cx.height as f64;
        let bw = self.borderwidth as f64;
        for ((_, x0, x1), g) in self.boxes.iter().zip(self.visible()) {
            let (x, w) = (*x0 as f64, (*x1 - *x0) as f64);
            if g.on_this_screen {
                self.highlight.set_source(cr);
                cr.rectangle(x, 0.0, w, h);
                cr.fill().map_err(|e| format!("groupbox: {e}"))?;
            }
            let border = if g.urgent {
                Some(self.urgent)
            } else if g.on_other_screen {
                Some(self.other_screen)
            } else {
                None
            };
            if let Some(c) = border.filter(|_| bw > 0.0) {
                // A stroke is centred on its path: inset by half the width to stay inside.
                c.set_source(cr);
                cr.set_line_width(bw);
                cr.rectangle(x + bw / 2.0, bw / 2.0, w - bw, h - bw);
                cr.stroke().map_err(|e| format!("groupbox: {e}"))?;
            }
            let color = if g.urgent {
                self.urgent
            } else if g.has_windows {
                self.active.unwrap_or(cx.style.foreground)
            } else {
                self.inactive
            };
            let max = (*x1 - *x0).max(0) as u32;
            text::draw(
                cr,
                &Text::plain(&g.name),
                &cx.style.font,
                color,
                x + pad as f64,
                cx.height,
                Some(max.saturating_sub(2 * pad)),
            );
        }
        Ok(())
    }

    fn update(&mut self, data: &WmData) -> bool {
        let before = self.shown();
        self.groups.clone_from(&data.groups);
        let changed = self.shown() != before;
        if changed {
            // Boxes move when groups appear, vanish or are renamed; until the next
            // measure, clicks must not land on stale ranges.
            self.boxes.clear();
        }
        changed
    }

    fn click(&mut self, click: Click) -> (bool, Vec<Request>) {
        let req = match click.button {
            Button::Left => self
                .boxes
                .iter()
                .find(|(_, x0, x1)| (*x0..*x1).contains(&click.x))
                .map(|(name, _, _)| Request::ToGroup(name.clone())),
            Button::ScrollUp => Some(Request::PrevGroup),
            Button::ScrollDown => Some(Request::NextGroup),
            _ => None,
        };
        (false, req.into_iter().collect())
    }

    /// `{"groups": [{"name", "visible", "on_this_screen", "on_other_screen", "focused",
    /// "has_windows", "urgent"}...]}`.
    fn state(&self) -> Value {
        let visible: Vec<&str> = self.visible().map(|g| g.name.as_str()).collect();
        let groups: Vec<Value> = self
            .groups
            .iter()
            .map(|g| {
                json!({
                    "name": g.name,
                    "visible": visible.contains(&g.name.as_str()),
                    "on_this_screen": g.on_this_screen,
                    "on_other_screen": g.on_other_screen,
                    "focused": g.focused,
                    "has_windows": g.has_windows,
                    "urgent": g.urgent,
                })
            })
            .collect();
        json!({ "groups": groups })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Style;
    use crate::testing::{render_with, Canvas};
    use serde_json::Map;

    fn group(name: &str, this: bool, other: bool, windows: bool, urgent: bool) -> GroupInfo {
        GroupInfo {
            name: name.into(),
            on_this_screen: this,
            on_other_screen: other,
            focused: this,
            has_windows: windows,
            urgent,
        }
    }

    fn data(groups: Vec<GroupInfo>) -> WmData {
        WmData {
            groups,
            ..WmData::default()
        }
    }

    fn build(opts: &str) -> GroupBox {
        let map: Map<String, Value> = serde_json::from_str(opts).expect("json");
        let o = Options::new("groupbox", &map);
        let g = GroupBox::from_options(&o).expect("builds");
        o.finish().expect("all options known");
        g
    }

    const OPTS: &str = r##"{"active": "#00ff00", "inactive": "#0000ff", "highlight": "#ffff00",
        "other_screen": "#ff00ff", "urgent": "#ff0000", "spacing": 3}"##;

    fn render(g: &mut GroupBox) -> Canvas {
        render_with(g, 30, &Style::default(), None)
    }

    /// The x range of box `i` after a render.
    fn range(g: &GroupBox, i: usize) -> (u32, u32) {
        let (_, a, b) = &g.boxes[i];
        (*a as u32, *b as u32)
    }

    #[test]
    fn boxes_are_coloured_by_group_state() {
        let mut g = build(OPTS);
        assert!(g.update(&data(vec![
            group("one", true, false, true, false),
            group("two", false, true, false, false),
            group("three", false, false, true, false),
            group("four", false, false, false, false),
            group("five", false, false, true, true),
        ])));
        let c = render(&mut g);
        assert_eq!(g.boxes.len(), 5);
        // Spacing between boxes, first at 0, last at the width.
        assert_eq!(g.boxes[0].1, 0);
        assert_eq!(g.boxes[1].1, g.boxes[0].2 + 3);
        assert_eq!(g.boxes[4].2 as u32, c.width);

        // "one": on this screen: highlighted background, green (active) text.
        let (a, b) = range(&g, 0);
        assert_eq!(c.pixel(a + 1, 1), 0xffffff00, "highlight background");
        assert!(c.count_near_in(a, b, 0x00ff00, 0x40) > 5, "active text");
        // "two": on another screen: magenta border, blue (inactive) text, no highlight.
        let (a, b) = range(&g, 1);
        assert_eq!(c.pixel(a, 15), 0xffff00ff, "other-screen border");
        assert_eq!(c.pixel(a + 5, 0), 0xffff00ff, "top border");
        assert!(c.count_near_in(a, b, 0x0000ff, 0x40) > 5, "inactive text");
        assert_eq!(c.count_near_in(a, b, 0xffff00, 0), 0, "no highlight");
        // "three": windows: green text on the bar background, no border.
        let (a, b) = range(&g, 2);
        assert!(c.count_near_in(a, b, 0x00ff00, 0x40) > 5);
        assert_eq!(c.pixel(a, 15), c.background);
        // "four": empty: blue.
        let (a, b) = range(&g, 3);
        assert!(c.count_near_in(a, b, 0x0000ff, 0x40) > 5);
        assert_eq!(c.count_near_in(a, b, 0x00ff00, 0x40), 0);
        // "five": urgent: red text and border.
        let (a, b) = range(&g, 4);
        assert_eq!(c.pixel(a, 15), 0xffff0000);
        assert!(
            c.count_near_in(a + 2, b - 2, 0xff0000, 0x40) > 5,
            "urgent text"
        );
        // Nothing drawn in the gaps between boxes.
        let gap = g.boxes[0].2 as u32;
        assert!((0..30).all(|y| c.pixel(gap + 1, y) == c.background));
    }

    #[test]
    fn clicks_pick_the_box_under_the_pointer_and_scroll_moves() {
        let mut g = build(OPTS);
        g.update(&data(vec![
            group("a", true, false, true, false),
            group("web", false, false, false, false),
        ]));
        // Before any measure there are no boxes: a click asks for nothing.
        let click = |button, x| Click { button, x, y: 5 };
        assert_eq!(g.click(click(Button::Left, 1)).1, vec![]);
        let c = render(&mut g);
        let (a0, b0) = range(&g, 0);
        let (a1, b1) = range(&g, 1);
        assert_eq!(
            g.click(click(Button::Left, a0 as i32)).1,
            vec![Request::ToGroup("a".into())]
        );
        assert_eq!(
            g.click(click(Button::Left, (a1 + b1) as i32 / 2)).1,
            vec![Request::ToGroup("web".into())]
        );
        assert_eq!(
            g.click(click(Button::Left, b0 as i32)).1,
            vec![],
            "between boxes"
        );
        assert_eq!(g.click(click(Button::Left, c.width as i32 + 5)).1, vec![]);
        assert_eq!(g.click(click(Button::Left, -1)).1, vec![]);
        assert_eq!(
            g.click(click(Button::ScrollUp, 0)).1,
            vec![Request::PrevGroup]
        );
        assert_eq!(
            g.click(click(Button::ScrollDown, 0)).1,
            vec![Request::NextGroup]
        );
        assert_eq!(g.click(click(Button::Right, 0)).1, vec![]);
    }

    #[test]
    fn hide_unused_and_width_grows_with_names() {
        let groups = vec![
            group("1", true, false, false, false),
            group("2", false, false, false, false),
            group("3", false, true, false, false),
            group("4", false, false, true, false),
        ];
        let mut all = build("{}");
        all.update(&data(groups.clone()));
        let mut hidden = build(r#"{"hide_unused": true}"#);
        hidden.update(&data(groups.clone()));
        assert_eq!(all.text(), "[1] 2 3 4");
        assert_eq!(hidden.text(), "[1] 3 4");
        let (wa, wh) = (render(&mut all).width, render(&mut hidden).width);
        assert!(wh < wa, "{wh} < {wa}");
        assert_eq!(hidden.boxes.len(), 3);

        let mut long = build("{}");
        let mut renamed = groups.clone();
        renamed[1].name = "a much longer name".into();
        long.update(&data(renamed));
        assert!(render(&mut long).width > wa);

        let s = hidden.state();
        assert_eq!(s["groups"][1]["name"], "2");
        assert_eq!(s["groups"][1]["visible"], false);
        assert_eq!(s["groups"][2]["on_other_screen"], true);
        assert_eq!(s["groups"][0]["on_this_screen"], true);
    }

    #[test]
    fn update_reports_only_changes_it_shows() {
        let mut g = build(r#"{"hide_unused": true}"#);
        let base = vec![
            group("1", true, false, true, false),
            group("2", false, false, false, false),
        ];
        assert!(g.update(&data(base.clone())));
        assert!(!g.update(&data(base.clone())), "same data");
        let mut unfocused = base.clone();
        unfocused[0].focused = false;
        assert!(!g.update(&data(unfocused)), "focus is not drawn");
        let mut other = base.clone();
        other[1].on_other_screen = true;
        assert!(g.update(&data(other)), "a hidden group appears");
        let mut urgent = base.clone();
        urgent[0].urgent = true;
        assert!(g.update(&data(urgent)));
        let with_title = WmData {
            focused_title: "xterm".into(),
            ..data(base.clone())
        };
        assert!(g.update(&with_title), "back from urgent");
        assert!(!g.update(&data(base)), "titles are not shown");
    }

    #[test]
    fn bad_options_are_named() {
        let map: Map<String, Value> =
            serde_json::from_str(r#"{"highlight": "blue"}"#).expect("json");
        let err = GroupBox::from_options(&Options::new("groupbox", &map)).unwrap_err();
        assert!(err.contains("'highlight'"), "{err}");
    }
}
