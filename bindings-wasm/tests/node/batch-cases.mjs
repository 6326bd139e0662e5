// Cases for the batch builders of js/objects.js (one call into JS per feed), shared by
// batch.test.mjs (the Node build, strings made by Buffer) and batch-web.test.mjs (the web build
// with Buffer hidden, strings made by TextDecoder). Not a test file itself.
import assert from 'node:assert/strict';
import { concat } from './helpers.mjs';

const enc = new TextEncoder();

// Strings of every UTF-8 length, surrogate pairs, and ASCII runs longer and shorter than the
// 16-byte blocks the transcoder widens at once.
const TEXTS = ['plain', '', 'ünï', 'x'.repeat(40) + 'é' + 'y'.repeat(17), '我現在 €', '😀𝄞 pairs', 'a😀', 'ascii again'];

/** Every SSE item kind in one chunk, ASCII and not, in one batch. */
export function sseMixedBatch(rtc) {
  let stream = 'retry: 1500\n: a comment ü\n';
  const want = [{ type: 'retry', retry: 1500 }, { type: 'comment', comment: 'a comment ü' }];
  TEXTS.forEach((t, i) => {
    stream += `event: e${t}\nid: ${i}${t}\ndata: ${t}\ndata: ${t}\n\n`;
    want.push({ type: 'event', event: `e${t}`, data: `${t}\n${t}`, id: `${i}${t}` });
  });
  stream += 'id: só id\n\n';
  want.push({ type: 'id', id: 'só id' });
  stream += 'data: last\n\n';
  want.push({ type: 'event', event: 'message', data: 'last', id: 'só id' });
  const bytes = enc.encode(stream);
  const p = new rtc.SseParser({ comments: true });
  assert.deepEqual(p.feed(bytes), want);
  // ASCII-only batch right after a UTF-16 one.
  assert.deepEqual(p.feed(enc.encode('data: plain\n\n')), [{ type: 'event', event: 'message', data: 'plain', id: 'só id' }]);
  return p;
}

/** A batch after the WASM memory grew (the builders' cached view of it is then stale). */
export function sseAfterGrowth(rtc) {
  const p = new rtc.SseParser({ maxEventLen: 64 << 20, maxLineLen: 64 << 20 });
  const big = 'ü'.repeat(12 << 20);
  const items = p.feed(enc.encode(`data: ${big}\n\ndata: x€\n\n`));
  assert.equal(items.length, 2);
  assert.equal(items[0].data.length, big.length);
  assert.ok(items[0].data === big, 'the 24 MiB event comes back intact');
  assert.equal(items[1].data, 'x€');
  sseMixedBatch(rtc);
}

/** Client frames of every message kind in one feed, ASCII and not, and after memory growth. */
export function wsMixedBatch(rtc) {
  const client = new rtc.WsConnection('client');
  const server = new rtc.WsConnection('server');
  const parts = [];
  const want = [];
  TEXTS.forEach((t, i) => {
    parts.push(client.sendText(t));
    want.push({ type: 'text', data: t });
    const bin = Uint8Array.from({ length: i * 7 }, (_, k) => (k * 31 + i) & 255);
    parts.push(client.sendBinary(bin));
    want.push({ type: 'binary', data: bin });
  });
  // Either side of the size from which a payload gets an ArrayBuffer of its own, interleaved.
  for (const len of [4095, 4096, 3, 5000, 0]) {
    const bin = Uint8Array.from({ length: len }, (_, k) => (k * 7 + len) & 255);
    parts.push(client.sendBinary(bin));
    want.push({ type: 'binary', data: bin });
  }
  parts.push(client.ping(Uint8Array.of(1, 2)));
  want.push({ type: 'ping', data: Uint8Array.of(1, 2) });
  parts.push(client.close(4000, 'bye ünï'));
  want.push({ type: 'close', code: 4000, reason: 'bye ünï' });
  const got = server.feed(concat(...parts));
  assert.deepEqual(got.map((m) => ({ ...m, data: m.data instanceof Uint8Array ? [...m.data] : m.data })),
    want.map((m) => ({ ...m, data: m.data instanceof Uint8Array ? [...m.data] : m.data })));
  // A message larger than the memory so far, then a small mixed batch.
  const c2 = new rtc.WsConnection('client');
  const s2 = new rtc.WsConnection('server', { maxMessageLen: 64 << 20, maxFrameLen: 64 << 20 });
  const huge = Uint8Array.from({ length: 24 << 20 }, (_, k) => k & 255);
  const out = s2.feed(concat(c2.sendBinary(huge), c2.sendText('after ü'), c2.sendBinary(Uint8Array.of(9))));
  assert.equal(out.length, 3);
  assert.equal(out[0].data.length, huge.length);
  assert.ok(out[0].data.every((b, k) => b === (k & 255)), 'the 24 MiB message comes back intact');
  assert.deepEqual(out.slice(1).map((m) => [m.type, m.type === 'text' ? m.data : [...m.data]]), [['text', 'after ü'], ['binary', [9]]]);
}

