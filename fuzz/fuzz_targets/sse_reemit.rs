#![no_main]
// Body in codec-sse (feature __fuzz): decoded events re-emitted by our encoder parse back the same.
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_sse::__fuzz::sse_decode(data));
