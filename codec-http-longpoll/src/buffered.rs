//! An owned-buffer layer over [`MessageDecoder`]: `feed` bytes as they come,
//! drain `next_event`, call `finish` at end of input (used by the WASM bindings).

use bytes::BytesMut;

use crate::{Error, Event, Leniency, Limits, MessageDecoder, Role};

/// [`MessageDecoder`] with its own input buffer.
///
/// ```
/// use codec_http_longpoll::{BufferedDecoder, Event, Role};
///
/// let mut d = BufferedDecoder::new(Role::Client);
/// d.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nh");
/// assert!(matches!(d.next_event()?, Some(Event::Response { .. })));
/// assert!(matches!(d.next_event()?, Some(Event::Data(_))));
/// assert_eq!(d.next_event()?, None); // needs more
/// d.feed(b"i");
/// assert!(matches!(d.next_event()?, Some(Event::Data(_))));
/// assert!(matches!(d.next_event()?, Some(Event::End(_))));
/// d.finish();
/// assert_eq!(d.next_event()?, None);
/// # Ok::<(), codec_http_longpoll::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BufferedDecoder {
    dec: MessageDecoder,
    buf: BytesMut,
    eof: bool,
}

impl BufferedDecoder {
    /// A strict decoder for `role` with default limits.
    #[must_use]
    pub fn new(role: Role) -> Self {
        Self::with_config(role, Limits::default(), Leniency::default())
    }

    /// A decoder with the given limits and leniency.
    #[must_use]
    pub fn with_config(role: Role, limits: Limits, leniency: Leniency) -> Self {
        Self {
            dec: MessageDecoder::with_config(role, limits, leniency),
            buf: BytesMut::new(),
            eof: false,
        }
    }

    /// See [`MessageDecoder::expect_response_to`].
    pub fn expect_response_to(&mut self, method: &str) {
        self.dec.expect_response_to(method);
    }

    /// Append received bytes. Bytes fed after [`finish`](Self::finish) are ignored.
    pub fn feed(&mut self, data: &[u8]) {
        if !self.eof {
            self.buf.extend_from_slice(data);
        }
    }

    /// The input has ended (the peer closed).
    pub fn finish(&mut self) {
        self.eof = true;
    }

    /// The next event, or `Ok(None)` when more input is needed (or, after
    /// `finish`, when everything was delivered).
    ///
    /// # Errors
    /// See [`MessageDecoder::decode`] and [`MessageDecoder::decode_eof`].
    #[must_use = "events must be drained"]
    pub fn next_event(&mut self) -> Result<Option<Event>, Error> {
        if self.eof {
            self.dec.decode_eof(&mut self.buf)
        } else {
            self.dec.decode(&mut self.buf)
        }
    }

    /// Bytes not consumed: after [`Event::Upgrade`], the start of the new protocol.
    #[must_use]
    pub fn remaining(&self) -> &[u8] {
        &self.buf
    }
}
