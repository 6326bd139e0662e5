//! The connection state machine of one endpoint: messages, automatic pongs, the close
//! handshake (RFC 6455 §5.4-§5.5, §7) and sending.

use bytes::{Buf, BytesMut};

use crate::close::{CloseCode, CloseFrame};
use crate::decoder::{Decoder, Frame, SPILL_KEEP};
use crate::encoder::encode_frame;
use crate::error::Error;
use crate::frame::{parse_at, OpCode};
use crate::limits::Limits;
use crate::message::{Message, Payload};
#[cfg(feature = "deflate")]
use crate::utf8::Utf8Validator;
use crate::Role;

#[cfg(feature = "deflate")]
use alloc::boxed::Box;

#[cfg(feature = "deflate")]
use crate::deflate::{DeflateCodec, DeflateParams};

/// Where the connection stands in the close handshake (RFC 6455 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Messages flow both ways.
    Open,
    /// We sent a close frame and wait for the peer's; incoming messages are still delivered.
    CloseSent,
    /// The handshake finished (or the connection failed): nothing is accepted or sent.
    /// A server now closes the TCP connection; a client waits for the server to do so.
    Closed,
}

/// Settings for a [`Connection`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Config {
    pub(crate) limits: Limits,
    pub(crate) auto_pong: bool,
    pub(crate) mask_seed: u64,
    pub(crate) mask_hook: Option<fn() -> [u8; 4]>,
    #[cfg(feature = "deflate")]
    pub(crate) deflate: Option<(DeflateParams, u8)>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            auto_pong: true,
            mask_seed: 0x9e37_79b9_7f4a_7c15,
            mask_hook: None,
            #[cfg(feature = "deflate")]
            deflate: None,
        }
    }
}

impl Config {
    /// Resource limits. Default [`Limits::default`].
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// Answer pings with pongs automatically (queued for [`Connection::poll_transmit`]).
    /// Default `true`.
    #[must_use]
    pub fn auto_pong(mut self, on: bool) -> Self {
        self.auto_pong = on;
        self
    }
    /// Seed of the masking-key generator (a client's keys; RFC 6455 §10.3 wants them
    /// unpredictable, so a client SHOULD pass a seed from a CSPRNG or set [`mask_hook`](Self::mask_hook)).
    #[must_use]
    pub fn mask_seed(mut self, seed: u64) -> Self {
        self.mask_seed = seed;
        self
    }
    /// A function returning a fresh masking key per frame (e.g. backed by `getrandom`,
    /// or `crypto.getRandomValues` in WASM). Overrides the seeded generator.
    #[must_use]
    pub fn mask_hook(mut self, hook: fn() -> [u8; 4]) -> Self {
        self.mask_hook = Some(hook);
        self
    }
    /// Use permessage-deflate with the negotiated parameters and a compression level (0-9).
    #[cfg(feature = "deflate")]
    #[must_use]
    pub fn deflate(mut self, params: DeflateParams, level: u8) -> Self {
        self.deflate = Some((params, level.min(9)));
        self
    }
}

/// Kind of the message being reassembled or sent in pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Partial {
    text: bool,
    compressed: bool,
}

/// One WebSocket endpoint after the handshake.
///
/// Input: [`feed`](Self::feed) bytes and drain [`next_event`](Self::next_event) until it
/// returns `Ok(None)` (or call [`decode`](Self::decode) on your own `BytesMut`). After
/// each drain the caller MUST write out what [`poll_transmit`](Self::poll_transmit) gives
/// (automatic pongs, the close reply, the close frame for a protocol error). At end of
/// input call [`finish`](Self::finish).
///
/// ```
/// use bytes::BytesMut;
/// use codec_ws::{Config, Connection, Message, Role};
/// let mut client = Connection::new(Role::Client, Config::default().mask_seed(42));
/// let mut server = Connection::new(Role::Server, Config::default());
/// let mut wire = BytesMut::new();
/// client.send_text("hi", &mut wire).unwrap();
/// server.feed(&wire);
/// assert_eq!(server.next_event().unwrap(), Some(Message::text("hi")));
/// ```
#[derive(Debug)]
pub struct Connection {
    decoder: Decoder,
    /// Bytes at the front of the input buffer that belong to messages already handed out
    /// by the fast path but are not yet removed from it (see [`decode`](Self::decode)).
    pending: usize,
    /// A whole large message that [`feed`](Self::feed) completed while more bytes followed,
    /// parked at the front of `inbuf` for [`next_event`](Self::next_event):
    /// `length << 1 | is_text`, 0 for none (such messages are never empty).
    ready: usize,
    inbuf: BytesMut,
    assembly: BytesMut,
    out: BytesMut,
    #[cfg(feature = "deflate")]
    deflate: Option<Box<DeflateCodec>>,
    mask_hook: Option<fn() -> [u8; 4]>,
    mask_state: u64,
    recv: Option<Partial>,
    send: Option<Partial>,
    state: State,
    role: Role,
    auto_pong: bool,
    failed: bool,
}

