//! libFuzzer runs `oxtile::fuzzing::container_http` (see src/fuzzing.rs; `scripts/fuzz` runs it).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| oxtile::fuzzing::container_http(data));
