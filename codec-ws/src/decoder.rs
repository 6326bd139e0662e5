//! The incremental frame decoder: validates frames against the connection's role,
//! extensions and limits as bytes arrive, and hands out unmasked zero-copy payloads.

use alloc::boxed::Box;
use core::ops::Range;

use bytes::{Buf, Bytes, BytesMut};

use crate::close::CloseFrame;
use crate::error::Error;
use crate::frame::{parse_at, FrameHeader, OpCode, MAX_HEADER_LEN};
use crate::limits::Limits;
use crate::mask::{apply_mask, apply_mask_ascii, extend_masked, mask_word};
use crate::message::{InlineBuf, Payload, INLINE_PAYLOAD};
use crate::utf8::{is_ascii, validate_whole, Utf8Validator};
use crate::Role;

/// Frames at least this long that are not whole in the input buffer, and would not fit in
/// its free capacity, have their payload copied (and unmasked on the way) into the spill
/// buffer of [`Decoder::decode_spill`] as it arrives, instead of making the input buffer
/// grow and move: one pass over the payload instead of an unmask pass plus a move.
const SPILL_MIN: usize = 4 << 10;

/// A spill buffer that held a message longer than this is released when the message is
/// handed out (the message keeps its memory alive as long as the caller holds it); a
/// smaller one is kept and reused.
pub(crate) const SPILL_KEEP: usize = 64 << 10;

/// A decoded frame with its payload unmasked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The opcode as sent (continuation frames keep [`OpCode::Continuation`]).
    pub opcode: OpCode,
    /// FIN: the last frame of its message.
    pub fin: bool,
    /// RSV1 on the first frame of a message: the message is compressed (RFC 7692).
    pub compressed: bool,
    /// The unmasked payload. For uncompressed text, the bytes seen so far in the message
    /// are valid UTF-8 (a character may continue in the next fragment).
    pub payload: Bytes,
}

/// A frame decoded in place by [`Decoder::decode_slice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameRef {
    /// The opcode as sent.
    pub opcode: OpCode,
    /// FIN: the last frame of its message.
    pub fin: bool,
    /// RSV1 on the first frame of a message: the message is compressed (RFC 7692).
    pub compressed: bool,
    /// Where the unmasked payload sits in the buffer.
    pub payload: Range<usize>,
    /// Bytes the frame took (header + payload).
    pub consumed: usize,
}

/// Unmasks a whole payload in place (payload byte 0 at `piece[0]`); for text also finds
/// whether it is all ASCII, in the same pass (then it needs no UTF-8 validation).
#[inline(always)]
fn unmask(piece: &mut [u8], key: [u8; 4], text: bool) -> bool {
    if text {
        apply_mask_ascii(piece, key)
    } else {
        apply_mask(piece, key, 0);
        false
    }
}

/// Validates a close payload (RFC 6455 §5.5.1) without building a [`CloseFrame`].
fn check_close_payload(payload: &[u8], offset: u64) -> Result<(), Error> {
    CloseFrame::parse(Bytes::copy_from_slice(payload), offset).map(|_| ())
}

/// `HIGH[n]`: the top bits of the first `n` bytes of a native-endian `u64`.
const HIGH: [u64; 9] = {
    let mut t = [0; 9];
    let mut n = 0;
    while n < 9 {
        let mut b = [0u8; 8];
        let mut i = 0;
        while i < n {
            b[i] = 0x80;
            i += 1;
        }
        t[n] = u64::from_ne_bytes(b);
        n += 1;
    }
    t
};

/// The payload at the end of a buffer as an inline block (the fixed-size read of
/// [`Decoder::whole_data`] would go past the end), still masked.
#[cold]
#[inline(never)]
fn short_copy(b: &[u8]) -> InlineBuf {
    let mut data = [0; INLINE_PAYLOAD + 1];
    let n = b.len().min(INLINE_PAYLOAD);
    data[..n].copy_from_slice(&b[..n]);
    data
}

