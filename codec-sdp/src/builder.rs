//! Building offers and answers from scratch.
//!
//! The builders write SDP text line by line and then parse it in strict
//! mode, so whatever they produce has passed the same checks as received
//! descriptions; a bad value (a space in a mid, a line break) is reported as
//! the [`Error`] of [`SdpBuilder::build`] with its line and column.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::attribute::{Attribute, Direction, Setup};
use crate::error::Error;
use crate::limits::ParseOptions;
use crate::sdp::Sdp;
use crate::section::Media;

/// Builds a whole description.
///
/// ```
/// use codec_sdp::{Direction, MediaBuilder, SdpBuilder, Setup};
/// let fp = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
/// let sdp = SdpBuilder::new(4611731400430051336, 2)
///     .bundle(&["0"])
///     .media(
///         MediaBuilder::audio()
///             .mid("0")
///             .ice("abcd", "0123456789abcdefghijkl")
///             .fingerprint("sha-256", fp)
///             .setup(Setup::Actpass)
///             .direction(Direction::SendRecv)
///             .rtcp_mux()
///             .codec(111, "opus", 48000, Some(2))
///             .fmtp(111, "minptime=10;useinbandfec=1"),
///     )
///     .build()?;
/// let m = sdp.media_at(0).unwrap();
/// assert_eq!(m.rtpmap(111).unwrap().encoding, "opus");
/// assert!(sdp.to_text().unwrap().starts_with("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"));
/// # Ok::<(), codec_sdp::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SdpBuilder {
    session_id: String,
    version: u64,
    address: String,
    name: String,
    attributes: Vec<String>,
    media: Vec<MediaBuilder>,
}

impl SdpBuilder {
    /// `o=- <session_id> <version> IN IP4 127.0.0.1`, `s=-`, `t=0 0`, as
    /// browsers write them.
    pub fn new(session_id: u64, version: u64) -> Self {
        Self {
            session_id: session_id.to_string(),
            version,
            address: String::from("IN IP4 127.0.0.1"),
            name: String::from("-"),
            attributes: Vec::new(),
            media: Vec::new(),
        }
    }

    /// The `o=` network part, e.g. `("IP6", "::1")`.
    pub fn origin_address(mut self, addrtype: &str, address: &str) -> Self {
        self.address = format!("IN {addrtype} {address}");
        self
    }

    /// `s=` text.
    pub fn session_name(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// A session-level `a=<value>` line.
    pub fn attribute(mut self, value: &str) -> Self {
        self.attributes.push(value.to_string());
        self
    }

    /// `a=group:BUNDLE <mids>`.
    pub fn bundle(self, mids: &[&str]) -> Self {
        let v = format!("group:BUNDLE {}", mids.join(" "));
        self.attribute(&v)
    }

    /// `a=extmap-allow-mixed`.
    pub fn extmap_allow_mixed(self) -> Self {
        self.attribute("extmap-allow-mixed")
    }

    /// `a=msid-semantic: WMS` as libwebrtc writes it.
    pub fn msid_semantic_wms(self) -> Self {
        self.attribute("msid-semantic: WMS")
    }

    /// `a=ice-lite`.
    pub fn ice_lite(self) -> Self {
        self.attribute("ice-lite")
    }

    /// Appends a media section.
    pub fn media(mut self, m: MediaBuilder) -> Self {
        self.media.push(m);
        self
    }

    /// The SDP text, CRLF-terminated.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "v=0\r\no=- {} {} {}\r\ns={}\r\nt=0 0\r\n",
            self.session_id, self.version, self.address, self.name
        );
        for a in &self.attributes {
            s.push_str("a=");
            s.push_str(a);
            s.push_str("\r\n");
        }
        for m in &self.media {
            m.write(&mut s);
        }
        s
    }

    /// Builds and checks the description (strict mode).
    ///
    /// # Errors
    /// The first problem in the generated text, with its line and column.
    pub fn build(&self) -> Result<Sdp, Error> {
        Sdp::parse_with(self.to_text().as_bytes(), ParseOptions::strict())
    }

    /// Starts an answer to `offer` (JSEP §5.3): same BUNDLE group, and per
    /// offered section [`MediaBuilder::answer_to`] with the given ICE
    /// credentials, fingerprint and `a=setup:active`. Rejected offered
    /// sections are answered with port 0.
    pub fn answer_to(
        offer: &Sdp,
        session_id: u64,
        ice_ufrag: &str,
        ice_pwd: &str,
        fingerprint: (&str, &str),
    ) -> Self {
        let mut b = Self::new(session_id, 2);
        for g in offer.session().bundle_groups() {
            b = b.attribute(&format!("group:BUNDLE {}", g.mids));
        }
        if offer.session().has_attribute("extmap-allow-mixed") {
            b = b.extmap_allow_mixed();
        }
        b = b.msid_semantic_wms();
        for m in offer.media() {
            let mut mb = MediaBuilder::answer_to(&m);
            if !m.is_rejected() {
                mb = mb
                    .ice(ice_ufrag, ice_pwd)
                    .fingerprint(fingerprint.0, fingerprint.1)
                    .setup(Setup::Active);
            }
            b = b.media(mb);
        }
        b
    }
}

