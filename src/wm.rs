//! wm (to be written).
