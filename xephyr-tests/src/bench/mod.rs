//! wm-bench's library: oxtile measured beside other window managers (and the bare X
//! server), each on a fresh 1920x1080 Xvfb, from outside through X and /proc only, so every
//! window manager is measured alike. `src/bin/wm-bench.rs` is the command line.
//!
//! [`run::run_wm`] measures one window manager; [`measure`] has each measurement on its
//! own (the smoke test calls them with tiny sizes); [`report`] renders the table.

pub mod launch;
pub mod measure;
pub mod probe;
pub mod procfs;
pub mod report;
pub mod run;

pub use launch::{BenchDisplay, WmKind, WmSpec};
pub use report::{Cell, Column, Report, Row};
pub use run::{run_wm, Options};
