//! libFuzzer runs `oxtile::fuzzing::properties` (see src/fuzzing.rs; `scripts/fuzz` runs it).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| oxtile::fuzzing::properties(data));
