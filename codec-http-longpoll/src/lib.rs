#![doc = include_str!("../README.md")]
//!
//! # Layers
//! - [`MessageDecoder`]: head -> [`Event::Chunk`]/[`Event::Data`] -> [`Event::End`], for requests
//!   ([`Role::Server`]) or responses ([`Role::Client`]); framing per RFC 9112 §6.3 ([`BodyKind`]).
//! - [`ChunkedDecoder`] / [`ChunkedEncoder`]: the chunked transfer coding alone (RFC 9112 §7.1).
//! - [`RequestHead`] / [`ResponseHead`] / [`Headers`]: heads, with emitters into `BytesMut`.
//! - Long-poll framings: [`engineio`], [`DelimitedDecoder`], [`VarIntDecoder`].
//! - [`PollScheduler`] (client) and [`LongPollHub`] (server), driven by the caller's clock.
//!
//! Error offsets count bytes from the first byte fed to a decoder. Decoders are
//! fused: after an error every call returns it again.
//!
//! # Dependencies
//! - `bytes`: zero-copy `Bytes` slices for bodies and fields; encoders write into `BytesMut`.
//! - `thiserror`: the `Error` type (no_std).
//! - `httparse`: parses heads (the chunked coding is our own state machine: httparse's
//!   `parse_chunk_size` accepts a bare LF inside an extension).
//! - `memchr`: fast scans for line ends and separators.
//! - `base64`: Engine.IO binary packets.
//! - `tokio-util`, `tokio` (feature `tokio`): the codec adapter.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod body_framing;
mod buffered;
mod chunk_ext;
mod chunked;
mod chunked_encoder;
mod delimited;
mod encoder;
pub mod engineio;
mod error;
mod fields;
mod head;
mod headers;
mod limits;
mod longpoll;
mod message;
mod poll;
mod syntax;
#[cfg(feature = "tokio")]
pub mod tokio;
#[cfg(feature = "tokio")]
mod tokio_hub;
mod varint;

pub use body_framing::{request_body, response_body, BodyKind};
pub use buffered::BufferedDecoder;
pub use chunk_ext::{ExtIter, ExtValue, Extension, Extensions};
pub use chunked::{ChunkHeader, ChunkedDecoder, ChunkedEvent, RawEvent, Step};
pub use chunked_encoder::{ChunkedEncoder, ExtParam};
pub use delimited::{encode_delimited, DelimitedDecoder, Delimiter};
pub use encoder::{MessageEncoder, Outgoing};
pub use error::{Error, HeadPart};
pub use fields::{
    format_http_date, if_none_match, parse_http_date, CacheControl, ETag, RetryAfter,
};
pub use head::{reason_phrase, RequestHead, ResponseHead, Version};
pub use headers::{list_elements, Field, Headers};
pub use limits::{Leniency, Limits};
pub use longpoll::{Answer, HoldId, LongPollHub};
pub use message::{Event, MessageDecoder, Role};
pub use poll::{NextPoll, PollConfig, PollScheduler};
pub use varint::{encode_varint_frame, VarIntDecoder};