/// Builds one media section. Lines are written in RFC 8866 order: `m=`,
/// `c=`, `b=`, then the `a=` lines in the order they were added.
#[derive(Debug, Clone)]
#[must_use]
pub struct MediaBuilder {
    kind: String,
    port: u16,
    proto: String,
    fmts: Vec<String>,
    connection: String,
    bandwidths: Vec<String>,
    attributes: Vec<String>,
}

impl MediaBuilder {
    /// `m=<kind> 9 <proto>` with `c=IN IP4 0.0.0.0` and no formats yet.
    pub fn new(kind: &str, proto: &str) -> Self {
        Self {
            kind: kind.to_string(),
            port: 9,
            proto: proto.to_string(),
            fmts: Vec::new(),
            connection: String::from("IN IP4 0.0.0.0"),
            bandwidths: Vec::new(),
            attributes: Vec::new(),
        }
    }

    /// An RTP audio section (`UDP/TLS/RTP/SAVPF`).
    pub fn audio() -> Self {
        Self::new("audio", "UDP/TLS/RTP/SAVPF")
    }

    /// An RTP video section (`UDP/TLS/RTP/SAVPF`).
    pub fn video() -> Self {
        Self::new("video", "UDP/TLS/RTP/SAVPF")
    }

    /// A data channel section (`UDP/DTLS/SCTP webrtc-datachannel`,
    /// `a=sctp-port:5000`).
    pub fn application() -> Self {
        let mut m = Self::new("application", "UDP/DTLS/SCTP");
        m.fmts.push(String::from("webrtc-datachannel"));
        m.attribute("sctp-port:5000")
    }

    /// The `m=` port (0 rejects the section).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The `c=` line value (default `IN IP4 0.0.0.0`).
    pub fn connection(mut self, value: &str) -> Self {
        self.connection = value.to_string();
        self
    }

    /// Adds a format to the `m=` line without any attribute.
    pub fn format(mut self, fmt: &str) -> Self {
        self.fmts.push(fmt.to_string());
        self
    }

    /// `b=<bwtype>:<value>`.
    pub fn bandwidth(mut self, bwtype: &str, value: u64) -> Self {
        self.bandwidths.push(format!("{bwtype}:{value}"));
        self
    }

    /// An `a=<value>` line.
    pub fn attribute(mut self, value: &str) -> Self {
        self.attributes.push(value.to_string());
        self
    }

    /// A typed attribute line (written with its `Display` form).
    pub fn attr(self, a: &Attribute<'_>) -> Self {
        self.attribute(&a.to_string())
    }

    /// `a=mid:<mid>`.
    pub fn mid(self, mid: &str) -> Self {
        self.attribute(&format!("mid:{mid}"))
    }

    /// `a=ice-ufrag` and `a=ice-pwd`.
    pub fn ice(self, ufrag: &str, pwd: &str) -> Self {
        self.attribute(&format!("ice-ufrag:{ufrag}"))
            .attribute(&format!("ice-pwd:{pwd}"))
    }

    /// `a=ice-options:<options>` (e.g. `trickle`).
    pub fn ice_options(self, options: &str) -> Self {
        self.attribute(&format!("ice-options:{options}"))
    }

