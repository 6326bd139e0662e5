// Arbitrary and mutated bytes into every decoder of the package: each call either returns or
// throws a CodecError. A Rust panic would surface as a WebAssembly RuntimeError instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SseParser, SseClient, WsConnection, WsFrameDecoder, WsServerHandshake, WsClientHandshake, ChunkedDecoder,
  HttpMessageDecoder, SdpDescription, parseSdp, writeSdp, parseCandidate, decodeEngineIoPayload,
} from 'realtime-codecs';

const enc = new TextEncoder();
let seed = 0x9e3779b9;
const rnd = (n) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const ITER = Number(process.env.ROBUSTNESS_ITER ?? 400);

/** Valid-looking seeds per decoder, mutated by flips, inserts, cuts and splices. */
const SEEDS = {
  sse: ['retry: 10\nid: 1\nevent: x\ndata: a\ndata: b\n\n: c\r\n\r\n'],
  ws: ['\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58\x88\x82\x01\x02\x02\xe8', '\x01\x03Hel\x80\x02lo\x89\x00\x8a\x00\x88\x00'],
  http: ['POST /p?q=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 101 Switching\r\nUpgrade: ws\r\nConnection: upgrade\r\n\r\n'],
  hs: ['GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a, b\r\n\r\n',
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n'],
  sdp: ['v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\nb=AS:30\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\na=rtcp-fb:111 nack\r\na=extmap:1 urn:x\r\na=ssrc:1 cname:a\r\na=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0\r\na=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\na=simulcast:send a;b\r\na=rid:a send\r\n'],
  eio: ['0{"sid":"a"}\x1e4hello\x1e2\x1ebAQID'],
};

function mutate(s) {
  const b = Array.from(enc.encode(s));
  const n = 1 + rnd(4);
  for (let i = 0; i < n; i++) {
    const at = rnd(b.length + 1);
    switch (rnd(5)) {
      case 0: if (b.length) b[at % b.length] ^= 1 << rnd(8); break;
      case 1: b.splice(at, 0, rnd(256)); break;
      case 2: b.splice(at, 1 + rnd(8)); break;
      case 3: b.splice(at, 0, ...b.slice(rnd(b.length + 1), rnd(b.length + 1))); break;
      default: b.splice(at, 0, [0x0d, 0x0a, 0x3a, 0x20, 0x00, 0x1e, 0x80, 0xff][rnd(8)]);
    }
  }
  return Uint8Array.from(b);
}

const random = () => Uint8Array.from({ length: rnd(64) }, () => rnd(256));
const inputs = (kind) => Array.from({ length: ITER }, (_, i) => (i % 4 === 0 ? random() : mutate(SEEDS[kind][rnd(SEEDS[kind].length)])));

/** Runs fn; any throw must be a CodecError with a code. */
function safe(fn) {
  try {
    return fn();
  } catch (e) {
    assert.equal(e?.name, 'CodecError', `not a CodecError: ${e?.stack ?? e}`);
    assert.equal(typeof e.code, 'string');
    return undefined;
  }
}

/** Feeds bytes in random pieces, then an empty feed and finish. */
function stream(make, bytes) {
  const d = make();
  let at = 0;
  while (at < bytes.length) {
    const n = 1 + rnd(bytes.length - at);
    safe(() => d.feed(bytes.subarray(at, at + n)));
    at += n;
  }
  safe(() => d.feed(new Uint8Array(0)));
  safe(() => d.finish?.());
  d.free?.();
}

test('streaming decoders: arbitrary and mutated input never panics', () => {
  for (const b of inputs('sse')) stream(() => new SseParser({ comments: true, maxLineLen: 64 }), b);
  for (const b of inputs('ws')) {
    stream(() => new WsConnection('server'), b);
    stream(() => new WsConnection('client', { maxFrameLen: 32 }), b);
    stream(() => new WsFrameDecoder('server', { allowUnmasked: true }), b);
  }
  for (const b of inputs('http')) {
    stream(() => new ChunkedDecoder(), b);
    stream(() => new HttpMessageDecoder('server'), b);
    stream(() => new HttpMessageDecoder('client', { allowLenientHeaders: true, allowSpacesAfterChunkSize: true }), b);
  }
});

test('one-shot parsers: arbitrary and mutated input never panics', () => {
  const hs = new WsClientHandshake('a', '/chat', { nonce: enc.encode('the sample nonce') });
  for (const b of inputs('hs')) {
    safe(() => WsServerHandshake.parse(b));
    safe(() => hs.parseResponse(b));
  }
  const dec = new TextDecoder();
  for (const b of inputs('sdp')) {
    const d = safe(() => SdpDescription.parse(b));
    if (d) {
      safe(() => d.toJSON());
      safe(() => d.removeCodec(0, 111));
      safe(() => d.addCandidate({ candidate: 'candidate:1 1 udp 1 192.0.2.1 1 typ host', sdpMLineIndex: 0 }));
      safe(() => SdpDescription.parse(d.toBytes(), { strict: true }));
    }
    const obj = safe(() => parseSdp(b));
    if (obj) safe(() => writeSdp(obj));
    safe(() => parseCandidate(dec.decode(b)));
  }
  for (const b of inputs('eio')) safe(() => decodeEngineIoPayload(b, 64));
});

test('every feed takes bytes views and refuses what is not bytes', async () => {
  const { codecError } = await import('./helpers.mjs');
  const frame = new WsConnection('client').sendText('hi');
  const cases = [
    [() => new SseParser(), enc.encode('data: x\n\n')],
    [() => new SseClient(), enc.encode('data: x\n\n')],
    [() => new WsConnection('server'), frame],
    [() => new WsFrameDecoder('server'), frame],
    [() => new ChunkedDecoder(), enc.encode('2\r\nab\r\n0\r\n\r\n')],
    [() => new HttpMessageDecoder('server'), enc.encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n')],
  ];
  for (const [make, bytes] of cases) {
    const name = make().constructor.name;
    const want = make().feed(bytes);
    assert.ok(want.length > 0, name);
    // As an ArrayBuffer and as a DataView over a larger buffer: the same items.
    const padded = new Uint8Array(bytes.length + 6).fill(0x20);
    padded.set(bytes, 3);
    for (const form of [bytes.slice().buffer, new DataView(padded.buffer, 3, bytes.length)]) {
      assert.deepEqual(make().feed(form), want, `${name} ${form.constructor.name}`);
    }
    // A string, an array of numbers or nothing were once taken as zero bytes: now refused.
    for (const bad of ['data: x\n\n', [1, 2, 3], undefined, 7]) {
      codecError(assert, () => make().feed(bad), 'INVALID_ARGUMENT');
    }
  }
});
