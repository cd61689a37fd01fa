//! keysym (to be written).
