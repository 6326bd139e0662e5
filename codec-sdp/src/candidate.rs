//! ICE candidates (RFC 8839 §5.1) and trickled candidate inits.

use alloc::string::String;
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{Error, Problem, Rule};
use crate::scan::{check_token, check_vchars, ferr, FResult, Fields, Num};

/// One ICE candidate:
/// `<foundation> <component> <transport> <priority> <address> <port> typ <type>
/// [raddr <addr>] [rport <port>] *(<ext-name> <ext-value>)` (RFC 8839 §5.1).
///
/// Every field is borrowed from the text; extensions (known and unknown) keep
/// their order in [`extensions`](Self::extensions), and `Display` writes them
/// back verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// Foundation (a token of 1-32 ice-chars; never a number).
    pub foundation: &'a str,
    /// Component id (1 = RTP, 2 = RTCP).
    pub component: u32,
    /// Transport as written (`udp`, `UDP`, `tcp`).
    pub transport: &'a str,
    /// Priority.
    pub priority: u64,
    /// Connection address: IPv4, IPv6, an mDNS `.local` name or an FQDN.
    pub address: &'a str,
    /// Port.
    pub port: u16,
    /// Candidate type (`host`, `srflx`, `prflx`, `relay`, or any token).
    pub typ: &'a str,
    /// Related address (`raddr`).
    pub raddr: Option<&'a str>,
    /// Related port (`rport`).
    pub rport: Option<u16>,
    /// Everything after `typ`/`raddr`/`rport`, as written.
    pub extensions: &'a str,
}

/// What kind of host a candidate address is.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    /// A dotted IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// An mDNS name ending in `.local` (RFC 8839 §5.1, draft-ietf-mmusic-mdns-ice-candidates).
    Mdns,
    /// Any other host name.
    Fqdn,
}

impl<'a> Candidate<'a> {
    /// Parses a candidate, as found in `a=candidate:` or in
    /// `RTCIceCandidate.candidate`. A leading `a=` and/or `candidate:` is
    /// skipped.
    ///
    /// # Errors
    /// [`Error::Syntax`] with rule `candidate`, line 0 and the 1-based column.
    pub fn parse(s: &'a str) -> Result<Self, Error> {
        let a = usize::from(s.starts_with("a="));
        let body = crate::scan::tail(s, a * 2);
        let skip = a * 2
            + if body.starts_with("candidate:") {
                10
            } else {
                0
            };
        Self::parse_value(crate::scan::tail(s, skip))
            .map_err(|e| Error::syntax(0, (skip + e.at + 1) as u32, Rule::Candidate, e.problem))
    }

    pub(crate) fn parse_value(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let (at, foundation) = f.req()?;
        // RFC 8839: foundation = 1*32 ice-char
        if foundation.len() > 32 || !foundation.bytes().all(is_ice_char) {
            return Err(ferr(at, Problem::InvalidToken));
        }
        let component = f.num()?;
        let transport = f.token()?;
        let priority = f.num()?;
        let (at, address) = f.req()?;
        check_vchars(address, at)?;
        let port = f.num()?;
        let (at, typ_kw) = f.req()?;
        if typ_kw != "typ" {
            return Err(ferr(at, Problem::InvalidValue));
        }
        let typ = f.token()?;
        let mut raddr = None;
        let mut rport = None;
        let mut ext_start;
        loop {
            ext_start = f.pos();
            let mut peek = f.clone();
            match peek.next() {
                Some((_, "raddr")) if raddr.is_none() && rport.is_none() => {
                    let (at, a) = peek.req()?;
                    check_vchars(a, at)?;
                    raddr = Some(a);
                }
                Some((_, "rport")) if rport.is_none() => rport = Some(peek.num()?),
                _ => break,
            }
            f = peek;
        }
        let extensions = f.rest();
        // RFC 8839: extensions are name/value pairs of non-empty byte strings.
        let mut ext = Fields::new(extensions);
        while let Some((at, name)) = ext.next().filter(|_| !extensions.is_empty()) {
            check_token(name, ext_start + at)?;
            let (at, value) = ext.req().map_err(|e| ferr(ext_start + e.at, e.problem))?;
            check_vchars(value, ext_start + at)?;
        }
        Ok(Self {
            foundation,
            component,
            transport,
            priority,
            address,
            port,
            typ,
            raddr,
            rport,
            extensions,
        })
    }

    /// All extension `(name, value)` pairs in order, known ones included.
    pub fn extension_pairs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let mut it = self.extensions.split(' ').filter(|s| !s.is_empty());
        core::iter::from_fn(move || Some((it.next()?, it.next()?)))
    }

    /// The value of extension `name`.
    #[must_use]
    pub fn extension(&self, name: &str) -> Option<&'a str> {
        self.extension_pairs()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// `tcptype` (RFC 6544): `active`, `passive` or `so`.
    #[must_use]
    pub fn tcptype(&self) -> Option<&'a str> {
        self.extension("tcptype")
    }

    /// `generation` (libwebrtc).
    #[must_use]
    pub fn generation(&self) -> Option<u32> {
        self.extension("generation").and_then(u32::parse_dec)
    }

    /// `ufrag` (libwebrtc): the username fragment the candidate belongs to.
    #[must_use]
    pub fn ufrag(&self) -> Option<&'a str> {
        self.extension("ufrag")
    }

    /// `network-id` (libwebrtc).
    #[must_use]
    pub fn network_id(&self) -> Option<u32> {
        self.extension("network-id").and_then(u32::parse_dec)
    }

    /// `network-cost` (libwebrtc).
    #[must_use]
    pub fn network_cost(&self) -> Option<u32> {
        self.extension("network-cost").and_then(u32::parse_dec)
    }

    /// Extensions other than `tcptype`, `generation`, `ufrag`, `network-id`
    /// and `network-cost`.
    pub fn unknown_extensions(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.extension_pairs().filter(|(k, _)| {
            !matches!(
                *k,
                "tcptype" | "generation" | "ufrag" | "network-id" | "network-cost"
            )
        })
    }

    /// Classifies [`address`](Self::address).
    #[must_use]
    pub fn address_kind(&self) -> AddressKind {
        if self.address.parse::<Ipv4Addr>().is_ok() {
            AddressKind::Ipv4
        } else if self.address.parse::<Ipv6Addr>().is_ok() {
            AddressKind::Ipv6
        } else if self
            .address
            .get(self.address.len().saturating_sub(6)..)
            .is_some_and(|t| self.address.len() > 6 && t.eq_ignore_ascii_case(".local"))
        {
            AddressKind::Mdns
        } else {
            AddressKind::Fqdn
        }
    }
}

