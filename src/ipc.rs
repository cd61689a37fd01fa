//! ipc (to be written).
