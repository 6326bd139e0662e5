//! Client side: the upgrade request and the validation of the server's answer.

use alloc::string::String;
use alloc::vec::Vec;

use bytes::BytesMut;

#[cfg(feature = "deflate")]
use crate::deflate::{DeflateConfig, DeflateParams};
use crate::error::Error;
use crate::limits::Limits;

use super::{
    accept_key, check_value, encode_key, head_end, header_storage, headers_have_token,
    map_httparse, single, text,
};

/// A client's upgrade request (RFC 6455 §4.1), built by value.
///
/// ```
/// use bytes::BytesMut;
/// use codec_ws::handshake::ClientRequest;
/// let req = ClientRequest::new("example.com", "/chat", *b"the sample nonce").protocol("chat");
/// let mut out = BytesMut::new();
/// req.encode(&mut out).unwrap();
/// let resp = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
///     Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n\x81\x00";
/// let (result, used) = req.parse_response(resp, &Default::default()).unwrap().unwrap();
/// assert_eq!(result.protocol.as_deref(), Some("chat"));
/// assert_eq!(&resp[used..], b"\x81\x00"); // frames follow the head
/// ```
#[derive(Debug, Clone)]
pub struct ClientRequest {
    host: String,
    path: String,
    key: String,
    origin: Option<String>,
    protocols: Vec<String>,
    headers: Vec<(String, String)>,
    #[cfg(feature = "deflate")]
    deflate: Option<DeflateConfig>,
}

/// What the server agreed to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientResult {
    /// The selected subprotocol.
    pub protocol: Option<String>,
    /// The negotiated permessage-deflate parameters.
    #[cfg(feature = "deflate")]
    pub deflate: Option<DeflateParams>,
}

impl ClientRequest {
    /// A request for `path` on `host` (include the port when not the default), with a
    /// 16-byte nonce the caller drew from a good random source.
    #[must_use]
    pub fn new(host: &str, path: &str, nonce: [u8; 16]) -> Self {
        Self {
            host: String::from(host),
            path: String::from(if path.is_empty() { "/" } else { path }),
            key: encode_key(&nonce),
            origin: None,
            protocols: Vec::new(),
            headers: Vec::new(),
            #[cfg(feature = "deflate")]
            deflate: None,
        }
    }

    /// Sends an `Origin` header.
    #[must_use]
    pub fn origin(mut self, origin: &str) -> Self {
        self.origin = Some(String::from(origin));
        self
    }

    /// Offers a subprotocol (in order of preference).
    #[must_use]
    pub fn protocol(mut self, protocol: &str) -> Self {
        self.protocols.push(String::from(protocol));
        self
    }

