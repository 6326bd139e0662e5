//! WebSocket: `WsConnection` (messages, both roles), `WsFrameDecoder` and
//! `encodeWsFrame` (raw frames), and the handshake helpers, over `codec_ws`.

use bytes::{Bytes, BytesMut};
use codec_ws::handshake::{self, ClientRequest, ServerRequest};
use codec_ws::{
    encode_frame, CloseCode, CloseFrame, Config, Connection, Decoder, Error, Limits, Message,
    OpCode, Role, State,
};
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::error::{codec_error, num_u64, num_usize, usage_error, Deferred};
use crate::js::{bind_batches, opt_bool, opt_usize, options, ready_or_fail, set, Batch, Input};
use crate::random;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Limits of the WebSocket codec. Absent values keep the codec's defaults. */
export interface WsLimits {
  /** Largest frame payload in bytes. */
  maxFrameLen?: number;
  /** Largest message in bytes (all fragments). */
  maxMessageLen?: number;
  /** Most fragments per message. */
  maxFragments?: number;
  /** Largest handshake head in bytes. */
  maxHeadLen?: number;
  /** Most header fields in a handshake head. */
  maxHeaders?: number;
  /** Accept lengths that are not minimally encoded (default false). */
  allowNonMinimalLengths?: boolean;
  /** A server accepts unmasked client frames (default false). */
  allowUnmasked?: boolean;
}
/** Options of the WebSocket decoders that hand out payloads. */
export interface WsPayloadOptions {
  /**
   * Payloads (binary, ping, pong; frame payloads) as views of the module's memory instead of
   * copies (default false). The view is only valid until the next call into this package, on any
   * object: that call may reuse the bytes, or grow the memory, which empties every view. Read or
   * copy each payload before then. It saves copying every payload out (64 KiB messages decode
   * about 3x faster, 1 KiB ones 1.8x), for a server that handles each message at once.
   */
  views?: boolean;
}
/** Options of `new WsConnection(role, options)`. */
export interface WsConnectionOptions extends WsLimits, WsPayloadOptions {
  /** Answer pings automatically; the pongs come out of `takeTransmit()` (default true). */
  autoPong?: boolean;
}
/**
 * A message received (or a control frame). `close` without a body has no `code`.
 * Payloads under 4 KiB are views into a shared `ArrayBuffer`: when a `feed()` brings at most
 * 4 KiB of them, a 16 KiB pool that later calls fill further (as Node's `Buffer` pool is); else
 * one buffer for that call's. `data.buffer` is that buffer, and a payload kept for long keeps
 * it alive; `data.slice()` makes a copy of its own. Larger payloads each have their own.
 */
export type WsMessage =
  | { type: "text"; data: string }
  | { type: "binary"; data: Uint8Array }
  | { type: "ping"; data: Uint8Array }
  | { type: "pong"; data: Uint8Array }
  | { type: "close"; code?: number; reason: string };
/**
 * A raw frame, payload unmasked. `opcode`: 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong.
 * `compressed`: RSV1 on the first frame of a message (only with the decoder's `compressed` option).
 */
export interface WsFrame { opcode: number; fin: boolean; compressed: boolean; payload: Uint8Array }
/** Options of `new WsFrameDecoder(role, options)`. */
export interface WsFrameDecoderOptions extends WsLimits, WsPayloadOptions {
  /**
   * permessage-deflate was negotiated (RFC 7692): RSV1 is allowed on the first frame of a data
   * message and reported as `compressed`; the payload stays compressed, for the host to inflate
   * (default false: RSV1 is a protocol error).
   */
  compressed?: boolean;
}
/** Options of `new WsClientHandshake(host, path, options)`. */
export interface WsClientOptions extends WsLimits {
  origin?: string;
  /** Subprotocols to offer, in order of preference. */
  protocols?: string[];
  /** Extra header fields, as [name, value] pairs. */
  headers?: [string, string][];
  /** 16 random bytes for Sec-WebSocket-Key (default: from crypto.getRandomValues). */
  nonce?: Uint8Array;
}
/** The server's answer, once its head has arrived. Bytes from `consumed` on are frames. */
export interface WsClientResult { protocol?: string; consumed: number }
"#;

