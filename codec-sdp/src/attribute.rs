//! Typed `a=` attributes (RFC 8866 §5.13, §6 and the WebRTC registries).

use core::fmt;

use crate::candidate::Candidate;
use crate::error::{Problem, Rule};
use crate::rtp::{Extmap, Fmtp, RtcpFb, Rtpmap, Ssrc, SsrcGroup};
use crate::scan::{as_text, check_token, check_vchars, ferr, parse_decimal, FResult, Fields, Num};
use crate::simulcast::{Rid, Simulcast};

/// Media direction (RFC 8866 §6.7, RFC 8285 for extmap).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `sendrecv` (the default when none is given).
    SendRecv,
    /// `sendonly`.
    SendOnly,
    /// `recvonly`.
    RecvOnly,
    /// `inactive`.
    Inactive,
}

impl Direction {
    /// Parses a direction name.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "sendrecv" => Self::SendRecv,
            "sendonly" => Self::SendOnly,
            "recvonly" => Self::RecvOnly,
            "inactive" => Self::Inactive,
            _ => return None,
        })
    }

    /// The attribute name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
        }
    }

    /// The direction as seen from the other side (`sendonly` <-> `recvonly`).
    #[must_use]
    pub const fn reverse(self) -> Self {
        match self {
            Self::SendOnly => Self::RecvOnly,
            Self::RecvOnly => Self::SendOnly,
            d => d,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `a=setup` role (RFC 4145 §4).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setup {
    /// `active`.
    Active,
    /// `passive`.
    Passive,
    /// `actpass`.
    Actpass,
    /// `holdconn`.
    Holdconn,
}

impl Setup {
    /// The attribute value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Passive => "passive",
            Self::Actpass => "actpass",
            Self::Holdconn => "holdconn",
        }
    }
}

/// `a=msid:<stream id> [<track id>]` (RFC 8830 §2). Firefox writes `{uuid}`
/// ids and `-` for "no stream"; both are kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msid<'a> {
    /// Stream id (`-` for none).
    pub stream_id: &'a str,
    /// Track id ("appdata").
    pub track_id: Option<&'a str>,
}

/// `a=msid-semantic:[ ]<semantic> [<id> ...]` (draft-ietf-mmusic-msid-05,
/// still written by libwebrtc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsidSemantic<'a> {
    /// Semantic token (`WMS`).
    pub semantic: &'a str,
    /// Space-separated ids, as written (may be empty or `*`).
    pub ids: &'a str,
}

/// `a=group:<semantics> [<mid> ...]` (RFC 5888 §5, RFC 9143).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group<'a> {
    /// Semantics (`BUNDLE`, `LS`, `FID`, ...).
    pub semantics: &'a str,
    /// Space-separated mids, as written.
    pub mids: &'a str,
}

impl<'a> Group<'a> {
    /// The mids in order (tokens, never numbers).
    pub fn mid_list(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.mids.split(' ').filter(|s| !s.is_empty())
    }
}

/// `a=fingerprint:<hash function> <hex:hex:...>` (RFC 8122 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint<'a> {
    /// Hash function (`sha-256`), as written.
    pub hash: &'a str,
    /// Colon-separated upper-case hex bytes, as written.
    pub value: &'a str,
}

/// `a=sctpmap:<port> <app> [<streams>]` (draft-ietf-mmusic-sctp-sdp-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sctpmap<'a> {
    /// SCTP port (the format in the m= line).
    pub port: u16,
    /// Application (`webrtc-datachannel`).
    pub app: &'a str,
    /// Number of streams.
    pub streams: Option<u32>,
}

/// `a=rtcp:<port> [<nettype> <addrtype> <address>]` (RFC 3605 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rtcp<'a> {
    /// RTCP port.
    pub port: u16,
    /// The address part (`IN IP4 0.0.0.0`), as written.
    pub address: Option<&'a str>,
}

