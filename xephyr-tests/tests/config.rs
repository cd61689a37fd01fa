//! The Lua config from the outside: a broken config still gives a desktop and reports
//! `FILE:LINE`, `oxtile check` validates without running, `reload` picks up edits, and
//! `cmd eval` runs Lua in the live instance (errors and runaway code included).

use std::fs;

use xephyr_tests::{run_oxtile, Session, DEFAULT_CONFIG};

/// A config whose line 3 is a syntax error.
const SYNTAX_ERROR: &str = "-- broken on purpose\noxtile.groups{ \"1\", \"2\" }\nlocal x = = 1\n";

/// A config whose line 3 binds a key that does not exist.
const UNKNOWN_KEY: &str = "oxtile.groups{ \"1\", \"2\" }\n\
    oxtile.key({\"mod4\"}, \"j\", oxtile.lazy.focus_next())\n\
    oxtile.key({\"mod4\"}, \"NoSuchKey\", oxtile.lazy.focus_next())\n";

/// Start on a broken config and check that oxtile runs on its fallback, manages windows,
/// and reports an error at `config.lua:<line>`.
fn starts_on_the_fallback(config: &str, line: u32, also: &str) {
    let session = Session::start(config);
    let errors = session.errors();
    let at = format!("config.lua:{line}:");
    assert!(
        errors.iter().any(|e| e.contains(&at) && e.contains(also)),
        "no error at {at} mentioning {also:?} in {errors:?}"
    );
    let client = session.client();
    let win = client.window().map();
    session.wait_for_managed(&[win], "the fallback config manages windows");
}

#[test]
fn a_syntax_error_starts_the_fallback_and_reports_file_and_line() {
    starts_on_the_fallback(SYNTAX_ERROR, 3, "");
}

#[test]
fn an_unknown_key_name_starts_the_fallback_and_reports_file_and_line() {
    starts_on_the_fallback(UNKNOWN_KEY, 3, "NoSuchKey");
}

#[test]
fn a_good_config_reports_no_errors() {
    let session = Session::start_default();
    assert_eq!(session.errors(), Vec::<String>::new());
}

#[test]
fn check_accepts_a_good_config_and_points_at_a_bad_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let check = |name: &str, lua: &str| {
        let path = dir.path().join(name);
        fs::write(&path, lua).expect("write the config");
        let out = run_oxtile(None, &["check", path.to_str().expect("utf-8 path")]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        (out.status.code(), text)
    };

    let (code, text) = check("good.lua", DEFAULT_CONFIG);
    assert_eq!(code, Some(0), "check good.lua: {text}");
    for (name, lua) in [
        ("syntax.lua", SYNTAX_ERROR),
        ("unknown_key.lua", UNKNOWN_KEY),
    ] {
        let (code, text) = check(name, lua);
        assert_eq!(code, Some(1), "check {name}: {text}");
        assert!(text.contains(&format!("{name}:3:")), "check {name}: {text}");
    }
}

#[test]
fn eval_runs_lua_in_the_live_instance() {
    let session = Session::start_default();
    let out = session.cmd(&["eval", "return 1+1"]).expect("eval");
    assert_eq!(out.trim(), "2");

    let err = session
        .cmd(&["eval", "error('boom from a test')"])
        .expect_err("a Lua error is a failed command");
    assert_eq!(err.code, Some(1));
    assert!(err.to_string().contains("boom from a test"), "{err}");
    let err = session
        .cmd(&["eval", "return )"])
        .expect_err("a syntax error is a failed command");
    assert_eq!(err.code, Some(1));
    session.sync();
}

#[test]
fn a_runaway_eval_is_stopped_and_the_wm_keeps_answering() {
    let session = Session::start_default();
    let err = session
        .cmd(&["eval", "while true do end"])
        .expect_err("an endless loop is cut off by the instruction budget");
    assert_eq!(err.code, Some(1), "{err}");
    session.sync();
    let client = session.client();
    let win = client.window().map();
    session.wait_for_managed(&[win], "still managing windows");
}

#[test]
fn reload_applies_an_edited_config_and_reports_a_broken_one() {
    let session = Session::start_default();
    let names = |s: &Session| s.groups().into_iter().map(|g| g.name).collect::<Vec<_>>();
    assert_eq!(names(&session), ["1", "2", "3"]);

    session.write_config(&DEFAULT_CONFIG.replace(
        "oxtile.groups{ \"1\", \"2\", \"3\" }",
        "oxtile.groups{ \"web\", \"code\", \"chat\", \"music\" }",
    ));
    let _ = session.cmd(&["reload"]);
    session.wait_for(
        |s| names(s) == ["web", "code", "chat", "music"],
        "the reloaded groups",
    );
    assert_eq!(session.errors(), Vec::<String>::new());

    session.write_config(SYNTAX_ERROR);
    let _ = session.cmd(&["reload"]);
    session.wait_for(
        |s| s.errors().iter().any(|e| e.contains("config.lua:3:")),
        "the reload error reported with file and line",
    );
    session.sync();
}
