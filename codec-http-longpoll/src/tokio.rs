//! tokio-util `Decoder`/`Encoder` adapters (feature `tokio`). They only
//! translate: all protocol logic is in [`MessageDecoder`] / [`MessageEncoder`].

use ::bytes::BytesMut;

pub use crate::tokio_hub::LongPollServer;

use crate::{
    DelimitedDecoder, Delimiter, Error, Event, Leniency, Limits, MessageDecoder, MessageEncoder,
    Outgoing, Role,
};

/// The adapter's error: I/O from the transport, or a codec error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokioCodecError {
    /// Transport error.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// Protocol error.
    #[error(transparent)]
    Codec(#[from] Error),
}

/// HTTP/1.1 messages over a byte stream: decodes [`Event`]s, encodes [`Outgoing`] items.
#[derive(Debug, Clone)]
pub struct HttpCodec {
    dec: MessageDecoder,
    enc: MessageEncoder,
}

impl HttpCodec {
    /// A codec for `role` (a server decodes requests) with default limits.
    #[must_use]
    pub fn new(role: Role) -> Self {
        Self::with_config(role, Limits::default(), Leniency::default())
    }

    /// A codec with the given limits and leniency.
    #[must_use]
    pub fn with_config(role: Role, limits: Limits, leniency: Leniency) -> Self {
        Self {
            dec: MessageDecoder::with_config(role, limits, leniency),
            enc: MessageEncoder::new(),
        }
    }

    /// The decoder (e.g. for [`MessageDecoder::expect_response_to`]).
    pub fn decoder_mut(&mut self) -> &mut MessageDecoder {
        &mut self.dec
    }
}

impl ::tokio_util::codec::Decoder for HttpCodec {
    type Item = Event;
    type Error = TokioCodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Event>, TokioCodecError> {
        Ok(self.dec.decode(src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Event>, TokioCodecError> {
        Ok(self.dec.decode_eof(src)?)
    }
}

impl ::tokio_util::codec::Encoder<Outgoing> for HttpCodec {
    type Error = TokioCodecError;

    fn encode(&mut self, item: Outgoing, dst: &mut BytesMut) -> Result<(), TokioCodecError> {
        Ok(self.enc.encode(item, dst)?)
    }
}

/// Delimited long-poll frames (NDJSON, record separator, JSON text sequences) as a tokio-util codec.
#[derive(Debug, Clone)]
pub struct DelimitedCodec {
    kind: Delimiter,
    dec: DelimitedDecoder,
}

impl DelimitedCodec {
    /// A codec for `kind` with a frame limit.
    #[must_use]
    pub fn new(kind: Delimiter, max_frame_len: usize) -> Self {
        Self {
            kind,
            dec: DelimitedDecoder::new(kind, max_frame_len),
        }
    }
}

impl ::tokio_util::codec::Decoder for DelimitedCodec {
    type Item = ::bytes::Bytes;
    type Error = TokioCodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<::bytes::Bytes>, TokioCodecError> {
        Ok(self.dec.decode(src)?)
    }

    fn decode_eof(
        &mut self,
        src: &mut BytesMut,
    ) -> Result<Option<::bytes::Bytes>, TokioCodecError> {
        Ok(self.dec.decode_eof(src)?)
    }
}

impl<T: AsRef<[u8]>> ::tokio_util::codec::Encoder<T> for DelimitedCodec {
    type Error = TokioCodecError;

    fn encode(&mut self, item: T, dst: &mut BytesMut) -> Result<(), TokioCodecError> {
        Ok(crate::encode_delimited(self.kind, item.as_ref(), dst)?)
    }
}
