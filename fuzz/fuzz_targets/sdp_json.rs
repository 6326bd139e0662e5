#![no_main]
// Body in codec-sdp (feature __fuzz + json): SDP -> JSON -> SDP -> JSON is stable.
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_sdp::__fuzz::sdp_json(data));
