// Builds the plain JS objects the wrappers return, from one batch per call: every string of
// the batch joined in `text` (decoded from WASM memory once) and a `meta` array of kinds and
// UTF-16 lengths. One call per batch instead of several per item keeps the cost of crossing
// between WebAssembly and JS off the per-item path. Conversion only: no protocol logic here.
//
// scripts/wasm-build.sh turns each `export function name(` into `exports.name = function name(`
// for the CommonJS (Node) build, so exported functions here must not call each other (they may
// call the plain functions below, which it leaves alone).

const utf8Encoder = new TextEncoder();
const utf16Decoder = new TextDecoder('utf-16le');
const asciiDecoder = new TextDecoder();
// Node's Buffer has string makers that take any Uint8Array and are several times faster than
// TextDecoder (measured on Node 20: 6 GB/s from UTF-16 against 1.1 GB/s, and about half the
// fixed cost per call). They are feature-tested; elsewhere TextDecoder does the work.
const BufferProto = typeof Buffer === 'function' ? Buffer.prototype : undefined;
const latin1Slice = typeof BufferProto?.latin1Slice === 'function' ? BufferProto.latin1Slice : undefined;
const ucs2Slice = typeof BufferProto?.ucs2Slice === 'function' ? BufferProto.ucs2Slice : undefined;
// Node's Buffer.allocUnsafeSlow gives an ArrayBuffer of its own without zeroing it first, where
// `new Uint8Array(n)` and `slice()` zero it and then copy: a second pass over every payload.
// Measured on Node 20 with 64 KiB WebSocket messages, that copy out was half the decoding time.
const allocUnsafeSlow = typeof Buffer === 'function' && typeof Buffer.allocUnsafeSlow === 'function'
  ? Buffer.allocUnsafeSlow
  : undefined;

/** A plain Uint8Array of `len` bytes, to be overwritten whole: not zeroed where the host can. */
function uninit(len) {
  return allocUnsafeSlow ? new Uint8Array(allocUnsafeSlow(len).buffer, 0, len) : new Uint8Array(len);
}

/** A copy of `len` bytes at `at` of WASM memory, in an ArrayBuffer of its own. */
function copyOut(at, len) {
  const out = uninit(len);
  out.set(memBytes.subarray(at, at + len));
  return out;
}

// The WASM memory (given once by bind_memory) and views of it, made anew when the memory grows
// (which detaches the old buffer). Batches arrive as (address, length) numbers: no typed-array
// view per call.
let wasmMemory;
let memBuffer;
let memBytes;
let memWords;

/** Remembers the module's WebAssembly.Memory (called by every batch-making constructor). */
export function bind_memory(memory) {
  if (memory !== wasmMemory) {
    wasmMemory = memory;
    memBytes = undefined;
  }
}

/** Refreshes the views after the memory grew. Growing detaches the old buffer, whose views
 * then have length 0: checked on a view, which is cheaper than the `buffer` getter of the
 * Memory object. */
function refreshViews() {
  if (memBytes === undefined || memBytes.byteLength === 0) {
    const buffer = wasmMemory.buffer;
    memBuffer = buffer;
    memBytes = new Uint8Array(buffer);
    memWords = new Uint32Array(buffer);
  }
}

// The numbers before a batch's items (see Batch and HEADER in src/js.rs): the address and length
// of the batch's ASCII text (bytes) and of its wide text (UTF-16 code units, little-endian as WASM
// memory is), the address and length of its bytes, its length in numbers (the header included),
// and flags: 1 when it is large (the feed fast path then releases it), 2 when payloads are to be
// views of WASM memory (the decoder's `views` option).
const HEADER = 8;
// In a string's length: the string is in the wide text (src/js.rs, WIDE).
const WIDE = 0x80000000;

/** A batch's ASCII text as one string; h: where its header is, in words; two: its wide text.
 * A short one is the end of the wide text (address 2^32-1): a slice of that string, where V8
 * copies nothing. */
