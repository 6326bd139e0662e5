import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChunkedDecoder, ChunkedEncoder, HttpMessageDecoder, decodeEngineIoPayload, encodeEngineIoPayload,
  encodeHttpRequestHead, encodeHttpResponseHead,
} from 'realtime-codecs';
import { codecError, dec, enc, interopPackage, vectors } from './helpers.mjs';

const cat = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** Feeds `chunks` then finishes; records messages (body, sizes, kind, complete) and where an error came. */
function run(role, opts, chunks) {
  const d = new HttpMessageDecoder(role, opts);
  const o = { messages: [], error: undefined, errorBeforeEof: false, upgraded: false };
  const on = (ev) => {
    if (ev.type === 'request' || ev.type === 'response') o.messages.push({ kind: ev.body.kind, body: [], sizes: [], complete: false });
    const m = o.messages.at(-1);
    if (ev.type === 'chunk') m.sizes.push(ev.size);
    if (ev.type === 'data') m.body.push(ev.data);
    if (ev.type === 'end') m.complete = true;
    if (ev.type === 'upgrade') o.upgraded = true;
  };
  try {
    for (const c of chunks) d.feed(c).forEach(on);
    // An error found after some events of the last call is thrown by the next call.
    d.feed(new Uint8Array(0)).forEach(on);
  } catch (e) {
    o.error = e;
    o.errorBeforeEof = true;
  }
  if (!o.error) {
    try {
      d.finish().forEach(on);
    } catch (e) {
      o.error = e;
    }
  }
  for (const m of o.messages) m.body = cat(m.body).toString('latin1');
  return o;
}

const LENIENT = {
  'transfer-encoding': { allowTransferEncoding: true },
  headers: { allowLenientHeaders: true },
  'optional-lf-after-cr': { allowOptionalLfAfterCr: true },
  'optional-crlf-after-chunk': { allowOptionalCrlfAfterChunk: true },
  'spaces-after-chunk-size': { allowSpacesAfterChunkSize: true },
  'chunked-length': { allowChunkedLength: true },
  all: {
    allowLenientHeaders: true, allowChunkedLength: true, allowTransferEncoding: true, allowOptionalLfAfterCr: true,
    allowOptionalCrBeforeLf: true, allowOptionalCrlfAfterChunk: true, allowSpacesAfterChunkSize: true,
  },
};

function checkRejected(id, o) {
  if (o.upgraded) {
    assert.ok(o.messages.every((m) => m.body === '' && m.sizes.length === 0), id);
    return;
  }
  assert.ok(o.errorBeforeEof, `${id}: accepted in strict mode`);
  assert.match(o.error.code, /^HTTP_/, id);
  assert.equal(o.messages.filter((m) => m.complete).length, 0, `${id}: completed before the error`);
}

function checkVerdict(id, c, o) {
  const last = o.messages.at(-1);
  const body = () => {
    assert.ok(last, `${id}: no message`);
    if (c.body !== undefined) assert.equal(last.body, c.body, `${id}: body`);
  };
  switch (c.verdict) {
    case 'accept':
      assert.ok(o.messages.some((m) => m.complete), `${id}: not complete`);
      body();
      if (c.chunk_sizes) assert.deepEqual(last.sizes, c.chunk_sizes, `${id}: sizes`);
      break;
    case 'accept_partial':
      assert.ok(!o.errorBeforeEof, `${id}: ${o.error?.message}`);
      body();
      if (c.chunk_sizes) assert.deepEqual(last.sizes, c.chunk_sizes, `${id}: sizes`);
      break;
    case 'accept_headers':
      assert.ok(!o.errorBeforeEof && o.messages.length > 0, id);
      break;
    case 'accept_not_chunked':
      assert.equal(o.error, undefined, id);
      assert.equal(last.kind, 'close', id);
      assert.ok(last.sizes.length === 0 && last.complete, id);
      body();
      break;
    case 'reject':
      checkRejected(id, o);
      break;
    default:
      assert.fail(`${id}: unknown verdict ${c.verdict}`);
  }
}

