//! Small helpers to build plain JS objects and read option bags.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::usage_error;

/// Sets `obj[key] = value`.
pub(crate) fn set(obj: &Object, key: &JsValue, value: &JsValue) {
    // Reflect::set only fails on frozen or proxied objects; ours are fresh.
    let _ = Reflect::set(obj, key, value);
}

/// Reads an option bag: `undefined`/`null` mean "no options".
pub(crate) fn options(value: &JsValue) -> Result<Option<Object>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_ref::<Object>()
        .cloned()
        .map(Some)
        .ok_or_else(|| usage_error("options must be an object"))
}

/// `opts[name]`, or `None` when absent or undefined.
fn get(opts: &Object, name: &str) -> Result<Option<JsValue>, JsValue> {
    let v = Reflect::get(opts, &name.into())?;
    Ok((!v.is_undefined()).then_some(v))
}

/// A non-negative integer option (a size limit), passed through unchanged.
pub(crate) fn opt_usize(opts: &Object, name: &str) -> Result<Option<usize>, JsValue> {
    let Some(v) = get(opts, name)? else {
        return Ok(None);
    };
    match v.as_f64() {
        // The `as` cast is exact: the value is a non-negative integer below 2^53.
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => {
            Ok(Some(usize::try_from(n as u64).unwrap_or(usize::MAX)))
        }
        _ => Err(usage_error(&format!(
            "option {name} must be a non-negative integer"
        ))),
    }
}

/// A boolean option.
pub(crate) fn opt_bool(opts: &Object, name: &str) -> Result<Option<bool>, JsValue> {
    let Some(v) = get(opts, name)? else {
        return Ok(None);
    };
    v.as_bool()
        .map(Some)
        .ok_or_else(|| usage_error(&format!("option {name} must be a boolean")))
}

/// A string option.
pub(crate) fn opt_string(opts: &Object, name: &str) -> Result<Option<String>, JsValue> {
    let Some(v) = get(opts, name)? else {
        return Ok(None);
    };
    v.as_string()
        .map(Some)
        .ok_or_else(|| usage_error(&format!("option {name} must be a string")))
}

/// Length of `s` in UTF-16 code units (what JS string offsets count): one
/// per character, two for characters outside the BMP. That is the byte
/// length, less continuation bytes (`10xxxxxx`), plus one per 4-byte
/// lead (`11110xxx`); counted eight bytes at a time.
pub(crate) fn utf16_len(s: &str) -> u32 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    let mut len = b.len();
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        let w = u64::from_le_bytes(a);
        if w & HIGH == 0 {
            continue;
        }
        // Bit 7 of each byte: set for continuation bytes (bit 7 set, bit 6 clear),
        // and for 4-byte leads (bits 7 to 4 set). Shifts stay inside each byte.
        let cont = w & !(w << 1) & HIGH;
        let four = w & (w << 1) & (w << 2) & (w << 3) & HIGH;
        len = len - cont.count_ones() as usize + four.count_ones() as usize;
    }
    for &c in words.remainder() {
        len = len - usize::from(c & 0xC0 == 0x80) + usize::from(c >= 0xF0);
    }
    // Batches are bounded by the codec limits, far below 4 GiB.
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Largest batch buffers kept between calls; a bigger one is given back.
const KEEP: usize = 1 << 16;

/// One call's worth of results, laid out for a builder in js/objects.js:
/// all strings joined in `text`, kinds and lengths in `meta`, bytes in `blob`.
///
/// String lengths go into `meta` as byte lengths; [`Batch::finish`] turns
/// them into UTF-16 lengths (what JS offsets count), which for an all-ASCII
/// batch, the common case, needs no per-string work.
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) text: String,
    pub(crate) meta: Vec<u32>,
    pub(crate) blob: Vec<u8>,
    /// Indexes in `meta` that hold string lengths, in `text` order.
    strings: Vec<u32>,
}

impl Batch {
    /// Appends a number to `meta`.
    pub(crate) fn num(&mut self, n: u32) {
        self.meta.push(n);
    }

    /// Appends a string and its length.
    pub(crate) fn str(&mut self, s: &str) {
        self.text.push_str(s);
        self.strings.push(len32(self.meta.len()));
        self.meta.push(len32(s.len()));
    }

    /// Appends bytes and their length.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.blob.extend_from_slice(b);
        self.meta.push(len32(b.len()));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Converts the string lengths in `meta` to UTF-16 units; call once,
    /// before handing the batch to JS.
    pub(crate) fn finish(&mut self) {
        if self.text.is_ascii() {
            return;
        }
        let mut at = 0;
        for &slot in &self.strings {
            let Some(len) = self.meta.get_mut(slot as usize) else {
                continue;
            };
            let end = at + *len as usize;
            // Slots were recorded at string boundaries, so the range is on char boundaries.
            *len = self.text.get(at..end).map_or(0, utf16_len);
            at = end;
        }
    }

    /// Empties the batch, giving back the memory of an unusually large one.
    pub(crate) fn clear(&mut self) {
        if self.text.capacity() > KEEP {
            self.text = String::new();
        }
        if self.meta.capacity() > KEEP {
            self.meta = Vec::new();
        }
        if self.blob.capacity() > KEEP {
            self.blob = Vec::new();
        }
        if self.strings.capacity() > KEEP {
            self.strings = Vec::new();
        }
        self.text.clear();
        self.meta.clear();
        self.blob.clear();
        self.strings.clear();
    }
}

/// Lengths and indexes of a batch fit in u32: the codec limits bound a batch
/// far below 4 GiB.
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{utf16_len, Batch};

    #[test]
    fn batch_lengths_are_utf16_units() {
        for strs in [&["ascii", "", "only"][..], &["ünï", "x", "😀a", ""][..]] {
            let mut b = Batch::default();
            b.num(7);
            for s in strs {
                b.str(s);
                b.num(9);
            }
            b.finish();
            let want: Vec<u32> = core::iter::once(7)
                .chain(
                    strs.iter()
                        .flat_map(|s| [s.encode_utf16().count() as u32, 9]),
                )
                .collect();
            assert_eq!(b.meta, want);
        }
    }

    #[test]
    fn utf16_len_matches_encode_utf16() {
        let samples = [
            "",
            "plain ascii text that is longer than eight bytes",
            "ünï",
            "token 42 ünïcödé € 我現在 😀 𝄞 end",
            "😀😀😀😀😀😀😀😀😀",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ];
        for s in samples {
            for start in 0..s.len() {
                if let Some(sub) = s.get(start..) {
                    assert_eq!(
                        utf16_len(sub) as usize,
                        sub.encode_utf16().count(),
                        "{sub:?}"
                    );
                }
            }
        }
    }
}
