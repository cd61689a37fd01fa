//! oxtile: a tiling window manager for X11, configured in Lua.
//!
//! Start reading at [`wm`]: one event loop owns a pure [`core::State`]; X events come in
//! through [`x11`] (the only module that speaks X), become core inputs, and the core's
//! effects go back out through [`x11`] in one batch per loop turn. [`lua`] loads the config
//! into a plain [`config::Config`] and runs user callbacks; [`ipc`] is the command line.
//! docs/HACKING.md is the map.

pub mod action;
pub mod bar;
pub mod config;
pub mod core;
#[doc(hidden)]
pub mod fuzzing;
pub mod ipc;
pub mod keys;
pub mod keysym;
pub mod lua;
pub mod paths;
pub mod prompt;
pub mod restart;
pub mod walltimer;
pub mod wm;
pub mod x11;
