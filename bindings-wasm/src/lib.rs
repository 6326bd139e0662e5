//! The realtime-codecs npm package: wasm-bindgen wrappers over the Sans-IO codec crates.
//!
//! Each file wraps one codec and only converts: JS values in, core calls,
//! plain JS objects out. Protocol decisions live in the codec crates; if a
//! wrapper would need one, the core is missing an API.
//!
//! - [`sse`]: `SseParser` (incremental `text/event-stream` parser),
//!   `SseClient` (EventSource reconnection over any HTTP client) and the
//!   emitter (`encodeSseEvent`, `encodeSseRetry`, `encodeSseComment`, `encodeSseHeartbeat`).
//! - [`sdp`]: `parseSdp`/`writeSdp` (plain objects in sdp-transform's shape),
//!   `SdpDescription` (parse, byte-exact write, typed edits, JSON) and `parseCandidate`.
//! - [`ws`]: `WsConnection` (messages and close handshake, both roles),
//!   `WsFrameDecoder`/`encodeWsFrame` (raw frames), `WsClientHandshake`,
//!   `WsServerHandshake`, `wsAcceptKey`.
//! - [`longpoll`]: `ChunkedDecoder`/`ChunkedEncoder`, `HttpMessageDecoder`,
//!   `PollScheduler`, `encodeHttpRequestHead`/`encodeHttpResponseHead`,
//!   `decodeEngineIoPayload`/`encodeEngineIoPayload`.
//!
//! Each codec is a cargo feature (`sse`, `sdp`, `ws`, `longpoll`; all on by
//! default), so a smaller package can leave codecs out.
//!
//! Results cross into JS once per call: a wrapper lays out what a call
//! decoded in a batch buffer (strings joined, kinds and lengths
//! in a `u32` array) and `js/objects.js` builds the plain objects from it.
//! Setting object properties one by one from WebAssembly cost about 4 µs per
//! SSE event; the batch costs well under 1 µs. SDP objects come the same way,
//! from the tape codec-sdp writes (`codec_sdp::json_tape`): for a 6 KB offer
//! the builder takes about a third of what `JSON.parse` of the same value as
//! JSON text took.
//!
//! Errors reach JS as `Error` objects named `CodecError` with a stable
//! `code` string and the position fields of the core error (see [`error`]).
//!
//! # Dependencies
//! - `wasm-bindgen`: the JS ↔ WebAssembly glue and the generated TypeScript.
//! - `js-sys`: building plain JS objects, arrays and `Error`s.
//! - `codec-sse`, `codec-sdp`, `codec-ws`, `codec-http-longpoll`: the codecs being wrapped.
//! - `bytes`: the `BytesMut` buffers the codec encoders and decoders use.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Builds with only some codecs leave some shared helpers unused.
#![cfg_attr(
    not(all(feature = "sse", feature = "sdp", feature = "ws", feature = "longpoll")),
    allow(dead_code)
)]

pub mod error;
mod js;
#[cfg(feature = "longpoll")]
pub mod longpoll;
#[cfg(feature = "ws")]
mod random;
#[cfg(feature = "sdp")]
pub mod sdp;
#[cfg(feature = "sse")]
pub mod sse;
#[cfg(feature = "ws")]
pub mod ws;
