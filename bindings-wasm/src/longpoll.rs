//! HTTP polling and long polling: `ChunkedDecoder`/`ChunkedEncoder`,
//! `HttpMessageDecoder` (heads and body framing), `PollScheduler` and the
//! Engine.IO v4 payload codec, over `codec_http_longpoll`.

use bytes::{Bytes, BytesMut};
use codec_http_longpoll::engineio::{self, Packet, PacketType};
use codec_http_longpoll::{
    BodyKind, ChunkHeader, ChunkedDecoder as CoreChunked, ChunkedEncoder as CoreEncoder,
    ChunkedEvent, Error, Event, Headers, Leniency, Limits, MessageDecoder, NextPoll, PollConfig,
    PollScheduler as CoreScheduler, RequestHead, ResponseHead, Role, Version,
};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::error::{codec_error, num_u64, num_usize, usage_error, Deferred};
use crate::js::{int_arg, opt_bool, opt_usize, options, set};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Limits and leniency flags of the HTTP decoders. Absent values keep the codec's defaults (strict). */
export interface HttpOptions {
  maxHeadLen?: number;
  maxHeaders?: number;
  maxChunkExtLen?: number;
  maxTrailerLen?: number;
  maxTrailers?: number;
  allowLenientHeaders?: boolean;
  allowChunkedLength?: boolean;
  allowTransferEncoding?: boolean;
  allowOptionalLfAfterCr?: boolean;
  allowOptionalCrBeforeLf?: boolean;
  allowOptionalCrlfAfterChunk?: boolean;
  allowSpacesAfterChunkSize?: boolean;
}
/** A header or trailer field; values are decoded as Latin-1 (one char per byte). */
export type HttpField = [name: string, value: string];
/** How a message body is delimited (RFC 9112 §6). */
export type HttpBody =
  | { kind: "empty" } | { kind: "length"; length: number } | { kind: "chunked" }
  | { kind: "close" } | { kind: "upgrade" };
/** An event of a chunked body. A chunk-size line (`size` 0 is the last chunk), a piece of data, the end with trailers. */
export type ChunkedEvent =
  | { type: "chunk"; size: number; extensions: [string, string | null][] }
  | { type: "data"; data: Uint8Array }
  | { type: "end"; trailers: HttpField[] };
/** An event of an HTTP/1.1 message stream. */
export type HttpEvent =
  | { type: "request"; method: string; target: string; path: string; query?: string; version: "1.0" | "1.1"; headers: HttpField[]; body: HttpBody }
  | { type: "response"; status: number; reason: string; version: "1.0" | "1.1"; headers: HttpField[]; body: HttpBody }
  | ChunkedEvent
  | { type: "upgrade" };
/** A request head to write with `encodeHttpRequestHead` (HTTP/1.1). */
export interface HttpRequestInit { method: string; target: string; headers?: HttpField[] }
/** A response head to write with `encodeHttpResponseHead` (HTTP/1.1; `reason` defaults to the usual phrase). */
export interface HttpResponseInit { status: number; reason?: string; headers?: HttpField[] }
/** Options of `new PollScheduler(options)` (milliseconds). */
export interface PollSchedulerOptions {
  /** Wait after a 200 with a body, or a 304 (default 1000; 0 for long polling). */
  intervalMs?: number;
  /** First back-off after a failure (default 500); it doubles with each failure in a row. */
  backoffBaseMs?: number;
  /** Largest back-off, and largest `Retry-After` honoured (default 60000). */
  backoffMaxMs?: number;
  /** A response field whose value is sent back on the next request (a cursor such as `X-Cursor`). */
  cursorField?: string;
}
/** When to poll next: after `delayMs`, or never (the server answered 204). */
export type PollNext = { type: "wait"; delayMs: number } | { type: "closed" };
/** An Engine.IO v4 packet. `type` is the packet type name; binary messages have `binary: true`. */
export type EngineIoPacket =
  | { type: "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop"; data: string }
  | { type: "message"; binary: true; data: Uint8Array };
"#;