impl Connection {
    /// A connection for `role` with `config`.
    #[must_use]
    pub fn new(role: Role, config: Config) -> Self {
        #[allow(unused_mut)]
        let mut decoder = Decoder::new(role, config.limits);
        #[cfg(feature = "deflate")]
        let deflate = config.deflate.map(|(p, level)| {
            decoder.set_compression(true);
            Box::new(DeflateCodec::new(role, &p, level))
        });
        Self {
            decoder,
            pending: 0,
            ready: 0,
            inbuf: BytesMut::new(),
            assembly: BytesMut::new(),
            out: BytesMut::new(),
            #[cfg(feature = "deflate")]
            deflate,
            mask_hook: config.mask_hook,
            mask_state: config.mask_seed,
            recv: None,
            send: None,
            state: State::Open,
            role,
            auto_pong: config.auto_pong,
            failed: false,
        }
    }

    /// The close-handshake state.
    #[must_use]
    pub fn state(&self) -> State {
        self.state
    }

    /// This endpoint's role.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }

    /// True once nothing more can be received or sent.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Takes received bytes (for [`next_event`](Self::next_event)). Bytes arriving after
    /// the close handshake are dropped (RFC 6455 §1.4).
    ///
    /// Bytes go to the internal input buffer, except the payload of a large message
    /// (4 KiB or more, unfragmented) that does not arrive whole: that is copied straight
    /// into the message's own buffer, unmasked and validated on the way, so each of its
    /// bytes is touched once. Use either `feed`/`next_event` or [`decode`](Self::decode)
    /// on one connection, not both.
    pub fn feed(&mut self, data: &[u8]) {
        if self.state == State::Closed {
            return;
        }
        let mut data = data;
        if self.ready == 0 && self.inbuf.len() == self.pending {
            // Everything fed before is decoded: frames may start at `data`.
            self.inbuf.clear();
            self.pending = 0;
            data = self.feed_direct(data);
        }
        self.inbuf.extend_from_slice(data);
    }

    /// Whether `data` starts with a frame at least a quarter of which is in `data`: then
    /// spilling it straight from `data` saves copying that much through the input buffer,
    /// worth holding a second message buffer. (A smaller share is cheaper to copy.)
    fn worth_parking(&self, data: &[u8]) -> bool {
        matches!(
            parse_at(data, 0, true),
            Ok(Some((h, n))) if h.len <= 4 * (data.len() - n) as u64
        )
    }

