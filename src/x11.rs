//! x11 (to be written).
