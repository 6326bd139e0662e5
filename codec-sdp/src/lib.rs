//! WebRTC SDP (RFC 8866, JSEP, RFC 8839) parser, serializer and builder with a lossless round trip and typed views.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
