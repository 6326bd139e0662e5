// The demo page: five panels, each fed by the same server event stream through a different
// technique. Everything here is plain browser API plus our own WASM package (served by the demo).

const POLL_INTERVAL_MS = 2000;
const $ = (sel, root = document) => root.querySelector(sel);

// ---- panels -------------------------------------------------------------------------------

class Panel {
  constructor(tech) {
    this.tech = tech;
    this.root = document.getElementById(tech);
    this.seen = new Set();
    this.latencies = [];
    this.requests = 0;
    this.root.insertAdjacentHTML('afterbegin', '<span class="state">connecting</span>');
    this.root.insertAdjacentHTML('beforeend', `
      <dl class="stats">
        <dt>events received</dt><dd data-k="events">0</dd>
        <dt>last latency</dt><dd data-k="last">–</dd>
        <dt>median latency</dt><dd data-k="median">–</dd>
        <dt>requests made</dt><dd data-k="requests">0</dd>
        <dt>bytes on the wire / event</dt><dd data-k="bpe">–</dd>
      </dl>
      <ul class="log"></ul>`);
    this.root.dataset.events = '0';
    this.root.dataset.chats = '';
  }
  set(k, v) { $(`[data-k="${k}"]`, this.root).textContent = v; }
  state(text, ok) {
    const s = $('.state', this.root);
    s.textContent = text;
    s.className = 'state ' + (ok ? 'ok' : 'bad');
  }
  request() { this.requests++; this.set('requests', this.requests); }
  // Takes one server event ({id, ts, kind, text}); duplicates (re-deliveries) are ignored.
  deliver(ev, via = '') {
    if (this.seen.has(ev.id)) return;
    this.seen.add(ev.id);
    const latency = Math.max(0, Date.now() - ev.ts);
    this.latencies.push(latency);
    if (this.latencies.length > 200) this.latencies.shift();
    this.set('events', this.seen.size);
    this.set('last', `${latency} ms`);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    this.set('median', `${sorted[sorted.length >> 1]} ms`);
    this.root.dataset.events = String(this.seen.size);
    if (ev.kind === 'chat') this.root.dataset.chats += `\n${ev.text}`;
    this.log(`#${ev.id} ${ev.kind}: ${ev.text}${via ? ` (${via})` : ''} · ${latency} ms`, ev.kind === 'chat' ? 'chat' : '');
  }
  log(text, cls = '') {
    const ul = $('.log', this.root);
    const li = document.createElement('li');
    li.textContent = text;
    if (cls) li.className = cls;
    ul.prepend(li);
    while (ul.children.length > 100) ul.lastChild.remove();
  }
  error(text) { this.log(text, 'err'); this.state('error', false); }
}

const panels = Object.fromEntries(['poll', 'longpoll', 'sse', 'ws', 'webrtc'].map((t) => [t, new Panel(t)]));

// Server-side byte counters per technique: bytes in + out on the wire, per event delivered.
async function refreshStats() {
  try {
    const stats = await (await fetch('/api/stats', { cache: 'no-store' })).json();
    for (const [tech, s] of Object.entries(stats)) {
      const p = panels[tech];
      if (!p || !p.seen.size) continue;
      p.set('bpe', `${Math.round((s.bytes_in + s.bytes_out) / p.seen.size)} B`);
    }
  } catch { /* the server went away: the panels say so */ }
}
setInterval(refreshStats, 2000);

// ---- 1. polling -------------------------------------------------------------------------------

