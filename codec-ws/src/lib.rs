#![doc = include_str!("../README.md")]
//!
//! ## Dependencies
//!
//! `bytes` (zero-copy buffers), `thiserror` (the error type), `httparse` (HTTP heads of
//! the handshake), `base64` and `sha1` (`Sec-WebSocket-Key`/`Accept`), `simdutf8` (fast
//! UTF-8 validation of text; the `std` feature turns on its run-time choice of AVX2 or
//! SSE4.2, without it only what the target enables at compile time is used), `multiversion`
//! (`std` only: compiles the unmasking kernels a second time for AVX2 and picks that
//! version at run time; its macro writes the `unsafe` dispatch, none is in this crate).
//! Feature `deflate`: `flate2` with the pure-Rust `zlib-rs`
//! backend, which supports the 9-15 window bits RFC 7692 needs (miniz_oxide does not) and
//! builds for wasm32. Feature `tokio`: `tokio-util` (codec traits, `poll_read_buf`),
//! `tokio` (`AsyncRead`/`AsyncWrite`), `futures-core`/`futures-sink` (`Stream`/`Sink`).
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod close;
mod connection;
mod decoder;
#[cfg(feature = "deflate")]
mod deflate;
mod encoder;
mod error;
mod frame;
pub mod handshake;
mod limits;
mod mask;
mod message;
#[cfg(feature = "tokio")]
pub mod tokio;
mod utf8;

pub use close::{CloseCode, CloseFrame};
pub use connection::{Config, Connection, State};
pub use decoder::{Decoder, Frame, FrameRef};
#[cfg(feature = "deflate")]
pub use deflate::{DeflateConfig, DeflateParams};
pub use encoder::{encode_frame, encode_header};
pub use error::Error;
pub use frame::{FrameHeader, OpCode, MAX_HEADER_LEN};
pub use limits::Limits;
pub use mask::apply_mask;
pub use message::{Message, Payload, INLINE_PAYLOAD};

/// Which end of the connection this codec is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The side that opened the connection: masks what it sends.
    Client,
    /// The side that accepted it: expects masked frames.
    Server,
}
