//! Fuzz target bodies (feature `__fuzz`; not a stable API). Each asserts
//! invariants, not only "no panic", so that `cargo fuzz` targets can be
//! one-liners calling these.

use crate::limits::ParseOptions;
use crate::sdp::Sdp;

/// Lenient parse always succeeds within the limits and gives the input back
/// byte for byte; strict mode either agrees or names a line that exists;
/// every typed view can be walked.
pub fn sdp_parse(data: &[u8]) {
    decimal_matches_core(data);
    let Ok(sdp) = Sdp::parse(data) else {
        assert!(data.len() > ParseOptions::default().limits.max_size || data.len() > 1 << 16);
        return;
    };
    assert_eq!(sdp.to_bytes(), data);
    match Sdp::parse_with(data, ParseOptions::strict()) {
        Ok(s) => assert_eq!(s.to_bytes(), data),
        Err(e) => assert!(e
            .line()
            .is_some_and(|l| l as usize <= sdp.line_count().max(1))),
    }
    let s = sdp.session();
    let _ = (
        s.attrs().count(),
        s.origin(),
        s.timings().count(),
        s.connections().count(),
    );
    for m in sdp.media() {
        let _ = (
            m.codecs(),
            m.candidates().count(),
            m.effective_extmaps().count(),
        );
        let _ = (
            m.is_rejected(),
            m.effective_direction(),
            m.rids().count(),
            m.simulcasts().count(),
        );
    }
    let _ = sdp.candidate_inits();
}

/// The crate's own decimal conversion (the npm build leaves out core's float
/// parser) gives the same bits as `str::parse::<f64>` for each
/// whitespace-separated word of the input, and for words cut short.
fn decimal_matches_core(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    for word in text.split_ascii_whitespace().take(64) {
        for w in [word, word.get(..word.len().min(20)).unwrap_or_default()] {
            let ours = crate::scan::parse_decimal(w).map(f64::to_bits);
            if let Some(bits) = ours {
                assert_eq!(w.parse::<f64>().ok().map(f64::to_bits), Some(bits), "{w}");
            }
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            let form = match w.split_once('.') {
                Some((i, f)) => digits(i) && digits(f),
                None => digits(w),
            };
            assert_eq!(ours.is_some(), form && w.len() <= 32, "{w}");
        }
    }
}

/// Parse, edit (drop the first payload type of every section), serialize
/// and parse again: the result parses and has the same number of sections.
pub fn sdp_edit(data: &[u8]) {
    let Ok(mut sdp) = Sdp::parse(data) else {
        return;
    };
    for i in 0..sdp.media_count() {
        let pt = sdp.media_at(i).and_then(|m| m.payload_types().next());
        if let (Some(pt), Ok(mut m)) = (pt, sdp.media_mut(i)) {
            let _ = m.remove_codec(pt);
            let _ = m.set_bandwidth("AS", 64);
        }
    }
    let again = Sdp::parse(&sdp.to_bytes()).expect("edited output parses");
    assert_eq!(again.media_count(), sdp.media_count());
}

/// SDP -> JSON -> SDP -> JSON is stable, the JSON text printed from the
/// tape is exactly what serde_json writes for the same value (keys sorted,
/// the same escapes and numbers), and the tape read as a `Value` is that
/// value (feature `json`).
#[cfg(feature = "json")]
pub fn sdp_json(data: &[u8]) {
    use crate::json;
    // Any bytes as a tape (what a JS host hands over): an error, never a panic.
    let _ = json::from_tape(data);
    let Ok(sdp) = Sdp::parse(data) else { return };
    let text = json::to_json_string(&sdp);
    let j: serde_json::Value = serde_json::from_str(&text).expect("to_json_string writes JSON");
    assert_eq!(
        serde_json::to_string(&j).ok().as_deref(),
        Some(text.as_str())
    );
    assert_eq!(json::to_json(&sdp), j);
    let back = json::from_json(&j).expect("our JSON converts back");
    assert_eq!(json::to_json_string(&back), text);
    let from_text = json::from_json_str(&text).expect("our JSON text converts back");
    assert_eq!(from_text.to_bytes(), back.to_bytes());
    let from_tape = json::from_tape(&json::to_tape(&sdp)).expect("our tape converts back");
    assert_eq!(from_tape.to_bytes(), back.to_bytes());
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_hold_on_samples() {
        let samples: [&[u8]; 7] = [
            b"",
            b"v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n",
            b"\r\r\n\n m=x\n=\na=\xff\n",
            b"m=video 0 UDP/TLS/RTP/SAVPF 96 97\na=fmtp:97 apt=96\na=rtpmap:96 VP8/90000",
            b"v=0\no=\ns=\nt=\nc=\nb=\na=candidate:\na=simulcast:send ~\na=rid:\n",
            b"s=\"q\" \\ \t\x01\ra=framerate:29.97\na=ptime:0.000001\na=x:\xe9",
            // Words the decimal check compares with core's float parser.
            b"29.97 0.3 9007199254740993 1.00000000000000011102230246251565 4503599627370497.5 1. .5",
        ];
        for s in samples {
            super::sdp_parse(s);
            super::sdp_edit(s);
            #[cfg(feature = "json")]
            super::sdp_json(s);
        }
    }
}
