//! Chunked transfer coding decoder (RFC 9112 §7.1), incremental and strict.
//!
//! ```text
//! chunked-body = *chunk last-chunk trailer-section CRLF
//! chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! chunk-size   = 1*HEXDIG
//! last-chunk   = 1*("0") [ chunk-ext ] CRLF
//! ```
//!
//! The chunk-size line is scanned by a resumable byte state machine (not
//! `httparse::parse_chunk_size`, which accepts a bare LF inside an
//! extension: the TERM.EXT smuggling pattern). Bytes of an incomplete line
//! stay in the caller's buffer and are never rescanned. Chunk data is handed
//! out as zero-copy [`Bytes`] as soon as it arrives.
//!
//! Fast paths: when the CRLF after a chunk's data and a plain size line of 1
//! to 4 hex digits are already in the buffer (the common case), one 8-byte
//! window read with table lookups takes both; [`ChunkedDecoder::decode_data`]
//! runs chunk after chunk that way in a loop with its state in registers.
//! They only ever accept lines the scanner accepts the same way; everything
//! else (extensions, whitespace, longer sizes, errors, a line split across
//! reads) goes to the scanner, so strictness and error offsets do not depend
//! on them (tested against the scanner alone in `tests/fast_path.rs`).

use core::ops::Range;

use bytes::{Buf, Bytes, BytesMut};

use crate::chunk_ext::Extensions;
use crate::headers::{parse_field_line, Field, Headers};
use crate::syntax::{is_qdtext, is_quoted_pair_byte, is_tchar, is_ws, HEX};
use crate::{Error, Leniency, Limits};

/// Most hex digits in a chunk size, leading zeros included (16 = 64 bits).
const MAX_SIZE_DIGITS: u32 = 16;

/// The start of one chunk (also sent for the last chunk, with `size == 0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkHeader {
    /// The chunk size in bytes.
    pub size: u64,
    /// The chunk's extensions, if any.
    pub extensions: Extensions,
}

/// What [`ChunkedDecoder::decode`] produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkedEvent {
    /// A chunk-size line was read. `size == 0` is the last chunk.
    Chunk(ChunkHeader),
    /// A piece of chunk data (a chunk may arrive as several pieces).
    Data(Bytes),
    /// The trailer section was read; the body is complete.
    End(Headers),
}

/// One step of [`ChunkedDecoder::decode_slice`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Step {
    /// Bytes of the input used; drop them before the next call.
    pub consumed: usize,
    /// The event, if one completed; `None` means more input is needed.
    pub event: Option<RawEvent>,
}

impl Step {
    fn need_more(consumed: usize) -> Self {
        Self {
            consumed,
            event: None,
        }
    }

    fn shifted(mut self, pos: usize) -> Self {
        let sh = |r: &mut Range<usize>| *r = r.start + pos..r.end + pos;
        self.consumed += pos;
        match &mut self.event {
            Some(RawEvent::Chunk { ext, .. }) => sh(ext),
            Some(RawEvent::Data(r)) => sh(r),
            Some(RawEvent::Trailer { name, value }) => {
                sh(name);
                sh(value);
            }
            Some(RawEvent::End) | None => {}
        }
        self
    }
}

/// An event of the slice API; ranges index into the buffer given to
/// [`ChunkedDecoder::decode_slice`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawEvent {
    /// A chunk-size line (`size == 0`: the last chunk); `ext` is the raw
    /// extension text (empty range when none).
    Chunk {
        /// The chunk size.
        size: u64,
        /// Where the validated extension text is.
        ext: Range<usize>,
    },
    /// Chunk data.
    Data(Range<usize>),
    /// One trailer field line (name and trimmed value).
    Trailer {
        /// The field name.
        name: Range<usize>,
        /// The field value.
        value: Range<usize>,
    },
    /// The trailer section ended: the body is complete.
    End,
}

/// What [`ChunkedDecoder::hot_step`] did.
enum Hot {
    /// This many bytes of chunk data.
    Data(usize),
    /// The CRLF after chunk data and a plain size line, `len` bytes in all.
    Line { len: usize, size: u64 },
}

/// A complete size line, relative to the scanned slice.
struct Line {
    len: usize,
    size: u64,
    ext: Range<usize>,
}

