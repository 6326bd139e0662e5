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

/// The high bit of each byte of a word.
const HIGH: u64 = u64::from_le_bytes([0x80; 8]);

/// The first eight bytes of `b` as a little-endian word (0 past its end).
fn word(b: &[u8]) -> u64 {
    b.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w))
}

/// Copies `b` into `v` from `at` on and returns whether `b` is ASCII. It
/// writes in blocks of constant size, up to 16 bytes past `at + b.len()`
/// (`v` grows to hold them, see [`reach`]), where a `copy_from_slice` of `b`
/// would be a `memory.copy`, which V8 runs as a call out of the module:
/// costly for strings of a few dozen bytes.
fn copy_ascii(v: &mut Vec<u8>, at: usize, b: &[u8]) -> bool {
    reach(v, at + b.len() + 16);
    let dst = v.get_mut(at..).unwrap_or_default();
    let mut high = 0;
    let mut blocks = b.chunks_exact(16);
    let mut o = 0;
    for block in &mut blocks {
        if let (Some(w), Some(d)) = (
            block.first_chunk::<16>(),
            dst.get_mut(o..).and_then(<[u8]>::first_chunk_mut::<16>),
        ) {
            *d = *w;
            high |= word(block) | word(block.get(8..).unwrap_or_default());
        }
        o += 16;
    }
    // The last 0-15 bytes as two words, or two halves, that overlap.
    let tail = blocks.remainder();
    let n = tail.len();
    let Some(d) = dst.get_mut(o..o + 16) else {
        return false;
    };
    if n >= 8 {
        let (first, last) = (word(tail), word(tail.get(n - 8..).unwrap_or_default()));
        if let Some(w) = d.get_mut(..8) {
            w.copy_from_slice(&first.to_le_bytes());
        }
        if let Some(w) = d.get_mut(n - 8..n) {
            w.copy_from_slice(&last.to_le_bytes());
        }
        high |= first | last;
    } else {
        for (d, &c) in d.iter_mut().zip(tail) {
            *d = c;
            high |= u64::from(c);
        }
    }
    high & HIGH == 0
}

