//! The streaming event stream decoder (WHATWG HTML §9.2.6), shaped like
//! tokio-util's `Decoder`.
//!
//! Each call moves the complete lines at the front of the caller's
//! [`BytesMut`] out in one step (a "region", checked as UTF-8 once), then
//! handles them line by line; values are slices of the region, so the input
//! is shared rather than copied. An unfinished line stays in the caller's
//! buffer with a cursor, so no byte is searched twice.

use alloc::string::String;
use bytes::{Buf, Bytes, BytesMut};
use bytestring::ByteString;
use core::mem;

use crate::event::{Event, Item};
use crate::field::{self, Field};
use crate::{Error, Limits};

/// UTF-8 byte order mark, stripped once at the start of a stream.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// The data buffer of the event being built.
#[derive(Debug, Default)]
enum Data {
    /// No `data` line yet: a blank line dispatches nothing.
    #[default]
    None,
    /// Exactly one `data` line, whose value is `region[start..end]`.
    At(usize, usize),
    /// Exactly one `data` line from an earlier region (zero-copy).
    One(ByteString),
    /// Several lines, joined with LF in `Decoder::data_buf`, all valid UTF-8.
    Many,
}

/// Complete lines moved out of the caller's buffer, shared by the values
/// cut from them.
#[derive(Debug)]
enum Region {
    /// Valid UTF-8: values are slices of it.
    Valid(ByteString),
    /// Holds invalid UTF-8: each value is decoded on its own, with U+FFFD.
    Raw(Bytes),
}

impl Default for Region {
    fn default() -> Self {
        Self::Valid(ByteString::new())
    }
}

impl Region {
    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Valid(s) => s.as_bytes(),
            Self::Raw(b) => b,
        }
    }

    /// Appends the value `self[start..end]` as UTF-8 (invalid sequences
    /// replaced) to `out`.
    fn push_text(&self, start: usize, end: usize, out: &mut BytesMut) {
        match self {
            Self::Valid(s) => out.extend_from_slice(&s.as_bytes()[start..end]),
            Self::Raw(b) => {
                out.extend_from_slice(String::from_utf8_lossy(&b[start..end]).as_bytes())
            }
        }
    }

    /// The value `self[start..end]` as text, sharing the region.
    #[inline]
    fn field(&self, start: usize, end: usize) -> ByteString {
        if start == end {
            return ByteString::new();
        }
        match self {
            // Values start and end next to ASCII bytes, so these are char
            // boundaries; `get` keeps it panic-free regardless.
            Self::Valid(s) => match s.get(start..end) {
                Some(v) => s.slice_ref(v),
                None => field::text(s.as_bytes().slice(start..end)),
            },
            Self::Raw(b) => field::text(b.slice(start..end)),
        }
    }
}

