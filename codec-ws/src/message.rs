//! Messages: what a [`Connection`](crate::Connection) delivers and sends.

use bytes::Bytes;

use crate::close::CloseFrame;

/// A whole message or control frame, the same type in both directions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text message. Always valid UTF-8 when decoded.
    Text(Bytes),
    /// A binary message.
    Binary(Bytes),
    /// A ping (payload at most 125 bytes).
    Ping(Bytes),
    /// A pong (payload at most 125 bytes).
    Pong(Bytes),
    /// A close frame; `None` when it had no body (reported as 1005 by APIs that need a code).
    Close(Option<CloseFrame>),
}

impl Message {
    /// A text message from a string.
    #[must_use]
    pub fn text(s: &str) -> Self {
        Self::Text(Bytes::copy_from_slice(s.as_bytes()))
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
