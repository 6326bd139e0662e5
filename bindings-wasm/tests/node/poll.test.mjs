import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PollScheduler } from 'realtime-codecs';
import { codecError, withServer } from './helpers.mjs';

test('PollScheduler over fetch(): ETag, cursor, 304, Retry-After, back-off, 204', async () => {
  const seen = [];
  const serve = (req, res, n) => {
    seen.push([req.headers['if-none-match'] ?? null, req.headers['x-cursor'] ?? null]);
    switch (n) {
      case 1:
        res.writeHead(200, { etag: '"v1"', 'x-cursor': 'c1' }).end('one');
        return;
      case 2:
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      case 3:
        res.writeHead(503, { 'retry-after': '2' }).end();
        return;
      case 4:
        res.writeHead(500).end();
        return;
      case 5:
        res.writeHead(200, { etag: '"v2"', 'x-cursor': 'c2' }).end('');
        return;
      default:
        res.writeHead(204).end();
    }
  };
  await withServer(serve, async (url) => {
    const s = new PollScheduler({ intervalMs: 250, backoffBaseMs: 100, backoffMaxMs: 1500, cursorField: 'X-Cursor' });
    const steps = [];
    for (let i = 0; i < 8 && !s.closed; i++) {
      const res = await fetch(url, { headers: s.conditionalHeaders() });
      const body = await res.arrayBuffer();
      steps.push([res.status, s.onResponse(res.status, res.headers, body.byteLength), s.failures]);
    }
    assert.deepEqual(steps.map(([st, n]) => [st, n.type]), [[200, 'wait'], [304, 'wait'], [503, 'wait'], [500, 'wait'], [200, 'wait'], [204, 'closed']]);
    assert.equal(steps[0][1].delayMs, 250); // a body: the interval
    assert.equal(steps[1][1].delayMs, 250); // not modified: the interval
    assert.equal(steps[2][1].delayMs, 1500); // Retry-After 2 s, capped by backoffMaxMs
    const backoff = steps[3][1].delayMs; // second failure in a row: 200 ms, half of it jitter
    assert.ok(backoff >= 100 && backoff <= 200, `${backoff}`);
    assert.deepEqual(steps.map((x) => x[2]), [0, 0, 1, 2, 0, 0]);
    assert.equal(steps[4][1].delayMs, 0); // an empty 200 (a long poll that timed out): at once
    assert.deepEqual(seen, [[null, null], ['"v1"', 'c1'], ['"v1"', 'c1'], ['"v1"', 'c1'], ['"v1"', 'c1'], ['"v2"', 'c2']]);
    assert.deepEqual(s.onFailure(), { type: 'closed' });
  });
});

test('PollScheduler: header shapes, dates, failures and bad input', () => {
  const s = new PollScheduler();
  assert.deepEqual(s.onResponse(200, [['ETag', 'W/"a"'], ['Last-Modified', 'Tue, 15 Nov 1994 12:45:26 GMT']], 3), { type: 'wait', delayMs: 1000 });
  assert.deepEqual(s.conditionalHeaders(), { 'If-None-Match': 'W/"a"', 'If-Modified-Since': 'Tue, 15 Nov 1994 12:45:26 GMT' });
  s.onResponse(200, { etag: '"b"' }, 1);
  assert.equal(s.conditionalHeaders()['If-None-Match'], '"b"');
  // Retry-After as a date, 30 s after `nowUnix`.
  const now = Date.UTC(2026, 10, 25, 12, 0, 0) / 1000;
  assert.deepEqual(s.onResponse(429, { 'retry-after': 'Wed, 25 Nov 2026 12:00:30 GMT' }, 0, now), { type: 'wait', delayMs: 30000 });
  for (let i = 0; i < 40; i++) {
    const n = s.onFailure();
    assert.ok(n.delayMs >= 250 && n.delayMs <= 60000, `${n.delayMs}`);
  }
  assert.equal(s.failures, 41);
  codecError(assert, () => s.onResponse(200, { 'bad name': 'x' }, 0), 'HTTP_INVALID_HEADER_INPUT');
  codecError(assert, () => s.onResponse(42, [], 0), 'HTTP_INVALID_START_LINE_INPUT');
  codecError(assert, () => s.onResponse(200, 'x', 0), 'INVALID_ARGUMENT');
  // Any iterable of pairs: a fetch Headers, a Map, a generator; an endless one is refused
  // after 1024 fields instead of hanging the call.
  s.onResponse(200, new Headers({ ETag: '"h"' }), 1);
  assert.equal(s.conditionalHeaders()['If-None-Match'], '"h"');
  s.onResponse(200, new Map([['ETag', '"m"']]), 1);
  assert.equal(s.conditionalHeaders()['If-None-Match'], '"m"');
  function* endless() {
    for (;;) yield ['X-Filler', 'x'];
  }
  codecError(assert, () => s.onResponse(200, endless(), 1), 'INVALID_ARGUMENT');
  function* many(n) {
    for (let i = 0; i < n; i++) yield [`X-F${i}`, 'x'];
  }
  s.onResponse(200, many(1024), 1);
  codecError(assert, () => s.onResponse(200, many(1025), 1), 'INVALID_ARGUMENT');
  codecError(assert, () => new PollScheduler({ intervalMs: 'soon' }), 'INVALID_ARGUMENT');
  // A cursor field no request could carry is refused up front, not skipped on every poll.
  for (const cursorField of ['X Cursor', 'X-Cursor\r\nEvil: 1', '']) {
    codecError(assert, () => new PollScheduler({ cursorField }), 'HTTP_INVALID_HEADER_INPUT');
  }
  // Numbers a u16 or u64 parameter would have wrapped or cut are refused, not altered:
  // 65736 would have read as 200.
  for (const status of [65736, -1, 200.5, NaN]) codecError(assert, () => s.onResponse(status, [], 0), 'INVALID_ARGUMENT');
  for (const len of [-1, 0.5, Infinity]) codecError(assert, () => s.onResponse(200, [], len), 'INVALID_ARGUMENT');
  codecError(assert, () => s.onResponse(429, [], 0, -5), 'INVALID_ARGUMENT');
  // A fractional nowUnix (Date.now() / 1000) is fine: whole seconds are used.
  assert.deepEqual(new PollScheduler().onResponse(503, { 'retry-after': 'Wed, 25 Nov 2026 12:00:30 GMT' }, 0, now + 0.75), { type: 'wait', delayMs: 30000 });
});