function asciiText(h, two) {
  const at = memWords[h];
  const len = memWords[h + 1];
  if (len === 0) return '';
  if (at === 0xffffffff) return two.substring(two.length - len);
  if (latin1Slice) return latin1Slice.call(memBytes, at, at + len);
  return asciiDecoder.decode(memBytes.subarray(at, at + len));
}

/** A batch's wide text as one string. */
function wideText(h) {
  const at = memWords[h + 2];
  const len = memWords[h + 3];
  if (len === 0) return '';
  if (ucs2Slice) return ucs2Slice.call(memBytes, at, at + 2 * len);
  return utf16Decoder.decode(new Uint16Array(memBuffer, at, len));
}

/** A batch's strings in order, each from the ASCII or the wide text as its length says. Each
 * text becomes one JS string (one crossing per batch, not per string). h: where the batch's
 * header is, in words. */
class Texts {
  constructor(h) {
    this.two = wideText(h);
    this.one = asciiText(h, this.two);
    this.t = 0;
    this.w = 0;
  }

  /** The next string; `len` as in the batch (code units, WIDE set for the wide text). */
  next(len) {
    if (len < WIDE) {
      const t = this.t;
      this.t = t + len;
      return this.one.substring(t, t + len);
    }
    const w = this.w;
    this.w = w + len - WIDE;
    return this.two.substring(w, this.w);
  }
}

/** Set when a batch had payloads of their own (held in WASM memory until copied): the `feed`
 * fast path then lets the decoder release them. */
let heldPayloads = false;

// Small blobs are copied into a shared pool, as Node's Buffer.allocUnsafe does with its 8 KiB
// pool: an ArrayBuffer of their own costs more than the bytes when a call brings one small
// message (measured on Node 20: a 64-byte WebSocket message per feed, 1.1 µs per call with an
// ArrayBuffer each). A payload kept for long keeps its pool alive (at most POOL_SIZE bytes).
const POOL_SIZE = 16384;
const POOL_MAX = 4096;
let pool;
let poolAt = POOL_SIZE;

/** The `len` bytes at `at` of WASM memory, copied: into the pool when small, else into an
 * ArrayBuffer of their own. */
function blobCopy(at, len) {
  if (len > POOL_MAX) return copyOut(at, len);
  if (pool === undefined || poolAt + len > POOL_SIZE) {
    // Zeroed: `data.buffer` shows the whole pool, and the gaps between payloads must not hold
    // old bytes of the process.
    pool = new Uint8Array(POOL_SIZE);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + len);
  out.set(memBytes.subarray(at, at + len));
  // The next blob starts 8-aligned, so a payload can be viewed as wider typed arrays (as Node's pool).
  poolAt = (poolAt + len + 7) & ~7;
  return out;
}

/** The byte payloads of one batch, in order: `next(len, where)`. `where` is 2^32-1 for bytes
 * that are the next ones in the batch's blob (header words 3 and 4): the blob is copied once
 * (see blobCopy) and they are views into it; else it is the address of bytes that get an
 * ArrayBuffer of their own. */
class Payloads {
  constructor(h) {
    this.h = h;
    this.blob = undefined;
    this.at = 0;
    // The decoder's `views` option: views of WASM memory, kept in place until its next call.
    this.views = (memWords[h + 7] & 2) !== 0;
  }

  next(len, where) {
    if (this.views) {
      if (where === 0xffffffff) {
        where = memWords[this.h + 4] + this.at;
        this.at += len;
      }
      return memBytes.subarray(where, where + len);
    }
    if (where !== 0xffffffff) {
      heldPayloads = true;
      return copyOut(where, len);
    }
    const h = this.h;
    this.blob ??= blobCopy(memWords[h + 4], memWords[h + 5]);
    const out = this.blob.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }
}

/** Copies `chunk` to address `at` of WASM memory when it fits in `cap` bytes and returns its
 * length either way (the caller makes room and calls again when it did not fit), or -1 when
 * it is not bytes. A Uint8Array (or Buffer) as it is; another typed array or a DataView as its
 * bytes; an ArrayBuffer through a view. */
