//! The streaming event stream decoder (WHATWG HTML §9.2.6), shaped like
//! tokio-util's `Decoder`.
//!
//! One line loop (`lines.rs`) serves three ways of reading:
//! - `decode`/`decode_ref` (here): each call moves the complete lines at the
//!   front of the caller's [`BytesMut`] out in one step (a "region", checked
//!   as UTF-8 once); an unfinished line stays in the caller's buffer with a
//!   cursor, so no byte is searched twice.
//! - [`Parser::feed_with`](crate::Parser::feed_with) (`inplace.rs`): lines
//!   are parsed in place from the caller's chunk, or from text staged in the
//!   parser's buffer for small chunks.
//!
//! Line ends are found a 64-byte block at a time (`scan.rs`). Field values
//! (`value.rs`) are positions in the lines being handled, or, when an event
//! outlives them or its data spans several lines, copies in one reused
//! string buffer per field: handling a line costs no allocation and no
//! reference count. Items borrow those ([`Decoder::decode_ref`]) or are made
//! owned, sharing the region where they can ([`Decoder::decode`]).

mod inplace;
mod lines;
mod value;

use bytes::{Buf, BytesMut};
use bytestring::ByteString;
use core::mem;

use crate::event::{Event, Item, ItemRef};
use crate::scan::LineEnds;
use crate::{Error, Limits};
use value::{Region, Slot, Val};

/// UTF-8 byte order mark, stripped once at the start of a stream.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// What the line loop found; the item is then built from the decoder's
/// state (borrowed or owned).
#[derive(Debug, Clone, Copy)]
enum Emit {
    /// An event: data in `data_out`, type in `type_out`, id in `committed`.
    Event,
    Retry(u64),
    /// An id commit without data: the id is in `committed`.
    Id,
    /// A comment, in `comment`.
    Comment,
}

