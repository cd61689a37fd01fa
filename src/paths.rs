//! paths (to be written).
