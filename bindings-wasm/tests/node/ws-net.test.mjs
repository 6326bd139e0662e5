// WebSocket over real sockets on 127.0.0.1, against the `ws` package: our client with its
// server, and our server with its client. Every wait has a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { WsClientHandshake, WsServerHandshake, WsConnection } from 'realtime-codecs';
import { interopPackage } from './helpers.mjs';

const TIMEOUT = 10_000;
const withTimeout = (p, what) => Promise.race([
  p,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), TIMEOUT).unref()),
]);

test('our client (net.Socket) <-> ws WebSocketServer', async (t) => {
  const ws = await interopPackage('ws', t);
  if (!ws) return;
  const wss = new ws.WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('chat') ? 'chat' : false) });
  wss.on('connection', (sock) => sock.on('message', (data, isBinary) => sock.send(data, { binary: isBinary })));
  await new Promise((r) => wss.on('listening', r));
  const { port } = wss.address();
  try {
    const sock = connect(port, '127.0.0.1');
    const hs = new WsClientHandshake(`127.0.0.1:${port}`, '/', { protocols: ['chat'] });
    const conn = new WsConnection('client');
    const got = [];
    let head = Buffer.alloc(0);
    let upgraded;
    const done = new Promise((resolve, reject) => {
      sock.on('error', reject);
      sock.on('close', resolve);
      sock.on('data', (chunk) => {
        try {
          let bytes = chunk;
          if (!upgraded) {
            head = Buffer.concat([head, chunk]);
            upgraded = hs.parseResponse(head);
            if (!upgraded) return;
            bytes = head.subarray(upgraded.consumed);
            sock.write(conn.sendText('hello ünï'));
            sock.write(conn.sendBinary(Uint8Array.of(0, 1, 255)));
            sock.write(conn.sendText('x'.repeat(70000)));
          }
          for (const m of conn.feed(bytes)) {
            got.push(m);
            if (got.length === 3) sock.write(conn.close(1000, 'done'));
          }
          const out = conn.takeTransmit();
          if (out) sock.write(out);
          if (conn.isClosed) sock.end();
        } catch (e) {
          reject(e);
        }
      });
    });
    sock.write(hs.request());
    await withTimeout(done, 'client exchange');
    assert.equal(upgraded.protocol, 'chat');
    assert.deepEqual(got.slice(0, 2), [{ type: 'text', data: 'hello ünï' }, { type: 'binary', data: Uint8Array.of(0, 1, 255) }]);
    assert.equal(got[2].data.length, 70000);
    assert.deepEqual(got.slice(3).map((m) => [m.type, m.code]), [['close', 1000]]);
  } finally {
    await new Promise((r) => wss.close(r));
  }
});

test('ws client <-> our server (net.createServer)', async (t) => {
  const ws = await interopPackage('ws', t);
  if (!ws) return;
  const server = createServer((sock) => {
    let head = Buffer.alloc(0);
    let conn;
    sock.on('error', () => {});
    sock.on('data', (chunk) => {
      let bytes = chunk;
      if (!conn) {
        head = Buffer.concat([head, chunk]);
        let req;
        try {
          req = WsServerHandshake.parse(head);
        } catch (e) {
          sock.end(e.response);
          return;
        }
        if (!req) return;
        sock.write(req.accept(req.protocols.includes('chat') ? 'chat' : undefined));
        conn = new WsConnection('server');
        bytes = head.subarray(req.consumed);
      }
      for (const m of conn.feed(bytes)) {
        if (m.type === 'text') sock.write(conn.sendText(m.data.toUpperCase()));
        if (m.type === 'binary') sock.write(conn.sendBinary(m.data.reverse()));
      }
      const out = conn.takeTransmit();
      if (out) sock.write(out);
      if (conn.isClosed) sock.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    const client = new ws.WebSocket(`ws://127.0.0.1:${port}/x`, ['chat']);
    const got = [];
    const closed = new Promise((resolve, reject) => {
      client.on('error', reject);
      client.on('open', () => {
        client.send('shout');
        client.send(Buffer.from([1, 2, 3]));
        client.ping();
      });
      client.on('message', (data, isBinary) => {
        got.push(isBinary ? [...data] : data.toString());
        if (got.length === 2) client.close(1000, 'bye');
      });
      client.on('close', (code) => resolve(code));
    });
    const code = await withTimeout(closed, 'ws client exchange');
    assert.equal(client.protocol, 'chat');
    assert.deepEqual(got, ['SHOUT', [3, 2, 1]]);
    assert.equal(code, 1000);
    // A bad upgrade gets the HTTP error response the codec wrote.
    const bad = connect(port, '127.0.0.1');
    let reply = '';
    bad.on('data', (d) => (reply += d));
    const ended = new Promise((r) => bad.on('close', r));
    bad.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n\r\n');
    await withTimeout(ended, 'error response');
    assert.match(reply, /^HTTP\/1\.1 426 /);
    assert.match(reply, /Sec-WebSocket-Version: 13\r\n/);
  } finally {
    server.close();
  }
});
