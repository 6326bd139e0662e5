//! Server-Sent Events: `SseParser` over [`codec_sse::Parser`], and the
//! emitter functions over the `codec_sse` encoder.

use bytes::BytesMut;
use codec_sse::client::{Action, Client, ReadyState, StatusAction};
use codec_sse::{Decoder, Error, Event, ItemRef, Limits, Parser};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::{codec_error, num_u64, num_usize, usage_error, Deferred};
use crate::js::{
    bind_batches, int_arg, opt_bool, opt_string, opt_usize, options, ready_or_fail, set,
    string_bytes, Batch, Input,
};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Options of `new SseParser(options)`. Absent limits keep the codec's defaults. */
export interface SseParserOptions {
  /** Longest buffered line in bytes (default 1 MiB). */
  maxLineLen?: number;
  /** Largest event data in bytes, after joining `data` lines (default 4 MiB). */
  maxEventLen?: number;
  /** Report comment lines as `{ type: "comment" }` items (default false). */
  comments?: boolean;
  /** Start with this last event ID, as a reconnecting client does. */
  lastEventId?: string;
}
/** A dispatched message event. `event` is `"message"` when the stream gave no type. */
export interface SseEvent { type: "event"; event: string; data: string; id: string }
/** A valid `retry` field: the reconnection time in milliseconds. */
export interface SseRetry { type: "retry"; retry: number }
/** A block without data that committed a new last event ID. */
export interface SseId { type: "id"; id: string }
/** A comment line (only with `comments: true`). */
export interface SseComment { type: "comment"; comment: string }
/** Options of `new SseClient(options)`. */
export interface SseClientOptions extends SseParserOptions {
  /** Reconnection time in milliseconds until the stream sends `retry` (default 3000). */
  reconnectionTime?: number;
  /** Statuses that reconnect after the reconnection time instead of failing (the standard
   * fails every status but 200), e.g. `[502, 503, 504]` behind a load balancer. */
  reconnectStatuses?: number[];
}
/** What to send for the next connection. `headers` holds `Accept`, `Cache-Control` and, once
 * the stream set one, `Last-Event-ID`: merge your own into it. */
export interface SseRequest { headers: Record<string, string>; attempt: number }
/** What to do next: read the body, wait `delayMs` and request again, or stop. */
export type SseAction =
  | { type: "open" }
  | { type: "reconnect"; delayMs: number }
  | { type: "close"; error?: CodecError };
/** An event to send with `encodeSseEvent`. */
export interface SseEventInit { data: string; event?: string; id?: string }
/** One item of an event stream, in stream order. */
export type SseItem = SseEvent | SseRetry | SseId | SseComment;
"#;

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// Builds the item objects of one batch (see js/objects.js for the layout).
    fn sse_items(at: u32, count: u32) -> Array;
}

/// Kinds in the `meta` layout of `sse_items`.
const EVENT: u32 = 0;
const RETRY: u32 = 1;
const ID: u32 = 2;
const COMMENT: u32 = 3;
/// An event type of `message` (the default) is not copied.
const DEFAULT_TYPE: u32 = u32::MAX;

/// An incremental `text/event-stream` parser (WHATWG HTML §9.2.6).
///
/// Feed it the body as it arrives (`Uint8Array` chunks from `fetch()`, a
/// Node stream, ...) and get back the items each chunk completed.
#[wasm_bindgen]
pub struct SseParser {
    inner: Parser,
    deferred: Deferred,
    /// The items of the current call, for `sse_items`.
    batch: Batch,
    input: Input,
}

