//! The realtime-codecs npm package: wasm-bindgen wrappers over the Sans-IO codec crates.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
