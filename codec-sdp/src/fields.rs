//! Typed views of the non-attribute lines: `o=`, `c=`, `b=`, `t=`, `m=`
//! (RFC 8866 §5).

use core::fmt;

use crate::error::{Error, Problem, Rule};
use crate::scan::{as_text, check_token, ferr, FResult, Fields, Num};

/// Turns a field error into an [`Error`] for a line whose value starts at
/// `col` (1-based column of the first value byte).
pub(crate) const fn at_line(e: crate::scan::FieldError, line: u32, col: u32, rule: Rule) -> Error {
    Error::syntax(line, col + e.at as u32, rule, e.problem)
}

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`
/// (RFC 8866 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// User name; an octet string (may be Latin-1), `-` when unused.
    pub username: &'a [u8],
    /// Session id, kept as written (a numeric string of any length).
    pub session_id: &'a str,
    /// Session version, kept as written.
    pub session_version: &'a str,
    /// Network type (`IN`).
    pub nettype: &'a str,
    /// Address type (`IP4`, `IP6`).
    pub addrtype: &'a str,
    /// Unicast address or host name.
    pub address: &'a str,
}

impl<'a> Origin<'a> {
    pub(crate) fn parse(v: &'a [u8]) -> FResult<Self> {
        let sp = memchr::memchr(b' ', v).ok_or_else(|| ferr(v.len(), Problem::MissingField))?;
        if sp == 0 {
            return Err(ferr(0, Problem::EmptyField));
        }
        let rest = as_text(&v[sp + 1..]).map_err(|e| ferr(e.at + sp + 1, e.problem))?;
        let shift = |e: crate::scan::FieldError| ferr(e.at + sp + 1, e.problem);
        let mut f = Fields::new(rest);
        let (at, session_id) = f.req().map_err(shift)?;
        // RFC 8866 §5.2: sess-id and sess-version are numeric strings.
        if !session_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(shift(ferr(at, Problem::InvalidNumber)));
        }
        let (at, session_version) = f.req().map_err(shift)?;
        if !session_version.bytes().all(|b| b.is_ascii_digit()) {
            return Err(shift(ferr(at, Problem::InvalidNumber)));
        }
        let nettype = f.token().map_err(shift)?;
        let addrtype = f.token().map_err(shift)?;
        let (at, address) = f.req().map_err(shift)?;
        crate::scan::check_vchars(address, at).map_err(shift)?;
        f.end().map_err(shift)?;
        Ok(Self {
            username: &v[..sp],
            session_id,
            session_version,
            nettype,
            addrtype,
            address,
        })
    }

    /// The session version as a number, if it fits in a `u64`.
    #[must_use]
    pub fn session_version_u64(&self) -> Option<u64> {
        u64::parse_dec(self.session_version)
    }
}

/// `c=<nettype> <addrtype> <connection-address>` (RFC 8866 §5.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection<'a> {
    /// Network type (`IN`).
    pub nettype: &'a str,
    /// Address type (`IP4`, `IP6`).
    pub addrtype: &'a str,
    /// Address as written, including any `/ttl/count` suffix.
    pub address: &'a str,
}

impl<'a> Connection<'a> {
    pub(crate) fn parse(v: &'a [u8]) -> FResult<Self> {
        let s = as_text(v)?;
        let mut f = Fields::new(s);
        let nettype = f.token()?;
        let addrtype = f.token()?;
        let (at, address) = f.req()?;
        crate::scan::check_vchars(address, at)?;
        f.end()?;
        Ok(Self {
            nettype,
            addrtype,
            address,
        })
    }

    /// The address without a `/ttl` or `/count` suffix.
    #[must_use]
    pub fn host(&self) -> &'a str {
        self.address.split('/').next().unwrap_or(self.address)
    }
}

/// `b=<bwtype>:<bandwidth>` (RFC 8866 §5.8). Any token is kept as the type
/// (`AS`, `CT`, `TIAS`, `RR`, `RS`, `X-...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bandwidth<'a> {
    /// Bandwidth type.
    pub bwtype: &'a str,
    /// The value (kbit/s for `AS`/`CT`, bit/s for `TIAS`).
    pub bandwidth: u64,
}

impl<'a> Bandwidth<'a> {
    pub(crate) fn parse(v: &'a [u8]) -> FResult<Self> {
        let s = as_text(v)?;
        let (t, n) = s
            .split_once(':')
            .ok_or_else(|| ferr(s.len(), Problem::MissingField))?;
        check_token(t, 0)?;
        let bandwidth =
            u64::parse_dec(n).ok_or_else(|| ferr(t.len() + 1, Problem::InvalidNumber))?;
        Ok(Self {
            bwtype: t,
            bandwidth,
        })
    }
}