export function copy_in(chunk, at, cap) {
  let bytes = chunk;
  if (!(bytes instanceof Uint8Array)) {
    if (ArrayBuffer.isView(bytes)) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    else if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
    else return -1;
  }
  const n = bytes.length;
  if (n <= cap && n !== 0) {
    refreshViews();
    memBytes.set(bytes, at);
  }
  return n;
}

/** A string's UTF-8 bytes, or undefined for any other value (see string_bytes in src/js.rs). */
export function utf8_bytes(value) {
  return typeof value === 'string' ? utf8Encoder.encode(value) : undefined;
}

/** SSE items: `count` numbers at address `at` of WASM memory: the header (see Texts), then a
 * kind and, per kind: 0 event [typeLen or 2^32-1 for "message", dataLen, idLen]; 1 retry
 * [lo, hi]; 2 id [len]; 3 comment [len]. Lengths as Texts reads them. */
export function sse_items(at, count) {
  return sseItems(at, count);
}

function sseItems(at, count) {
  refreshViews();
  const meta = memWords;
  const h = at >>> 2;
  // As Texts does, spelled out here: the hottest builder, and V8 keeps the offsets in registers.
  const two = wideText(h);
  const one = asciiText(h, two);
  let t = 0;
  let w = 0;
  const out = [];
  let i = h + HEADER;
  const end = h + count;
  while (i < end) {
    const kind = meta[i++];
    if (kind === 0) {
      const tl = meta[i++];
      const dl = meta[i++];
      const il = meta[i++];
      let event = 'message';
      if (tl < WIDE) event = one.substring(t, (t += tl));
      else if (tl !== 0xffffffff) event = two.substring(w, (w += tl - WIDE));
      const data = dl < WIDE ? one.substring(t, (t += dl)) : two.substring(w, (w += dl - WIDE));
      const id = il < WIDE ? one.substring(t, (t += il)) : two.substring(w, (w += il - WIDE));
      out.push({ type: 'event', event, data, id });
    } else if (kind === 1) {
      const lo = meta[i++];
      const hi = meta[i++];
      out.push({ type: 'retry', retry: hi * 4294967296 + lo });
    } else {
      const l = meta[i++];
      const s = l < WIDE ? one.substring(t, (t += l)) : two.substring(w, (w += l - WIDE));
      out.push(kind === 2 ? { type: 'id', id: s } : { type: 'comment', comment: s });
    }
  }
  return out;
}

/** WebSocket messages: `count` numbers at address `at`: the header (see Texts), then a kind
 * and: 0 text [len]; 1 binary, 2 ping, 3 pong [byteLen, where]; 4 close [code or 2^32-1 for
 * none, reasonLen]. String lengths as Texts reads them; payloads as in `Payloads`. */
export function ws_messages(at, count) {
  return wsMessages(at, count);
}

function wsMessages(at, count) {
  refreshViews();
  const meta = memWords;
  const h = at >>> 2;
  // Made at the first string: a batch of binary messages has none (one small message per call is
  // common, where the object costs).
  let text;
  const out = [];
  const payloads = new Payloads(h);
  let i = h + HEADER;
  const end = h + count;
  while (i < end) {
    const kind = meta[i++];
    if (kind === 0) {
      out.push({ type: 'text', data: (text ??= new Texts(h)).next(meta[i++]) });
    } else if (kind === 4) {
      const code = meta[i++];
      const reason = (text ??= new Texts(h)).next(meta[i++]);
      out.push(code === 0xffffffff ? { type: 'close', reason } : { type: 'close', code, reason });
    } else {
      const data = payloads.next(meta[i++], meta[i++]);
      out.push({ type: kind === 1 ? 'binary' : kind === 2 ? 'ping' : 'pong', data });
    }
  }
  return out;
}

/** WebSocket frames: `count` numbers at address `at`: the header (see Texts), then per frame
 * [opcode | fin << 8 | compressed << 9, byteLen, where]; payloads as in `Payloads`. */
export function ws_frames(at, count) {
  return wsFrames(at, count);
}

