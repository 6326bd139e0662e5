// Node `ws` as a server for an echo client (our echo_client / the codec-ws tokio client).
// usage: node server.mjs [deflate|plain]   prints "PORT <n>" once listening.
// On the first connection it sends text, binary, empty, fragmented, 16 MiB and ping traffic,
// checks every echo, then closes with 4001 and exits 0 once the close handshake completes.
import { WebSocketServer } from 'ws';

const deflate = process.argv[2] !== 'plain';
const timer = setTimeout(() => fail('timeout'), 60_000);
function fail(msg) {
  console.error(`ws server (${deflate ? 'deflate' : 'plain'}): FAIL ${msg}`);
  process.exit(1);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate, maxPayload: 64 << 20 });
wss.on('listening', () => console.log(`PORT ${wss.address().port}`));
wss.on('connection', (ws) => {
  if (deflate && !ws.extensions.includes('permessage-deflate')) fail(`no deflate: "${ws.extensions}"`);
  const expected = [];
  let pong = false;
  const send = (data, binary) => { expected.push({ data: Buffer.from(data), binary }); ws.send(data, { binary }); };
  send('hello from node', false);
  send(Buffer.from([9, 8, 7]), true);
  send('', false);
  ws.send('a-', { binary: false, fin: false });
  ws.send('b-', { binary: false, fin: false });
  ws.send('c', { binary: false, fin: true });
  expected.push({ data: Buffer.from('a-b-c'), binary: false });
  const big = Buffer.alloc(16 << 20, 0x5a);
  send(big, true);
  ws.ping(Buffer.from('ping!'));
  ws.on('pong', (d) => {
    if (d.toString() !== 'ping!') fail('pong payload');
    pong = true;
    done();
  });
  ws.on('message', (data, isBinary) => {
    const want = expected.shift();
    if (!want) fail('unexpected message');
    if (want.binary !== isBinary || !Buffer.from(data).equals(want.data)) fail(`echo mismatch (${data.length} bytes)`);
    done();
  });
  function done() {
    if (expected.length === 0 && pong) ws.close(4001, 'bye');
  }
  ws.on('close', (code) => {
    clearTimeout(timer);
    if (expected.length) fail(`closed early (${code})`);
    if (code !== 4001) fail(`close code ${code}`);
    console.error(`ws server (${deflate ? 'deflate' : 'plain'}): ok`);
    process.exit(0);
  });
  ws.on('error', (e) => fail(e.message));
});
