// The codecs one by one: `realtime-codecs/sse`, `/ws`, `/longpoll` and `/sdp` each load a .wasm
// built with that codec alone. Each must hold its codec's API (and no other codec's), load in
// every way the whole package loads, and give exactly what the whole package gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as all from 'realtime-codecs';
import * as sse from 'realtime-codecs/sse';
import * as ws from 'realtime-codecs/ws';
import * as longpoll from 'realtime-codecs/longpoll';
import * as sdp from 'realtime-codecs/sdp';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('realtime-codecs/package.json'));
const enc = new TextEncoder();

const API = {
  sse: ['SseParser', 'SseClient', 'encodeSseEvent', 'encodeSseRetry', 'encodeSseComment', 'encodeSseHeartbeat'],
  ws: ['WsConnection', 'WsFrameDecoder', 'encodeWsFrame', 'WsClientHandshake', 'WsServerHandshake', 'wsAcceptKey'],
  longpoll: ['ChunkedDecoder', 'ChunkedEncoder', 'HttpMessageDecoder', 'PollScheduler', 'decodeEngineIoPayload',
    'encodeEngineIoPayload', 'encodeHttpRequestHead', 'encodeHttpResponseHead'],
  sdp: ['SdpDescription', 'parseSdp', 'writeSdp', 'parseCandidate'],
};
const MODULES = { sse, ws, longpoll, sdp };

/** What `fn` threw: its code, or undefined when it returned. */
function thrownCode(fn) {
  try {
    fn();
  } catch (e) {
    return `${e.name} ${e.code}`;
  }
  return undefined;
}