/// RFC 8839 `ice-char = ALPHA / DIGIT / "+" / "/"`.
const fn is_ice_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Writes the `RTCIceCandidate.candidate` form, starting with `candidate:`.
impl fmt::Display for Candidate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "candidate:{} {} {} {} {} {} typ {}",
            self.foundation,
            self.component,
            self.transport,
            self.priority,
            self.address,
            self.port,
            self.typ
        )?;
        if let Some(a) = self.raddr {
            write!(f, " raddr {a}")?;
        }
        if let Some(p) = self.rport {
            write!(f, " rport {p}")?;
        }
        if !self.extensions.is_empty() {
            write!(f, " {}", self.extensions)?;
        }
        Ok(())
    }
}

/// A trickled candidate as exchanged by signalling: the W3C
/// `RTCIceCandidateInit` dictionary `{candidate, sdpMid, sdpMLineIndex,
/// usernameFragment}`. An empty `candidate` is the end-of-candidates marker.
///
/// With feature `json` it (de)serializes with the W3C field names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "json", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "json", serde(rename_all = "camelCase"))]
pub struct CandidateInit {
    /// `candidate:...` string, or empty for end-of-candidates.
    pub candidate: String,
    /// The `a=mid` of the media section.
    #[cfg_attr(
        feature = "json",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub sdp_mid: Option<String>,
    /// The 0-based index of the media section.
    #[cfg_attr(
        feature = "json",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub sdp_m_line_index: Option<u16>,
    /// The ICE username fragment.
    #[cfg_attr(
        feature = "json",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub username_fragment: Option<String>,
}

impl CandidateInit {
    /// True for the end-of-candidates marker (empty `candidate`).
    #[must_use]
    pub fn is_end_of_candidates(&self) -> bool {
        self.candidate.is_empty()
    }

    /// Parses [`candidate`](Self::candidate); `None` for end-of-candidates.
    ///
    /// # Errors
    /// As [`Candidate::parse`].
    pub fn parse(&self) -> Result<Option<Candidate<'_>>, Error> {
        if self.is_end_of_candidates() {
            Ok(None)
        } else {
            Candidate::parse(&self.candidate).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    const CHROME: &str = "candidate:2794195013 1 udp 2122194687 192.0.2.2 37671 typ host generation 0 ufrag t8Rp network-id 1";

    #[test]
    fn chromium_trickle_roundtrip() {
        let c = Candidate::parse(CHROME).unwrap();
        assert_eq!(c.foundation, "2794195013");
        assert_eq!(c.ufrag(), Some("t8Rp"));
        assert_eq!(c.network_id(), Some(1));
        assert_eq!(c.generation(), Some(0));
        assert_eq!(c.address_kind(), AddressKind::Ipv4);
        assert_eq!(c.to_string(), CHROME);
    }

    #[test]
    fn srflx_tcp_mdns_unknown() {
        let s = "a=candidate:5 1 TCP 1684013055 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998 tcptype passive generation 5 x-foo bar";
        let c = Candidate::parse(s).unwrap();
        assert_eq!(
            (c.raddr, c.rport, c.tcptype()),
            (Some("10.0.1.1"), Some(8998), Some("passive"))
        );
        assert_eq!(
            c.unknown_extensions().collect::<Vec<_>>(),
            [("x-foo", "bar")]
        );
        assert_eq!(c.to_string(), s[2..]);
        let m = Candidate::parse("1 1 udp 1 4a1e0c5b-aaaa.local 5000 typ host").unwrap();
        assert_eq!(m.address_kind(), AddressKind::Mdns);
        let v6 = Candidate::parse("1 1 udp 1 fd00::2 5000 typ host").unwrap();
        assert_eq!(v6.address_kind(), AddressKind::Ipv6);
        // Public fields may hold anything; classifying must not panic.
        let odd = Candidate {
            address: "h\u{e9}\u{e9}\u{e9}\u{e9}",
            ..v6
        };
        assert_eq!(odd.address_kind(), AddressKind::Fqdn);
    }

    #[test]
    fn errors_have_columns() {
        let e = Candidate::parse("candidate:1 1 udp x 1.2.3.4 5 typ host").unwrap_err();
        assert_eq!(
            e,
            Error::syntax(0, 19, Rule::Candidate, Problem::InvalidNumber)
        );
        assert!(Candidate::parse("1 1 udp 1 1.2.3.4 5 type host").is_err());
        assert!(Candidate::parse("1 1 udp 1 1.2.3.4 5 typ host generation").is_err());
        assert!(Candidate::parse("").is_err());
    }
}