/// A Sans-IO decoder for `text/event-stream` bodies.
///
/// Call [`decode`](Self::decode) (owned items) or
/// [`decode_ref`](Self::decode_ref) (items borrowed from the decoder, no
/// allocation) whenever bytes were appended to the buffer, until it returns
/// `Ok(None)`; call [`decode_eof`](Self::decode_eof) when the body ends. Any
/// split of the input gives the same items.
///
/// ```
/// use bytes::BytesMut;
/// use codec_sse::{Decoder, Item};
///
/// let mut dec = Decoder::new();
/// let mut buf = BytesMut::from(&b"id: 1\ndata: hello\n\n"[..]);
/// let Some(Item::Event(ev)) = dec.decode(&mut buf)? else { panic!() };
/// assert_eq!((ev.event_type(), ev.data(), ev.last_event_id()), ("message", "hello", "1"));
/// assert_eq!(dec.decode(&mut buf)?, None);
/// # Ok::<(), codec_sse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    limits: Limits,
    comments: bool,
    /// Stream offset of `src[0]`, for errors.
    offset: u64,
    /// 1-based number of the next line to handle, for errors.
    line: u64,
    /// Complete lines taken from `src`, handled from `rpos` on.
    region: Region,
    rpos: usize,
    /// Line ends of the region not yet used.
    ends: LineEnds,
    /// Stream offset of the region's first byte.
    region_offset: u64,
    /// No byte of the stream seen yet: a BOM may still come (maybe split).
    at_start: bool,
    /// The last line ended with a CR that was the last byte available: an LF
    /// arriving next belongs to that line end.
    skip_lf: bool,
    /// Bytes at the front of `src` already searched for a line end.
    scanned: usize,
    /// The unterminated line at the front of `src` cannot matter and is being
    /// dropped as it arrives.
    discarding: bool,
    /// The event being built has a `data` line (its data may still be empty).
    has_data: bool,
    /// The data buffer (§9.2.6), lines joined with LF.
    data: Slot,
    /// Received length of the data buffer so far (joined with LF).
    data_len: usize,
    /// The event type buffer; empty means `message`.
    event_type: Slot,
    /// The current block set the last event ID buffer, to `pending`.
    has_pending: bool,
    pending: Slot,
    /// The last event ID committed by a blank line.
    committed: Slot,
    /// The last comment found (when comments are reported).
    comment: Slot,
    /// The data and type of the event just dispatched (in `data.buf` and
    /// `event_type.buf` when `Val::Buf`).
    data_out: Val,
    type_out: Val,
    error: Option<Error>,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// A decoder with default [`Limits`], comments not reported.
    #[must_use]
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A decoder with the given limits.
    #[must_use]
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            limits,
            comments: false,
            offset: 0,
            line: 1,
            region: Region::default(),
            rpos: 0,
            ends: LineEnds::new(),
            region_offset: 0,
            at_start: true,
            skip_lf: false,
            scanned: 0,
            discarding: false,
            has_data: false,
            data: Slot::default(),
            data_len: 0,
            event_type: Slot::default(),
            has_pending: false,
            pending: Slot::default(),
            committed: Slot::default(),
            comment: Slot::default(),
            data_out: Val::Empty,
            type_out: Val::Empty,
            error: None,
        }
    }

    /// Report comment lines as [`Item::Comment`] (off by default; when off,
    /// comments are skipped without being buffered).
    #[must_use]
    pub fn with_comments(mut self, comments: bool) -> Self {
        self.comments = comments;
        self
    }

    /// Starts with this last event ID, as a reconnecting client does.
    #[must_use]
    pub fn with_last_event_id(mut self, id: impl AsRef<str>) -> Self {
        self.committed.buf.clear();
        self.committed.buf.push_str(id.as_ref());
        self.committed.val = Val::Buf;
        self.has_pending = false;
        self
    }

    /// The limits in force.
    #[must_use]
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The last event ID committed by a blank line: what a reconnect sends in
    /// `Last-Event-ID`.
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.committed.get(self.committed.val, self.region.cur())
    }

    /// Decodes the next item from `src`, removing the bytes it used.
    ///
    /// `Ok(None)` means more input is needed. Complete lines are moved out
    /// of `src` at once (values then share that memory); the bytes of an
    /// unfinished line stay in `src`, unless the line cannot matter (an
    /// unknown field, or a comment nobody asked for): those are dropped as
    /// they arrive.
    ///
    /// # Errors
    ///
    /// [`Error::LineTooLong`] or [`Error::EventTooLarge`] when a limit is
    /// crossed. Errors are sticky: every later call returns the same error.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Item>, Error> {
        Ok(self.next_emit(src)?.map(|e| self.item_owned(e)))
    }

    /// Like [`decode`](Self::decode), but the item borrows the decoder: no
    /// allocation and no reference count per item, so this is the fast way
    /// to read a stream. Drop the item (or copy it with
    /// [`ItemRef::to_item`]) before the next call.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use codec_sse::{Decoder, ItemRef};
    ///
    /// let mut dec = Decoder::new();
    /// let mut buf = BytesMut::from(&b"data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"[..]);
    /// let mut total = 0;
    /// while let Some(item) = dec.decode_ref(&mut buf)? {
    ///     if let ItemRef::Event(ev) = item {
    ///         total += ev.data().len();
    ///     }
    /// }
    /// assert_eq!(total, 14);
    /// # Ok::<(), codec_sse::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`decode`](Self::decode).
    pub fn decode_ref(&mut self, src: &mut BytesMut) -> Result<Option<ItemRef<'_>>, Error> {
        Ok(self.next_emit(src)?.map(|e| self.item_ref(e)))
    }

    /// Like [`decode`](Self::decode), for when the stream has ended: once
    /// every complete line is used, the unterminated line and the event being
    /// built are discarded (an event is dispatched only by a blank line,
    /// §9.2.6) and the decoder is ready for the next stream, keeping the last
    /// committed event ID.
    ///
    /// # Errors
    ///
    /// As for [`decode`](Self::decode).
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Item>, Error> {
        Ok(self.next_emit_eof(src)?.map(|e| self.item_owned(e)))
    }

    /// [`decode_eof`](Self::decode_eof) with borrowed items, as
    /// [`decode_ref`](Self::decode_ref).
    ///
    /// # Errors
    ///
    /// As for [`decode`](Self::decode).
    pub fn decode_eof_ref(&mut self, src: &mut BytesMut) -> Result<Option<ItemRef<'_>>, Error> {
        Ok(self.next_emit_eof(src)?.map(|e| self.item_ref(e)))
    }

    /// Forgets the state of the current stream (keeping the committed last
    /// event ID and the settings), ready for the body of a new connection.
    pub fn reset_stream(&mut self) {
        self.release_region();
        self.offset = 0;
        self.line = 1;
        self.region_offset = 0;
        self.at_start = true;
        self.skip_lf = false;
        self.scanned = 0;
        self.discarding = false;
        self.has_data = false;
        self.data.val = Val::Empty;
        self.data_len = 0;
        self.event_type.val = Val::Empty;
        self.has_pending = false;
        self.error = None;
    }

    fn next_emit(&mut self, src: &mut BytesMut) -> Result<Option<Emit>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.emit_inner(src);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    fn next_emit_eof(&mut self, src: &mut BytesMut) -> Result<Option<Emit>, Error> {
        if let Some(e) = self.next_emit(src)? {
            return Ok(Some(e));
        }
        src.clear();
        self.reset_stream();
        Ok(None)
    }

    fn emit_inner(&mut self, src: &mut BytesMut) -> Result<Option<Emit>, Error> {
        loop {
            if self.rpos < self.region.cur().bytes().len() {
                let region = mem::take(&mut self.region);
                let (mut pos, mut ends) = (self.rpos, self.ends);
                let r = self.lines(region.cur(), &mut pos, &mut ends);
                (self.rpos, self.ends) = (pos, ends);
                self.region = region;
                if let Some(e) = r? {
                    return Ok(Some(e));
                }
            }
            if !self.next_region(src)? {
                return Ok(None);
            }
        }
    }

    /// The borrowed item for what the line loop found.
    fn item_ref(&self, e: Emit) -> ItemRef<'_> {
        self.item_in(self.region.cur(), e)
    }

    /// The owned item for what the line loop found, sharing the region.
    fn item_owned(&self, e: Emit) -> Item {
        let r = &self.region;
        match e {
            Emit::Event => Item::Event(Event::from_parts(
                (self.type_out != Val::Empty).then(|| self.event_type.owned(self.type_out, r)),
                self.data.owned(self.data_out, r),
                Some(self.committed.owned(self.committed.val, r)),
            )),
            Emit::Retry(ms) => Item::Retry(ms),
            Emit::Id => Item::Id(self.committed.owned(self.committed.val, r)),
            Emit::Comment => Item::Comment(self.comment.owned(self.comment.val, r)),
        }
    }

    /// Lets go of the region: values still needed are copied out first, so
    /// that (once the caller drops the items) the caller's buffer is no
    /// longer shared and can be reused in place rather than reallocated on
    /// the next append.
    fn release_region(&mut self) {
        let region = mem::take(&mut self.region);
        self.spill(region.cur());
        self.rpos = 0;
    }

    /// Moves every complete line at the front of `src` into `self.region`,
    /// validating its UTF-8 once. Returns `false` when `src` holds no line end.
    fn next_region(&mut self, src: &mut BytesMut) -> Result<bool, Error> {
        if self.at_start {
            // The UTF-8 decode of the stream strips one leading BOM; its three
            // bytes may arrive in separate chunks.
            let n = src.len().min(3);
            if src[..n] != BOM[..n] {
                self.at_start = false;
            } else if n < 3 {
                return Ok(false);
            } else {
                self.flush(src, 3);
                self.at_start = false;
            }
        }
        if self.skip_lf && !src.is_empty() {
            // The CR already ended the line; this LF is the rest of a CRLF.
            self.skip_lf = false;
            if src[0] == b'\n' {
                self.flush(src, 1);
            }
        }
        let Some(i) = memchr::memrchr2(b'\n', b'\r', &src[self.scanned..]) else {
            self.incomplete(src)?;
            return Ok(false);
        };
        let k = self.scanned + i + 1;
        self.scanned = 0;
        self.release_region();
        let bytes = src.split_to(k).freeze();
        self.region_offset = self.offset;
        self.offset += k as u64;
        self.rpos = 0;
        self.ends = LineEnds::new();
        // Values are cut at ASCII bytes, so when the whole region is valid
        // UTF-8 every value is too and can be shared without a second check.
        self.region = match ByteString::try_from(bytes.clone()) {
            Ok(s) => Region::Valid(s),
            Err(_) => Region::Raw(bytes),
        };
        Ok(true)
    }

    /// No line end in `src`: keep the partial line, drop it, or fail.
    fn incomplete(&mut self, src: &mut BytesMut) -> Result<(), Error> {
        if self.keep_partial(src)? {
            self.scanned = src.len();
        } else {
            src.clear();
        }
        Ok(())
    }

    /// Drops `n` bytes from the front of `src`.
    #[inline]
    fn flush(&mut self, src: &mut BytesMut, n: usize) {
        src.advance(n);
        self.offset += n as u64;
    }
}
