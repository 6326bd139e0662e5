//! Borrowed views of the session section and of each media section.

use alloc::vec::Vec;
use core::ops::Deref;

use crate::attribute::{Attribute, Direction, Fingerprint, Group, Msid, MsidSemantic, Setup};
use crate::candidate::Candidate;
use crate::error::Error;
use crate::fields::{at_line, Bandwidth, Connection, MediaLine, Origin, Timing};
use crate::line::Line;
use crate::rtp::{Extmap, Fmtp, RtcpFb, Rtpmap, Ssrc, SsrcGroup};
use crate::sdp::Sdp;
use crate::simulcast::{Rid, Simulcast};

/// An `a=` line: its raw form and, on demand, its typed form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeLine<'a> {
    /// The underlying line.
    pub line: Line<'a>,
    /// The name (before the first `:`).
    pub name: &'a [u8],
    /// The value after the first `:`.
    pub value: Option<&'a [u8]>,
}

impl<'a> AttributeLine<'a> {
    /// The typed attribute ([`Attribute::Other`] for unknown names).
    ///
    /// # Errors
    /// [`Error::Syntax`] with this line's number and the column of the problem.
    pub fn typed(&self) -> Result<Attribute<'a>, Error> {
        let n = self.line.number;
        Attribute::parse(self.line.value()).map_err(|(rule, e)| at_line(e, n, 3, rule))
    }

    /// The name as text, if it is UTF-8.
    #[must_use]
    pub fn name_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.name).ok()
    }
}

/// A run of lines: the session section or one media section.
///
/// Its `Debug` form shows the section's own lines (escaped), not the whole description.
#[derive(Clone, Copy)]
pub struct Section<'a> {
    sdp: &'a Sdp,
    start: usize,
    end: usize,
    index: Option<usize>,
}

