// Real-browser interop: headless Chromium's WebSocket against an echo server.
// usage: node chromium.mjs ws://127.0.0.1:PORT/path [timeoutMs]
// Prints one JSON object {extensions, echoes, closeCode, wasClean}; exit 0 when every echo
// matched, the browser negotiated permessage-deflate and the close handshake was clean.
import { launchChromium } from '../lib/chromium.mjs';

const [url, timeoutArg] = process.argv.slice(2);
const timeout = Number(timeoutArg || 60000);
const killer = setTimeout(() => {
  console.error('timeout');
  process.exit(1);
}, timeout + 5000);

let context;
try {
  context = await launchChromium({ prefix: 'ws-chromium-' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (m) => console.error(`console: ${m.text()}`));
  // A page from the server's own origin (it answers 400 to a plain GET): Chromium blocks
  // about:blank -> 127.0.0.1 under its local-network-access checks.
  await page.goto(url.replace(/^ws:/, 'http:'));
  const result = await page.evaluate((u) => new Promise((resolve, reject) => {
    const ws = new WebSocket(u);
    ws.binaryType = 'arraybuffer';
    const big = new Uint8Array(16 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const sent = ['hello', new Uint8Array([0, 1, 2, 250]).buffer, '', 'κόσμε €'.repeat(1000), big.buffer];
    const same = (a, b) => {
      if (typeof a === 'string' || typeof b === 'string') return a === b;
      const x = new Uint8Array(a), y = new Uint8Array(b);
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    };
    let i = 0;
    let echoes = 0;
    ws.onopen = () => { for (const m of sent) ws.send(m); };
    ws.onmessage = (e) => {
      if (!same(e.data, sent[i])) { reject(new Error(`echo ${i} differs`)); return; }
      i += 1;
      echoes += 1;
      if (i === sent.length) ws.close(4000, 'bye');
    };
    ws.onerror = () => reject(new Error('websocket error'));
    ws.onclose = (e) => resolve({ extensions: ws.extensions, echoes, closeCode: e.code, wasClean: e.wasClean });
  }), url);
  console.log(JSON.stringify(result));
  const ok = result.echoes === 5 && result.closeCode === 4000 && result.wasClean
    && result.extensions.includes('permessage-deflate');
  process.exitCode = ok ? 0 : 1;
  clearTimeout(killer);
} catch (e) {
  console.error(String(e && e.stack || e));
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  clearTimeout(killer);
}
