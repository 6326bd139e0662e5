//! Randomness from the host (`crypto.getRandomValues`), for WebSocket
//! nonces and masking keys. The codec cores take randomness as input.

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::usage_error;

/// Fills `buf` from `globalThis.crypto.getRandomValues` (browsers, workers,
/// Deno, Node 20).
///
/// # Errors
/// `INVALID_ARGUMENT` when the host has no Web Crypto.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get = Reflect::get(&crypto, &"getRandomValues".into())?;
    let get: Function = get.dyn_into().map_err(|_| {
        usage_error("crypto.getRandomValues is not available; pass a nonce/maskSeed")
    })?;
    // Web Crypto refuses views over WASM memory shared with other threads, so
    // fill a JS-owned array and copy it in.
    let arr = Uint8Array::new_with_length(u32::try_from(buf.len()).unwrap_or(u32::MAX));
    get.call1(&crypto, &arr)?;
    arr.copy_to(buf);
    Ok(())
}

/// A fresh masking key per frame (RFC 6455 §5.3: unpredictable), for
/// `codec_ws::Config::mask_hook`.
pub(crate) fn mask_key() -> [u8; 4] {
    let mut key = [0u8; 4];
    // The constructor checked that Web Crypto works; should it fail later,
    // the frame still goes out masked, with a zero key.
    let _ = fill(&mut key);
    key
}
