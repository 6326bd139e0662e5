//! The crate's single error type.

/// Everything that can go wrong while decoding or encoding.
///
/// Decoding errors are faults of the peer; they carry the byte `offset`
/// (counted from the first byte the decoder was fed, or from the start of
/// the message for [`crate::MessageDecoder`]) where the fault was seen.
/// Encoding errors (`Invalid*Input`, `*ContainsSeparator`, ...) are misuse
/// by the caller. Decoders are fused: after an error every later call
/// returns the same error.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    // ---- chunked transfer coding (RFC 9112 §7.1) ----
    /// A chunk-size line had no hex digit, or a character that is not allowed there.
    #[error("invalid character in chunk size at offset {offset}")]
    InvalidChunkSize {
        /// Offset of the offending byte.
        offset: u64,
    },
    /// The chunk size has more than 16 hex digits or does not fit in a `u64`.
    #[error("chunk size overflows u64 at offset {offset}")]
    ChunkSizeOverflow {
        /// Offset of the offending digit.
        offset: u64,
    },
    /// A chunk extension is empty, has a bad name/value or an unbalanced quote.
    #[error("invalid chunk extension at offset {offset}")]
    InvalidChunkExtension {
        /// Offset of the offending byte.
        offset: u64,
    },
    /// The chunk extensions of one message exceed the limit.
    #[error("chunk extensions exceed {max} bytes at offset {offset}")]
    ChunkExtensionsTooLarge {
        /// Offset where the limit was crossed.
        offset: u64,
        /// The configured limit.
        max: usize,
    },
    /// A CR was not followed by LF.
    #[error("expected LF after CR at offset {offset}")]
    ExpectedLf {
        /// Offset of the byte that should have been LF.
        offset: u64,
    },
    /// A line ended with a bare LF (no CR before it).
    #[error("bare LF without CR at offset {offset}")]
    BareLf {
        /// Offset of the LF.
        offset: u64,
    },
    /// Chunk data was not followed by CRLF.
    #[error("chunk data not followed by CRLF at offset {offset}")]
    MissingChunkCrlf {
        /// Offset of the first byte after the chunk data that is not CRLF.
        offset: u64,
    },
    /// A trailer (or header) field line is malformed.
    #[error("invalid trailer field at offset {offset}")]
    InvalidTrailer {
        /// Offset of the offending byte.
        offset: u64,
    },
    /// The trailer section is larger than the limit.
    #[error("trailer section exceeds {max} bytes at offset {offset}")]
    TrailersTooLarge {
        /// Offset where the limit was crossed.
        offset: u64,
        /// The configured limit.
        max: usize,
    },
    /// More trailer fields than the limit.
    #[error("more than {max} trailer fields at offset {offset}")]
    TooManyTrailers {
        /// Offset of the field over the limit.
        offset: u64,
        /// The configured limit.
        max: usize,
    },
    /// Input ended in the middle of a message (for example a missing last chunk).
    #[error("unexpected end of input at offset {offset}")]
    UnexpectedEof {
        /// Number of bytes seen before the end.
        offset: u64,
    },

    // ---- message heads (RFC 9112 §2-§5) ----
    /// The head is longer than the limit.
    #[error("message head exceeds {max} bytes")]
    HeadTooLarge {
        /// The configured limit.
        max: usize,
    },
    /// More header fields than the limit.
    #[error("more than {max} header fields")]
    TooManyHeaders {
        /// The configured limit.
        max: usize,
    },
    /// The head does not parse; `what` names the part that is wrong.
    #[error("invalid {what} in message head at offset {offset}")]
    InvalidHead {
        /// Offset of the offending byte (best effort: the start of the offending line).
        offset: u64,
        /// Which part was wrong.
        what: HeadPart,
    },

    // ---- body framing (RFC 9112 §6) ----
    /// Both Content-Length and Transfer-Encoding are present (RFC 9112 §6.3 rule 3).
    #[error("Content-Length together with Transfer-Encoding at offset {offset}")]
    ContentLengthWithTransferEncoding {
        /// Offset of the later of the two fields.
        offset: u64,
    },
    /// Content-Length is not a decimal number, or duplicates differ (RFC 9112 §6.3 rule 5).
    #[error("invalid Content-Length at offset {offset}")]
    InvalidContentLength {
        /// Offset of the field line.
        offset: u64,
    },
    /// A request's Transfer-Encoding does not end in `chunked` (RFC 9112 §6.3 rule 4),
    /// or the field is empty or malformed.
    #[error("invalid Transfer-Encoding at offset {offset}")]
    InvalidTransferEncoding {
        /// Offset of the field line.
        offset: u64,
    },
    /// `chunked` appears more than once or with parameters (RFC 9112 §7).
    #[error("chunked applied more than once or with parameters at offset {offset}")]
    InvalidChunkedCoding {
        /// Offset of the field line.
        offset: u64,
    },
    /// Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1: framing is faulty).
    #[error("Transfer-Encoding in an HTTP/1.0 message at offset {offset}")]
    TransferEncodingInHttp10 {
        /// Offset of the field line.
        offset: u64,
    },
    /// A body or frame is longer than allowed.
    #[error("body or frame of {len} bytes exceeds {max}")]
    TooLarge {
        /// Observed (or declared) length.
        len: u64,
        /// The configured limit.
        max: u64,
    },

    // ---- long-poll framings ----
    /// A long-poll frame is malformed; `offset` is within the fed stream.
    #[error("invalid {what} frame at offset {offset}")]
    InvalidFrame {
        /// Which framing.
        what: &'static str,
        /// Offset of the offending byte.
        offset: u64,
    },

    // ---- local (caller) errors ----
    /// The caller gave a header name or value that cannot be sent.
    #[error("invalid header name or value given to the encoder")]
    InvalidHeaderInput,
    /// The caller gave a chunk extension that cannot be sent.
    #[error("invalid chunk extension given to the encoder")]
    InvalidExtensionInput,
    /// The caller gave a method, target, reason or status that cannot be sent.
    #[error("invalid request line or status line given to the encoder")]
    InvalidStartLineInput,
    /// A text frame contains the record separator of its framing (0x1E or LF).
    #[error("text contains the frame separator byte {byte:#04x}")]
    ContainsSeparator {
        /// The separator byte found in the text.
        byte: u8,
    },
    /// The encoder was used after the last chunk was written.
    #[error("encoder used after the body was finished")]
    AfterEnd,
}

