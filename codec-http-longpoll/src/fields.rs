//! Typed helpers for the fields long polling relies on: ETag and
//! If-None-Match (RFC 9110 §8.8.3, §13.1.2), Retry-After (§10.2.3),
//! Cache-Control (RFC 9111 §5.2) and HTTP-date (RFC 9110 §5.6.7).

use crate::headers::list_elements;
use crate::syntax::{is_token, trim_ows};

/// An entity tag: `"opaque"` or `W/"opaque"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ETag<'a> {
    /// True for a weak tag (`W/`).
    pub weak: bool,
    /// The opaque part, without quotes.
    pub tag: &'a [u8],
}

impl<'a> ETag<'a> {
    /// Parse one entity-tag; `None` if malformed.
    #[must_use]
    pub fn parse(v: &'a [u8]) -> Option<Self> {
        let v = trim_ows(v);
        let (weak, rest) = match v.strip_prefix(b"W/") {
            Some(r) => (true, r),
            None => (false, v),
        };
        let tag = rest.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
        // etagc = %x21 / %x23-7E / obs-text
        if tag.iter().all(|&b| b == 0x21 || (b >= 0x23 && b != 0x7F)) {
            Some(Self { weak, tag })
        } else {
            None
        }
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): the opaque parts match.
    #[must_use]
    pub fn weak_eq(&self, other: &ETag<'_>) -> bool {
        self.tag == other.tag
    }
}

/// True when an `If-None-Match` value matches `current` (RFC 9110 §13.1.2:
/// `*`, or any listed tag by weak comparison), so the answer is 304.
#[must_use]
pub fn if_none_match(header: &[u8], current: &ETag<'_>) -> bool {
    if trim_ows(header) == b"*" {
        return true;
    }
    list_elements(header)
        .filter_map(ETag::parse)
        .any(|t| t.weak_eq(current))
}

/// A Retry-After value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// Delay in seconds.
    Seconds(u64),
    /// An HTTP-date, as seconds since the Unix epoch.
    Date(u64),
}

impl RetryAfter {
    /// Parse `delay-seconds / HTTP-date`.
    #[must_use]
    pub fn parse(v: &[u8]) -> Option<Self> {
        let v = trim_ows(v);
        if !v.is_empty() && v.iter().all(u8::is_ascii_digit) {
            let n = v
                .iter()
                .try_fold(0u64, |a, &d| {
                    a.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                })
                .unwrap_or(u64::MAX);
            return Some(Self::Seconds(n));
        }
        parse_http_date(v).map(Self::Date)
    }

    /// The delay in seconds from `now_unix` (0 for a date in the past).
    #[must_use]
    pub fn delay_secs(&self, now_unix: u64) -> u64 {
        match *self {
            Self::Seconds(s) => s,
            Self::Date(d) => d.saturating_sub(now_unix),
        }
    }
}

/// The Cache-Control directives long polling cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CacheControl {
    /// `no-store`
    pub no_store: bool,
    /// `no-cache`
    pub no_cache: bool,
    /// `private`
    pub private: bool,
    /// `max-age=N`
    pub max_age: Option<u64>,
}

impl CacheControl {
    /// Parse every directive of one or more Cache-Control values; unknown
    /// directives are ignored (RFC 9111 §5.2.3).
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut cc = Self::default();
        for v in values {
            for d in list_elements(v) {
                let (name, arg) = match d.iter().position(|&b| b == b'=') {
                    Some(i) => (&d[..i], Some(trim_ows(&d[i + 1..]))),
                    None => (d, None),
                };
                let name = trim_ows(name);
                if !is_token(name) {
                    continue;
                }
                if name.eq_ignore_ascii_case(b"no-store") {
                    cc.no_store = true;
                } else if name.eq_ignore_ascii_case(b"no-cache") {
                    cc.no_cache = true;
                } else if name.eq_ignore_ascii_case(b"private") {
                    cc.private = true;
                } else if name.eq_ignore_ascii_case(b"max-age") {
                    let a = arg.map(|a| {
                        a.strip_prefix(b"\"")
                            .and_then(|a| a.strip_suffix(b"\""))
                            .unwrap_or(a)
                    });
                    cc.max_age = a.and_then(|a| core::str::from_utf8(a).ok()?.parse().ok());
                }
            }
        }
        cc
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    // Howard Hinnant's days-from-civil algorithm (public domain description).
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    core::str::from_utf8(s).ok()?.parse().ok()
}

fn month(s: &[u8]) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| &m[..] == s)
        .map(|i| i as u32 + 1)
}

