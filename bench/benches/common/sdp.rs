//! SDP contenders: parse a whole description, and serialize a parsed one back to text.

use std::io::Cursor;

/// Ours: [`codec_sdp::Sdp::parse`] (one copy of the input plus line spans; typed views are
/// parsed on demand).
pub fn parse_ours(text: &[u8]) -> codec_sdp::Sdp {
    codec_sdp::Sdp::parse(text).expect("valid SDP")
}

/// Ours, parse and then read every line through its typed view (what the peers do eagerly):
/// origin, every media line and every attribute's typed form.
pub fn parse_ours_typed(text: &[u8]) -> u64 {
    let sdp = parse_ours(text);
    let mut n = u64::from(sdp.session().origin().is_some());
    let count =
        |s: &codec_sdp::Section<'_>| s.attributes().filter(|a| a.typed().is_ok()).count() as u64;
    n += count(&sdp.session());
    for m in sdp.media() {
        n += u64::from(m.media_line().is_some()) + count(&m);
    }
    n
}

/// Ours, a parsed description to sdp-transform-shaped JSON text (the npm package's `parseSdp`
/// builds its object from the tape this text is printed from); no native peer writes this
/// shape.
pub fn json_text_ours(sdp: &codec_sdp::Sdp) -> String {
    codec_sdp::json::to_json_string(sdp)
}

/// webrtc-sdp (Mozilla): `parse_sdp`, warnings allowed.
pub fn parse_webrtc_sdp(text: &str) -> webrtc_sdp::SdpSession {
    webrtc_sdp::parse_sdp(text, false).expect("valid SDP")
}

/// The `sdp` crate (webrtc-rs): `SessionDescription::unmarshal`.
pub fn parse_sdp_crate(text: &str) -> sdp::SessionDescription {
    sdp::SessionDescription::unmarshal(&mut Cursor::new(text.as_bytes())).expect("valid SDP")
}

/// Ours after an answerer-style edit (session version bumped, every media section set to
/// `sendonly`): serializing then rewrites the touched lines and copies the rest.
pub fn edited_ours(text: &[u8]) -> codec_sdp::Sdp {
    let mut sdp = parse_ours(text);
    sdp.session_mut()
        .bump_session_version()
        .expect("numeric version");
    for i in 0..sdp.media_count() {
        sdp.media_mut(i)
            .expect("media index")
            .set_direction(codec_sdp::Direction::SendOnly)
            .expect("direction");
    }
    sdp
}
