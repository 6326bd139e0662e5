//! Core errors as JS `Error` objects.
//!
//! Every error thrown by the package is a JS `Error` with `name` set to
//! `"CodecError"`, a stable upper-case `code` (for example
//! `"SSE_LINE_TOO_LONG"`) and the position the core reported (`offset`,
//! `line`, `column`) as extra number properties. The message is the core
//! error's `Display` text.

use js_sys::Reflect;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** What every function of this package throws: an `Error` named "CodecError" with a stable
 * upper-case `code` (`SSE_LINE_TOO_LONG`, `WS_INVALID_UTF8`, `INVALID_ARGUMENT`, ...) and the
 * position of the problem as number fields (`offset`, `line`, `column`, ... as the code has). */
export interface CodecError extends Error {
  name: "CodecError";
  code: string;
  offset?: number;
  line?: number;
  column?: number;
  [field: string]: unknown;
}
"#;

/// Builds the JS `Error` for a core error.
///
/// `fields` are extra properties (`offset`, `line`, `column`, `max`, ...).
#[must_use]
pub fn codec_error(code: &str, message: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("CodecError");
    // Reflect::set only fails on frozen or proxied objects; a fresh Error is neither.
    let _ = Reflect::set(&err, &"code".into(), &code.into());
    for (name, value) in fields {
        let _ = Reflect::set(&err, &(*name).into(), value);
    }
    err.into()
}

/// A `TypeError`-like misuse error (bad option, wrong argument shape).
#[must_use]
pub fn usage_error(message: &str) -> JsValue {
    codec_error("INVALID_ARGUMENT", message, &[])
}

/// Stream positions are `u64` in the cores; JS numbers hold them exactly up
/// to 2^53, far past any stream a page can read.
pub(crate) fn num_u64(v: u64) -> f64 {
    v as f64
}

/// See [`num_u64`].
pub(crate) fn num_usize(v: usize) -> f64 {
    v as f64
}

/// An error found after a call had already decoded some items.
///
/// `feed()` returns those items and the error is thrown by the next call
/// (`feed()` or `finish()`), so nothing decoded before a fault is lost.
#[derive(Default)]
pub(crate) struct Deferred(Option<JsValue>);

impl Deferred {
    /// Throws the deferred error, if any.
    pub(crate) fn check(&mut self) -> Result<(), JsValue> {
        self.0.take().map_or(Ok(()), Err)
    }

    /// Whether an error waits for the next call.
    pub(crate) fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Keeps `err` for the next call.
    pub(crate) fn set(&mut self, err: JsValue) {
        self.0 = Some(err);
    }

    /// Ends a drain that hit `err`: throws now when nothing was decoded,
    /// else returns the items and keeps `err` for the next call.
    pub(crate) fn fail(
        &mut self,
        out: js_sys::Array,
        err: JsValue,
    ) -> Result<js_sys::Array, JsValue> {
        if out.length() == 0 {
            Err(err)
        } else {
            self.0 = Some(err);
            Ok(out)
        }
    }

    /// Drains a decoder: `next` until it has nothing more, each item turned
    /// into a JS value by `item`; an error ends the drain as [`fail`](Self::fail) does.
    pub(crate) fn drain<T, E>(
        &mut self,
        mut next: impl FnMut() -> Result<Option<T>, E>,
        mut item: impl FnMut(T) -> JsValue,
        err: impl FnOnce(&E) -> JsValue,
    ) -> Result<js_sys::Array, JsValue> {
        let out = js_sys::Array::new();
        loop {
            match next() {
                Ok(Some(v)) => {
                    out.push(&item(v));
                }
                Ok(None) => return Ok(out),
                Err(e) => return self.fail(out, err(&e)),
            }
        }
    }
}