/// Scanner state inside a chunk-size line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ln {
    Digits,
    /// BWS after the size: only `;` (or, leniently, CRLF) may follow.
    SizeWs,
    /// After `;`: BWS, then a name.
    ExtStart,
    ExtName,
    /// BWS after a name: `=` or `;`.
    NameWs,
    /// After `=`: BWS, then a value.
    ValStart,
    TokenVal,
    Quoted,
    QuotedEsc,
    /// Just after a closing quote: `;`, BWS or CRLF.
    AfterQuote,
    /// BWS after a value: only `;` may follow.
    ValWs,
    /// Saw CR, expect LF.
    Cr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Size,
    Data { remaining: u64 },
    DataCr,
    DataLf,
    Trailers,
    Done,
}

/// Incremental chunked-body decoder.
///
/// Feed it the bytes that follow the head; call [`decode`](Self::decode)
/// until it returns `Ok(None)` (needs more input) and call
/// [`decode_eof`](Self::decode_eof) when the input ends. After
/// [`ChunkedEvent::End`], bytes after the body stay in the buffer.
///
/// ```
/// use bytes::BytesMut;
/// use codec_http_longpoll::{ChunkedDecoder, ChunkedEvent};
///
/// let mut dec = ChunkedDecoder::new();
/// let mut buf = BytesMut::from(&b"5;name=v\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"[..]);
/// let mut body = Vec::new();
/// while let Some(ev) = dec.decode(&mut buf)? {
///     match ev {
///         ChunkedEvent::Data(d) => body.extend_from_slice(&d),
///         ChunkedEvent::End(trailers) => assert_eq!(trailers.get("x-sum"), Some(&b"1"[..])),
///         ChunkedEvent::Chunk(_) => {}
///     }
/// }
/// assert_eq!(body, b"hello");
/// assert!(dec.is_done());
/// # Ok::<(), codec_http_longpoll::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ChunkedDecoder {
    state: State,
    limits: Limits,
    leniency: Leniency,
    /// Bytes consumed from the input so far: the base of error offsets.
    consumed: u64,
    // Size-line scanner (resumable; the line's bytes stay in the buffer).
    ln: Ln,
    ln_pos: usize,
    ln_digits: u32,
    ln_size: u64,
    /// Extension bytes counted so far in this message.
    ext_total: usize,
    // Trailer scanner.
    tr_scanned: usize,
    tr_total: usize,
    tr_count: usize,
    trailers: Headers,
    error: Option<Error>,
}

/// CR LF as a little-endian `u16`.
const CRLF: u16 = u16::from_le_bytes(*b"\r\n");

/// The hot path between two chunks: `CRLF 1*4HEXDIG CRLF` at the start of
/// the 8-byte window `w` (the end of one chunk's data and the next plain
/// size line). Returns the length of both lines together and the size, or
/// `None` for anything else (extensions, whitespace, five or more digits,
/// errors): the byte-by-byte scanner then decides, so strictness and error
/// offsets do not depend on this shortcut. Plain table lookups, no SWAR:
/// sizes are one to four digits, and this costs about 6 instructions a digit.
#[inline(always)]
fn crlf_size_crlf(w: &[u8; 8]) -> Option<(usize, u64)> {
    if u16::from_le_bytes([w[0], w[1]]) != CRLF {
        return None;
    }
    let mut size = u64::from(HEX[w[2] as usize]);
    if size > 0xF {
        return None;
    }
    // Up to three more digits, then CR at `i` (3..=6) and LF after it.
    let mut i = 3;
    while i < 7 {
        let b = w[i];
        if b == b'\r' {
            break;
        }
        let d = HEX[b as usize];
        if d > 0xF {
            return None;
        }
        size = (size << 4) | u64::from(d);
        i += 1;
    }
    if i == 7 || w[i + 1] != b'\n' {
        return None;
    }
    Some((i + 2, size))
}