/** Raw frames of every size class in one feed, and the flags. */
export function wsFramesBatch(rtc) {
  const mask = Uint8Array.of(1, 2, 3, 4);
  const frames = [
    [2, false, 5000],
    [0, false, 3],
    [9, true, 4],
    [0, true, 4096],
    [1, true, 10],
    [2, true, 0],
    [2, true, 70000],
  ].map(([opcode, fin, len]) => {
    const payload = Uint8Array.from({ length: len }, (_, k) => (k * 13 + len) & 255);
    if (opcode === 1) payload.fill(0x61);
    return { opcode, fin, compressed: false, payload };
  });
  const wire = concat(...frames.map((f) => rtc.encodeWsFrame(f.opcode, f.payload, f.fin, mask)));
  const got = new rtc.WsFrameDecoder('server').feed(wire);
  assert.deepEqual(got.map((f) => ({ ...f, payload: [...f.payload] })), frames.map((f) => ({ ...f, payload: [...f.payload] })));
  for (const f of got) assert.ok(f.payload instanceof Uint8Array);
}

/** An SDP object from codec-sdp's tape: non-ASCII strings (STR8), a string with quotes and a
 * backslash, a decimal, an integer above 2^53 (a number's text), one that stays a string, nested
 * arrays, a bare LF ending, and a Latin-1 document. Expected values follow codec-sdp's JSON
 * rules (src/json.rs); the key order is the JSON text's (sorted). */
export function sdpTapeValues(rtc) {
  const sdp = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=Sitzung über €',
    'i=日本語 😀',
    't=3034423619 18446744073709551615',
    'a=x-note:"q\\uote" ü',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=framerate:29.97',
    'a=candidate:1 1 udp 2122194687 192.0.2.1 5000 typ host generation 0 x-ext val',
  ].join('\r\n') + '\r\na=ptime:9007199254740993\n';
  const want = {
    description: '日本語 😀',
    invalid: [{ value: 'x-note:"q\\uote" ü' }],
    lineEnding: '\r\n',
    lineEndings: [...Array(9).fill('\r\n'), '\n'],
    media: [
      {
        candidates: [
          {
            component: 1,
            extensions: [['x-ext', 'val']],
            foundation: '1',
            generation: 0,
            ip: '192.0.2.1',
            port: 5000,
            priority: 2122194687,
            transport: 'udp',
            type: 'host',
          },
        ],
        fmtp: [],
        framerate: 29.97,
        order: ['framerate', 'candidates.0', 'ptime'],
        payloads: '96',
        port: 9,
        protocol: 'UDP/TLS/RTP/SAVPF',
        ptime: '9007199254740993',
        rtp: [],
        type: 'video',
      },
    ],
    name: 'Sitzung über €',
    order: ['version', 'origin', 'name', 'description', 'timing', 'invalid.0'],
    origin: { address: '127.0.0.1', ipVer: 4, netType: 'IN', sessionId: '4611731400430051336', sessionVersion: 2, username: '-' },
    timing: { start: 3034423619, stop: 18446744073709551615 },
    version: 0,
  };
  for (const input of [sdp, enc.encode(sdp)]) {
    const got = rtc.parseSdp(input);
    assert.deepEqual(got, want);
    assert.equal(JSON.stringify(got), JSON.stringify(want), 'key order');
  }
  const latin1 = Uint8Array.from('v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=caf\xe9\r\nt=0 0\r\n', (c) => c.charCodeAt(0));
  const got = rtc.parseSdp(latin1);
  assert.equal(got.charset, 'latin1');
  assert.equal(got.name, 'café');
  // Back through the JSON writer, the Latin-1 byte comes back as it was.
  assert.deepEqual(rtc.SdpDescription.fromJSON(got).toBytes(), latin1);
}
