//! Body framing (RFC 9112 §6.3) and the request-smuggling rules.

use crate::head::{RequestHead, ResponseHead, Version};
use crate::headers::{list_elements, parse_content_length, Field};
use crate::syntax::{is_tchar, trim_ows};
use crate::{Error, Leniency};

/// How the body of a message is delimited.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// No body (HEAD, 1xx, 204, 304, or a request without framing fields).
    Empty,
    /// Exactly this many bytes (Content-Length).
    Length(u64),
    /// Chunked transfer coding.
    Chunked,
    /// A response body that runs until the connection closes.
    CloseDelimited,
    /// After a 101 or a 2xx answer to CONNECT, the bytes belong to another
    /// protocol (or a tunnel).
    Upgrade,
}

/// What Transfer-Encoding says.
enum Te {
    Absent,
    Chunked,
    /// Present, but the final coding is not `chunked` (or the list is malformed).
    NotChunked,
}

fn transfer_encoding<'a>(
    fields: impl Iterator<Item = &'a Field>,
    offset_of: impl Fn(&Field) -> u64,
) -> Result<(Te, u64), Error> {
    let mut any = false;
    let mut last_chunked = false;
    let mut chunked_seen = false;
    let mut malformed = false;
    let mut at = 0;
    for f in fields.filter(|f| f.is("transfer-encoding")) {
        any = true;
        at = offset_of(f);
        for el in list_elements(f.value()) {
            // transfer-coding = token *( OWS ";" OWS transfer-parameter )
            let name_len = el.iter().take_while(|&&b| is_tchar(b)).count();
            let (name, rest) = el.split_at(name_len);
            let rest = trim_ows(rest);
            let is_chunked = name.eq_ignore_ascii_case(b"chunked");
            if name.is_empty() || !(rest.is_empty() || rest[0] == b';') {
                malformed = true;
                last_chunked = false;
                continue;
            }
            if is_chunked {
                // RFC 9112 §6.1: chunked MUST NOT be applied twice; §7: it
                // has no parameters (SM-13).
                if chunked_seen || !rest.is_empty() {
                    return Err(Error::InvalidChunkedCoding { offset: at });
                }
                chunked_seen = true;
            }
            last_chunked = is_chunked;
        }
    }
    Ok(match (any, last_chunked && !malformed) {
        (false, _) => (Te::Absent, 0),
        (true, true) => (Te::Chunked, at),
        (true, false) => (Te::NotChunked, at),
    })
}

fn content_length<'a>(
    fields: impl Iterator<Item = &'a Field>,
    offset_of: impl Fn(&Field) -> u64,
) -> Result<Option<(u64, u64)>, Error> {
    let mut found: Option<(u64, u64)> = None;
    for f in fields.filter(|f| f.is("content-length")) {
        let at = offset_of(f);
        let n =
            parse_content_length(f.value()).ok_or(Error::InvalidContentLength { offset: at })?;
        // RFC 9112 §6.3 rule 5: differing values are unrecoverable.
        if found.is_some_and(|(v, _)| v != n) {
            return Err(Error::InvalidContentLength { offset: at });
        }
        found = Some((n, at));
    }
    Ok(found)
}

/// Content-Length (value and offset) and Transfer-Encoding (verdict and
/// offset) of a head, with the rules both directions share: not both
/// (RFC 9112 §6.3 rule 3, SM-01) and no Transfer-Encoding in HTTP/1.0
/// (§6.1), unless the [`Leniency`] allows it.
/// What [`framing_fields`] found.
struct Framing {
    /// Content-Length and its offset.
    cl: Option<(u64, u64)>,
    /// Transfer-Encoding's verdict.
    te: Te,
    /// The offset of the last Transfer-Encoding field.
    te_at: u64,
}

fn framing_fields<'a>(
    fields: impl Iterator<Item = &'a Field> + Clone,
    off: impl Fn(&Field) -> u64 + Copy,
    version: Version,
    leniency: &Leniency,
) -> Result<Framing, Error> {
    let cl = content_length(fields.clone(), off)?;
    let (te, te_at) = transfer_encoding(fields, off)?;
    if !matches!(te, Te::Absent) {
        if let Some((_, cl_at)) = cl {
            if !leniency.allow_chunked_length {
                return Err(Error::ContentLengthWithTransferEncoding {
                    offset: cl_at.max(te_at),
                });
            }
        }
        if version == Version::Http10 && !leniency.allow_transfer_encoding {
            return Err(Error::TransferEncodingInHttp10 { offset: te_at });
        }
    }
    Ok(Framing { cl, te, te_at })
}

/// The body framing of a request (RFC 9112 §6.3 rules 3-6).
///
/// # Errors
/// The smuggling rules: Content-Length with Transfer-Encoding, invalid or
/// differing Content-Length, Transfer-Encoding not ending in `chunked`,
/// `chunked` twice or with parameters, Transfer-Encoding in HTTP/1.0.
/// Offsets are relative to the start of the head.
pub fn request_body(head: &RequestHead, leniency: &Leniency) -> Result<BodyKind, Error> {
    let off = |f: &Field| head.offset_of(f);
    let Framing { cl, te, te_at } =
        framing_fields(head.headers.iter(), off, head.version, leniency)?;
    match te {
        Te::Chunked => Ok(BodyKind::Chunked),
        // RFC 9112 §6.3 rule 4: the server MUST respond 400 and close.
        Te::NotChunked if leniency.allow_transfer_encoding || leniency.allow_chunked_length => {
            Ok(BodyKind::CloseDelimited)
        }
        Te::NotChunked => Err(Error::InvalidTransferEncoding { offset: te_at }),
        Te::Absent => Ok(cl.map_or(BodyKind::Empty, |(n, _)| {
            if n == 0 {
                BodyKind::Empty
            } else {
                BodyKind::Length(n)
            }
        })),
    }
}