fn limits(o: Option<&Object>) -> Result<Limits, JsValue> {
    let mut l = Limits::default();
    let Some(o) = o else {
        return Ok(l);
    };
    if let Some(n) = opt_usize(o, "maxFrameLen")? {
        l = l.max_frame_len(n as u64);
    }
    if let Some(n) = opt_usize(o, "maxMessageLen")? {
        l = l.max_message_len(n as u64);
    }
    if let Some(n) = opt_usize(o, "maxFragments")? {
        l = l.max_fragments(u32::try_from(n).unwrap_or(u32::MAX));
    }
    if let Some(n) = opt_usize(o, "maxHeadLen")? {
        l = l.max_head_len(n);
    }
    if let Some(n) = opt_usize(o, "maxHeaders")? {
        l = l.max_headers(n);
    }
    if let Some(b) = opt_bool(o, "allowNonMinimalLengths")? {
        l = l.allow_non_minimal_lengths(b);
    }
    if let Some(b) = opt_bool(o, "allowUnmasked")? {
        l = l.allow_unmasked(b);
    }
    Ok(l)
}

fn parse_role(name: &str) -> Result<Role, JsValue> {
    match name {
        "client" => Ok(Role::Client),
        "server" => Ok(Role::Server),
        _ => Err(usage_error("role must be \"client\" or \"server\"")),
    }
}

/// One WebSocket endpoint after the handshake: decodes messages, encodes
/// them (masked for a client, with keys from `crypto.getRandomValues`), and
/// runs the close handshake.
///
/// After each `feed()`, write out what `takeTransmit()` returns (automatic
/// pongs, the close reply, the close frame after a protocol error).
#[wasm_bindgen]
pub struct WsConnection {
    inner: Connection,
    deferred: Deferred,
    /// The messages of the current call, for `ws_messages`.
    batch: Batch,
    /// Large payloads of the batch, kept where they are until JS copied them.
    held: Vec<Bytes>,
    input: Input,
}

