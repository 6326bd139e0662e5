//! Small helpers to build plain JS objects and read option bags.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::usage_error;
#[cfg(any(feature = "sse", feature = "ws"))]
use crate::error::Deferred;

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// A string's UTF-8 bytes (by `TextEncoder`), or `undefined` for any other value.
    fn utf8_bytes(value: &JsValue) -> Option<Uint8Array>;
    /// Gives js/objects.js the WebAssembly memory that batches are read from.
    fn bind_memory(memory: &JsValue);
    /// Copies a chunk of bytes to `at` when it fits in `cap` bytes; its length
    /// either way, or -1 when it is not bytes (see js/objects.js).
    fn copy_in(chunk: &JsValue, at: u32, cap: u32) -> f64;
}

/// The bytes of one `feed(chunk)`, copied by JS straight into a buffer kept
/// across calls. A `&[u8]` parameter would take any JS value (wasm-bindgen's
/// glue reads a string as that many zero bytes) and allocate per call; this
/// refuses what is not bytes. (Measured against the `&[u8]` parameter: the
/// same speed within noise.)
#[derive(Default)]
pub(crate) struct Input {
    buf: Vec<u8>,
}

impl Input {
    /// A buffer larger than this is given back at the next call rather than
    /// kept for the parser's lifetime.
    const KEEP: usize = 64 << 10;

    /// The chunk's bytes (a `Uint8Array`, any other typed array or
    /// `DataView` as its bytes, or an `ArrayBuffer`).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for anything else.
    pub(crate) fn read(&mut self, chunk: &JsValue) -> Result<&[u8], JsValue> {
        if self.buf.len() > Self::KEEP {
            self.buf = Vec::new();
        }
        let mut n = copy_in(chunk, addr(self.buf.as_ptr()), len32(self.buf.len()));
        if n > self.buf.len() as f64 {
            // Did not fit: make room (memory may grow; JS renews its view) and copy.
            self.buf.resize(n as usize, 0);
            n = copy_in(chunk, addr(self.buf.as_ptr()), len32(self.buf.len()));
        }
        Ok(self.buf.get(..chunk_len(n)?).unwrap_or_default())
    }

    /// Makes room for a chunk of `len` bytes that JS writes itself, and
    /// returns its address (for the `feed` fast path of js/objects.js, which
    /// then calls [`written`](Self::written)). Memory may grow.
    #[cfg(any(feature = "sse", feature = "ws"))]
    pub(crate) fn room(&mut self, len: usize) -> u32 {
        if self.buf.len() > Self::KEEP && len <= Self::KEEP {
            self.buf = Vec::new();
        }
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        addr(self.buf.as_ptr())
    }

    /// The `len` bytes JS wrote after [`room`](Self::room) (none when `len`
    /// is more than it made room for).
    #[cfg(any(feature = "sse", feature = "ws"))]
    pub(crate) fn written(&self, len: usize) -> &[u8] {
        self.buf.get(..len).unwrap_or_default()
    }
}

/// The length `copy_in` answered, or the error for a chunk that is not bytes.
fn chunk_len(n: f64) -> Result<usize, JsValue> {
    if n.is_nan() || n < 0.0 {
        return Err(usage_error("chunk must be a Uint8Array"));
    }
    Ok(n as usize)
}

/// Appends the bytes of `chunk` (what [`Input::read`] takes) to `buf`, copied
/// by JS straight into it.
///
/// # Errors
/// `INVALID_ARGUMENT` when `chunk` is not bytes.
#[cfg(any(feature = "ws", feature = "longpoll"))]
pub(crate) fn append_bytes(buf: &mut bytes::BytesMut, chunk: &JsValue) -> Result<(), JsValue> {
    // Capacity 0: only the length comes back.
    let n = chunk_len(copy_in(chunk, 0, 0))?;
    let at = buf.len();
    buf.resize(at + n, 0);
    let room = buf.get(at..).unwrap_or_default();
    copy_in(chunk, addr(room.as_ptr()), len32(room.len()));
    Ok(())
}

/// Lets js/objects.js read this module's memory (batches) and write it
/// (`feed` chunks); call from every constructor of a type that hands out
/// batches or takes chunks (once per object: one call into JS, so no shared
/// state is needed here).
pub(crate) fn bind_batches() {
    bind_memory(&wasm_bindgen::memory());
}

/// The UTF-8 bytes of `value` when it is a string (lone surrogates become
/// U+FFFD, as any UTF-8 encoder makes them). Faster than `as_string()` for
/// long strings: the engine's encoder and one copy into WASM memory, where
/// wasm-bindgen's string passing walks ASCII one character at a time in JS
/// (measured: 11% of `parseSdp` for a 6 KB offer).
pub(crate) fn string_bytes(value: &JsValue) -> Option<Vec<u8>> {
    utf8_bytes(value).map(|a| a.to_vec())
}

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