test('llhttp chunked/framing cases, whole and byte by byte; strict rejects lenient-only cases', (t) => {
  const raw = vectors('chunked/llhttp_cases.json', t);
  if (!raw) return;
  const cases = JSON.parse(raw.toString('utf8'));
  assert.ok(cases.length >= 51);
  for (const c of cases) {
    const role = c.kind === 'request' ? 'server' : 'client';
    const bytes = Buffer.from(c.input, 'latin1');
    const splits = [[bytes], Array.from(bytes, (b) => Uint8Array.of(b))];
    for (const chunks of splits) {
      const strict = run(role, undefined, chunks);
      if (c.lenient === null) {
        checkVerdict(c.id, c, strict);
      } else {
        checkRejected(c.id, strict);
        checkVerdict(c.id, c, run(role, LENIENT[c.lenient], chunks));
      }
    }
  }
});

test('ChunkedEncoder -> ChunkedDecoder round trip with trailers, any split', () => {
  const e = new ChunkedEncoder();
  const wire = cat([e.chunk(enc.encode('hello ')), e.chunk(new Uint8Array(0)), e.chunk(new Uint8Array(300).fill(65)), e.finish([['X-Checksum', 'abc']])]);
  assert.match(wire.toString('latin1'), /^6\r\nhello \r\n12c\r\n/);
  codecError(assert, () => e.chunk(enc.encode('late')), 'HTTP_AFTER_END');
  for (const step of [wire.length, 1, 7]) {
    const d = new ChunkedDecoder();
    const evs = [];
    for (let i = 0; i < wire.length; i += step) evs.push(...d.feed(wire.subarray(i, i + step)));
    assert.ok(d.isDone);
    assert.deepEqual(evs.filter((x) => x.type === 'chunk').map((x) => x.size), [6, 300, 0]);
    assert.equal(cat(evs.filter((x) => x.type === 'data').map((x) => x.data)).toString(), 'hello ' + 'A'.repeat(300));
    assert.deepEqual(evs.at(-1), { type: 'end', trailers: [['X-Checksum', 'abc']] });
  }
});

test('ChunkedDecoder: extensions, leftovers, errors with offsets', () => {
  const d = new ChunkedDecoder();
  const evs = d.feed(enc.encode('3;name=val;q="a b";flag\r\nabc\r\n0\r\n\r\nNEXT'));
  assert.deepEqual(evs[0], { type: 'chunk', size: 3, extensions: [['name', 'val'], ['q', 'a b'], ['flag', null]] });
  assert.equal(dec.decode(d.buffered), 'NEXT');
  // The events before the fault come back first; the next call throws.
  const d2 = new ChunkedDecoder();
  assert.deepEqual(d2.feed(enc.encode('3\r\nabc\r\nz\r\n')).map((x) => x.type), ['chunk', 'data']);
  const bad = codecError(assert, () => d2.feed(new Uint8Array(0)), 'HTTP_INVALID_CHUNK_SIZE');
  assert.equal(bad.offset, 8);
  codecError(assert, () => new ChunkedDecoder().feed(enc.encode('3\nabc')), 'HTTP_BARE_LF');
  const cut = new ChunkedDecoder();
  cut.feed(enc.encode('5\r\nab'));
  codecError(assert, () => cut.finish(), 'HTTP_UNEXPECTED_EOF');
  codecError(assert, () => new ChunkedDecoder({ maxChunkExtLen: 4 }).feed(enc.encode('1;abcdefgh=1\r\n')), 'HTTP_CHUNK_EXTENSIONS_TOO_LARGE');
  codecError(assert, () => new ChunkedDecoder({ allowSpacesAfterChunkSize: 'yes' }), 'INVALID_ARGUMENT');
});