    /// The part of [`feed`](Self::feed) that moves large payloads straight to their buffer;
    /// returns the bytes left for the input buffer.
    fn feed_direct<'a>(&mut self, mut data: &'a [u8]) -> &'a [u8] {
        loop {
            if self.decoder.is_spilling() {
                let n = self.decoder.feed_spilled(data, &mut self.assembly);
                data = &data[n..];
                if data.is_empty() || self.ready != 0 || !self.worth_parking(data) {
                    return data;
                }
                // The message is complete and most of a next large one follows: park it in
                // the (empty) input buffer, so its buffer can take the next one. The two
                // buffers swap roles from message to message; neither is reallocated.
                let Some((len, text)) = self.decoder.take_spilled() else {
                    return data;
                };
                core::mem::swap(&mut self.inbuf, &mut self.assembly);
                self.ready = (len << 1) | usize::from(text);
            }
            if self.recv.is_some() || !self.assembly.is_empty() {
                return data;
            }
            match self.decoder.start_spill(data, &mut self.assembly) {
                Some(n) => data = &data[n..],
                None => return data,
            }
        }
    }

    /// The next message from the fed bytes; `Ok(None)` when more bytes are needed or the
    /// connection is closed.
    ///
    /// # Errors
    /// A peer violation; a close frame with [`Error::close_code`] has been queued for
    /// [`poll_transmit`](Self::poll_transmit) and the connection is closed. Sticky.
    #[must_use = "events must be drained"]
    #[inline(always)]
    pub fn next_event(&mut self) -> Result<Option<Message>, Error> {
        if self.ready != 0 {
            return self.take_ready();
        }
        if self.state != State::Closed {
            // As in `decode`, on the fields directly (no moving the buffer in and out).
            if let Some(r) = self.decoder.whole_data(&mut self.inbuf, &mut self.pending) {
                return match r {
                    Ok((true, p)) => Ok(Some(Message::Text(p))),
                    Ok((false, p)) => Ok(Some(Message::Binary(p))),
                    Err(e) => Err(self.fail(e)),
                };
            }
        }
        self.next_event_general()
    }

    /// [`next_event`](Self::next_event) with a message parked by [`feed`](Self::feed).
    #[inline(never)]
    fn take_ready(&mut self) -> Result<Option<Message>, Error> {
        let (len, text) = (self.ready >> 1, self.ready & 1 != 0);
        self.ready = 0;
        if self.state != State::Closed && len <= self.inbuf.len() {
            let p = Payload::from(self.inbuf.split_to(len).freeze());
            if len > SPILL_KEEP && self.inbuf.is_empty() {
                // As for a spilled message: do not hold on to a large buffer.
                self.inbuf = BytesMut::new();
            }
            return Ok(Some(if text {
                Message::Text(p)
            } else {
                Message::Binary(p)
            }));
        }
        // Closed meanwhile: nothing more is delivered.
        self.inbuf.clear();
        self.next_event_general()
    }

    /// Everything but the fast path of [`next_event`](Self::next_event).
    #[inline(never)]
    fn next_event_general(&mut self) -> Result<Option<Message>, Error> {
        let mut buf = core::mem::take(&mut self.inbuf);
        let r = self.decode_general(&mut buf);
        self.inbuf = buf;
        if self.inbuf.is_empty() && self.inbuf.capacity() > 1 << 16 {
            // Give back the memory of a large message.
            self.inbuf = BytesMut::new();
        }
        r
    }

    /// Like [`next_event`](Self::next_event) on a caller-owned buffer (tokio-util shape):
    /// consumes what it used and leaves the rest. Bytes of a frame still arriving are
    /// unmasked in place, so `src` MUST come back unchanged plus new bytes.
    ///
    /// The bytes of a run of small messages are removed from `src` together: at the latest
    /// when `decode` returns `Ok(None)` (or an error), which is when a caller reads more
    /// into `src` (as tokio-util's `FramedRead` does). In between, `src` may still start
    /// with bytes of messages already returned.
    ///
    /// # Errors
    /// As for [`next_event`](Self::next_event).
    #[inline(always)]
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Message>, Error> {
        if self.state != State::Closed {
            // The usual message, whole in `src`: no frame or message state to go through.
            if let Some(r) = self.decoder.whole_data(src, &mut self.pending) {
                return match r {
                    Ok((true, p)) => Ok(Some(Message::Text(p))),
                    Ok((false, p)) => Ok(Some(Message::Binary(p))),
                    Err(e) => Err(self.fail(e)),
                };
            }
        }
        self.decode_general(src)
    }

    /// Everything but the fast path of [`decode`](Self::decode).
    #[inline(never)]
    fn decode_general(&mut self, src: &mut BytesMut) -> Result<Option<Message>, Error> {
        if self.pending != 0 {
            src.advance(self.pending.min(src.len()));
            self.pending = 0;
        }
        loop {
            if self.state == State::Closed {
                if self.failed {
                    return self.decoder.decode(src).map(|_| None);
                }
                // RFC 6455 §1.4: nothing is read after the closing handshake (Autobahn 7.1.5).
                src.clear();
                return Ok(None);
            }
            let frame = match self.decoder.decode_spill(src, &mut self.assembly) {
                Ok(Some(f)) => f,
                Ok(None) => return Ok(None),
                Err(e) => return Err(self.fail(e)),
            };
            match self.on_frame(frame) {
                Ok(Some(m)) => return Ok(Some(m)),
                Ok(None) => {}
                Err(e) => return Err(self.fail(e)),
            }
        }
    }

    #[inline]
    fn on_frame(&mut self, f: Frame) -> Result<Option<Message>, Error> {
        let offset = self.decoder.position();
        match f.opcode {
            OpCode::Ping => {
                if self.auto_pong && self.state == State::Open {
                    self.write_frame(OpCode::Pong, &f.payload, true, false);
                }
                Ok(Some(Message::Ping(f.payload.into())))
            }
            OpCode::Pong => Ok(Some(Message::Pong(f.payload.into()))),
            OpCode::Close => {
                // The decoder validated the payload already.
                let close = CloseFrame::parse(f.payload.clone(), offset).unwrap_or(None);
                if self.state == State::Open {
                    // RFC 6455 §5.5.1: answer with a close, echoing the code.
                    self.write_frame(
                        OpCode::Close,
                        &f.payload[..f.payload.len().min(2)],
                        true,
                        false,
                    );
                }
                self.state = State::Closed;
                self.recv = None;
                Ok(Some(Message::Close(close)))
            }
            OpCode::Text | OpCode::Binary => {
                let text = f.opcode == OpCode::Text;
                if f.fin && !f.compressed {
                    return Ok(Some(if text {
                        Message::Text(f.payload.into())
                    } else {
                        Message::Binary(f.payload.into())
                    }));
                }
                self.recv = Some(Partial {
                    text,
                    compressed: f.compressed,
                });
                self.assembly.clear();
                self.append(&f, offset)
            }
            OpCode::Continuation => self.append(&f, offset),
        }
    }

    fn append(&mut self, f: &Frame, offset: u64) -> Result<Option<Message>, Error> {
        // The decoder guarantees a continuation only arrives inside a message.
        let Some(p) = self.recv else {
            return Err(Error::UnexpectedContinuation { offset });
        };
        if p.compressed {
            self.inflate(f, p.text, offset)?;
        } else {
            self.assembly.extend_from_slice(&f.payload);
        }
        if !f.fin {
            return Ok(None);
        }
        self.recv = None;
        let data = self.assembly.split().freeze();
        if self.assembly.capacity() > 1 << 16 {
            self.assembly = BytesMut::new();
        }
        Ok(Some(if p.text {
            Message::Text(data.into())
        } else {
            Message::Binary(data.into())
        }))
    }

    #[cfg(feature = "deflate")]
    fn inflate(&mut self, f: &Frame, text: bool, offset: u64) -> Result<(), Error> {
        let Some(d) = self.deflate.as_deref_mut() else {
            return Err(Error::ReservedBits {
                bits: 0b100,
                offset,
            });
        };
        let max = self.decoder.limits().max_message_len;
        let start = self.assembly.len();
        if f.opcode != OpCode::Continuation {
            d.utf8 = Utf8Validator::default();
        }
        d.inflate(&f.payload, f.fin, &mut self.assembly, max, offset)?;
        if text {
            // Validate each inflated piece at once so bad text fails before the message ends.
            if d.utf8.feed(&self.assembly[start..]).is_err() || (f.fin && !d.utf8.is_complete()) {
                return Err(Error::InvalidUtf8 { offset });
            }
        }
        Ok(())
    }

    #[cfg(not(feature = "deflate"))]
    fn inflate(&mut self, _f: &Frame, _text: bool, offset: u64) -> Result<(), Error> {
        Err(Error::ReservedBits {
            bits: 0b100,
            offset,
        })
    }

    /// Fails the connection (RFC 6455 §7.1.7): queue a close with the error's code.
    fn fail(&mut self, e: Error) -> Error {
        if self.state == State::Open {
            if let Some(code) = e.close_code().filter(|c| c.is_allowed_on_wire()) {
                self.write_frame(OpCode::Close, &code.0.to_be_bytes(), true, false);
            }
        }
        self.state = State::Closed;
        self.failed = true;
        e
    }

    /// Call when the transport reached end of input. Returns a [`Message::Close`] with
    /// code 1006 if the peer vanished without a close handshake, else `None`.
    #[must_use]
    pub fn finish(&mut self) -> Option<Message> {
        if self.state == State::Closed && !self.failed {
            return None;
        }
        let was_failed = self.failed;
        self.state = State::Closed;
        self.failed = true;
        (!was_failed).then(|| Message::Close(Some(CloseFrame::new(CloseCode::ABNORMAL))))
    }

    /// Moves queued automatic frames (pongs, close replies) into `dst`. Returns true if any.
    pub fn poll_transmit(&mut self, dst: &mut BytesMut) -> bool {
        if self.out.is_empty() {
            return false;
        }
        if dst.is_empty() {
            core::mem::swap(dst, &mut self.out);
        } else {
            dst.extend_from_slice(&self.out);
            self.out.clear();
        }
        true
    }

    /// True when [`poll_transmit`](Self::poll_transmit) has bytes to hand out.
    #[must_use]
    pub fn wants_transmit(&self) -> bool {
        !self.out.is_empty()
    }

    /// Sends a text message.
    ///
    /// # Errors
    /// [`Error::Closed`] after a close was sent or received; [`Error::FragmentedSend`]
    /// while a fragmented send is open.
    pub fn send_text(&mut self, text: &str, dst: &mut BytesMut) -> Result<(), Error> {
        self.send_data(true, text.as_bytes(), dst)
    }

    /// Sends a binary message.
    ///
    /// # Errors
    /// As for [`send_text`](Self::send_text).
    pub fn send_binary(&mut self, data: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.send_data(false, data, dst)
    }

    /// Sends a ping.
    ///
    /// # Errors
    /// [`Error::Closed`], [`Error::ControlPayloadTooLong`].
    pub fn send_ping(&mut self, data: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.send_control(OpCode::Ping, data, dst)
    }

    /// Sends a pong (unsolicited, or as the answer when auto-pong is off).
    ///
    /// # Errors
    /// [`Error::Closed`], [`Error::ControlPayloadTooLong`].
    pub fn send_pong(&mut self, data: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.send_control(OpCode::Pong, data, dst)
    }

    /// Starts the close handshake (RFC 6455 §7.1.2). Afterwards only incoming messages
    /// and the peer's close arrive.
    ///
    /// # Errors
    /// [`Error::Closed`] if a close was already sent or received; the checks of
    /// [`CloseFrame::encode_payload`].
    pub fn close(&mut self, frame: Option<&CloseFrame>, dst: &mut BytesMut) -> Result<(), Error> {
        if self.state != State::Open {
            return Err(Error::Closed);
        }
        let mut body = BytesMut::new();
        if let Some(f) = frame {
            f.encode_payload(&mut body)?;
        }
        self.poll_transmit(dst);
        self.write_to(dst, OpCode::Close, &body, true, 0);
        self.state = State::CloseSent;
        Ok(())
    }

    /// Sends any [`Message`] (a close starts the close handshake).
    ///
    /// # Errors
    /// As for the specific `send_*` method.
    pub fn send(&mut self, msg: &Message, dst: &mut BytesMut) -> Result<(), Error> {
        match msg {
            Message::Text(b) => {
                simdutf8::basic::from_utf8(b).map_err(|_| Error::TextNotUtf8)?;
                self.send_data(true, b, dst)
            }
            Message::Binary(b) => self.send_data(false, b, dst),
            Message::Ping(b) => self.send_ping(b, dst),
            Message::Pong(b) => self.send_pong(b, dst),
            Message::Close(c) => self.close(c.as_ref(), dst),
        }
    }

    /// Sends one fragment of a message streamed in pieces (RFC 6455 §5.4): the first call
    /// gives the kind (`text`), later calls continue it, `fin` ends it. Control frames may
    /// be sent in between. For text the pieces together must be UTF-8 (a character may
    /// span pieces). With permessage-deflate the message is compressed as one stream, RSV1
    /// on its first frame only (RFC 7692 §6.1).
    ///
    /// # Errors
    /// [`Error::Closed`]; [`Error::FragmentedSend`] if `text` differs from the open message's kind.
    pub fn send_fragment(
        &mut self,
        text: bool,
        data: &[u8],
        fin: bool,
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        if self.state != State::Open {
            return Err(Error::Closed);
        }
        let (opcode, compressed) = match self.send {
            None => (
                if text { OpCode::Text } else { OpCode::Binary },
                self.compresses(),
            ),
            Some(p) if p.text == text => (OpCode::Continuation, p.compressed),
            Some(_) => return Err(Error::FragmentedSend),
        };
        self.send = (!fin).then_some(Partial { text, compressed });
        self.poll_transmit(dst);
        #[cfg(feature = "deflate")]
        if compressed {
            if let Some(z) = self
                .deflate
                .as_deref_mut()
                .and_then(|d| d.deflate_part(data, fin))
            {
                let rsv = if opcode == OpCode::Continuation {
                    0
                } else {
                    0b100
                };
                let mask = next_mask(self.role, self.mask_hook, &mut self.mask_state);
                encode_frame(dst, fin, rsv, opcode, mask, z);
                return Ok(());
            }
        }
        self.write_to(dst, opcode, data, fin, 0);
        Ok(())
    }

    /// Whether messages this endpoint sends are compressed.
    fn compresses(&self) -> bool {
        #[cfg(feature = "deflate")]
        if let Some(d) = self.deflate.as_deref() {
            return d.compresses();
        }
        false
    }

    fn send_data(&mut self, text: bool, data: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        if self.state != State::Open {
            return Err(Error::Closed);
        }
        if self.send.is_some() {
            return Err(Error::FragmentedSend);
        }
        self.poll_transmit(dst);
        let opcode = if text { OpCode::Text } else { OpCode::Binary };
        #[cfg(feature = "deflate")]
        if let Some(d) = self.deflate.as_deref_mut() {
            if let Some(z) = d.deflate(data) {
                let mask = next_mask(self.role, self.mask_hook, &mut self.mask_state);
                encode_frame(dst, true, 0b100, opcode, mask, z);
                return Ok(());
            }
        }
        self.write_to(dst, opcode, data, true, 0);
        Ok(())
    }

    fn send_control(
        &mut self,
        opcode: OpCode,
        data: &[u8],
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        if self.state != State::Open {
            return Err(Error::Closed);
        }
        if data.len() > 125 {
            return Err(Error::ControlPayloadTooLong { len: data.len() });
        }
        self.poll_transmit(dst);
        self.write_to(dst, opcode, data, true, 0);
        Ok(())
    }

    /// Queues a frame in the automatic-reply buffer.
    fn write_frame(&mut self, opcode: OpCode, payload: &[u8], fin: bool, compressed: bool) {
        let mut out = core::mem::take(&mut self.out);
        self.write_to(
            &mut out,
            opcode,
            payload,
            fin,
            if compressed { 0b100 } else { 0 },
        );
        self.out = out;
    }

    fn write_to(&mut self, dst: &mut BytesMut, opcode: OpCode, payload: &[u8], fin: bool, rsv: u8) {
        let mask = next_mask(self.role, self.mask_hook, &mut self.mask_state);
        encode_frame(dst, fin, rsv, opcode, mask, payload);
    }

    /// Releases buffer memory held between messages.
    pub fn shrink(&mut self) {
        if self.inbuf.is_empty() {
            self.inbuf = BytesMut::new();
        }
        if self.assembly.is_empty() {
            self.assembly = BytesMut::new();
        }
        #[cfg(feature = "deflate")]
        if let Some(d) = self.deflate.as_deref_mut() {
            d.shrink();
        }
    }

    /// Bytes of buffer memory held (input, reassembly and reply buffers), to check that
    /// memory is given back after a large message.
    #[must_use]
    pub fn buffer_capacity(&self) -> usize {
        self.inbuf.capacity() + self.assembly.capacity() + self.out.capacity()
    }

    /// Bytes fed but not yet decoded.
    #[must_use]
    pub fn buffered(&self) -> &[u8] {
        let skip = if self.ready != 0 {
            self.ready >> 1
        } else {
            self.pending
        };
        self.inbuf.get(skip..).unwrap_or_default()
    }
}

/// A client's masking key: from the hook, or the next splitmix64 output.
#[inline]
fn next_mask(role: Role, hook: Option<fn() -> [u8; 4]>, state: &mut u64) -> Option<[u8; 4]> {
    if role == Role::Server {
        return None;
    }
    if let Some(h) = hook {
        return Some(h());
    }
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let b = z.to_le_bytes();
    Some([b[0], b[1], b[2], b[3]])
}