#[wasm_bindgen]
impl WsConnection {
    /// Creates an endpoint for `role` (`"client"` or `"server"`).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad role or option, or a client without Web Crypto.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = r#""client" | "server""#)] role: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "WsConnectionOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let role = parse_role(role)?;
        let o = options(opts)?;
        let mut config = Config::default().limits(limits(o.as_ref())?);
        let mut batch = Batch::default();
        if let Some(o) = &o {
            if let Some(b) = opt_bool(o, "autoPong")? {
                config = config.auto_pong(b);
            }
            views_option(o, &mut batch)?;
        }
        if role == Role::Client {
            // Fail now, not on the first send, when the host has no Web Crypto.
            random::fill(&mut [0u8; 4])?;
            config = config.mask_hook(random::mask_key);
        }
        bind_batches();
        Ok(Self {
            inner: Connection::new(role, config),
            deferred: Deferred::default(),
            batch,
            held: Vec::new(),
            input: Input::default(),
        })
    }

    /// Decodes received bytes; returns the messages they completed.
    ///
    /// # Errors
    /// A `CodecError` `WS_*` with `offset` and `closeCode` (1002, 1007,
    /// 1009); the close frame to send is then waiting in `takeTransmit()`.
    /// When messages were completed before the fault, they are returned and
    /// the next call throws.
    #[wasm_bindgen(unchecked_return_type = "WsMessage[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        self.deferred.check()?;
        // The last call's payload views (if any) end here.
        self.held.clear();
        self.inner.feed(self.input.read(chunk)?);
        let err = self.decode_batch();
        let out = self.flush();
        match err {
            None => Ok(out),
            Some(e) => self.deferred.fail(out, e),
        }
    }

    /// Call at end of input: a `close` message with code 1006 when the peer
    /// vanished without a close handshake, else `undefined`.
    #[wasm_bindgen(unchecked_return_type = "WsMessage | undefined")]
    pub fn finish(&mut self) -> JsValue {
        // A deferred error already ended the connection; the core reports it as closed.
        let _ = self.deferred.check();
        let Some(m) = self.inner.finish() else {
            return JsValue::UNDEFINED;
        };
        self.batch.clear();
        push(&mut self.batch, &mut self.held, m);
        self.flush().get(0)
    }

    /// Bytes the connection wants written (automatic pongs, close replies), or `undefined`.
    #[wasm_bindgen(js_name = takeTransmit)]
    pub fn take_transmit(&mut self) -> Option<Vec<u8>> {
        let mut out = BytesMut::new();
        self.inner.poll_transmit(&mut out).then(|| out.to_vec())
    }

    /// Encodes a text message.
    ///
    /// # Errors
    /// `WS_CLOSED` after a close; `WS_FRAGMENTED_SEND` during a fragmented send.
    #[wasm_bindgen(js_name = sendText)]
    pub fn send_text(&mut self, text: &str) -> Result<Vec<u8>, JsValue> {
        self.out(|c, dst| c.send_text(text, dst))
    }

    /// Encodes a binary message.
    ///
    /// # Errors
    /// As for `sendText`.
    #[wasm_bindgen(js_name = sendBinary)]
    pub fn send_binary(&mut self, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.out(|c, dst| c.send_binary(data, dst))
    }

    /// Encodes a ping (payload at most 125 bytes).
    ///
    /// # Errors
    /// `WS_CONTROL_PAYLOAD_TOO_LONG`, `WS_CLOSED`.
    pub fn ping(&mut self, data: Option<Vec<u8>>) -> Result<Vec<u8>, JsValue> {
        self.out(|c, dst| c.send_ping(data.as_deref().unwrap_or_default(), dst))
    }

    /// Encodes a pong (payload at most 125 bytes).
    ///
    /// # Errors
    /// `WS_CONTROL_PAYLOAD_TOO_LONG`, `WS_CLOSED`.
    pub fn pong(&mut self, data: Option<Vec<u8>>) -> Result<Vec<u8>, JsValue> {
        self.out(|c, dst| c.send_pong(data.as_deref().unwrap_or_default(), dst))
    }

    /// Starts (or answers) the close handshake: a close frame with `code`
    /// and `reason`, or without a body when `code` is omitted.
    ///
    /// # Errors
    /// `WS_CLOSE_CODE_NOT_SENDABLE`, `WS_CONTROL_PAYLOAD_TOO_LONG`, `WS_CLOSED`.
    pub fn close(&mut self, code: Option<u16>, reason: Option<String>) -> Result<Vec<u8>, JsValue> {
        let frame =
            code.map(|c| CloseFrame::with_reason(CloseCode(c), reason.as_deref().unwrap_or("")));
        self.out(|c, dst| c.close(frame.as_ref(), dst))
    }

    /// Encodes one fragment of a message sent in pieces (RFC 6455 §5.4):
    /// the first call fixes the kind (`text`), `fin` ends the message.
    ///
    /// # Errors
    /// `WS_CLOSED`, `WS_FRAGMENTED_SEND`.
    #[wasm_bindgen(js_name = sendFragment)]
    pub fn send_fragment(
        &mut self,
        data: &[u8],
        text: bool,
        fin: bool,
    ) -> Result<Vec<u8>, JsValue> {
        self.out(|c, dst| c.send_fragment(text, data, fin, dst))
    }

    /// `"open"`, `"closeSent"` or `"closed"`.
    #[wasm_bindgen(getter, unchecked_return_type = r#""open" | "closeSent" | "closed""#)]
    #[must_use]
    pub fn state(&self) -> String {
        match self.inner.state() {
            State::Open => "open",
            State::CloseSent => "closeSent",
            _ => "closed",
        }
        .into()
    }

    /// True once nothing more can be received or sent.
    #[wasm_bindgen(getter, js_name = isClosed)]
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Internal (the JS `feed` of js/objects.js): makes room for a chunk of
    /// `len` bytes and returns where JS is to write it.
    #[wasm_bindgen(js_name = __room, skip_typescript)]
    pub fn room(&mut self, len: usize) -> u32 {
        self.input.room(len)
    }

    /// Internal (the JS `feed`): decodes the `len` bytes written after
    /// `__room`; returns the batch's address for `ws_messages` (see
    /// `Batch::ready`; 0 when empty), or -1 when the call is to throw (the
    /// error then waits for a `feed`).
    /// Large payloads stay held until `__release`.
    #[wasm_bindgen(js_name = __feedRoom, skip_typescript)]
    pub fn feed_room(&mut self, len: usize) -> f64 {
        self.held.clear();
        if self.deferred.is_set() {
            return -1.0;
        }
        self.inner.feed(self.input.written(len));
        let err = self.decode_batch();
        ready_or_fail(&mut self.batch, &mut self.deferred, err)
    }

    /// Internal (the JS `feed`): lets go of the last batch and its large
    /// payloads once JS has copied them.
    #[wasm_bindgen(js_name = __release, skip_typescript)]
    pub fn release(&mut self) {
        self.held.clear();
        self.batch.clear();
    }

    /// The events of what was fed, into the batch; the error that ended
    /// them, if any.
    fn decode_batch(&mut self) -> Option<JsValue> {
        self.batch.clear();
        loop {
            match self.inner.next_event() {
                Ok(Some(m)) => push(&mut self.batch, &mut self.held, m),
                Ok(None) => return None,
                Err(e) => return Some(to_js(&e)),
            }
        }
    }

    /// The batch as JS objects (one call into JS for all of them).
    fn flush(&mut self) -> Array {
        flush(&mut self.batch, &mut self.held, ws_messages)
    }

    fn out(
        &mut self,
        f: impl FnOnce(&mut Connection, &mut BytesMut) -> Result<(), Error>,
    ) -> Result<Vec<u8>, JsValue> {
        let mut dst = BytesMut::new();
        f(&mut self.inner, &mut dst).map_err(|e| to_js(&e))?;
        Ok(dst.to_vec())
    }
}

