// End-to-end check of the demo page in headless Chromium (Debian's, never a downloaded one).
// Usage: node e2e.mjs http://127.0.0.1:PORT/ screenshot.png
// Prints one JSON line with what each panel received; exits non-zero when a check fails.
import { chromium } from 'playwright-core';

const [url, shot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // Playwright gives every launch a fresh, empty user data dir of its own.
    // Two peers on one machine with no network but loopback: let ICE use it, unobfuscated.
    '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
});
const failures = [];
const kill = setTimeout(() => { console.error('e2e: timed out'); process.exit(2); }, 150_000);
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  const panels = ['poll', 'longpoll', 'sse', 'ws', 'webrtc'];
  // Every panel receives server events.
  await page.waitForFunction((ids) => ids.every((id) => Number(document.getElementById(id).dataset.events) >= 2),
    panels, { timeout: 30_000 }).catch(() => failures.push('not every panel received two events'));
  // The DataChannel between the two peers opens.
  await page.waitForFunction(() => document.body.dataset.dataChannel === 'open', null, { timeout: 30_000 })
    .catch(() => failures.push('the WebRTC DataChannel did not open'));
  // A chat message sent through the WebSocket reaches every panel.
  const text = `hello from chromium ${Date.now()}`;
  await page.fill('#chat-text', text);
  await page.click('#chat button');
  await page.waitForFunction(([ids, t]) => ids.every((id) => document.getElementById(id).dataset.chats.includes(t)),
    [panels, text], { timeout: 30_000 }).catch(() => failures.push('the chat message did not reach every panel'));
  // With the npm package built, the page also parses a POST event stream and the browser's own
  // offer with it (REQUIRE_WASM=1 makes its absence a failure).
  const wasmState = await page.evaluate(() => document.body.dataset.wasm);
  if (wasmState === 'loaded') {
    await page.waitForFunction(() => Number(document.body.dataset.ssePost ?? 0) >= 2, null, { timeout: 20_000 })
      .catch(() => failures.push('the POST stream parsed by the WASM SSE parser gave no events'));
    await page.waitForFunction(() => document.body.dataset.sdpRoundTrip !== undefined, null, { timeout: 20_000 })
      .catch(() => {});
    if (await page.evaluate(() => document.body.dataset.sdpRoundTrip) !== 'true') {
      failures.push("the WASM SDP parser did not round-trip the browser's offer");
    }
  } else if (process.env.REQUIRE_WASM) {
    failures.push('the WASM package did not load');
  }
  const result = await page.evaluate((ids) => ({
    panels: Object.fromEntries(ids.map((id) => [id, {
      events: Number(document.getElementById(id).dataset.events),
      chats: document.getElementById(id).dataset.chats.split('\n').filter(Boolean).length,
      stats: [...document.querySelectorAll(`#${id} .stats dd`)].map((d) => d.textContent),
    }])),
    wasm: document.body.dataset.wasm,
    ssePost: document.body.dataset.ssePost ?? null,
    dataChannel: document.body.dataset.dataChannel ?? null,
    sdpRoundTrip: document.body.dataset.sdpRoundTrip ?? null,
  }), panels);
  // Let the stats refresh once so the screenshot shows bytes per event.
  await page.waitForTimeout(2200);
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify({ ...result, failures }));
} finally {
  clearTimeout(kill);
  await browser.close();
}
process.exit(failures.length ? 1 : 0);