/// Which part of a message head was malformed (see [`Error::InvalidHead`]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadPart {
    /// The method or request-target.
    RequestLine,
    /// The status code or reason phrase.
    StatusLine,
    /// The HTTP version.
    Version,
    /// A field name.
    FieldName,
    /// A field value.
    FieldValue,
    /// A line ending (bare CR or bare LF).
    LineEnding,
    /// Obsolete line folding (RFC 9112 §5.2).
    ObsFold,
}

impl core::fmt::Display for HeadPart {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::RequestLine => "request line",
            Self::StatusLine => "status line",
            Self::Version => "version",
            Self::FieldName => "field name",
            Self::FieldValue => "field value",
            Self::LineEnding => "line ending",
            Self::ObsFold => "obs-fold",
        })
    }
}

/// The pattern of every variant that carries an `offset`, binding it to `$o`
/// (one list for [`Error::offset`] and [`Error::shifted`]).
macro_rules! with_offset {
    ($o:ident) => {
        Error::InvalidChunkSize { offset: $o }
            | Error::ChunkSizeOverflow { offset: $o }
            | Error::InvalidChunkExtension { offset: $o }
            | Error::ChunkExtensionsTooLarge { offset: $o, .. }
            | Error::ExpectedLf { offset: $o }
            | Error::BareLf { offset: $o }
            | Error::MissingChunkCrlf { offset: $o }
            | Error::InvalidTrailer { offset: $o }
            | Error::TrailersTooLarge { offset: $o, .. }
            | Error::TooManyTrailers { offset: $o, .. }
            | Error::UnexpectedEof { offset: $o }
            | Error::InvalidHead { offset: $o, .. }
            | Error::ContentLengthWithTransferEncoding { offset: $o }
            | Error::InvalidContentLength { offset: $o }
            | Error::InvalidTransferEncoding { offset: $o }
            | Error::InvalidChunkedCoding { offset: $o }
            | Error::TransferEncodingInHttp10 { offset: $o }
            | Error::InvalidFrame { offset: $o, .. }
    };
}

impl Error {
    /// The status a server should answer with when a request failed this way
    /// (400, 413, 431 or 501), or `None` for errors that are not the peer's.
    #[must_use]
    pub fn status_hint(&self) -> Option<u16> {
        match self {
            Self::HeadTooLarge { .. } | Self::TooManyHeaders { .. } => Some(431),
            Self::TooLarge { .. }
            | Self::ChunkExtensionsTooLarge { .. }
            | Self::TrailersTooLarge { .. }
            | Self::TooManyTrailers { .. } => Some(413),
            Self::InvalidHead {
                what: HeadPart::Version,
                ..
            } => Some(505),
            Self::InvalidHeaderInput
            | Self::InvalidExtensionInput
            | Self::InvalidStartLineInput
            | Self::ContainsSeparator { .. }
            | Self::AfterEnd => None,
            _ => Some(400),
        }
    }

    /// The offset of the fault in the decoded stream, when one is known.
    #[must_use]
    pub fn offset(&self) -> Option<u64> {
        match *self {
            with_offset!(offset) => Some(offset),
            _ => None,
        }
    }

    /// Shift the offset by `base` (used when a sub-decoder's offsets are
    /// relative to a later start point).
    #[must_use]
    pub(crate) fn shifted(mut self, base: u64) -> Self {
        if let with_offset!(offset) = &mut self {
            *offset = offset.saturating_add(base);
        }
        self
    }
}

#[cfg(feature = "std")]
impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        Self::new(std::io::ErrorKind::InvalidData, e)
    }
}
