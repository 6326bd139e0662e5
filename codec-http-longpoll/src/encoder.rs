//! A whole-message encoder, the mirror of [`crate::MessageDecoder`]: a head,
//! then body pieces, then the end. The head's framing fields decide how the
//! body is written (chunked, or raw with a Content-Length check).

use bytes::{BufMut, Bytes, BytesMut};

use crate::body_framing::{request_body, response_body, BodyKind};
use crate::chunked_encoder::ChunkedEncoder;
use crate::head::{RequestHead, ResponseHead};
use crate::headers::Headers;
use crate::{Error, Leniency};

/// What to send.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// A request head.
    Request(RequestHead),
    /// A response head, with the method of the request it answers (for
    /// HEAD/CONNECT framing).
    Response(ResponseHead, &'static str),
    /// A piece of body.
    Data(Bytes),
    /// End of the message, with trailers (chunked bodies only).
    End(Headers),
}

#[derive(Debug, Clone)]
enum State {
    Idle,
    Chunked(ChunkedEncoder),
    Length(u64),
    Close,
    NoBody,
}

/// Writes messages into a caller's `BytesMut`.
///
/// ```
/// use bytes::{Bytes, BytesMut};
/// use codec_http_longpoll::{Headers, MessageEncoder, Outgoing, ResponseHead};
///
/// let mut enc = MessageEncoder::new();
/// let mut out = BytesMut::new();
/// let head = ResponseHead::new(200)?.header("Transfer-Encoding", "chunked")?;
/// enc.encode(Outgoing::Response(head, "GET"), &mut out)?;
/// enc.encode(Outgoing::Data(Bytes::from_static(b"tick")), &mut out)?;
/// enc.encode(Outgoing::End(Headers::new()), &mut out)?;
/// assert!(out.ends_with(b"\r\n\r\n4\r\ntick\r\n0\r\n\r\n"));
/// # Ok::<(), codec_http_longpoll::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MessageEncoder {
    state: State,
}

impl Default for MessageEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl MessageEncoder {
    /// A new encoder, ready for a head.
    #[must_use]
    pub fn new() -> Self {
        Self { state: State::Idle }
    }

    /// True when no message is in progress.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        matches!(self.state, State::Idle)
    }

    /// Encode one item.
    ///
    /// # Errors
    /// Local misuse: a head while a body is open, data before a head or past
    /// the Content-Length, an end before the Content-Length is reached,
    /// trailers on a non-chunked body ([`Error::AfterEnd`] /
    /// [`Error::InvalidHeaderInput`]); framing fields the decoder would
    /// reject (the same smuggling rules apply to what we send).
    pub fn encode(&mut self, item: Outgoing, dst: &mut BytesMut) -> Result<(), Error> {
        match (item, &mut self.state) {
            (Outgoing::Request(h), State::Idle) => {
                let kind = request_body(&h, &Leniency::default())?;
                h.encode(dst);
                self.enter(kind);
            }
            (Outgoing::Response(h, method), State::Idle) => {
                let kind = response_body(&h, method, &Leniency::default())?;
                h.encode(dst);
                self.enter(kind);
            }
            (Outgoing::Data(d), State::Chunked(c)) => c.encode_chunk(&d, dst)?,
            (Outgoing::Data(d), State::Length(rem)) => {
                if d.len() as u64 > *rem {
                    return Err(Error::TooLarge {
                        len: d.len() as u64,
                        max: *rem,
                    });
                }
                *rem -= d.len() as u64;
                dst.put_slice(&d);
            }
            (Outgoing::Data(d), State::Close) => dst.put_slice(&d),
            (Outgoing::Data(d), State::NoBody) if d.is_empty() => {}
            (Outgoing::End(t), State::Chunked(c)) => {
                c.finish(&t, dst)?;
                self.state = State::Idle;
            }
            (Outgoing::End(t), State::Length(0) | State::NoBody | State::Close) if t.is_empty() => {
                self.state = State::Idle;
            }
            (Outgoing::End(_), State::Length(_) | State::NoBody | State::Close) => {
                return Err(Error::InvalidHeaderInput)
            }
            _ => return Err(Error::AfterEnd),
        }
        Ok(())
    }

    fn enter(&mut self, kind: BodyKind) {
        self.state = match kind {
            BodyKind::Chunked => State::Chunked(ChunkedEncoder::new()),
            BodyKind::Length(n) => State::Length(n),
            BodyKind::CloseDelimited => State::Close,
            _ => State::NoBody,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_is_enforced() {
        let mut enc = MessageEncoder::new();
        let mut out = BytesMut::new();
        let h = RequestHead::new("POST", "/publish")
            .unwrap()
            .header("Content-Length", "3")
            .unwrap();
        enc.encode(Outgoing::Request(h.clone()), &mut out).unwrap();
        assert!(enc.encode(Outgoing::Request(h), &mut out).is_err());
        enc.encode(Outgoing::Data(Bytes::from_static(b"ab")), &mut out)
            .unwrap();
        assert!(enc.encode(Outgoing::End(Headers::new()), &mut out).is_err());
        let mut enc = MessageEncoder::new();
        let h = RequestHead::new("POST", "/")
            .unwrap()
            .header("Content-Length", "1")
            .unwrap();
        enc.encode(Outgoing::Request(h), &mut out).unwrap();
        assert!(enc
            .encode(Outgoing::Data(Bytes::from_static(b"ab")), &mut out)
            .is_err());
        let bad = RequestHead::new("POST", "/")
            .unwrap()
            .header("Content-Length", "1")
            .unwrap()
            .header("Transfer-Encoding", "chunked")
            .unwrap();
        assert!(MessageEncoder::new()
            .encode(Outgoing::Request(bad), &mut out)
            .is_err());
    }
}
