#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| realtime_codecs_fuzz::http::message(data));
