import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import {
  WsConnection, WsFrameDecoder, encodeWsFrame, wsAcceptKey, WsClientHandshake, WsServerHandshake,
} from 'realtime-codecs';
import { codecError, concat, dec, enc, interopPackage } from './helpers.mjs';

const hex = (s) => Uint8Array.from(s.match(/\S\S/g).map((b) => parseInt(b, 16)));
const byteByByte = (conn, bytes) => Array.from(bytes).flatMap((b) => conn.feed(Uint8Array.of(b)));

test('RFC 6455 §5.7 examples, whole and byte by byte', () => {
  const cases = [
    // role that receives, bytes, expected messages
    ['client', hex('81 05 48 65 6c 6c 6f'), [{ type: 'text', data: 'Hello' }]],
    ['server', hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'), [{ type: 'text', data: 'Hello' }]],
    ['client', hex('01 03 48 65 6c 80 02 6c 6f'), [{ type: 'text', data: 'Hello' }]],
    ['client', hex('89 05 48 65 6c 6c 6f'), [{ type: 'ping', data: enc.encode('Hello') }]],
    ['server', hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58'), [{ type: 'pong', data: enc.encode('Hello') }]],
    ['client', concat(hex('82 7e 01 00'), new Uint8Array(256).fill(7)), [{ type: 'binary', data: new Uint8Array(256).fill(7) }]],
    ['client', concat(hex('82 7f 00 00 00 00 00 01 00 00'), new Uint8Array(65536).fill(9)), [{ type: 'binary', data: new Uint8Array(65536).fill(9) }]],
  ];
  for (const [role, bytes, want] of cases) {
    assert.deepEqual(new WsConnection(role).feed(bytes), want, `${role} whole`);
    if (bytes.length < 1000) assert.deepEqual(byteByByte(new WsConnection(role), bytes), want, `${role} split`);
  }
});

test('client <-> server: text, binary, fragments, masking by role', () => {
  const client = new WsConnection('client');
  const server = new WsConnection('server');
  const a = client.sendText('héllo');
  assert.equal(a[1] & 0x80, 0x80, 'client frames are masked');
  const b = server.sendBinary(Uint8Array.of(1, 2, 3));
  assert.equal(b[1] & 0x80, 0, 'server frames are not masked');
  assert.deepEqual(server.feed(a), [{ type: 'text', data: 'héllo' }]);
  assert.deepEqual(client.feed(b), [{ type: 'binary', data: Uint8Array.of(1, 2, 3) }]);
  // Two sends give different masking keys (crypto.getRandomValues).
  assert.notDeepEqual(client.sendText('x').subarray(2, 6), client.sendText('x').subarray(2, 6));
  const parts = [client.sendFragment(enc.encode('ab'), true, false), client.ping(enc.encode('p')), client.sendFragment(enc.encode('cd'), true, true)];
  assert.deepEqual(server.feed(concat(...parts)).slice(-2), [{ type: 'ping', data: enc.encode('p') }, { type: 'text', data: 'abcd' }]);
  // The automatic pong waits in takeTransmit.
  const pong = server.takeTransmit();
  assert.deepEqual(client.feed(pong), [{ type: 'pong', data: enc.encode('p') }]);
  assert.equal(server.takeTransmit(), undefined);
});

test('close handshake and states; finish() reports 1006', () => {
  const client = new WsConnection('client');
  const server = new WsConnection('server');
  const c = client.close(1000, 'bye');
  assert.equal(client.state, 'closeSent');
  assert.deepEqual(server.feed(c), [{ type: 'close', code: 1000, reason: 'bye' }]);
  const reply = server.takeTransmit();
  assert.ok(reply);
  assert.equal(server.state, 'closed');
  const echoed = client.feed(reply);
  assert.deepEqual(echoed.map((m) => [m.type, m.code]), [['close', 1000]]);
  assert.equal(client.takeTransmit(), undefined, 'the initiator sends nothing more');
  assert.ok(client.isClosed);
  codecError(assert, () => client.sendText('late'), 'WS_CLOSED');
  const lost = new WsConnection('server');
  assert.deepEqual(lost.finish(), { type: 'close', code: 1006, reason: '' });
  assert.equal(lost.finish(), undefined);
});

test('peer errors: code, offset and the close code to send', () => {
  const server = new WsConnection('server');
  const e = codecError(assert, () => server.feed(hex('81 05 48 65 6c 6c 6f')), 'WS_UNMASKED_FRAME');
  assert.deepEqual([e.offset, e.closeCode], [0, 1002]);
  const close = server.takeTransmit();
  assert.deepEqual(new WsConnection('client').feed(close), [{ type: 'close', code: 1002, reason: '' }]);

  const client = new WsConnection('client');
  client.feed(hex('81 02 68 69'));
  const u = codecError(assert, () => client.feed(hex('81 02 c3 28')), 'WS_INVALID_UTF8');
  assert.equal(u.closeCode, 1007);
  assert.equal(u.offset >= 4, true);

  const small = new WsConnection('client', { maxFrameLen: 4 });
  const big = codecError(assert, () => small.feed(hex('82 05 01 02 03 04 05')), 'WS_FRAME_TOO_LARGE');
  assert.equal(big.closeCode, 1009);
  codecError(assert, () => new WsConnection('client').feed(hex('83 00')), 'WS_RESERVED_OPCODE');
  codecError(assert, () => new WsConnection('client').ping(new Uint8Array(126)), 'WS_CONTROL_PAYLOAD_TOO_LONG');
  codecError(assert, () => new WsConnection('peer'), 'INVALID_ARGUMENT');
  codecError(assert, () => new WsConnection('client', { maxFrameLen: 'x' }), 'INVALID_ARGUMENT');
});

test('raw frames: WsFrameDecoder and encodeWsFrame', () => {
  const f = encodeWsFrame(1, enc.encode('Hello'), true, Uint8Array.of(0x37, 0xfa, 0x21, 0x3d));
  assert.deepEqual(f, hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  const d = new WsFrameDecoder('server');
  const frag = concat(
    encodeWsFrame(2, Uint8Array.of(1, 2), false, Uint8Array.of(1, 2, 3, 4)),
    encodeWsFrame(9, enc.encode('p'), true, Uint8Array.of(5, 6, 7, 8)),
    encodeWsFrame(0, Uint8Array.of(3), true, Uint8Array.of(9, 9, 9, 9)),
  );
  const frames = byteByByte(d, concat(f, frag));
  assert.deepEqual(frames.map((x) => [x.opcode, x.fin, [...x.payload]]), [
    [1, true, [...enc.encode('Hello')]], [2, false, [1, 2]], [9, true, [112]], [0, true, [3]],
  ]);
  // Sequencing is still checked: a continuation with no message started.
  const e = codecError(assert, () => new WsFrameDecoder('client').feed(encodeWsFrame(0, Uint8Array.of(1), true)), 'WS_UNEXPECTED_CONTINUATION');
  assert.equal(e.offset, 0);
  codecError(assert, () => encodeWsFrame(3, new Uint8Array(0), true), 'INVALID_ARGUMENT');
  codecError(assert, () => encodeWsFrame(1, new Uint8Array(0), true, Uint8Array.of(1)), 'INVALID_ARGUMENT');
});

test('raw frames: the compressed option lets RSV1 through on the first frame of a message', () => {
  const rsv1 = (frame) => {
    const f = frame.slice();
    f[0] |= 0x40;
    return f;
  };
  const key = Uint8Array.of(1, 2, 3, 4);
  // RFC 7692 §6: RSV1 on the first frame of a (fragmented) message only; the payload is left
  // as it came (here not really deflated: the decoder does not inflate).
  const first = rsv1(encodeWsFrame(2, Uint8Array.of(0xf2, 0x48), false, key));
  const ping = encodeWsFrame(9, enc.encode('p'), true, key);
  const last = encodeWsFrame(0, Uint8Array.of(0x05, 0x00), true, key);
  const d = new WsFrameDecoder('server', { compressed: true });
  assert.deepEqual(d.feed(concat(first, ping, last)).map((x) => [x.opcode, x.fin, x.compressed, [...x.payload]]), [
    [2, false, true, [0xf2, 0x48]], [9, true, false, [112]], [0, true, false, [5, 0]],
  ]);
  // Without the option RSV1 is a protocol error; with it, still on a continuation or a control frame.
  codecError(assert, () => new WsFrameDecoder('server').feed(first), 'WS_RESERVED_BITS');
  const opts = { compressed: true };
  codecError(assert, () => new WsFrameDecoder('server', opts).feed(rsv1(ping)), 'WS_MISPLACED_COMPRESSION_BIT');
  const plain = encodeWsFrame(2, Uint8Array.of(1), false, key);
  // The frame before the fault comes back first; the next call throws.
  const d2 = new WsFrameDecoder('server', opts);
  assert.equal(d2.feed(concat(plain, rsv1(last))).length, 1);
  const late = codecError(assert, () => d2.feed(new Uint8Array(0)), 'WS_MISPLACED_COMPRESSION_BIT');
  assert.equal(late.offset, plain.length);
  codecError(assert, () => new WsFrameDecoder('server', { compressed: 1 }), 'INVALID_ARGUMENT');
  // What the README says: a message deflated by zlib (as permessage-deflate senders do: a sync
  // flush, its 00 00 ff ff tail cut, RFC 7692 §7.2.1) comes back through inflateRawSync.
  const text = 'a message, a message, a message that deflates well';
  const deflated = zlib.deflateRawSync(enc.encode(text), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  assert.deepEqual([...deflated.subarray(-4)], [0, 0, 0xff, 0xff]);
  const [frame] = new WsFrameDecoder('server', opts).feed(rsv1(encodeWsFrame(1, deflated.subarray(0, -4), true, key)));
  assert.equal(frame.compressed, true);
  const inflated = zlib.inflateRawSync(concat(frame.payload, Uint8Array.of(0, 0, 0xff, 0xff)), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  assert.equal(dec.decode(inflated), text);
});

test('handshake: RFC 6455 §1.3 key, request/accept/response round trip, leftover frames', () => {
  assert.equal(wsAcceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  const hs = new WsClientHandshake('example.com', '/chat', {
    nonce: enc.encode('the sample nonce'), protocols: ['chat', 'superchat'], origin: 'http://example.com', headers: [['X-Token', 'abc']],
  });
  assert.equal(hs.key, 'dGhlIHNhbXBsZSBub25jZQ==');
  const req = hs.request();
  assert.match(dec.decode(req), /^GET \/chat HTTP\/1\.1\r\n/);
  // Incomplete heads give undefined.
  assert.equal(WsServerHandshake.parse(req.subarray(0, 20)), undefined);
  const srv = WsServerHandshake.parse(req);
  assert.equal(srv.consumed, req.length);
  assert.deepEqual([srv.path, srv.host, srv.origin, srv.key, srv.protocols], ['/chat', 'example.com', 'http://example.com', hs.key, ['chat', 'superchat']]);
  assert.ok(srv.headers.some(([n, v]) => n.toLowerCase() === 'x-token' && v === 'abc'));
  const resp = srv.accept('chat');
  assert.match(dec.decode(resp), /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/);
  codecError(assert, () => srv.accept('nope'), 'WS_UNEXPECTED_SUBPROTOCOL');
  const frame = new WsConnection('server').sendText('first');
  const got = hs.parseResponse(concat(resp, frame));
  assert.deepEqual(got, { protocol: 'chat', consumed: resp.length });
  assert.deepEqual(new WsConnection('client').feed(concat(resp, frame).subarray(got.consumed)), [{ type: 'text', data: 'first' }]);
  // A response with the wrong accept key.
  const other = new WsClientHandshake('example.com', '/chat');
  codecError(assert, () => other.parseResponse(resp), 'WS_ACCEPT_MISMATCH');
});

test('server handshake errors carry the HTTP status and the response to send', () => {
  const bad = enc.encode('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n');
  const e = codecError(assert, () => WsServerHandshake.parse(bad), 'WS_UNSUPPORTED_VERSION');
  assert.equal(e.status, 426);
  assert.match(dec.decode(e.response), /^HTTP\/1\.1 426 [^\r]*\r\n[\s\S]*Sec-WebSocket-Version: 13\r\n/);
  const post = enc.encode('POST / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(codecError(assert, () => WsServerHandshake.parse(post), 'WS_METHOD_NOT_GET').status, 405);
  const huge = enc.encode(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(200)}\r\n\r\n`);
  assert.equal(codecError(assert, () => WsServerHandshake.parse(huge, { maxHeadLen: 64 }), 'WS_HEAD_TOO_LARGE').status, 431);
});

test('interop with ws: its Sender frames decode here, our frames decode in its Receiver', async (t) => {
  const ws = await interopPackage('ws', t);
  if (!ws) return;
  const { Sender, Receiver } = ws;
  // ws client frames (masked) -> our server.
  const server = new WsConnection('server');
  const payloads = ['', 'a', 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(70000), 'ünïcödé'];
  for (const p of payloads) {
    const bufs = Sender.frame(Buffer.from(p), { fin: true, opcode: 1, mask: true, readOnly: false, rsv1: false });
    assert.deepEqual(server.feed(Buffer.concat(bufs)), [{ type: 'text', data: p }]);
  }
  // Our client frames -> ws's server-side Receiver.
  const client = new WsConnection('client');
  const got = [];
  const recv = new Receiver({ isServer: true });
  recv.on('message', (data, isBinary) => got.push([isBinary, Buffer.from(data)]));
  for (const p of payloads) recv.write(Buffer.from(client.sendText(p)));
  recv.write(Buffer.from(client.sendBinary(Uint8Array.of(0, 255))));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(got.map(([b, d]) => [b, b ? [...d] : d.toString()]), [...payloads.map((p) => [false, p]), [true, [0, 255]]]);
});

test('an error after complete messages: messages first, the next call throws', () => {
  const client = new WsConnection('client');
  const got = client.feed(hex('81 02 68 69 83 00'));
  assert.deepEqual(got, [{ type: 'text', data: 'hi' }]);
  const e = codecError(assert, () => client.feed(new Uint8Array(0)), 'WS_RESERVED_OPCODE');
  assert.equal(e.offset, 4);
  assert.ok(client.takeTransmit(), 'the 1002 close frame is queued');
});

/** A client's stream of 300 mixed messages then a close, what it sent, and random cuts of it:
 * small and large (own ArrayBuffer) payloads, text, fragments, pings. */
function mixedStream() {
  const client = new WsConnection('client');
  const parts = [];
  const sent = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 300; i++) {
    const size = rnd() < 0.1 ? 4096 + Math.floor(rnd() * 70000) : Math.floor(rnd() * 300);
    const body = new Uint8Array(size).map((_, k) => (k * 31 + i) & 0xff);
    if (i % 7 === 0) {
      const text = `ünï €${i} ${'x'.repeat(size % 5000)}`;
      parts.push(client.sendText(text));
      sent.push({ type: 'text', data: text });
    } else if (i % 11 === 0) {
      parts.push(client.ping(body.subarray(0, 100)));
      sent.push({ type: 'ping', data: body.slice(0, 100) });
    } else if (i % 13 === 0) {
      parts.push(client.sendFragment(body.subarray(0, size >> 1), false, false));
      parts.push(client.sendFragment(body.subarray(size >> 1), false, true));
      sent.push({ type: 'binary', data: body });
    } else {
      parts.push(client.sendBinary(body));
      sent.push({ type: 'binary', data: body });
    }
  }
  parts.push(client.close(1000, 'bye'));
  sent.push({ type: 'close', code: 1000, reason: 'bye' });
  const wire = concat(...parts);
  const cuts = [];
  for (let i = 0; i < wire.length; ) {
    const n = rnd() < 0.05 ? 100000 : 1 + Math.floor(rnd() * 3000);
    cuts.push([i, Math.min(i + n, wire.length)]);
    i += n;
  }
  return { wire, sent, cuts };
}

test('feed from a Uint8Array (JS fast path) gives what the general path gives', () => {
  // A Uint8Array takes the path of install_feeds (js/objects.js); a DataView the wasm-bindgen
  // one. Small and large (own ArrayBuffer) payloads, text, fragments, pings, then a close.
  const { wire, sent, cuts } = mixedStream();
  const view = (a, b) => new DataView(wire.buffer, wire.byteOffset + a, b - a);
  for (const Make of [() => new WsConnection('server'), () => new WsFrameDecoder('server')]) {
    const fast = Make();
    const slow = Make();
    let n = 0;
    const all = [];
    for (const [a, b] of cuts) {
      const got = fast.feed(wire.subarray(a, b));
      assert.deepEqual(got, slow.feed(view(a, b)), `${fast.constructor.name} cut ${a}..${b}`);
      all.push(...got);
    }
    assert.ok(all.length >= 300, `${fast.constructor.name}: ${all.length}`);
    // And both give what was sent, byte for byte (payloads from the pool, the batch's own
    // buffer and held ones).
    if (fast instanceof WsConnection) assert.deepEqual(all, sent);
  }
});

test('views option: payloads are views of WASM memory, right until the next call', () => {
  const { wire, sent, cuts } = mixedStream();
  const view = (a, b) => new DataView(wire.buffer, wire.byteOffset + a, b - a);
  for (const Make of [(o) => new WsConnection('server', o), (o) => new WsFrameDecoder('server', o)]) {
    const copies = Make();
    const fast = Make({ views: true });
    const slow = Make({ views: true });
    const all = [];
    let seen = 0;
    for (const [a, b] of cuts) {
      const want = copies.feed(wire.subarray(a, b));
      for (const [dec, chunk] of [[fast, wire.subarray(a, b)], [slow, view(a, b)]]) {
        const got = dec.feed(chunk);
        // Read before the next call: the same as the copies, each payload a view of the memory.
        assert.deepEqual(got, want, `${dec.constructor.name} cut ${a}..${b}`);
        for (const m of got) {
          const data = m.payload ?? (typeof m.data === 'string' ? undefined : m.data);
          if (!data) continue;
          assert.equal(data.constructor, Uint8Array);
          assert.ok(data.buffer.byteLength >= 65536 && data.buffer.byteLength > data.byteLength);
          seen++;
        }
      }
      if (fast instanceof WsConnection) all.push(...want);
    }
    assert.ok(seen > 400, `${fast.constructor.name}: ${seen} payloads`);
    if (all.length) assert.deepEqual(all, sent);
  }
  codecError(assert, () => new WsConnection('server', { views: 'yes' }), 'INVALID_ARGUMENT');
  codecError(assert, () => new WsFrameDecoder('server', { views: 1 }), 'INVALID_ARGUMENT');
});

test('fast-path feed: errors thrown at once, deferred after messages, room not used', () => {
  for (const Make of [() => new WsConnection('client'), () => new WsFrameDecoder('client')]) {
    // Nothing before the fault: thrown by this call.
    codecError(assert, () => Make().feed(hex('83 00')), 'WS_RESERVED_OPCODE');
    // Messages before the fault: returned, and the next call throws (with bytes, too).
    const c = Make();
    assert.equal(c.feed(hex('81 02 68 69 83 00')).length, 1);
    assert.equal(codecError(assert, () => c.feed(hex('81 00')), 'WS_RESERVED_OPCODE').offset, 4);
    assert.deepEqual(Make().feed(new Uint8Array(0)), []);
    const freed = Make();
    freed.free();
    assert.throws(() => freed.feed(hex('81 00')));
  }
  // Room made for a chunk that never came (internal calls out of order) is taken back.
  const d = new WsFrameDecoder('client');
  d.__room(1000);
  assert.deepEqual(d.feed(hex('81 02 68 69')).map((f) => dec.decode(f.payload)), ['hi']);
  d.__room(1000);
  assert.deepEqual(d.feed(hex('82 01 07')).map((f) => [...f.payload]), [[7]]);
  assert.equal(d.__feedRoom(5), 0, 'no room: nothing written counts');
});

test('small payloads share a pool across calls; large ones and slices have their own buffer', () => {
  const client = new WsConnection('client');
  const server = new WsConnection('server');
  const got = [];
  for (let i = 0; i < 400; i++) got.push(...server.feed(client.sendBinary(new Uint8Array(60).fill(i & 0xff))));
  assert.equal(got.length, 400);
  // Every payload keeps its own bytes, though they share buffers (at most 16 KiB each).
  got.forEach((m, i) => assert.deepEqual([...new Set(m.data)], [i & 0xff], `message ${i}`));
  const buffers = new Set(got.map((m) => m.data.buffer));
  assert.ok(buffers.size > 1 && buffers.size < 10, `${buffers.size} buffers`);
  for (const b of buffers) assert.ok(b.byteLength <= 16384);
  // Each starts 8-aligned, so it can be viewed as wider typed arrays.
  for (const m of got) assert.equal(m.data.byteOffset % 8, 0);
  // Writing into one payload leaves the others alone.
  got[1].data.fill(0xee);
  assert.deepEqual([...new Set(got[0].data)], [0]);
  assert.deepEqual([...new Set(got[2].data)], [2]);
  const big = server.feed(client.sendBinary(new Uint8Array(5000).fill(9)))[0].data;
  assert.equal(big.buffer.byteLength, 5000);
  assert.deepEqual([...new Set(big)], [9]);
  // Copied out without zeroing first (Buffer.allocUnsafeSlow in Node), yet a plain Uint8Array:
  // not a Buffer, whose slice() would share the bytes.
  assert.equal(Object.getPrototypeOf(big), Uint8Array.prototype);
  assert.equal(big.slice().buffer === big.buffer, false);
  assert.equal(got[3].data.slice().buffer.byteLength, 60);
});

test('an empty payload as the first payload a process ever gets (the pool is not made yet)', () => {
  // A process of its own: in this one, earlier tests have made the pool already.
  const script = `
    import { WsConnection, WsFrameDecoder } from 'realtime-codecs';
    const out = [];
    for (const D of [WsConnection, WsFrameDecoder]) {
      const c = new WsConnection('client');
      const got = new D('server').feed(c.sendBinary(new Uint8Array(0)));
      out.push(got.map((m) => (m.data ?? m.payload).length));
    }
    console.log(JSON.stringify(out));`;
  const cwd = dirname(fileURLToPath(import.meta.url));
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(printed), [[0], [0]]);
});
