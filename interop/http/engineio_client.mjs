// engine.io-client (v6, Engine.IO protocol v4) against longpoll_server's /engine.io/ polling endpoint.
// Usage: node engineio_client.mjs http://127.0.0.1:PORT
// Sends a text and a binary message, expects both echoed, and waits for one server ping.
// Prints a JSON summary and exits 0 on success.
import { Socket } from 'engine.io-client';

const url = process.argv[2];
const timer = setTimeout(() => { console.error('timeout'); process.exit(3); }, 15000);
const socket = new Socket(url, { transports: ['polling'], upgrade: false });
const got = { text: null, binary: null, pings: 0, sid: null };
function maybeDone() {
  if (got.text !== null && got.binary !== null && got.pings > 0) {
    clearTimeout(timer);
    socket.close();
    console.log(JSON.stringify(got));
    process.exit(got.text === 'hello \u00e9' && got.binary === '1,2,3,30' ? 0 : 1);
  }
}
socket.on('open', () => {
  got.sid = socket.id;
  socket.send('hello \u00e9');
  socket.send(new Uint8Array([1, 2, 3, 30]));
});
socket.on('message', (data) => {
  if (typeof data === 'string') got.text = data;
  else got.binary = Array.from(new Uint8Array(data)).join(',');
  maybeDone();
});
socket.on('ping', () => { got.pings += 1; maybeDone(); });
socket.on('error', (e) => { console.error('error', e && e.message); process.exit(2); });
