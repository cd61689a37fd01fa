//! Where oxtile's files live, by the XDG base-directory rules: the config file it loads, the
//! private runtime directory holding the IPC socket, and the state directory for logs.
//! Every lookup has a pure twin taking the environment, so the rules are unit-tested.

use std::ffi::OsString;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The config file to load: `$XDG_CONFIG_HOME/oxtile/config.lua` (default
/// `~/.config/oxtile/config.lua`) if it exists, else the first
/// `DIR/oxtile/config.lua` that exists for DIR in `$XDG_CONFIG_DIRS` (default `/etc/xdg`).
/// `None` when there is none: the built-in default config applies.
pub fn config_file() -> Option<PathBuf> {
    config_file_in(&|k| std::env::var_os(k), &|p| p.is_file())
}

/// [`config_file`] with the environment and the file test passed in.
fn config_file_in(
    env: &dyn Fn(&str) -> Option<OsString>,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let user = non_empty(env("XDG_CONFIG_HOME"))
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".config")));
    let system = non_empty(env("XDG_CONFIG_DIRS")).unwrap_or_else(|| OsString::from("/etc/xdg"));
    user.into_iter()
        .chain(std::env::split_paths(&system).filter(|p| p.is_absolute()))
        .map(|dir| dir.join("oxtile").join("config.lua"))
        .find(|file| exists(file))
}

/// The private directory for the socket: `$XDG_RUNTIME_DIR/oxtile`, else `/tmp/oxtile-<uid>`.
/// Created with mode 0700 if missing; an existing one of ours is put back to 0700.
pub fn runtime_dir() -> PathBuf {
    let dir = runtime_dir_in(&|k| std::env::var_os(k), rustix::process::getuid().as_raw());
    ensure_private_dir(&dir);
    dir
}

/// [`runtime_dir`] without touching the file system.
fn runtime_dir_in(env: &dyn Fn(&str) -> Option<OsString>, uid: u32) -> PathBuf {
    match non_empty(env("XDG_RUNTIME_DIR")) {
        Some(dir) => PathBuf::from(dir).join("oxtile"),
        None => PathBuf::from(format!("/tmp/oxtile-{uid}")),
    }
}

/// The IPC socket of the instance running on `display` (":0" → `runtime_dir()/:0.sock`).
pub fn socket_path(display: &str) -> PathBuf {
    runtime_dir().join(socket_name(display))
}

/// The socket's file name: the display name with '/' replaced, so that a display like
/// "/tmp/launch-x/org.x:0" stays one path component.
fn socket_name(display: &str) -> String {
    format!("{}.sock", display.replace('/', "_"))
}

/// Where oxtile keeps state between sessions (logs): `$XDG_STATE_HOME/oxtile`, default
/// `~/.local/state/oxtile`. Created (mode 0700) if missing.
pub fn state_dir() -> PathBuf {
    let dir = state_dir_in(&|k| std::env::var_os(k));
    ensure_private_dir(&dir);
    dir
}

/// [`state_dir`] without touching the file system.
fn state_dir_in(env: &dyn Fn(&str) -> Option<OsString>) -> PathBuf {
    non_empty(env("XDG_STATE_HOME"))
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".local").join("state")))
        .unwrap_or_else(std::env::temp_dir)
        .join("oxtile")
}

fn non_empty(v: Option<OsString>) -> Option<OsString> {
    v.filter(|s| !s.is_empty())
}

fn home(env: &dyn Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    non_empty(env("HOME")).map(PathBuf::from)
}

/// Create `dir` (and parents) with mode 0700; tighten an existing one we own. Failures are
/// logged, not fatal: whoever then uses the directory reports the real error.
fn ensure_private_dir(dir: &Path) {
    if let Err(e) = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        tracing::warn!("cannot create {}: {e}", dir.display());
        return;
    }
    match std::fs::metadata(dir) {
        Ok(meta) if meta.uid() != rustix::process::getuid().as_raw() => {
            tracing::warn!("{} belongs to another user", dir.display());
        }
        Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
            if let Err(e) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)) {
                tracing::warn!("cannot make {} private: {e}", dir.display());
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot inspect {}: {e}", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn config_prefers_user_then_system_dirs() {
        let vars = [("HOME", "/home/u"), ("XDG_CONFIG_DIRS", "/a:/b")];
        let found = config_file_in(&env(&vars), &|p| p.starts_with("/b"));
        assert_eq!(found, Some(PathBuf::from("/b/oxtile/config.lua")));
        let found = config_file_in(&env(&vars), &|_| true);
        assert_eq!(
            found,
            Some(PathBuf::from("/home/u/.config/oxtile/config.lua"))
        );
        let vars = [("XDG_CONFIG_HOME", "/cfg")];
        let found = config_file_in(&env(&vars), &|p| {
            p.starts_with("/etc/xdg") || p.starts_with("/cfg")
        });
        assert_eq!(found, Some(PathBuf::from("/cfg/oxtile/config.lua")));
        let found = config_file_in(&env(&vars), &|p| p.starts_with("/etc/xdg"));
        assert_eq!(found, Some(PathBuf::from("/etc/xdg/oxtile/config.lua")));
        assert_eq!(config_file_in(&env(&vars), &|_| false), None);
    }

    #[test]
    fn runtime_and_state_dirs_follow_xdg() {
        let vars = [("XDG_RUNTIME_DIR", "/run/user/7")];
        assert_eq!(
            runtime_dir_in(&env(&vars), 7),
            PathBuf::from("/run/user/7/oxtile")
        );
        assert_eq!(runtime_dir_in(&env(&[]), 7), PathBuf::from("/tmp/oxtile-7"));
        assert_eq!(
            state_dir_in(&env(&[("HOME", "/h")])),
            PathBuf::from("/h/.local/state/oxtile")
        );
        assert_eq!(
            state_dir_in(&env(&[("XDG_STATE_HOME", "/s")])),
            PathBuf::from("/s/oxtile")
        );
        assert_eq!(socket_name(":1"), ":1.sock");
        assert_eq!(socket_name("/tmp/x/org:0"), "_tmp_x_org:0.sock");
    }

    #[test]
    fn private_dir_is_created_0700() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        ensure_private_dir(&dir);
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