/// A Sans-IO decoder for `text/event-stream` bodies.
///
/// Call [`decode`](Self::decode) whenever bytes were appended to the buffer,
/// until it returns `Ok(None)`; call [`decode_eof`](Self::decode_eof) when the
/// body ends. Any split of the input gives the same items.
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
#[derive(Debug)]
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
    data: Data,
    data_buf: BytesMut,
    /// Length of the data buffer so far (joined with LF).
    data_len: usize,
    event_type: Option<ByteString>,
    /// The last event type seen, reused when the next one is equal.
    last_type: ByteString,
    /// The current block set the last event ID buffer.
    block_has_id: bool,
    /// The last event ID buffer (§9.2.6).
    id_buf: ByteString,
    /// The last committed id while `id_buf` holds an uncommitted change.
    committed: Option<ByteString>,
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
            region_offset: 0,
            at_start: true,
            skip_lf: false,
            scanned: 0,
            discarding: false,
            data: Data::None,
            data_buf: BytesMut::new(),
            data_len: 0,
            event_type: None,
            last_type: ByteString::new(),
            block_has_id: false,
            id_buf: ByteString::new(),
            committed: None,
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
    pub fn with_last_event_id(mut self, id: impl Into<ByteString>) -> Self {
        self.id_buf = id.into();
        self.committed = None;
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
    pub fn last_event_id(&self) -> &ByteString {
        self.committed.as_ref().unwrap_or(&self.id_buf)
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
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.decode_inner(src);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
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
        if let Some(item) = self.decode(src)? {
            return Ok(Some(item));
        }
        src.clear();
        self.reset_stream();
        Ok(None)
    }

    /// Forgets the state of the current stream (keeping the committed last
    /// event ID and the settings), ready for the body of a new connection.
    pub fn reset_stream(&mut self) {
        self.offset = 0;
        self.line = 1;
        self.region = Region::default();
        self.rpos = 0;
        self.region_offset = 0;
        self.at_start = true;
        self.skip_lf = false;
        self.scanned = 0;
        self.discarding = false;
        self.data = Data::None;
        self.data_buf.clear();
        self.data_len = 0;
        self.event_type = None;
        self.block_has_id = false;
        if let Some(c) = self.committed.take() {
            self.id_buf = c;
        }
        self.error = None;
    }

    fn decode_inner(&mut self, src: &mut BytesMut) -> Result<Option<Item>, Error> {
        loop {
            if self.rpos < self.region.bytes().len() {
                if let Some(item) = self.region_lines()? {
                    return Ok(Some(item));
                }
                self.release_region();
            }
            if !self.next_region(src)? {
                return Ok(None);
            }
        }
    }

    /// Lets go of a used-up region, so that (once the caller drops the items)
    /// the caller's buffer is no longer shared and can be reused in place
    /// rather than reallocated on the next append.
    fn release_region(&mut self) {
        if let Data::At(a, b) = self.data {
            // The event continues past this region: keep its data alive.
            self.data = Data::One(self.region.field(a, b));
        }
        self.region = Region::default();
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
        let len = src.len();
        if self.discarding || !field::may_matter(&src[..len.min(6)], self.comments) {
            // An unknown field or an unwanted comment: skip without buffering.
            self.discarding = true;
            self.flush(src, len);
            self.scanned = 0;
            return Ok(());
        }
        let at = self.offset;
        if len > self.limits.line_len() {
            return Err(self.line_too_long(at));
        }
        if let (Field::Data, vstart) = field::classify(src) {
            // Enforce the event limit as the bytes of a data line arrive.
            let sep = usize::from(!matches!(self.data, Data::None));
            if self.data_len.saturating_add(sep + len - vstart) > self.limits.event_len() {
                return Err(self.event_too_large(at));
            }
        }
        self.scanned = len;
        Ok(())
    }

    fn line_too_long(&self, offset: u64) -> Error {
        Error::LineTooLong {
            line: self.line,
            offset,
            max: self.limits.line_len(),
        }
    }

    fn event_too_large(&self, offset: u64) -> Error {
        Error::EventTooLarge {
            line: self.line,
            offset,
            max: self.limits.event_len(),
        }
    }

    /// Drops `n` bytes from the front of `src`.
    #[inline]
    fn flush(&mut self, src: &mut BytesMut, n: usize) {
        src.advance(n);
        self.offset += n as u64;
    }

    /// Handles the lines of the region from `rpos` until one yields an item
    /// or the region is used up.
    fn region_lines(&mut self) -> Result<Option<Item>, Error> {
        let region = mem::take(&mut self.region);
        let r = self.lines_of(&region);
        self.region = region;
        r
    }

    fn lines_of(&mut self, region: &Region) -> Result<Option<Item>, Error> {
        let buf = region.bytes();
        let mut pos = self.rpos;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &buf[pos..]) {
            let end = pos + i;
            let mut next = end + 1;
            if buf[end] == b'\r' {
                // A CR ends the line at once; one LF right after it is part of
                // the same line end, even when it has not arrived yet.
                match buf.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
            if self.discarding {
                // The rest of a line already found not to matter.
                self.discarding = false;
            } else {
                let item = self.line(region, pos, end)?;
                if item.is_some() {
                    self.line += 1;
                    self.rpos = next;
                    return Ok(item);
                }
            }
            self.line += 1;
            pos = next;
        }
        self.rpos = buf.len();
        Ok(None)
    }

    /// Handles the complete line `region[pos..end]`.
    #[inline]
    fn line(&mut self, region: &Region, pos: usize, end: usize) -> Result<Option<Item>, Error> {
        if end == pos {
            return Ok(self.dispatch(region));
        }
        let buf = region.bytes();
        let line = &buf[pos..end];
        if line.len() > self.limits.line_len()
            && field::may_matter(&line[..line.len().min(6)], self.comments)
        {
            // Same rule as for an unfinished line: only lines that matter count.
            return Err(self.line_too_long(self.region_offset + pos as u64));
        }
        let (f, v) = field::classify(line);
        let vstart = pos + v;
        let value = &buf[vstart..end];
        match f {
            Field::Data => self.data_line(region, pos, vstart, end)?,
            Field::Event => {
                self.event_type = if value.is_empty() {
                    // `event:` with an empty value: the type defaults again.
                    None
                } else if *value == *self.last_type.as_bytes().as_ref() {
                    Some(self.last_type.clone())
                } else {
                    self.last_type = region.field(vstart, end);
                    Some(self.last_type.clone())
                };
            }
            // §9.2.6: an id containing U+0000 NULL is ignored.
            Field::Id if memchr::memchr(0, value).is_none() => {
                self.block_has_id = true;
                if *value != *self.id_buf.as_bytes().as_ref() {
                    let old = mem::replace(&mut self.id_buf, region.field(vstart, end));
                    if self.committed.is_none() {
                        self.committed = Some(old);
                    }
                }
            }
            Field::Retry => return Ok(field::parse_retry(value).map(Item::Retry)),
            Field::Comment if self.comments => {
                return Ok(Some(Item::Comment(region.field(vstart, end))));
            }
            Field::Id | Field::Comment | Field::Other => {}
        }
        Ok(None)
    }

    /// A `data` line: append to the data buffer (§9.2.6), sharing the input
    /// while the event has a single line.
    fn data_line(
        &mut self,
        region: &Region,
        pos: usize,
        vstart: usize,
        end: usize,
    ) -> Result<(), Error> {
        let vlen = end - vstart;
        let sep = usize::from(!matches!(self.data, Data::None));
        let total = self.data_len.saturating_add(vlen + sep);
        if total > self.limits.event_len() {
            return Err(self.event_too_large(self.region_offset + pos as u64));
        }
        self.data_len = total;
        match mem::replace(&mut self.data, Data::Many) {
            Data::None => self.data = Data::At(vstart, end),
            first => {
                if !matches!(first, Data::Many) {
                    let need = total + 1;
                    if self.data_buf.capacity() < need {
                        // Amortise: later events' data are split off the same block.
                        self.data_buf.reserve(need.max(8 * 1024));
                    }
                }
                match first {
                    Data::At(a, b) => region.push_text(a, b, &mut self.data_buf),
                    Data::One(s) => self.data_buf.extend_from_slice(s.as_bytes()),
                    Data::None | Data::Many => {}
                }
                self.data_buf.reserve(vlen + 1);
                self.data_buf.extend_from_slice(b"\n");
                region.push_text(vstart, end, &mut self.data_buf);
            }
        }
        Ok(())
    }

    /// §9.2.6 "dispatch the event", run by a blank line.
    fn dispatch(&mut self, region: &Region) -> Option<Item> {
        // Step 1: the last event ID buffer becomes the last event ID string.
        self.committed = None;
        let had_id = mem::take(&mut self.block_has_id);
        let event_type = self.event_type.take();
        self.data_len = 0;
        let data = match mem::take(&mut self.data) {
            // Step 2: nothing to dispatch, but the id commit is reported.
            Data::None => return had_id.then(|| Item::Id(self.id_buf.clone())),
            Data::At(a, b) => region.field(a, b),
            Data::One(s) => s,
            // Step 3 (drop the final LF) holds by construction: LF is only
            // written between lines. Every piece was valid or replaced, so
            // this cannot fail; the fallback keeps it panic-free.
            Data::Many => ByteString::try_from(self.data_buf.split()).unwrap_or_default(),
        };
        Some(Item::Event(Event::from_parts(
            event_type,
            data,
            Some(self.id_buf.clone()),
        )))
    }
}
