//! Server side: parsing the upgrade request and writing the response.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use base64::Engine as _;
use bytes::BytesMut;

#[cfg(feature = "deflate")]
use crate::deflate::{DeflateConfig, DeflateParams};
use crate::error::Error;
use crate::limits::Limits;

use super::{
    accept_key, check_value, head_end, header_storage, headers_have_token, map_httparse, single,
    text, token_list,
};

/// A validated upgrade request (RFC 6455 §4.2.1).
///
/// ```
/// use bytes::BytesMut;
/// use codec_ws::handshake::ServerRequest;
/// let req = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
///     Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
///     Sec-WebSocket-Version: 13\r\n\r\n";
/// let (request, used) = ServerRequest::parse(req, &Default::default()).unwrap().unwrap();
/// assert_eq!((request.path.as_str(), used), ("/chat", req.len()));
/// let mut out = BytesMut::new();
/// request.accept(None, None, &mut out).unwrap();
/// assert!(out.ends_with(b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerRequest {
    /// The request target.
    pub path: String,
    /// The `Host` header.
    pub host: String,
    /// The `Origin` header, if any.
    pub origin: Option<String>,
    /// The `Sec-WebSocket-Key` (validated: base64 of 16 bytes).
    pub key: String,
    /// Offered subprotocols in the client's order.
    pub protocols: Vec<String>,
    /// Raw `Sec-WebSocket-Extensions` values.
    pub extensions: Vec<String>,
    /// Every header as (name, value) for the application (cookies, auth ...).
    pub headers: Vec<(String, Vec<u8>)>,
}

impl ServerRequest {
    /// Parses and validates the request head at the start of `buf`. Returns `Ok(None)`
    /// until the whole head has arrived, then the request and the head's length.
    ///
    /// # Errors
    /// Each maps to an HTTP status via [`Error::status_hint`]: a bad head or header (400),
    /// a method other than GET (405), `Sec-WebSocket-Version` not 13 (426), a head over the
    /// limits (431). Answer with [`encode_error_response`].
    pub fn parse(buf: &[u8], limits: &Limits) -> Result<Option<(Self, usize)>, Error> {
        let Some(end) = head_end(buf, limits)? else {
            return Ok(None);
        };
        let mut storage = header_storage(limits);
        let mut req = httparse::Request::new(&mut storage);
        match req
            .parse(&buf[..end])
            .map_err(|e| map_httparse(e, limits))?
        {
            httparse::Status::Complete(_) => {}
            httparse::Status::Partial => {
                return Err(Error::MalformedHead(httparse::Error::NewLine))
            }
        }
        if req.method != Some("GET") {
            return Err(Error::MethodNotGet);
        }
        // RFC 6455 §4.1: HTTP/1.1 or higher; httparse only knows 1.0 and 1.1.
        if req.version != Some(1) {
            return Err(Error::HttpVersion);
        }
        let h = &*req.headers;
        let host = single(h, "Host")?.ok_or(Error::MissingHeader { name: "Host" })?;
        if !headers_have_token(h, "Upgrade", "websocket") {
            return Err(Error::MissingHeader { name: "Upgrade" });
        }
        if !headers_have_token(h, "Connection", "upgrade") {
            return Err(Error::MissingHeader { name: "Connection" });
        }
        let version = single(h, "Sec-WebSocket-Version")?.ok_or(Error::MissingHeader {
            name: "Sec-WebSocket-Version",
        })?;
        if version.trim_ascii() != b"13" {
            return Err(Error::UnsupportedVersion);
        }
        let key = single(h, "Sec-WebSocket-Key")?.ok_or(Error::MissingHeader {
            name: "Sec-WebSocket-Key",
        })?;
        let key = key.trim_ascii();
        // RFC 6455 §4.2.1 item 5: base64 of a 16-byte value (24 characters).
        let ok = key.len() == 24
            && base64::engine::general_purpose::STANDARD
                .decode(key)
                .is_ok_and(|k| k.len() == 16);
        if !ok {
            return Err(Error::InvalidKey);
        }
        let origin = single(h, "Origin")?
            .map(|o| text(o, "Origin").map(String::from))
            .transpose()?;
        let protocols = token_list(h, "Sec-WebSocket-Protocol")?;
        let extensions = h
            .iter()
            .filter(|x| x.name.eq_ignore_ascii_case("Sec-WebSocket-Extensions"))
            .map(|x| text(x.value, "Sec-WebSocket-Extensions").map(String::from))
            .collect::<Result<Vec<_>, _>>()?;
        let request = Self {
            path: String::from(req.path.unwrap_or("/")),
            host: String::from(text(host, "Host")?),
            origin,
            key: String::from(text(key, "Sec-WebSocket-Key")?),
            protocols,
            extensions,
            headers: h
                .iter()
                .map(|x| (String::from(x.name), x.value.to_vec()))
                .collect(),
        };
        Ok(Some((request, end)))
    }