test('HttpMessageDecoder: request head, response to HEAD, status hints', () => {
  const s = new HttpMessageDecoder('server');
  const evs = s.feed(enc.encode('POST /poll?sid=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi'));
  assert.deepEqual(evs[0], {
    type: 'request', method: 'POST', target: '/poll?sid=1', path: '/poll', query: 'sid=1', version: '1.1',
    headers: [['Host', 'x'], ['Content-Length', '2']], body: { kind: 'length', length: 2 },
  });
  assert.deepEqual(evs.slice(1).map((e) => e.type), ['data', 'end']);
  const c = new HttpMessageDecoder('client');
  c.expectResponseTo('HEAD');
  const r = c.feed(enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'));
  assert.deepEqual([r[0].status, r[0].reason, r[0].body.kind, r[1].type], [200, 'OK', 'empty', 'end']);
  const e = codecError(assert, () => new HttpMessageDecoder('server').feed(enc.encode('GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n')), 'HTTP_CONTENT_LENGTH_WITH_TRANSFER_ENCODING');
  assert.equal(e.status, 400);
  const big = codecError(assert, () => new HttpMessageDecoder('server', { maxHeadLen: 16 }).feed(enc.encode('GET /aaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n')), 'HTTP_HEAD_TOO_LARGE');
  assert.equal(big.max, 16);
  codecError(assert, () => new HttpMessageDecoder('proxy'), 'INVALID_ARGUMENT');
});

test('Engine.IO payloads: decode, encode, errors, and engine.io-parser agreement', async (t) => {
  const payload = '0{"sid":"a"}\x1e4hello\x1e2\x1ebAQID\x1e4ünï';
  const packets = decodeEngineIoPayload(payload);
  assert.deepEqual(packets, [
    { type: 'open', data: '{"sid":"a"}' }, { type: 'message', data: 'hello' }, { type: 'ping', data: '' },
    { type: 'message', binary: true, data: Uint8Array.of(1, 2, 3) }, { type: 'message', data: 'ünï' },
  ]);
  assert.equal(encodeEngineIoPayload(packets), payload);
  assert.deepEqual(decodeEngineIoPayload(enc.encode(payload)), packets);
  codecError(assert, () => encodeEngineIoPayload([{ type: 'message', data: 'a\x1eb' }]), 'HTTP_CONTAINS_SEPARATOR');
  const e = codecError(assert, () => decodeEngineIoPayload('4ok\x1e9bad'), 'HTTP_INVALID_FRAME');
  assert.equal(e.offset, 4);
  codecError(assert, () => decodeEngineIoPayload('4' + 'x'.repeat(100), 10), 'HTTP_TOO_LARGE');
  codecError(assert, () => encodeEngineIoPayload([{ type: 'shout', data: '' }]), 'INVALID_ARGUMENT');
  const parser = await interopPackage('engine.io-parser', t);
  if (!parser) return;
  const theirs = await new Promise((r) => parser.encodePayload([
    { type: 'open', data: '{"sid":"a"}' }, { type: 'message', data: 'hello' }, { type: 'ping' },
    { type: 'message', data: Buffer.from([1, 2, 3]) }, { type: 'message', data: 'ünï' },
  ], r));
  assert.equal(theirs, payload);
  const back = parser.decodePayload(encodeEngineIoPayload(packets), 'nodebuffer');
  assert.deepEqual(back.map((p) => [p.type, Buffer.isBuffer(p.data) ? [...p.data] : p.data ?? '']), [
    ['open', '{"sid":"a"}'], ['message', 'hello'], ['ping', ''], ['message', [1, 2, 3]], ['message', 'ünï'],
  ]);
});

test('head encoders: request and response heads decode back; bad input is refused', () => {
  const req = encodeHttpRequestHead({ method: 'POST', target: '/poll?sid=a', headers: [['Host', 'x'], ['Content-Length', '0']] });
  assert.equal(dec.decode(req), 'POST /poll?sid=a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
  const r = new HttpMessageDecoder('server').feed(req);
  assert.deepEqual([r[0].method, r[0].query, r[0].headers], ['POST', 'sid=a', [['Host', 'x'], ['Content-Length', '0']]]);
  const res = encodeHttpResponseHead({ status: 304, headers: [['ETag', '"v1"']] });
  assert.equal(dec.decode(res), 'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n');
  assert.equal(dec.decode(encodeHttpResponseHead({ status: 200, reason: 'Fine' })), 'HTTP/1.1 200 Fine\r\n\r\n');
  codecError(assert, () => encodeHttpRequestHead({ method: 'GE T', target: '/' }), 'HTTP_INVALID_START_LINE_INPUT');
  codecError(assert, () => encodeHttpRequestHead({ method: 'GET', target: '/', headers: [['X', 'a\r\nInjected: 1']] }), 'HTTP_INVALID_HEADER_INPUT');
  codecError(assert, () => encodeHttpResponseHead({ status: 42 }), 'HTTP_INVALID_START_LINE_INPUT');
  codecError(assert, () => encodeHttpResponseHead({ status: 'ok' }), 'INVALID_ARGUMENT');
  codecError(assert, () => encodeHttpRequestHead({ method: 'GET' }), 'INVALID_ARGUMENT');
});