fn bytes_js(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// Builds the message objects of one batch (see js/objects.js for the layout).
    fn ws_messages(at: u32, count: u32) -> Array;
    /// Builds the frame objects of one batch (see js/objects.js for the layout).
    fn ws_frames(at: u32, count: u32) -> Array;
}

/// Payloads from this size on are copied to JS straight from where the
/// codec put them (each gets an `ArrayBuffer` of its own); smaller ones share
/// the batch's. Measured in Node 20: an `ArrayBuffer` per 1 KiB message took
/// a quarter of the decoding time.
const OWN_BUFFER: usize = 4096;

/// The batch as JS objects through `build` (one call into JS for all of
/// them); the batch and the payloads held for it are then let go, or with
/// payload views kept until the next call.
fn flush(batch: &mut Batch, held: &mut Vec<Bytes>, build: fn(u32, u32) -> Array) -> Array {
    if batch.views() {
        return batch.build_kept(build);
    }
    let out = batch.hand_over(build);
    held.clear();
    out
}

/// The `views` option (`WsPayloadOptions`).
fn views_option(o: &Object, batch: &mut Batch) -> Result<(), JsValue> {
    if opt_bool(o, "views")? == Some(true) {
        batch.set_views();
    }
    Ok(())
}

/// Appends a payload: copied into the batch, or from [`OWN_BUFFER`] bytes on
/// left where it is (in `held` until the batch is handed over).
fn push_payload(b: &mut Batch, held: &mut Vec<Bytes>, d: Bytes) {
    if d.len() >= OWN_BUFFER {
        b.bytes_at(&d);
        held.push(d);
    } else {
        b.bytes(&d);
    }
}

/// Appends one message to the batch (kinds as in `ws_messages`); a large
/// binary payload goes to `held` until the batch is handed over.
fn push(b: &mut Batch, held: &mut Vec<Bytes>, m: Message) {
    match m {
        Message::Text(t) => {
            b.num(0);
            // Decoded text is valid UTF-8: the codec checked it.
            b.str(core::str::from_utf8(&t).unwrap_or_default());
        }
        Message::Binary(d) if d.len() >= OWN_BUFFER => {
            b.num(1);
            // Large payloads are shared buffers: this neither copies nor moves the bytes.
            push_payload(b, held, d.into_bytes());
        }
        Message::Binary(d) => {
            b.num(1);
            b.bytes(&d);
        }
        Message::Ping(d) => {
            b.num(2);
            b.bytes(&d);
        }
        Message::Pong(d) => {
            b.num(3);
            b.bytes(&d);
        }
        Message::Close(c) => {
            b.num(4);
            b.num(c.as_ref().map_or(u32::MAX, |c| c.code.0.into()));
            b.str(c.as_ref().map_or("", CloseFrame::reason_str));
        }
    }
}

/// A raw frame decoder (no reassembly, no close handshake): each frame with
/// its payload unmasked, as it completes.
#[wasm_bindgen]
pub struct WsFrameDecoder {
    inner: Decoder,
    buf: BytesMut,
    deferred: Deferred,
    /// The frames of the current call, for `ws_frames`.
    batch: Batch,
    /// Large payloads of the batch, kept where they are until JS copied them.
    held: Vec<Bytes>,
    /// Where `__room` made room at the end of `buf`, and how much: taken
    /// back by the next `__feedRoom` (which keeps what JS wrote) or `feed`.
    room: Option<(usize, usize)>,
}

