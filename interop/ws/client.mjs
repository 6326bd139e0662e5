// Node `ws` as a client against a WebSocket echo server (our echo_server).
// usage: node client.mjs ws://127.0.0.1:PORT/path [deflate|plain]
// Sends text, binary, empty, fragmented, 16 MiB and ping traffic, checks every echo,
// then closes with 4000 and checks the server echoes the code. Exit 0 on success.
import WebSocket from 'ws';

const url = process.argv[2];
const deflate = process.argv[3] !== 'plain';
const timer = setTimeout(() => fail('timeout'), 60_000);
function fail(msg) {
  console.error(`ws client (${deflate ? 'deflate' : 'plain'}): FAIL ${msg}`);
  process.exit(1);
}

const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload: 64 << 20 });
const big = Buffer.alloc(16 << 20);
for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 0xff;
const bigText = 'é✓'.repeat(1 << 20); // multi-byte text, 5 MiB
const expected = [];
let pong = false;

ws.on('open', () => {
  if (deflate && !ws.extensions.includes('permessage-deflate')) fail(`no deflate: "${ws.extensions}"`);
  if (!deflate && ws.extensions !== '') fail(`unexpected extensions "${ws.extensions}"`);
  const send = (data, opts) => { expected.push({ data: Buffer.from(data), binary: !!opts?.binary }); ws.send(data, opts); };
  send('hello', { binary: false });
  send(Buffer.from([0, 1, 2, 255]), { binary: true });
  send('', { binary: false });
  send(Buffer.alloc(0), { binary: true });
  // Fragmented: ws sends continuation frames with fin:false.
  ws.send('frag-', { binary: false, fin: false });
  ws.send('ment', { binary: false, fin: false });
  ws.send('ed', { binary: false, fin: true });
  expected.push({ data: Buffer.from('frag-mented'), binary: false });
  send(big, { binary: true });
  send(bigText, { binary: false });
  ws.ping(Buffer.from('are you there'));
});
ws.on('pong', (data) => {
  if (data.toString() !== 'are you there') fail('pong payload');
  pong = true;
  maybeClose();
});
function maybeClose() {
  if (expected.length === 0 && pong) ws.close(4000, 'done');
}
ws.on('message', (data, isBinary) => {
  const want = expected.shift();
  if (!want) fail('unexpected message');
  if (want.binary !== isBinary) fail(`type mismatch (binary=${isBinary})`);
  if (!Buffer.from(data).equals(want.data)) fail(`payload mismatch (${data.length} vs ${want.data.length})`);
  maybeClose();
});
ws.on('close', (code, reason) => {
  clearTimeout(timer);
  if (expected.length) fail(`closed early (${code})`);
  if (code !== 4000 || reason.toString() !== '') {
    // RFC 6455 §5.5.1: the server echoes the code; our echo_server sends the code only.
    if (code !== 4000) fail(`close code ${code}`);
  }
  console.log(`ws client (${deflate ? 'deflate' : 'plain'}): ok`);
  process.exit(0);
});
ws.on('error', (e) => fail(e.message));