macro_rules! typed_iter {
    ($(#[$m:meta])* $fn:ident, $name:literal, $variant:ident, $ty:ty) => {
        $(#[$m])*
        pub fn $fn(&self) -> impl Iterator<Item = $ty> + 'a {
            self.named($name).filter_map(|a| match a.typed() {
                Ok(Attribute::$variant(x)) => Some(x),
                _ => None,
            })
        }
    };
}

impl<'a> Section<'a> {
    pub(crate) const fn new(sdp: &'a Sdp, start: usize, end: usize, index: Option<usize>) -> Self {
        Self {
            sdp,
            start,
            end,
            index,
        }
    }

    /// Range of line indices (into [`Sdp::lines`]) this section covers.
    #[must_use]
    pub const fn line_range(&self) -> core::ops::Range<usize> {
        self.start..self.end
    }

    /// The media index, `None` for the session section.
    #[must_use]
    pub const fn media_index(&self) -> Option<usize> {
        self.index
    }

    /// The section's lines in order.
    pub fn lines(&self) -> impl Iterator<Item = Line<'a>> + 'a {
        let sdp = self.sdp;
        (self.start..self.end).filter_map(move |i| sdp.line(i))
    }

    fn kind_values(&self, k: u8) -> impl Iterator<Item = (Line<'a>, &'a [u8])> + 'a {
        self.lines()
            .filter(move |l| l.kind() == Some(k))
            .map(|l| (l, l.value()))
    }

    /// Every `a=` line in order, known or not.
    pub fn attributes(&self) -> impl Iterator<Item = AttributeLine<'a>> + 'a {
        self.kind_values(b'a').map(|(line, v)| {
            let (name, value) = crate::attribute::split_attr(v);
            AttributeLine { line, name, value }
        })
    }

    /// The `a=` lines called `name`.
    pub fn named<'n>(
        &self,
        name: &'n str,
    ) -> impl Iterator<Item = AttributeLine<'a>> + use<'a, 'n> {
        self.attributes().filter(move |a| a.name == name.as_bytes())
    }

    /// The first `a=` line called `name`.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<AttributeLine<'a>> {
        self.attributes().find(|a| a.name == name.as_bytes())
    }

    /// True if an `a=` line called `name` is present.
    #[must_use]
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }

    /// Every attribute that parses, typed, in order (unknown ones as
    /// [`Attribute::Other`]). Malformed known ones are skipped; they are in
    /// [`Sdp::warnings`].
    pub fn attrs(&self) -> impl Iterator<Item = Attribute<'a>> + 'a {
        self.attributes().filter_map(|a| a.typed().ok())
    }

    /// `i=` text (an octet string).
    #[must_use]
    pub fn information(&self) -> Option<&'a [u8]> {
        self.kind_values(b'i').next().map(|(_, v)| v)
    }

    /// All `c=` lines that parse.
    pub fn connections(&self) -> impl Iterator<Item = Connection<'a>> + 'a {
        self.kind_values(b'c')
            .filter_map(|(_, v)| Connection::parse(v).ok())
    }

    /// The first `c=` line.
    #[must_use]
    pub fn connection(&self) -> Option<Connection<'a>> {
        self.connections().next()
    }

    /// All `b=` lines that parse.
    pub fn bandwidths(&self) -> impl Iterator<Item = Bandwidth<'a>> + 'a {
        self.kind_values(b'b')
            .filter_map(|(_, v)| Bandwidth::parse(v).ok())
    }

    /// The `b=` value of type `bwtype` (`AS`, `TIAS`, ...).
    #[must_use]
    pub fn bandwidth(&self, bwtype: &str) -> Option<u64> {
        self.bandwidths()
            .find(|b| b.bwtype.eq_ignore_ascii_case(bwtype))
            .map(|b| b.bandwidth)
    }

    /// `v=` (session section).
    #[must_use]
    pub fn version(&self) -> Option<&'a [u8]> {
        self.kind_values(b'v').next().map(|(_, v)| v)
    }

    /// `o=` (session section).
    #[must_use]
    pub fn origin(&self) -> Option<Origin<'a>> {
        self.kind_values(b'o')
            .find_map(|(_, v)| Origin::parse(v).ok())
    }

    /// `s=` (session section), an octet string.
    #[must_use]
    pub fn name(&self) -> Option<&'a [u8]> {
        self.kind_values(b's').next().map(|(_, v)| v)
    }

    /// `u=` (session section).
    #[must_use]
    pub fn uri(&self) -> Option<&'a [u8]> {
        self.kind_values(b'u').next().map(|(_, v)| v)
    }

    /// `e=` lines (session section).
    pub fn emails(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.kind_values(b'e').map(|(_, v)| v)
    }

    /// `p=` lines (session section).
    pub fn phones(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.kind_values(b'p').map(|(_, v)| v)
    }

    /// `k=` (obsolete, RFC 8866 §5.12), as written.
    #[must_use]
    pub fn key(&self) -> Option<&'a [u8]> {
        self.kind_values(b'k').next().map(|(_, v)| v)
    }

    /// `r=` lines that parse (session section).
    pub fn repeats(&self) -> impl Iterator<Item = crate::fields::Repeat<'a>> + 'a {
        self.kind_values(b'r')
            .filter_map(|(_, v)| crate::fields::Repeat::parse(v).ok())
    }

    /// `z=` (session section).
    #[must_use]
    pub fn time_zones(&self) -> Option<crate::fields::TimeZones<'a>> {
        self.kind_values(b'z')
            .find_map(|(_, v)| crate::fields::TimeZones::parse(v).ok())
    }

    /// `t=` lines (session section).
    pub fn timings(&self) -> impl Iterator<Item = Timing> + 'a {
        self.kind_values(b't')
            .filter_map(|(_, v)| Timing::parse(v).ok())
    }

    /// `a=mid`.
    #[must_use]
    pub fn mid(&self) -> Option<&'a str> {
        self.named("mid").find_map(|a| match a.typed() {
            Ok(Attribute::Mid(m)) => Some(m),
            _ => None,
        })
    }

    /// `a=ice-ufrag` of this section only.
    #[must_use]
    pub fn ice_ufrag(&self) -> Option<&'a str> {
        self.named("ice-ufrag").find_map(|a| match a.typed() {
            Ok(Attribute::IceUfrag(m)) => Some(m),
            _ => None,
        })
    }

    /// `a=ice-pwd` of this section only.
    #[must_use]
    pub fn ice_pwd(&self) -> Option<&'a str> {
        self.named("ice-pwd").find_map(|a| match a.typed() {
            Ok(Attribute::IcePwd(m)) => Some(m),
            _ => None,
        })
    }

    /// `a=ice-options` tokens of this section only.
    #[must_use]
    pub fn ice_options(&self) -> Option<&'a str> {
        self.named("ice-options").find_map(|a| match a.typed() {
            Ok(Attribute::IceOptions(m)) => Some(m),
            _ => None,
        })
    }

    /// `a=setup` of this section only.
    #[must_use]
    pub fn setup(&self) -> Option<Setup> {
        self.named("setup").find_map(|a| match a.typed() {
            Ok(Attribute::Setup(m)) => Some(m),
            _ => None,
        })
    }

    /// The direction attribute of this section only.
    #[must_use]
    pub fn direction(&self) -> Option<Direction> {
        self.attrs().find_map(|a| match a {
            Attribute::Direction(d) => Some(d),
            _ => None,
        })
    }

    typed_iter!(
        /// `a=fingerprint` lines of this section (all of them).
        fingerprints, "fingerprint", Fingerprint, Fingerprint<'a>);
    typed_iter!(
        /// `a=extmap` lines of this section.
        extmaps, "extmap", Extmap, Extmap<'a>);
    typed_iter!(
        /// `a=candidate` lines.
        candidates, "candidate", Candidate, Candidate<'a>);
    typed_iter!(
        /// `a=ssrc` lines.
        ssrcs, "ssrc", Ssrc, Ssrc<'a>);
    typed_iter!(
        /// `a=ssrc-group` lines.
        ssrc_groups, "ssrc-group", SsrcGroup, SsrcGroup<'a>);
    typed_iter!(
        /// `a=msid` lines.
        msids, "msid", Msid, Msid<'a>);
    typed_iter!(
        /// `a=rid` lines.
        rids, "rid", Rid, Rid<'a>);
    typed_iter!(
        /// `a=simulcast` lines.
        simulcasts, "simulcast", Simulcast, Simulcast<'a>);
    typed_iter!(
        /// `a=group` lines (session section).
        groups, "group", Group, Group<'a>);
    typed_iter!(
        /// `a=msid-semantic` lines (session section).
        msid_semantics, "msid-semantic", MsidSemantic, MsidSemantic<'a>);
    typed_iter!(
        /// `a=rtpmap` lines.
        rtpmaps, "rtpmap", Rtpmap, Rtpmap<'a>);
    typed_iter!(
        /// `a=fmtp` lines.
        fmtps, "fmtp", Fmtp, Fmtp<'a>);
    typed_iter!(
        /// `a=rtcp-fb` lines.
        rtcp_fbs, "rtcp-fb", RtcpFb, RtcpFb<'a>);

    /// The `a=group:BUNDLE` groups' mids.
    pub fn bundle_groups(&self) -> impl Iterator<Item = Group<'a>> + 'a {
        self.groups().filter(|g| g.semantics == "BUNDLE")
    }
}

impl core::fmt::Debug for Section<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        /// The section's lines, as a list of escaped strings.
        struct Lines<'b>(Section<'b>);
        impl core::fmt::Debug for Lines<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list()
                    .entries(self.0.lines().map(|l| Escaped(l.bytes())))
                    .finish()
            }
        }
        /// Bytes printed as a string literal with non-ASCII bytes escaped.
        struct Escaped<'b>(&'b [u8]);
        impl core::fmt::Debug for Escaped<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "\"{}\"", self.0.escape_ascii())
            }
        }
        f.debug_struct("Section")
            .field("media_index", &self.index)
            .field("line_range", &(self.start..self.end))
            .field("lines", &Lines(*self))
            .finish()
    }
}

/// One media section (from its `m=` line up to the next one).
#[derive(Debug, Clone, Copy)]
pub struct Media<'a> {
    sec: Section<'a>,
}

impl<'a> Deref for Media<'a> {
    type Target = Section<'a>;
    fn deref(&self) -> &Section<'a> {
        &self.sec
    }
}

/// One payload type with its `rtpmap` and `fmtp`, if present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codec<'a> {
    /// Payload type from the m= line.
    pub pt: u8,
    /// Its `a=rtpmap` (absent for static types such as 0 and 8 without one).
    pub rtpmap: Option<Rtpmap<'a>>,
    /// Its `a=fmtp`.
    pub fmtp: Option<Fmtp<'a>>,
}

