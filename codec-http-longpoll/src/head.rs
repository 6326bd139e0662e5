//! Message heads (RFC 9112 §2-§5): parsing with httparse underneath, a
//! resumable end-of-head scan, and emitters.

use alloc::vec;
use alloc::vec::Vec;
use bytes::{BufMut, Bytes, BytesMut};
use core::mem::MaybeUninit;
use core::ops::Range;

use crate::headers::{parse_field_line, Field, Headers};
use crate::syntax::{is_field_value_byte, is_token, trim_ows};
use crate::{Error, HeadPart, Leniency, Limits};

/// The protocol version of a message.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// HTTP/1.0
    Http10,
    /// HTTP/1.1
    #[default]
    Http11,
}

impl Version {
    fn as_bytes(self) -> &'static [u8] {
        match self {
            Self::Http10 => b"HTTP/1.0",
            Self::Http11 => b"HTTP/1.1",
        }
    }
}

/// A request head: request line and header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    method: Bytes,
    target: Bytes,
    /// The protocol version.
    pub version: Version,
    /// The header fields, in order.
    pub headers: Headers,
    raw: Bytes,
}

impl RequestHead {
    /// A request line for sending: `method` must be a token and `target`
    /// visible ASCII without spaces.
    ///
    /// # Errors
    /// [`Error::InvalidStartLineInput`] when either cannot be sent.
    pub fn new(method: &str, target: &str) -> Result<Self, Error> {
        if !is_token(method.as_bytes())
            || target.is_empty()
            || !target.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(Error::InvalidStartLineInput);
        }
        Ok(Self {
            method: Bytes::copy_from_slice(method.as_bytes()),
            target: Bytes::copy_from_slice(target.as_bytes()),
            version: Version::Http11,
            headers: Headers::new(),
            raw: Bytes::new(),
        })
    }

    /// Add a header field (chained).
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when the field cannot be sent.
    pub fn header(
        mut self,
        name: impl Into<Bytes>,
        value: impl Into<Bytes>,
    ) -> Result<Self, Error> {
        self.headers.push(name, value)?;
        Ok(self)
    }

    /// The method, e.g. `GET`.
    #[must_use]
    pub fn method(&self) -> &str {
        core::str::from_utf8(&self.method).unwrap_or("")
    }

    /// The request-target, e.g. `/poll?since=3`.
    #[must_use]
    pub fn target(&self) -> &str {
        core::str::from_utf8(&self.target).unwrap_or("")
    }

    /// The path part of the target (before `?`).
    #[must_use]
    pub fn path(&self) -> &str {
        let t = self.target();
        t.split_once('?').map_or(t, |(p, _)| p)
    }

    /// The query part of the target (after `?`), if any.
    #[must_use]
    pub fn query(&self) -> Option<&str> {
        self.target().split_once('?').map(|(_, q)| q)
    }

    /// Offset of `f` inside the received head (0 for a head built locally).
    #[must_use]
    pub(crate) fn offset_of(&self, f: &Field) -> u64 {
        offset_in(&self.raw, f.name())
    }

    /// Write the head (request line, fields, blank line) into `dst`.
    pub fn encode(&self, dst: &mut BytesMut) {
        dst.reserve(self.method.len() + self.target.len() + 12 + fields_len(&self.headers));
        dst.put_slice(&self.method);
        dst.put_u8(b' ');
        dst.put_slice(&self.target);
        dst.put_u8(b' ');
        dst.put_slice(self.version.as_bytes());
        dst.put_slice(b"\r\n");
        encode_fields(&self.headers, dst);
    }
}

/// A response head: status line and header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// The protocol version.
    pub version: Version,
    status: u16,
    reason: Bytes,
    /// The header fields, in order.
    pub headers: Headers,
    raw: Bytes,
}

impl ResponseHead {
    /// A status line for sending, with the usual reason phrase.
    ///
    /// # Errors
    /// [`Error::InvalidStartLineInput`] unless `100 <= status <= 999`.
    pub fn new(status: u16) -> Result<Self, Error> {
        if !(100..=999).contains(&status) {
            return Err(Error::InvalidStartLineInput);
        }
        Ok(Self {
            version: Version::Http11,
            status,
            reason: Bytes::from_static(reason_phrase(status).as_bytes()),
            headers: Headers::new(),
            raw: Bytes::new(),
        })
    }

