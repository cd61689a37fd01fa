//! STUB (replaced by the layouts branch): the key-binding state machine.
#![allow(missing_docs, unused_variables)]
use crate::action::Action;
use crate::config::{Chord, KeyBinding};

pub struct KeyMap {
    keys: Vec<KeyBinding>,
}
pub struct KeyOutcome {
    pub action: Option<Action>,
    pub mode_changed: bool,
}
impl KeyMap {
    pub fn new(keys: Vec<KeyBinding>, chords: Vec<Chord>) -> Self {
        KeyMap { keys }
    }
    pub fn grabs(&self) -> Vec<(u16, u32)> {
        self.keys.iter().map(|k| (k.mods, k.keysym)).collect()
    }
    pub fn press(&mut self, mods: u16, keysym: u32) -> KeyOutcome {
        KeyOutcome {
            action: self
                .keys
                .iter()
                .find(|k| k.mods == mods && k.keysym == keysym)
                .map(|k| k.action.clone()),
            mode_changed: false,
        }
    }
    pub fn current_chord(&self) -> Option<&str> {
        None
    }
    pub fn reset(&mut self) {}
}
