//! The bar's drawing cost: one full redraw of a bar with the default config's widgets, and
//! a clock tick (one widget redrawn and its rectangle copied out of the back buffer).
//! `cargo bench --bench bar`. The copy to X (PutImage) is not included: it is one request
//! per damaged rectangle, and `oxtile cmd stats` counts the bytes sent.

use criterion::{criterion_group, criterion_main, Criterion};
use oxtile::bar::Bar;
use oxtile::config::{BarSpec, Edge, WidgetSpec};
use oxtile::core::geometry::Rect;

fn widget(kind: &str, options: serde_json::Value) -> WidgetSpec {
    WidgetSpec {
        kind: kind.into(),
        options: options.as_object().cloned().unwrap_or_default(),
        callbacks: Default::default(),
    }
}

/// The widgets of the default config's bar.
fn default_bar() -> Bar {
    let lua = oxtile::lua::LuaRuntime::load_default();
    let spec = lua.config.bars.first().cloned().unwrap_or_else(|| {
        let mut spec = BarSpec::new(0, Edge::Top);
        spec.widgets = vec![
            widget("textbox", serde_json::json!({"text": "1 2 3 4 5 6 7 8 9"})),
            widget("sep", serde_json::json!({})),
            widget("textbox", serde_json::json!({"text": "monadtall"})),
            widget("spacer", serde_json::json!({})),
            widget(
                "textbox",
                serde_json::json!({"name": "clock", "text": "Sun 29 Nov 02:40"}),
            ),
        ];
        spec
    });
    Bar::new(spec, Rect::new(0, 0, 1920, 1080))
}

fn bench(c: &mut Criterion) {
    let mut bar = default_bar();
    bar.render();
    c.bench_function("bar full redraw (1920px, default widgets)", |b| {
        b.iter(|| {
            bar.expose();
            bar.render()
        })
    });
    let last = bar.slots.len() - 1;
    let mut minute = 0u32;
    c.bench_function("bar clock tick (one widget redrawn)", |b| {
        b.iter(|| {
            minute = (minute + 1) % 60;
            // The same width each minute, as a clock's text keeps its width.
            bar.set_text(last, &format!("Sun 29 Nov 02:{minute:02}"));
            bar.render()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
