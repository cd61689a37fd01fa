//! The fuzzing bodies of the pure decoders (`oxtile::fuzzing`), run without cargo-fuzz so
//! CI keeps them honest: on random bytes and on structured random input (proptest), and on
//! every committed input in `tests/fuzz-regressions/<target>/` (seeds, and each input that
//! once broke a decoder). `scripts/fuzz` runs the same bodies under libFuzzer.
//! Also: titles, size hints and struts of any values stay sane.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oxtile::fuzzing::{self, check_size_hints, SEP, TARGETS};
use oxtile::x11::props;
use proptest::prelude::*;
use x11rb::properties::{WmSizeHints, WmSizeHintsSpecification};

/// Cases per property: a quick pass by default; `OXTILE_FUZZ_CASES=N` for a long run.
fn cases(default: u32) -> u32 {
    std::env::var("OXTILE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pair() -> impl Strategy<Value = Option<(i32, i32)>> {
    proptest::option::of((any::<i32>(), any::<i32>()))
}

fn wm_size_hints() -> impl Strategy<Value = WmSizeHints> {
    (pair(), pair(), pair(), pair(), pair()).prop_map(|(min, max, inc, base, size)| {
        let mut h = WmSizeHints::new();
        h.min_size = min;
        h.max_size = max;
        h.size_increment = inc;
        h.base_size = base;
        h.size = size.map(|(w, h)| (WmSizeHintsSpecification::ProgramSpecified, w, h));
        h
    })
}

/// JSON-ish text: fragments of real requests and random characters.
fn request_line() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("\"cmd\"".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just("\"action\"".to_string()),
        Just("\"to_group\"".to_string()),
        Just("\"group\"".to_string()),
        Just("\"window\"".to_string()),
        Just("\"focus_window\"".to_string()),
        Just("\"eval\"".to_string()),
        Just("\"code\"".to_string()),
        Just("-1".to_string()),
        Just("1e999".to_string()),
        Just("null".to_string()),
        Just("\\u0000".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(500)))]

    #[test]
    fn titles_of_any_bytes_decode_to_at_most_a_kilobyte_of_text(
        bytes in proptest::collection::vec(any::<u8>(), 0..4000),
        utf8 in any::<bool>(),
    ) {
        let t = props::decode_title(&bytes, utf8);
        prop_assert!(t.len() <= props::MAX_TITLE);
        prop_assert!(!t.chars().any(char::is_control));
    }

    #[test]
    fn size_hints_of_any_values_are_sane_and_constrain_to_a_real_size(
        h in wm_size_hints(), w in any::<u32>(), hh in any::<u32>(),
    ) {
        check_size_hints(&props::size_hints(&h), w, hh);
    }

    #[test]
    fn struts_of_any_values_are_capped(values in proptest::collection::vec(any::<u32>(), 0..16)) {
        match props::strut(&values) {
            None => prop_assert!(values.len() < 4),
            Some(s) => prop_assert!(s.left.max(s.right).max(s.top).max(s.bottom) <= 4096),
        }
    }

    #[test]
    fn any_request_line_parses_or_is_a_bad_request(line in request_line()) {
        fuzzing::ipc(line.as_bytes());
    }

    #[test]
    fn any_cmd_words_give_a_request_the_server_reads_back(
        words in proptest::collection::vec(
            prop_oneof![
                Just("focus".to_string()), Just("kill".to_string()), Just("to-group".to_string()),
                Just("action".to_string()), Just("eval".to_string()), Just("0x".to_string()),
                Just("0xffffffffff".to_string()), Just("{\"action\":".to_string()),
                Just("clock-zone".to_string()), Just("to-screen".to_string()),
                any::<String>(),
            ],
            0..5,
        ),
    ) {
        let mut input = vec![SEP];
        input.extend(words.join("\0").bytes());
        fuzzing::ipc(&input);
    }

    #[test]
    fn key_names_of_any_text_give_a_keysym_or_suggestions(
        value in any::<u32>(),
        name in prop_oneof![any::<String>(), "[A-Za-z_0-9+]{0,12}", "[Uu]\\+?[0-9a-fA-F]{1,7}"],
    ) {
        let mut input = value.to_le_bytes().to_vec();
        input.extend(name.bytes());
        fuzzing::keysym(&input);
    }
}

/// One random-bytes property per fuzz target (`OXTILE_FUZZ_CASES` cases each, a tenth for
/// `binding`, which loads a config per case); `every_target_is_tested_and_has_a_fuzz_target`
/// checks the list is [`TARGETS`].
macro_rules! any_bytes {
    ($($name:ident: $cases:expr,)*) => {
        const TESTED: &[&str] = &[$(stringify!($name)),*];

        $(
            proptest! {
                #![proptest_config(ProptestConfig::with_cases($cases))]

                #[test]
                fn $name(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
                    fuzzing::$name(&bytes);
                }
            }
        )*
    };
}

any_bytes! {
    client_message: cases(500),
    properties: cases(500),
    keysym: cases(500),
    binding: cases(500) / 10,
    ipc: cases(500),
    clock_format: cases(500),
    containers: cases(500),
    container_http: cases(500),
}

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

#[test]
fn every_committed_fuzz_input_passes_its_target() {
    let mut failed = Vec::new();
    let mut ran = BTreeSet::new();
    for dir in std::fs::read_dir(regressions()).expect("tests/fuzz-regressions") {
        let dir = dir.expect("entry").path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Some((_, body)) = TARGETS.iter().find(|(t, _)| *t == name) else {
            panic!("tests/fuzz-regressions/{name}: no fuzz target of that name");
        };
        for file in std::fs::read_dir(&dir).expect("target folder") {
            let file = file.expect("entry").path();
            let bytes = std::fs::read(&file).expect("input");
            if catch_unwind(AssertUnwindSafe(|| body(&bytes))).is_err() {
                failed.push(file.display().to_string());
            }
            ran.insert(name.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "inputs that break their target: {failed:#?}"
    );
    let all: BTreeSet<String> = TARGETS.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(
        ran, all,
        "every target has committed inputs (at least a seed)"
    );
}

#[test]
fn every_target_is_tested_and_has_a_fuzz_target() {
    let names: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
    assert_eq!(TESTED, names.as_slice(), "the any_bytes! list is TARGETS");
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut files: Vec<String> = std::fs::read_dir(fuzz.join("fuzz_targets"))
        .expect("fuzz/fuzz_targets")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{n}.rs")).collect();
    expected.sort();
    assert_eq!(files, expected, "one file in fuzz/fuzz_targets per target");
    for name in names {
        let path = fuzz.join("fuzz_targets").join(format!("{name}.rs"));
        let source = std::fs::read_to_string(&path).expect("target");
        assert!(
            source.contains(&format!("oxtile::fuzzing::{name}(data)")),
            "{} calls oxtile::fuzzing::{name}",
            path.display()
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "fuzz/Cargo.toml has a [[bin]] for {name}"
        );
    }
}