/// The frame being received.
#[derive(Debug, Clone, Copy)]
struct Current {
    header: FrameHeader,
    /// Length of the header in bytes (the frame starts that far before its payload).
    hlen: u8,
    /// Payload bytes already unmasked (and validated) in place.
    done: usize,
    /// Validate the payload as UTF-8 as it arrives.
    text: bool,
    /// The payload goes to the spill buffer as it arrives (see [`SPILL_MIN`]); `done`
    /// bytes of it are there already.
    spilled: bool,
}

/// The open fragmented message.
#[derive(Debug, Clone, Copy)]
struct Open {
    text: bool,
    compressed: bool,
    len: u64,
    fragments: u32,
}

/// Incremental frame decoder, shaped like tokio-util's `Decoder`.
///
/// Feed it the connection's bytes in a `BytesMut`; it consumes whole frames and leaves
/// the rest. A frame still arriving is unmasked and (for text) UTF-8 checked in place as
/// its bytes come in, so invalid text fails at the first bad byte and no byte is looked at
/// twice. Any split of the input gives the same frames.
///
/// ```
/// use bytes::BytesMut;
/// use codec_ws::{Decoder, Limits, OpCode, Role};
/// let mut dec = Decoder::new(Role::Server, Limits::default());
/// // RFC 6455 §5.7: masked "Hello" from a client, fed in two pieces.
/// let mut buf = BytesMut::from(&[0x81, 0x85, 0x37, 0xfa][..]);
/// assert_eq!(dec.decode(&mut buf).unwrap(), None);
/// buf.extend_from_slice(&[0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
/// let frame = dec.decode(&mut buf).unwrap().unwrap();
/// assert_eq!((frame.opcode, &frame.payload[..]), (OpCode::Text, &b"Hello"[..]));
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    limits: Limits,
    pos: u64,
    cur: Option<Current>,
    open: Option<Open>,
    /// Boxed: errors are rare and this keeps the idle state small.
    error: Option<Box<Error>>,
    utf8: Utf8Validator,
    role: Role,
    /// RSV bits an extension has defined (RSV1 = 0b100 with permessage-deflate).
    rsv_allowed: u8,
}

impl Decoder {
    /// A decoder for frames arriving at `role` (a server expects masked frames).
    #[must_use]
    pub fn new(role: Role, limits: Limits) -> Self {
        Self {
            limits,
            pos: 0,
            cur: None,
            open: None,
            error: None,
            utf8: Utf8Validator::default(),
            role,
            rsv_allowed: 0,
        }
    }

    /// Allows RSV1 on the first frame of data messages (permessage-deflate was negotiated).
    pub fn set_compression(&mut self, enabled: bool) {
        self.rsv_allowed = if enabled { 0b100 } else { 0 };
    }