function wsFrames(at, count) {
  refreshViews();
  const meta = memWords;
  const h = at >>> 2;
  const out = [];
  const payloads = new Payloads(h);
  let i = h + HEADER;
  const end = h + count;
  while (i < end) {
    const flags = meta[i++];
    const payload = payloads.next(meta[i++], meta[i++]);
    out.push({ opcode: flags & 0xff, fin: (flags & 0x100) !== 0, compressed: (flags & 0x200) !== 0, payload });
  }
  return out;
}

// ---- SDP objects, from codec-sdp's tape (its format: codec-sdp/src/json_tape.rs) ----

// A decoder with one UTF-16 unit per byte, for the tape's ASCII strings: Buffer's latin1Slice
// in Node; elsewhere TextDecoder('latin1'), which the Encoding standard makes windows-1252 (also
// one unit per byte, and the same as ASCII below 0x80).
const byteDecoder = new TextDecoder('latin1');
const utf8Slice = typeof BufferProto?.utf8Slice === 'function' ? BufferProto.utf8Slice : undefined;
const utf8Decoder = new TextDecoder();

// Tape tags and the key escape (codec-sdp/src/json_tape.rs).
const END = 0, OBJ = 1, ARR = 2, STR = 3, STR8 = 4, INT = 5, NUM = 6, NULL = 7, FALSE = 8, TRUE = 9;
const NAMED = 255;

// The tape being read: bytes (memBytes), its text (one unit per byte, from tapeBase), the
// position and the key names. Module state instead of closures: nothing is allocated per value.
let tapeText = '';
let tapeBase = 0;
let tapeAt = 0;
let tapeKeys;

/** LEB128 at tapeAt (at most 2^53, exact in a number). */
function tapeUint() {
  let b = memBytes[tapeAt++];
  if (b < 0x80) return b;
  let n = b & 0x7f;
  let scale = 0x80;
  do {
    b = memBytes[tapeAt++];
    n += (b & 0x7f) * scale;
    scale *= 0x80;
  } while (b >= 0x80);
  return n;
}

function tapeValue() {
  switch (memBytes[tapeAt++]) {
    case OBJ: {
      const o = {};
      let k;
      while ((k = memBytes[tapeAt++]) !== END) o[k === NAMED ? tapeUtf8() : tapeKeys[k - 1]] = tapeValue();
      return o;
    }
    case ARR: {
      const a = [];
      while (memBytes[tapeAt] !== END) a.push(tapeValue());
      tapeAt++;
      return a;
    }
    case STR: {
      const n = tapeUint();
      const from = tapeAt - tapeBase;
      tapeAt += n;
      return tapeText.substring(from, from + n);
    }
    case STR8:
      return tapeUtf8();
    case INT:
      return tapeUint();
    case NUM: {
      const n = tapeUint();
      const from = tapeAt - tapeBase;
      tapeAt += n;
      return +tapeText.substring(from, from + n);
    }
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    default:
      throw new Error(`malformed SDP tape at byte ${tapeAt - 1 - tapeBase}`);
  }
}

/** A length and that many UTF-8 bytes at tapeAt, as a string. */
function tapeUtf8() {
  const n = tapeUint();
  const from = tapeAt;
  tapeAt += n;
  return utf8Slice ? utf8Slice.call(memBytes, from, tapeAt) : utf8Decoder.decode(memBytes.subarray(from, tapeAt));
}

/** The sdp-transform-shaped object of the tape of `len` bytes at address `at`; `keys` are the
 * names the tape's key numbers stand for (key n is keys[n - 1]). */
export function sdp_object(at, len, keys) {
  refreshViews();
  tapeText = latin1Slice ? latin1Slice.call(memBytes, at, at + len) : byteDecoder.decode(memBytes.subarray(at, at + len));
  tapeBase = at;
  tapeAt = at;
  tapeKeys = keys;
  const value = tapeValue();
  tapeText = '';
  if (tapeAt !== at + len) throw new Error(`malformed SDP tape: ${at + len - tapeAt} bytes left`);
  return value;
}