    /// Adds an extra header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((String::from(name), String::from(value)));
        self
    }

    /// Offers permessage-deflate.
    #[cfg(feature = "deflate")]
    #[must_use]
    pub fn deflate(mut self, config: DeflateConfig) -> Self {
        self.deflate = Some(config);
        self
    }

    /// The compression level of the offered permessage-deflate (6 if none was offered).
    #[cfg(feature = "deflate")]
    #[must_use]
    pub fn deflate_level(&self) -> u8 {
        self.deflate.map_or(6, |d| d.level)
    }

    /// The `Sec-WebSocket-Key` sent.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Writes the request head into `dst`.
    ///
    /// # Errors
    /// [`Error::InvalidHeader`] if a value contains CR, LF or NUL, or a name is not a token.
    pub fn encode(&self, dst: &mut BytesMut) -> Result<(), Error> {
        check_value(&self.host, "Host")?;
        if self.path.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(Error::InvalidHeader {
                name: "request-target",
            });
        }
        let mut head = String::with_capacity(256);
        let mut line = |name: &str, value: &str| {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        };
        line("Host", &self.host);
        line("Upgrade", "websocket");
        line("Connection", "Upgrade");
        line("Sec-WebSocket-Key", &self.key);
        line("Sec-WebSocket-Version", "13");
        if let Some(o) = &self.origin {
            check_value(o, "Origin")?;
            line("Origin", o);
        }
        if !self.protocols.is_empty() {
            for p in &self.protocols {
                if p.is_empty() || p.bytes().any(|b| !is_tchar(b)) {
                    return Err(Error::InvalidHeader {
                        name: "Sec-WebSocket-Protocol",
                    });
                }
            }
            line("Sec-WebSocket-Protocol", &self.protocols.join(", "));
        }
        #[cfg(feature = "deflate")]
        if let Some(d) = &self.deflate {
            line("Sec-WebSocket-Extensions", &d.offer());
        }
        for (n, v) in &self.headers {
            if n.is_empty() || n.bytes().any(|b| !is_tchar(b)) {
                return Err(Error::InvalidHeader {
                    name: "extra header name",
                });
            }
            check_value(v, "extra header value")?;
            line(n, v);
        }
        dst.extend_from_slice(b"GET ");
        dst.extend_from_slice(self.path.as_bytes());
        dst.extend_from_slice(b" HTTP/1.1\r\n");
        dst.extend_from_slice(head.as_bytes());
        dst.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// Parses and validates the server's response head from the start of `buf`
    /// (RFC 6455 §4.1, "the client MUST validate the server's response").
    ///
    /// Returns `Ok(None)` until the whole head has arrived; then the result and the head's
    /// length (bytes after it are frames).
    ///
    /// # Errors
    /// [`Error::UnexpectedStatus`] for a status other than 101, [`Error::MissingHeader`] /
    /// [`Error::InvalidHeader`] for bad `Upgrade`/`Connection`, [`Error::AcceptMismatch`],
    /// [`Error::UnexpectedSubprotocol`], [`Error::InvalidExtension`], and head-size errors.
    pub fn parse_response(
        &self,
        buf: &[u8],
        limits: &Limits,
    ) -> Result<Option<(ClientResult, usize)>, Error> {
        let Some(end) = head_end(buf, limits)? else {
            return Ok(None);
        };
        let mut storage = header_storage(limits);
        let mut resp = httparse::Response::new(&mut storage);
        match resp
            .parse(&buf[..end])
            .map_err(|e| map_httparse(e, limits))?
        {
            httparse::Status::Complete(_) => {}
            httparse::Status::Partial => {
                return Err(Error::MalformedHead(httparse::Error::NewLine))
            }
        }
        let status = resp.code.unwrap_or(0);
        if status != 101 {
            return Err(Error::UnexpectedStatus { status });
        }
        let h = &*resp.headers;
        if !headers_have_token(h, "Upgrade", "websocket") {
            return Err(Error::MissingHeader { name: "Upgrade" });
        }
        if !headers_have_token(h, "Connection", "upgrade") {
            return Err(Error::MissingHeader { name: "Connection" });
        }
        let accept = single(h, "Sec-WebSocket-Accept")?.ok_or(Error::MissingHeader {
            name: "Sec-WebSocket-Accept",
        })?;
        if accept.trim_ascii() != accept_key(self.key.as_bytes()).as_bytes() {
            return Err(Error::AcceptMismatch);
        }
        let protocol = match single(h, "Sec-WebSocket-Protocol")? {
            None => None,
            Some(v) => {
                let v = text(v, "Sec-WebSocket-Protocol")?.trim();
                // Only one of the offered subprotocols may be selected (RFC 6455 §4.1).
                if !self.protocols.iter().any(|p| p == v) {
                    return Err(Error::UnexpectedSubprotocol);
                }
                Some(String::from(v))
            }
        };
        let mut ext_values = h
            .iter()
            .filter(|x| x.name.eq_ignore_ascii_case("Sec-WebSocket-Extensions"));
        let ext = ext_values.next();
        if ext_values.next().is_some() {
            return Err(Error::InvalidExtension);
        }
        #[cfg(feature = "deflate")]
        let deflate = match (ext, &self.deflate) {
            (None, _) => None,
            (Some(v), Some(cfg)) => {
                Some(cfg.parse_response(text(v.value, "Sec-WebSocket-Extensions")?)?)
            }
            (Some(_), None) => return Err(Error::InvalidExtension),
        };
        #[cfg(not(feature = "deflate"))]
        if ext.is_some_and(|v| !v.value.trim_ascii().is_empty()) {
            // RFC 6455 §4.1: an extension the client did not offer fails the connection.
            return Err(Error::InvalidExtension);
        }
        Ok(Some((
            ClientResult {
                protocol,
                #[cfg(feature = "deflate")]
                deflate,
            },
            end,
        )))
    }
}

/// RFC 7230 §3.2.6 tchar.
pub(super) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
