//! STUB (replaced by the lua branch).
#![allow(missing_docs)]
use std::path::PathBuf;
pub fn config_file() -> Option<PathBuf> {
    None
}
pub fn runtime_dir() -> PathBuf {
    PathBuf::from("/tmp")
}
pub fn socket_path(display: &str) -> PathBuf {
    runtime_dir().join(format!("{}.sock", display.replace('/', "_")))
}
pub fn state_dir() -> PathBuf {
    PathBuf::from("/tmp")
}
