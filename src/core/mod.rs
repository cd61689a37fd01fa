//! The pure window-manager state: screens, groups, clients, focus and layouts. It knows
//! nothing of X, Lua or cairo: it takes typed [`Input`]s and answers with [`Effect`]s.

pub mod client;
pub mod geometry;
pub mod layout;