/// `t=<start-time> <stop-time>` (RFC 8866 §5.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// NTP start time, 0 for unbounded.
    pub start: u64,
    /// NTP stop time, 0 for unbounded.
    pub stop: u64,
}

impl Timing {
    pub(crate) fn parse(v: &[u8]) -> FResult<Self> {
        let mut f = Fields::new(as_text(v)?);
        let start = f.num()?;
        let stop = f.num()?;
        f.end()?;
        Ok(Self { start, stop })
    }
}

/// An RFC 8866 §5.10 typed time (`7d`, `3h`, `10m`, `30s` or plain
/// seconds; `z=` offsets may be negative) in seconds.
fn typed_time(s: &str) -> Option<i64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (num, unit) = match s.as_bytes().last()? {
        b'd' => (&s[..s.len() - 1], 86_400),
        b'h' => (&s[..s.len() - 1], 3_600),
        b'm' => (&s[..s.len() - 1], 60),
        b's' => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    let v = i64::try_from(u64::parse_dec(num)?)
        .ok()?
        .checked_mul(unit)?;
    Some(if neg { -v } else { v })
}

/// `r=<repeat interval> <active duration> <offsets from start-time>...`
/// (RFC 8866 §5.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat<'a> {
    /// Repeat interval as written.
    pub interval: &'a str,
    /// Active duration as written.
    pub duration: &'a str,
    /// Offsets as written, space separated.
    pub offsets: &'a str,
}

impl<'a> Repeat<'a> {
    pub(crate) fn parse(v: &'a [u8]) -> FResult<Self> {
        let s = as_text(v)?;
        let mut f = Fields::new(s);
        let mut times = [""; 2];
        for t in &mut times {
            let (at, x) = f.req()?;
            typed_time(x)
                .filter(|n| *n >= 0)
                .ok_or_else(|| ferr(at, Problem::InvalidNumber))?;
            *t = x;
        }
        let start = f.pos();
        let offsets = f.rest();
        for (at, x) in Fields::new(offsets) {
            typed_time(x)
                .filter(|n| *n >= 0)
                .ok_or_else(|| ferr(start + at, Problem::InvalidNumber))?;
        }
        if offsets.is_empty() {
            return Err(ferr(start, Problem::MissingField));
        }
        Ok(Self {
            interval: times[0],
            duration: times[1],
            offsets,
        })
    }

    /// The interval in seconds.
    #[must_use]
    pub fn interval_secs(&self) -> Option<i64> {
        typed_time(self.interval)
    }

    /// The duration in seconds.
    #[must_use]
    pub fn duration_secs(&self) -> Option<i64> {
        typed_time(self.duration)
    }

    /// The offsets in seconds.
    pub fn offsets_secs(&self) -> impl Iterator<Item = Option<i64>> + 'a {
        self.offsets
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(typed_time)
    }
}

/// `z=<adjustment time> <offset> ...` (RFC 8866 §5.11): pairs of NTP time
/// and (possibly negative) typed-time offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZones<'a>(pub &'a str);

impl<'a> TimeZones<'a> {
    pub(crate) fn parse(v: &'a [u8]) -> FResult<Self> {
        let s = as_text(v)?;
        let mut f = Fields::new(s);
        let mut n = 0;
        while let Some((at, t)) = f.next() {
            u64::parse_dec(t).ok_or_else(|| ferr(at, Problem::InvalidNumber))?;
            let (at, o) = f.req()?;
            typed_time(o).ok_or_else(|| ferr(at, Problem::InvalidNumber))?;
            n += 1;
        }
        if n == 0 {
            return Err(ferr(0, Problem::MissingField));
        }
        Ok(Self(s))
    }

    /// `(adjustment time, offset in seconds)` pairs.
    pub fn adjustments(&self) -> impl Iterator<Item = (u64, i64)> + 'a {
        let mut it = self.0.split(' ').filter(|x| !x.is_empty());
        core::iter::from_fn(move || {
            let t = u64::parse_dec(it.next()?)?;
            let o = typed_time(it.next()?)?;
            Some((t, o))
        })
    }
}

/// `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` (RFC 8866 §5.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLine<'a> {
    /// Media type (`audio`, `video`, `application`, or any token).
    pub media: &'a str,
    /// Transport port; 0 marks a rejected (or bundle-only) section.
    pub port: u16,
    /// The `/<number of ports>` suffix.
    pub num_ports: Option<u16>,
    /// Transport protocol (`UDP/TLS/RTP/SAVPF`, `RTP/AVP`, `UDP/DTLS/SCTP`, ...).
    pub proto: &'a str,
    /// The format list as written, space separated.
    pub fmts: &'a str,
}

