//! End-to-end tests of oxtile: each test gets its own X server (Xvfb, or Xephyr to watch),
//! the real `oxtile` binary with a test config, and real X clients; it asserts through
//! `oxtile cmd … --json` and through what X itself says, synchronising with `oxtile cmd sync`.
//!
//! Start at [`Session`]: `Session::start_default()` gives a managed display, `session.client()`
//! a [`TestClient`] that maps windows built by [`WindowBuilder`], and `session.wait_for(…)`
//! waits for a condition after a sync instead of sleeping. [`geometry::expected`] holds the
//! rectangles each layout must produce. Nothing here is global: tests run in parallel.
//! [`chaos`] is the seeded chaos client (also the `chaos` binary), [`resources`] measures
//! what a process holds for the leak checks; docs/reliability.md explains both.
//!
//! Running: `cargo build -p oxtile && cargo test -p xephyr-tests` (the tests run
//! `target/<profile>/oxtile`, or `$OXTILE_BIN`). `OXTILE_TEST_XEPHYR=1` with a `$DISPLAY`
//! shows every test's server in a Xephyr window; `RUST_LOG` sets oxtile's log level. When a
//! test fails, oxtile's log (and the output of programs the test started) is printed.
//!
//! [`bench`] is `wm-bench`'s library: oxtile measured beside other window managers
//! (docs/benchmarks.md); its smoke test is `tests/bench_smoke.rs`.

#![warn(missing_docs)]

pub mod bench;
pub mod chaos;
pub mod client;
pub mod geometry;
pub mod keysym;
pub mod resources;
pub mod server;
pub mod session;
pub mod tray;
pub mod wait;

pub use client::{Atom, StateAction, TestClient, WindowBuilder, WindowType};
pub use geometry::{expected, Rect};
pub use server::{ServerKind, XServer};
pub use session::{
    oxtile_bin, run_oxtile, CmdError, GroupInfo, LayoutInfo, ScreenInfo, Session, SessionBuilder,
    WindowInfo,
};
pub use tray::{ForeignTray, ManagerWatch, TrayIcon};

/// Width of the test screen.
pub const SCREEN_WIDTH: u32 = 1280;
/// Height of the test screen.
pub const SCREEN_HEIGHT: u32 = 800;

/// The test config: three groups, every built-in layout (monadtall first), no borders, no
/// gaps and no bar (so geometry is exact), click to focus, and a few key bindings.
pub const DEFAULT_CONFIG: &str = r#"-- oxtile test config: exact geometry, click to focus.
oxtile.groups{ "1", "2", "3" }
oxtile.layouts{ oxtile.layout.monadtall{}, oxtile.layout.columns{}, oxtile.layout.max{}, oxtile.layout.tile{}, oxtile.layout.monadwide{}, oxtile.layout.floating{} }
oxtile.settings{ border_width = 0, margin = 0, focus_follows_mouse = false }
oxtile.key({"mod4"}, "j", oxtile.lazy.focus_next())
oxtile.key({"mod4"}, "Return", oxtile.spawn("xterm"))
oxtile.key({"mod4"}, "Tab", oxtile.lazy.next_layout())
oxtile.key({"mod4"}, "2", oxtile.lazy.to_group("2"))
"#;

/// The test config with the layouts listed in this order instead (names as in
/// `oxtile.layout.<name>{}`); the first is each group's initial layout.
pub fn config_with_layouts(layouts: &[&str]) -> String {
    let list: Vec<String> = layouts
        .iter()
        .map(|l| format!("oxtile.layout.{l}{{}}"))
        .collect();
    let line = format!("oxtile.layouts{{ {} }}", list.join(", "));
    DEFAULT_CONFIG
        .lines()
        .map(|l| {
            if l.starts_with("oxtile.layouts") {
                line.as_str()
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