    /// The limits in force.
    #[must_use]
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Bytes consumed so far: the base of every error offset.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// True when the decoder stands between messages (no frame or fragmented message open).
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.cur.is_none() && self.open.is_none()
    }

    /// Decodes the next frame from the front of `src`.
    ///
    /// Returns `Ok(None)` when more bytes are needed; consumed bytes are removed from
    /// `src` and bytes of a frame still arriving are unmasked in place (so `src` MUST be
    /// passed back unchanged, with new bytes appended). Reserves exactly the missing bytes
    /// of a frame once its length has passed the limits.
    ///
    /// # Errors
    /// Any frame-level peer violation (see [`Error::close_code`]). Errors are sticky.
    #[inline]
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        if let Some(e) = &self.error {
            return Err((**e).clone());
        }
        let r = self.decode_inner(src, None);
        if let Err(e) = &r {
            self.error = Some(Box::new(e.clone()));
        }
        r
    }

    /// [`decode`](Self::decode) for the message layer: the payload of a large
    /// unfragmented data frame that is not whole in `src` is moved into `spill` as it
    /// arrives (unmasked while copied), so `src` does not have to grow to hold it.
    /// `spill` MUST be empty when no frame is open and MUST be passed on every call.
    pub(crate) fn decode_spill(
        &mut self,
        src: &mut BytesMut,
        spill: &mut BytesMut,
    ) -> Result<Option<Frame>, Error> {
        if let Some(e) = &self.error {
            return Err((**e).clone());
        }
        let r = self.decode_inner(src, Some(spill));
        if let Err(e) = &r {
            self.error = Some(Box::new(e.clone()));
        }
        r
    }

    /// The message layer's fast path for the usual message: an unfragmented, uncompressed
    /// text or binary frame that is whole in `src` after the first `*pending` bytes,
    /// outside a fragmented message, masked as the role requires and within the limits.
    /// Unmasks and validates it and returns whether it is text and its payload.
    ///
    /// A small payload is copied inline and its frame is only counted into `*pending` (the
    /// caller removes those bytes from `src` later, in one go): no reference count and no
    /// `BytesMut` bookkeeping per message. A larger one is split off `src` as a zero-copy
    /// `Bytes` (no allocation per frame), which removes the pending bytes too. `None` for
    /// anything else, with nothing consumed: the caller removes the pending bytes and goes
    /// on with [`decode`](Self::decode), which applies every rule. MUST NOT be called after
    /// an error (the connection is closed then).
    #[inline(always)]
    pub(crate) fn whole_data(
        &mut self,
        src: &mut BytesMut,
        pending: &mut usize,
    ) -> Option<Result<(bool, Payload), Error>> {
        if self.cur.is_some() || self.open.is_some() {
            return None;
        }
        let buf: &[u8] = src.get(*pending..)?;
        let (&b0, &b1) = (buf.first()?, buf.get(1)?);
        // FIN, no RSV bits, text or binary (RFC 6455 §5.2).
        let text = match b0 {
            0x81 => true,
            0x82 => false,
            _ => return None,
        };
        let masked = b1 & 0x80 != 0;
        if masked != (self.role == Role::Server) {
            return None;
        }
        // Minimal length forms only (§5.2); the general path reports the others.
        let (len, n) = match b1 & 0x7f {
            126 => {
                let b = buf.get(2..4)?;
                let l = u16::from_be_bytes([b[0], b[1]]);
                if l < 126 {
                    return None;
                }
                (u64::from(l), 4)
            }
            127 => {
                let mut a = [0; 8];
                a.copy_from_slice(buf.get(2..10)?);
                let l = u64::from_be_bytes(a);
                if l <= 0xffff || l >> 63 != 0 {
                    return None;
                }
                (l, 10)
            }
            l => (u64::from(l), 2),
        };
        let n = if masked { n + 4 } else { n };
        if len > self.limits.max_frame_len
            || len > self.limits.max_message_len
            || (buf.len() as u64) < n as u64 + len
        {
            return None;
        }
        // Whole frame in `buf`, so these fit in usize.
        let (len, end) = (len as usize, n + len as usize);
        // The masking key read as one word (so it stays in a register; 0 when unmasked).
        let key32 = match buf.get(n.wrapping_sub(4)..n) {
            Some(k) if masked => k.try_into().map_or(0, u32::from_ne_bytes),
            _ => 0,
        };
        let key = key32.to_ne_bytes();
        let payload = if len <= INLINE_PAYLOAD {
            // Read a fixed-size block (bytes past the payload are don't-care), unmask it
            // a word at a time and put the length in its last byte: three word stores
            // build the payload, no length-dependent loops or calls.
            let block: InlineBuf = match buf.get(n..n + INLINE_PAYLOAD + 1) {
                Some(b) => b.try_into().unwrap_or_default(),
                None => short_copy(&buf[n..end]),
            };
            let k = mask_word(key32);
            let mut words = [0u64; 3];
            for (w, s) in words.iter_mut().zip(block.chunks_exact(8)) {
                let mut a = [0; 8];
                a.copy_from_slice(s);
                *w = u64::from_ne_bytes(a) ^ k;
            }
            // The length goes into the last word while it is in a register: a separate
            // byte store would make the word's next load wait for the store to land.
            let mut last = words[2].to_ne_bytes();
            last[7] = len as u8;
            words[2] = u64::from_ne_bytes(last);
            let mut data: InlineBuf = [0; INLINE_PAYLOAD + 1];
            for (d, w) in data.chunks_exact_mut(8).zip(words) {
                d.copy_from_slice(&w.to_ne_bytes());
            }
            // The all-ASCII test on the words already in registers: the top bits of the
            // first `len` bytes.
            if text
                && (words[0] & HIGH[len.min(8)])
                    | (words[1] & HIGH[len.saturating_sub(8).min(8)])
                    | (words[2] & HIGH[len.saturating_sub(16).min(8)])
                    != 0
            {
                if let Err(back) = validate_whole(&data[..len]) {
                    return Some(Err(self.utf8_error(end, back)));
                }
            }
            *pending += end;
            Payload::inline(data)
        } else {
            let skip = *pending;
            // Split first, unmask after: the reference-count update of the split then does
            // not have to wait for the unmasking stores to drain. (On an error below the
            // connection fails, so the bytes taken from `src` are not needed any more.)
            let mut frame = src.split_to(skip + end);
            *pending = 0;
            let piece = &mut frame[skip + n..];
            let ascii = masked && unmask(piece, key, text);
            if text && !ascii {
                if let Err(back) = validate_whole(piece) {
                    return Some(Err(self.utf8_error(end, back)));
                }
            }
            // Bytes::advance is a cheap inline pointer bump (BytesMut's is not).
            let mut frame = frame.freeze();
            frame.advance(skip + n);
            Payload::from(frame)
        };
        self.pos += end as u64;
        Some(Ok((text, payload)))
    }

    /// Invalid UTF-8 `back` bytes before byte `end` of the frame starting at `pos`: a
    /// sticky error.
    #[cold]
    fn utf8_error(&mut self, end: usize, back: usize) -> Error {
        let e = Error::InvalidUtf8 {
            offset: (self.pos + end as u64).saturating_sub(back as u64),
        };
        self.error = Some(Box::new(e.clone()));
        e
    }

    /// Call at end of input: `Ok(None)` if the stream ended between frames, else
    /// [`Error::AbnormalClosure`]. (A missing close handshake is the [`Connection`](crate::Connection)'s call.)
    ///
    /// # Errors
    /// [`Error::AbnormalClosure`] for a truncated frame, or the sticky error.
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        if let Some(f) = self.decode(src)? {
            return Ok(Some(f));
        }
        if self.cur.is_some() || !src.is_empty() {
            let e = Error::AbnormalClosure { offset: self.pos };
            self.error = Some(Box::new(e.clone()));
            return Err(e);
        }
        Ok(None)
    }

    /// Borrowing fast path: decodes one whole frame at the start of `buf`, unmasking its
    /// payload in place, without `Bytes` bookkeeping.
    ///
    /// Returns `Ok(None)` until the whole frame is in `buf` (the header is checked against
    /// the limits as soon as it is complete). The caller MUST drop `consumed` bytes from the
    /// front of its buffer before the next call, and MUST NOT mix this with
    /// [`decode`](Self::decode) on one decoder. Unlike `decode`, text is validated when the
    /// frame is complete, not while it arrives.
    ///
    /// # Errors
    /// As for [`decode`](Self::decode).
    ///
    /// ```
    /// use codec_ws::{Decoder, Limits, OpCode, Role};
    /// let mut dec = Decoder::new(Role::Server, Limits::default());
    /// let mut buf = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
    /// let f = dec.decode_slice(&mut buf).unwrap().unwrap();
    /// assert_eq!((f.opcode, &buf[f.payload.clone()], f.consumed), (OpCode::Text, &b"Hello"[..], 11));
    /// ```
    #[inline]
    pub fn decode_slice(&mut self, buf: &mut [u8]) -> Result<Option<FrameRef>, Error> {
        if let Some(e) = &self.error {
            return Err((**e).clone());
        }
        let r = self.decode_slice_inner(buf);
        if let Err(e) = &r {
            self.error = Some(Box::new(e.clone()));
        }
        r
    }

    /// The common case in a few branches: a whole, final text/binary frame of at most
    /// 125 bytes, no RSV bits, masked as the role requires, outside a fragmented message.
    /// Returns `(opcode, header length, payload length)` after unmasking and validating it;
    /// `None` sends the frame down the general path.
    #[inline(always)]
    fn small_frame(&mut self, buf: &mut [u8]) -> Option<Result<(OpCode, usize, usize), Error>> {
        let (&b0, &b1) = (buf.first()?, buf.get(1)?);
        let opcode = match b0 {
            0x81 => OpCode::Text,
            0x82 => OpCode::Binary,
            _ => return None,
        };
        let len = usize::from(b1 & 0x7f);
        let masked = b1 & 0x80 != 0;
        if len > 125 || masked != (self.role == Role::Server) || self.open.is_some() {
            return None;
        }
        let n = if masked { 6 } else { 2 };
        if buf.len() < n + len
            || len as u64 > self.limits.max_frame_len
            || len as u64 > self.limits.max_message_len
        {
            return None;
        }
        if masked {
            let key = [buf[2], buf[3], buf[4], buf[5]];
            apply_mask(&mut buf[n..n + len], key, 0);
        }
        if opcode == OpCode::Text {
            let piece = &buf[n..n + len];
            // A complete message: it must be whole UTF-8 on its own.
            if !is_ascii(piece) {
                let mut v = Utf8Validator::default();
                let r = v.feed(piece);
                if r.is_err() || !v.is_complete() {
                    let back = r.err().unwrap_or(0);
                    let at = (self.pos + (n + len) as u64).saturating_sub(back as u64);
                    return Some(Err(Error::InvalidUtf8 { offset: at }));
                }
            }
        }
        self.pos += (n + len) as u64;
        Some(Ok((opcode, n, len)))
    }

    #[inline]
    fn decode_slice_inner(&mut self, buf: &mut [u8]) -> Result<Option<FrameRef>, Error> {
        if let Some(r) = self.small_frame(buf) {
            let (opcode, n, len) = r?;
            return Ok(Some(FrameRef {
                opcode,
                fin: true,
                compressed: false,
                payload: n..n + len,
                consumed: n + len,
            }));
        }
        let Some((header, n)) = parse_at(buf, self.pos, self.limits.allow_non_minimal_lengths)?
        else {
            return Ok(None);
        };
        if ((buf.len() - n) as u64) < header.len {
            self.check_header::<false>(&header)?;
            return Ok(None);
        }
        let text = self.check_header::<true>(&header)?;
        let start = self.pos;
        let end = n + header.len as usize;
        let piece = &mut buf[n..end];
        let ascii = header.mask.is_some_and(|key| unmask(piece, key, text));
        if text && !(ascii && self.utf8.is_complete()) {
            if let Err(back) = self.utf8.feed(piece) {
                let at = (start + end as u64).saturating_sub(back as u64);
                return Err(Error::InvalidUtf8 { offset: at });
            }
            if header.fin && !self.utf8.is_complete() {
                return Err(Error::InvalidUtf8 {
                    offset: start + end as u64,
                });
            }
        }
        if header.opcode == OpCode::Close {
            check_close_payload(piece, start)?;
        }
        self.pos += end as u64;
        Ok(Some(FrameRef {
            opcode: header.opcode,
            fin: header.fin,
            compressed: header.rsv & 0b100 != 0,
            payload: n..end,
            consumed: end,
        }))
    }

    #[inline]
    fn decode_inner(
        &mut self,
        src: &mut BytesMut,
        mut spill: Option<&mut BytesMut>,
    ) -> Result<Option<Frame>, Error> {
        let cur = match &mut self.cur {
            Some(c) => c,
            None => {
                if let Some(r) = self.small_frame(src) {
                    let (opcode, n, len) = r?;
                    // Bytes::advance is a cheap inline pointer bump (BytesMut's is not).
                    let mut frame = src.split_to(n + len).freeze();
                    frame.advance(n);
                    return Ok(Some(Frame {
                        opcode,
                        fin: true,
                        compressed: false,
                        payload: frame,
                    }));
                }
                let Some((header, n)) =
                    parse_at(src, self.pos, self.limits.allow_non_minimal_lengths)?
                else {
                    src.reserve(MAX_HEADER_LEN);
                    return Ok(None);
                };
                let text = self.check_header::<true>(&header)?;
                let start = self.pos;
                // check_header bounded len by max_frame_len and usize::MAX.
                let len = header.len as usize;
                if src.len() - n >= len {
                    // Fast path: the whole frame is here, no state to keep.
                    let piece = &mut src[n..n + len];
                    let ascii = header.mask.is_some_and(|key| unmask(piece, key, text));
                    if text && !(ascii && self.utf8.is_complete()) {
                        if let Err(back) = self.utf8.feed(piece) {
                            let at = (start + (n + len) as u64).saturating_sub(back as u64);
                            return Err(Error::InvalidUtf8 { offset: at });
                        }
                    }
                    let mut frame = src.split_to(n + len).freeze();
                    frame.advance(n);
                    self.pos += (n + len) as u64;
                    return self.complete(header, start, text, frame);
                }
                src.advance(n);
                self.pos += n as u64;
                // A large unfragmented message that does not fit where it starts in `src`:
                // growing `src` would move what is there (and, with a caller reading in
                // fixed-size pieces, what comes after) once more; spilling copies it once,
                // unmasking on the way, and leaves `src` small.
                let spilled = spill.is_some()
                    && len >= SPILL_MIN
                    && src.capacity() < len
                    && header.fin
                    && header.rsv == 0
                    && matches!(header.opcode, OpCode::Text | OpCode::Binary);
                if spilled {
                    if let Some(s) = spill.as_deref_mut() {
                        s.clear();
                        // Bounded: check_header held len to max_frame_len.
                        s.reserve(len);
                    }
                }
                self.cur.insert(Current {
                    header,
                    hlen: n as u8,
                    done: 0,
                    text,
                    spilled,
                })
            }
        };
        if cur.spilled {
            let Some(s) = spill else {
                // Only decode_spill starts a spill, and it is always called with the buffer.
                debug_assert!(false, "spilled frame without a spill buffer");
                return Ok(None);
            };
            let take = self.spill_in(src, s)?;
            src.advance(take);
            let Some((len, text)) = self.spilled_done()? else {
                return Ok(None);
            };
            let payload = s.split().freeze();
            if len > SPILL_KEEP {
                *s = BytesMut::new();
            }
            return Ok(Some(Frame {
                opcode: if text { OpCode::Text } else { OpCode::Binary },
                fin: true,
                compressed: false,
                payload,
            }));
        }
        let len = cur.header.len as usize;
        let avail = src.len().min(len);
        if avail > cur.done {
            let piece = &mut src[cur.done..avail];
            if let Some(key) = cur.header.mask {
                apply_mask(piece, key, cur.done);
            }
            if cur.text {
                if let Err(back) = self.utf8.feed(piece) {
                    // `back`: how far before the end of `piece` the bad sequence starts.
                    let at = (self.pos + avail as u64).saturating_sub(back as u64);
                    return Err(Error::InvalidUtf8 { offset: at });
                }
            }
            cur.done = avail;
        }
        if avail < len {
            src.reserve(len - src.len());
            return Ok(None);
        }
        let Current {
            header, hlen, text, ..
        } = *cur;
        self.cur = None;
        let payload = src.split_to(len).freeze();
        // The header was consumed when the frame started; the payload only now.
        let start = self.pos - u64::from(hlen);
        self.pos += len as u64;
        self.complete(header, start, text, payload)
    }

    /// Moves the next bytes of the spilled frame in progress from the front of `data` into
    /// `spill`, unmasked and (for text) validated block by block while in cache. Returns
    /// how many bytes of `data` it took (all of it, or up to the end of the frame).
    fn spill_in(&mut self, data: &[u8], spill: &mut BytesMut) -> Result<usize, Error> {
        let Some(cur) = &mut self.cur else {
            return Ok(0);
        };
        let take = data.len().min(cur.header.len as usize - cur.done);
        let at = self.pos;
        let utf8 = &mut self.utf8;
        let text = cur.text;
        let mask = cur.header.mask;
        let r = extend_masked(
            spill,
            &data[..take],
            mask,
            cur.done,
            text,
            |piece, ascii| {
                // An all-ASCII block needs no validation unless a character is open.
                if text && !(ascii && utf8.is_complete()) {
                    utf8.feed(piece)
                } else {
                    Ok(())
                }
            },
        );
        if let Err((copied, back)) = r {
            // `back`: how far before the end of the block (`copied` bytes into this
            // piece) the bad sequence starts.
            return Err(Error::InvalidUtf8 {
                offset: (at + copied as u64).saturating_sub(back as u64),
            });
        }
        self.pos += take as u64;
        cur.done += take;
        Ok(take)
    }

    /// If the spilled frame in progress is complete: the end-of-frame checks, then it is
    /// closed and its length and whether it is text are returned (its payload is the whole
    /// spill buffer).
    fn spilled_done(&mut self) -> Result<Option<(usize, bool)>, Error> {
        let Some(cur) = self
            .cur
            .filter(|c| c.spilled && c.done as u64 == c.header.len)
        else {
            return Ok(None);
        };
        if cur.text && !self.utf8.is_complete() {
            // RFC 6455 §8.1: the message ended inside a character.
            return Err(Error::InvalidUtf8 { offset: self.pos });
        }
        self.cur = None;
        Ok(Some((cur.done, cur.text)))
    }

    /// Records a sticky error (for the paths that do not return one at once).
    fn stick<T>(&mut self, r: Result<T, Error>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.error = Some(Box::new(e));
                None
            }
        }
    }

    /// True while a frame is being spilled (complete or not).
    pub(crate) fn is_spilling(&self) -> bool {
        matches!(&self.cur, Some(c) if c.spilled)
    }

    /// For [`Connection::feed`](crate::Connection::feed): takes bytes of the spilled frame in
    /// progress straight from `data` into `spill` (one pass: copy, unmask, validate).
    /// Returns how many bytes of `data` it took. An error (invalid text) is sticky: the
    /// next [`decode_spill`](Self::decode_spill) returns it.
    pub(crate) fn feed_spilled(&mut self, data: &[u8], spill: &mut BytesMut) -> usize {
        if self.error.is_some() || !matches!(&self.cur, Some(c) if c.spilled) {
            return 0;
        }
        let r = self.spill_in(data, spill);
        self.stick(r).unwrap_or(0)
    }

    /// For [`Connection::feed`](crate::Connection::feed): if the spilled frame in progress
    /// is complete, closes it and returns its length and whether it is text; its payload
    /// is the whole spill buffer. An end-of-frame error is sticky.
    pub(crate) fn take_spilled(&mut self) -> Option<(usize, bool)> {
        if self.error.is_some() {
            return None;
        }
        let r = self.spilled_done();
        self.stick(r).flatten()
    }

    /// For [`Connection::feed`](crate::Connection::feed): if `data` starts with the
    /// complete header of a large unfragmented text or binary frame that `data` does not
    /// hold whole, and the decoder stands between messages, starts spilling that frame
    /// into `spill` (which MUST be empty) and returns the header length. Anything else,
    /// including a header the rules reject, is left for [`decode_spill`](Self::decode_spill)
    /// (which reports the error in order): `None`, nothing consumed.
    pub(crate) fn start_spill(&mut self, data: &[u8], spill: &mut BytesMut) -> Option<usize> {
        if self.cur.is_some() || self.open.is_some() || self.error.is_some() {
            return None;
        }
        let (header, n) = parse_at(data, self.pos, self.limits.allow_non_minimal_lengths)
            .ok()
            .flatten()?;
        let eligible = header.fin
            && header.rsv == 0
            && matches!(header.opcode, OpCode::Text | OpCode::Binary)
            && header.len >= SPILL_MIN as u64
            && ((data.len() - n) as u64) < header.len;
        if !eligible || self.check_header::<false>(&header).is_err() {
            return None;
        }
        let text = self.check_header::<true>(&header).ok()?;
        // check_header bounded the length by max_frame_len and usize::MAX.
        spill.clear();
        spill.reserve(header.len as usize);
        self.pos += n as u64;
        self.cur = Some(Current {
            header,
            hlen: n as u8,
            done: 0,
            text,
            spilled: true,
        });
        Some(n)
    }

    /// End-of-frame checks.
    #[inline]
    fn complete(
        &mut self,
        header: FrameHeader,
        start: u64,
        text: bool,
        payload: Bytes,
    ) -> Result<Option<Frame>, Error> {
        if text && header.fin && !self.utf8.is_complete() {
            // RFC 6455 §8.1: the message ended inside a character.
            return Err(Error::InvalidUtf8 { offset: self.pos });
        }
        if header.opcode == OpCode::Close {
            check_close_payload(&payload, start)?;
        }
        Ok(Some(Frame {
            opcode: header.opcode,
            fin: header.fin,
            compressed: header.rsv & 0b100 != 0,
            payload,
        }))
    }

    /// Checks a header against the connection state and updates the message state.
    /// Returns whether the payload is text to validate as it arrives.
    #[inline]
    fn check_header<const COMMIT: bool>(&mut self, h: &FrameHeader) -> Result<bool, Error> {
        let offset = self.pos;
        if h.rsv & !self.rsv_allowed != 0 {
            // RFC 6455 §5.2: non-zero RSV without an extension defining it.
            return Err(Error::ReservedBits {
                bits: h.rsv,
                offset,
            });
        }
        match (self.role, h.mask.is_some()) {
            // RFC 6455 §5.1: clients mask every frame, servers none.
            (Role::Server, false) if !self.limits.allow_unmasked => {
                return Err(Error::UnmaskedFrame { offset })
            }
            (Role::Client, true) => return Err(Error::MaskedFrame { offset }),
            _ => {}
        }
        let compressed = h.rsv & 0b100 != 0;
        if h.opcode.is_control() {
            // RFC 6455 §5.5.
            if !h.fin {
                return Err(Error::FragmentedControlFrame { offset });
            }
            if h.len > 125 {
                return Err(Error::ControlFrameTooLong { len: h.len, offset });
            }
            if compressed {
                return Err(Error::MisplacedCompressionBit { offset });
            }
            if h.opcode == OpCode::Close && h.len == 1 {
                return Err(Error::CloseTooShort { offset }); // RFC 6455 §5.5.1
            }
            return Ok(false);
        }
        if h.len > self.limits.max_frame_len || h.len > usize::MAX as u64 {
            return Err(Error::FrameTooLarge {
                len: h.len,
                max: self.limits.max_frame_len,
                offset,
            });
        }
        let max_msg = self.limits.max_message_len;
        if h.opcode == OpCode::Continuation {
            // RFC 6455 §5.4: a continuation needs an open message.
            let Some(open) = &mut self.open else {
                return Err(Error::UnexpectedContinuation { offset });
            };
            if compressed {
                return Err(Error::MisplacedCompressionBit { offset }); // RFC 7692 §6.1
            }
            let len = open.len + h.len;
            if len > max_msg {
                return Err(Error::MessageTooLarge {
                    len,
                    max: max_msg,
                    offset,
                });
            }
            if open.fragments >= self.limits.max_fragments {
                return Err(Error::TooManyFragments {
                    max: self.limits.max_fragments,
                    offset,
                });
            }
            let text = open.text && !open.compressed;
            if COMMIT {
                open.len = len;
                open.fragments += 1;
                if h.fin {
                    self.open = None;
                }
            }
            return Ok(text);
        }
        if self.open.is_some() {
            return Err(Error::ExpectedContinuation { offset });
        }
        if h.len > max_msg {
            return Err(Error::MessageTooLarge {
                len: h.len,
                max: max_msg,
                offset,
            });
        }
        let text = h.opcode == OpCode::Text;
        if !COMMIT {
            return Ok(text && !compressed);
        }
        if !h.fin {
            self.open = Some(Open {
                text,
                compressed,
                len: h.len,
                fragments: 1,
            });
        }
        if text && !compressed {
            self.utf8.reset();
            return Ok(true);
        }
        Ok(false)
    }
}