#[wasm_bindgen]
impl SseParser {
    /// Creates a parser. See `SseParserOptions`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` when an option has the wrong type.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "SseParserOptions")] opts: JsValue,
    ) -> Result<Self, JsValue> {
        let decoder = decoder(options(&opts)?.as_ref())?;
        bind_batches();
        Ok(Self {
            inner: Parser::from_decoder(decoder),
            deferred: Deferred::default(),
            batch: Batch::default(),
            input: Input::default(),
        })
    }

    /// Parses the next chunk of the body and returns the items it completed.
    ///
    /// # Errors
    /// A `CodecError` (`SSE_LINE_TOO_LONG`, `SSE_EVENT_TOO_LARGE`) with
    /// `line` and `offset`. When items were completed before the fault, they
    /// are returned and the next call throws.
    #[wasm_bindgen(unchecked_return_type = "SseItem[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        self.deferred.check()?;
        let chunk = self.input.read(chunk)?;
        feed_parser(&mut self.inner, &mut self.batch, &mut self.deferred, chunk)
    }

    /// Like `feed`, for a chunk already decoded to a string.
    ///
    /// # Errors
    /// As for `feed`; `INVALID_ARGUMENT` when `chunk` is not a string.
    #[wasm_bindgen(js_name = feedText, unchecked_return_type = "SseItem[]")]
    pub fn feed_text(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        let bytes = string_bytes(chunk).ok_or_else(|| usage_error("chunk must be a string"))?;
        self.deferred.check()?;
        feed_parser(&mut self.inner, &mut self.batch, &mut self.deferred, &bytes)
    }

    /// Ends the body: returns the items still complete in the buffer (an
    /// unterminated event is dropped, as the standard says). The parser is
    /// then ready for the next connection's body; the last event ID is kept.
    ///
    /// # Errors
    /// As for `feed`.
    #[wasm_bindgen(unchecked_return_type = "SseItem[]")]
    pub fn finish(&mut self) -> Result<Array, JsValue> {
        self.deferred.check()?;
        self.inner.finish();
        self.drain()
    }

    /// The last event ID in force: send it as `Last-Event-ID` when reconnecting.
    #[wasm_bindgen(getter, js_name = lastEventId)]
    #[must_use]
    pub fn last_event_id(&self) -> String {
        self.inner.last_event_id().to_string()
    }

    /// Bytes received but not yet used (an unfinished line).
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.inner.buffered()
    }

    fn drain(&mut self) -> Result<Array, JsValue> {
        self.batch.clear();
        let mut err = None;
        loop {
            match self.inner.next_ref() {
                Ok(Some(item)) => push(&mut self.batch, item),
                Ok(None) => break,
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        finish_batch(&mut self.batch, &mut self.deferred, err)
    }
}

/// One chunk through the parser: the items it completed, as `feed` returns
/// them.
fn feed_parser(
    parser: &mut Parser,
    batch: &mut Batch,
    deferred: &mut Deferred,
    chunk: &[u8],
) -> Result<Array, JsValue> {
    batch.clear();
    let res = parse_chunk(parser, chunk, batch);
    finish_batch(batch, deferred, res.err())
}

/// `SseParser`'s parser over one chunk, its items appended to the batch.
fn parse_chunk(parser: &mut Parser, chunk: &[u8], batch: &mut Batch) -> Result<(), Error> {
    // The borrowed path: items are written into the batch straight from
    // the parser's lines, with no allocation per item.
    let mut each = |item: ItemRef<'_>| push(batch, item);
    // `dyn`, as `SseClient` does (through the core): one copy of the parser's loop.
    parser.feed_with(chunk, &mut each as &mut dyn FnMut(ItemRef<'_>))
}

/// `SseClient`'s parser over one chunk (a `retry` item also sets the
/// reconnection time), its items appended to the batch.
fn client_chunk(client: &mut Client, chunk: &[u8], batch: &mut Batch) -> Result<(), Error> {
    client.feed_with(chunk, |item| push(batch, item))
}

/// The internal methods of the JS `feed` fast path (`install_feeds` in
/// js/objects.js) for an SSE class with `inner`, `input`, `batch` and
/// `deferred` fields; `$parse` runs `inner` over a chunk into the batch.
macro_rules! fast_feed {
    ($class:ident, $parse:path) => {
        #[wasm_bindgen]
        impl $class {
            /// Internal (the JS `feed` of js/objects.js): makes room for a
            /// chunk of `len` bytes and returns where JS is to write it.
            #[wasm_bindgen(js_name = __room, skip_typescript)]
            pub fn room(&mut self, len: usize) -> u32 {
                self.input.room(len)
            }

            /// Internal (the JS `feed`): parses the `len` bytes written after
            /// `__room`; returns the batch's address for `sse_items` (see
            /// `Batch::ready`; 0 when empty), or -1 when the call is to throw
            /// (the error then waits for a `feed`).
            #[wasm_bindgen(js_name = __feedRoom, skip_typescript)]
            pub fn feed_room(&mut self, len: usize) -> f64 {
                let inner = &mut self.inner;
                feed_room(
                    &self.input,
                    &mut self.batch,
                    &mut self.deferred,
                    len,
                    |chunk, batch| $parse(inner, chunk, batch),
                )
            }

            /// Internal (the JS `feed`): lets go of the last batch once JS has
            /// built it (when it was large; else the next call reuses its
            /// buffers).
            #[wasm_bindgen(js_name = __release, skip_typescript)]
            pub fn release(&mut self) {
                self.batch.clear();
            }
        }
    };
}

fast_feed!(SseParser, parse_chunk);
fast_feed!(SseClient, client_chunk);

/// The `__feedRoom` of both classes: the `len` bytes JS wrote into `input`
/// through `feed` (the parser's, items into the batch); the batch readied
/// for JS to build (see `Batch::ready`), or -1 when the call is to throw the
/// error then kept in `deferred`. An error after some items is kept for the
/// next call.
fn feed_room(
    input: &Input,
    batch: &mut Batch,
    deferred: &mut Deferred,
    len: usize,
    feed: impl FnOnce(&[u8], &mut Batch) -> Result<(), Error>,
) -> f64 {
    if deferred.is_set() {
        return -1.0;
    }
    batch.clear();
    let res = feed(input.written(len), batch);
    ready_or_fail(batch, deferred, res.err().map(|e| to_js(&e)))
}

/// Turns the batch into the item objects; an error is thrown now when
/// nothing came before it, else on the next call.
fn finish_batch(
    batch: &mut Batch,
    deferred: &mut Deferred,
    err: Option<Error>,
) -> Result<Array, JsValue> {
    let out = batch.hand_over(sse_items);
    match err {
        None => Ok(out),
        Some(e) => deferred.fail(out, to_js(&e)),
    }
}

/// The decoder an options bag asks for (`SseParserOptions`).
fn decoder(opts: Option<&Object>) -> Result<Decoder, JsValue> {
    let mut limits = Limits::default();
    let Some(o) = opts else {
        return Ok(Decoder::with_limits(limits));
    };
    if let Some(n) = opt_usize(o, "maxLineLen")? {
        limits = limits.max_line_len(n);
    }
    if let Some(n) = opt_usize(o, "maxEventLen")? {
        limits = limits.max_event_len(n);
    }
    let mut decoder = Decoder::with_limits(limits);
    if let Some(c) = opt_bool(o, "comments")? {
        decoder = decoder.with_comments(c);
    }
    if let Some(id) = opt_string(o, "lastEventId")? {
        decoder = decoder.with_last_event_id(id);
    }
    Ok(decoder)
}

/// An EventSource over any HTTP client (WHATWG HTML §9.2): the reconnection
/// state around an `SseParser`, for `fetch()` with a method, body or headers
/// that `EventSource` cannot send.
///
/// The host does the requests and keeps the clock: `request()` gives the
/// headers to send (with `Last-Event-ID` once the stream set one),
/// `onResponse()` judges the response, `feed()` parses its body, and
/// `onDisconnect()` says how long to wait before the next request.
#[wasm_bindgen]
pub struct SseClient {
    inner: Client,
    deferred: Deferred,
    batch: Batch,
    input: Input,
}

#[wasm_bindgen]
impl SseClient {
    /// Creates a client. See `SseClientOptions`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` when an option has the wrong type.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "SseClientOptions")] opts: JsValue,
    ) -> Result<Self, JsValue> {
        let o = options(&opts)?;
        let mut inner = Client::with_decoder(decoder(o.as_ref())?);
        if let Some(o) = &o {
            if let Some(ms) = opt_usize(o, "reconnectionTime")? {
                inner = inner.with_reconnection_time(ms as u64);
            }
            let list = Reflect::get(o, &"reconnectStatuses".into())?;
            if !list.is_undefined() {
                let list = list
                    .dyn_into::<Array>()
                    .map_err(|_| usage_error("option reconnectStatuses must be an array"))?;
                for v in list.iter() {
                    let status = v
                        .as_f64()
                        .filter(|n| n.fract() == 0.0 && (100.0..=999.0).contains(n))
                        .ok_or_else(|| usage_error("reconnectStatuses holds HTTP status codes"))?;
                    // 100..=999: the cast is exact.
                    let status = status as u16;
                    inner.set_status_action(status..=status, StatusAction::Reconnect);
                }
            }
        }
        bind_batches();
        Ok(Self {
            inner,
            deferred: Deferred::default(),
            batch: Batch::default(),
            input: Input::default(),
        })
    }

    /// The request for the next connection: the headers to send (`Accept`,
    /// `Cache-Control`, and `Last-Event-ID` when one is set) and the attempt
    /// number since the stream last opened (0 = first).
    ///
    /// # Errors
    /// None in practice (the headers are the client's own).
    #[wasm_bindgen(unchecked_return_type = "SseRequest")]
    pub fn request(&mut self) -> Result<JsValue, JsValue> {
        let req = self.inner.request().map_err(|e| to_js(&e))?;
        let headers = Object::new();
        for (name, value) in &req.headers {
            set(
                &headers,
                &JsValue::from_str(name),
                &JsValue::from_str(value),
            );
        }
        let out = Object::new();
        set(&out, &"headers".into(), &headers);
        set(&out, &"attempt".into(), &req.attempt.into());
        Ok(out.into())
    }

    /// Judges a response head: `{ type: "open" }` for status 200 with
    /// `text/event-stream`; else a reconnect (a status in
    /// `reconnectStatuses`) or a close with the error (`SSE_BAD_STATUS`,
    /// `SSE_BAD_CONTENT_TYPE`).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` when `status` is not an integer from 0 to 65535.
    #[wasm_bindgen(js_name = onResponse, unchecked_return_type = "SseAction")]
    pub fn on_response(
        &mut self,
        status: f64,
        content_type: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let status = u16::try_from(int_arg(status, 0xFFFF, "status")?).unwrap_or(u16::MAX);
        let action = self
            .inner
            .on_response(status, content_type.as_deref().map(str::as_bytes));
        if matches!(action, Action::Open) {
            // A new body: an error of the last one no longer applies.
            self.deferred = Deferred::default();
        }
        Ok(action_js(&action))
    }

    /// Parses the next chunk of the open stream's body (as `SseParser.feed`);
    /// a `retry` item also sets the reconnection time.
    ///
    /// # Errors
    /// As for `SseParser.feed`.
    #[wasm_bindgen(unchecked_return_type = "SseItem[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: &JsValue,
    ) -> Result<Array, JsValue> {
        self.deferred.check()?;
        let chunk = self.input.read(chunk)?;
        self.batch.clear();
        let res = client_chunk(&mut self.inner, chunk, &mut self.batch);
        finish_batch(&mut self.batch, &mut self.deferred, res.err())
    }

    /// The body ended or the connection dropped (what was not dispatched is
    /// dropped, as the standard says): `{ type: "reconnect", delayMs }`, or
    /// `{ type: "close" }` after `close()`.
    #[wasm_bindgen(js_name = onDisconnect, unchecked_return_type = "SseAction")]
    pub fn on_disconnect(&mut self) -> JsValue {
        self.deferred = Deferred::default();
        action_js(&self.inner.on_disconnect())
    }

    /// Closes the client: no more reconnects.
    pub fn close(&mut self) {
        self.inner.close();
    }

    /// `"connecting"`, `"open"` or `"closed"`, as `EventSource.readyState` names them.
    #[wasm_bindgen(getter, js_name = readyState, unchecked_return_type = r#""connecting" | "open" | "closed""#)]
    #[must_use]
    pub fn ready_state(&self) -> String {
        match self.inner.ready_state() {
            ReadyState::Open => "open",
            ReadyState::Closed => "closed",
            _ => "connecting",
        }
        .into()
    }

    /// The last event ID (sent as `Last-Event-ID` on reconnect).
    #[wasm_bindgen(getter, js_name = lastEventId)]
    #[must_use]
    pub fn last_event_id(&self) -> String {
        self.inner.last_event_id().to_string()
    }

    /// The reconnection time in milliseconds.
    #[wasm_bindgen(getter, js_name = reconnectionTime)]
    #[must_use]
    pub fn reconnection_time(&self) -> f64 {
        num_u64(self.inner.reconnection_time())
    }
}

/// The JS object for a client action.
fn action_js(action: &Action) -> JsValue {
    let o = Object::new();
    match action {
        Action::Open => set(&o, &"type".into(), &"open".into()),
        Action::Reconnect { delay_ms } => {
            set(&o, &"type".into(), &"reconnect".into());
            set(&o, &"delayMs".into(), &num_u64(*delay_ms).into());
        }
        Action::Close { error } => {
            set(&o, &"type".into(), &"close".into());
            if let Some(e) = error {
                set(&o, &"error".into(), &to_js(e));
            }
        }
        // Action is non-exhaustive: a new kind reads as a close.
        _ => set(&o, &"type".into(), &"close".into()),
    }
    o.into()
}

/// Appends one item to the batch.
fn push(b: &mut Batch, item: ItemRef<'_>) {
    match item {
        ItemRef::Event(ev) => {
            b.num(EVENT);
            match ev.explicit_event_type() {
                Some(t) => b.str(t),
                None => b.num(DEFAULT_TYPE),
            }
            b.str(ev.data());
            b.str(ev.last_event_id());
        }
        ItemRef::Retry(ms) => {
            b.num(RETRY);
            // Low and high halves: the layout is u32.
            b.num(ms as u32);
            b.num((ms >> 32) as u32);
        }
        ItemRef::Id(id) => {
            b.num(ID);
            b.str(id);
        }
        ItemRef::Comment(c) => {
            b.num(COMMENT);
            b.str(c);
        }
        // ItemRef is non-exhaustive: a new kind shows as an empty comment until
        // it gets a type name here.
        _ => {
            b.num(COMMENT);
            b.str("");
        }
    }
}

/// Encodes one event: `event:` and `id:` lines when given, then the data
/// split into `data:` lines at every line break, then the blank line.
///
/// # Errors
/// `SSE_FORBIDDEN_BYTE` (with `offset`) when `event` or `id` holds CR, LF or
/// NULL; `INVALID_ARGUMENT` when `data` is not a string.
#[wasm_bindgen(js_name = encodeSseEvent)]
pub fn encode_sse_event(
    #[wasm_bindgen(unchecked_param_type = "SseEventInit")] init: &JsValue,
) -> Result<Vec<u8>, JsValue> {
    let o = options(init)?.ok_or_else(|| usage_error("event must be an object"))?;
    let data = opt_string(&o, "data")?.ok_or_else(|| usage_error("event.data must be a string"))?;
    let mut ev = Event::new(data);
    if let Some(t) = opt_string(&o, "event")? {
        ev = ev.with_event_type(t);
    }
    if let Some(id) = opt_string(&o, "id")? {
        ev = ev.with_id(id);
    }
    let mut dst = BytesMut::new();
    codec_sse::encode_event(&ev, &mut dst).map_err(|e| to_js(&e))?;
    Ok(dst.to_vec())
}

/// Encodes `retry: <ms>`, the client's reconnection time.
#[wasm_bindgen(js_name = encodeSseRetry)]
#[must_use]
pub fn encode_sse_retry(ms: f64) -> Vec<u8> {
    // Negative, fractional or huge values saturate: a u64 of milliseconds.
    let ms = if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    };
    let mut dst = BytesMut::new();
    codec_sse::encode_retry(ms, &mut dst);
    dst.to_vec()
}