/// Widens the UTF-8 text `b` to UTF-16 code units (what JS strings hold)
/// into `v` from `at` on, and returns how many it wrote: one per character,
/// a surrogate pair (RFC 2781 §2.1) for characters outside the BMP. Sixteen
/// bytes are widened at a time (vector code with simd128), up to 16 units
/// past the last one (`v` grows to hold them, see [`reach`]), and the output
/// moves on past the ASCII ones; each other character is decoded on its own.
fn widen(v: &mut Vec<u16>, at: usize, b: &[u8]) -> usize {
    // Never more units than bytes.
    reach(v, at + b.len() + 16);
    let dst = v.get_mut(at..).unwrap_or_default();
    let (mut i, mut o) = (0, 0);
    while i < b.len() {
        if let (Some(w), Some(d)) = (
            b.get(i..).and_then(<[u8]>::first_chunk::<16>),
            dst.get_mut(o..).and_then(<[u16]>::first_chunk_mut::<16>),
        ) {
            for (d, &c) in d.iter_mut().zip(w) {
                *d = u16::from(c);
            }
            let (lo, hi) = (word(w) & HIGH, word(w.get(8..).unwrap_or_default()) & HIGH);
            if lo | hi == 0 {
                i += 16;
                o += 16;
                continue;
            }
            // Past the ASCII bytes before the first other one.
            let k = if lo != 0 {
                lo.trailing_zeros() / 8
            } else {
                8 + hi.trailing_zeros() / 8
            } as usize;
            i += k;
            o += k;
        }
        let Some(&lead) = b.get(i) else {
            break;
        };
        // `b` is UTF-8, so the lead byte tells the length and the
        // continuation bytes are there; a short read only ends the loop.
        let byte = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0)) & 0x3F;
        let lead = u32::from(lead);
        let (c, n) = match lead {
            0..=0x7F => (lead, 1),
            0x80..=0xDF => (((lead & 0x1F) << 6) | byte(1), 2),
            0xE0..=0xEF => (((lead & 0x0F) << 12) | (byte(1) << 6) | byte(2), 3),
            _ => (
                ((lead & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3),
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

/// Makes `v` at least `len` long. The batch texts are written in blocks
/// past their used length (their `len` is how far they were ever written,
/// not how much is used): growing zeroes only memory never written before,
/// where truncating and resizing would zero every batch's text again.
fn reach<T: Copy + Default>(v: &mut Vec<T>, len: usize) {
    if v.len() < len {
        v.resize(len, T::default());
    }
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
/// strings joined in `text` (ASCII ones) and `wide` (the others), kinds and
/// lengths in `meta`, bytes in `blob`.
///
/// The builder gets where `meta` is in WASM memory (two numbers): its first
/// [`HEADER`] numbers say where the texts and the bytes are, and the builder
/// reads all of it through views of the memory it keeps (see
/// [`bind_batches`]). Creating a view per slice per call measured 14% of the
/// time of a 256-byte SSE chunk.
///
/// Each string goes in the form that is cheapest to turn into a JS string:
/// an ASCII one as its bytes into `text` (one byte per UTF-16 unit), any
/// other as UTF-16 code units into `wide`, its length in `meta` then in
/// code units (what JS offsets count) and marked with [`WIDE`]. JS makes one
/// string of each text per batch. Measured in Node 20: making a string from
/// UTF-16 runs at 1.1 GB/s through `TextDecoder` and 6 GB/s through
/// `Buffer`, against 0.4-0.8 GB/s from non-ASCII UTF-8. Deciding per string
/// rather than per batch keeps the ASCII strings of a batch (SSE event
/// types and IDs) out of the widening and lets the others be widened
/// straight from where the codec has them: 1.2x faster SSE with non-ASCII
/// data, measured on the bench's stream.
pub(crate) struct Batch {
    /// ASCII strings, one byte each per UTF-16 unit: the first `text_len`
    /// bytes (see [`reach`] for the rest).
    text: Vec<u8>,
    text_len: usize,
    pub(crate) meta: Vec<u32>,
    pub(crate) blob: Vec<u8>,
    /// Strings with non-ASCII characters, as UTF-16 code units: the first
    /// `wide_len`.
    wide: Vec<u16>,
    wide_len: usize,
    /// JS is to hand out payloads as views of WASM memory (a `views`
    /// option of the WebSocket decoders), not copies.
    views: bool,
}

/// `meta[0..HEADER]`: the address and length of `text` (bytes; the address
/// is [`AFTER_WIDE`] when it was put at the end of `wide`), of `wide` (code
/// units), of `blob`, the length of `meta` (in numbers, the header
/// included), and flags: 1 when a buffer of the batch is larger than
/// [`KEEP`] (then the `feed` fast path has the batch released at once
/// rather than at the next call), 2 when payloads go as views of WASM
/// memory (then nothing is released before the next call). js/objects.js
/// reads the same layout (its `HEADER`).
pub(crate) const HEADER: usize = 8;

/// In a string's length: the string is in `wide`, and the length counts its
/// code units. No string reaches 2^31 units: `wide` would need 4 GiB, all of
/// wasm32's memory, and an ASCII string that long goes to `wide` (see
/// [`Batch::str`]), whose allocation then fails rather than the mark being
/// misread.
const WIDE: u32 = 1 << 31;

/// The longest ASCII text put at the end of the wide one (see
/// [`Batch::finish`]); the header then gives [`AFTER_WIDE`] as its address.
const MERGE: usize = 4096;

/// The ASCII text's address in the header when it is the last `text_len`
/// units of the wide text.
const AFTER_WIDE: u32 = u32::MAX;

/// In a byte item's `[len, where]`: the bytes are the next ones in `blob`.
const IN_BLOB: u32 = u32::MAX;

impl Default for Batch {
    fn default() -> Self {
        Self {
            text: Vec::new(),
            text_len: 0,
            meta: vec![0; HEADER],
            blob: Vec::new(),
            wide: Vec::new(),
            wide_len: 0,
            views: false,
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

    /// Appends a string and its length: into `text` when it is ASCII, else
    /// as UTF-16 into `wide` with its length marked [`WIDE`].
    pub(crate) fn str(&mut self, s: &str) {
        let b = s.as_bytes();
        // Copied in whatever it holds (it is most often ASCII), and then
        // used or not.
        let ascii = copy_ascii(&mut self.text, self.text_len, b);
        if ascii && b.len() < WIDE as usize {
            self.text_len += b.len();
            self.meta.push(len32(b.len()));
        } else {
            let n = widen(&mut self.wide, self.wide_len, b);
            self.wide_len += n;
            self.meta.push(WIDE | len32(n));
        }
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

    /// Has JS hand out this batch's payloads as views of WASM memory (see
    /// [`HEADER`]); the caller keeps them in place until its next call.
    #[cfg(feature = "ws")]
    pub(crate) fn set_views(&mut self) {
        self.views = true;
    }

    /// Whether payloads go to JS as views ([`set_views`](Self::set_views)).
    #[cfg(feature = "ws")]
    pub(crate) fn views(&self) -> bool {
        self.views
    }

    /// The batch as JS objects through `build`, the batch kept as it is
    /// (for views of its bytes): the next [`clear`](Self::clear) lets it go.
    #[cfg(feature = "ws")]
    pub(crate) fn build_kept(&mut self, build: fn(u32, u32) -> Array) -> Array {
        if self.is_empty() {
            return Array::new();
        }
        let (at, count) = self.finish();
        build(at, count)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.meta.len() <= HEADER
    }

    /// Readies the batch for JS (fills in the header) and returns where
    /// `meta` is: its address in WASM memory and its length in numbers.
    /// Call once, before handing the batch over.
    pub(crate) fn finish(&mut self) -> (u32, u32) {
        let count = len32(self.meta.len());
        let mut text_at = addr(self.text.as_ptr());
        // (Not `wide_len`: finishing again writes the same.)
        let mut wide_len = self.wide_len;
        if self.wide_len > 0 && (1..=MERGE).contains(&self.text_len) {
            // A short ASCII text goes at the end of the wide one: JS then
            // makes one string, not two (each costs a call out of JS, the
            // most of a small batch's text).
            // Known ASCII: a plain zero-extending loop, not `widen`, whose
            // check of every block made the whole non-ASCII SSE bench 10%
            // slower (in-process A/B).
            let end = self.wide_len + self.text_len;
            reach(&mut self.wide, end);
            if let (Some(d), Some(b)) = (
                self.wide.get_mut(self.wide_len..end),
                self.text.get(..self.text_len),
            ) {
                for (d, &c) in d.iter_mut().zip(b) {
                    *d = u16::from(c);
                }
            }
            wide_len = end;
            text_at = AFTER_WIDE;
        }
        let header = [
            text_at,
            len32(self.text_len),
            addr(self.wide.as_ptr()),
            len32(wide_len),
            addr(self.blob.as_ptr()),
            len32(self.blob.len()),
            count,
            u32::from(self.is_large()) | (u32::from(self.views) << 1),
        ];
        if let Some(h) = self.meta.get_mut(..HEADER) {
            h.copy_from_slice(&header);
        }
        (addr(self.meta.as_ptr()), count)
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

    /// Empties the batch, giving back the memory of an unusually large one.
    pub(crate) fn clear(&mut self) {
        if self.text.capacity() > KEEP {
            self.text = Vec::new();
        }
        if self.meta.capacity() > KEEP {
            self.meta = Vec::new();
        }
        if self.blob.capacity() > KEEP {
            self.blob = Vec::new();
        }
        if self.wide.capacity() > KEEP {
            self.wide = Vec::new();
        }
        self.text_len = 0;
        self.meta.clear();
        self.meta.extend_from_slice(&[0; HEADER]);
        self.blob.clear();
        self.wide_len = 0;
    }
}

/// Lengths and indexes of a batch fit in u32: the codec limits bound a batch
/// far below 4 GiB.
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{copy_ascii, widen, Batch, AFTER_WIDE, HEADER, MERGE, WIDE};

    /// What JS reads back from a finished batch, by its header: each string
    /// of `meta[HEADER..]` (taken as lengths, or as numbers where `nums`
    /// says so) from the ASCII or the wide text by its mark, in turn from
    /// each; the ASCII text from the end of the wide one when the header
    /// says so.
    fn read_back(b: &Batch, nums: &[bool]) -> Vec<String> {
        let wide = &b.wide[..b.meta[3] as usize];
        let text_len = b.meta[1] as usize;
        let ascii: Vec<u8> = if b.meta[0] == AFTER_WIDE {
            let tail = &wide[wide.len() - text_len..];
            tail.iter()
                .map(|&u| u8::try_from(u).expect("ASCII"))
                .collect()
        } else {
            b.text[..text_len].to_vec()
        };
        let (mut t, mut w) = (0, 0);
        let mut out = Vec::new();
        for (&n, &is_num) in b.meta[HEADER..].iter().zip(nums) {
            if is_num {
                out.push(format!("#{n}"));
            } else if n & WIDE != 0 {
                let len = (n & !WIDE) as usize;
                out.push(String::from_utf16(&wide[w..w + len]).expect("UTF-16"));
                w += len;
            } else {
                let len = n as usize;
                out.push(String::from_utf8(ascii[t..t + len].to_vec()).expect("ASCII"));
                t += len;
            }
        }
        assert_eq!(t, ascii.len(), "every byte read");
        assert_eq!(
            w + if b.meta[0] == AFTER_WIDE { t } else { 0 },
            wide.len(),
            "every unit read"
        );
        out
    }

    /// A batch reused after `clear` (its buffers hold the last one's
    /// bytes past their used length) reads back only what it was given,
    /// with its ASCII text apart or at the end of the wide one.
    #[test]
    fn reused_batches_read_back_what_they_were_given() {
        let mut b = Batch::default();
        let long = "a".repeat(MERGE + 1);
        let rounds: [&[&str]; 5] = [
            &["a long enough ascii string", "ünï €", "id"],
            &["x", "y"],
            &["€", &long, "z"],
            &["😀"],
            &["", "ok", "é"],
        ];
        for strs in rounds {
            b.clear();
            for s in strs {
                b.str(s);
            }
            b.finish();
            // Finishing twice gives the same batch.
            let again = b.meta[..HEADER].to_vec();
            b.finish();
            assert_eq!(b.meta[..HEADER], again[..]);
            let merged = b.meta[0] == AFTER_WIDE;
            let ascii_len: usize = strs.iter().filter(|s| s.is_ascii()).map(|s| s.len()).sum();
            let has_wide = strs.iter().any(|s| !s.is_ascii());
            assert_eq!(
                merged,
                has_wide && (1..=MERGE).contains(&ascii_len),
                "{strs:?}"
            );
            assert_eq!(read_back(&b, &vec![false; strs.len()]), strs, "{strs:?}");
        }
    }

    #[test]
    fn ascii_strings_go_as_bytes_others_as_utf16_with_their_lengths() {
        let strs = ["ascii", "", "ünï", "x", "😀a", "", "only", "€"];
        let mut b = Batch::default();
        let mut nums = Vec::new();
        for s in strs {
            b.num(9);
            b.str(s);
            nums.extend([true, false]);
        }
        let (_, count) = b.finish();
        assert_eq!(count as usize, b.meta.len());
        assert_eq!(b.text[..b.text_len], *b"asciixonly");
        let wide: String = ["ünï", "😀a", "€"].concat();
        assert_eq!(
            b.wide[..b.wide_len],
            wide.encode_utf16().collect::<Vec<_>>()
        );
        // Lengths: bytes of ASCII strings, marked code units of the others.
        let lens: Vec<u32> = b.meta[HEADER..]
            .iter()
            .skip(1)
            .step_by(2)
            .copied()
            .collect();
        assert_eq!(lens, [5, 0, WIDE | 3, 1, WIDE | 3, 0, 4, WIDE | 1]);
        // The short ASCII text goes after the wide one, for one JS string.
        assert_eq!(b.meta[0], AFTER_WIDE);
        assert_eq!(b.meta[1] as usize, b.text_len);
        assert_eq!(b.meta[3] as usize, b.wide_len + b.text_len);
        let back = read_back(&b, &nums);
        let want: Vec<String> = strs
            .iter()
            .flat_map(|s| ["#9".to_owned(), (*s).to_owned()])
            .collect();
        assert_eq!(back, want);
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
        assert_eq!(b.meta[6], count);
        assert_eq!(b.meta[7], 0);
        assert_eq!(b.ready(), f64::from(at));
        for _ in 0..=super::KEEP {
            b.num(1);
        }
        let (_, count) = b.finish();
        assert_eq!(b.meta[6], count);
        assert_eq!(b.meta[7], 1, "meta is past KEEP");
        b.clear();
        b.str(&"é".repeat(super::KEEP));
        b.finish();
        assert_eq!(b.meta[7], 1, "wide is past KEEP");
        b.clear();
        b.str(&"e".repeat(super::KEEP + 1));
        b.finish();
        assert_eq!(b.meta[7], 1, "text is past KEEP");
        b.clear();
        assert!(b.is_empty());
        b.str("small");
        b.finish();
        assert_eq!(b.meta[7], 0, "clear gave the large buffers back");
    }

    /// Strings cut at every character boundary (so ASCII runs and
    /// characters start and end anywhere in a sixteen-byte block), each
    /// read back whole from its own text.
    #[test]
    fn batch_strings_cut_anywhere_read_back_whole() {
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
                    assert_eq!(read_back(&b, &[false; 6]), strs, "{k} {m}");
                }
            }
        }
    }

    /// `copy_ascii` over every length up to 40 with a high byte at every
    /// place (the block path, both tail paths and the switch between them).
    #[test]
    fn copy_ascii_copies_and_finds_a_high_byte_anywhere() {
        for len in 0..40 {
            let mut v: Vec<u8> = (0..len).map(|k| b'a' + (k % 26) as u8).collect();
            // After two bytes that stay as they are; the buffer grows itself.
            let mut dst = vec![0xEE; 2];
            assert!(copy_ascii(&mut dst, 2, &v), "{len}");
            assert_eq!(dst[..2], [0xEE, 0xEE]);
            assert_eq!(dst[2..2 + len], v[..]);
            for k in 0..len {
                let was = v[k];
                v[k] = 0x80 | (k as u8);
                assert!(!copy_ascii(&mut dst, 2, &v), "{len} {k}");
                assert_eq!(dst[2..2 + len], v[..]);
                v[k] = was;
            }
        }
    }

    /// `widen` of `s`, after a unit that stays as it is (the buffer grows
    /// itself to the room it needs).
    fn widened(s: &str) -> Vec<u16> {
        let mut out = vec![0xEEEE];
        let n = widen(&mut out, 1, s.as_bytes());
        assert_eq!(out[0], 0xEEEE);
        out.drain(..1);
        out.truncate(n);
        out
    }

    #[test]
    fn widen_matches_encode_utf16_over_the_code_space() {
        // Every encoded length and its edges, with ASCII runs of every
        // length up to 36 between them (block path, char path, and the switch).
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
        assert_eq!(widened(&s), s.encode_utf16().collect::<Vec<_>>());
    }

    /// Every suffix of the samples (so every start position inside a
    /// character run), against `encode_utf16`.
    #[test]
    fn widen_matches_encode_utf16_from_every_start() {
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
                    assert_eq!(
                        widened(sub),
                        sub.encode_utf16().collect::<Vec<_>>(),
                        "{sub:?}"
                    );
                }
            }
        }
    }
}
