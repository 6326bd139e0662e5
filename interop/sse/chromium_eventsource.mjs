// Real-browser interop: headless Chromium's EventSource and a fetch() body
// stream against an SSE server. Prints one JSON object on stdout:
//   { eventsource: [{type, data, lastEventId, t}], fetch: {status, contentType, body} }
// Usage: node chromium_eventsource.mjs <base-url> <count> [timeoutMs]
import { launchChromium } from '../lib/chromium.mjs';

const [base, countArg, timeoutArg] = process.argv.slice(2);
const want = Number(countArg || 3);
const timeout = Number(timeoutArg || 20000);
const killer = setTimeout(() => {
  console.error('timeout');
  process.exit(1);
}, timeout + 5000);

let context;
try {
  context = await launchChromium({ prefix: 'sse-chromium-' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  // Any same-origin page will do; the server answers 404 here.
  await page.goto(`${base}/blank`);
  const eventsource = await page.evaluate(([url, n]) => new Promise((resolve, reject) => {
    const out = [];
    const es = new EventSource(url);
    es.addEventListener('counter', (e) => {
      out.push({ type: e.type, data: e.data, lastEventId: e.lastEventId, t: performance.now() });
      if (out.length >= n) { es.close(); resolve(out); }
    });
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) reject(new Error('EventSource closed')); };
  }), [`${base}/events`, want]);
  const fetched = await page.evaluate(async (url) => {
    const res = await fetch(url, { headers: { 'Last-Event-ID': '41' } });
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let body = '';
    while ((body.match(/\n\n/g) || []).length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      body += dec.decode(value, { stream: true });
    }
    await reader.cancel();
    return { status: res.status, contentType: res.headers.get('content-type'), body };
  }, `${base}/events`);
  console.log(JSON.stringify({ eventsource, fetch: fetched }));
  clearTimeout(killer);
} catch (e) {
  console.error(String(e && e.stack || e));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  clearTimeout(killer);
}