#[wasm_bindgen]
impl WsFrameDecoder {
    /// A decoder for frames received by `role`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad role or option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = r#""client" | "server""#)] role: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "WsFrameDecoderOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let role = parse_role(role)?;
        let o = options(opts)?;
        let mut inner = Decoder::new(role, limits(o.as_ref())?);
        let mut batch = Batch::default();
        if let Some(o) = &o {
            inner.set_compression(opt_bool(o, "compressed")?.unwrap_or(false));
            views_option(o, &mut batch)?;
        }
        bind_batches();
        Ok(Self {
            inner,
            buf: BytesMut::new(),
            deferred: Deferred::default(),
            batch,
            held: Vec::new(),
            room: None,
        })
    }

    /// Internal (the JS `feed` of js/objects.js): makes room for a chunk of
    /// `len` bytes at the end of the decoder's buffer and returns where JS
    /// is to write it.
    #[wasm_bindgen(js_name = __room, skip_typescript)]
    pub fn room(&mut self, len: usize) -> u32 {
        self.drop_room();
        let at = self.buf.len();
        self.buf.resize(at + len, 0);
        self.room = Some((at, len));
        crate::js::addr(self.buf.get(at..).unwrap_or_default().as_ptr())
    }

    /// Internal (the JS `feed`): decodes with the `len` bytes written after
    /// `__room`; returns the batch's address for `ws_frames` (see
    /// `Batch::ready`; 0 when empty), or -1 when the call is to throw (the
    /// error then waits for a `feed`).
    /// Large payloads stay held until `__release`.
    #[wasm_bindgen(js_name = __feedRoom, skip_typescript)]
    pub fn feed_room(&mut self, len: usize) -> f64 {
        self.held.clear();
        // Only the bytes written into the room count (none without one), and
        // none when an error waits: `feed` throws it before taking the chunk.
        let (at, cap) = self.room.take().unwrap_or((self.buf.len(), 0));
        if self.deferred.is_set() {
            self.buf.truncate(at);
            return -1.0;
        }
        self.buf.truncate(at + len.min(cap));
        let err = self.decode_batch();
        ready_or_fail(&mut self.batch, &mut self.deferred, err)
    }

    /// Internal (the JS `feed`): lets go of the last batch and its large
    /// payloads once JS has copied them.
    #[wasm_bindgen(js_name = __release, skip_typescript)]
    pub fn release(&mut self) {
        self.held.clear();
        self.batch.clear();
    }

    /// Takes back room `__room` made that no `__feedRoom` used.
    fn drop_room(&mut self) {
        if let Some((at, _)) = self.room.take() {
            self.buf.truncate(at);
        }
    }

    /// Decodes the frames in `buf` into the batch; the error that ended it, if any.
    fn decode_batch(&mut self) -> Option<JsValue> {
        self.batch.clear();
        loop {
            match self.inner.decode(&mut self.buf) {
                Ok(Some(f)) => {
                    let flags = u32::from(f.opcode as u8)
                        | (u32::from(f.fin) << 8)
                        | (u32::from(f.compressed) << 9);
                    self.batch.num(flags);
                    push_payload(&mut self.batch, &mut self.held, f.payload);
                }
                Ok(None) => return None,
                Err(e) => return Some(to_js(&e)),
            }
        }
    }

    /// Decodes received bytes; returns the frames they completed.
    ///
    /// # Errors
    /// A `CodecError` `WS_*` with `offset` and `closeCode`. Frames decoded
    /// before the fault are returned and the next call throws.
    #[wasm_bindgen(unchecked_return_type = "WsFrame[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        self.drop_room();
        self.deferred.check()?;
        // The last call's payload views (if any) end here.
        self.held.clear();
        crate::js::append_bytes(&mut self.buf, chunk)?;
        let err = self.decode_batch();
        let out = flush(&mut self.batch, &mut self.held, ws_frames);
        match err {
            None => Ok(out),
            Some(e) => self.deferred.fail(out, e),
        }
    }
}

