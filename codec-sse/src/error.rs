//! The crate's single error type.

/// Which field of an outgoing item an [`Error::ForbiddenByte`] was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldName {
    /// The `id` field.
    Id,
    /// The `event` field (the event type).
    Event,
    /// A comment line.
    Comment,
}

impl core::fmt::Display for FieldName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Id => "id",
            Self::Event => "event",
            Self::Comment => "comment",
        })
    }
}

/// Everything that can go wrong in this crate.
///
/// Decoding errors (`LineTooLong`, `EventTooLarge`) are faults of the peer and
/// are sticky: once returned, the decoder returns the same error on every call.
/// Encoding errors (`ForbiddenByte`) are misuse by the local side; nothing is
/// written when they are returned. Client errors describe a response that the
/// EventSource rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A line grew past [`Limits::max_line_len`](crate::Limits::max_line_len)
    /// before its line end arrived.
    #[error("line {line} (starting at byte {offset}) is longer than the limit of {max} bytes")]
    LineTooLong {
        /// 1-based number of the offending line in the stream.
        line: u64,
        /// Byte offset of the start of the line in the stream.
        offset: u64,
        /// The configured limit.
        max: usize,
    },
    /// The data of one event grew past
    /// [`Limits::max_event_len`](crate::Limits::max_event_len).
    #[error("event data at line {line} (byte {offset}) exceeds the limit of {max} bytes")]
    EventTooLarge {
        /// 1-based number of the `data` line that crossed the limit.
        line: u64,
        /// Byte offset of the start of that line in the stream.
        offset: u64,
        /// The configured limit.
        max: usize,
    },
    /// An outgoing `id`, `event` or comment contains a byte that would end the
    /// line early (CR or LF) or, for `id`, a NULL that makes receivers ignore it.
    #[error("{field} value contains forbidden byte 0x{byte:02x} at index {at}")]
    ForbiddenByte {
        /// The field being written.
        field: FieldName,
        /// The offending byte.
        byte: u8,
        /// Its index in the value.
        at: usize,
    },
    /// The response status is not one the client opens a stream for.
    #[error("response status {status} does not open an event stream")]
    BadStatus {
        /// The HTTP status code received.
        status: u16,
    },
    /// A header supplied by the host's header hook has a forbidden name or value.
    #[error("host header {index} has an empty name or a forbidden byte in its name or value")]
    InvalidHeader {
        /// Index of the header in the hook's list.
        index: usize,
    },
    /// The response `Content-Type` essence is not `text/event-stream`.
    #[error("response Content-Type is not text/event-stream")]
    BadContentType,
}

#[cfg(feature = "std")]
impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        Self::new(std::io::ErrorKind::InvalidData, e)
    }
}