fn config(opts: &JsValue) -> Result<(Limits, Leniency), JsValue> {
    let mut l = Limits::default();
    let mut len = Leniency::default();
    let Some(o) = options(opts)? else {
        return Ok((l, len));
    };
    if let Some(n) = opt_usize(&o, "maxHeadLen")? {
        l = l.max_head_len(n);
    }
    if let Some(n) = opt_usize(&o, "maxHeaders")? {
        l = l.max_headers(n);
    }
    if let Some(n) = opt_usize(&o, "maxChunkExtLen")? {
        l = l.max_chunk_ext_len(n);
    }
    if let Some(n) = opt_usize(&o, "maxTrailerLen")? {
        l = l.max_trailer_len(n);
    }
    if let Some(n) = opt_usize(&o, "maxTrailers")? {
        l = l.max_trailers(n);
    }
    type Flag = fn(Leniency, bool) -> Leniency;
    let flags: [(&str, Flag); 7] = [
        ("allowLenientHeaders", Leniency::allow_lenient_headers),
        ("allowChunkedLength", Leniency::allow_chunked_length),
        ("allowTransferEncoding", Leniency::allow_transfer_encoding),
        (
            "allowOptionalLfAfterCr",
            Leniency::allow_optional_lf_after_cr,
        ),
        (
            "allowOptionalCrBeforeLf",
            Leniency::allow_optional_cr_before_lf,
        ),
        (
            "allowOptionalCrlfAfterChunk",
            Leniency::allow_optional_crlf_after_chunk,
        ),
        (
            "allowSpacesAfterChunkSize",
            Leniency::allow_spaces_after_chunk_size,
        ),
    ];
    for (name, f) in flags {
        if let Some(b) = opt_bool(&o, name)? {
            len = f(len, b);
        }
    }
    Ok((l, len))
}

/// Bytes as a string of the same code points (HTTP field values are octets).
fn latin1(b: &[u8]) -> JsValue {
    let s: String = b.iter().map(|c| char::from(*c)).collect();
    s.into()
}

fn fields(h: &Headers) -> Array {
    h.iter()
        .map(|f| JsValue::from(Array::of2(&latin1(f.name()), &latin1(f.value()))))
        .collect()
}

fn bytes_js(b: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(b).into()
}

fn chunk_obj(c: &ChunkHeader) -> JsValue {
    let o = Object::new();
    set(&o, &"type".into(), &"chunk".into());
    set(&o, &"size".into(), &num_u64(c.size).into());
    let ext: Array = c
        .extensions
        .iter()
        .map(|e| {
            let v = e.value.map_or(JsValue::NULL, |v| latin1(&v.unquoted()));
            JsValue::from(Array::of2(&latin1(e.name), &v))
        })
        .collect();
    set(&o, &"extensions".into(), &ext);
    o.into()
}

fn data_obj(d: &Bytes) -> JsValue {
    let o = Object::new();
    set(&o, &"type".into(), &"data".into());
    set(&o, &"data".into(), &bytes_js(d));
    o.into()
}

fn end_obj(t: &Headers) -> JsValue {
    let o = Object::new();
    set(&o, &"type".into(), &"end".into());
    set(&o, &"trailers".into(), &fields(t));
    o.into()
}

fn chunked_event(ev: &ChunkedEvent) -> JsValue {
    match ev {
        ChunkedEvent::Chunk(c) => chunk_obj(c),
        ChunkedEvent::Data(d) => data_obj(d),
        ChunkedEvent::End(t) => end_obj(t),
    }
}

/// An incremental decoder for a `Transfer-Encoding: chunked` body (RFC 9112
/// §7.1). Data is handed out as it arrives, not buffered per chunk.
#[wasm_bindgen]
pub struct ChunkedDecoder {
    inner: CoreChunked,
    buf: BytesMut,
    deferred: Deferred,
}

