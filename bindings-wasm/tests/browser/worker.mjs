// A module worker: the ESM build must work off the main thread too.
import init, { SseParser, WsConnection } from '/pkg/realtime_codecs.js';

self.onmessage = async (e) => {
  try {
    await init();
    const items = new SseParser().feed(new TextEncoder().encode(e.data));
    const ws = new WsConnection('server').feed(new WsConnection('client').sendText('from worker'));
    self.postMessage({ items, ws });
  } catch (err) {
    self.postMessage({ error: String(err && err.stack ? err.stack : err) });
  }
};