    /// Negotiates permessage-deflate from the offers in this request.
    /// Returns the parameters and the value for the response's `Sec-WebSocket-Extensions`.
    #[cfg(feature = "deflate")]
    #[must_use]
    pub fn negotiate_deflate(&self, config: &DeflateConfig) -> Option<(DeflateParams, String)> {
        config.accept(self.extensions.iter().map(String::as_str))
    }

    /// Writes the `101 Switching Protocols` response.
    ///
    /// # Errors
    /// [`Error::UnexpectedSubprotocol`] if `protocol` was not offered (RFC 6455 §4.2.2);
    /// [`Error::InvalidHeader`] if `extensions` contains CR/LF.
    pub fn accept(
        &self,
        protocol: Option<&str>,
        extensions: Option<&str>,
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        let mut head = String::from(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ",
        );
        head.push_str(&accept_key(self.key.as_bytes()));
        head.push_str("\r\n");
        if let Some(p) = protocol {
            if !self.protocols.iter().any(|o| o == p) {
                return Err(Error::UnexpectedSubprotocol);
            }
            let _ = write!(head, "Sec-WebSocket-Protocol: {p}\r\n");
        }
        if let Some(e) = extensions {
            check_value(e, "Sec-WebSocket-Extensions")?;
            let _ = write!(head, "Sec-WebSocket-Extensions: {e}\r\n");
        }
        head.push_str("\r\n");
        dst.extend_from_slice(head.as_bytes());
        Ok(())
    }
}

/// Writes an error response for a failed upgrade: the status from
/// [`Error::status_hint`] (400 if none), `Sec-WebSocket-Version: 13` with 426
/// (RFC 6455 §4.4), `Allow: GET` with 405, and a short text body.
///
/// ```
/// use bytes::BytesMut;
/// let mut out = BytesMut::new();
/// codec_ws::handshake::encode_error_response(&codec_ws::Error::UnsupportedVersion, &mut out);
/// assert!(out.starts_with(b"HTTP/1.1 426 Upgrade Required\r\n"));
/// assert!(out.windows(25).any(|w| w == b"Sec-WebSocket-Version: 13"));
/// ```
pub fn encode_error_response(error: &Error, dst: &mut BytesMut) {
    let status = error.status_hint().unwrap_or(400);
    let reason = match status {
        405 => "Method Not Allowed",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        _ => "Bad Request",
    };
    let mut body = String::new();
    let _ = writeln!(body, "{error}");
    let mut head = String::new();
    let _ = write!(head, "HTTP/1.1 {status} {reason}\r\n");
    if status == 426 {
        head.push_str("Sec-WebSocket-Version: 13\r\n");
    }
    if status == 405 {
        head.push_str("Allow: GET\r\n");
    }
    let _ = write!(
        head,
        "Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    dst.extend_from_slice(head.as_bytes());
    dst.extend_from_slice(body.as_bytes());
}