fn hms(s: &[u8]) -> Option<u64> {
    let mut it = s.split(|&b| b == b':');
    let (h, m, sec) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
    if it.next().is_some() || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(sec))
}

fn to_unix(y: i64, mo: u32, d: u32, secs: u64) -> Option<u64> {
    if !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    u64::try_from(days).ok().map(|days| days * 86_400 + secs)
}

/// Parse an HTTP-date (IMF-fixdate, RFC 850 or asctime form) into seconds
/// since the Unix epoch.
#[must_use]
pub fn parse_http_date(v: &[u8]) -> Option<u64> {
    let mut parts: [&[u8]; 6] = [&[]; 6];
    let mut n = 0;
    for p in v.split(|&b| b == b' ').filter(|p| !p.is_empty()) {
        if n == parts.len() {
            return None;
        }
        parts[n] = p;
        n += 1;
    }
    match &parts[..n] {
        // Sun, 06 Nov 1994 08:49:37 GMT
        [_, d, m, y, t, b"GMT"] if y.len() == 4 => {
            to_unix(i64::from(num(y)?), month(m)?, num(d)?, hms(t)?)
        }
        // Sunday, 06-Nov-94 08:49:37 GMT (two-digit year: RFC 9110 §5.6.7 50-year rule, simplified)
        [_, dmy, t, b"GMT"] => {
            let mut it = dmy.split(|&b| b == b'-');
            let (d, m, y) = (num(it.next()?)?, month(it.next()?)?, num(it.next()?)?);
            let y = if y < 70 { 2000 + y } else { 1900 + y };
            to_unix(i64::from(y), m, d, hms(t)?)
        }
        // Sun Nov  6 08:49:37 1994
        [_, m, d, t, y] => to_unix(i64::from(num(y)?), month(m)?, num(d)?, hms(t)?),
        _ => None,
    }
}

/// Format seconds since the Unix epoch as an IMF-fixdate into `out`
/// (29 bytes), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn format_http_date(unix: u64, out: &mut [u8; 29]) {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // civil-from-days (inverse of the above)
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u32;
    let wd = DAYS[(days.rem_euclid(7)) as usize];
    let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let (h, mi, s) = (
        (secs / 3600) as u32,
        (secs / 60 % 60) as u32,
        (secs % 60) as u32,
    );
    let mut w = 0;
    let mut put = |b: &[u8]| {
        out[w..w + b.len()].copy_from_slice(b);
        w += b.len();
    };
    put(wd);
    put(b", ");
    put(&two(d));
    put(b" ");
    put(MONTHS[m - 1]);
    put(b" ");
    put(&two(y / 100));
    put(&two(y % 100));
    put(b" ");
    put(&two(h));
    put(b":");
    put(&two(mi));
    put(b":");
    put(&two(s));
    put(b" GMT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags() {
        let cur = ETag::parse(b"\"v42\"").unwrap();
        assert!(if_none_match(b"\"v1\", W/\"v42\"", &cur));
        assert!(if_none_match(b"*", &cur));
        assert!(!if_none_match(b"\"v4\"", &cur));
        assert!(ETag::parse(b"v42").is_none());
        assert!(ETag::parse(b"\"a\"b\"").is_none());
        assert!(ETag::parse(b"W/\"x\"").unwrap().weak);
    }

    #[test]
    fn dates_all_three_forms() {
        let want = 784_111_777;
        assert_eq!(
            parse_http_date(b"Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(want)
        );
        assert_eq!(
            parse_http_date(b"Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(want)
        );
        assert_eq!(parse_http_date(b"Sun Nov  6 08:49:37 1994"), Some(want));
        assert_eq!(parse_http_date(b"Sun, 06 Foo 1994 08:49:37 GMT"), None);
        let mut out = [0u8; 29];
        format_http_date(want, &mut out);
        assert_eq!(&out, b"Sun, 06 Nov 1994 08:49:37 GMT");
        format_http_date(0, &mut out);
        assert_eq!(&out, b"Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn retry_after_and_cache_control() {
        assert_eq!(RetryAfter::parse(b"120"), Some(RetryAfter::Seconds(120)));
        let d = RetryAfter::parse(b"Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(d.delay_secs(784_111_777 - 5), 5);
        assert_eq!(RetryAfter::parse(b"soon"), None);
        let cc = CacheControl::parse([&b"no-store, max-age=\"5\""[..], b"private"]);
        assert!(cc.no_store && cc.private && !cc.no_cache);
        assert_eq!(cc.max_age, Some(5));
    }
}
