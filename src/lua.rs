//! lua (to be written).