#[wasm_bindgen]
impl ChunkedDecoder {
    /// A strict decoder; see `HttpOptions` for limits and leniency flags.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "HttpOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let (l, len) = config(opts)?;
        crate::js::bind_batches();
        Ok(Self {
            inner: CoreChunked::with_config(l, len),
            buf: BytesMut::new(),
            deferred: Deferred::default(),
        })
    }

    /// Decodes received bytes. Bytes after the end of the body stay unread
    /// (see `buffered`).
    ///
    /// # Errors
    /// A `CodecError` `HTTP_*` with `offset`. Events decoded before the
    /// fault are returned and the next call throws.
    #[wasm_bindgen(unchecked_return_type = "ChunkedEvent[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        self.deferred.check()?;
        crate::js::append_bytes(&mut self.buf, chunk)?;
        let (inner, buf) = (&mut self.inner, &mut self.buf);
        self.deferred
            .drain(|| inner.decode(buf), |ev| chunked_event(&ev), to_js)
    }

    /// Call at end of input.
    ///
    /// # Errors
    /// `HTTP_UNEXPECTED_EOF` when the body is not complete.
    #[wasm_bindgen(unchecked_return_type = "ChunkedEvent[]")]
    pub fn finish(&mut self) -> Result<Array, JsValue> {
        self.deferred.check()?;
        let (inner, buf) = (&mut self.inner, &mut self.buf);
        self.deferred
            .drain(|| inner.decode_eof(buf), |ev| chunked_event(&ev), to_js)
    }

    /// True once the last chunk and the trailers were read.
    #[wasm_bindgen(getter, js_name = isDone)]
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// Bytes received and not used (after the end of the body, or an unfinished line).
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn buffered(&self) -> Vec<u8> {
        self.buf.to_vec()
    }
}

/// Encodes a chunked body: lowercase hex sizes, never an empty chunk before the last.
#[wasm_bindgen]
#[derive(Default)]
pub struct ChunkedEncoder {
    inner: CoreEncoder,
}

#[wasm_bindgen]
impl ChunkedEncoder {
    /// A new encoder.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// One chunk carrying `data` (nothing for empty data).
    ///
    /// # Errors
    /// `HTTP_AFTER_END` after `finish`.
    pub fn chunk(&mut self, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut dst = BytesMut::new();
        self.inner
            .encode_chunk(data, &mut dst)
            .map_err(|e| to_js(&e))?;
        Ok(dst.to_vec())
    }

    /// The last chunk and the trailer section.
    ///
    /// # Errors
    /// `HTTP_AFTER_END` when called twice; `HTTP_INVALID_HEADER_INPUT`.
    pub fn finish(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "HttpField[]")] trailers: &JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let mut h = Headers::new();
        for (n, v) in field_pairs(trailers, "trailers")? {
            h.push(Bytes::from(n), Bytes::from(v))
                .map_err(|e| to_js(&e))?;
        }
        let mut dst = BytesMut::new();
        self.inner.finish(&h, &mut dst).map_err(|e| to_js(&e))?;
        Ok(dst.to_vec())
    }
}

/// `[name, value]` pairs from JS (`undefined`/`null`: none).
fn field_pairs(value: &JsValue, what: &str) -> Result<Vec<(String, String)>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let bad = || usage_error(&format!("{what} must be an array of [name, value] pairs"));
    let arr = value.dyn_ref::<Array>().ok_or_else(bad)?;
    arr.iter()
        .map(|pair| {
            let pair = pair.dyn_ref::<Array>().ok_or_else(bad)?;
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(n), Some(v)) => Ok((n, v)),
                _ => Err(bad()),
            }
        })
        .collect()
}

/// A poll scheduler for clients, plain or long polling: from each response
/// it says how long to wait before the next request and which conditional
/// fields to send with it (`If-None-Match`, `If-Modified-Since`, a cursor).
/// Failures back off exponentially with jitter; `Retry-After` is honoured
/// on 429 and 503; 204 ends polling. The host does the requests and timers.
#[wasm_bindgen]
pub struct PollScheduler {
    inner: CoreScheduler,
}