    /// `a=fingerprint:<hash> <value>`.
    pub fn fingerprint(self, hash: &str, value: &str) -> Self {
        self.attribute(&format!("fingerprint:{hash} {value}"))
    }

    /// `a=setup:<role>`.
    pub fn setup(self, setup: Setup) -> Self {
        self.attribute(&format!("setup:{}", setup.as_str()))
    }

    /// The direction attribute.
    pub fn direction(self, d: Direction) -> Self {
        self.attribute(d.as_str())
    }

    /// `a=rtcp-mux`.
    pub fn rtcp_mux(self) -> Self {
        self.attribute("rtcp-mux")
    }

    /// `a=rtcp-rsize`.
    pub fn rtcp_rsize(self) -> Self {
        self.attribute("rtcp-rsize")
    }

    /// `a=bundle-only` with port 0 (RFC 9143 §7.2).
    pub fn bundle_only(self) -> Self {
        self.port(0).attribute("bundle-only")
    }

    /// `a=msid:<stream> <track>`.
    pub fn msid(self, stream: &str, track: &str) -> Self {
        self.attribute(&format!("msid:{stream} {track}"))
    }

    /// `a=extmap:<id> <uri>`.
    pub fn extmap(self, id: u16, uri: &str) -> Self {
        self.attribute(&format!("extmap:{id} {uri}"))
    }

    /// Adds payload type `pt` to the `m=` line and its
    /// `a=rtpmap:<pt> <name>/<rate>[/<channels>]`.
    pub fn codec(mut self, pt: u8, name: &str, rate: u32, channels: Option<u16>) -> Self {
        self.fmts.push(pt.to_string());
        let ch = channels.map(|c| format!("/{c}")).unwrap_or_default();
        self.attribute(&format!("rtpmap:{pt} {name}/{rate}{ch}"))
    }

    /// `a=fmtp:<pt> <params>`.
    pub fn fmtp(self, pt: u8, params: &str) -> Self {
        self.attribute(&format!("fmtp:{pt} {params}"))
    }

    /// `a=rtcp-fb:<pt> <feedback>`.
    pub fn rtcp_fb(self, pt: u8, feedback: &str) -> Self {
        self.attribute(&format!("rtcp-fb:{pt} {feedback}"))
    }

    /// An RTX format for `apt` (RFC 4588): rtpmap plus `fmtp apt=`.
    pub fn rtx(self, pt: u8, apt: u8, rate: u32) -> Self {
        self.codec(pt, "rtx", rate, None)
            .fmtp(pt, &format!("apt={apt}"))
    }

    /// `a=ssrc:<ssrc> <attribute>:<value>`.
    pub fn ssrc(self, ssrc: u32, attribute: &str, value: &str) -> Self {
        self.attribute(&format!("ssrc:{ssrc} {attribute}:{value}"))
    }

    /// `a=rid:<rid> <dir>` for each rid, then `a=simulcast:<dir> r1;r2;...`.
    pub fn simulcast(mut self, dir: &str, rids: &[&str]) -> Self {
        for r in rids {
            self = self.attribute(&format!("rid:{r} {dir}"));
        }
        self.attribute(&format!("simulcast:{dir} {}", rids.join(";")))
    }

    /// `a=max-message-size:<bytes>`.
    pub fn max_message_size(self, bytes: u64) -> Self {
        self.attribute(&format!("max-message-size:{bytes}"))
    }

    /// `a=candidate:...` from a parsed candidate.
    pub fn candidate(self, c: &crate::Candidate<'_>) -> Self {
        self.attribute(&c.to_string())
    }