    /// Replace the reason phrase.
    ///
    /// # Errors
    /// [`Error::InvalidStartLineInput`] when it contains CR, LF or other controls.
    pub fn with_reason(mut self, reason: &str) -> Result<Self, Error> {
        if !reason.bytes().all(is_field_value_byte) {
            return Err(Error::InvalidStartLineInput);
        }
        self.reason = Bytes::copy_from_slice(reason.as_bytes());
        Ok(self)
    }

    /// Add a header field (chained).
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when the field cannot be sent.
    pub fn header(
        mut self,
        name: impl Into<Bytes>,
        value: impl Into<Bytes>,
    ) -> Result<Self, Error> {
        self.headers.push(name, value)?;
        Ok(self)
    }

    /// The status code.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The reason phrase (may be empty).
    #[must_use]
    pub fn reason(&self) -> &[u8] {
        &self.reason
    }

    pub(crate) fn offset_of(&self, f: &Field) -> u64 {
        offset_in(&self.raw, f.name())
    }

    /// Write the head (status line, fields, blank line) into `dst`.
    pub fn encode(&self, dst: &mut BytesMut) {
        dst.reserve(self.reason.len() + 16 + fields_len(&self.headers));
        dst.put_slice(self.version.as_bytes());
        dst.put_u8(b' ');
        let s = self.status;
        dst.put_slice(&[
            b'0' + (s / 100 % 10) as u8,
            b'0' + (s / 10 % 10) as u8,
            b'0' + (s % 10) as u8,
        ]);
        dst.put_u8(b' ');
        dst.put_slice(&self.reason);
        dst.put_slice(b"\r\n");
        encode_fields(&self.headers, dst);
    }
}

fn fields_len(h: &Headers) -> usize {
    h.iter()
        .map(|f| f.name().len() + f.value().len() + 4)
        .sum::<usize>()
        + 2
}

/// Write `name: value\r\n` lines and the closing blank line.
pub(crate) fn encode_fields(h: &Headers, dst: &mut BytesMut) {
    for f in h {
        dst.put_slice(f.name());
        dst.put_slice(b": ");
        dst.put_slice(f.value());
        dst.put_slice(b"\r\n");
    }
    dst.put_slice(b"\r\n");
}

fn offset_in(raw: &Bytes, part: &[u8]) -> u64 {
    let base = raw.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    if p >= base && p <= base + raw.len() {
        (p - base) as u64
    } else {
        0
    }
}

/// The reason phrase RFC 9110 §15 gives `status` (empty for unknown codes).
#[must_use]
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Resumable search for the end of a head: remembers where it stopped, so
/// a head arriving byte by byte is scanned once in total (no quadratic
/// rescans; httparse itself restarts from byte 0).
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadScanner {
    search_from: usize,
    line_start: usize,
    /// Bytes of empty lines before the start line (RFC 9112 §2.2 lets a
    /// server skip them).
    leading: usize,
}

impl HeadScanner {
    /// True before any byte of the next head was scanned.
    pub(crate) fn is_fresh(&self) -> bool {
        self.search_from == 0 && self.leading == 0
    }

    /// `Ok(Some((leading, len)))` once the head `buf[leading..len]` is complete.
    pub(crate) fn scan(
        &mut self,
        buf: &[u8],
        limits: &Limits,
        leniency: &Leniency,
    ) -> Result<Option<(usize, usize)>, Error> {
        // Only look within the limit, so a long head fails the same way
        // however it was split.
        loop {
            let end = (self.leading + limits.max_head_len).min(buf.len());
            let Some(rel) = memchr::memchr(b'\n', buf.get(self.search_from..end).unwrap_or(&[]))
            else {
                break;
            };
            let lf = self.search_from + rel;
            let has_cr = lf > 0 && buf[lf - 1] == b'\r' && lf > self.line_start;
            if !has_cr && !leniency.allow_optional_cr_before_lf {
                // RFC 9112 §2.2: a bare LF is not a line end (llhttp LH-42..45).
                return Err(Error::InvalidHead {
                    offset: lf as u64,
                    what: HeadPart::LineEnding,
                });
            }
            let content_len = lf - self.line_start - usize::from(has_cr);
            self.search_from = lf + 1;
            if content_len == 0 {
                if self.line_start == self.leading {
                    if self.leading >= 4 {
                        return Err(Error::InvalidHead {
                            offset: lf as u64,
                            what: HeadPart::RequestLine,
                        });
                    }
                    self.leading = lf + 1;
                    self.line_start = lf + 1;
                    continue;
                }
                let len = lf + 1;
                let r = (self.leading, len);
                *self = Self::default();
                return Ok(Some(r));
            }
            self.line_start = lf + 1;
        }
        self.search_from = self
            .search_from
            .max((self.leading + limits.max_head_len).min(buf.len()));
        if buf.len() - self.leading > limits.max_head_len {
            return Err(Error::HeadTooLarge {
                max: limits.max_head_len,
            });
        }
        Ok(None)
    }
}

