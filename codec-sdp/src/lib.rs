#![doc = include_str!("../README.md")]
//!
//! # Dependencies
//! - `thiserror`: the `Display`/`Error` impls of [`Error`] (no_std capable).
//! - `memchr`: line splitting (CR/LF search), the only per-byte pass that
//!   every parse makes.
//! - `bytes`: [`Sdp::encode`] writes into a caller's `BytesMut`.
//! - `serde`, `serde_json` (feature `json`): the sdp-transform-shaped JSON
//!   (serde_json's parser reads JSON text into a borrowed value of ours,
//!   cheaper than its `Value`, which the API also takes and gives) and serde
//!   for [`CandidateInit`].
//!
//! nom is not used: every SDP field is a space-separated token list, which a
//! small hand-written splitter (`scan.rs`) handles without allocating and
//! with exact error columns.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

/// Fuzz target bodies: `codec_sdp::__fuzz::sdp_parse(data)` and friends
/// (feature `__fuzz`, private).
#[cfg(any(test, feature = "__fuzz"))]
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;
mod attribute;
mod builder;
mod candidate;
mod edit;
mod error;
mod fields;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "json")]
mod json_extra;
#[cfg(feature = "json")]
mod json_node;
#[cfg(feature = "json")]
pub mod json_tape;
#[cfg(feature = "json")]
mod json_text;
#[cfg(feature = "json")]
mod json_write;
mod limits;
mod line;
mod parse;
mod rtp;
mod scan;
mod sdp;
mod section;
mod session_edit;
mod simulcast;

pub use attribute::{
    Attribute, Direction, Fingerprint, Group, Msid, MsidSemantic, Rtcp, Sctpmap, Setup,
};
pub use builder::{MediaBuilder, SdpBuilder};
pub use candidate::{AddressKind, Candidate, CandidateInit};
pub use edit::MediaMut;
pub use error::{Error, Problem, Rule};
pub use fields::{Bandwidth, Connection, MediaLine, Origin, Repeat, TimeZones, Timing};
pub use limits::{Limits, Mode, ParseOptions};
pub use line::{Line, LineEnding};
pub use rtp::{Extmap, Fmtp, RtcpFb, Rtpmap, Ssrc, SsrcGroup};
pub use sdp::Sdp;
pub use section::{AttributeLine, Codec, Media, Section};
pub use session_edit::SessionMut;
pub use simulcast::{Rid, Simulcast, SimulcastList, SimulcastRid};