    /// Mirrors an offered section for an answer: same kind, proto, mid and
    /// formats with their `rtpmap`/`fmtp`/`rtcp-fb`, the offered extmaps,
    /// `rtcp-mux`/`rtcp-rsize` if offered, the SCTP attributes, and the
    /// reversed direction. A rejected offer gives a rejected answer (port 0).
    /// ICE, DTLS and `msid` are left to the caller.
    pub fn answer_to(offer: &Media<'_>) -> Self {
        let ml = offer.media_line();
        let mut m = Self::new(
            ml.map_or("application", |l| l.media),
            ml.map_or("UDP/DTLS/SCTP", |l| l.proto),
        );
        m.fmts = ml
            .map(|l| l.formats().map(String::from).collect())
            .unwrap_or_default();
        if offer.is_rejected() {
            m.port = 0;
        }
        if let Some(mid) = offer.mid() {
            m = m.mid(mid);
        }
        for a in offer.attributes() {
            let keep = match a.typed() {
                Ok(
                    Attribute::Rtpmap(_)
                    | Attribute::Fmtp(_)
                    | Attribute::RtcpFb(_)
                    | Attribute::Extmap(_)
                    | Attribute::RtcpMux
                    | Attribute::RtcpRsize
                    | Attribute::SctpPort(_)
                    | Attribute::MaxMessageSize(_),
                ) => true,
                Ok(Attribute::Direction(d)) => {
                    m = m.direction(d.reverse());
                    false
                }
                _ => false,
            };
            if keep {
                if let Ok(v) = core::str::from_utf8(a.line.value()) {
                    m = m.attribute(v);
                }
            }
        }
        m
    }

    fn write(&self, s: &mut String) {
        s.push_str(&format!("m={} {} {}", self.kind, self.port, self.proto));
        for f in &self.fmts {
            s.push(' ');
            s.push_str(f);
        }
        s.push_str("\r\nc=");
        s.push_str(&self.connection);
        s.push_str("\r\n");
        for b in &self.bandwidths {
            s.push_str("b=");
            s.push_str(b);
            s.push_str("\r\n");
        }
        for a in &self.attributes {
            s.push_str("a=");
            s.push_str(a);
            s.push_str("\r\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_located() {
        let e = SdpBuilder::new(1, 1)
            .media(
                MediaBuilder::audio()
                    .mid("a b")
                    .codec(0, "PCMU", 8000, None),
            )
            .build()
            .unwrap_err();
        assert_eq!(e.line(), Some(7));
        assert_eq!(e.rule(), Some(crate::Rule::Mid));
        assert!(SdpBuilder::new(1, 1)
            .media(MediaBuilder::audio())
            .build()
            .is_err());
    }

    #[test]
    fn offer_then_answer() {
        let offer = SdpBuilder::new(7, 2)
            .bundle(&["0", "1", "2"])
            .media(
                MediaBuilder::audio()
                    .mid("0")
                    .direction(Direction::SendOnly)
                    .rtcp_mux()
                    .codec(111, "opus", 48000, Some(2))
                    .rtcp_fb(111, "transport-cc")
                    .codec(35, "AV1", 90000, None),
            )
            .media(
                MediaBuilder::video()
                    .mid("1")
                    .bandwidth("AS", 1000)
                    .codec(96, "VP8", 90000, None)
                    .rtx(97, 96, 90000)
                    .simulcast("send", &["q", "h", "f"]),
            )
            .media(
                MediaBuilder::application()
                    .mid("2")
                    .max_message_size(262_144),
            )
            .build()
            .unwrap();
        assert!(offer.warnings().is_empty(), "{:?}", offer.warnings());
        assert_eq!(offer.media_at(1).unwrap().bandwidth("AS"), Some(1000));
        assert_eq!(offer.media_at(1).unwrap().fmtp(97).unwrap().apt(), Some(96));
        let fp = "AB:CD";
        let answer =
            SdpBuilder::answer_to(&offer, 9, "uf", "pwpwpwpwpwpwpwpwpwpwpwpw", ("sha-256", fp))
                .build()
                .unwrap();
        let a0 = answer.media_at(0).unwrap();
        assert_eq!(a0.effective_direction(), Direction::RecvOnly);
        assert_eq!(a0.payload_types().collect::<Vec<_>>(), [111, 35]);
        assert_eq!(a0.feedback(111).count(), 1);
        assert_eq!(a0.effective_setup(), Some(Setup::Active));
        assert_eq!(answer.media_at(2).unwrap().sctp_port(), Some(5000));
        let typed = MediaBuilder::video()
            .mid("v")
            .attr(&Attribute::Direction(Direction::Inactive))
            .codec(96, "VP8", 90000, None);
        let sdp = SdpBuilder::new(1, 1).media(typed).build().unwrap();
        assert_eq!(
            sdp.media_at(0).unwrap().direction(),
            Some(Direction::Inactive)
        );
        assert_eq!(
            answer.session().bundle_groups().next().unwrap().mids,
            "0 1 2"
        );
    }
}
