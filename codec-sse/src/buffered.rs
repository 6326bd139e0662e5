//! The owned-buffer layer: feed bytes, drain items, finish at end of stream.

use bytes::BytesMut;
use bytestring::ByteString;

use crate::{Decoder, Error, Item, Limits};

/// A [`Decoder`] with its own input buffer.
///
/// ```
/// use codec_sse::{Item, Parser};
///
/// let mut p = Parser::new();
/// p.feed(b"data: hel");
/// assert_eq!(p.next_event()?, None);
/// p.feed(b"lo\r");
/// p.feed(b"\n\r\n");
/// let Some(Item::Event(ev)) = p.next_event()? else { panic!() };
/// assert_eq!(ev.data(), "hello");
/// p.finish();
/// assert_eq!(p.next_event()?, None);
/// # Ok::<(), codec_sse::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Parser {
    buf: BytesMut,
    decoder: Decoder,
    finished: bool,
}

impl Parser {
    /// A parser with default limits.
    #[must_use]
    pub fn new() -> Self {
        Self::from_decoder(Decoder::new())
    }

    /// A parser with the given limits.
    #[must_use]
    pub fn with_limits(limits: Limits) -> Self {
        Self::from_decoder(Decoder::with_limits(limits))
    }

    /// A parser around a configured decoder.
    #[must_use]
    pub fn from_decoder(decoder: Decoder) -> Self {
        Self {
            buf: BytesMut::new(),
            decoder,
            finished: false,
        }
    }

    /// Appends received bytes. Call [`next_event`](Self::next_event) until it
    /// returns `Ok(None)` afterwards.
    pub fn feed(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Marks the end of the stream. The remaining complete lines are still
    /// decoded; after `next_event` has returned `Ok(None)`, the parser is ready
    /// for the body of the next connection (the last event ID is kept).
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// The next item, or `Ok(None)` when more input (or [`finish`](Self::finish)) is needed.
    ///
    /// # Errors
    ///
    /// As for [`Decoder::decode`]; errors are sticky until the next stream.
    #[must_use = "items must be drained until Ok(None)"]
    pub fn next_event(&mut self) -> Result<Option<Item>, Error> {
        if self.finished {
            let r = self.decoder.decode_eof(&mut self.buf);
            if matches!(r, Ok(None)) {
                self.finished = false;
            }
            r
        } else {
            self.decoder.decode(&mut self.buf)
        }
    }

    /// Drops the current stream's state and unread bytes (keeping the
    /// committed last event ID), ready for the next connection's body.
    pub fn reset_stream(&mut self) {
        self.buf.clear();
        self.finished = false;
        self.decoder.reset_stream();
    }

    /// The last committed event ID.
    #[must_use]
    pub fn last_event_id(&self) -> &ByteString {
        self.decoder.last_event_id()
    }

    /// The decoder inside.
    #[must_use]
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// Bytes received but not yet used (an unfinished line).
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }
}