async function polling() {
  const p = panels.poll;
  let etag = null;
  for (;;) {
    try {
      p.request();
      const res = await fetch('/api/poll', { cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {} });
      if (res.status === 200) {
        etag = res.headers.get('ETag');
        for (const ev of (await res.json()).events) p.deliver(ev);
      } else if (res.status !== 304) throw new Error(`HTTP ${res.status}`);
      p.state(res.status === 304 ? '304 not modified' : '200', true);
    } catch (e) { p.error(String(e)); }
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

// ---- 2. long polling ----------------------------------------------------------------------------

async function longPolling() {
  const p = panels.longpoll;
  let after = null;
  for (;;) {
    try {
      p.request();
      const url = after === null ? '/api/longpoll' : `/api/longpoll?after=${after}`;
      const res = await fetch(url, { cache: 'no-store' });
      if (res.status === 200) {
        const batch = await res.json();
        for (const ev of batch.events) { p.deliver(ev); after = Math.max(after ?? 0, ev.id); }
        if (after === null) after = batch.last_id;
        p.state('held → 200', true);
      } else if (res.status === 204) {
        p.state('timeout → 204', true);
      } else throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      p.error(String(e));
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

// ---- 3. SSE -------------------------------------------------------------------------------------

function serverSentEvents() {
  const p = panels.sse;
  p.request();
  const es = new EventSource('/api/sse');
  es.onopen = () => p.state('open', true);
  const onEvent = (e) => p.deliver(JSON.parse(e.data), `id ${e.lastEventId}`);
  es.addEventListener('tick', onEvent);
  es.addEventListener('chat', onEvent);
  es.onerror = () => { p.state('reconnecting', false); p.request(); };
}

// A POST whose response body is an event stream, read with fetch() and parsed by our WASM parser:
// the way LLM streaming APIs are consumed.
async function ssePostStream(wasm) {
  const p = panels.sse;
  if (!wasm?.SseParser) { p.log('WASM package not built: POST stream skipped', 'err'); return; }
  const parser = new wasm.SseParser();
  const res = await fetch('/api/sse', { method: 'POST', body: '{"stream":true}', headers: { 'Content-Type': 'application/json' } });
  const reader = res.body.getReader();
  document.body.dataset.ssePost = '0';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const ev of parser.feed(value)) {
      if (ev.type !== 'event') continue;
      document.body.dataset.ssePost = String(Number(document.body.dataset.ssePost) + 1);
      p.deliver(JSON.parse(ev.data), 'POST stream, WASM parser');
    }
  }
}

// ---- 4. WebSocket -------------------------------------------------------------------------------

function openSocket(onMessage, onOpen, tech = 'ws') {
  const ws = new WebSocket(`ws://${location.host}/ws?tech=${tech}`);
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  ws.onopen = () => onOpen?.(ws);
  return ws;
}

let mainSocket = null;
function webSocket() {
  const p = panels.ws;
  p.request();
  mainSocket = openSocket((msg) => {
    if (msg.type === 'event') { p.deliver(msg.event); forwardToPeer(msg.event); }
  }, () => p.state('open', true));
  mainSocket.onclose = (e) => { p.state(`closed ${e.code}`, false); setTimeout(webSocket, 2000); };
}

$('#chat').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('#chat-text');
  const text = input.value.trim();
  if (text && mainSocket?.readyState === WebSocket.OPEN) {
    mainSocket.send(JSON.stringify({ type: 'chat', text }));
    input.value = '';
  }
});

// ---- 5. WebRTC ----------------------------------------------------------------------------------
// Two peers in this page. Each has its own WebSocket to the server, which relays their signalling
// messages within a room after validating every SDP with codec-sdp. Peer A forwards every server
// event it sees over a DataChannel; peer B's receipt is what the panel counts.

let channelToB = null;
function forwardToPeer(ev) {
  if (channelToB?.readyState === 'open') channelToB.send(JSON.stringify(ev));
}

async function webRtc(wasm) {
  const p = panels.webrtc;
  const room = Math.random().toString(36).slice(2);
  const peers = {};
  const sockets = {};
  // Signalling messages of one peer are handled one after the other: a candidate must wait until
  // the description it belongs to is set.
  const queues = { a: Promise.resolve(), b: Promise.resolve() };
  const handle = async (name, msg) => {
    if (msg.error) { p.error(`server rejected SDP: ${msg.error}`); return; }
    const pc = peers[name];
    if (msg.description) {
      await pc.setRemoteDescription(msg.description);
      if (msg.description.type === 'offer') {
        await pc.setLocalDescription();
        sockets[name].send(JSON.stringify({ type: 'signal', room, description: pc.localDescription }));
      }
    } else if (msg.candidate) {
      await pc.addIceCandidate(msg.candidate).catch((e) => p.log(`candidate: ${e}`, 'err'));
    }
  };
  // Ready once the server has put this socket in the room (its "joined" reply), so that nothing
  // is signalled to a room the other peer has not joined yet.
  const ready = (name) => new Promise((resolve) => {
    sockets[name] = openSocket((msg) => {
      if (msg.type === 'joined') { resolve(); return; }
      if (msg.type !== 'signal') return;
      queues[name] = queues[name].then(() => handle(name, msg)).catch((e) => p.error(String(e)));
    }, (ws) => ws.send(JSON.stringify({ type: 'join', room })), 'webrtc');
  });
  await Promise.all([ready('a'), ready('b')]);
  for (const name of ['a', 'b']) {
    const pc = new RTCPeerConnection();
    peers[name] = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate) sockets[name].send(JSON.stringify({ type: 'signal', room, candidate: e.candidate }));
    };
    pc.onconnectionstatechange = () => p.state(pc.connectionState, pc.connectionState === 'connected');
  }
  peers.b.ondatachannel = (e) => {
    e.channel.onmessage = (m) => p.deliver(JSON.parse(m.data), 'DataChannel');
  };
  channelToB = peers.a.createDataChannel('chat');
  channelToB.onopen = () => { p.log('DataChannel open'); document.body.dataset.dataChannel = 'open'; };
  await peers.a.setLocalDescription();
  const offer = peers.a.localDescription;
  if (wasm?.SdpDescription) {
    try {
      const parsed = wasm.SdpDescription.parse(offer.sdp);
      // Lossless: the parsed description writes back the browser's offer byte for byte.
      document.body.dataset.sdpRoundTrip = String(parsed.toString() === offer.sdp);
      $('.sdp', p.root).textContent = JSON.stringify(parsed.toJSON(), null, 1);
      parsed.free();
    } catch (e) { $('.sdp', p.root).textContent = `parse error: ${e}`; }
  }
  p.request();
  sockets.a.send(JSON.stringify({ type: 'signal', room, description: offer }));
}

// ---- start --------------------------------------------------------------------------------------

async function loadWasm() {
  try {
    const wasm = await import('/pkg/web/realtime_codecs.js');
    await wasm.default();
    return wasm;
  } catch (e) {
    console.warn('WASM package not available', e);
    return null;
  }
}

(async () => {
  polling();
  longPolling();
  serverSentEvents();
  webSocket();
  const wasm = await loadWasm();
  $('#status').textContent = wasm ? 'WASM package loaded' : 'WASM package not built (run scripts/wasm-build.sh)';
  document.body.dataset.wasm = wasm ? 'loaded' : 'missing';
  ssePostStream(wasm).catch((e) => panels.sse.error(`POST stream: ${e}`));
  webRtc(wasm).catch((e) => panels.webrtc.error(String(e)));
})();
