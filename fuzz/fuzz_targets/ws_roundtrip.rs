#![no_main]
libfuzzer_sys::fuzz_target!(|input: (bool, Vec<realtime_codecs_fuzz::ws::ArbMessage>)| realtime_codecs_fuzz::ws::roundtrip(input));
