//! Sans-IO Server-Sent Events codec: the WHATWG event stream parser, an emitter and EventSource reconnection state.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
