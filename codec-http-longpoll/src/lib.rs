//! Sans-IO HTTP/1.1 codec for polling and long polling: heads, RFC 9112 body framing, chunked bodies and long-poll framings.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