/// The body framing of a response to a request with `method`
/// (RFC 9112 §6.3 rules 1-7).
///
/// # Errors
/// As [`request_body`], except that a Transfer-Encoding not ending in
/// `chunked` means a close-delimited body (rule 4 for responses).
pub fn response_body(
    head: &ResponseHead,
    method: &str,
    leniency: &Leniency,
) -> Result<BodyKind, Error> {
    let status = head.status();
    // Rule 1: no body, whatever the fields say (SM-14, llhttp LH-50).
    if status == 101 || (method.eq_ignore_ascii_case("CONNECT") && (200..300).contains(&status)) {
        return Ok(BodyKind::Upgrade);
    }
    if method.eq_ignore_ascii_case("HEAD")
        || (100..200).contains(&status)
        || status == 204
        || status == 304
    {
        return Ok(BodyKind::Empty);
    }
    let off = |f: &Field| head.offset_of(f);
    let Framing { cl, te, .. } = framing_fields(head.headers.iter(), off, head.version, leniency)?;
    Ok(match te {
        Te::Chunked => BodyKind::Chunked,
        Te::NotChunked => BodyKind::CloseDelimited,
        Te::Absent => match cl {
            Some((0, _)) => BodyKind::Empty,
            Some((n, _)) => BodyKind::Length(n),
            None => BodyKind::CloseDelimited,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(fields: &[(&str, &str)]) -> Result<BodyKind, Error> {
        let mut h = RequestHead::new("POST", "/").unwrap();
        for (n, v) in fields {
            h = h
                .header(n.as_bytes().to_vec(), v.as_bytes().to_vec())
                .unwrap();
        }
        request_body(&h, &Leniency::default())
    }

    fn res(status: u16, method: &str, fields: &[(&str, &str)]) -> Result<BodyKind, Error> {
        let mut h = ResponseHead::new(status).unwrap();
        for (n, v) in fields {
            h = h
                .header(n.as_bytes().to_vec(), v.as_bytes().to_vec())
                .unwrap();
        }
        response_body(&h, method, &Leniency::default())
    }

    #[test]
    fn request_rules() {
        assert_eq!(req(&[]), Ok(BodyKind::Empty));
        assert_eq!(req(&[("Content-Length", "5")]), Ok(BodyKind::Length(5)));
        assert_eq!(
            req(&[("Content-Length", "5"), ("content-length", "5")]),
            Ok(BodyKind::Length(5))
        );
        assert!(req(&[("Content-Length", "5"), ("content-length", "6")]).is_err());
        assert!(req(&[("Content-Length", "-1")]).is_err());
        assert_eq!(
            req(&[("Transfer-Encoding", "gzip, chunked")]),
            Ok(BodyKind::Chunked)
        );
        assert_eq!(
            req(&[("Transfer-Encoding", "CHUNKED")]),
            Ok(BodyKind::Chunked)
        );
        for bad in [
            "chunked, gzip",
            "chunked, chunked",
            "chunked;a=b",
            "pigeons",
            "",
            "chunkedchunked",
        ] {
            assert!(req(&[("Transfer-Encoding", bad)]).is_err(), "{bad}");
        }
        assert!(matches!(
            req(&[("Transfer-Encoding", "chunked"), ("Content-Length", "3")]),
            Err(Error::ContentLengthWithTransferEncoding { .. })
        ));
        let mut h10 = RequestHead::new("POST", "/")
            .unwrap()
            .header("Transfer-Encoding", "chunked")
            .unwrap();
        h10.version = Version::Http10;
        assert!(matches!(
            request_body(&h10, &Leniency::default()),
            Err(Error::TransferEncodingInHttp10 { .. })
        ));
    }

    #[test]
    fn response_rules() {
        let te = [("Transfer-Encoding", "chunked")];
        assert_eq!(res(200, "GET", &te), Ok(BodyKind::Chunked));
        assert_eq!(res(200, "HEAD", &te), Ok(BodyKind::Empty));
        assert_eq!(res(304, "GET", &te), Ok(BodyKind::Empty));
        assert_eq!(res(204, "GET", &te), Ok(BodyKind::Empty));
        assert_eq!(res(100, "GET", &te), Ok(BodyKind::Empty));
        assert_eq!(res(101, "GET", &te), Ok(BodyKind::Upgrade));
        assert_eq!(res(200, "CONNECT", &[]), Ok(BodyKind::Upgrade));
        assert_eq!(res(200, "GET", &[]), Ok(BodyKind::CloseDelimited));
        assert_eq!(
            res(200, "GET", &[("Transfer-Encoding", "chunked, gzip")]),
            Ok(BodyKind::CloseDelimited)
        );
        assert!(res(200, "GET", &[("Transfer-Encoding", "chunked, chunked")]).is_err());
        assert!(res(
            200,
            "GET",
            &[("Transfer-Encoding", "chunked"), ("Content-Length", "1")]
        )
        .is_err());
    }
}