/// Strict line checks httparse does not make: no bare CR (RFC 9112 §2.2)
/// and no obs-fold (§5.2). With `allow_lenient_headers`, a bare CR is turned
/// into CRLF and obs-fold is left to httparse (responses only).
fn check_lines(head: &Bytes, leniency: &Leniency) -> Result<Bytes, Error> {
    let mut bare_cr = None;
    for cr in memchr::memchr_iter(b'\r', head) {
        if head.get(cr + 1) != Some(&b'\n') {
            bare_cr = Some(cr);
            break;
        }
    }
    if let Some(cr) = bare_cr {
        if !leniency.allow_lenient_headers {
            return Err(Error::InvalidHead {
                offset: cr as u64,
                what: HeadPart::LineEnding,
            });
        }
    }
    if !leniency.allow_lenient_headers {
        for lf in memchr::memchr_iter(b'\n', head) {
            if matches!(head.get(lf + 1), Some(b' ' | b'\t')) {
                return Err(Error::InvalidHead {
                    offset: lf as u64 + 1,
                    what: HeadPart::ObsFold,
                });
            }
        }
    }
    if bare_cr.is_none() {
        return Ok(head.clone());
    }
    let mut out = Vec::with_capacity(head.len() + 16);
    for (i, &b) in head.iter().enumerate() {
        out.push(b);
        if b == b'\r' && head.get(i + 1) != Some(&b'\n') {
            out.push(b'\n');
        }
    }
    Ok(Bytes::from(out))
}

/// Find where httparse's complaint is, as well as we can: the first field
/// line our own grammar rejects, else the start line.
fn locate(head: &[u8], e: httparse::Error) -> Error {
    let what = match e {
        httparse::Error::HeaderName => HeadPart::FieldName,
        httparse::Error::HeaderValue => HeadPart::FieldValue,
        httparse::Error::NewLine => HeadPart::LineEnding,
        httparse::Error::Status => HeadPart::StatusLine,
        httparse::Error::Version => HeadPart::Version,
        _ => HeadPart::RequestLine,
    };
    let mut offset = 0;
    if matches!(what, HeadPart::FieldName | HeadPart::FieldValue) {
        let mut start = memchr::memchr(b'\n', head).map_or(head.len(), |i| i + 1);
        while start < head.len() {
            let end = memchr::memchr(b'\n', &head[start..]).map_or(head.len(), |i| start + i);
            let full = &head[start..end];
            let line = full.strip_suffix(b"\r").unwrap_or(full);
            if line.is_empty() {
                break;
            }
            if let Err(i) = parse_field_line(line) {
                offset = start + i;
                break;
            }
            start = end + 1;
        }
    }
    Error::InvalidHead {
        offset: offset as u64,
        what,
    }
}