#[wasm_bindgen]
impl PollScheduler {
    /// Creates a scheduler. See `PollSchedulerOptions`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` when an option has the wrong type;
    /// `HTTP_INVALID_HEADER_INPUT` when `cursorField` is not a field name.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "PollSchedulerOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let mut c = PollConfig::default();
        if let Some(o) = options(opts)? {
            if let Some(v) = opt_usize(&o, "intervalMs")? {
                c = c.interval_ms(v as u64);
            }
            if let Some(v) = opt_usize(&o, "backoffBaseMs")? {
                c = c.backoff_base_ms(v as u64);
            }
            if let Some(v) = opt_usize(&o, "backoffMaxMs")? {
                c = c.backoff_max_ms(v as u64);
            }
            c = c.cursor_field(crate::js::opt_string(&o, "cursorField")?);
        }
        Ok(Self {
            inner: CoreScheduler::try_new(c).map_err(|e| to_js(&e))?,
        })
    }

    /// Takes in a response: its status, its fields (a fetch `Headers`, an
    /// array of `[name, value]` or a plain object) and the length of its
    /// body. `nowUnix` (seconds) is needed only for a `Retry-After` given
    /// as a date.
    ///
    /// # Errors
    /// `HTTP_INVALID_START_LINE_INPUT` for a status outside 100-999;
    /// `HTTP_INVALID_HEADER_INPUT` for a field no response could carry;
    /// `INVALID_ARGUMENT` for a status, length or time that is not a
    /// non-negative integer (`nowUnix` may have a fraction).
    #[wasm_bindgen(js_name = onResponse, unchecked_return_type = "PollNext")]
    pub fn on_response(
        &mut self,
        status: f64,
        #[wasm_bindgen(unchecked_param_type = "Headers | HttpField[] | Record<string, string>")]
        headers: &JsValue,
        body_length: f64,
        now_unix: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let status = u16::try_from(int_arg(status, 0xFFFF, "status")?).unwrap_or(u16::MAX);
        let body = int_arg(body_length, u64::MAX, "bodyLength")?;
        // Seconds from `Date.now() / 1000` have a fraction: whole seconds are enough.
        let now_unix = match now_unix {
            Some(t) if t.is_finite() && t >= 0.0 => Some(int_arg(t.floor(), u64::MAX, "nowUnix")?),
            Some(_) => return Err(usage_error("nowUnix must be a non-negative number")),
            None => None,
        };
        let mut head = ResponseHead::new(status).map_err(|e| to_js(&e))?;
        for (n, v) in field_pairs(&field_list(headers)?, "headers")? {
            head = head
                .header(Bytes::from(n), Bytes::from(v))
                .map_err(|e| to_js(&e))?;
        }
        // Times relative to now: the scheduler's answer is then the delay.
        let next = self.inner.on_response(0, now_unix, &head, body, jitter());
        Ok(next_js(next))
    }

    /// A request that failed (network error, or a status not worth
    /// passing to `onResponse`): back off.
    #[wasm_bindgen(js_name = onFailure, unchecked_return_type = "PollNext")]
    pub fn on_failure(&mut self) -> JsValue {
        next_js(self.inner.on_failure(0, jitter()))
    }

    /// The conditional fields for the next request, to merge into its headers.
    #[wasm_bindgen(js_name = conditionalHeaders, unchecked_return_type = "Record<string, string>")]
    #[must_use]
    pub fn conditional_headers(&self) -> JsValue {
        let o = Object::new();
        for f in self.inner.conditional_headers().iter() {
            set(&o, &latin1(f.name()), &latin1(f.value()));
        }
        o.into()
    }

    /// Failures in a row so far.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn failures(&self) -> u32 {
        self.inner.failures()
    }

    /// True once the server answered 204.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn closed(&self) -> bool {
        self.inner.is_closed()
    }
}

/// Back-off jitter: `Math.random()` is enough (it spreads clients, it
/// protects nothing).
fn jitter() -> u32 {
    // In [0, 1): the product is below 2^32.
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}

