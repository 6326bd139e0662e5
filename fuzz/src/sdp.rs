//! SDP targets: parse in both modes, lossless round trip, and trickle candidates.

use codec_sdp::{Candidate, Limits, ParseOptions, Sdp};

fn opts(strict: bool) -> ParseOptions {
    let mut o = if strict { ParseOptions::strict() } else { ParseOptions::lenient() };
    o.limits = Limits::default().max_size(64 * 1024).max_lines(2048);
    o
}

/// `sdp_parse`: arbitrary bytes in lenient and strict mode. What lenient accepts re-serializes to
/// exactly the input (lossless), and what strict accepts, lenient accepts too.
pub fn parse(data: &[u8]) {
    let lenient = Sdp::parse_with(data, opts(false));
    if let Ok(s) = &lenient {
        assert_eq!(s.to_bytes(), data, "lenient parse is not lossless");
        // The typed views must not panic on whatever the lines hold: every attribute's typed
        // parse (printed, so nothing is skipped), the origin and every m= line. Linear: a
        // `Debug` of each `Media` would print the whole description once per section.
        let walk = |sec: &codec_sdp::Section<'_>| {
            for a in sec.attributes() {
                let _ = format!("{:?}", a.typed());
            }
        };
        let _ = format!("{:?}", s.session().origin());
        walk(&s.session());
        for m in s.media() {
            let _ = format!("{:?}", m.media_line());
            walk(&m);
        }
    }
    if Sdp::parse_with(data, opts(true)).is_ok() {
        assert!(lenient.is_ok(), "strict accepts what lenient rejects");
    }
}

/// `sdp_roundtrip`: parse → serialize → parse gives the same lines.
pub fn roundtrip(data: &[u8]) {
    let Ok(first) = Sdp::parse_with(data, opts(false)) else { return };
    let bytes = first.to_bytes();
    let second = Sdp::parse_with(&bytes, opts(false)).expect("a serialized SDP parses again");
    assert_eq!(second.to_bytes(), bytes);
    assert_eq!(first.line_count(), second.line_count());
    assert_eq!(first.media_count(), second.media_count());
}

/// `sdp_candidate`: a trickle `candidate:` string; what parses, prints and parses to the same.
pub fn candidate(data: &[u8]) {
    let Ok(s) = core::str::from_utf8(data) else { return };
    if let Ok(c) = Candidate::parse(s) {
        let printed = c.to_string();
        let again = Candidate::parse(&printed).expect("a printed candidate parses");
        assert_eq!(again.to_string(), printed);
    }
}