/// `n` as an integer when it is one in `0..=max` (`max` at most 2^53 - 1,
/// where every integer is exact in a JS number).
fn whole(n: f64, max: u64) -> Option<u64> {
    // The `as` casts are exact: both values are integers below 2^53.
    (n >= 0.0 && n.fract() == 0.0 && n <= max as f64).then_some(n as u64)
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE: u64 = (1 << 53) - 1;

/// A non-negative integer option (a size limit), passed through unchanged.
pub(crate) fn opt_usize(opts: &Object, name: &str) -> Result<Option<usize>, JsValue> {
    let Some(v) = get(opts, name)? else {
        return Ok(None);
    };
    match v.as_f64().and_then(|n| whole(n, MAX_SAFE)) {
        Some(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        None => Err(usage_error(&format!(
            "option {name} must be a non-negative integer"
        ))),
    }
}

/// An integer argument in `0..=max`. A JS number outside it (or with a
/// fraction) is refused, where a `u16` parameter would silently wrap it.
///
/// # Errors
/// `INVALID_ARGUMENT` naming the argument.
pub(crate) fn int_arg(n: f64, max: u64, name: &str) -> Result<u64, JsValue> {
    let max = max.min(MAX_SAFE);
    whole(n, max).ok_or_else(|| usage_error(&format!("{name} must be an integer from 0 to {max}")))
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

/// Appends `s` to `out` as UTF-16 code units (what JS strings hold): one
/// per character, a surrogate pair for characters outside the BMP.
#[cfg(test)]
fn push_utf16(out: &mut Vec<u16>, s: &str) {
    let start = out.len();
    // Never more code units than bytes: written in place, then cut to size.
    out.resize(start + s.len(), 0);
    let o = widen_run(
        out.get_mut(start..).unwrap_or_default(),
        s.as_bytes(),
        0,
        0,
        s.len(),
    );
    out.truncate(start + o);
}

/// Widens the characters `b[i..end]` of the UTF-8 text `b` into `dst` from
/// unit `o` on, and returns the unit after the last one written. `dst` MUST
/// have room for `b.len()` units (never more units than bytes), and `i` and
/// `end` MUST be character boundaries. Runs of ASCII are widened sixteen
/// bytes at a time (vector code with simd128), also across `end`: a block
/// that reaches past it counts only the bytes before it (what it wrote past
/// them is overwritten by the next run or cut off).
fn widen_run(dst: &mut [u16], b: &[u8], mut i: usize, mut o: usize, end: usize) -> usize {
    const HIGH: u128 = u128::from_le_bytes([0x80; 16]);
    while i < end {
        if let (Some(w), Some(d)) = (
            b.get(i..).and_then(<[u8]>::first_chunk::<16>),
            dst.get_mut(o..).and_then(<[u16]>::first_chunk_mut::<16>),
        ) {
            // All sixteen are widened; the output moves on past the ASCII ones
            // before the first non-ASCII byte (or `end`).
            for (d, &c) in d.iter_mut().zip(w) {
                *d = u16::from(c);
            }
            let high = u128::from_le_bytes(*w) & HIGH;
            let ascii = (high.trailing_zeros() / 8) as usize;
            let step = ascii.min(end - i);
            i += step;
            o += step;
            if ascii >= 16 || i >= end {
                continue;
            }
        }
        let Some(&lead) = b.get(i) else {
            break;
        };
        if lead < 0x80 {
            if let Some(d) = dst.get_mut(o) {
                *d = u16::from(lead);
            }
            i += 1;
            o += 1;
            continue;
        }
        // `b` is UTF-8, so the lead byte tells the length and the
        // continuation bytes are there; a short read only ends the loop.
        let byte = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0));
        let lead = u32::from(lead);
        let (c, n) = match lead {
            0..=0xDF => (((lead & 0x1F) << 6) | (byte(1) & 0x3F), 2),
            0xE0..=0xEF => (
                ((lead & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F),
                3,
            ),
            _ => (
                ((lead & 0x07) << 18)
                    | ((byte(1) & 0x3F) << 12)
                    | ((byte(2) & 0x3F) << 6)
                    | (byte(3) & 0x3F),
                4,
            ),
        };
        i += n;
        if c < 0x1_0000 {
            if let Some(d) = dst.get_mut(o) {
                // c < 0x10000: the cast is exact.
                *d = c as u16;
            }
            o += 1;
        } else {
            // A surrogate pair (RFC 2781 §2.1); a 4-byte character has room for two units.
            let v = c - 0x1_0000;
            if let Some([hi, lo]) = dst.get_mut(o..).and_then(<[u16]>::first_chunk_mut::<2>) {
                // v < 2^20: both halves fit in 10 bits.
                *hi = 0xD800 | (v >> 10) as u16;
                *lo = 0xDC00 | (v & 0x3FF) as u16;
            }
            o += 2;
        }
    }
    o
}

/// Ends a `__feedRoom` (the JS `feed` fast path of js/objects.js): the
/// batch readied for JS to build (see [`Batch::ready`]), or -1 when the
/// call is to throw `err`, which then waits in `deferred` for the
/// wasm-bindgen `feed` to throw. An error after some items is kept for the
/// next call, as [`Deferred::fail`] does.
#[cfg(any(feature = "sse", feature = "ws"))]
pub(crate) fn ready_or_fail(
    batch: &mut Batch,
    deferred: &mut Deferred,
    err: Option<JsValue>,
) -> f64 {
    if let Some(e) = err {
        deferred.set(e);
        if batch.is_empty() {
            return -1.0;
        }
    }
    batch.ready()
}

/// Largest batch buffers kept between calls; a bigger one is given back.
const KEEP: usize = 1 << 16;

/// One call's worth of results, laid out for a builder in js/objects.js:
/// all strings joined in `text`, kinds and lengths in `meta`, bytes in `blob`.
///
/// The builder gets where `meta` is in WASM memory (two numbers): its first
/// [`HEADER`] numbers say where the text and the bytes are, and the builder
/// reads all of it through views of the memory it keeps (see
/// [`bind_batches`]). Creating a view per slice per call measured 14% of the
/// time of a 256-byte SSE chunk.
///
/// String lengths go into `meta` as byte lengths. [`Batch::finish`] hands
/// the text to JS in the form that is cheapest to turn into a JS string: an
/// all-ASCII batch (the common case) as its bytes, with lengths unchanged;
/// any other as UTF-16 code units, with the lengths rewritten in those
/// units (what JS offsets count). Measured in Node 20: making a string from
/// UTF-16 runs at 1.1 GB/s through `TextDecoder` and 6 GB/s through
/// `Buffer`, against 0.4-0.8 GB/s from non-ASCII UTF-8.
pub(crate) struct Batch {
    pub(crate) text: String,
    pub(crate) meta: Vec<u32>,
    pub(crate) blob: Vec<u8>,
    /// Indexes in `meta` that hold string lengths, in `text` order.
    strings: Vec<u32>,
    /// `text` as UTF-16, when it is not all ASCII (see [`Batch::finish`]).
    wide: Vec<u16>,
}

/// `meta[0..HEADER]`: the text's address and length (bytes when ASCII, code
/// units when UTF-16), 1 when it is UTF-16 else 0, the address and length
/// of `blob`, the length of `meta` (in numbers, the header included), and 1
/// when a buffer of the batch is larger than [`KEEP`] (then the `feed` fast
/// path has the batch released at once rather than at the next call).
/// js/objects.js reads the same layout (its `HEADER`).
pub(crate) const HEADER: usize = 7;

/// In a byte item's `[len, where]`: the bytes are the next ones in `blob`.
const IN_BLOB: u32 = u32::MAX;

impl Default for Batch {
    fn default() -> Self {
        Self {
            text: String::new(),
            meta: vec![0; HEADER],
            blob: Vec::new(),
            strings: Vec::new(),
            wide: Vec::new(),
        }
    }
}

/// A WASM memory address (what JS indexes the memory by). Only meaningful
/// on wasm32, where addresses are 32 bits; elsewhere it is never read.
pub(crate) fn addr<T>(p: *const T) -> u32 {
    // Truncation only off wasm32 (see above).
    p as usize as u32
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

    /// Appends bytes: `[len, IN_BLOB]`, the bytes copied into `blob`. The
    /// builder gives all of a batch's blob bytes one `ArrayBuffer` (one
    /// allocation per call, not per item).
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.blob.extend_from_slice(b);
        self.meta.push(len32(b.len()));
        self.meta.push(IN_BLOB);
    }

    /// Appends bytes that stay where they are until the batch is handed
    /// over (the caller keeps them alive): `[len, address]`. The builder
    /// copies them into an `ArrayBuffer` of their own, saving the copy into
    /// `blob` for large payloads.
    #[cfg(feature = "ws")]
    pub(crate) fn bytes_at(&mut self, b: &[u8]) {
        self.meta.push(len32(b.len()));
        self.meta.push(addr(b.as_ptr()));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.meta.len() <= HEADER
    }

    /// Readies the batch for JS and returns where `meta` (with its header
    /// filled in) is: its address in WASM memory and its length in numbers.
    /// Call once, before handing the batch over. The text goes as ASCII
    /// bytes or as UTF-16 code units; for UTF-16, the string lengths in
    /// `meta` become lengths in code units.
    pub(crate) fn finish(&mut self) -> (u32, u32) {
        let ascii = self.text.is_ascii();
        self.wide.clear();
        let header = if ascii {
            [addr(self.text.as_ptr()), len32(self.text.len()), 0]
        } else {
            self.widen();
            [addr(self.wide.as_ptr()), len32(self.wide.len()), 1]
        };
        let blob = [addr(self.blob.as_ptr()), len32(self.blob.len())];
        let count = len32(self.meta.len());
        let large = u32::from(self.is_large());
        if let Some(h) = self.meta.get_mut(..HEADER) {
            h.copy_from_slice(&[
                header[0], header[1], header[2], blob[0], blob[1], count, large,
            ]);
        }
        (addr(self.meta.as_ptr()), count)
    }

    /// The text as the builder gets it: ASCII bytes or UTF-16 code units.
    #[cfg(test)]
    fn sent_text(&self) -> (&[u8], &[u16]) {
        if self.meta.get(2) == Some(&1) {
            (&[], &self.wide)
        } else {
            (self.text.as_bytes(), &[])
        }
    }

    /// For a `feed` fast path that builds the objects in JS: the address of
    /// the batch readied ([`finish`](Self::finish); its length is in the
    /// header), or 0 when it is empty. It stays in place until the next
    /// [`clear`](Self::clear).
    #[cfg(any(feature = "sse", feature = "ws"))]
    pub(crate) fn ready(&mut self) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        f64::from(self.finish().0)
    }

    /// Whether a buffer has grown past [`KEEP`] ([`clear`](Self::clear)
    /// gives it back).
    fn is_large(&self) -> bool {
        self.text.capacity() > KEEP
            || self.meta.capacity() > KEEP
            || self.blob.capacity() > KEEP
            || self.strings.capacity() > KEEP
            || self.wide.capacity() > KEEP
    }

    /// The batch as JS objects through `build` (a builder of js/objects.js,
    /// one call into JS for all of them); the batch is then emptied.
    pub(crate) fn hand_over(&mut self, build: fn(u32, u32) -> Array) -> Array {
        let out = if self.is_empty() {
            Array::new()
        } else {
            let (at, count) = self.finish();
            build(at, count)
        };
        self.clear();
        out
    }

    fn widen(&mut self) {
        // One pass over the whole text, string by string: each string's
        // length in code units is where its run ended less where it began.
        let b = self.text.as_bytes();
        self.wide.resize(b.len(), 0);
        let (mut at, mut o) = (0, 0);
        for &slot in &self.strings {
            let Some(len) = self.meta.get_mut(slot as usize) else {
                continue;
            };
            // Slots were recorded at string boundaries: character boundaries.
            let end = (at + *len as usize).min(b.len());
            let next = widen_run(&mut self.wide, b, at, o, end);
            *len = len32(next - o);
            (at, o) = (end, next);
        }
        self.wide.truncate(o);
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
        if self.wide.capacity() > KEEP {
            self.wide = Vec::new();
        }
        self.text.clear();
        self.meta.clear();
        self.meta.extend_from_slice(&[0; HEADER]);
        self.blob.clear();
        self.strings.clear();
        self.wide.clear();
    }
}