/// The hot loop of [`ChunkedDecoder::decode_data`], with its state in
/// registers: while `rest` holds the rest of the current chunk (`remaining`
/// bytes of data), its CRLF and a plain size line for a next non-last chunk,
/// hand the data to `sink` and move on. Returns how many bytes of `rest` are
/// left; `remaining` is updated to the chunk the loop stopped in. Not
/// inlined: in the big caller it loses its registers to spills.
///
/// Senders usually cut a body into chunks of one size, so the loop keeps the
/// last window it parsed: when the next window starts with the same line
/// bytes, it is the same line, and the size is known without parsing. That
/// takes the parse off the chain from one chunk to the next (the next
/// address no longer waits for table lookups), so the CPU can run ahead.
#[inline(never)]
fn run_chunks(mut rest: &[u8], remaining: &mut u64, sink: &mut impl FnMut(&[u8])) -> usize {
    let mut rem = *remaining;
    // The last line parsed: its window, a mask of its `len` bytes, and what
    // it said. A zero mask matches nothing (`len` is never 0).
    let (mut last, mut last_mask, mut last_len, mut last_size) = (0u64, 0u64, 0usize, 0u64);
    while rem < rest.len() as u64 {
        // `rem < rest.len()`: it fits a usize and the split is in bounds.
        let (data, after) = rest.split_at(rem as usize);
        // The window: CRLF, then the next size line.
        let Some(w) = after.first_chunk::<8>() else {
            break;
        };
        let bits = u64::from_le_bytes(*w);
        let (len, size) = if last_mask != 0 && (bits ^ last) & last_mask == 0 {
            (last_len, last_size)
        } else {
            let Some((len, size)) = crlf_size_crlf(w) else {
                break;
            };
            // The last chunk (size 0) is for the scanner: trailers follow.
            if size == 0 {
                break;
            }
            // `len` is 5..=8 bytes of the window.
            last_mask = u64::MAX >> (64 - 8 * len);
            (last, last_len, last_size) = (bits, len, size);
            (len, size)
        };
        // `len <= 8 <= after.len()`, so `get` never fails.
        let Some(next) = after.get(len..) else {
            break;
        };
        sink(data);
        rest = next;
        rem = size;
    }
    *remaining = rem;
    rest.len()
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ChunkedDecoder {
    /// A strict decoder with default [`Limits`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_config(Limits::default(), Leniency::default())
    }

    /// A decoder with the given limits and leniency.
    #[must_use]
    pub fn with_config(limits: Limits, leniency: Leniency) -> Self {
        Self {
            state: State::Size,
            limits,
            leniency,
            consumed: 0,
            ln: Ln::Digits,
            ln_pos: 0,
            ln_digits: 0,
            ln_size: 0,
            ext_total: 0,
            tr_scanned: 0,
            tr_total: 0,
            tr_count: 0,
            trailers: Headers::new(),
            error: None,
        }
    }

    /// True after [`ChunkedEvent::End`].
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Bytes consumed from the input so far.
    #[must_use]
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Decode the next event from `src`, removing the bytes it used.
    /// `Ok(None)` means more input is needed (or the body is done).
    ///
    /// # Errors
    /// Any violation of RFC 9112 §7.1 not allowed by the [`Leniency`], or a
    /// [`Limits`] overrun. The error is sticky.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ChunkedEvent>, Error> {
        match self.hot_step(src) {
            Some(Hot::Data(n)) => Ok(Some(ChunkedEvent::Data(src.split_to(n).freeze()))),
            Some(Hot::Line { len, size }) => {
                src.advance(len);
                let extensions = Extensions::default();
                Ok(Some(ChunkedEvent::Chunk(ChunkHeader { size, extensions })))
            }
            None => self.decode_general(src),
        }
    }

    /// The two hot steps, straight on the buffer and already accounted for:
    /// the next piece of chunk data, or the CRLF after it with a plain size
    /// line. Neither can fail; `None` for everything else.
    #[inline(always)]
    fn hot_step(&mut self, buf: &[u8]) -> Option<Hot> {
        if self.error.is_some() {
            return None;
        }
        match self.state {
            State::Data { remaining } if !buf.is_empty() => {
                Some(Hot::Data(self.take_data(remaining, buf.len())))
            }
            State::DataCr => {
                let (len, size) = buf.first_chunk().and_then(crlf_size_crlf)?;
                self.consumed += len as u64;
                self.state = if size == 0 {
                    State::Trailers
                } else {
                    State::Data { remaining: size }
                };
                Some(Hot::Line { len, size })
            }
            _ => None,
        }
    }

    /// Take up to `avail` bytes of the current chunk's data (`remaining` of
    /// it left, `avail > 0`): account for them and move to the CRLF after
    /// the data once the chunk is done. Returns how many bytes were taken.
    #[inline(always)]
    fn take_data(&mut self, remaining: u64, avail: usize) -> usize {
        let n = usize::try_from(remaining).unwrap_or(usize::MAX).min(avail);
        self.consumed += n as u64;
        let left = remaining - n as u64;
        self.state = if left == 0 {
            State::DataCr
        } else {
            State::Data { remaining: left }
        };
        n
    }

    /// [`decode`](Self::decode) for every other case, through the slice API.
    #[inline(never)]
    fn decode_general(&mut self, src: &mut BytesMut) -> Result<Option<ChunkedEvent>, Error> {
        loop {
            let step = self.decode_slice(src)?;
            match step.event {
                None => {
                    src.advance(step.consumed);
                    return Ok(None);
                }
                Some(RawEvent::Data(r)) => {
                    src.advance(r.start);
                    return Ok(Some(ChunkedEvent::Data(src.split_to(r.len()).freeze())));
                }
                Some(RawEvent::Chunk { size, ext }) => {
                    let extensions = if ext.is_empty() {
                        src.advance(step.consumed);
                        Extensions::default()
                    } else {
                        let line = src.split_to(step.consumed).freeze();
                        Extensions::from_validated(line.slice(ext))
                    };
                    return Ok(Some(ChunkedEvent::Chunk(ChunkHeader { size, extensions })));
                }
                Some(RawEvent::Trailer { name, value }) => {
                    let line = src.split_to(step.consumed).freeze();
                    self.trailers
                        .push_field(Field::from_parts(line.slice(name), line.slice(value)));
                }
                Some(RawEvent::End) => {
                    src.advance(step.consumed);
                    let trailers = core::mem::take(&mut self.trailers);
                    return Ok(Some(ChunkedEvent::End(trailers)));
                }
            }
        }
    }

    /// Like [`decode`](Self::decode), for when the input has ended: a body
    /// that is not complete is an error ([`Error::UnexpectedEof`]).
    ///
    /// # Errors
    /// As `decode`, plus `UnexpectedEof` when the last chunk or the trailer
    /// section is missing.
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<ChunkedEvent>, Error> {
        match self.decode(src)? {
            Some(ev) => Ok(Some(ev)),
            None => self.check_eof(src.len()).map(|()| None),
        }
    }

    /// End of input for the slice API: `unconsumed` bytes are still held by
    /// the caller. Fails unless the body is complete.
    ///
    /// # Errors
    /// [`Error::UnexpectedEof`] (sticky) when the body is not complete.
    pub fn check_eof(&mut self, unconsumed: usize) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.state == State::Done {
            return Ok(());
        }
        let e = Error::UnexpectedEof {
            offset: self.consumed + unconsumed as u64,
        };
        self.error = Some(e.clone());
        Err(e)
    }

    /// The allocation-free core, over a borrowed buffer (rustls-style
    /// "discard" contract). Returns how many bytes of `buf` were used and
    /// at most one event whose ranges index into `buf`. The caller MUST drop
    /// exactly `consumed` bytes from the front of its buffer before the next
    /// call, and MUST keep the rest: an incomplete chunk-size line is left
    /// in place and its scan resumes where it stopped. `event == None`
    /// means more input is needed. Trailer fields come one per
    /// [`RawEvent::Trailer`]; [`RawEvent::End`] closes the body.
    ///
    /// ```
    /// use codec_http_longpoll::{ChunkedDecoder, RawEvent};
    ///
    /// let wire = b"3\r\nabc\r\n0\r\n\r\n";
    /// let (mut dec, mut pos, mut body) = (ChunkedDecoder::new(), 0, Vec::new());
    /// loop {
    ///     let step = dec.decode_slice(&wire[pos..])?;
    ///     let base = pos;
    ///     pos += step.consumed;
    ///     match step.event {
    ///         Some(RawEvent::Data(r)) => body.extend_from_slice(&wire[base..][r]),
    ///         Some(RawEvent::End) | None => break,
    ///         Some(_) => {}
    ///     }
    /// }
    /// assert_eq!(body, b"abc");
    /// assert!(dec.is_done());
    /// # Ok::<(), codec_http_longpoll::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`decode`](Self::decode).
    #[inline]
    pub fn decode_slice(&mut self, buf: &[u8]) -> Result<Step, Error> {
        match self.hot_step(buf) {
            Some(Hot::Data(n)) => {
                let event = Some(RawEvent::Data(0..n));
                return Ok(Step { consumed: n, event });
            }
            Some(Hot::Line { len, size }) => {
                let event = Some(RawEvent::Chunk { size, ext: 0..0 });
                return Ok(Step {
                    consumed: len,
                    event,
                });
            }
            None => {}
        }
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.step(buf);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    /// The fastest way through a body: like [`decode_slice`](Self::decode_slice),
    /// but it keeps going through data and through chunk-size lines that
    /// carry no extension, handing each data piece to `sink`, and returns at
    /// anything else (a chunk with extensions, the last chunk, a trailer, the
    /// end) or when it needs more input. The same "drop `consumed` bytes"
    /// contract applies; ranges in the returned event index into `buf`.
    ///
    /// # Errors
    /// As [`decode`](Self::decode).
    pub fn decode_data(&mut self, buf: &[u8], mut sink: impl FnMut(&[u8])) -> Result<Step, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let mut pos = 0;
        loop {
            if let State::Data { mut remaining } = self.state {
                let rest = run_chunks(&buf[pos..], &mut remaining, &mut sink);
                let used = buf.len() - pos - rest;
                if used != 0 {
                    self.consumed += used as u64;
                    self.state = State::Data { remaining };
                    pos += used;
                }
            }
            let step = match self.step(&buf[pos..]) {
                Ok(s) => s,
                Err(e) => {
                    self.error = Some(e.clone());
                    return Err(e);
                }
            };
            match step.event {
                Some(RawEvent::Data(r)) => {
                    sink(&buf[pos..][r]);
                    pos += step.consumed;
                }
                Some(RawEvent::Chunk { size, ref ext }) if size != 0 && ext.is_empty() => {
                    pos += step.consumed;
                }
                _ => return Ok(step.shifted(pos)),
            }
        }
    }

    fn err_at(&self, i: usize) -> u64 {
        self.consumed + i as u64
    }

    #[inline]
    fn step(&mut self, buf: &[u8]) -> Result<Step, Error> {
        let mut pos = 0;
        loop {
            let b = &buf[pos..];
            match self.state {
                State::Size => {
                    let fast = if self.ln_pos == 0 {
                        self.fast_line(b, 0)
                    } else {
                        None
                    };
                    let line = match fast {
                        Some(l) => Some(l),
                        None => self.size_line_slow(b)?,
                    };
                    return Ok(match line {
                        Some(l) => self.line_done(pos, l),
                        None => Step::need_more(pos),
                    });
                }
                State::Data { remaining } => {
                    if b.is_empty() {
                        return Ok(Step::need_more(pos));
                    }
                    let n = self.take_data(remaining, b.len());
                    return Ok(Step {
                        consumed: pos + n,
                        event: Some(RawEvent::Data(pos..pos + n)),
                    });
                }
                State::DataCr => {
                    let Some(&c) = b.first() else {
                        return Ok(Step::need_more(pos));
                    };
                    match c {
                        b'\r' => {
                            // Hot path: CRLF and the next size line in one go.
                            if let Some((len, size)) = b.first_chunk().and_then(crlf_size_crlf) {
                                let ext = 0..0;
                                return Ok(self.line_done(pos, Line { len, size, ext }));
                            }
                            if b.get(1) == Some(&b'\n') {
                                if let Some(l) = self.fast_line(b, 2) {
                                    return Ok(self.line_done(pos, l));
                                }
                            }
                            self.consumed += 1;
                            pos += 1;
                            self.state = State::DataLf;
                        }
                        b'\n' if self.leniency.allow_optional_cr_before_lf => {
                            self.consumed += 1;
                            pos += 1;
                            self.state = State::Size;
                        }
                        // llhttp OPTIONAL_CRLF_AFTER_CHUNK: the next size line starts here.
                        _ if self.leniency.allow_optional_crlf_after_chunk => {
                            self.state = State::Size;
                        }
                        // RFC 9112 §7.1: chunk-data is followed by CRLF; anything
                        // else means the sender and we disagree on the chunk
                        // length (h11 CVE-2025-43859).
                        _ => {
                            return Err(Error::MissingChunkCrlf {
                                offset: self.err_at(0),
                            })
                        }
                    }
                }
                State::DataLf => {
                    let Some(&c) = b.first() else {
                        return Ok(Step::need_more(pos));
                    };
                    if c == b'\n' {
                        self.consumed += 1;
                        pos += 1;
                    } else if !self.leniency.allow_optional_lf_after_cr {
                        return Err(Error::ExpectedLf {
                            offset: self.err_at(0),
                        });
                    }
                    self.state = State::Size;
                }
                State::Trailers => return Ok(self.trailer_line(b)?.shifted(pos)),
                State::Done => return Ok(Step::need_more(pos)),
            }
        }
    }

    /// A size line was read from `buf[pos..]`: account for it and report it.
    #[inline]
    fn line_done(&mut self, pos: usize, l: Line) -> Step {
        self.consumed += l.len as u64;
        self.state = if l.size == 0 {
            State::Trailers
        } else {
            State::Data { remaining: l.size }
        };
        Step {
            consumed: pos + l.len,
            event: Some(RawEvent::Chunk {
                size: l.size,
                ext: pos + l.ext.start..pos + l.ext.end,
            }),
        }
    }

    /// The hot path: `skip` bytes (the CRLF after the previous chunk's data,
    /// or nothing) then a whole `1*16HEXDIG CRLF` line.
    #[inline]
    fn fast_line(&self, b: &[u8], skip: usize) -> Option<Line> {
        let buf = b.get(skip..)?;
        let mut size = 0u64;
        let mut i = 0;
        let max = buf.len().min(MAX_SIZE_DIGITS as usize);
        while i < max {
            let d = HEX[buf[i] as usize];
            if d == 0xFF {
                break;
            }
            size = (size << 4) | u64::from(d);
            i += 1;
        }
        if i == 0 || buf.get(i..i + 2) != Some(b"\r\n") {
            return None;
        }
        Some(Line {
            len: skip + i + 2,
            size,
            ext: 0..0,
        })
    }

    fn size_line_slow(&mut self, buf: &[u8]) -> Result<Option<Line>, Error> {
        // Extension bytes still allowed in this message (RFC 9112 §7.1.1 sets no
        // bound; Node and hyper use 16 KiB, CVE-2024-22019). Checked per byte so the
        // error and its offset do not depend on how the input was split.
        let budget = self.limits.max_chunk_ext_len.saturating_sub(self.ext_total);
        let mut i = self.ln_pos;
        while i < buf.len() {
            let b = buf[i];
            let at = self.err_at(i);
            let bad_ext = Error::InvalidChunkExtension { offset: at };
            let is_ext_byte = match self.ln {
                Ln::Digits => HEX[b as usize] == 0xFF && b != b'\r' && b != b'\n',
                Ln::Cr => false,
                _ => b != b'\r' && b != b'\n',
            };
            if is_ext_byte && i - self.ln_digits as usize >= budget {
                return Err(Error::ChunkExtensionsTooLarge {
                    offset: at,
                    max: self.limits.max_chunk_ext_len,
                });
            }
            match self.ln {
                Ln::Digits => {
                    let d = HEX[b as usize];
                    if d != 0xFF {
                        if self.ln_digits == MAX_SIZE_DIGITS {
                            return Err(Error::ChunkSizeOverflow { offset: at });
                        }
                        self.ln_size = (self.ln_size << 4) | u64::from(d);
                        self.ln_digits += 1;
                    } else if self.ln_digits == 0 {
                        return Err(Error::InvalidChunkSize { offset: at });
                    } else {
                        match b {
                            b';' => self.ln = Ln::ExtStart,
                            b' ' | b'\t' => self.ln = Ln::SizeWs,
                            b'\r' => self.ln = Ln::Cr,
                            b'\n' => return self.bare_lf(buf, i),
                            _ => return Err(Error::InvalidChunkSize { offset: at }),
                        }
                    }
                }
                // RFC 9112 §7.1.1: BWS is only allowed before `;`. `5 \r\n`,
                // `1 A`, `2 xyz` are rejected (llhttp LH-08, LH-26, LH-32).
                Ln::SizeWs => match b {
                    b' ' | b'\t' => {}
                    b';' => self.ln = Ln::ExtStart,
                    b'\r' if self.leniency.allow_spaces_after_chunk_size => self.ln = Ln::Cr,
                    b'\n' if self.leniency.allow_spaces_after_chunk_size => {
                        return self.bare_lf(buf, i)
                    }
                    _ => return Err(Error::InvalidChunkSize { offset: at }),
                },
                Ln::ExtStart => match b {
                    b' ' | b'\t' => {}
                    _ if is_tchar(b) => self.ln = Ln::ExtName,
                    // `2;\r\n`, `;;`: an empty extension (llhttp LH-09).
                    _ => return Err(bad_ext),
                },
                Ln::ExtName => match b {
                    _ if is_tchar(b) => {}
                    b' ' | b'\t' => self.ln = Ln::NameWs,
                    b'=' => self.ln = Ln::ValStart,
                    b';' => self.ln = Ln::ExtStart,
                    b'\r' => self.ln = Ln::Cr,
                    b'\n' => return self.bare_lf(buf, i),
                    _ => return Err(bad_ext),
                },
                Ln::NameWs => match b {
                    b' ' | b'\t' => {}
                    b'=' => self.ln = Ln::ValStart,
                    b';' => self.ln = Ln::ExtStart,
                    _ => return Err(bad_ext),
                },
                Ln::ValStart => match b {
                    b' ' | b'\t' => {}
                    b'"' => self.ln = Ln::Quoted,
                    _ if is_tchar(b) => self.ln = Ln::TokenVal,
                    _ => return Err(bad_ext),
                },
                Ln::TokenVal => match b {
                    _ if is_tchar(b) => {}
                    b' ' | b'\t' => self.ln = Ln::ValWs,
                    b';' => self.ln = Ln::ExtStart,
                    b'\r' => self.ln = Ln::Cr,
                    b'\n' => return self.bare_lf(buf, i),
                    _ => return Err(bad_ext),
                },
                // A CR or LF inside quotes is an unbalanced quote (llhttp LH-11).
                Ln::Quoted => match b {
                    b'"' => self.ln = Ln::AfterQuote,
                    b'\\' => self.ln = Ln::QuotedEsc,
                    _ if is_qdtext(b) => {}
                    _ => return Err(bad_ext),
                },
                Ln::QuotedEsc => {
                    if !is_quoted_pair_byte(b) {
                        return Err(bad_ext);
                    }
                    self.ln = Ln::Quoted;
                }
                Ln::AfterQuote => match b {
                    b';' => self.ln = Ln::ExtStart,
                    b' ' | b'\t' => self.ln = Ln::ValWs,
                    b'\r' => self.ln = Ln::Cr,
                    b'\n' => return self.bare_lf(buf, i),
                    _ => return Err(bad_ext),
                },
                Ln::ValWs => match b {
                    b' ' | b'\t' => {}
                    b';' => self.ln = Ln::ExtStart,
                    _ => return Err(bad_ext),
                },
                Ln::Cr => {
                    if b == b'\n' {
                        return self.complete(buf, i + 1, i - 1);
                    }
                    // llhttp OPTIONAL_LF_AFTER_CR: the CR alone ends the line;
                    // this byte belongs to the chunk data.
                    if self.leniency.allow_optional_lf_after_cr {
                        return self.complete(buf, i, i - 1);
                    }
                    return Err(Error::ExpectedLf { offset: at });
                }
            }
            i += 1;
        }
        self.ln_pos = i;
        Ok(None)
    }

    /// A LF with no CR before it ended the size line at `i`.
    fn bare_lf(&mut self, buf: &[u8], i: usize) -> Result<Option<Line>, Error> {
        if !self.leniency.allow_optional_cr_before_lf {
            return Err(Error::BareLf {
                offset: self.err_at(i),
            });
        }
        self.complete(buf, i + 1, i)
    }

    /// The line is `len` bytes; its content (size + extensions) ends at `end`.
    fn complete(&mut self, buf: &[u8], len: usize, end: usize) -> Result<Option<Line>, Error> {
        let digits = self.ln_digits as usize;
        self.ext_total += end - digits;
        if self.ext_total > self.limits.max_chunk_ext_len {
            return Err(Error::ChunkExtensionsTooLarge {
                offset: self.err_at(end),
                max: self.limits.max_chunk_ext_len,
            });
        }
        // Trailing BWS before CRLF (lenient only) is not part of the extensions.
        let mut ext_end = end;
        while ext_end > digits && is_ws(buf[ext_end - 1]) {
            ext_end -= 1;
        }
        let ext = if ext_end > digits {
            digits..ext_end
        } else {
            0..0
        };
        let size = self.ln_size;
        // Ready for the next line (the fast paths never touch this state).
        self.ln = Ln::Digits;
        self.ln_pos = 0;
        self.ln_digits = 0;
        self.ln_size = 0;
        Ok(Some(Line { len, size, ext }))
    }

    /// Read one trailer line, or the empty line that ends the body.
    fn trailer_line(&mut self, buf: &[u8]) -> Result<Step, Error> {
        // The first byte past the limit is at `budget`, whatever the split.
        let budget = self.limits.max_trailer_len - self.tr_total;
        let too_large = Error::TrailersTooLarge {
            offset: self.err_at(budget),
            max: self.limits.max_trailer_len,
        };
        let Some(rel) = memchr::memchr(b'\n', &buf[self.tr_scanned..]) else {
            self.tr_scanned = buf.len();
            if buf.len() > budget {
                return Err(too_large);
            }
            return Ok(Step::need_more(0));
        };
        let lf = self.tr_scanned + rel;
        let total = lf + 1;
        if total > budget {
            return Err(too_large);
        }
        // RFC 9112 §2.2: lines end in CRLF; a bare LF is only accepted with
        // allow_optional_cr_before_lf.
        let content_end = if lf > 0 && buf[lf - 1] == b'\r' {
            lf - 1
        } else if self.leniency.allow_optional_cr_before_lf {
            lf
        } else {
            return Err(Error::BareLf {
                offset: self.err_at(lf),
            });
        };
        let line = &buf[..content_end];
        if let Some(cr) = memchr::memchr(b'\r', line) {
            // A bare CR inside a trailer line (hyper `bad\r\r\n` case).
            return Err(Error::InvalidTrailer {
                offset: self.err_at(cr),
            });
        }
        self.tr_scanned = 0;
        if content_end == 0 {
            self.consumed += total as u64;
            self.state = State::Done;
            return Ok(Step {
                consumed: total,
                event: Some(RawEvent::End),
            });
        }
        if self.tr_count >= self.limits.max_trailers {
            return Err(Error::TooManyTrailers {
                offset: self.consumed,
                max: self.limits.max_trailers,
            });
        }
        let (name_end, vs, ve) = parse_field_line(line).map_err(|i| Error::InvalidTrailer {
            offset: self.err_at(i),
        })?;
        self.consumed += total as u64;
        self.tr_total += total;
        self.tr_count += 1;
        Ok(Step {
            consumed: total,
            event: Some(RawEvent::Trailer {
                name: 0..name_end,
                value: vs..ve,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// The slow path alone: a decoder between two chunks (just after a
    /// chunk's data) fed `w` one byte at a time, keeping unconsumed bytes as
    /// the slice API requires. One byte at a time never takes a fast path.
    /// Returns the first event as `(bytes used, size)` for a plain size line,
    /// `Err(())` for an error or a line with extensions or no event.
    fn slow_line(w: &[u8], leniency: Leniency) -> Result<(usize, u64), ()> {
        let mut dec = ChunkedDecoder::with_config(Limits::default(), leniency);
        dec.state = State::DataCr;
        let (mut held, mut used) = (Vec::new(), 0);
        for &b in w {
            held.push(b);
            let step = dec.decode_slice(&held).map_err(drop)?;
            used += step.consumed;
            held.drain(..step.consumed);
            match step.event {
                None => {}
                Some(RawEvent::Chunk { size, ext }) if ext.is_empty() => return Ok((used, size)),
                Some(_) => return Err(()),
            }
        }
        Err(())
    }

    /// Every 8-byte window over an alphabet of the bytes that matter: when
    /// the fast path accepts, the byte-by-byte scanner reads exactly the
    /// same line (length and size) in strict and in lenient mode; and it
    /// accepts every strict plain line of 1 to 4 digits that fits.
    #[test]
    fn window_fast_path_agrees_with_scanner() {
        const ALPHABET: &[u8] = b"07aFg\r\n ;";
        let mut w = *b"\r\n000000";
        let n = ALPHABET.len();
        let (mut accepted, mut total) = (0, 0);
        for mut k in 0..n.pow(6) {
            for b in &mut w[2..] {
                *b = ALPHABET[k % n];
                k /= n;
            }
            total += 1;
            let fast = crlf_size_crlf(&w);
            let strict = slow_line(&w, Leniency::default());
            if let Some((len, size)) = fast {
                accepted += 1;
                assert_eq!(strict, Ok((len, size)), "{w:?}");
                assert_eq!(slow_line(&w, Leniency::all()), Ok((len, size)), "{w:?}");
            } else if let Ok((len, _)) = strict {
                // Declined only when the line does not fit with its CRLF: 5+ digits.
                assert!(len > 8 || w[2..len - 2].len() > 4, "{w:?} declined");
            }
        }
        assert!(accepted > 1000 && accepted < total, "{accepted} of {total}");
        // The CRLF after the data is part of the window.
        assert_eq!(crlf_size_crlf(b"\r\n40\r\nxx"), Some((6, 0x40)));
        assert_eq!(crlf_size_crlf(b"\r\nffff\r\n"), Some((8, 0xffff)));
        assert_eq!(
            crlf_size_crlf(b"\r\n0\r\n\r\nx"[..8].try_into().unwrap()),
            Some((5, 0))
        );
        assert_eq!(crlf_size_crlf(b"\n\r40\r\nxx"), None);
        assert_eq!(crlf_size_crlf(b"\r\n1ffff\r"), None);
        assert_eq!(crlf_size_crlf(b"\r\n4 \r\nxx"), None);
        assert_eq!(crlf_size_crlf(b"\r\n4\nxxxx"), None);
    }
}