fn next_js(next: NextPoll) -> JsValue {
    let o = Object::new();
    match next {
        NextPoll::At(ms) => {
            set(&o, &"type".into(), &"wait".into());
            set(&o, &"delayMs".into(), &num_u64(ms).into());
        }
        NextPoll::Closed => set(&o, &"type".into(), &"closed".into()),
    }
    o.into()
}

/// Most fields taken from a caller's iterable (a fetch `Headers` holds far
/// fewer): more is refused, so an endless iterator cannot hang the call.
const MAX_ITERATED_FIELDS: usize = 1024;

/// Fields as `[name, value]` pairs: an array as it is, any other iterable
/// (a fetch `Headers`) read up to [`MAX_ITERATED_FIELDS`], a plain object
/// by its entries.
fn field_list(value: &JsValue) -> Result<JsValue, JsValue> {
    if value.is_undefined() || value.is_null() || Array::is_array(value) {
        return Ok(value.clone());
    }
    let iterable = js_sys::Reflect::has(value, &js_sys::Symbol::iterator()).unwrap_or(false);
    let Some(items) = iterable
        .then(|| js_sys::try_iter(value))
        .transpose()?
        .flatten()
    else {
        return Ok(value
            .dyn_ref::<Object>()
            .map_or_else(|| value.clone(), |o| Object::entries(o).into()));
    };
    let list = Array::new();
    for item in items {
        if list.length() as usize == MAX_ITERATED_FIELDS {
            return Err(usage_error("headers: more than 1024 fields"));
        }
        list.push(&item?);
    }
    Ok(list.into())
}

/// Writes an HTTP/1.1 request head (request line, fields, blank line).
///
/// # Errors
/// `HTTP_INVALID_START_LINE_INPUT` for a method that is not a token or a
/// target with spaces or controls; `HTTP_INVALID_HEADER_INPUT` for a field
/// that cannot be sent (CR/LF, bad name).
#[wasm_bindgen(js_name = encodeHttpRequestHead)]
pub fn encode_http_request_head(
    #[wasm_bindgen(unchecked_param_type = "HttpRequestInit")] init: &JsValue,
) -> Result<Vec<u8>, JsValue> {
    let o = options(init)?.ok_or_else(|| usage_error("head must be an object"))?;
    let text = |k: &str| -> Result<String, JsValue> {
        js_sys::Reflect::get(&o, &k.into())?
            .as_string()
            .ok_or_else(|| usage_error(&format!("head.{k} must be a string")))
    };
    let mut head = RequestHead::new(&text("method")?, &text("target")?).map_err(|e| to_js(&e))?;
    for (n, v) in field_pairs(&js_sys::Reflect::get(&o, &"headers".into())?, "headers")? {
        head = head
            .header(Bytes::from(n), Bytes::from(v))
            .map_err(|e| to_js(&e))?;
    }
    let mut dst = BytesMut::new();
    head.encode(&mut dst);
    Ok(dst.to_vec())
}

/// Writes an HTTP/1.1 response head (status line, fields, blank line).
///
/// # Errors
/// `HTTP_INVALID_START_LINE_INPUT` for a status outside 100-999 or a reason
/// with controls; `HTTP_INVALID_HEADER_INPUT` for a field that cannot be sent.
#[wasm_bindgen(js_name = encodeHttpResponseHead)]
pub fn encode_http_response_head(
    #[wasm_bindgen(unchecked_param_type = "HttpResponseInit")] init: &JsValue,
) -> Result<Vec<u8>, JsValue> {
    let o = options(init)?.ok_or_else(|| usage_error("head must be an object"))?;
    let status = opt_usize(&o, "status")?
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| usage_error("head.status must be an integer 100-999"))?;
    let mut head = ResponseHead::new(status).map_err(|e| to_js(&e))?;
    if let Some(reason) = crate::js::opt_string(&o, "reason")? {
        head = head.with_reason(&reason).map_err(|e| to_js(&e))?;
    }
    for (n, v) in field_pairs(&js_sys::Reflect::get(&o, &"headers".into())?, "headers")? {
        head = head
            .header(Bytes::from(n), Bytes::from(v))
            .map_err(|e| to_js(&e))?;
    }
    let mut dst = BytesMut::new();
    head.encode(&mut dst);
    Ok(dst.to_vec())
}

