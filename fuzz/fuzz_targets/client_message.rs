//! libFuzzer runs `oxtile::fuzzing::client_message` (see src/fuzzing.rs; `scripts/fuzz` runs it).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| oxtile::fuzzing::client_message(data));
