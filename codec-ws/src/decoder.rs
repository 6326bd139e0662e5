//! The incremental frame decoder: validates frames against the connection's role,
//! extensions and limits as bytes arrive, and hands out unmasked zero-copy payloads.

use alloc::boxed::Box;
use core::ops::Range;

use bytes::{Buf, Bytes, BytesMut};

use crate::close::CloseFrame;
use crate::error::Error;
use crate::frame::{parse_at, FrameHeader, OpCode, MAX_HEADER_LEN};
use crate::limits::Limits;
use crate::mask::apply_mask;
use crate::utf8::Utf8Validator;
use crate::Role;

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

/// Validates a close payload (RFC 6455 §5.5.1) without building a [`CloseFrame`].
fn check_close_payload(payload: &[u8], offset: u64) -> Result<(), Error> {
    CloseFrame::parse(Bytes::copy_from_slice(payload), offset).map(|_| ())
}

/// The frame being received.
#[derive(Debug, Clone, Copy)]
struct Current {
    header: FrameHeader,
    /// Stream offset of the frame's first header byte.
    start: u64,
    /// Payload bytes already unmasked (and validated) in place.
    done: usize,
    /// Validate the payload as UTF-8 as it arrives.
    text: bool,
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
        let r = self.decode_inner(src);
        if let Err(e) = &r {
            self.error = Some(Box::new(e.clone()));
        }
        r
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
            if !piece.is_ascii() {
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
        if let Some(key) = header.mask {
            apply_mask(piece, key, 0);
        }
        if text {
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
    fn decode_inner(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
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
                    if let Some(key) = header.mask {
                        apply_mask(piece, key, 0);
                    }
                    if text {
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
                self.cur.insert(Current {
                    header,
                    start,
                    done: 0,
                    text,
                })
            }
        };
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
            header,
            start,
            text,
            ..
        } = *cur;
        self.cur = None;
        let payload = src.split_to(len).freeze();
        self.pos += len as u64;
        self.complete(header, start, text, payload)
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