fn to_headers(raw: &Bytes, hs: &[httparse::Header<'_>]) -> Headers {
    let mut out = Headers::with_capacity(hs.len());
    for h in hs {
        let name = raw.slice_ref(h.name.as_bytes());
        let value = raw.slice_ref(trim_ows(h.value));
        out.push_field(Field::from_parts(name, value));
    }
    out
}

fn version(v: Option<u8>) -> Version {
    if v == Some(0) {
        Version::Http10
    } else {
        Version::Http11
    }
}

/// Run httparse with header storage sized by the limit: a small stack array
/// first, the full `max_headers` only when a head needs it.
macro_rules! with_headers {
    ($limits:expr, |$hs:ident| $body:expr) => {{
        let mut small = [httparse::EMPTY_HEADER; 24];
        let r = {
            let $hs: &mut [httparse::Header<'_>] = &mut small[..$limits.max_headers.min(24)];
            $body
        };
        match r {
            Err(Error::TooManyHeaders { .. }) if $limits.max_headers > 24 => {
                let mut big = vec![httparse::EMPTY_HEADER; $limits.max_headers];
                let $hs: &mut [httparse::Header<'_>] = &mut big[..];
                $body
            }
            r => r,
        }
    }};
}

fn map_err(head: &[u8], e: httparse::Error, limits: &Limits) -> Error {
    if e == httparse::Error::TooManyHeaders {
        Error::TooManyHeaders {
            max: limits.max_headers,
        }
    } else {
        locate(head, e)
    }
}

/// Header fields the in-place fast path handles; a head with more takes the
/// general path.
const FAST_FIELDS: usize = 24;

/// A head parsed in place, as byte ranges into the buffer it was found in:
/// the fast path of [`crate::MessageDecoder`] (see [`scan_in_place`]). Kept
/// by the decoder so its field list is allocated once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spans {
    /// Length of the head, its closing blank line included.
    pub(crate) len: usize,
    version: Version,
    status: u16,
    /// Method and target of a request; the reason phrase of a response.
    first: (u32, u32),
    second: (u32, u32),
    /// Name start and end, value start and end of each field.
    fields: Vec<[u32; 4]>,
}

/// The fast path for a head that is already whole at the start of `buf`:
/// httparse straight on the buffer, then a check that the result is exactly
/// what [`HeadScanner::scan`] followed by [`parse_request`] /
/// [`parse_response`] would have produced. `false` sends the caller down that
/// general path (which also produces every error), so results and errors do
/// not depend on this shortcut.
///
/// Why the results agree, in strict header mode (`allow_lenient_headers`
/// off, which the caller checks): a `Complete` from httparse means every CR
/// in the head is followed by LF (start line, field names and values all
/// reject a lone CR), no line starts with whitespace (no obs-fold) and no
/// LF sits inside a line, so [`check_lines`] passes the head unchanged and
/// its lines are the start line, one per field and the blank line. Checking
/// that each of those ends in CRLF (the byte before each field name and the
/// last four bytes) leaves no bare LF, so the scanner sees the same lines,
/// raises no error and stops at the same blank line, within `max_head_len`
/// when the length is. Field values come trimmed from httparse, as
/// `trim_ows` leaves them. A head starting with an empty line (which the
/// scanner counts as leading bytes) is left to the general path.
pub(crate) fn scan_in_place(buf: &[u8], request: bool, limits: &Limits, out: &mut Spans) -> bool {
    if matches!(buf.first(), None | Some(b'\r' | b'\n')) {
        return false;
    }
    let mut hs = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; FAST_FIELDS];
    let hs = &mut hs[..limits.max_headers.min(FAST_FIELDS)];
    let config = httparse::ParserConfig::default();
    let (n, first, second, fields) = if request {
        let mut req = httparse::Request::new(&mut []);
        let Ok(httparse::Status::Complete(n)) =
            config.parse_request_with_uninit_headers(&mut req, buf, hs)
        else {
            return false;
        };
        out.version = version(req.version);
        let first = req.method.unwrap_or("").as_bytes();
        (n, first, req.path.unwrap_or("").as_bytes(), req.headers)
    } else {
        let mut res = httparse::Response::new(&mut []);
        let Ok(httparse::Status::Complete(n)) =
            config.parse_response_with_uninit_headers(&mut res, buf, hs)
        else {
            return false;
        };
        out.version = version(res.version);
        out.status = res.code.unwrap_or(0);
        (n, res.reason.unwrap_or("").as_bytes(), &[][..], res.headers)
    };
    if n > limits.max_head_len || u32::try_from(n).is_err() {
        return false;
    }
    let Some(head) = buf.get(..n) else {
        return false;
    };
    let cr_at = |i: Option<usize>| i.and_then(|i| head.get(i)) == Some(&b'\r');
    // The blank line and the line before it end in CRLF.
    if !cr_at(n.checked_sub(2)) || !cr_at(n.checked_sub(4)) {
        return false;
    }
    // Where a piece httparse returned sits in the head (an empty piece may be
    // a static string: any empty range will do).
    let base = head.as_ptr() as usize;
    let span = |s: &[u8]| {
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        match start.checked_add(s.len()) {
            _ if s.is_empty() => Some((0, 0)),
            // `end <= n <= u32::MAX`.
            Some(end) if end <= n => Some((start as u32, end as u32)),
            _ => None,
        }
    };
    let (Some(first), Some(second)) = (span(first), span(second)) else {
        return false;
    };
    out.len = n;
    out.first = first;
    out.second = second;
    out.fields.clear();
    for h in fields.iter() {
        let (Some((ns, ne)), Some((vs, ve))) = (span(h.name.as_bytes()), span(h.value)) else {
            return false;
        };
        // The line before this field ends in CRLF.
        if !cr_at((ns as usize).checked_sub(2)) {
            return false;
        }
        out.fields.push([ns, ne, vs, ve]);
    }
    true
}

impl Spans {
    fn range(r: (u32, u32)) -> Range<usize> {
        r.0 as usize..r.1 as usize
    }

    fn headers(&self, raw: &Bytes) -> Headers {
        let mut out = Headers::with_capacity(self.fields.len());
        for &[ns, ne, vs, ve] in &self.fields {
            let name = raw.slice(Self::range((ns, ne)));
            out.push_field(Field::from_parts(name, raw.slice(Self::range((vs, ve)))));
        }
        out
    }

    /// The request head; `raw` holds the `len` bytes the spans index.
    pub(crate) fn request(&self, raw: Bytes) -> RequestHead {
        RequestHead {
            method: raw.slice(Self::range(self.first)),
            target: raw.slice(Self::range(self.second)),
            version: self.version,
            headers: self.headers(&raw),
            raw,
        }
    }

    /// The response head; `raw` holds the `len` bytes the spans index.
    pub(crate) fn response(&self, raw: Bytes) -> ResponseHead {
        ResponseHead {
            version: self.version,
            status: self.status,
            reason: raw.slice(Self::range(self.first)),
            headers: self.headers(&raw),
            raw,
        }
    }
}

/// Parse a complete request head (as found by [`HeadScanner`]).
pub(crate) fn parse_request(
    head: &Bytes,
    limits: &Limits,
    len: &Leniency,
) -> Result<RequestHead, Error> {
    let raw = check_lines(head, len)?;
    with_headers!(limits, |hs| {
        let mut req = httparse::Request::new(hs);
        match httparse::ParserConfig::default().parse_request(&mut req, &raw) {
            // httparse must end where our scan ended, or bytes would be dropped.
            Ok(httparse::Status::Complete(n)) if n != raw.len() => Err(Error::InvalidHead {
                offset: n as u64,
                what: HeadPart::LineEnding,
            }),
            Ok(httparse::Status::Complete(_)) => Ok(RequestHead {
                method: raw.slice_ref(req.method.unwrap_or("").as_bytes()),
                target: raw.slice_ref(req.path.unwrap_or("").as_bytes()),
                version: version(req.version),
                headers: to_headers(&raw, req.headers),
                raw: raw.clone(),
            }),
            Ok(httparse::Status::Partial) => Err(Error::InvalidHead {
                offset: 0,
                what: HeadPart::RequestLine,
            }),
            Err(e) => Err(map_err(&raw, e, limits)),
        }
    })
}

/// Parse a complete response head (as found by [`HeadScanner`]).
pub(crate) fn parse_response(
    head: &Bytes,
    limits: &Limits,
    len: &Leniency,
) -> Result<ResponseHead, Error> {
    let raw = check_lines(head, len)?;
    with_headers!(limits, |hs| {
        let mut res = httparse::Response::new(hs);
        match httparse::ParserConfig::default()
            .allow_obsolete_multiline_headers_in_responses(len.allow_lenient_headers)
            .parse_response(&mut res, &raw)
        {
            Ok(httparse::Status::Complete(n)) if n != raw.len() => Err(Error::InvalidHead {
                offset: n as u64,
                what: HeadPart::LineEnding,
            }),
            Ok(httparse::Status::Complete(_)) => Ok(ResponseHead {
                version: version(res.version),
                status: res.code.unwrap_or(0),
                reason: raw.slice_ref(res.reason.unwrap_or("").as_bytes()),
                headers: to_headers(&raw, res.headers),
                raw: raw.clone(),
            }),
            Ok(httparse::Status::Partial) => Err(Error::InvalidHead {
                offset: 0,
                what: HeadPart::StatusLine,
            }),
            Err(e) => Err(map_err(&raw, e, limits)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(input: &[u8], byte_by_byte: bool) -> Result<Option<(usize, usize)>, Error> {
        let mut s = HeadScanner::default();
        let (l, lim) = (Leniency::default(), Limits::default());
        if byte_by_byte {
            for n in 1..input.len() {
                if let Some(r) = s.scan(&input[..n], &lim, &l)? {
                    return Ok(Some(r));
                }
            }
        }
        s.scan(input, &lim, &l)
    }

    #[test]
    fn scanner_finds_end_once() {
        let h = b"\r\nGET / HTTP/1.1\r\nA: b\r\n\r\nBODY";
        assert_eq!(scan_all(h, false), Ok(Some((2, 26))));
        assert_eq!(scan_all(h, true), Ok(Some((2, 26))));
        assert!(matches!(
            scan_all(b"GET / HTTP/1.1\nA: b\r\n\r\n", false),
            Err(Error::InvalidHead {
                offset: 14,
                what: HeadPart::LineEnding
            })
        ));
        assert!(matches!(
            HeadScanner::default().scan(
                &[b'a'; 20],
                &Limits::default().max_head_len(10),
                &Leniency::default()
            ),
            Err(Error::HeadTooLarge { max: 10 })
        ));
    }

    #[test]
    fn parses_request_zero_copy() {
        let raw = Bytes::from_static(
            b"GET /poll?since=3 HTTP/1.1\r\nHost: x\r\nIf-None-Match:  \"a\" \r\n\r\n",
        );
        let r = parse_request(&raw, &Limits::default(), &Leniency::default()).unwrap();
        assert_eq!(r.method(), "GET");
        assert_eq!(r.path(), "/poll");
        assert_eq!(r.query(), Some("since=3"));
        assert_eq!(r.headers.get("if-none-match"), Some(&b"\"a\""[..]));
        assert_eq!(r.offset_of(r.headers.iter().nth(1).unwrap()), 37);
    }

    #[test]
    fn rejects_bare_cr_and_obs_fold() {
        let l = Leniency::default();
        let raw = Bytes::from_static(b"POST / HTTP/1.1\r\nx:\rTransfer-Encoding: chunked\r\n\r\n");
        assert!(matches!(
            parse_request(&raw, &Limits::default(), &l),
            Err(Error::InvalidHead {
                offset: 19,
                what: HeadPart::LineEnding
            })
        ));
        let r = parse_request(&raw, &Limits::default(), &l.allow_lenient_headers(true)).unwrap();
        assert_eq!(r.headers.get("transfer-encoding"), Some(&b"chunked"[..]));
        let fold = Bytes::from_static(b"HTTP/1.1 200 OK\r\nA: b\r\n  c\r\n\r\n");
        assert!(matches!(
            parse_response(&fold, &Limits::default(), &l),
            Err(Error::InvalidHead {
                what: HeadPart::ObsFold,
                ..
            })
        ));
        assert!(parse_response(&fold, &Limits::default(), &l.allow_lenient_headers(true)).is_ok());
        // A bare CR that would end the head early must not drop the fields after it.
        let early = Bytes::from_static(b"GET / HTTP/1.1\r\nA: b\r\r\nC: d\r\n\r\n");
        assert!(matches!(
            parse_request(&early, &Limits::default(), &l.allow_lenient_headers(true)),
            Err(Error::InvalidHead {
                what: HeadPart::LineEnding,
                ..
            })
        ));
    }

    #[test]
    fn too_many_headers() {
        let mut s = Vec::from(&b"GET / HTTP/1.1\r\n"[..]);
        for _ in 0..30 {
            s.extend_from_slice(b"A: b\r\n");
        }
        s.extend_from_slice(b"\r\n");
        let raw = Bytes::from(s);
        assert!(parse_request(&raw, &Limits::default(), &Leniency::default()).is_ok());
        assert_eq!(
            parse_request(
                &raw,
                &Limits::default().max_headers(29),
                &Leniency::default()
            ),
            Err(Error::TooManyHeaders { max: 29 })
        );
    }

    #[test]
    fn bad_field_located() {
        let raw = Bytes::from_static(b"GET / HTTP/1.1\r\nA: b\r\nB c: d\r\n\r\n");
        assert_eq!(
            parse_request(&raw, &Limits::default(), &Leniency::default()),
            Err(Error::InvalidHead {
                offset: 23,
                what: HeadPart::FieldName
            })
        );
    }

    #[test]
    fn encodes_heads() {
        let mut b = BytesMut::new();
        RequestHead::new("GET", "/x")
            .unwrap()
            .header("Host", "a")
            .unwrap()
            .encode(&mut b);
        assert_eq!(&b[..], b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        b.clear();
        ResponseHead::new(304).unwrap().encode(&mut b);
        assert_eq!(&b[..], b"HTTP/1.1 304 Not Modified\r\n\r\n");
        assert!(RequestHead::new("G T", "/").is_err());
        assert!(RequestHead::new("GET", "/a b").is_err());
        assert!(ResponseHead::new(42).is_err());
        assert!(ResponseHead::new(200)
            .unwrap()
            .with_reason("a\r\n")
            .is_err());
    }
}
