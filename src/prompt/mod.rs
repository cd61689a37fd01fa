//! The prompt in the bar, as pure state machines: a line editor with history and Tab
//! completion ([`edit`]), the general prompts and the password prompt's stages ([`flow`]),
//! what keys mean ([`keys`]). The event loop (src/wm/prompt.rs) grabs the keyboard, feeds
//! keys in, and carries out the [`flow::Step`]s that come out.

pub mod complete;
pub mod edit;
pub mod flow;
pub mod history;
pub mod keys;
pub mod line;

pub use edit::EditorView;
pub use flow::{Flow, PromptKind, Step, Submitted};
pub use keys::{key_of, Key};
