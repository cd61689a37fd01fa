//! Fuzzing the pure decoders with random input (proptest; cargo-fuzz needs tools this
//! machine does not have): property and title decoding, size hints, struts, IPC request
//! parsing, `oxtile cmd` words and key names never panic and always give sane values.

use oxtile::core::client::SizeHints;
use oxtile::ipc::client::request_from_args;
use oxtile::ipc::parse_request;
use oxtile::keysym;
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
        let s: SizeHints = props::size_hints(&h);
        for (x, y) in [s.min, s.max, s.inc, s.base].into_iter().flatten() {
            prop_assert!(x <= 32767 && y <= 32767, "{s:?}");
        }
        if let (Some(min), Some(max)) = (s.min, s.max) {
            prop_assert!(max.0 >= min.0 && max.1 >= min.1, "{s:?}");
        }
        prop_assert!(s.inc.is_none_or(|(x, y)| x > 0 && y > 0));
        let (cw, ch) = s.constrain(w, hh);
        prop_assert!(cw >= 1 && ch >= 1);
        prop_assert_eq!(s.sanitized(), s, "sanitising twice changes nothing");
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
        if let Err(e) = parse_request(&line) {
            prop_assert!(e.starts_with("bad request"), "{e}");
        }
    }

    #[test]
    fn any_cmd_words_give_a_request_or_a_message(
        words in proptest::collection::vec(
            prop_oneof![
                Just("focus".to_string()), Just("kill".to_string()), Just("to-group".to_string()),
                Just("action".to_string()), Just("eval".to_string()), Just("0x".to_string()),
                Just("0xffffffffff".to_string()), Just("{\"action\":".to_string()),
                any::<String>(),
            ],
            0..5,
        ),
    ) {
        if let Err(e) = request_from_args(&words) {
            prop_assert!(!e.is_empty());
        }
    }

    #[test]
    fn key_names_of_any_text_give_a_keysym_or_suggestions(name in any::<String>()) {
        match keysym::from_name(&name) {
            Some(sym) => prop_assert!(keysym::name(sym).is_some() || sym > 0),
            None => { let _ = keysym::suggest(&name); }
        }
    }
}
