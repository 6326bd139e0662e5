#![doc = include_str!("../README.md")]
//!
//! # Dependencies
//! - `bytes`: zero-copy input and output buffers (`BytesMut`, `Bytes`).
//! - `bytestring`: UTF-8 strings over `Bytes`, so decoded values share the
//!   input buffer and need no `unsafe` here.
//! - `memchr`: fast search for the last line end of a read and for NULL in
//!   long ids.
//! - `wide`: safe portable SIMD (SSE2, NEON, wasm simd128, or plain arrays),
//!   used to find the line ends of a 64-byte block at once; one search call
//!   per line costs more than the search on short SSE lines.
//! - `simdutf8`: SIMD UTF-8 validation of the lines parsed in place from a
//!   caller's chunk ([`Parser::feed_with`]), once per chunk.
//! - `thiserror`: the `Error` type.
//! - `tokio`, `tokio-util`, `futures-core` (feature `tokio`): the adapter.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod buffered;
pub mod client;
mod decoder;
mod encoder;
mod error;
mod event;
mod field;
#[cfg(feature = "__fuzz")]
#[doc(hidden)]
pub mod __fuzz {
    //! Private: fuzz target bodies.
    pub use crate::fuzz::{sse_decode, sse_split};
}
#[cfg(feature = "__fuzz")]
mod fuzz;
mod limits;
mod scan;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use buffered::Parser;
pub use bytestring::ByteString;
pub use decoder::Decoder;
pub use encoder::{encode_comment, encode_event, encode_heartbeat, encode_retry, Encoder};
pub use error::{Error, FieldName};
pub use event::{Event, EventRef, Item, ItemRef};
pub use limits::Limits;