test('each subpath holds its codec alone, through ESM, CommonJS and types', () => {
  for (const [codec, names] of Object.entries(API)) {
    const esm = MODULES[codec];
    const cjs = require(`realtime-codecs/${codec}`);
    for (const n of names) {
      assert.equal(typeof esm[n], 'function', `${codec}: ESM ${n}`);
      assert.equal(typeof cjs[n], 'function', `${codec}: CommonJS ${n}`);
      assert.equal(typeof all[n], 'function', `the whole package has ${n}`);
    }
    for (const [other, otherNames] of Object.entries(API)) {
      if (other === codec) continue;
      for (const n of otherNames) assert.equal(esm[n], undefined, `${codec} must not hold ${other}'s ${n}`);
    }
    // A build of its own, not the whole package's classes.
    assert.notEqual(esm[names[0]], all[names[0]], `${codec}: own build`);
    assert.equal(esm[names[0]], cjs[names[0]], `${codec}: ESM and CommonJS load the same build`);
    for (const file of [`${codec}/web/realtime_codecs.d.ts`, `${codec}/node/realtime_codecs.d.ts`]) {
      const dts = readFileSync(join(root, file), 'utf8');
      for (const n of names) assert.match(dts, new RegExp(`export (class|function) ${n}\\b`), `${file}: ${n}`);
      const anyType = dts.split('export type InitInput')[0].match(/[:|<(,]\s*any\b[^\n]*/);
      assert.equal(anyType, null, `${file}: ${anyType?.[0]}`);
    }
    // Smaller than the whole package: the point of the subpath.
    const size = (p) => statSync(join(root, p)).size;
    assert.ok(size(`${codec}/web/realtime_codecs_bg.wasm`) < size('web/realtime_codecs_bg.wasm') * 0.6, codec);
  }
});

test('SSE alone decodes a cut stream, errors included, as the whole package does', () => {
  const text = '\uFEFFretry: 250\n: note\nid: 7\nevent: delta\ndata: ünï €\ndata: 😀\n\nid\ndata:x\r\n\r\n'.repeat(40);
  const bytes = enc.encode(text);
  for (const cut of [1, 3, 17, 256, bytes.length]) {
    const a = new sse.SseParser({ comments: true });
    const b = new all.SseParser({ comments: true });
    const got = [];
    const want = [];
    for (let i = 0; i < bytes.length; i += cut) {
      got.push(...a.feed(bytes.subarray(i, i + cut)));
      want.push(...b.feed(bytes.subarray(i, i + cut)));
    }
    assert.equal(got.length, 40 * 4 - 39, `cut ${cut}`); // retry, comment, two events; one BOM
    assert.deepEqual(got, want, `cut ${cut}`);
  }
  const line = () => new sse.SseParser({ maxLineLen: 4 }).feed(enc.encode('data: 12345\n'));
  assert.equal(thrownCode(line), 'CodecError SSE_LINE_TOO_LONG');
  assert.deepEqual(sse.encodeSseEvent({ event: 'e', data: 'a\nb' }), all.encodeSseEvent({ event: 'e', data: 'a\nb' }));
});

test('WebSocket alone: messages, raw frames, handshakes and errors as the whole package', () => {
  const client = new ws.WsConnection('client');
  const wire = [
    client.sendText('héllo'),
    client.sendBinary(new Uint8Array(70000).map((_, i) => i & 0xff)),
    client.sendBinary(new Uint8Array(10).fill(3)),
    client.ping(new Uint8Array([1, 2])),
    client.close(1000, 'bye'),
  ];
  for (const [mine, theirs] of [[ws.WsConnection, all.WsConnection], [ws.WsFrameDecoder, all.WsFrameDecoder]]) {
    const a = new mine('server');
    const b = new theirs('server');
    const got = wire.flatMap((f) => a.feed(f));
    assert.equal(got.length, 5);
    assert.deepEqual(got, wire.flatMap((f) => b.feed(f)));
  }
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  assert.equal(ws.wsAcceptKey(key), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='); // RFC 6455 §1.3
  const hello = new ws.WsClientHandshake('127.0.0.1:9', '/chat', { protocols: ['a'] });
  const server = ws.WsServerHandshake.parse(hello.request());
  assert.deepEqual(server.protocols, ['a']);
  const reply = server.accept('a');
  assert.equal(hello.parseResponse(reply).protocol, 'a');
  const bad = () => new ws.WsConnection('client').feed(Uint8Array.of(0x83, 0));
  assert.equal(thrownCode(bad), 'CodecError WS_RESERVED_OPCODE');
});

test('long polling alone: chunked bodies, heads and Engine.IO payloads as the whole package', () => {
  const encode = (m) => {
    const e = new m.ChunkedEncoder();
    return [e.chunk(enc.encode('hello ')), e.chunk(enc.encode('wörld')), e.finish()];
  };
  const body = encode(longpoll);
  assert.deepEqual(body, encode(all));
  const decode = (m) => {
    const d = new m.ChunkedDecoder();
    return body.flatMap((part) => [...part].map((byte) => d.feed(Uint8Array.of(byte)))).flat();
  };
  const got = decode(longpoll);
  assert.deepEqual(got, decode(all));
  // And what was encoded: the bytes back, then the end.
  const data = got.filter((e) => e.type === 'data').flatMap((e) => [...e.data]);
  assert.equal(new TextDecoder().decode(Uint8Array.from(data)), 'hello wörld');
  assert.deepEqual(got.at(-1), { type: 'end', trailers: [] });
  const packets = [{ type: 'message', data: 'hi' }, { type: 'ping' }, { type: 'message', data: new Uint8Array([1, 2]) }];
  const payload = longpoll.encodeEngineIoPayload(packets);
  assert.deepEqual(payload, all.encodeEngineIoPayload(packets));
  assert.deepEqual(longpoll.decodeEngineIoPayload(payload), all.decodeEngineIoPayload(payload));
  const head = { method: 'POST', target: '/poll', headers: [['Host', 'a']] };
  assert.deepEqual(longpoll.encodeHttpRequestHead(head), all.encodeHttpRequestHead(head));
  const bare = () => new longpoll.ChunkedDecoder().feed(enc.encode('5\nhello'));
  assert.equal(thrownCode(bare), thrownCode(() => new all.ChunkedDecoder().feed(enc.encode('5\nhello'))));
  assert.match(thrownCode(bare), /^CodecError HTTP_/);
});

test('SDP alone: parse, write, edits and candidates as the whole package', () => {
  const text = [
    'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 0', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=ice-ufrag:abcd',
    'a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaaaa', 'a=sendrecv', 'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:0 PCMU/8000', '',
  ].join('\r\n');
  const obj = sdp.parseSdp(text);
  assert.deepEqual(obj, all.parseSdp(text));
  assert.equal(sdp.writeSdp(obj), text);
  const d = sdp.SdpDescription.parse(text, { strict: true });
  assert.equal(d.toString(), text);
  d.removeCodec(0, 0);
  const e = all.SdpDescription.parse(text, { strict: true });
  e.removeCodec(0, 0);
  assert.equal(d.toString(), e.toString());
  assert.notEqual(d.toString(), text);
  const cand = 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host generation 0';
  assert.deepEqual(sdp.parseCandidate(cand), all.parseCandidate(cand));
  assert.equal(thrownCode(() => sdp.parseSdp('x')), thrownCode(() => all.parseSdp('x')));
});

test('each subpath: the ESM (web) build runs with initSync, and its exports map entry', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const codec of Object.keys(API)) {
    assert.equal(pkg.exports[`./${codec}`].browser.default, `./${codec}/web/realtime_codecs.js`);
    const web = await import(pathToFileURL(join(root, codec, 'web', 'realtime_codecs.js')).href);
    web.initSync({ module: readFileSync(join(root, codec, 'web', 'realtime_codecs_bg.wasm')) });
    assert.equal(typeof web[API[codec][0]], 'function', codec);
  }
  const web = await import(pathToFileURL(join(root, 'sse', 'web', 'realtime_codecs.js')).href);
  assert.deepEqual(new web.SseParser().feed(enc.encode('data: x\n\n')), [{ type: 'event', event: 'message', data: 'x', id: '' }]);
});
