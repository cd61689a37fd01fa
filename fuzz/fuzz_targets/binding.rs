//! libFuzzer runs `oxtile::fuzzing::binding` (see src/fuzzing.rs; `scripts/fuzz` runs it).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| oxtile::fuzzing::binding(data));
