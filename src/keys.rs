//! keys (to be written).