/// Encodes a comment line `: text` (receivers ignore it).
///
/// # Errors
/// `SSE_FORBIDDEN_BYTE` when `text` holds CR or LF.
#[wasm_bindgen(js_name = encodeSseComment)]
pub fn encode_sse_comment(text: &str) -> Result<Vec<u8>, JsValue> {
    let mut dst = BytesMut::new();
    codec_sse::encode_comment(text, &mut dst).map_err(|e| to_js(&e))?;
    Ok(dst.to_vec())
}

/// A keep-alive line for idle streams.
#[wasm_bindgen(js_name = encodeSseHeartbeat)]
#[must_use]
pub fn encode_sse_heartbeat() -> Vec<u8> {
    let mut dst = BytesMut::new();
    codec_sse::encode_heartbeat(&mut dst);
    dst.to_vec()
}

/// The JS error for a core SSE error.
fn to_js(e: &Error) -> JsValue {
    let msg = e.to_string();
    match *e {
        Error::LineTooLong { line, offset, max } => codec_error(
            "SSE_LINE_TOO_LONG",
            &msg,
            &[
                ("line", num_u64(line).into()),
                ("offset", num_u64(offset).into()),
                ("max", num_usize(max).into()),
            ],
        ),
        Error::EventTooLarge { line, offset, max } => codec_error(
            "SSE_EVENT_TOO_LARGE",
            &msg,
            &[
                ("line", num_u64(line).into()),
                ("offset", num_u64(offset).into()),
                ("max", num_usize(max).into()),
            ],
        ),
        Error::ForbiddenByte { byte, at, .. } => codec_error(
            "SSE_FORBIDDEN_BYTE",
            &msg,
            &[
                ("byte", f64::from(byte).into()),
                ("offset", num_usize(at).into()),
            ],
        ),
        Error::BadStatus { status } => codec_error(
            "SSE_BAD_STATUS",
            &msg,
            &[("status", f64::from(status).into())],
        ),
        Error::BadContentType => codec_error("SSE_BAD_CONTENT_TYPE", &msg, &[]),
        _ => codec_error("SSE_ERROR", &msg, &[]),
    }
}