/// Encodes one frame. `mask` (4 bytes) is required for frames a client
/// sends and absent for a server's.
///
/// # Errors
/// `INVALID_ARGUMENT` for a reserved opcode or a mask that is not 4 bytes.
#[wasm_bindgen(js_name = encodeWsFrame)]
pub fn encode_ws_frame(
    opcode: u8,
    payload: &[u8],
    fin: bool,
    mask: Option<Vec<u8>>,
) -> Result<Vec<u8>, JsValue> {
    let op = OpCode::from_u8(opcode).ok_or_else(|| usage_error("reserved opcode"))?;
    let mask = match mask {
        None => None,
        Some(m) => Some(
            <[u8; 4]>::try_from(m.as_slice()).map_err(|_| usage_error("mask must be 4 bytes"))?,
        ),
    };
    let mut dst = BytesMut::new();
    encode_frame(&mut dst, fin, 0, op, mask, payload);
    Ok(dst.to_vec())
}

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key` (RFC 6455 §4.2.2).
#[wasm_bindgen(js_name = wsAcceptKey)]
#[must_use]
pub fn ws_accept_key(key: &str) -> String {
    handshake::accept_key(key.as_bytes())
}

/// The client side of the opening handshake: the request to send, then the
/// validation of the server's response.
#[wasm_bindgen]
pub struct WsClientHandshake {
    inner: ClientRequest,
    limits: Limits,
}

#[wasm_bindgen]
impl WsClientHandshake {
    /// A request for `path` on `host` (with the port when not the default).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for bad options, or without Web Crypto and `nonce`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        host: &str,
        path: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "WsClientOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let o = options(opts)?;
        let mut nonce = [0u8; 16];
        let given = match &o {
            Some(o) => js_sys::Reflect::get(o, &"nonce".into())?,
            None => JsValue::UNDEFINED,
        };
        if given.is_undefined() {
            random::fill(&mut nonce)?;
        } else {
            let v = given
                .dyn_ref::<Uint8Array>()
                .filter(|a| a.length() == 16)
                .ok_or_else(|| usage_error("nonce must be a Uint8Array of 16 bytes"))?;
            v.copy_to(&mut nonce);
        }
        let mut req = ClientRequest::new(host, path, nonce);
        if let Some(o) = &o {
            if let Some(origin) = crate::js::opt_string(o, "origin")? {
                req = req.origin(&origin);
            }
            for p in string_list(o, "protocols")? {
                req = req.protocol(&p);
            }
            let headers = js_sys::Reflect::get(o, &"headers".into())?;
            if !headers.is_undefined() {
                let bad = || usage_error("headers must be an array of [name, value] pairs");
                let arr = headers.dyn_ref::<Array>().ok_or_else(bad)?;
                for pair in arr.iter() {
                    let pair = pair.dyn_ref::<Array>().ok_or_else(bad)?;
                    let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string())
                    else {
                        return Err(bad());
                    };
                    req = req.header(&n, &v);
                }
            }
        }
        Ok(Self {
            inner: req,
            limits: limits(o.as_ref())?,
        })
    }

    /// The `Sec-WebSocket-Key` sent.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn key(&self) -> String {
        self.inner.key().into()
    }

    /// The request head to write.
    ///
    /// # Errors
    /// `WS_INVALID_HEADER` when a value holds CR/LF.
    pub fn request(&self) -> Result<Vec<u8>, JsValue> {
        let mut dst = BytesMut::new();
        self.inner.encode(&mut dst).map_err(|e| to_js(&e))?;
        Ok(dst.to_vec())
    }

    /// Validates the response received so far: `undefined` until the whole
    /// head is there, then what the server agreed to and the head's length.
    ///
    /// # Errors
    /// `WS_UNEXPECTED_STATUS`, `WS_ACCEPT_MISMATCH`, `WS_MISSING_HEADER`, ...
    #[wasm_bindgen(js_name = parseResponse, unchecked_return_type = "WsClientResult | undefined")]
    pub fn parse_response(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        let Some((res, used)) = self
            .inner
            .parse_response(bytes, &self.limits)
            .map_err(|e| to_js(&e))?
        else {
            return Ok(JsValue::UNDEFINED);
        };
        let o = Object::new();
        if let Some(p) = &res.protocol {
            set(&o, &"protocol".into(), &p.as_str().into());
        }
        set(&o, &"consumed".into(), &num_usize(used).into());
        Ok(o.into())
    }
}

fn string_list(o: &Object, name: &str) -> Result<Vec<String>, JsValue> {
    let v = js_sys::Reflect::get(o, &name.into())?;
    if v.is_undefined() {
        return Ok(Vec::new());
    }
    let bad = || usage_error(&format!("{name} must be an array of strings"));
    let arr = v.dyn_ref::<Array>().ok_or_else(bad)?;
    arr.iter().map(|s| s.as_string().ok_or_else(bad)).collect()
}

/// The server side of the opening handshake: a validated upgrade request.
#[wasm_bindgen]
pub struct WsServerHandshake {
    inner: ServerRequest,
    consumed: usize,
}

#[wasm_bindgen]
impl WsServerHandshake {
    /// Parses the request received so far: `undefined` until the whole head
    /// is there.
    ///
    /// # Errors
    /// A `CodecError` with `status` (400, 405, 426, 431) and `response`: the
    /// complete HTTP error response to send (RFC 6455 §4.4 for 426).
    #[wasm_bindgen(unchecked_return_type = "WsServerHandshake | undefined")]
    pub fn parse(
        bytes: &[u8],
        #[wasm_bindgen(unchecked_optional_param_type = "WsLimits")] opts: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let l = limits(options(opts)?.as_ref())?;
        match ServerRequest::parse(bytes, &l) {
            Ok(None) => Ok(JsValue::UNDEFINED),
            Ok(Some((inner, consumed))) => Ok(Self { inner, consumed }.into()),
            Err(e) => {
                let err = to_js(&e);
                let mut resp = BytesMut::new();
                handshake::encode_error_response(&e, &mut resp);
                let _ = js_sys::Reflect::set(&err, &"response".into(), &bytes_js(&resp));
                Err(err)
            }
        }
    }

    /// Length of the request head; bytes after it are frames.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// The request target.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn path(&self) -> String {
        self.inner.path.clone()
    }

    /// The `Host` header.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn host(&self) -> String {
        self.inner.host.clone()
    }

    /// The `Origin` header, if any.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn origin(&self) -> Option<String> {
        self.inner.origin.clone()
    }

    /// The `Sec-WebSocket-Key`.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn key(&self) -> String {
        self.inner.key.clone()
    }

    /// Offered subprotocols in the client's order.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn protocols(&self) -> Vec<String> {
        self.inner.protocols.clone()
    }

    /// Raw `Sec-WebSocket-Extensions` values.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn extensions(&self) -> Vec<String> {
        self.inner.extensions.clone()
    }

    /// Every header as a [name, value] pair (values decoded as Latin-1).
    #[wasm_bindgen(getter, unchecked_return_type = "[string, string][]")]
    #[must_use]
    pub fn headers(&self) -> Array {
        self.inner
            .headers
            .iter()
            .map(|(n, v)| {
                let v: String = v.iter().map(|b| char::from(*b)).collect();
                JsValue::from(Array::of2(&n.as_str().into(), &v.into()))
            })
            .collect()
    }

    /// The `101 Switching Protocols` response, selecting `protocol` (one the
    /// client offered) and echoing `extensions` when given.
    ///
    /// # Errors
    /// `WS_UNEXPECTED_SUBPROTOCOL`, `WS_INVALID_HEADER`.
    pub fn accept(
        &self,
        protocol: Option<String>,
        extensions: Option<String>,
    ) -> Result<Vec<u8>, JsValue> {
        let mut dst = BytesMut::new();
        self.inner
            .accept(protocol.as_deref(), extensions.as_deref(), &mut dst)
            .map_err(|e| to_js(&e))?;
        Ok(dst.to_vec())
    }
}

/// The stable code of a core error: `WS_` plus the variant name in upper
/// snake case. Every arm is a struct pattern so the match keeps compiling
/// when a variant gains or loses fields.
#[allow(clippy::unneeded_struct_pattern)]
fn code(e: &Error) -> &'static str {
    use Error as E;
    match e {
        E::ReservedBits { .. } => "WS_RESERVED_BITS",
        E::ReservedOpcode { .. } => "WS_RESERVED_OPCODE",
        E::ControlFrameTooLong { .. } => "WS_CONTROL_FRAME_TOO_LONG",
        E::FragmentedControlFrame { .. } => "WS_FRAGMENTED_CONTROL_FRAME",
        E::UnmaskedFrame { .. } => "WS_UNMASKED_FRAME",
        E::MaskedFrame { .. } => "WS_MASKED_FRAME",
        E::LengthTopBit { .. } => "WS_LENGTH_TOP_BIT",
        E::NonMinimalLength { .. } => "WS_NON_MINIMAL_LENGTH",
        E::FrameTooLarge { .. } => "WS_FRAME_TOO_LARGE",
        E::MessageTooLarge { .. } => "WS_MESSAGE_TOO_LARGE",
        E::TooManyFragments { .. } => "WS_TOO_MANY_FRAGMENTS",
        E::UnexpectedContinuation { .. } => "WS_UNEXPECTED_CONTINUATION",
        E::ExpectedContinuation { .. } => "WS_EXPECTED_CONTINUATION",
        E::MisplacedCompressionBit { .. } => "WS_MISPLACED_COMPRESSION_BIT",
        E::InvalidUtf8 { .. } => "WS_INVALID_UTF8",
        E::CloseTooShort { .. } => "WS_CLOSE_TOO_SHORT",
        E::InvalidCloseCode { .. } => "WS_INVALID_CLOSE_CODE",
        E::InvalidCloseReason { .. } => "WS_INVALID_CLOSE_REASON",
        E::Inflate { .. } => "WS_INFLATE",
        E::AbnormalClosure { .. } => "WS_ABNORMAL_CLOSURE",
        E::HeadTooLarge { .. } => "WS_HEAD_TOO_LARGE",
        E::TooManyHeaders { .. } => "WS_TOO_MANY_HEADERS",
        E::MalformedHead { .. } => "WS_MALFORMED_HEAD",
        E::MethodNotGet { .. } => "WS_METHOD_NOT_GET",
        E::HttpVersion { .. } => "WS_HTTP_VERSION",
        E::MissingHeader { .. } => "WS_MISSING_HEADER",
        E::InvalidHeader { .. } => "WS_INVALID_HEADER",
        E::UnsupportedVersion { .. } => "WS_UNSUPPORTED_VERSION",
        E::InvalidKey { .. } => "WS_INVALID_KEY",
        E::UnexpectedStatus { .. } => "WS_UNEXPECTED_STATUS",
        E::AcceptMismatch { .. } => "WS_ACCEPT_MISMATCH",
        E::UnexpectedSubprotocol { .. } => "WS_UNEXPECTED_SUBPROTOCOL",
        E::InvalidExtension { .. } => "WS_INVALID_EXTENSION",
        E::Closed { .. } => "WS_CLOSED",
        E::ControlPayloadTooLong { .. } => "WS_CONTROL_PAYLOAD_TOO_LONG",
        E::CloseCodeNotSendable { .. } => "WS_CLOSE_CODE_NOT_SENDABLE",
        E::TextNotUtf8 { .. } => "WS_TEXT_NOT_UTF8",
        E::FragmentedSend { .. } => "WS_FRAGMENTED_SEND",
        _ => "WS_ERROR",
    }
}

/// The stream offset a frame-level error carries.
fn offset(e: &Error) -> Option<u64> {
    use Error as E;
    match *e {
        E::ReservedBits { offset, .. }
        | E::ReservedOpcode { offset, .. }
        | E::ControlFrameTooLong { offset, .. }
        | E::FragmentedControlFrame { offset, .. }
        | E::UnmaskedFrame { offset, .. }
        | E::MaskedFrame { offset, .. }
        | E::LengthTopBit { offset, .. }
        | E::NonMinimalLength { offset, .. }
        | E::FrameTooLarge { offset, .. }
        | E::MessageTooLarge { offset, .. }
        | E::TooManyFragments { offset, .. }
        | E::UnexpectedContinuation { offset, .. }
        | E::ExpectedContinuation { offset, .. }
        | E::MisplacedCompressionBit { offset, .. }
        | E::InvalidUtf8 { offset, .. }
        | E::CloseTooShort { offset, .. }
        | E::InvalidCloseCode { offset, .. }
        | E::InvalidCloseReason { offset, .. }
        | E::Inflate { offset, .. }
        | E::AbnormalClosure { offset, .. } => Some(offset),
        _ => None,
    }
}

/// The JS error for a core WebSocket error: `code`, `offset`, `closeCode`
/// (the close code to send) and `status` (the HTTP status to answer).
fn to_js(e: &Error) -> JsValue {
    let mut fields = Vec::new();
    if let Some(o) = offset(e) {
        fields.push(("offset", num_u64(o).into()));
    }
    if let Some(c) = e.close_code() {
        fields.push(("closeCode", c.0.into()));
    }
    if let Some(s) = e.status_hint() {
        fields.push(("status", s.into()));
    }
    codec_error(code(e), &e.to_string(), &fields)
}