fn version(v: Version) -> &'static str {
    match v {
        Version::Http10 => "1.0",
        _ => "1.1",
    }
}

fn body(b: BodyKind) -> JsValue {
    let o = Object::new();
    let kind = match b {
        BodyKind::Empty => "empty",
        BodyKind::Length(n) => {
            set(&o, &"length".into(), &num_u64(n).into());
            "length"
        }
        BodyKind::Chunked => "chunked",
        BodyKind::CloseDelimited => "close",
        _ => "upgrade",
    };
    set(&o, &"kind".into(), &kind.into());
    o.into()
}

/// An incremental HTTP/1.1 message decoder: heads, then body events, with
/// the body framing and request-smuggling rules of RFC 9112 §6.
#[wasm_bindgen]
pub struct HttpMessageDecoder {
    inner: MessageDecoder,
    buf: BytesMut,
    deferred: Deferred,
}

#[wasm_bindgen]
impl HttpMessageDecoder {
    /// `"server"` reads requests, `"client"` reads responses.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad role or option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = r#""client" | "server""#)] role: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "HttpOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let role = match role {
            "client" => Role::Client,
            "server" => Role::Server,
            _ => return Err(usage_error("role must be \"client\" or \"server\"")),
        };
        let (l, len) = config(opts)?;
        crate::js::bind_batches();
        Ok(Self {
            inner: MessageDecoder::with_config(role, l, len),
            buf: BytesMut::new(),
            deferred: Deferred::default(),
        })
    }

    /// Client role: the method of the request the next response answers
    /// (a response to HEAD has no body).
    #[wasm_bindgen(js_name = expectResponseTo)]
    pub fn expect_response_to(&mut self, method: &str) {
        self.inner.expect_response_to(method);
    }

    /// Decodes received bytes. After an `upgrade` event the remaining bytes
    /// belong to the new protocol (see `buffered`).
    ///
    /// # Errors
    /// A `CodecError` `HTTP_*` with `offset` and `status` (the status to
    /// answer a bad request with). Events decoded before the fault are
    /// returned and the next call throws.
    #[wasm_bindgen(unchecked_return_type = "HttpEvent[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        self.deferred.check()?;
        crate::js::append_bytes(&mut self.buf, chunk)?;
        let (inner, buf) = (&mut self.inner, &mut self.buf);
        self.deferred.drain(|| inner.decode(buf), http_event, to_js)
    }

    /// Call at end of input (ends a close-delimited body).
    ///
    /// # Errors
    /// `HTTP_UNEXPECTED_EOF` when a message is cut short.
    #[wasm_bindgen(unchecked_return_type = "HttpEvent[]")]
    pub fn finish(&mut self) -> Result<Array, JsValue> {
        self.deferred.check()?;
        let (inner, buf) = (&mut self.inner, &mut self.buf);
        self.deferred
            .drain(|| inner.decode_eof(buf), http_event, to_js)
    }

    /// Bytes received and not used.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn buffered(&self) -> Vec<u8> {
        self.buf.to_vec()
    }
}

fn http_event(ev: Event) -> JsValue {
    match ev {
        Event::Request { head, body: b } => {
            let o = Object::new();
            set(&o, &"type".into(), &"request".into());
            set(&o, &"method".into(), &head.method().into());
            set(&o, &"target".into(), &head.target().into());
            set(&o, &"path".into(), &head.path().into());
            if let Some(q) = head.query() {
                set(&o, &"query".into(), &q.into());
            }
            set(&o, &"version".into(), &version(head.version).into());
            set(&o, &"headers".into(), &fields(&head.headers));
            set(&o, &"body".into(), &body(b));
            o.into()
        }
        Event::Response { head, body: b } => {
            let o = Object::new();
            set(&o, &"type".into(), &"response".into());
            set(&o, &"status".into(), &head.status().into());
            set(&o, &"reason".into(), &latin1(head.reason()));
            set(&o, &"version".into(), &version(head.version).into());
            set(&o, &"headers".into(), &fields(&head.headers));
            set(&o, &"body".into(), &body(b));
            o.into()
        }
        Event::Chunk(c) => chunk_obj(&c),
        Event::Data(d) => data_obj(&d),
        Event::End(t) => end_obj(&t),
        _ => {
            let o = Object::new();
            set(&o, &"type".into(), &"upgrade".into());
            o.into()
        }
    }
}

