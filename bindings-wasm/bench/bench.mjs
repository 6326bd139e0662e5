// Runs this package and the JS libraries people use today on the same inputs, in one process,
// and prints throughput and ratios (ours / theirs; > 1 means we are faster).
//
// usage: node bench.mjs [package dir] [interop node_modules dir]
//   defaults: ../npm (the build of scripts/wasm-build.sh) and ../../interop/node_modules
// Each row runs both sides in turn, in BENCH_SLICES (default 15) short slices per side that
// together take BENCH_MS x BENCH_ROUNDS (default 400 x 3) ms, and prints the median ratio of
// neighbouring slices with its quartiles: on a shared machine the spread says how far to trust
// it. BENCH_ONLY (e.g. `sdp` or `sse,ws`) runs only those sections.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(process.argv[2] ?? join(here, '..', 'npm'));
const modules = resolve(process.argv[3] ?? join(here, '..', '..', 'interop', 'node_modules'));
const vectors = resolve(process.env.RTC_VECTORS ?? join(here, '..', '..', '..', 'shared', 'vectors'));
const BENCH_MS = Number(process.env.BENCH_MS ?? 400);
const only = process.env.BENCH_ONLY?.split(',');
const wants = (section) => !only || only.includes(section);

const rtc = await import(join(pkgDir, 'node.mjs'));
const req = createRequire(join(modules, 'x.js'));
const load = async (name, path = name) => {
  try {
    return await import(req.resolve(path));
  } catch {
    console.log(`(${name} not found under ${modules}: skipped)`);
    return undefined;
  }
};

/** Runs fn for `ms` milliseconds (at least once); returns seconds per call. */
function slice(fn, ms) {
  let n = 0;
  const t0 = process.hrtime.bigint();
  let t;
  do {
    fn();
    n++;
    t = process.hrtime.bigint();
  } while (Number(t - t0) / 1e6 < ms);
  return Number(t - t0) / 1e9 / n;
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const quartiles = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return [v[Math.floor((v.length - 1) / 4)], v[Math.ceil((3 * (v.length - 1)) / 4)]];
};

/** Each side in short slices taken in turn (ours, theirs, ours, ...), SLICES of them per side
 * over BENCH_MS x BENCH_ROUNDS: the machine may be shared and noisy, and its speed drifts in
 * seconds, so each ratio compares two slices run next to each other. Returns the median seconds
 * per call of each side, and the per-pair ratios (theirs / ours). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SLICES = Number(process.env.BENCH_SLICES ?? 15);
function pair(oursFn, theirsFn) {
  const ms = (BENCH_MS * ROUNDS) / SLICES;
  // Warm-up: the JIT settles and the first calls' allocations are made.
  slice(oursFn, Math.min(ms, 100));
  if (theirsFn) slice(theirsFn, Math.min(ms, 100));
  const a = [];
  const b = [];
  for (let r = 0; r < SLICES; r++) {
    a.push(slice(oursFn, ms));
    if (theirsFn) b.push(slice(theirsFn, ms));
  }
  return [median(a), theirsFn ? median(b) : undefined, theirsFn ? b.map((x, i) => x / a[i]) : undefined];
}

const rows = [];
/** A table row: each side's median throughput (or time per call), and the median of the
 * paired ratios with their middle half (quartiles) after it, which shows how noisy it was. */
function row(name, bytes, ours, theirs, ratios, unit) {
  const fmt = (s) => (unit === 'MB/s' ? `${(bytes / s / 1e6).toFixed(0)} MB/s` : `${(s * 1e6).toFixed(1)} µs`);
  const ratio = ratios ? `${median(ratios).toFixed(2)}x (${quartiles(ratios).map((r) => r.toFixed(2)).join('-')})` : '-';
  rows.push([name, fmt(ours), theirs ? fmt(theirs) : '-', ratio]);
}

// ---- SSE: an LLM-style token stream (ASCII, and with non-ASCII text), fed from bytes ----
const esp = await load('eventsource-parser');
for (const [label, extra] of wants('sse') ? [['ASCII', ''], ['non-ASCII', ' ünï €']] : []) {
  let text = '';
  for (let i = 0; text.length < 1 << 20; i++) {
    text += `id: ${i}\nevent: delta\ndata: {"id":"chatcmpl-${i}","choices":[{"index":0,"delta":{"content":"token ${i}${extra}"}}]}\n\n`;
  }
  const bytes = new TextEncoder().encode(text);
  for (const size of [16384, 256]) {
    const chunks = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    // Both sides touch every field, as a consumer would.
    let sum = 0;
    const [ours, theirs, ratios] = pair(() => {
      const p = new rtc.SseParser();
      for (const c of chunks) for (const ev of p.feed(c)) sum += ev.data.length + ev.event.length + ev.id.length;
      p.free();
    }, esp && (() => {
      const dec = new TextDecoder();
      const p = esp.createParser({ onEvent: (ev) => (sum += ev.data.length + ev.event.length + ev.id.length) });
      for (const c of chunks) p.feed(dec.decode(c, { stream: true }));
    }));
    row(`SSE ${label} from bytes, ${size} B chunks (vs eventsource-parser)`, bytes.length, ours, theirs, ratios, 'MB/s');
  }
}