/// A typed `a=` attribute, borrowed from the description.
///
/// Values that are ids (mid, ufrag, rid, foundation) stay strings.
/// Attributes this crate does not model are [`Attribute::Other`], verbatim.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attribute<'a> {
    /// `a=rtpmap`.
    Rtpmap(Rtpmap<'a>),
    /// `a=fmtp`.
    Fmtp(Fmtp<'a>),
    /// `a=rtcp-fb`.
    RtcpFb(RtcpFb<'a>),
    /// `a=extmap`.
    Extmap(Extmap<'a>),
    /// `a=extmap-allow-mixed` (RFC 8285 §6).
    ExtmapAllowMixed,
    /// `a=ssrc`.
    Ssrc(Ssrc<'a>),
    /// `a=ssrc-group`.
    SsrcGroup(SsrcGroup<'a>),
    /// `a=msid`.
    Msid(Msid<'a>),
    /// `a=msid-semantic`.
    MsidSemantic(MsidSemantic<'a>),
    /// `a=mid` (RFC 9143 §6; a token).
    Mid(&'a str),
    /// `a=group`.
    Group(Group<'a>),
    /// `a=ice-ufrag`.
    IceUfrag(&'a str),
    /// `a=ice-pwd`.
    IcePwd(&'a str),
    /// `a=ice-options`: space-separated tokens as written.
    IceOptions(&'a str),
    /// `a=ice-lite`.
    IceLite,
    /// `a=candidate`.
    Candidate(Candidate<'a>),
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    EndOfCandidates,
    /// `a=fingerprint`.
    Fingerprint(Fingerprint<'a>),
    /// `a=setup`.
    Setup(Setup),
    /// `a=sctp-port`.
    SctpPort(u16),
    /// `a=max-message-size`.
    MaxMessageSize(u64),
    /// `a=sctpmap`.
    Sctpmap(Sctpmap<'a>),
    /// `a=simulcast`.
    Simulcast(Simulcast<'a>),
    /// `a=rid`.
    Rid(Rid<'a>),
    /// `a=rtcp`.
    Rtcp(Rtcp<'a>),
    /// `a=rtcp-mux` (RFC 5761 §5.1.1).
    RtcpMux,
    /// `a=rtcp-mux-only` (RFC 8858).
    RtcpMuxOnly,
    /// `a=rtcp-rsize` (RFC 5506 §5).
    RtcpRsize,
    /// `a=sendrecv` / `sendonly` / `recvonly` / `inactive`.
    Direction(Direction),
    /// `a=ptime` in milliseconds (fractions allowed).
    Ptime(f64),
    /// `a=maxptime` in milliseconds.
    Maxptime(f64),
    /// `a=framerate` in frames per second.
    Framerate(f64),
    /// `a=bundle-only` (RFC 9143 §6).
    BundleOnly,
    /// Anything else, verbatim (`a=rtcp-xr:...`, `a=x-google-...`, `a=crypto:...`).
    Other {
        /// Name (before the first `:`), an octet string.
        name: &'a [u8],
        /// Value after the first `:`, if there is a colon.
        value: Option<&'a [u8]>,
    },
}

/// Splits an `a=` value into name and optional value at the first `:`.
pub(crate) fn split_attr(v: &[u8]) -> (&[u8], Option<&[u8]>) {
    match crate::scan::find_byte(b':', v) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    }
}

/// Which attribute names the crate models, and the rule used for errors.
pub(crate) fn rule_of(name: &[u8]) -> Option<Rule> {
    known(name).map(|(rule, _)| rule)
}

/// Looks a name up by (length, first byte) so that at most one candidate is
/// compared (this runs for every `a=` line of a parse). Property attributes
/// come with their value.
fn known(name: &[u8]) -> Option<(Rule, Option<Attribute<'static>>)> {
    use Attribute as A;
    let flag = |a: Attribute<'static>| (Rule::Flag, Some(a));
    let plain = |r: Rule| (r, None);
    let second = name.get(1).copied().unwrap_or(0);
    let (cand, what): (&[u8], _) = match (name.len(), *name.first()?) {
        (3, b'm') => (b"mid", plain(Rule::Mid)),
        (3, b'r') => (b"rid", plain(Rule::Rid)),
        (4, b'f') => (b"fmtp", plain(Rule::Fmtp)),
        (4, b'm') => (b"msid", plain(Rule::Msid)),
        (4, b's') => (b"ssrc", plain(Rule::Ssrc)),
        (4, b'r') => (b"rtcp", plain(Rule::Rtcp)),
        (5, b'g') => (b"group", plain(Rule::Group)),
        (5, b's') => (b"setup", plain(Rule::Setup)),
        (5, b'p') => (b"ptime", plain(Rule::Ptime)),
        (6, b'r') => (b"rtpmap", plain(Rule::Rtpmap)),
        (6, b'e') => (b"extmap", plain(Rule::Extmap)),
        (7, b'r') => (b"rtcp-fb", plain(Rule::RtcpFb)),
        (7, b'i') => (b"ice-pwd", plain(Rule::IcePwd)),
        (7, b's') => (b"sctpmap", plain(Rule::Sctpmap)),
        (8, b'i') if second == b'c' => (b"ice-lite", flag(A::IceLite)),
        (8, b'i') => (b"inactive", flag(A::Direction(Direction::Inactive))),
        (8, b'r') if second == b't' => (b"rtcp-mux", flag(A::RtcpMux)),
        (8, b'r') => (b"recvonly", flag(A::Direction(Direction::RecvOnly))),
        (8, b'm') => (b"maxptime", plain(Rule::Maxptime)),
        (8, b's') if name.get(4) == Some(&b'r') => {
            (b"sendrecv", flag(A::Direction(Direction::SendRecv)))
        }
        (8, b's') => (b"sendonly", flag(A::Direction(Direction::SendOnly))),
        (9, b'c') => (b"candidate", plain(Rule::Candidate)),
        (9, b'i') => (b"ice-ufrag", plain(Rule::IceUfrag)),
        (9, b's') if second == b'c' => (b"sctp-port", plain(Rule::SctpPort)),
        (9, b's') => (b"simulcast", plain(Rule::Simulcast)),
        (9, b'f') => (b"framerate", plain(Rule::Framerate)),
        (10, b's') => (b"ssrc-group", plain(Rule::SsrcGroup)),
        (10, b'r') => (b"rtcp-rsize", flag(A::RtcpRsize)),
        (11, b'f') => (b"fingerprint", plain(Rule::Fingerprint)),
        (11, b'i') => (b"ice-options", plain(Rule::IceOptions)),
        (11, b'b') => (b"bundle-only", flag(A::BundleOnly)),
        (13, b'm') => (b"msid-semantic", plain(Rule::MsidSemantic)),
        (13, b'r') => (b"rtcp-mux-only", flag(A::RtcpMuxOnly)),
        (16, b'm') => (b"max-message-size", plain(Rule::MaxMessageSize)),
        (17, b'e') => (b"end-of-candidates", flag(A::EndOfCandidates)),
        (18, b'e') => (b"extmap-allow-mixed", flag(A::ExtmapAllowMixed)),
        _ => return None,
    };
    crate::scan::eq_short(cand, name).then_some(what)
}

impl<'a> Attribute<'a> {
    /// Parses the value of an `a=` line (everything after `a=`).
    ///
    /// On failure returns the rule and the problem at a byte offset within
    /// `v`.
    pub(crate) fn parse(v: &'a [u8]) -> Result<Self, (Rule, crate::scan::FieldError)> {
        Self::parse_inner(v, None)
    }

    /// As [`parse`](Self::parse) for a value already known to be text (the
    /// parser checks a UTF-8 input once, not line by line).
    pub(crate) fn parse_str(t: &'a str) -> Result<Self, (Rule, crate::scan::FieldError)> {
        Self::parse_inner(t.as_bytes(), Some(t))
    }

    fn parse_inner(
        v: &'a [u8],
        text: Option<&'a str>,
    ) -> Result<Self, (Rule, crate::scan::FieldError)> {
        let (name, value) = split_attr(v);
        let Some((rule, flag)) = known(name) else {
            return Ok(Self::Other { name, value });
        };
        let off = name.len() + 1;
        let shift = |e: crate::scan::FieldError| (rule, ferr(e.at + off, e.problem));
        if let Some(f) = flag {
            if value.is_some() {
                return Err((rule, ferr(name.len(), Problem::ExtraField)));
            }
            return Ok(f);
        }
        let Some(value) = value else {
            return Err((rule, ferr(name.len(), Problem::MissingField)));
        };
        // `off` is just past an ASCII ':', so it is a char boundary.
        let s = match text.and_then(|t| t.get(off..)) {
            Some(s) => s,
            None => as_text(value).map_err(shift)?,
        };
        Self::parse_known(rule, s).map_err(shift)
    }

    fn parse_known(rule: Rule, s: &'a str) -> FResult<Self> {
        Ok(match rule {
            Rule::Rtpmap => Self::Rtpmap(Rtpmap::parse(s)?),
            Rule::Fmtp => Self::Fmtp(Fmtp::parse(s)?),
            Rule::RtcpFb => Self::RtcpFb(RtcpFb::parse(s)?),
            Rule::Extmap => Self::Extmap(Extmap::parse(s)?),
            Rule::Ssrc => Self::Ssrc(Ssrc::parse(s)?),
            Rule::SsrcGroup => Self::SsrcGroup(SsrcGroup::parse(s)?),
            Rule::Msid => {
                let mut f = Fields::new(s);
                let (at, stream_id) = f.req()?;
                check_vchars(stream_id, at)?;
                let track_id = match f.next() {
                    Some((at, t)) => {
                        check_vchars(t, at)?;
                        Some(t)
                    }
                    None => None,
                };
                f.end()?;
                Self::Msid(Msid {
                    stream_id,
                    track_id,
                })
            }
            Rule::MsidSemantic => {
                let t = s.trim_start_matches(' ');
                let lead = s.len() - t.len();
                let (semantic, ids) = t.split_once(' ').unwrap_or((t, ""));
                check_token(semantic, lead)?;
                Self::MsidSemantic(MsidSemantic { semantic, ids })
            }
            Rule::Mid => {
                check_token(s, 0)?;
                Self::Mid(s)
            }
            Rule::Group => {
                let (semantics, mids) = s.split_once(' ').unwrap_or((s, ""));
                check_token(semantics, 0)?;
                for (at, m) in Fields::new(mids) {
                    check_token(m, semantics.len() + 1 + at)?;
                }
                Self::Group(Group { semantics, mids })
            }
            Rule::IceUfrag | Rule::IcePwd => {
                // RFC 8839 §5.4: ice-char strings; checked as visible ASCII so
                // that legacy ufrags still parse.
                check_vchars(s, 0)?;
                if rule == Rule::IceUfrag {
                    Self::IceUfrag(s)
                } else {
                    Self::IcePwd(s)
                }
            }
            Rule::IceOptions => {
                for (at, t) in Fields::new(s) {
                    check_vchars(t, at)?;
                }
                Self::IceOptions(s)
            }
            Rule::Candidate => Self::Candidate(Candidate::parse_value(s)?),
            Rule::Fingerprint => {
                let mut f = Fields::new(s);
                let hash = f.token()?;
                let (at, value) = f.req()?;
                f.end()?;
                // RFC 8122 §5: 2UHEX *(":" 2UHEX); lower case is accepted too.
                for (i, part) in value.split(':').enumerate() {
                    if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(ferr(at + i * 3, Problem::InvalidValue));
                    }
                }
                Self::Fingerprint(Fingerprint { hash, value })
            }
            Rule::Setup => Self::Setup(match s {
                "active" => Setup::Active,
                "passive" => Setup::Passive,
                "actpass" => Setup::Actpass,
                "holdconn" => Setup::Holdconn,
                _ => return Err(ferr(0, Problem::InvalidValue)),
            }),
            Rule::SctpPort => {
                Self::SctpPort(u16::parse_dec(s).ok_or_else(|| ferr(0, Problem::InvalidNumber))?)
            }
            Rule::MaxMessageSize => Self::MaxMessageSize(
                u64::parse_dec(s).ok_or_else(|| ferr(0, Problem::InvalidNumber))?,
            ),
            Rule::Sctpmap => {
                let mut f = Fields::new(s);
                let port = f.num()?;
                let app = f.token()?;
                let streams = if f.rest().is_empty() {
                    None
                } else {
                    Some(f.num()?)
                };
                f.end()?;
                Self::Sctpmap(Sctpmap { port, app, streams })
            }
            Rule::Simulcast => Self::Simulcast(Simulcast::parse(s)?),
            Rule::Rid => Self::Rid(Rid::parse(s)?),
            Rule::Rtcp => {
                let mut f = Fields::new(s);
                let port = f.num()?;
                let address = match f.rest() {
                    "" => None,
                    r => {
                        let mut a = Fields::new(r);
                        let base = f.pos();
                        let sh = |e: crate::scan::FieldError| ferr(e.at + base, e.problem);
                        a.token().map_err(sh)?;
                        a.token().map_err(sh)?;
                        a.req().map_err(sh)?;
                        a.end().map_err(sh)?;
                        Some(r)
                    }
                };
                Self::Rtcp(Rtcp { port, address })
            }
            Rule::Ptime | Rule::Maxptime | Rule::Framerate => {
                let n = parse_decimal(s).ok_or_else(|| ferr(0, Problem::InvalidNumber))?;
                match rule {
                    Rule::Ptime => Self::Ptime(n),
                    Rule::Maxptime => Self::Maxptime(n),
                    _ => Self::Framerate(n),
                }
            }
            // rule_of returns only the rules handled above.
            _ => return Err(ferr(0, Problem::InvalidValue)),
        })
    }

    /// True for attributes that may appear only once per section
    /// (a second one is kept and reported as a warning).
    pub(crate) const fn single_key(&self) -> Option<u8> {
        Some(match self {
            Self::Mid(_) => 0,
            Self::IceUfrag(_) => 1,
            Self::IcePwd(_) => 2,
            Self::Setup(_) => 3,
            Self::SctpPort(_) => 4,
            Self::MaxMessageSize(_) => 5,
            Self::Direction(_) => 6,
            Self::Ptime(_) => 7,
            Self::Maxptime(_) => 8,
            Self::Rtcp(_) => 9,
            Self::IceLite => 10,
            Self::Framerate(_) => 11,
            _ => return None,
        })
    }

    /// Media-level attributes that make no sense at session level.
    pub(crate) const fn media_only(&self) -> bool {
        matches!(
            self,
            Self::Rtpmap(_)
                | Self::Fmtp(_)
                | Self::RtcpFb(_)
                | Self::Ssrc(_)
                | Self::SsrcGroup(_)
                | Self::Msid(_)
                | Self::Mid(_)
                | Self::Candidate(_)
                | Self::SctpPort(_)
                | Self::MaxMessageSize(_)
                | Self::Sctpmap(_)
                | Self::Simulcast(_)
                | Self::Rid(_)
                | Self::Rtcp(_)
                | Self::RtcpMux
                | Self::RtcpMuxOnly
                | Self::RtcpRsize
                | Self::Ptime(_)
                | Self::Maxptime(_)
                | Self::BundleOnly
        )
    }

    /// Session-level attributes that make no sense in a media section.
    pub(crate) const fn session_only(&self) -> bool {
        matches!(self, Self::Group(_) | Self::MsidSemantic(_) | Self::IceLite)
    }
}

/// Writes the canonical `name[:value]` form (what follows `a=`), with
/// single spaces between fields; unknown attributes as written (Latin-1 bytes
/// as U+FFFD). Parsing the output gives an equal [`Attribute`].
impl fmt::Display for Attribute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |o: Option<&str>| o.map(|x| alloc::format!(" {x}")).unwrap_or_default();
        match self {
            Self::Rtpmap(r) => write!(f, "{r}"),
            Self::Fmtp(x) if x.params.is_empty() => write!(f, "fmtp:{}", x.format),
            Self::Fmtp(x) => write!(f, "fmtp:{} {}", x.format, x.params),
            Self::RtcpFb(x) => write!(f, "rtcp-fb:{} {}{}", x.pt, x.kind, opt(x.param)),
            Self::Extmap(e) => {
                write!(f, "extmap:{}", e.id)?;
                if let Some(d) = e.direction {
                    write!(f, "/{d}")?;
                }
                write!(f, " {}{}", e.uri, opt(e.attributes))
            }
            Self::ExtmapAllowMixed => f.write_str("extmap-allow-mixed"),
            Self::Ssrc(x) => {
                write!(f, "ssrc:{} {}", x.ssrc, x.attribute)?;
                match x.value {
                    Some(v) => write!(f, ":{v}"),
                    None => Ok(()),
                }
            }
            Self::SsrcGroup(g) => write!(
                f,
                "ssrc-group:{}{}",
                g.semantics,
                opt(Some(g.ssrcs).filter(|s| !s.is_empty()))
            ),
            Self::Msid(m) => write!(f, "msid:{}{}", m.stream_id, opt(m.track_id)),
            Self::MsidSemantic(m) => write!(
                f,
                "msid-semantic: {}{}",
                m.semantic,
                opt(Some(m.ids).filter(|s| !s.is_empty()))
            ),
            Self::Mid(m) => write!(f, "mid:{m}"),
            Self::Group(g) => write!(
                f,
                "group:{}{}",
                g.semantics,
                opt(Some(g.mids).filter(|s| !s.is_empty()))
            ),
            Self::IceUfrag(u) => write!(f, "ice-ufrag:{u}"),
            Self::IcePwd(p) => write!(f, "ice-pwd:{p}"),
            Self::IceOptions(o) => write!(f, "ice-options:{o}"),
            Self::IceLite => f.write_str("ice-lite"),
            Self::Candidate(c) => write!(f, "{c}"),
            Self::EndOfCandidates => f.write_str("end-of-candidates"),
            Self::Fingerprint(x) => write!(f, "fingerprint:{} {}", x.hash, x.value),
            Self::Setup(x) => write!(f, "setup:{}", x.as_str()),
            Self::SctpPort(p) => write!(f, "sctp-port:{p}"),
            Self::MaxMessageSize(n) => write!(f, "max-message-size:{n}"),
            Self::Sctpmap(m) => {
                write!(f, "sctpmap:{} {}", m.port, m.app)?;
                match m.streams {
                    Some(n) => write!(f, " {n}"),
                    None => Ok(()),
                }
            }
            Self::Simulcast(x) => {
                f.write_str("simulcast:")?;
                let mut sep = "";
                for (dir, list) in [("send", x.send), ("recv", x.recv)] {
                    if let Some(l) = list {
                        write!(f, "{sep}{dir} {}", l.0)?;
                        sep = " ";
                    }
                }
                Ok(())
            }
            Self::Rid(r) if r.params.is_empty() => write!(f, "rid:{} {}", r.id, r.direction),
            Self::Rid(r) => write!(f, "rid:{} {} {}", r.id, r.direction, r.params),
            Self::Rtcp(r) => write!(f, "rtcp:{}{}", r.port, opt(r.address)),
            Self::RtcpMux => f.write_str("rtcp-mux"),
            Self::RtcpMuxOnly => f.write_str("rtcp-mux-only"),
            Self::RtcpRsize => f.write_str("rtcp-rsize"),
            Self::Direction(d) => f.write_str(d.as_str()),
            Self::Ptime(n) => write!(f, "ptime:{n}"),
            Self::Maxptime(n) => write!(f, "maxptime:{n}"),
            Self::Framerate(n) => write!(f, "framerate:{n}"),
            Self::BundleOnly => f.write_str("bundle-only"),
            Self::Other { name, value } => {
                for c in name.utf8_chunks() {
                    f.write_str(c.valid())?;
                    if !c.invalid().is_empty() {
                        f.write_str("\u{FFFD}")?;
                    }
                }
                if let Some(v) = value {
                    f.write_str(":")?;
                    for c in v.utf8_chunks() {
                        f.write_str(c.valid())?;
                        if !c.invalid().is_empty() {
                            f.write_str("\u{FFFD}")?;
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Attribute<'_>, (Rule, crate::scan::FieldError)> {
        Attribute::parse(s.as_bytes())
    }

    #[test]
    fn known_and_unknown() {
        assert_eq!(p("mid:0"), Ok(Attribute::Mid("0")));
        assert_eq!(
            p("mid: 0").unwrap_err(),
            (Rule::Mid, ferr(4, Problem::InvalidToken))
        );
        assert_eq!(p("sendonly"), Ok(Attribute::Direction(Direction::SendOnly)));
        assert_eq!(
            p("rtcp-xr:rcvr-rtt=all"),
            Ok(Attribute::Other {
                name: b"rtcp-xr",
                value: Some(b"rcvr-rtt=all")
            })
        );
        assert_eq!(p("rtcp-mux:1").unwrap_err().0, Rule::Flag);
        assert_eq!(p("ptime:0.125"), Ok(Attribute::Ptime(0.125)));
        assert!(matches!(
            p("msid-semantic:WMS"),
            Ok(Attribute::MsidSemantic(MsidSemantic {
                semantic: "WMS",
                ids: ""
            }))
        ));
        assert!(matches!(
            p("msid:- {7b1d}"),
            Ok(Attribute::Msid(Msid { stream_id: "-", .. }))
        ));
        assert!(p("fingerprint:sha-256 AB:CD").is_ok());
        assert_eq!(p("fingerprint:sha-256 AB:C").unwrap_err().1.at, 23);
        assert!(matches!(
            p("rtcp:9 IN IP4 0.0.0.0"),
            Ok(Attribute::Rtcp(Rtcp {
                port: 9,
                address: Some("IN IP4 0.0.0.0")
            }))
        ));
        assert!(p("rtcp:9 IN").is_err());
        assert!(p("setup:sideways").is_err());
        assert!(p("group:BUNDLE 0 1").is_ok());
        assert!(matches!(
            p("group:BUNDLE"),
            Ok(Attribute::Group(Group { mids: "", .. }))
        ));
        assert!(p("group:BUNDLE 0  1").is_err());
        assert!(p("sctpmap:5000 webrtc-datachannel 1024").is_ok());
    }
}
