//! Messages: what a [`Connection`](crate::Connection) delivers and sends.

use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Deref;

use alloc::string::String;
use alloc::vec::Vec;
use bytes::Bytes;

use crate::close::CloseFrame;

/// Payloads up to this many bytes are stored inline in a [`Payload`].
///
/// 23 bytes and a length byte are what fit in the 32 bytes a `Bytes` takes: a `Payload`
/// is no larger than the `Bytes` it replaces.
pub const INLINE_PAYLOAD: usize = 23;

/// The inline form: payload bytes, then at `[INLINE_PAYLOAD]` the length.
pub(crate) type InlineBuf = [u8; INLINE_PAYLOAD + 1];

/// The payload of a message: small ones inline, larger ones a zero-copy [`Bytes`].
///
/// Handing out a `Bytes` slice of the input buffer costs two atomic reference-count
/// updates per message (one when it is split off, one when it is dropped), which is most
/// of the cost of a small message. Payloads of up to [`INLINE_PAYLOAD`] bytes are
/// therefore copied into the `Payload` itself: no allocation, no reference count.
/// Larger ones stay zero-copy. Either way it dereferences to `[u8]`, and
/// [`into_bytes`](Self::into_bytes) gives a `Bytes` (copying an inline payload).
///
/// ```
/// use codec_ws::Payload;
/// let p = Payload::from("hi");
/// assert_eq!(&p[..], b"hi");
/// assert_eq!(p, Payload::copy_from_slice(b"hi"));
/// assert_eq!(p.into_bytes(), bytes::Bytes::from_static(b"hi"));
/// ```
#[derive(Clone)]
pub struct Payload(Repr);

#[derive(Clone)]
enum Repr {
    Inline(InlineBuf),
    Shared(Bytes),
}

impl Payload {
    /// An empty payload.
    #[must_use]
    pub const fn new() -> Self {
        Self(Repr::Inline([0; INLINE_PAYLOAD + 1]))
    }

    /// A payload with a copy of `data` (inline when it fits, else a new `Bytes`).
    #[must_use]
    pub fn copy_from_slice(data: &[u8]) -> Self {
        if data.len() <= INLINE_PAYLOAD {
            let mut buf = [0; INLINE_PAYLOAD + 1];
            buf[..data.len()].copy_from_slice(data);
            buf[INLINE_PAYLOAD] = data.len() as u8;
            Self(Repr::Inline(buf))
        } else {
            Self(Repr::Shared(Bytes::copy_from_slice(data)))
        }
    }

    /// An inline payload whose length is already in `buf[INLINE_PAYLOAD]`.
    #[inline(always)]
    pub(crate) fn inline(buf: InlineBuf) -> Self {
        Self(Repr::Inline(buf))
    }

    /// The payload bytes.
    #[must_use]
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline(b) => &b[..usize::from(b[INLINE_PAYLOAD]).min(INLINE_PAYLOAD)],
            Repr::Shared(b) => b,
        }
    }

    /// The payload as a [`Bytes`]: free for a shared payload, a copy for an inline one.
    #[must_use]
    pub fn into_bytes(self) -> Bytes {
        match self.0 {
            Repr::Inline(_) => Bytes::copy_from_slice(self.as_slice()),
            Repr::Shared(b) => b,
        }
    }

    /// The payload as a `Vec<u8>`.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_slice().to_vec()
    }
}

impl Default for Payload {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for Payload {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for Payload {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl core::borrow::Borrow<[u8]> for Payload {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.as_slice().escape_ascii())
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Payload {}

impl PartialEq<[u8]> for Payload {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}

impl PartialEq<&[u8]> for Payload {
    fn eq(&self, other: &&[u8]) -> bool {
        self.as_slice() == *other
    }
}

impl PartialEq<Bytes> for Payload {
    fn eq(&self, other: &Bytes) -> bool {
        self.as_slice() == &other[..]
    }
}

impl PartialOrd for Payload {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Payload {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl Hash for Payload {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl From<Bytes> for Payload {
    #[inline]
    fn from(b: Bytes) -> Self {
        Self(Repr::Shared(b))
    }
}

impl From<Payload> for Bytes {
    fn from(p: Payload) -> Self {
        p.into_bytes()
    }
}

impl From<Vec<u8>> for Payload {
    fn from(v: Vec<u8>) -> Self {
        Self(Repr::Shared(v.into()))
    }
}

impl From<String> for Payload {
    fn from(s: String) -> Self {
        Self(Repr::Shared(s.into()))
    }
}

impl From<&'static [u8]> for Payload {
    fn from(s: &'static [u8]) -> Self {
        Self(Repr::Shared(Bytes::from_static(s)))
    }
}

impl From<&'static str> for Payload {
    fn from(s: &'static str) -> Self {
        Self(Repr::Shared(Bytes::from_static(s.as_bytes())))
    }
}

/// A whole message or control frame, the same type in both directions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text message. Always valid UTF-8 when decoded.
    Text(Payload),
    /// A binary message.
    Binary(Payload),
    /// A ping (payload at most 125 bytes).
    Ping(Payload),
    /// A pong (payload at most 125 bytes).
    Pong(Payload),
    /// A close frame; `None` when it had no body (reported as 1005 by APIs that need a code).
    Close(Option<CloseFrame>),
}

impl Message {
    /// A text message from a string.
    #[must_use]
    pub fn text(s: &str) -> Self {
        Self::Text(Payload::copy_from_slice(s.as_bytes()))
    }

    /// A binary message with a copy of `data`.
    #[must_use]
    pub fn binary(data: &[u8]) -> Self {
        Self::Binary(Payload::copy_from_slice(data))
    }

    /// The text of a [`Message::Text`] (re-validated; `None` for other kinds).
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(b) => core::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// The payload bytes (the reason for a close).
    #[must_use]
    #[inline]
    pub fn payload(&self) -> &[u8] {
        match self {
            Self::Text(b) | Self::Binary(b) | Self::Ping(b) | Self::Pong(b) => b,
            Self::Close(Some(c)) => &c.reason,
            Self::Close(None) => &[],
        }
    }

    /// True for text and binary messages.
    #[must_use]
    pub fn is_data(&self) -> bool {
        matches!(self, Self::Text(_) | Self::Binary(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_shared_compare_by_content() {
        for len in [0usize, 1, 16, INLINE_PAYLOAD, INLINE_PAYLOAD + 1, 300] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let a = Payload::copy_from_slice(&data);
            let b = Payload::from(Bytes::from(data.clone()));
            assert_eq!(a, b, "len {len}");
            assert_eq!(&a[..], &data[..]);
            assert_eq!(a.clone().into_bytes(), Bytes::from(data.clone()));
            assert_eq!(a.to_vec(), data);
            assert_eq!(matches!(a.0, Repr::Inline(_)), len <= INLINE_PAYLOAD);
        }
        assert_eq!(
            alloc::format!("{:?}", Payload::from("a\"\n")),
            "b\"a\\\"\\n\""
        );
        assert!(Payload::new().is_empty());
    }

    #[test]
    fn message_stays_small() {
        assert!(size_of::<Message>() <= 48, "{}", size_of::<Message>());
        assert!(size_of::<Payload>() <= 40, "{}", size_of::<Payload>());
    }
}
