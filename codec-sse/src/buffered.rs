//! The owned-buffer layer: feed bytes, drain items, finish at end of stream.

use alloc::string::String;
use bytes::BytesMut;

use crate::scan::LineEnds;
use crate::{Decoder, Error, Item, ItemRef, Limits};

/// Chunks shorter than this are parsed from the parser's own buffer (one copy
/// of a few hundred bytes is cheaper than the bookkeeping of parsing them in
/// place); longer ones in place.
const SMALL: usize = 4096;

/// Handled lines are dropped from the parser's buffer once there are this
/// many bytes of them (and they are at least half of it): until then, values
/// that point into them need no copying.
const COMPACT_AT: usize = 4096;

/// At most this many bytes of handled lines stay buffered for the values of
/// the event being built when the buffer is compacted; values further back
/// are copied out.
const STAGE_KEEP: usize = 1024;

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
    /// Between `feed_with` calls (`buf` is then empty): the unfinished line
    /// as text, from `line_at`, after recent lines that values of the event
    /// being built may point into.
    carry: String,
    line_at: usize,
    decoder: Decoder,
    finished: bool,
    /// `buf` may hold complete lines (from `feed`) not yet handed out.
    pending: bool,
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
            carry: String::new(),
            line_at: 0,
            decoder,
            finished: false,
            pending: false,
        }
    }

    /// Appends received bytes. Call [`next_event`](Self::next_event) until it
    /// returns `Ok(None)` afterwards.
    pub fn feed(&mut self, data: &[u8]) {
        self.take_carry();
        self.buf.extend_from_slice(data);
        self.pending = true;
    }

    /// Moves an unfinished line kept by `feed_with` into `buf`, where
    /// `feed` and `next_event` expect it.
    fn take_carry(&mut self) {
        self.unstage();
        if !self.carry.is_empty() {
            self.buf.extend_from_slice(self.carry.as_bytes());
            self.carry.clear();
            self.decoder.carry_used();
        }
    }

    /// Parses `chunk` and hands every item it completes to `f`: the fastest
    /// way to read a stream. Items borrow the lines, as with
    /// [`next_ref`](Self::next_ref). Chunks of 4 KiB and more are parsed in
    /// place (only an unfinished line at the end is copied, to be completed
    /// by the next chunk); smaller ones are appended to the parser's buffer
    /// and parsed there. Items already waiting from [`feed`](Self::feed)
    /// come first.
    ///
    /// ```
    /// use codec_sse::{ItemRef, Parser};
    ///
    /// let mut p = Parser::new();
    /// let mut seen = Vec::new();
    /// for chunk in [&b"data: hel"[..], b"lo\n\nid: 2\ndata: x\n\nda", b"ta: y\n\n"] {
    ///     p.feed_with(chunk, |item| {
    ///         if let ItemRef::Event(ev) = item {
    ///             seen.push(format!("{}/{}", ev.data(), ev.last_event_id()));
    ///         }
    ///     })?;
    /// }
    /// p.finish();
    /// while p.next_ref()?.is_some() {}
    /// assert_eq!(seen, ["hello/", "x/2", "y/2"]);
    /// # Ok::<(), codec_sse::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`Decoder::decode`]: items before the fault are handed to `f`,
    /// then the error is returned; errors are sticky until the next stream.
    pub fn feed_with<F: FnMut(ItemRef<'_>)>(
        &mut self,
        chunk: &[u8],
        mut f: F,
    ) -> Result<(), Error> {
        if self.pending || self.finished {
            // Complete lines left by `feed` first.
            while let Some(item) = self.next_ref()? {
                f(item);
            }
        }
        if self.buf.is_empty() {
            // The usual case: the chunk is valid UTF-8 on its own (checked
            // once, with SIMD) and any unfinished line before it is text.
            if let Ok(text) = simdutf8::basic::from_utf8(chunk) {
                return self.feed_text(text, &mut f);
            }
            self.take_carry();
        }
        self.feed_bytes(chunk, &mut f)
    }

    /// `feed_with` for a chunk of valid UTF-8.
    #[inline]
    fn feed_text<F: FnMut(ItemRef<'_>)>(&mut self, text: &str, f: &mut F) -> Result<(), Error> {
        if text.len() < SMALL && self.decoder.stageable() {
            self.feed_small(text, f)
        } else {
            self.unstage();
            self.feed_large(text, f)
        }
    }

    /// A small chunk is appended to `carry` and parsed there: the unfinished
    /// line it completes needs no separate step, and values of the event
    /// being built stay where they are rather than being copied out at the
    /// end of every chunk.
    fn feed_small<F: FnMut(ItemRef<'_>)>(&mut self, text: &str, f: &mut F) -> Result<(), Error> {
        // The unfinished line holds no line end: search the new bytes only.
        let scan_from = self.carry.len();
        self.carry.push_str(text);
        let used = self
            .decoder
            .feed_stage(&self.carry, self.line_at, scan_from, f)?;
        self.line_at = used;
        if used >= COMPACT_AT {
            // Keep the bytes that values of the event being built point into,
            // within reason; drop the rest once it is at least half the
            // buffer, so that each byte is moved O(1) times on average.
            let keep = match self.decoder.staged_from() {
                Some(k) if used - k.min(used) <= STAGE_KEEP => k.min(used),
                _ => used,
            };
            if keep * 2 >= self.carry.len() && self.carry.is_char_boundary(keep) {
                // Values further back than `STAGE_KEEP` are copied out here.
                self.decoder.restage(&self.carry, keep);
                self.carry.drain(..keep);
                self.line_at -= keep;
            }
        }
        if self.line_at < self.carry.len() {
            self.decoder.hold_staged(&mut self.carry, self.line_at)?;
        }
        Ok(())
    }

    /// Copies out values that point into `carry` and drops the lines before
    /// the unfinished one, leaving only that line.
    fn unstage(&mut self) {
        if self.line_at > 0 {
            self.decoder.restage(&self.carry, self.carry.len());
            self.carry.drain(..self.line_at.min(self.carry.len()));
            self.line_at = 0;
        }
    }

    /// A large chunk is parsed in place: its complete lines are not copied.
    fn feed_large<F: FnMut(ItemRef<'_>)>(
        &mut self,
        mut text: &str,
        f: &mut F,
    ) -> Result<(), Error> {
        if !self.carry.is_empty() {
            // Complete the unfinished line with the chunk's first line end.
            let Some(i) = LineEnds::new().next(text.as_bytes(), 0) else {
                self.carry.push_str(text);
                return self.decoder.hold_str(&mut self.carry);
            };
            // Line ends are ASCII, so these are char boundaries.
            let (head, rest) = text.split_at_checked(i + 1).unwrap_or((text, ""));
            self.carry.push_str(head);
            text = rest;
            self.decoder.feed_line_str(&self.carry, f)?;
            self.carry.clear();
        }
        let used = self.decoder.feed_str(text, f)?;
        if let Some(tail) = text.get(used..).filter(|t| !t.is_empty()) {
            self.carry.push_str(tail);
            self.decoder.hold_str(&mut self.carry)?;
        }
        Ok(())
    }

    /// `feed_with` for any bytes, with any unfinished line in `buf`.
    fn feed_bytes<F: FnMut(ItemRef<'_>)>(&mut self, chunk: &[u8], f: &mut F) -> Result<(), Error> {
        let mut rest = chunk;
        if !self.buf.is_empty() {
            // Complete the unfinished line with the chunk's first line end
            // and parse it from the buffer, copying its values.
            let Some(i) = LineEnds::new().next(rest, 0) else {
                self.buf.extend_from_slice(rest);
                return self.decoder.hold(&mut self.buf);
            };
            self.buf.extend_from_slice(&rest[..=i]);
            rest = &rest[i + 1..];
            self.decoder.feed_line(&self.buf, f)?;
            self.buf.clear();
            self.decoder.carry_used();
        }
        let used = self.decoder.feed_slice(rest, false, f)?;
        if used < rest.len() {
            self.buf.extend_from_slice(&rest[used..]);
            self.decoder.hold(&mut self.buf)?;
        }
        Ok(())
    }

    /// Marks the end of the stream. The remaining complete lines are still
    /// decoded; after `next_event` has returned `Ok(None)`, the parser is ready
    /// for the body of the next connection (the last event ID is kept).
    pub fn finish(&mut self) {
        self.take_carry();
        self.finished = true;
    }

    /// The next item, or `Ok(None)` when more input (or [`finish`](Self::finish)) is needed.
    ///
    /// # Errors
    ///
    /// As for [`Decoder::decode`]; errors are sticky until the next stream.
    #[must_use = "items must be drained until Ok(None)"]
    pub fn next_event(&mut self) -> Result<Option<Item>, Error> {
        let r = if self.finished {
            self.decoder.decode_eof(&mut self.buf)
        } else {
            self.decoder.decode(&mut self.buf)
        };
        if matches!(r, Ok(None)) {
            self.finished = false;
            self.pending = false;
        }
        r
    }

    /// Like [`next_event`](Self::next_event), but the item borrows the
    /// parser (no allocation, no reference count): see
    /// [`Decoder::decode_ref`].
    ///
    /// ```
    /// use codec_sse::{ItemRef, Parser};
    ///
    /// let mut p = Parser::new();
    /// p.feed(b"data: a\n\ndata: b\n\n");
    /// let mut data = String::new();
    /// while let Some(item) = p.next_ref()? {
    ///     if let ItemRef::Event(ev) = item {
    ///         data.push_str(ev.data());
    ///     }
    /// }
    /// assert_eq!(data, "ab");
    /// # Ok::<(), codec_sse::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`Decoder::decode`]; errors are sticky until the next stream.
    #[must_use = "items must be drained until Ok(None)"]
    pub fn next_ref(&mut self) -> Result<Option<ItemRef<'_>>, Error> {
        let item = if self.finished {
            self.decoder.decode_eof_ref(&mut self.buf)?
        } else {
            self.decoder.decode_ref(&mut self.buf)?
        };
        if item.is_none() {
            self.finished = false;
            self.pending = false;
        }
        Ok(item)
    }

    /// Drops the current stream's state and unread bytes (keeping the
    /// committed last event ID), ready for the next connection's body.
    pub fn reset_stream(&mut self) {
        self.unstage();
        self.buf.clear();
        self.carry.clear();
        self.finished = false;
        self.pending = false;
        self.decoder.reset_stream();
    }

    /// The last committed event ID.
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.decoder.last_event_id()
    }

    /// The decoder inside.
    #[must_use]
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// Bytes held: an unfinished line, and after [`feed_with`](Self::feed_with)
    /// up to a few KiB of recent lines that the event being built points into.
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len() + self.carry.len()
    }
}
