import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseClient } from 'realtime-codecs';
import { codecError, withServer } from './helpers.mjs';

/** Runs `client` against `url` with fetch() as a host would, until it closes; returns the log. */
async function runClient(client, url, extraHeaders = {}) {
  const log = [];
  for (;;) {
    const req = client.request();
    const res = await fetch(url, { method: 'POST', headers: { ...req.headers, ...extraHeaders }, body: 'q' });
    let action = client.onResponse(res.status, res.headers.get('content-type'));
    log.push(['response', res.status, action.type, client.readyState, req.attempt]);
    if (action.type === 'open') {
      for await (const chunk of res.body) {
        for (const item of client.feed(chunk)) log.push(['item', item]);
      }
      action = client.onDisconnect();
      log.push(['disconnect', action.type, action.delayMs]);
    } else {
      await res.arrayBuffer();
    }
    if (action.type === 'close') {
      log.push(['close', action.error?.code, action.error?.status]);
      return log;
    }
    await new Promise((r) => setTimeout(r, action.delayMs));
  }
}

test('SseClient over fetch(): Last-Event-ID and retry across reconnects, statuses, close', async () => {
  const seen = [];
  const serve = (req, res, n) => {
    seen.push([req.method, req.headers['last-event-id'] ?? null, req.headers.accept, req.headers['x-token']]);
    switch (n) {
      case 1:
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        // The id line is cut across writes; the stream then drops mid-event.
        res.write('retry: 30\nid: 4');
        setTimeout(() => res.end('2\ndata: first ü\n\ndata: lost\n'), 20);
        return;
      case 2:
        res.writeHead(503).end();
        return;
      case 3:
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('data: second\n\n');
        return;
      default:
        res.writeHead(204).end();
    }
  };
  await withServer(serve, async (url) => {
    const client = new SseClient({ reconnectStatuses: [502, 503] });
    assert.equal(client.readyState, 'connecting');
    assert.equal(client.reconnectionTime, 3000);
    const log = await runClient(client, url, { 'x-token': 't' });
    assert.deepEqual(log, [
      // The attempt number counts requests since the stream last opened.
      ['response', 200, 'open', 'open', 0],
      ['item', { type: 'retry', retry: 30 }],
      ['item', { type: 'event', event: 'message', data: 'first ü', id: '42' }],
      ['disconnect', 'reconnect', 30],
      ['response', 503, 'reconnect', 'connecting', 1],
      ['response', 200, 'open', 'open', 2],
      ['item', { type: 'event', event: 'message', data: 'second', id: '42' }],
      ['disconnect', 'reconnect', 30],
      ['response', 204, 'close', 'closed', 1],
      ['close', 'SSE_BAD_STATUS', 204],
    ]);
    assert.deepEqual(seen, [
      ['POST', null, 'text/event-stream', 't'],
      ['POST', '42', 'text/event-stream', 't'],
      ['POST', '42', 'text/event-stream', 't'],
      ['POST', '42', 'text/event-stream', 't'],
    ]);
    assert.equal(client.lastEventId, '42');
    assert.equal(client.reconnectionTime, 30);
    assert.equal(client.readyState, 'closed');
  });
});

test('SseClient: content types, close(), the seeded last event ID and option errors', () => {
  const c = new SseClient({ lastEventId: 'seed', reconnectionTime: 10 });
  assert.deepEqual(c.request(), {
    headers: { Accept: 'text/event-stream', 'Cache-Control': 'no-store', 'Last-Event-ID': 'seed' },
    attempt: 0,
  });
  const bad = c.onResponse(200, 'text/html');
  assert.equal(bad.type, 'close');
  assert.equal(bad.error.name, 'CodecError');
  assert.equal(bad.error.code, 'SSE_BAD_CONTENT_TYPE');
  assert.equal(c.onResponse(200, null).type, 'close');

  const d = new SseClient({ reconnectionTime: 10 });
  const failed = d.onResponse(500, null);
  assert.deepEqual([failed.type, failed.error.code, failed.error.status], ['close', 'SSE_BAD_STATUS', 500]);
  // Closed for good: a later 200 does not open it again.
  assert.deepEqual(d.onResponse(200, 'text/event-stream'), { type: 'close' });
  const e = new SseClient({ reconnectionTime: 10 });
  assert.deepEqual(e.onResponse(200, 'Text/Event-Stream ; charset=x'), { type: 'open' });
  assert.deepEqual(e.feed(new TextEncoder().encode('id: 1\ndata: x\n\n')).map((i) => i.id), ['1']);
  e.close();
  assert.deepEqual(e.onDisconnect(), { type: 'close' });
  assert.equal(e.readyState, 'closed');
  assert.equal(e.request().attempt, 0);

  // 65736 would have wrapped to 200 through a u16 parameter and opened the stream.
  for (const status of [65736, -1, 200.5]) codecError(assert, () => new SseClient().onResponse(status, 'text/event-stream'), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseClient({ reconnectStatuses: 503 }), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseClient({ reconnectStatuses: [99] }), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseClient({ reconnectionTime: -1 }), 'INVALID_ARGUMENT');
});