const PACKET_TYPES: [(PacketType, &str); 7] = [
    (PacketType::Open, "open"),
    (PacketType::Close, "close"),
    (PacketType::Ping, "ping"),
    (PacketType::Pong, "pong"),
    (PacketType::Message, "message"),
    (PacketType::Upgrade, "upgrade"),
    (PacketType::Noop, "noop"),
];

/// Splits an Engine.IO v4 polling payload (packets joined by 0x1E) into
/// packets; `b`-prefixed packets are base64 binary messages.
///
/// # Errors
/// `HTTP_INVALID_FRAME` (with `offset`) for an empty packet, an unknown
/// type, bad UTF-8 or base64; `HTTP_TOO_LARGE` past `maxPacketLen`.
#[wasm_bindgen(js_name = decodeEngineIoPayload, unchecked_return_type = "EngineIoPacket[]")]
pub fn decode_engine_io_payload(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] payload: &JsValue,
    max_packet_len: Option<usize>,
) -> Result<Array, JsValue> {
    let bytes = match payload.as_string() {
        Some(s) => Bytes::from(s),
        None => Bytes::from(
            payload
                .dyn_ref::<js_sys::Uint8Array>()
                .ok_or_else(|| usage_error("payload must be a string or a Uint8Array"))?
                .to_vec(),
        ),
    };
    // Without a limit from the caller, a packet can be no longer than the payload itself.
    let max = max_packet_len.unwrap_or(bytes.len());
    let packets = engineio::decode_payload(&bytes, max).map_err(|e| to_js(&e))?;
    Ok(packets
        .iter()
        .map(|p| {
            let o = Object::new();
            match p {
                Packet::Text(ty, data) => {
                    let name = PACKET_TYPES
                        .iter()
                        .find(|(t, _)| t == ty)
                        .map_or("unknown", |(_, n)| n);
                    set(&o, &"type".into(), &name.into());
                    // The codec checked that text packets are UTF-8.
                    set(
                        &o,
                        &"data".into(),
                        &String::from_utf8_lossy(data).as_ref().into(),
                    );
                }
                Packet::Binary(data) => {
                    set(&o, &"type".into(), &"message".into());
                    set(&o, &"binary".into(), &true.into());
                    set(&o, &"data".into(), &bytes_js(data));
                }
            }
            JsValue::from(o)
        })
        .collect())
}

/// Joins packets into an Engine.IO v4 polling payload.
///
/// # Errors
/// `HTTP_CONTAINS_SEPARATOR` when text holds 0x1E; `INVALID_ARGUMENT` for a
/// malformed packet object.
#[wasm_bindgen(js_name = encodeEngineIoPayload)]
pub fn encode_engine_io_payload(
    #[wasm_bindgen(unchecked_param_type = "EngineIoPacket[]")] packets: &JsValue,
) -> Result<String, JsValue> {
    let bad = || usage_error("packets must be an array of { type, data } objects");
    let arr = packets.dyn_ref::<Array>().ok_or_else(bad)?;
    let mut list = Vec::with_capacity(arr.length() as usize);
    for p in arr.iter() {
        let get = |k: &str| js_sys::Reflect::get(&p, &k.into());
        let data = get("data")?;
        if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
            list.push(Packet::Binary(Bytes::from(bytes.to_vec())));
            continue;
        }
        let ty = get("type")?.as_string().ok_or_else(bad)?;
        let ty = PACKET_TYPES
            .iter()
            .find(|(_, n)| *n == ty)
            .map(|(t, _)| *t)
            .ok_or_else(|| usage_error(&format!("unknown Engine.IO packet type {ty}")))?;
        let text = if data.is_undefined() {
            String::new()
        } else {
            data.as_string().ok_or_else(bad)?
        };
        list.push(Packet::Text(ty, Bytes::from(text)));
    }
    let mut dst = BytesMut::new();
    engineio::encode_payload(&list, &mut dst).map_err(|e| to_js(&e))?;
    // Text packets are UTF-8 strings and binary ones base64: the payload is UTF-8.
    Ok(String::from_utf8_lossy(&dst).into_owned())
}