// ---- SDP: parse to a plain object, and write it back (vs sdp-transform) ----
const sdpTransform = await load('sdp-transform');
if (wants('sdp')) {
  const file = join(vectors, 'sdp', 'chromium', '02-audio-video-offer-gathered.sdp');
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const bytes = new TextEncoder().encode(text);
    const t = sdpTransform?.default ?? sdpTransform;
    row(`SDP parse to object, ${text.length} B offer (vs sdp-transform)`, 0, ...pair(() => rtc.parseSdp(text), t && (() => t.parse(text))), 'µs');
    row('SDP parse from bytes to object (vs TextDecoder + sdp-transform)', 0,
      ...pair(() => rtc.parseSdp(bytes), t && (() => t.parse(new TextDecoder().decode(bytes)))), 'µs');
    const obj = rtc.parseSdp(text);
    const tobj = t?.parse(text);
    row('SDP write from object (vs sdp-transform)', 0, ...pair(() => rtc.writeSdp(obj), t && (() => t.write(tobj))), 'µs');
    row('SDP parse to handle, byte-exact toString() (no object)', 0, ...pair(() => {
      const d = rtc.SdpDescription.parse(text);
      d.toString();
      d.free();
    }), 'µs');
  } else {
    console.log(`(${file} missing: SDP skipped)`);
  }
}

// ---- WebSocket: decode server-side (masked) frames (vs ws Receiver) ----
const ws = await load('ws');
if (wants('ws')) {
  const sizes = [16, 1024, 65536];
  for (const size of sizes) {
    const count = Math.max(16, Math.floor((1 << 20) / (size + 8)));
    const client = new rtc.WsConnection('client');
    const payload = new Uint8Array(size).fill(0x61);
    const frames = [];
    for (let i = 0; i < count; i++) frames.push(client.sendBinary(payload));
    const wire = Buffer.concat(frames);
    const chunks = [];
    for (let i = 0; i < wire.length; i += 16384) chunks.push(wire.subarray(i, i + 16384));
    let n = 0;
    const Receiver = ws && (ws.default ?? ws).Receiver;
    const receive = Receiver && (() => {
      const r = new Receiver({ isServer: true, binaryType: 'nodebuffer' });
      r.on('message', () => n++);
      for (const c of chunks) r.write(c);
    });
    row(`WS decode ${count} x ${size} B masked frames (vs ws Receiver)`, wire.length, ...pair(() => {
      const s = new rtc.WsConnection('server');
      for (const c of chunks) n += s.feed(c).length;
      s.free();
    }, receive), 'MB/s');
    // The raw frame decoder (no message layer), against the Receiver again.
    row(`  as raw frames (WsFrameDecoder vs ws Receiver)`, wire.length, ...pair(() => {
      const d = new rtc.WsFrameDecoder('server');
      for (const c of chunks) n += d.feed(c).length;
      d.free();
    }, receive), 'MB/s');
    // Payloads as views of WASM memory (the `views` option: valid until the next call), which
    // saves copying each payload out; ws's Buffers are its own.
    if (size >= 1024) {
      row(`  with payload views (WsConnection { views: true } vs ws Receiver)`, wire.length, ...pair(() => {
        const s = new rtc.WsConnection('server', { views: true });
        for (const c of chunks) n += s.feed(c).length;
        s.free();
      }, receive), 'MB/s');
    }
  }
  // One small message per feed, as socket reads of chat-like traffic arrive: the cost per call.
  {
    const client = new rtc.WsConnection('client');
    const frames = [];
    for (let i = 0; i < 4096; i++) frames.push(client.sendBinary(new Uint8Array(64).fill(i & 0xff)));
    const bytes = frames.reduce((a, f) => a + f.length, 0);
    let n = 0;
    const Receiver = ws && (ws.default ?? ws).Receiver;
    row(`WS decode 4096 x 64 B masked frames, one per feed (vs ws Receiver)`, bytes, ...pair(() => {
      const s = new rtc.WsConnection('server');
      for (const f of frames) n += s.feed(f).length;
      s.free();
    }, Receiver && (() => {
      const r = new Receiver({ isServer: true, binaryType: 'nodebuffer' });
      r.on('message', () => n++);
      for (const f of frames) r.write(f);
    })), 'MB/s');
  }
}

let bufferutil = false;
try {
  req.resolve('bufferutil');
  bufferutil = true;
} catch {}
const w = [0, 0, 0, 0].map((_, i) => Math.max(...rows.map((r) => r[i].length), ['case', 'ours', 'theirs', 'ratio'][i].length));
const line = (r) => r.map((c, i) => c.padEnd(w[i])).join('  ');
console.log(`node ${process.version}; ws bufferutil: ${bufferutil ? 'yes' : 'no (pure JS masking)'}`);
console.log(line(['case', 'ours', 'theirs', 'ratio']));
for (const r of rows) console.log(line(r));
