//! tokio adapter (feature `tokio`): tokio-util `Decoder`/`Encoder` and a
//! keep-alive body stream. Translation only; the protocol lives in the core.

use alloc::boxed::Box;
use bytes::{Bytes, BytesMut};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use futures_core::Stream;

use crate::{encode_comment, Decoder, Encoder, Error, Event, Item};

/// Errors of the tokio-util codec: I/O from the transport, or the core's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokioCodecError {
    /// The underlying reader or writer failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The stream or an outgoing item broke the codec's rules.
    #[error(transparent)]
    Codec(#[from] Error),
}

/// [`Decoder`] and [`Encoder`] as a `tokio_util::codec` pair, for
/// `FramedRead`/`FramedWrite`.
#[derive(Debug, Default)]
pub struct SseCodec {
    decoder: Decoder,
    encoder: Encoder,
}

impl SseCodec {
    /// A codec around a configured decoder.
    #[must_use]
    pub fn new(decoder: Decoder) -> Self {
        Self {
            decoder,
            encoder: Encoder::new(),
        }
    }

    /// The decoder inside (for example for its last event ID).
    #[must_use]
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }
}

impl ::tokio_util::codec::Decoder for SseCodec {
    type Item = Item;
    type Error = TokioCodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Item>, TokioCodecError> {
        Ok(self.decoder.decode(src)?)
    }

    /// Drops an unfinished event instead of failing: §9.2.6 discards it.
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Item>, TokioCodecError> {
        Ok(self.decoder.decode_eof(src)?)
    }
}

impl ::tokio_util::codec::Encoder<Item> for SseCodec {
    type Error = TokioCodecError;

    fn encode(&mut self, item: Item, dst: &mut BytesMut) -> Result<(), TokioCodecError> {
        Ok(self.encoder.encode(&item, dst)?)
    }
}

impl ::tokio_util::codec::Encoder<Event> for SseCodec {
    type Error = TokioCodecError;

    fn encode(&mut self, ev: Event, dst: &mut BytesMut) -> Result<(), TokioCodecError> {
        Ok(crate::encode_event(&ev, dst)?)
    }
}

/// A response body: each item of the inner stream encoded, plus a comment
/// whenever nothing was sent for one interval. Made by [`keep_alive`].
#[derive(Debug)]
pub struct KeepAlive<S> {
    inner: S,
    interval: Duration,
    sleep: Pin<Box<::tokio::time::Sleep>>,
    comment: Bytes,
    done: bool,
}

/// Turns a stream of items into a stream of body chunks with a keep-alive
/// comment (`:\n`) after each `interval` of silence. Must be polled inside a
/// tokio runtime with the time driver enabled.
pub fn keep_alive<S: Stream<Item = Item> + Unpin>(inner: S, interval: Duration) -> KeepAlive<S> {
    KeepAlive {
        inner,
        interval,
        sleep: Box::pin(::tokio::time::sleep(interval)),
        comment: Bytes::from_static(b":\n"),
        done: false,
    }
}

impl<S> KeepAlive<S> {
    /// Uses `: text` as the keep-alive comment.
    ///
    /// # Errors
    ///
    /// [`Error::ForbiddenByte`] if `text` contains CR or LF.
    pub fn with_comment(mut self, text: &str) -> Result<Self, Error> {
        let mut b = BytesMut::new();
        encode_comment(text, &mut b)?;
        self.comment = b.freeze();
        Ok(self)
    }

    fn rearm(&mut self) {
        let at = ::tokio::time::Instant::now() + self.interval;
        self.sleep.as_mut().reset(at);
    }
}

impl<S: Stream<Item = Item> + Unpin> Stream for KeepAlive<S> {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(item)) => {
                self.rearm();
                let mut b = BytesMut::new();
                Poll::Ready(Some(
                    Encoder::new().encode(&item, &mut b).map(|()| b.freeze()),
                ))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => match self.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    self.rearm();
                    Poll::Ready(Some(Ok(self.comment.clone())))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}