impl<'a> Media<'a> {
    pub(crate) const fn new(sec: Section<'a>) -> Self {
        Self { sec }
    }

    /// The `sdpMLineIndex`.
    #[must_use]
    pub fn index(&self) -> usize {
        self.sec.media_index().unwrap_or(0)
    }

    /// The section as a plain [`Section`].
    #[must_use]
    pub const fn section(&self) -> Section<'a> {
        self.sec
    }

    /// The typed `m=` line (`None` if it is malformed; see warnings).
    #[must_use]
    pub fn media_line(&self) -> Option<MediaLine<'a>> {
        self.sec
            .lines()
            .next()
            .and_then(|l| MediaLine::parse(l.value()).ok())
    }

    /// Media type (`audio`, `video`, `application`, ...).
    #[must_use]
    pub fn kind(&self) -> Option<&'a str> {
        self.media_line().map(|m| m.media)
    }

    /// Port from the `m=` line.
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        self.media_line().map(|m| m.port)
    }

    /// True if the section carries `a=bundle-only` (RFC 9143 §6): port 0 then
    /// means "share the BUNDLE transport", not "rejected".
    #[must_use]
    pub fn is_bundle_only(&self) -> bool {
        self.sec.has_attribute("bundle-only")
    }

    /// True if the section is rejected or removed: port 0 without
    /// `a=bundle-only` (RFC 8866 §5.14, RFC 9143 §7.3.3).
    #[must_use]
    pub fn is_rejected(&self) -> bool {
        self.port() == Some(0) && !self.is_bundle_only()
    }

    /// Payload types from the `m=` line, in preference order.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + 'a {
        self.media_line()
            .into_iter()
            .flat_map(|m| m.payload_types())
    }

    /// `a=rtpmap` for `pt`.
    #[must_use]
    pub fn rtpmap(&self, pt: u8) -> Option<Rtpmap<'a>> {
        self.sec.rtpmaps().find(|r| r.pt == pt)
    }

    /// `a=fmtp` for `pt`.
    #[must_use]
    pub fn fmtp(&self, pt: u8) -> Option<Fmtp<'a>> {
        self.sec.fmtps().find(|f| f.pt() == Some(pt))
    }

    /// `a=rtcp-fb` lines that apply to `pt` (including `*`).
    pub fn feedback(&self, pt: u8) -> impl Iterator<Item = RtcpFb<'a>> + 'a {
        self.sec
            .rtcp_fbs()
            .filter(move |f| f.pt == "*" || crate::scan::Num::parse_dec(f.pt) == Some(pt))
    }

    /// The codecs in `m=` line order, matched with their `rtpmap`/`fmtp` in
    /// one pass over the section.
    #[must_use]
    pub fn codecs(&self) -> Vec<Codec<'a>> {
        let mut maps: [Option<Rtpmap<'a>>; 128] = [None; 128];
        let mut fmtps: [Option<Fmtp<'a>>; 128] = [None; 128];
        for a in self.sec.attributes() {
            match a.name {
                b"rtpmap" | b"fmtp" => {}
                _ => continue,
            }
            match a.typed() {
                Ok(Attribute::Rtpmap(r)) => {
                    let slot = &mut maps[usize::from(r.pt & 0x7f)];
                    slot.get_or_insert(r);
                }
                Ok(Attribute::Fmtp(f)) => {
                    if let Some(pt) = f.pt() {
                        fmtps[usize::from(pt & 0x7f)].get_or_insert(f);
                    }
                }
                _ => {}
            }
        }
        self.payload_types()
            .map(|pt| Codec {
                pt,
                rtpmap: maps[usize::from(pt & 0x7f)],
                fmtp: fmtps[usize::from(pt & 0x7f)],
            })
            .collect()
    }

    fn session(&self) -> Section<'a> {
        self.sec.sdp.session()
    }

    /// `a=ice-ufrag` here, else at session level (RFC 8839 §5.4).
    #[must_use]
    pub fn effective_ice_ufrag(&self) -> Option<&'a str> {
        self.sec.ice_ufrag().or_else(|| self.session().ice_ufrag())
    }

    /// `a=ice-pwd` here, else at session level.
    #[must_use]
    pub fn effective_ice_pwd(&self) -> Option<&'a str> {
        self.sec.ice_pwd().or_else(|| self.session().ice_pwd())
    }

    /// `a=ice-options` here, else at session level.
    #[must_use]
    pub fn effective_ice_options(&self) -> Option<&'a str> {
        self.sec
            .ice_options()
            .or_else(|| self.session().ice_options())
    }

    /// `a=setup` here, else at session level.
    #[must_use]
    pub fn effective_setup(&self) -> Option<Setup> {
        self.sec.setup().or_else(|| self.session().setup())
    }

    /// The fingerprints that apply: this section's if it has any, else the
    /// session's (RFC 8122 §5).
    pub fn effective_fingerprints(&self) -> impl Iterator<Item = Fingerprint<'a>> + 'a {
        let own = self.sec.fingerprints().next().is_some();
        let src = if own { self.sec } else { self.session() };
        src.fingerprints()
    }

    /// The direction: this section's, else the session's, else `sendrecv`
    /// (RFC 8866 §6.7).
    #[must_use]
    pub fn effective_direction(&self) -> Direction {
        self.sec
            .direction()
            .or_else(|| self.session().direction())
            .unwrap_or(Direction::SendRecv)
    }

    /// The header extensions that apply: this section's, then session-level
    /// ones whose id this section does not redefine (RFC 8285 §8).
    pub fn effective_extmaps(&self) -> impl Iterator<Item = Extmap<'a>> + 'a {
        let me = self.sec;
        me.extmaps().chain(
            self.session()
                .extmaps()
                .filter(move |s| !me.extmaps().any(|m| m.id == s.id)),
        )
    }

    /// `a=rtcp-mux` here.
    #[must_use]
    pub fn rtcp_mux(&self) -> bool {
        self.sec.has_attribute("rtcp-mux")
    }

    /// The typed `a=rtcp` line.
    #[must_use]
    pub fn rtcp(&self) -> Option<crate::attribute::Rtcp<'a>> {
        self.sec.named("rtcp").find_map(|a| match a.typed() {
            Ok(Attribute::Rtcp(r)) => Some(r),
            _ => None,
        })
    }

    /// `a=sctp-port`.
    #[must_use]
    pub fn sctp_port(&self) -> Option<u16> {
        self.sec.named("sctp-port").find_map(|a| match a.typed() {
            Ok(Attribute::SctpPort(p)) => Some(p),
            _ => None,
        })
    }

    /// `a=max-message-size`.
    #[must_use]
    pub fn max_message_size(&self) -> Option<u64> {
        self.sec
            .named("max-message-size")
            .find_map(|a| match a.typed() {
                Ok(Attribute::MaxMessageSize(p)) => Some(p),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Direction, Sdp, Setup};
    use alloc::string::String;
    use alloc::vec::Vec;

    const SDP: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
a=group:BUNDLE a b c\r\na=ice-ufrag:sess\r\na=ice-pwd:sessionpasswordsessionpw\r\n\
a=fingerprint:sha-256 AA:BB\r\na=fingerprint:sha-1 CC:DD\r\na=setup:actpass\r\na=recvonly\r\n\
a=extmap:1 urn:a\r\na=extmap:2 urn:b\r\n\
m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\na=extmap:2 urn:c\r\n\
a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:* nack\r\na=rtcp-fb:111 transport-cc\r\n\
m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:b\r\na=bundle-only\r\na=ice-ufrag:own\r\na=fingerprint:sha-256 EE:FF\r\na=sendonly\r\n\
m=video 0 UDP/TLS/RTP/SAVPF 97\r\na=mid:c\r\n";

    #[test]
    fn debug_shows_the_section_not_the_description() {
        let sdp: Sdp = SDP.parse().unwrap();
        let b = alloc::format!("{:?}", sdp.media_by_mid("b").unwrap());
        assert!(b.contains("\"m=video 0 UDP/TLS/RTP/SAVPF 96\""), "{b}");
        assert!(b.contains("\"a=sendonly\""), "{b}");
        assert!(
            !b.contains("a=mid:a") && !b.contains("a=mid:c") && !b.contains("o=-"),
            "{b}"
        );
        let session = alloc::format!("{:?}", sdp.session());
        assert!(session.contains("\"o=- 1 2 IN IP4 127.0.0.1\"") && !session.contains("m="));
        // Linear: a description of many sections prints each at the size of its own lines.
        let mut many = String::from("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        for i in 0..500 {
            many.push_str(&alloc::format!("m=audio 9 RTP/AVP 0\r\na=mid:{i}\r\n"));
        }
        let sdp: Sdp = many.parse().unwrap();
        let longest = sdp
            .media()
            .map(|m| alloc::format!("{m:?}").len())
            .max()
            .unwrap();
        assert!(longest < 200, "{longest}");
    }

    #[test]
    fn effective_values_inherit_from_session() {
        let sdp: Sdp = SDP.parse().unwrap();
        assert!(sdp.warnings().is_empty(), "{:?}", sdp.warnings());
        let a = sdp.media_by_mid("a").unwrap();
        assert_eq!(a.ice_ufrag(), None);
        assert_eq!(a.effective_ice_ufrag(), Some("sess"));
        assert_eq!(a.effective_ice_pwd(), Some("sessionpasswordsessionpw"));
        assert_eq!(a.effective_fingerprints().count(), 2);
        assert_eq!(a.effective_setup(), Some(Setup::Actpass));
        assert_eq!(a.effective_direction(), Direction::RecvOnly);
        let ext: Vec<_> = a.effective_extmaps().map(|e| (e.id, e.uri)).collect();
        assert_eq!(ext, [(2, "urn:c"), (1, "urn:a")]);
        assert_eq!(a.feedback(111).count(), 2);
        assert_eq!(a.feedback(0).count(), 1);
        let codecs = a.codecs();
        assert_eq!(codecs.len(), 2);
        assert!(codecs[1].rtpmap.is_none());
        let b = sdp.media_by_mid("b").unwrap();
        assert_eq!(b.effective_ice_ufrag(), Some("own"));
        assert_eq!(
            b.effective_fingerprints()
                .map(|f| f.value)
                .collect::<Vec<_>>(),
            ["EE:FF"]
        );
        assert_eq!(b.effective_direction(), Direction::SendOnly);
    }

    #[test]
    fn rejected_is_not_bundle_only() {
        let sdp: Sdp = SDP.parse().unwrap();
        let b = sdp.media_by_mid("b").unwrap();
        assert!(b.is_bundle_only() && !b.is_rejected());
        let c = sdp.media_by_mid("c").unwrap();
        assert!(c.is_rejected() && !c.is_bundle_only());
        assert!(!sdp.media_by_mid("a").unwrap().is_rejected());
        let g: Vec<_> = sdp
            .session()
            .bundle_groups()
            .next()
            .unwrap()
            .mid_list()
            .collect();
        assert_eq!(g, ["a", "b", "c"]);
    }
}
