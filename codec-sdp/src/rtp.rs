//! RTP attributes: `rtpmap`, `fmtp`, `rtcp-fb`, `extmap`, `ssrc`, `ssrc-group`.

use core::fmt;

use crate::attribute::Direction;
use crate::error::Problem;
use crate::scan::{
    check_token, check_vchars, ferr, head, split_around, tail, FResult, Fields, Num,
};

/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]`
/// (RFC 8866 §6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rtpmap<'a> {
    /// Payload type 0-127 (any of them: Chromium uses 35-63 as well as 96-127).
    pub pt: u8,
    /// Encoding name as written (`opus`, `VP8`, `rtx`).
    pub encoding: &'a str,
    /// RTP clock rate in Hz.
    pub clock_rate: u32,
    /// Encoding parameters (audio channels), as written.
    pub params: Option<&'a str>,
}

impl<'a> Rtpmap<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let pt = payload_type(&mut f)?;
        let (at, enc) = f.req()?;
        f.end()?;
        // <encoding name>/<clock rate>[/<encoding parameters>]
        let slash = crate::scan::find_byte(b'/', enc.as_bytes());
        let encoding = slash.map_or(enc, |i| head(enc, i));
        check_token(encoding, at)?;
        let at_rate = at + encoding.len() + 1;
        let rest = slash
            .map(|i| tail(enc, i + 1))
            .ok_or_else(|| ferr(at_rate, Problem::MissingField))?;
        let (rate, params) = match crate::scan::find_byte(b'/', rest.as_bytes()) {
            Some(i) => {
                let (a, b) = split_around(rest, i);
                (a, Some(b))
            }
            None => (rest, None),
        };
        let clock_rate =
            u32::parse_dec(rate).ok_or_else(|| ferr(at_rate, Problem::InvalidNumber))?;
        if let Some(p) = params {
            check_token(p, at_rate + rate.len() + 1)?;
        }
        Ok(Self {
            pt,
            encoding,
            clock_rate,
            params,
        })
    }

    /// Channel count, when the encoding parameters are a number.
    #[must_use]
    pub fn channels(&self) -> Option<u16> {
        self.params.and_then(u16::parse_dec)
    }
}

impl fmt::Display for Rtpmap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rtpmap:{} {}/{}",
            self.pt, self.encoding, self.clock_rate
        )?;
        match self.params {
            Some(p) => write!(f, "/{p}"),
            None => Ok(()),
        }
    }
}

fn payload_type(f: &mut Fields<'_>) -> FResult<u8> {
    let (at, s) = f.req()?;
    match u8::parse_dec(s) {
        Some(pt) if pt < 128 => Ok(pt),
        _ => Err(ferr(at, Problem::InvalidNumber)),
    }
}

/// `a=fmtp:<format> <format specific parameters>` (RFC 8866 §6.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fmtp<'a> {
    /// The format (payload type) as written.
    pub format: &'a str,
    /// The parameters as written.
    pub params: &'a str,
}

impl<'a> Fmtp<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let (format, params) = match crate::scan::find_byte(b' ', s.as_bytes()) {
            Some(i) => split_around(s, i),
            None => (s, ""),
        };
        check_token(format, 0)?;
        Ok(Self { format, params })
    }

    /// The payload type, if the format is one.
    #[must_use]
    pub fn pt(&self) -> Option<u8> {
        u8::parse_dec(self.format).filter(|p| *p < 128)
    }

    /// `key=value` pairs separated by `;` (surrounding spaces trimmed). A part
    /// without `=` (such as RED's `111/111`) is a key without value.
    pub fn pairs(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + 'a {
        self.params
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (p, None),
            })
    }

    /// The value of parameter `key` (case-insensitive, as RFC 6838 names are).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v)
    }

    /// The `apt` parameter of an RTX format (RFC 4588 §8.6).
    #[must_use]
    pub fn apt(&self) -> Option<u8> {
        self.get("apt").and_then(u8::parse_dec)
    }
}

/// `a=rtcp-fb:<pt or *> <type> [<parameters>]` (RFC 4585 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtcpFb<'a> {
    /// Payload type or `*`.
    pub pt: &'a str,
    /// Feedback type (`nack`, `ccm`, `goog-remb`, `transport-cc`, ...).
    pub kind: &'a str,
    /// The rest (`pli`, `fir`, ...), as written.
    pub param: Option<&'a str>,
}

impl<'a> RtcpFb<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let (at, pt) = f.req()?;
        if pt != "*" && u8::parse_dec(pt).is_none_or(|p| p > 127) {
            return Err(ferr(at, Problem::InvalidNumber));
        }
        let kind = f.token()?;
        let param = match f.rest() {
            "" => None,
            r => Some(r),
        };
        Ok(Self { pt, kind, param })
    }
}

/// `a=extmap:<id>[/<direction>] <uri> [<attributes>]` (RFC 8285 §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extmap<'a> {
    /// Extension id (1-14 one-byte, 1-255 two-byte).
    pub id: u16,
    /// Optional direction.
    pub direction: Option<Direction>,
    /// The extension URI.
    pub uri: &'a str,
    /// Extension attributes, as written.
    pub attributes: Option<&'a str>,
}

impl<'a> Extmap<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let (at, idf) = f.req()?;
        let (id, direction) = match idf.split_once('/') {
            Some((i, d)) => (
                i,
                Some(
                    Direction::from_name(d)
                        .ok_or_else(|| ferr(at + i.len() + 1, Problem::InvalidValue))?,
                ),
            ),
            None => (idf, None),
        };
        let id = u16::parse_dec(id).ok_or_else(|| ferr(at, Problem::InvalidNumber))?;
        let (at, uri) = f.req()?;
        check_vchars(uri, at)?;
        let attributes = match f.rest() {
            "" => None,
            r => Some(r),
        };
        Ok(Self {
            id,
            direction,
            uri,
            attributes,
        })
    }
}

/// `a=ssrc:<ssrc-id> <attribute>[:<value>]` (RFC 5576 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ssrc<'a> {
    /// The SSRC.
    pub ssrc: u32,
    /// Source attribute name (`cname`, `msid`, `label`, ...).
    pub attribute: &'a str,
    /// Its value, as written (it may contain spaces).
    pub value: Option<&'a str>,
}

impl<'a> Ssrc<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let ssrc = f.num()?;
        let at = f.pos();
        let rest = f.rest();
        let (attribute, value) = match crate::scan::find_byte(b':', rest.as_bytes()) {
            Some(i) => {
                let (a, b) = split_around(rest, i);
                (a, Some(b))
            }
            None => (rest, None),
        };
        check_token(attribute, at)?;
        Ok(Self {
            ssrc,
            attribute,
            value,
        })
    }
}

/// `a=ssrc-group:<semantics> <ssrc-id> ...` (RFC 5576 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SsrcGroup<'a> {
    /// Semantics (`FID`, `SIM`, `FEC-FR`).
    pub semantics: &'a str,
    /// The SSRCs as written.
    pub ssrcs: &'a str,
}

impl<'a> SsrcGroup<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let semantics = f.token()?;
        let start = f.pos();
        let ssrcs = f.rest();
        for (at, x) in Fields::new(ssrcs) {
            u32::parse_dec(x).ok_or_else(|| ferr(start + at, Problem::InvalidNumber))?;
        }
        Ok(Self { semantics, ssrcs })
    }

    /// The SSRCs in order.
    pub fn ssrc_ids(&self) -> impl Iterator<Item = u32> + 'a {
        self.ssrcs.split(' ').filter_map(u32::parse_dec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn rtpmap() {
        let r = Rtpmap::parse("111 opus/48000/2").unwrap();
        assert_eq!(
            (r.pt, r.encoding, r.clock_rate, r.channels()),
            (111, "opus", 48000, Some(2))
        );
        assert_eq!(r.to_string(), "rtpmap:111 opus/48000/2");
        assert_eq!(Rtpmap::parse("35 AV1/90000").unwrap().pt, 35);
        assert_eq!(
            Rtpmap::parse("128 x/1").unwrap_err().problem,
            Problem::InvalidNumber
        );
        assert_eq!(Rtpmap::parse("96 VP8").unwrap_err().at, 7);
    }

    #[test]
    fn fmtp_pairs() {
        let f = Fmtp::parse("111 minptime=10;useinbandfec=1").unwrap();
        assert_eq!(f.get("useinbandfec"), Some("1"));
        assert_eq!(f.pairs().count(), 2);
        let red = Fmtp::parse("63 111/111").unwrap();
        assert_eq!(red.pairs().collect::<Vec<_>>(), [("111/111", None)]);
        assert_eq!(Fmtp::parse("97 apt=96").unwrap().apt(), Some(96));
    }

    #[test]
    fn extmap_and_ssrc() {
        let e = Extmap::parse("2/sendonly urn:x attr").unwrap();
        assert_eq!(
            (e.id, e.direction, e.attributes),
            (2, Some(Direction::SendOnly), Some("attr"))
        );
        assert!(Extmap::parse("2/bogus urn:x").is_err());
        let s = Ssrc::parse("439393814 msid:a b").unwrap();
        assert_eq!((s.attribute, s.value), ("msid", Some("a b")));
        let g = SsrcGroup::parse("FID 1 2").unwrap();
        assert_eq!(g.ssrc_ids().collect::<Vec<_>>(), [1, 2]);
        assert!(SsrcGroup::parse("FID 1 x").is_err());
        assert!(RtcpFb::parse("* nack").is_ok());
        assert!(RtcpFb::parse("x nack").is_err());
    }
}
