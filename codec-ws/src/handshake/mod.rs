//! The HTTP/1.1 upgrade handshake (RFC 6455 §4), as pure functions over bytes.
//!
//! Heads are parsed with httparse. Each parser returns the number of bytes the head took;
//! bytes after it belong to the frame layer (feed them to the [`Connection`](crate::Connection)).

mod client;
mod server;

pub use client::{ClientRequest, ClientResult};
pub use server::{encode_error_response, ServerRequest};

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use base64::Engine as _;
use sha1::{Digest, Sha1};

use crate::error::Error;
use crate::limits::Limits;

/// The GUID RFC 6455 §1.3 appends to the key.
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).
///
/// ```
/// // RFC 6455 §1.3.
/// assert_eq!(codec_ws::handshake::accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
/// ```
#[must_use]
pub fn accept_key(key: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(key);
    h.update(GUID.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

/// `Sec-WebSocket-Key` for 16 caller-supplied random bytes (RFC 6455 §4.1 wants a fresh nonce).
#[must_use]
pub fn encode_key(nonce: &[u8; 16]) -> String {
    base64::engine::general_purpose::STANDARD.encode(nonce)
}

/// Whether a comma-separated header value contains `token` (case-insensitive, RFC 7230 §7).
fn has_token(value: &[u8], token: &str) -> bool {
    value
        .split(|&b| b == b',')
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

/// Whether any field named `name` contains `token`.
fn headers_have_token(headers: &[httparse::Header<'_>], name: &str, token: &str) -> bool {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .any(|h| has_token(h.value, token))
}

/// The single value of `name`; error if repeated.
fn single<'a>(
    headers: &[httparse::Header<'a>],
    name: &'static str,
) -> Result<Option<&'a [u8]>, Error> {
    let mut it = headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name));
    let first = it.next().map(|h| h.value);
    if it.next().is_some() {
        return Err(Error::InvalidHeader { name });
    }
    Ok(first)
}

fn text<'a>(v: &'a [u8], name: &'static str) -> Result<&'a str, Error> {
    core::str::from_utf8(v).map_err(|_| Error::InvalidHeader { name })
}

/// Comma-separated tokens of every field named `name`, trimmed, empty ones dropped.
fn token_list(headers: &[httparse::Header<'_>], name: &'static str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for h in headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)) {
        for t in text(h.value, name)?.split(',') {
            let t = t.trim();
            if !t.is_empty() {
                out.push(String::from(t));
            }
        }
    }
    Ok(out)
}

/// Finds the end of the head (after CRLFCRLF), checking the size limit.
fn head_end(buf: &[u8], limits: &Limits) -> Result<Option<usize>, Error> {
    let scan = &buf[..buf.len().min(limits.max_head_len)];
    match scan.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => Ok(Some(i + 4)),
        None if buf.len() >= limits.max_head_len => Err(Error::HeadTooLarge {
            max: limits.max_head_len,
        }),
        None => Ok(None),
    }
}

fn header_storage(limits: &Limits) -> Vec<httparse::Header<'static>> {
    vec![httparse::EMPTY_HEADER; limits.max_headers]
}

fn map_httparse(e: httparse::Error, limits: &Limits) -> Error {
    match e {
        httparse::Error::TooManyHeaders => Error::TooManyHeaders {
            max: limits.max_headers,
        },
        e => Error::MalformedHead(e),
    }
}

/// Rejects header values that would break the head (CR, LF, NUL).
fn check_value(v: &str, name: &'static str) -> Result<(), Error> {
    if v.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Error::InvalidHeader { name });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6455_example_key() {
        assert_eq!(
            accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(encode_key(b"the sample nonce"), "dGhlIHNhbXBsZSBub25jZQ==");
    }

    #[test]
    fn tokens() {
        assert!(has_token(b"keep-alive, Upgrade", "upgrade"));
        assert!(!has_token(b"keep-alive, Upgraded", "upgrade"));
        assert!(has_token(b"WebSocket", "websocket"));
    }
}
