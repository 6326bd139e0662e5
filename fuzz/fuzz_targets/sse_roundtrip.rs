#![no_main]
libfuzzer_sys::fuzz_target!(|events: Vec<realtime_codecs_fuzz::sse::ArbEvent>| realtime_codecs_fuzz::sse::roundtrip(events));
