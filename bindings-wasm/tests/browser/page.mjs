// Runs in headless Chromium, loaded by run.mjs. It imports the ESM (web) build of the package
// exactly as a page would and stores its results in window.__results for run.mjs to collect.
import init, * as rtc from '/pkg/realtime_codecs.js';

const results = [];
const log = (s) => (document.getElementById('log').textContent += s + '\n');

async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    log(`ok ${name}`);
  } catch (e) {
    results.push({ name, ok: false, error: String(e && e.stack ? e.stack : e) });
    log(`FAIL ${name}: ${e}`);
  }
}

function eq(a, b, what) {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja !== jb) throw new Error(`${what}: got ${ja}, want ${jb}`);
}

async function main() {
  await check('init loads the .wasm', async () => {
    await init();
  });

  await check('SSE: parse a fetch() body stream', async () => {
    const res = await fetch('/sse');
    eq(res.headers.get('content-type'), 'text/event-stream', 'content type');
    const parser = new rtc.SseParser();
    const items = [];
    const reader = res.body.getReader();
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      items.push(...parser.feed(value));
    }
    items.push(...parser.finish());
    const expected = await (await fetch('/sse-expected.json')).json();
    eq(items, expected, 'items');
    if (chunks < 2) throw new Error(`body arrived in ${chunks} chunk(s); the test needs several`);
  });

  await check('SSE alone (realtime-codecs/sse): its own .wasm parses the same body the same way', async () => {
    const sse = await import('/one/sse/realtime_codecs.js');
    await sse.default();
    if ('WsConnection' in sse || 'parseSdp' in sse) throw new Error('the SSE build has other codecs');
    const parser = new sse.SseParser();
    const items = [];
    const reader = (await fetch('/sse')).body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      items.push(...parser.feed(value));
    }
    items.push(...parser.finish());
    eq(items, await (await fetch('/sse-expected.json')).json(), 'items');
  });

  await check('SSE: SseClient over fetch() reconnects with Last-Event-ID', async () => {
    const c = new rtc.SseClient();
    const log = [];
    for (let i = 0; i < 5; i++) {
      const { headers } = c.request();
      const res = await fetch('/sse-client', { method: 'POST', headers, body: 'q' });
      let a = c.onResponse(res.status, res.headers.get('content-type'));
      if (a.type === 'open') {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const it of c.feed(value)) if (it.type === 'event') log.push([it.data, it.id]);
        }
        a = c.onDisconnect();
      } else {
        await res.arrayBuffer();
      }
      log.push(a.type === 'close' ? ['close', a.error?.code, a.error?.status] : [a.type, a.delayMs]);
      if (a.type === 'close') break;
      await new Promise((r) => setTimeout(r, a.delayMs));
    }
    eq(log, [['one', '7'], ['reconnect', 20], ['two', '7'], ['reconnect', 20], ['close', 'SSE_BAD_STATUS', 204]], 'client log');
    eq(c.readyState, 'closed', 'readyState');
  });

  await check('a module Worker loads the ESM build', async () => {
    const worker = new Worker('/worker.mjs', { type: 'module' });
    const reply = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message));
      setTimeout(() => reject(new Error('worker timeout')), 10000);
      worker.postMessage('event: w\ndata: 1\n\n');
    });
    worker.terminate();
    if (reply.error) throw new Error(reply.error);
    eq(reply.items, [{ type: 'event', event: 'w', data: '1', id: '' }], 'worker SSE');
    eq(reply.ws, [{ type: 'text', data: 'from worker' }], 'worker WS');
  });

  await check('SSE: errors are CodecError with code and position', async () => {
    const p = new rtc.SseParser({ maxLineLen: 4 });
    let err;
    try {
      p.feed(new TextEncoder().encode('data: 12345\n'));
    } catch (e) {
      err = e;
    }
    if (!(err instanceof Error)) throw new Error('no Error thrown');
    eq([err.name, err.code, err.line, err.offset], ['CodecError', 'SSE_LINE_TOO_LONG', 1, 0], 'error');
  });

  await check("SDP: parse and round-trip the browser's own createOffer(), trickle its candidates", async () => {
    const pc = new RTCPeerConnection();
    pc.createDataChannel('d');
    pc.addTransceiver('audio');
    pc.addTransceiver('video');
    const offer = await pc.createOffer();
    const sdp = offer.sdp;
    const d = rtc.SdpDescription.parse(sdp, { strict: true });
    eq(d.toString(), sdp, 'toString(parse(offer)) is byte-exact');
    eq(d.warnings, [], 'warnings');
    eq(d.media.map((m) => m.type).sort(), ['application', 'audio', 'video'], 'media types');
    // The plain-object form (sdp-transform's shape) and back.
    const obj = rtc.parseSdp(sdp);
    eq(obj.media.length, 3, 'parseSdp media');
    eq(obj.media.every((m) => typeof m.mid === 'string' && m.iceUfrag === obj.media[0].iceUfrag), true, 'mids and ufrag');
    eq(rtc.writeSdp(obj), sdp, 'writeSdp(parseSdp(offer))');
    // Gather host candidates (no STUN server) for at most 5 s and trickle them in.
    const cands = [];
    const done = new Promise((resolve) => {
      pc.onicecandidate = (e) => (e.candidate ? cands.push(e.candidate) : resolve());
      setTimeout(resolve, 5000);
    });
    await pc.setLocalDescription(offer);
    await done;
    pc.close();
    for (const c of cands) {
      if (!c.candidate) continue;
      const parsed = rtc.parseCandidate(c.candidate);
      eq([parsed.foundation, parsed.port, parsed.type], [c.foundation, c.port, c.type], 'candidate fields');
      d.addCandidate(c.toJSON());
    }
    eq(d.candidateInits().length, cands.filter((c) => c.candidate).length, 'candidates added');
    const again = rtc.SdpDescription.parse(d.toString(), { strict: true });
    eq(again.toString(), d.toString(), 'edited description round trip');
    log(`  ${cands.length} candidate(s) trickled`);
    // SDP alone (realtime-codecs/sdp): the same object and text from its own .wasm.
    const one = await import('/one/sdp/realtime_codecs.js');
    await one.default();
    if ('SseParser' in one) throw new Error('the SDP build has other codecs');
    eq(one.parseSdp(sdp), obj, 'realtime-codecs/sdp parseSdp');
    eq(one.SdpDescription.parse(sdp, { strict: true }).toString(), sdp, 'realtime-codecs/sdp round trip');
  });
}

main().finally(() => {
  window.__results = results;
});
