//! The crate's single error type.

use crate::close::CloseCode;

/// Everything that can go wrong in this crate.
///
/// Peer violations (bad frames, bad handshakes) carry where they happened: `offset` is the
/// number of bytes the decoder had consumed from the stream before the offending frame or
/// byte. [`Error::close_code`] says which close code to send the peer;
/// [`Error::status_hint`] says which HTTP status to answer a bad upgrade request with.
/// API misuse by the local side (sending after close, ...) has its own variants and no close code.
///
/// Errors are sticky: once a decoder has failed, every later call returns the same error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- frames (RFC 6455 §5) ----
    /// RSV1-3 set without an extension that defines them (RFC 6455 §5.2).
    #[error("reserved bits {bits:#05b} set without a negotiated extension at offset {offset}")]
    ReservedBits {
        /// The RSV1..3 bits as a 3-bit number (RSV1 = 0b100).
        bits: u8,
        /// Stream offset of the frame.
        offset: u64,
    },
    /// An opcode RFC 6455 §5.2 reserves (3-7, 0xB-0xF).
    #[error("reserved opcode {opcode:#x} at offset {offset}")]
    ReservedOpcode {
        /// The opcode received.
        opcode: u8,
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A control frame with more than 125 bytes of payload (RFC 6455 §5.5).
    #[error("control frame with {len} bytes of payload (max 125) at offset {offset}")]
    ControlFrameTooLong {
        /// Declared payload length.
        len: u64,
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A control frame with FIN=0 (RFC 6455 §5.5: control frames must not be fragmented).
    #[error("fragmented control frame at offset {offset}")]
    FragmentedControlFrame {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A server received an unmasked frame (RFC 6455 §5.1).
    #[error("unmasked frame from a client at offset {offset}")]
    UnmaskedFrame {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A client received a masked frame (RFC 6455 §5.1).
    #[error("masked frame from a server at offset {offset}")]
    MaskedFrame {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A 64-bit payload length with the most significant bit set (RFC 6455 §5.2).
    #[error("64-bit payload length with the top bit set at offset {offset}")]
    LengthTopBit {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A payload length not written in the shortest form (RFC 6455 §5.2 "the minimal number of bytes MUST be used").
    #[error("payload length {len} not minimally encoded at offset {offset}")]
    NonMinimalLength {
        /// Declared payload length.
        len: u64,
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A frame longer than [`Limits::max_frame_len`](crate::Limits::max_frame_len).
    #[error("frame of {len} bytes exceeds the limit of {max} at offset {offset}")]
    FrameTooLarge {
        /// Declared payload length.
        len: u64,
        /// The limit.
        max: u64,
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A message longer than [`Limits::max_message_len`](crate::Limits::max_message_len) (after inflating, if compressed).
    #[error("message of at least {len} bytes exceeds the limit of {max} at offset {offset}")]
    MessageTooLarge {
        /// Message length seen so far.
        len: u64,
        /// The limit.
        max: u64,
        /// Stream offset of the frame that crossed the limit.
        offset: u64,
    },
    /// A message split into more frames than [`Limits::max_fragments`](crate::Limits::max_fragments).
    #[error("message has more than {max} fragments at offset {offset}")]
    TooManyFragments {
        /// The limit.
        max: u32,
        /// Stream offset of the frame that crossed the limit.
        offset: u64,
    },
    /// A continuation frame without a message to continue (RFC 6455 §5.4).
    #[error("continuation frame without a started message at offset {offset}")]
    UnexpectedContinuation {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A new text/binary frame while a fragmented message is still open (RFC 6455 §5.4).
    #[error("new data frame inside a fragmented message at offset {offset}")]
    ExpectedContinuation {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// RSV1 on a continuation or control frame (RFC 7692 §6: only the first frame of a message).
    #[error("RSV1 set on a continuation or control frame at offset {offset}")]
    MisplacedCompressionBit {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// Text that is not UTF-8 (RFC 6455 §8.1). Found at the first invalid byte, even mid-frame.
    #[error("invalid UTF-8 in a text message at offset {offset}")]
    InvalidUtf8 {
        /// Stream offset of the invalid sequence (for compressed messages: offset of the frame).
        offset: u64,
    },
    /// A close frame with a one-byte payload (RFC 6455 §5.5.1).
    #[error("close frame with a 1-byte payload at offset {offset}")]
    CloseTooShort {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A close code RFC 6455 §7.4 and the IANA registry do not allow on the wire.
    #[error("close code {code} not allowed on the wire at offset {offset}")]
    InvalidCloseCode {
        /// The received code.
        code: u16,
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A close reason that is not UTF-8 (RFC 6455 §5.5.1).
    #[error("close reason is not UTF-8 at offset {offset}")]
    InvalidCloseReason {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// A compressed message that does not inflate (RFC 7692 §7.2.2).
    #[error("compressed message does not inflate at offset {offset}")]
    Inflate {
        /// Stream offset of the frame.
        offset: u64,
    },
    /// The stream ended in the middle of a frame or before the close handshake.
    #[error("connection ended without a close handshake at offset {offset}")]
    AbnormalClosure {
        /// Bytes consumed before the end.
        offset: u64,
    },

    // ---- handshake (RFC 6455 §4) ----
    /// The HTTP head is longer than [`Limits::max_head_len`](crate::Limits::max_head_len).
    #[error("HTTP head longer than {max} bytes")]
    HeadTooLarge {
        /// The limit.
        max: usize,
    },
    /// More header fields than [`Limits::max_headers`](crate::Limits::max_headers).
    #[error("more than {max} header fields")]
    TooManyHeaders {
        /// The limit.
        max: usize,
    },
    /// httparse rejected the head.
    #[error("malformed HTTP head: {0}")]
    MalformedHead(httparse::Error),
    /// The request method is not GET (RFC 6455 §4.1).
    #[error("upgrade request method is not GET")]
    MethodNotGet,
    /// The HTTP version is not 1.1 (RFC 6455 §4.1 requires at least HTTP/1.1).
    #[error("HTTP version is not 1.1")]
    HttpVersion,
    /// A required header is missing.
    #[error("missing header {name}")]
    MissingHeader {
        /// The header name.
        name: &'static str,
    },
    /// A header has a value the handshake does not allow.
    #[error("invalid value in header {name}")]
    InvalidHeader {
        /// The header name.
        name: &'static str,
    },
    /// `Sec-WebSocket-Version` is not 13: answer 426 with `Sec-WebSocket-Version: 13` (RFC 6455 §4.4).
    #[error("unsupported WebSocket version")]
    UnsupportedVersion,
    /// `Sec-WebSocket-Key` is not the base64 of 16 bytes (RFC 6455 §4.2.1).
    #[error("Sec-WebSocket-Key is not 16 base64-encoded bytes")]
    InvalidKey,
    /// The server answered with a status other than 101.
    #[error("server answered status {status}, not 101")]
    UnexpectedStatus {
        /// The status code received.
        status: u16,
    },
    /// `Sec-WebSocket-Accept` does not match the key sent (RFC 6455 §4.1).
    #[error("Sec-WebSocket-Accept does not match the key")]
    AcceptMismatch,
    /// The server selected a subprotocol the client did not offer.
    #[error("server selected a subprotocol that was not offered")]
    UnexpectedSubprotocol,
    /// An extension the peer used or selected was not offered, or its parameters are invalid (RFC 7692 §7.1).
    #[error("invalid or unexpected extension negotiation")]
    InvalidExtension,

    // ---- local misuse ----
    /// The connection is closed (or closing): nothing more may be sent.
    #[error("connection is closed; nothing more can be sent")]
    Closed,
    /// A control frame payload over 125 bytes was given to send.
    #[error("control payload of {len} bytes exceeds 125")]
    ControlPayloadTooLong {
        /// The payload length given.
        len: usize,
    },
    /// A close code that may not be sent (e.g. 1005, 1006, 1015).
    #[error("close code {code} may not be sent")]
    CloseCodeNotSendable {
        /// The code given.
        code: u16,
    },
    /// A [`Message::Text`](crate::Message::Text) given to send is not UTF-8.
    #[error("text message to send is not UTF-8")]
    TextNotUtf8,
    /// A whole message was sent while a fragmented send is open, or a continuation without one.
    #[error("fragmented send state violated")]
    FragmentedSend,
}

impl Error {
    /// The close code to send the peer for this error (RFC 6455 §7.4.1), or `None` for
    /// handshake errors and local misuse. [`Error::AbnormalClosure`] gives 1006, which is
    /// only reported, never sent.
    #[must_use]
    pub fn close_code(&self) -> Option<CloseCode> {
        Some(match self {
            Self::InvalidUtf8 { .. } | Self::InvalidCloseReason { .. } | Self::Inflate { .. } => {
                CloseCode::INVALID_PAYLOAD
            }
            Self::FrameTooLarge { .. }
            | Self::MessageTooLarge { .. }
            | Self::TooManyFragments { .. } => CloseCode::MESSAGE_TOO_BIG,
            Self::AbnormalClosure { .. } => CloseCode::ABNORMAL,
            Self::ReservedBits { .. }
            | Self::ReservedOpcode { .. }
            | Self::ControlFrameTooLong { .. }
            | Self::FragmentedControlFrame { .. }
            | Self::UnmaskedFrame { .. }
            | Self::MaskedFrame { .. }
            | Self::LengthTopBit { .. }
            | Self::NonMinimalLength { .. }
            | Self::UnexpectedContinuation { .. }
            | Self::ExpectedContinuation { .. }
            | Self::MisplacedCompressionBit { .. }
            | Self::CloseTooShort { .. }
            | Self::InvalidCloseCode { .. } => CloseCode::PROTOCOL_ERROR,
            _ => return None,
        })
    }

    /// The HTTP status to answer a failed upgrade request with (400, 426, 431), or `None`
    /// for errors that are not about a request.
    #[must_use]
    pub fn status_hint(&self) -> Option<u16> {
        Some(match self {
            Self::HeadTooLarge { .. } | Self::TooManyHeaders { .. } => 431,
            Self::UnsupportedVersion => 426,
            Self::MethodNotGet => 405,
            Self::MalformedHead(_)
            | Self::HttpVersion
            | Self::MissingHeader { .. }
            | Self::InvalidHeader { .. }
            | Self::InvalidKey
            | Self::InvalidExtension => 400,
            _ => return None,
        })
    }

    /// True for errors caused by the local caller rather than the peer.
    #[must_use]
    pub fn is_local(&self) -> bool {
        matches!(
            self,
            Self::Closed
                | Self::ControlPayloadTooLong { .. }
                | Self::CloseCodeNotSendable { .. }
                | Self::TextNotUtf8
                | Self::FragmentedSend
        )
    }
}

#[cfg(feature = "std")]
impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        Self::new(std::io::ErrorKind::InvalidData, e)
    }
}
