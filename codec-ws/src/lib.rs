//! Sans-IO WebSocket codec: frames, messages, the HTTP/1.1 upgrade handshake (RFC 6455) and permessage-deflate (RFC 7692).
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
