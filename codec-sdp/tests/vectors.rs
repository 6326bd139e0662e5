//! Every SDP vector parses leniently and round-trips byte for byte; the
//! browser-generated ones also pass strict mode.

mod common;

use codec_sdp::{Mode, ParseOptions, Sdp};

#[test]
fn every_vector_roundtrips_byte_exact() {
    for (name, bytes) in common::sdp_files() {
        let sdp = Sdp::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sdp.to_bytes(), bytes, "{name}: round trip differs");
        assert_eq!(sdp.len(), bytes.len(), "{name}");
        let lines: usize = sdp
            .lines()
            .map(|l| l.bytes().len() + l.ending().as_bytes().len())
            .sum();
        assert_eq!(lines, bytes.len(), "{name}: lines do not cover the input");
        for w in sdp.warnings() {
            eprintln!("{name}: warning {w}");
        }
    }
}

/// Browser output (what setRemoteDescription accepts) passes strict mode
/// without a warning.
#[test]
fn browser_generated_pass_strict() {
    let browser = |n: &str| n.starts_with("chromium/") || n.starts_with("webrtc-rs/");
    let mut n = 0;
    for (name, bytes) in common::sdp_files().into_iter().filter(|(n, _)| browser(n)) {
        let sdp = Sdp::parse_with(&bytes, ParseOptions::default().mode(Mode::Strict))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(sdp.warnings().is_empty(), "{name}: {:?}", sdp.warnings());
        assert!(sdp.media_count() >= 1, "{name}");
        for m in sdp.media() {
            assert!(m.media_line().is_some(), "{name}");
            assert!(m.mid().is_some(), "{name}: media {} has no mid", m.index());
            assert!(m.effective_ice_ufrag().is_some(), "{name}");
            assert!(m.effective_fingerprints().next().is_some(), "{name}");
        }
        n += 1;
    }
    assert!(
        n >= 20 || common::vectors_dir().is_none(),
        "only {n} browser files"
    );
}

/// str0m's vector was joined from a line array that ended with "", so it ends
/// with a blank line: strict mode must point at it, lenient mode warns.
#[test]
fn trailing_blank_line_is_reported() {
    let Some((name, bytes)) = common::sdp_files()
        .into_iter()
        .find(|(n, _)| n.starts_with("str0m/"))
    else {
        return;
    };
    let e = Sdp::parse_with(&bytes, ParseOptions::default().mode(Mode::Strict)).unwrap_err();
    assert_eq!(e.problem(), Some(codec_sdp::Problem::BlankLine), "{name}");
    assert_eq!(e.line(), Some(185));
    let lenient = Sdp::parse(&bytes).unwrap();
    assert_eq!(lenient.warnings(), [e]);
}

/// Every typed attribute in the vectors prints (`Display`) to a form that
/// parses back to an equal attribute.
#[test]
fn typed_attributes_print_and_reparse() {
    let mut n = 0;
    for (name, bytes) in common::sdp_files() {
        let sdp = Sdp::parse(&bytes).unwrap();
        let sections = std::iter::once(sdp.session()).chain(sdp.media().map(|m| m.section()));
        for sec in sections {
            for line in sec.attributes() {
                let Ok(a) = line.typed() else { continue };
                if matches!(a, codec_sdp::Attribute::Other { .. }) {
                    continue;
                }
                let printed = format!("a={a}\r\n");
                let again = Sdp::parse(printed.as_bytes()).unwrap();
                let reparsed = again.session().attributes().next().map(|l| l.typed());
                assert_eq!(reparsed, Some(Ok(a)), "{name}: {printed:?}");
                n += 1;
            }
        }
    }
    assert!(
        n > 1000 || common::vectors_dir().is_none(),
        "only {n} attributes"
    );
}