impl<'a> MediaLine<'a> {
    pub(crate) fn parse(v: &'a [u8]) -> FResult<Self> {
        let s = as_text(v)?;
        let mut f = Fields::new(s);
        let media = f.token()?;
        let (at, p) = f.req()?;
        let (port, num_ports) = match p.split_once('/') {
            Some((a, b)) => (
                u16::parse_dec(a).ok_or_else(|| ferr(at, Problem::InvalidNumber))?,
                Some(
                    u16::parse_dec(b)
                        .ok_or_else(|| ferr(at + a.len() + 1, Problem::InvalidNumber))?,
                ),
            ),
            None => (
                u16::parse_dec(p).ok_or_else(|| ferr(at, Problem::InvalidNumber))?,
                None,
            ),
        };
        let (at, proto) = f.req()?;
        // proto = token *("/" token)
        if proto.split('/').any(|t| check_token(t, 0).is_err()) {
            return Err(ferr(at, Problem::InvalidToken));
        }
        let start = f.pos();
        let fmts = f.rest();
        let mut n = 0;
        for (at, fmt) in Fields::new(fmts) {
            check_token(fmt, start + at)?;
            n += 1;
        }
        if n == 0 {
            return Err(ferr(start, Problem::MissingField));
        }
        Ok(Self {
            media,
            port,
            num_ports,
            proto,
            fmts,
        })
    }

    /// The formats (payload types for RTP, `webrtc-datachannel` or a port for
    /// SCTP), in order, as tokens.
    pub fn formats(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.fmts.split(' ').filter(|s| !s.is_empty())
    }

    /// The formats that are RTP payload types (0-127), in order.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + 'a {
        self.formats()
            .filter_map(u8::parse_dec)
            .filter(|pt| *pt < 128)
    }
}

impl fmt::Display for MediaLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m={} {}", self.media, self.port)?;
        if let Some(n) = self.num_ports {
            write!(f, "/{n}")?;
        }
        write!(f, " {} {}", self.proto, self.fmts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn origin_latin1_user() {
        let o = Origin::parse(b"J\xf6rg 123 2 IN IP4 127.0.0.1").unwrap();
        assert_eq!(o.username, b"J\xf6rg");
        assert_eq!(o.session_version_u64(), Some(2));
        assert_eq!(Origin::parse(b"- x 2 IN IP4 h").unwrap_err().at, 2);
        assert_eq!(
            Origin::parse(b"- 1 2 IN IP4").unwrap_err().problem,
            Problem::MissingField
        );
    }

    #[test]
    fn media_line() {
        let m = MediaLine::parse(b"video 9/2 UDP/TLS/RTP/SAVPF 96 35 127").unwrap();
        assert_eq!(m.port, 9);
        assert_eq!(m.num_ports, Some(2));
        assert_eq!(m.payload_types().collect::<Vec<_>>(), [96, 35, 127]);
        let e = MediaLine::parse(b"video x RTP/AVP 0").unwrap_err();
        assert_eq!((e.at, e.problem), (6, Problem::InvalidNumber));
        assert!(MediaLine::parse(b"audio 0 RTP/AVP").is_err());
    }

    #[test]
    fn repeat_and_zones() {
        // RFC 8866 §5.10 example.
        let r = Repeat::parse(b"7d 1h 0 25h").unwrap();
        assert_eq!(
            (r.interval_secs(), r.duration_secs()),
            (Some(604_800), Some(3_600))
        );
        assert_eq!(
            r.offsets_secs().collect::<Vec<_>>(),
            [Some(0), Some(90_000)]
        );
        assert!(Repeat::parse(b"7d 1h").is_err());
        let z = TimeZones::parse(b"2882844526 -1h 2898848070 0").unwrap();
        assert_eq!(
            z.adjustments().collect::<Vec<_>>(),
            [(2_882_844_526, -3_600), (2_898_848_070, 0)]
        );
        assert!(TimeZones::parse(b"2882844526").is_err());
    }

    #[test]
    fn bandwidth_and_timing() {
        assert_eq!(
            Bandwidth::parse(b"X-FOO:12").unwrap(),
            Bandwidth {
                bwtype: "X-FOO",
                bandwidth: 12
            }
        );
        assert!(Bandwidth::parse(b"AS:").is_err());
        assert_eq!(Timing::parse(b"0 0").unwrap(), Timing { start: 0, stop: 0 });
        assert!(Timing::parse(b"0").is_err());
    }
}
