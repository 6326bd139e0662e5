//! Property tests: arbitrary bytes never panic and always round-trip in
//! lenient mode; generated valid descriptions pass strict mode and their typed
//! views give back what was generated.

use codec_sdp::{Attribute, Mode, ParseOptions, Sdp};
use proptest::prelude::*;

/// Walks every typed view so that a panic anywhere would show.
fn touch_everything(sdp: &Sdp) -> usize {
    let mut n = 0;
    let s = sdp.session();
    n += s.attrs().count() + s.connections().count() + s.bandwidths().count();
    n += usize::from(s.origin().is_some()) + s.timings().count() + s.groups().count();
    for m in sdp.media() {
        n += m.codecs().len() + m.candidates().count() + m.attrs().count();
        n += m.effective_extmaps().count() + m.effective_fingerprints().count();
        n += usize::from(m.is_rejected()) + usize::from(m.effective_ice_ufrag().is_some());
        for c in m.candidates() {
            n += c.extension_pairs().count();
            let _ = c.address_kind();
        }
        for r in m.rids() {
            n += r.pairs().count();
        }
        for sc in m.simulcasts() {
            n += sc.send.map_or(0, |l| l.first_rids().count());
        }
    }
    n + sdp.candidate_inits().len()
}

fn line_soup() -> impl Strategy<Value = Vec<u8>> {
    // Lines that look like SDP, with random damage, joined by random endings.
    let line = prop_oneof![
        "[vosiuepcbtrzkamy]=[ -~]{0,40}",
        "a=(rtpmap|fmtp|candidate|mid|extmap|ssrc|rid|simulcast|fingerprint|rtcp|group):[ -~]{0,60}",
        "m=(audio|video|application) [0-9]{1,5} [A-Z/]{3,12}( [0-9]{1,3}){0,4}",
        "[ -~\\x80-\\xff]{0,20}",
    ];
    let ending = prop_oneof![Just("\r\n"), Just("\n"), Just("\r"), Just("")];
    proptest::collection::vec((line, ending), 0..30).prop_map(|v| {
        let mut out = Vec::new();
        for (l, e) in v {
            out.extend_from_slice(l.as_bytes());
            out.extend_from_slice(e.as_bytes());
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_and_roundtrip(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let sdp = Sdp::parse(&bytes).unwrap();
        prop_assert_eq!(sdp.to_bytes(), bytes.clone());
        touch_everything(&sdp);
        let _ = Sdp::parse_with(&bytes, ParseOptions::default().mode(Mode::Strict));
    }

    #[test]
    fn candidate_strings_never_panic(s in "(a=)?(candidate:)?[ -~\u{80}-\u{3000}]{0,80}") {
        if let Ok(c) = codec_sdp::Candidate::parse(&s) {
            // What parses prints back and parses to the same thing.
            let printed = c.to_string();
            prop_assert_eq!(codec_sdp::Candidate::parse(&printed).unwrap(), c);
            let _ = (c.address_kind(), c.extension_pairs().count(), c.unknown_extensions().count());
        }
    }

    #[test]
    fn sdp_like_soup_roundtrips(bytes in line_soup()) {
        let sdp = Sdp::parse(&bytes).unwrap();
        prop_assert_eq!(sdp.to_bytes(), bytes.clone());
        touch_everything(&sdp);
        if let Ok(strict) = Sdp::parse_with(&bytes, ParseOptions::default().mode(Mode::Strict)) {
            prop_assert_eq!(strict.to_bytes(), bytes);
        }
    }

    #[test]
    fn generated_descriptions(
        crlf in any::<bool>(),
        media in proptest::collection::vec(
            (prop_oneof![Just("audio"), Just("video")],
             proptest::collection::btree_set(0u8..128, 1..6),
             "[a-zA-Z0-9_-]{1,8}",
             proptest::collection::vec(("[a-zA-Z0-9+/]{1,8}", 1u32..3, any::<u32>(), "(host|srflx|relay)", any::<u16>()), 0..3)),
            1..5),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut s = format!("v=0{nl}o=- 42 2 IN IP4 127.0.0.1{nl}s=-{nl}t=0 0{nl}");
        let mids: Vec<String> = media.iter().enumerate().map(|(i, m)| format!("{}{i}", m.2)).collect();
        s += &format!("a=group:BUNDLE {}{nl}", mids.join(" "));
        for (i, (kind, pts, _, cands)) in media.iter().enumerate() {
            let fmts: Vec<String> = pts.iter().map(u8::to_string).collect();
            s += &format!("m={kind} 9 UDP/TLS/RTP/SAVPF {}{nl}c=IN IP4 0.0.0.0{nl}a=mid:{}{nl}", fmts.join(" "), mids[i]);
            for (f, comp, prio, typ, port) in cands {
                s += &format!("a=candidate:{f} {comp} udp {prio} 192.0.2.1 {port} typ {typ} generation 0{nl}");
            }
            for pt in pts {
                s += &format!("a=rtpmap:{pt} X{pt}/90000{nl}");
            }
        }
        let sdp = Sdp::parse_with(s.as_bytes(), ParseOptions::default().mode(Mode::Strict)).unwrap();
        prop_assert!(sdp.warnings().is_empty(), "{:?}", sdp.warnings());
        prop_assert_eq!(sdp.to_bytes(), s.as_bytes());
        prop_assert_eq!(sdp.media_count(), media.len());
        for (m, (kind, pts, _, cands)) in sdp.media().zip(&media) {
            prop_assert_eq!(m.kind(), Some(*kind));
            prop_assert_eq!(m.mid(), Some(mids[m.index()].as_str()));
            let got: Vec<u8> = m.payload_types().collect();
            prop_assert_eq!(&got, &pts.iter().copied().collect::<Vec<_>>());
            for c in m.codecs() {
                prop_assert_eq!(c.rtpmap.map(|r| r.pt), Some(c.pt));
            }
            let got: Vec<_> = m.candidates().map(|c| (c.foundation.to_string(), c.component, c.priority, c.typ.to_string(), c.port)).collect();
            let want: Vec<_> = cands.iter().map(|(f, c, p, t, port)| (f.clone(), *c, u64::from(*p), t.clone(), *port)).collect();
            prop_assert_eq!(got, want);
        }
        // Removing a codec changes only its lines and the m= line.
        let mut edited = sdp.clone();
        let first_pt = *media[0].1.iter().next().unwrap();
        edited.media_mut(0).unwrap().remove_codec(first_pt).unwrap();
        let before: Vec<&[u8]> = sdp.lines().map(|l| l.bytes()).collect();
        let after: Vec<&[u8]> = edited.lines().map(|l| l.bytes()).collect();
        prop_assert_eq!(after.len() + 1, before.len());
        let rtpmap = format!("a=rtpmap:{first_pt} ");
        let r0 = sdp.media_at(0).unwrap().line_range();
        let kept: Vec<&[u8]> = before
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                let removed = r0.contains(i) && l.starts_with(rtpmap.as_bytes());
                !(removed || l.starts_with(b"m="))
            })
            .map(|(_, l)| *l)
            .collect();
        let kept_after: Vec<&[u8]> = after.iter().copied().filter(|l| !l.starts_with(b"m=")).collect();
        prop_assert_eq!(kept, kept_after);
        let reparsed = Sdp::parse(&edited.to_bytes()).unwrap();
        let still = reparsed.media_at(0).unwrap().attrs().any(|a| matches!(a, Attribute::Rtpmap(r) if r.pt == first_pt));
        prop_assert!(!still);
    }
}

#[cfg(feature = "json")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// SDP -> JSON -> SDP -> JSON is stable for SDP-like input of any quality.
    #[test]
    fn json_is_stable(bytes in line_soup()) {
        let sdp = Sdp::parse(&bytes).unwrap();
        let j = codec_sdp::json::to_json(&sdp);
        let back = codec_sdp::json::from_json(&j).unwrap();
        prop_assert_eq!(codec_sdp::json::to_json(&back), j);
    }

    /// The directly written text is serde_json's own text for the value, for
    /// SDP-like soup and for any bytes (escapes, Latin-1, bare CRs).
    #[test]
    fn json_text_is_serde_json_text(
        soup in line_soup(),
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        for input in [soup, bytes] {
            let sdp = Sdp::parse(&input).unwrap();
            let text = codec_sdp::json::to_json_string(&sdp);
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(serde_json::to_string(&v).unwrap(), text);
            prop_assert_eq!(codec_sdp::json::to_json(&sdp), v);
        }
    }
}
