#![no_main]
// Body in codec-sdp (feature __fuzz): typed edits on any parsed SDP give output that parses again.
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_sdp::__fuzz::sdp_edit(data));
