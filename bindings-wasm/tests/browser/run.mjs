// Headless Chromium test of the ESM (web) build: serves the installed package and a page on
// 127.0.0.1, drives Debian's chromium with playwright-core (never a downloaded browser), and
// prints `browser: N passed, M failed` as its last line. Everything stops by itself.
//
// usage: node run.mjs <package web dir> <playwright-core dir>
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [webDir, playwrightDir] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT_MS = 90_000;

const killer = setTimeout(() => {
  console.error('browser: timed out');
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}, TIMEOUT_MS);

const { chromium } = createRequire(join(playwrightDir, 'package.json'))('playwright-core');

// The SSE body, sent in pieces that split a line, a CRLF and a multi-byte character, so the
// page's fetch() reader sees several chunks.
const ssePieces = [
  '\uFEFFretry: 1500\nid: 1\nevent: greet\ndata: hel',
  'lo\r',
  '\ndata: wor',
  'ld\r\n\r\n: comment\nid: 2\ndata: caf',
];
const sseTail = Buffer.from('é 我\n\ndata: unterminated', 'utf8');
const sseExpected = [
  { type: 'retry', retry: 1500 },
  { type: 'event', event: 'greet', data: 'hello\nworld', id: '1' },
  { type: 'event', event: 'message', data: 'café 我', id: '2' },
];

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let sseClientHits = 0;
const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const file = (path) => {
    if (!existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  };
  if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
  if (url.pathname === '/') return file(join(here, 'index.html'));
  if (url.pathname === '/page.mjs' || url.pathname === '/worker.mjs') return file(join(here, url.pathname.slice(1)));
  if (url.pathname.startsWith('/pkg/')) return file(join(webDir, url.pathname.slice(5).replace(/\.\./g, '')));
  // The codecs one by one (the package's subpath exports): /one/sse/realtime_codecs.js is
  // realtime-codecs/sse's ESM build.
  if (url.pathname.startsWith('/one/')) {
    const [codec, ...rest] = url.pathname.slice(5).replace(/\.\./g, '').split('/');
    return file(join(webDir, '..', codec, 'web', ...rest));
  }
  if (url.pathname === '/sse-expected.json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(sseExpected));
  }
  if (url.pathname === '/sse-client') {
    // SseClient in the page: an event with an id and a retry, then (only for a POST that
    // sends the id back as Last-Event-ID) a second event, then 204 to end it.
    sseClientHits++;
    if (sseClientHits === 1) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return res.end('retry: 20\nid: 7\ndata: one\n\n');
    }
    if (sseClientHits === 2) {
      if (req.method !== 'POST' || req.headers['last-event-id'] !== '7') return res.writeHead(400).end();
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      return res.end('data: two\n\n');
    }
    return res.writeHead(204).end();
  }
  if (url.pathname === '/sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    const bytes = [...ssePieces.map((s) => Buffer.from(s, 'utf8')), sseTail];
    // Split the tail inside the two-byte 'é'.
    const parts = [...bytes.slice(0, -1), sseTail.subarray(0, 1), sseTail.subarray(1)];
    for (const p of parts) {
      res.write(p);
      await sleep(30);
    }
    return res.end();
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), 'rtc-chromium-'));
let passed = 0;
let failed = 0;
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`console: ${m.text()}`));
  await page.goto(base, { timeout: 30_000 });
  await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 });
  const results = await page.evaluate(() => window.__results);
  for (const r of results) {
    if (r.ok) {
      passed++;
      console.log(`ok - ${r.name}`);
    } else {
      failed++;
      console.log(`not ok - ${r.name}\n  ${r.error.replace(/\n/g, '\n  ')}`);
    }
  }
  if (results.length === 0) failed++;
} catch (e) {
  failed++;
  console.log(`not ok - browser run: ${e.stack ?? e}`);
} finally {
  await context?.close().catch(() => {});
  server.close();
  server.closeAllConnections?.();
  rmSync(profile, { recursive: true, force: true });
  clearTimeout(killer);
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