/// Lengths and indexes of a batch fit in u32: the codec limits bound a batch
/// far below 4 GiB.
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{push_utf16, Batch, HEADER};

    #[test]
    fn batch_text_is_ascii_bytes_or_utf16_with_utf16_lengths() {
        for strs in [&["ascii", "", "only"][..], &["ünï", "x", "😀a", ""][..]] {
            let mut b = Batch::default();
            b.num(7);
            for s in strs {
                b.str(s);
                b.num(9);
            }
            let joined: String = strs.concat();
            let (_, count) = b.finish();
            assert_eq!(count as usize, b.meta.len());
            let (narrow, wide) = b.sent_text();
            let (narrow, wide) = (narrow.to_vec(), wide.to_vec());
            if joined.is_ascii() {
                assert_eq!(narrow, joined.as_bytes());
                assert!(wide.is_empty());
            } else {
                assert!(narrow.is_empty());
                assert_eq!(wide, joined.encode_utf16().collect::<Vec<_>>());
            }
            let want: Vec<u32> = core::iter::once(7)
                .chain(
                    strs.iter()
                        .flat_map(|s| [s.encode_utf16().count() as u32, 9]),
                )
                .collect();
            assert_eq!(b.meta[HEADER..], want);
            let text_len = if joined.is_ascii() {
                joined.len()
            } else {
                wide.len()
            };
            assert_eq!(b.meta[1] as usize, text_len);
        }
    }

    /// The header tells the builder the batch's length and whether it is
    /// large; `ready` is the batch's address, exact for any length (an
    /// address and a length packed into one f64 lost the address's low
    /// bits past 2^53).
    #[test]
    #[cfg(any(feature = "sse", feature = "ws"))]
    fn header_holds_the_length_and_the_large_flag() {
        let mut b = Batch::default();
        assert_eq!(b.ready(), 0.0);
        b.num(3);
        b.str("x");
        let (at, count) = b.finish();
        assert_eq!(count as usize, b.meta.len());
        assert_eq!(b.meta[5], count);
        assert_eq!(b.meta[6], 0);
        assert_eq!(b.ready(), f64::from(at));
        for _ in 0..=super::KEEP {
            b.num(1);
        }
        let (_, count) = b.finish();
        assert_eq!(b.meta[5], count);
        assert_eq!(b.meta[6], 1, "meta is past KEEP");
        b.clear();
        b.str(&"é".repeat(super::KEEP));
        b.finish();
        assert_eq!(b.meta[6], 1, "text is past KEEP");
        b.clear();
        assert!(b.is_empty());
        b.str("small");
        b.finish();
        assert_eq!(b.meta[6], 0, "clear gave the large buffers back");
    }

    /// The runs of `widen`: strings cut at every character boundary (so a
    /// run ends anywhere in a sixteen-byte block, and blocks reach into the
    /// next string), each with its own length in code units.
    #[test]
    fn widened_batch_strings_have_their_own_lengths() {
        let samples = [
            "token 42 ünïcödé € 我現在 😀 𝄞 end of a longer piece of text",
            "ab€cdefghijklmnop😀qrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS",
            "ü",
        ];
        for s in samples {
            let cuts: Vec<usize> = (0..=s.len()).filter(|&k| s.is_char_boundary(k)).collect();
            for &k in &cuts {
                for &m in cuts.iter().filter(|&&m| m >= k).step_by(3) {
                    let strs = [&s[..k], &s[k..m], "x", &s[m..], "", s];
                    let mut b = Batch::default();
                    for t in strs {
                        b.str(t);
                    }
                    b.finish();
                    let (narrow, wide) = b.sent_text();
                    assert!(narrow.is_empty());
                    let joined: String = strs.concat();
                    assert_eq!(wide, joined.encode_utf16().collect::<Vec<_>>(), "{k} {m}");
                    let lens: Vec<u32> = strs
                        .iter()
                        .map(|t| t.encode_utf16().count() as u32)
                        .collect();
                    assert_eq!(b.meta[HEADER..], lens, "{k} {m}");
                    assert_eq!(b.meta[1] as usize, wide.len());
                }
            }
        }
    }

    #[test]
    fn push_utf16_matches_encode_utf16_over_the_code_space() {
        // Every encoded length and its edges, with ASCII runs of every
        // length up to 36 between them (word path, char path, and the switch).
        let mut s = String::new();
        for (n, c) in (0..=0x10_FFFF_u32)
            .step_by(61)
            .chain([0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x1_0000, 0x10_FFFF])
            .filter_map(char::from_u32)
            .enumerate()
        {
            s.push(c);
            s.extend(core::iter::repeat_n('a', n % 37));
        }
        let mut out = Vec::new();
        push_utf16(&mut out, &s);
        assert_eq!(out, s.encode_utf16().collect::<Vec<_>>());
    }

    /// Every suffix of the samples (so every start position inside a
    /// character run), against `encode_utf16`: the transcoder appending
    /// after existing units, and the length count.
    #[test]
    fn utf16_paths_match_encode_utf16() {
        let samples = [
            "",
            "plain ascii text that is longer than eight bytes",
            "ünï",
            "token 42 ünïcödé € 我現在 😀 𝄞 end",
            "😀😀😀😀😀😀😀😀😀",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
            "eight ab€cdefghijklmnop😀qrstuvwx",
        ];
        for s in samples {
            for start in 0..s.len() {
                if let Some(sub) = s.get(start..) {
                    let mut out = vec![1, 2];
                    push_utf16(&mut out, sub);
                    let want: Vec<u16> = [1, 2].into_iter().chain(sub.encode_utf16()).collect();
                    assert_eq!(out, want, "{sub:?}");
                }
            }
        }
    }
}