fn code(e: &Error) -> &'static str {
    use Error as E;
    match e {
        E::InvalidChunkSize { .. } => "HTTP_INVALID_CHUNK_SIZE",
        E::ChunkSizeOverflow { .. } => "HTTP_CHUNK_SIZE_OVERFLOW",
        E::InvalidChunkExtension { .. } => "HTTP_INVALID_CHUNK_EXTENSION",
        E::ChunkExtensionsTooLarge { .. } => "HTTP_CHUNK_EXTENSIONS_TOO_LARGE",
        E::ExpectedLf { .. } => "HTTP_EXPECTED_LF",
        E::BareLf { .. } => "HTTP_BARE_LF",
        E::MissingChunkCrlf { .. } => "HTTP_MISSING_CHUNK_CRLF",
        E::InvalidTrailer { .. } => "HTTP_INVALID_TRAILER",
        E::TrailersTooLarge { .. } => "HTTP_TRAILERS_TOO_LARGE",
        E::TooManyTrailers { .. } => "HTTP_TOO_MANY_TRAILERS",
        E::UnexpectedEof { .. } => "HTTP_UNEXPECTED_EOF",
        E::HeadTooLarge { .. } => "HTTP_HEAD_TOO_LARGE",
        E::TooManyHeaders { .. } => "HTTP_TOO_MANY_HEADERS",
        E::InvalidHead { .. } => "HTTP_INVALID_HEAD",
        E::ContentLengthWithTransferEncoding { .. } => "HTTP_CONTENT_LENGTH_WITH_TRANSFER_ENCODING",
        E::InvalidContentLength { .. } => "HTTP_INVALID_CONTENT_LENGTH",
        E::InvalidTransferEncoding { .. } => "HTTP_INVALID_TRANSFER_ENCODING",
        E::InvalidChunkedCoding { .. } => "HTTP_INVALID_CHUNKED_CODING",
        E::TransferEncodingInHttp10 { .. } => "HTTP_TRANSFER_ENCODING_IN_HTTP10",
        E::TooLarge { .. } => "HTTP_TOO_LARGE",
        E::InvalidFrame { .. } => "HTTP_INVALID_FRAME",
        E::InvalidHeaderInput => "HTTP_INVALID_HEADER_INPUT",
        E::InvalidExtensionInput => "HTTP_INVALID_EXTENSION_INPUT",
        E::InvalidStartLineInput => "HTTP_INVALID_START_LINE_INPUT",
        E::ContainsSeparator { .. } => "HTTP_CONTAINS_SEPARATOR",
        E::AfterEnd => "HTTP_AFTER_END",
        _ => "HTTP_ERROR",
    }
}

/// The JS error for a core HTTP error: `code`, `offset`, `status`, `max`.
fn to_js(e: &Error) -> JsValue {
    let mut f = Vec::new();
    if let Some(o) = e.offset() {
        f.push(("offset", num_u64(o).into()));
    }
    if let Some(s) = e.status_hint() {
        f.push(("status", s.into()));
    }
    match *e {
        Error::ChunkExtensionsTooLarge { max, .. }
        | Error::TrailersTooLarge { max, .. }
        | Error::TooManyTrailers { max, .. }
        | Error::HeadTooLarge { max }
        | Error::TooManyHeaders { max } => f.push(("max", num_usize(max).into())),
        Error::TooLarge { len, max } => {
            f.push(("len", num_u64(len).into()));
            f.push(("max", num_u64(max).into()));
        }
        _ => {}
    }
    codec_error(code(e), &e.to_string(), &f)
}