// ---- JS values to codec-sdp's tape, for writeSdp and SdpDescription.fromJSON ----
//
// The tape holds what JSON.stringify would write of the value (toJSON called, members that are
// undefined, functions or symbols left out and as array items written as null, non-finite
// numbers as null, Number/String/Boolean objects unwrapped, BigInt refused), without the JSON
// text: no string escaping here and no JSON parser in the .wasm. Containers deeper than the
// depth codec-sdp reads are written as null, as codec-sdp's own reader of a serde_json Value
// does (so a cyclic object ends there instead of being refused). A string with a lone surrogate
// is refused: it has no UTF-8 form, and JSON text with one was refused as well.

let enc = new Uint8Array(16384);
let encAt = 0;
let encKeys;
let encKeysOf;
// True while sdp_tape runs (a toJSON it calls may call it again).
let encBusy = false;

/** Makes room for n more bytes. */
function encRoom(n) {
  if (encAt + n > enc.length) {
    const bigger = new Uint8Array(Math.max(2 * enc.length, encAt + n));
    bigger.set(enc.subarray(0, encAt));
    enc = bigger;
  }
}

/** n (at most 2^53) in LEB128; room for 8 bytes must be made first. */
function encUint(n) {
  while (n >= 0x80) {
    enc[encAt++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  enc[encAt++] = n;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A length and the UTF-8 bytes of s (after the tag or key escape the caller wrote). */
function encUtf8(s) {
  if (typeof s.isWellFormed === 'function' ? !s.isWellFormed() : loneSurrogate.test(s)) {
    throw new TypeError('a string holds a lone surrogate (it has no UTF-8 form)');
  }
  const bytes = utf8Encoder.encode(s);
  encRoom(bytes.length + 8);
  encUint(bytes.length);
  enc.set(bytes, encAt);
  encAt += bytes.length;
}

function encString(s) {
  const n = s.length;
  const start = encAt;
  encRoom(n + 9);
  enc[encAt++] = STR;
  encUint(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      encAt = start;
      enc[encAt++] = STR8;
      encUtf8(s);
      return;
    }
    enc[encAt++] = c;
  }
}

function encNumber(n) {
  if (Number.isInteger(n) && n >= 0 && n <= 9007199254740992) {
    enc[encAt++] = INT;
    encUint(n);
  } else if (Number.isFinite(n)) {
    // String(n) is the text JSON.stringify writes for a number.
    const t = String(n);
    encRoom(t.length + 9);
    enc[encAt++] = NUM;
    encUint(t.length);
    for (let i = 0; i < t.length; i++) enc[encAt++] = t.charCodeAt(i);
  } else {
    enc[encAt++] = NULL;
  }
}

/** Whether v has a toJSON for JSON.stringify to call. */
function hasToJSON(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof v.toJSON === 'function';
}

/** Whether JSON.stringify leaves v out (of an object; in an array it writes null). */
function skipped(v) {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** One value (toJSON already applied; never one that `skipped` is true of). */
function encValue(v, depth) {
  // Room for any value's tag and fixed-size part; strings and keys make their own.
  encRoom(16);
  switch (typeof v) {
    case 'string':
      return encString(v);
    case 'number':
      return encNumber(v);
    case 'boolean':
      enc[encAt++] = v ? TRUE : FALSE;
      return;
    case 'object':
      break;
    case 'bigint':
      throw new TypeError('a BigInt has no JSON form');
    default:
      enc[encAt++] = NULL;
      return;
  }
  if (v === null || depth === 0) {
    enc[encAt++] = NULL;
    return;
  }
  if (Array.isArray(v)) {
    enc[encAt++] = ARR;
    const n = v.length;
    for (let i = 0; i < n; i++) {
      let x = v[i];
      if (hasToJSON(x)) x = x.toJSON(String(i));
      if (skipped(x)) {
        encRoom(1);
        enc[encAt++] = NULL;
      } else {
        encValue(x, depth - 1);
      }
    }
  } else if (v instanceof Number || v instanceof String || v instanceof Boolean) {
    return encValue(v.valueOf(), depth);
  } else {
    enc[encAt++] = OBJ;
    for (const k of Object.keys(v)) {
      let x = v[k];
      if (hasToJSON(x)) x = x.toJSON(k);
      if (skipped(x)) continue;
      const id = encKeys[k];
      encRoom(1);
      if (id !== undefined) {
        enc[encAt++] = id;
      } else {
        enc[encAt++] = NAMED;
        encUtf8(k);
      }
      encValue(x, depth - 1);
    }
  }
  encRoom(1);
  enc[encAt++] = END;
}

/** The tape of `value` (see above) as a Uint8Array (a view of a buffer kept for the next call:
 * copy it before then); `keys` are the names of the tape's key numbers (key n is keys[n - 1]),
 * `maxDepth` how deep codec-sdp reads. Throws what toJSON throws, and a TypeError for a BigInt
 * or a lone surrogate. */
export function sdp_tape(value, keys, maxDepth) {
  if (encKeysOf !== keys) {
    encKeys = Object.create(null);
    keys.forEach((k, i) => (encKeys[k] = i + 1));
    encKeysOf = keys;
  }
  if (encBusy) {
    // A toJSON called by this encoder called writeSdp itself: the nested call writes into a
    // buffer of its own and leaves the outer call's buffer and position as they were.
    const outer = enc;
    const outerAt = encAt;
    enc = new Uint8Array(256);
    encAt = 0;
    try {
      encTop(value, maxDepth);
      return enc.subarray(0, encAt);
    } finally {
      enc = outer;
      encAt = outerAt;
    }
  }
  encBusy = true;
  try {
    encAt = 0;
    // An oversized buffer from a huge object is not kept.
    if (enc.length > 1 << 20) enc = new Uint8Array(16384);
    encTop(value, maxDepth);
    return enc.subarray(0, encAt);
  } finally {
    encBusy = false;
  }
}

/** The whole value, as JSON.stringify starts: toJSON with the key '', null for what it leaves out. */
function encTop(value, maxDepth) {
  const v = hasToJSON(value) ? value.toJSON('') : value;
  if (skipped(v)) {
    encRoom(1);
    enc[encAt++] = NULL;
  } else {
    encValue(v, maxDepth);
  }
}

const NO_BYTES = new Uint8Array(0);

/** The batch builders of the `feed` fast paths, by the kind install_feeds is given. */
const BUILDERS = { sse: sseItems, ws: wsMessages, frames: wsFrames };

/** Gives the `feed` of each class a path that crosses into WebAssembly only from JS, twice:
 * `__room` makes room for the chunk, JS copies it in, `__feedRoom` decodes it and readies the
 * batch (its address; the length is in its header), which JS builds here. The wasm-bindgen
 * `feed` calls back into JS to copy the chunk and to build the batch, and passes its result
 * through the externref table: measured on Node 20
 * with 256-byte SSE chunks, those crossings took about a quarter of the time. Anything but a
 * Uint8Array, and throwing, go through the wasm-bindgen `feed` (where copy_in and the Deferred
 * error handle them). `classes`: [class or null where the build has none, builder kind] pairs.
 * Called once by the glue (scripts/wasm-build.sh adds the call). */
export function install_feeds(classes) {
  for (const [C, kind] of classes) {
    if (!C) continue;
    const build = BUILDERS[kind];
    const slow = C.prototype.feed;
    C.prototype.feed = function feed(chunk) {
      if (!(chunk instanceof Uint8Array)) return slow.call(this, chunk);
      const n = chunk.length;
      const room = this.__room(n);
      refreshViews();
      memBytes.set(chunk, room);
      const at = this.__feedRoom(n);
      if (at > 0) {
        heldPayloads = false;
        refreshViews();
        const h = at >>> 2;
        const flags = memWords[h + 7];
        const out = build(at, memWords[h + 6]);
        // Large payloads (held until copied) and large batch buffers are let go now, not at the
        // next call (which may be long in coming); not when payloads are views of them.
        if ((heldPayloads || (flags & 1) !== 0) && (flags & 2) === 0) {
          heldPayloads = false;
          this.__release();
        }
        return out;
      }
      // -1: the error waits in the decoder, and the wasm-bindgen feed throws it.
      return at === 0 ? [] : slow.call(this, NO_BYTES);
    };
  }
}
