import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, SseClient, encodeSseEvent, encodeSseRetry, encodeSseComment, encodeSseHeartbeat } from 'realtime-codecs';
import { codecError, enc, vectors } from './helpers.mjs';

/** Feeds `chunks`, then finishes; returns every item. */
function run(parser, chunks) {
  const items = [];
  for (const c of chunks) items.push(...parser.feed(c));
  items.push(...parser.finish());
  return items;
}

const events = (items) => items.filter((i) => i.type === 'event').map((i) => [i.event, i.data, i.id]);

test('SSE conformance vectors: whole, given chunks and byte by byte', (t) => {
  const raw = vectors('sse/cases.json', t);
  if (!raw) return;
  const cases = JSON.parse(raw.toString('utf8'));
  assert.ok(cases.length >= 30);
  for (const c of cases) {
    const bytes = enc.encode(c.stream);
    const splits = {
      whole: [bytes],
      bytes: Array.from(bytes, (b) => Uint8Array.of(b)),
    };
    if (c.chunks) splits.given = c.chunks.map((s) => enc.encode(s));
    for (const [how, chunks] of Object.entries(splits)) {
      assert.deepEqual(events(run(new SseParser(), chunks)), c.events, `${c.id} (${how})`);
    }
  }
});

test('feedText gives the same items as feed', () => {
  const text = 'event: a\nid: 1\ndata: x\r\n\r\nretry: 10\n';
  assert.deepEqual(new SseParser().feedText(text), new SseParser().feed(enc.encode(text)));
  // Non-ASCII, and a lone surrogate, which any UTF-8 encoder makes U+FFFD.
  const odd = 'data: ünï 😀 \ud800 end\n\n';
  assert.deepEqual(new SseParser().feedText(odd), [{ type: 'event', event: 'message', data: 'ünï 😀 \ufffd end', id: '' }]);
  assert.equal(codecError(assert, () => new SseParser().feedText(enc.encode(text)), 'INVALID_ARGUMENT').code, 'INVALID_ARGUMENT');
});

test('item shapes: event, retry, id-only block, comments', () => {
  const p = new SseParser({ comments: true });
  const items = p.feed(enc.encode(': hello\nretry: 2500\nid: 9\n\nevent: up\ndata: 1\ndata: 2\n\n'));
  assert.deepEqual(items, [
    { type: 'comment', comment: 'hello' },
    { type: 'retry', retry: 2500 },
    { type: 'id', id: '9' },
    { type: 'event', event: 'up', data: '1\n2', id: '9' },
  ]);
  assert.equal(p.lastEventId, '9');
  // Comments are not reported unless asked for.
  assert.deepEqual(new SseParser().feed(enc.encode(': x\n')), []);
});

test('lastEventId option starts a reconnected stream', () => {
  const p = new SseParser({ lastEventId: 'abc' });
  assert.deepEqual(events(p.feed(enc.encode('data: x\n\n'))), [['message', 'x', 'abc']]);
});

test('split UTF-8 sequences and a BOM split across chunks', () => {
  const bytes = enc.encode('\uFEFFdata: 我現在 €\n\n');
  for (let i = 0; i <= bytes.length; i++) {
    const p = new SseParser();
    const got = events(run(p, [bytes.subarray(0, i), bytes.subarray(i)]));
    assert.deepEqual(got, [['message', '我現在 €', '']], `split at ${i}`);
  }
});

test('buffered counts the unfinished line; finish drops an unterminated event', () => {
  const p = new SseParser();
  assert.deepEqual(p.feed(enc.encode('data: abc')), []);
  assert.equal(p.buffered, 9);
  assert.deepEqual(p.finish(), []);
  // The parser is ready for the next body.
  assert.deepEqual(events(p.feed(enc.encode('data: next\n\n'))), [['message', 'next', '']]);
});

test('maxLineLen: SSE_LINE_TOO_LONG with line and offset, sticky', () => {
  const p = new SseParser({ maxLineLen: 8 });
  assert.deepEqual(events(p.feed(enc.encode('data: 1\n\n'))), [['message', '1', '']]);
  const e = codecError(assert, () => p.feed(enc.encode('data: 123456789\n')), 'SSE_LINE_TOO_LONG');
  assert.equal(e.line, 3);
  assert.equal(e.offset, 9);
  assert.equal(e.max, 8);
  assert.match(e.message, /line 3/);
  // Sticky: the same error again.
  const again = codecError(assert, () => p.feed(enc.encode('data: 2\n\n')), 'SSE_LINE_TOO_LONG');
  assert.equal(again.line, 3);
});

test('maxEventLen: SSE_EVENT_TOO_LARGE', () => {
  const p = new SseParser({ maxEventLen: 5 });
  const e = codecError(assert, () => p.feed(enc.encode('data: abc\ndata: def\n\n')), 'SSE_EVENT_TOO_LARGE');
  assert.equal(e.line, 2);
  assert.equal(e.offset, 10);
  assert.equal(e.max, 5);
});

test('bad options: INVALID_ARGUMENT', () => {
  codecError(assert, () => new SseParser({ maxLineLen: -1 }), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseParser({ maxLineLen: 1.5 }), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseParser({ comments: 'yes' }), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseParser({ lastEventId: 5 }), 'INVALID_ARGUMENT');
  codecError(assert, () => new SseParser(42), 'INVALID_ARGUMENT');
  // undefined and null mean defaults.
  assert.deepEqual(new SseParser(undefined).feed(enc.encode('data:x\n\n')).length, 1);
  assert.deepEqual(new SseParser(null).feed(enc.encode('data:x\n\n')).length, 1);
});

test('a large stream in random chunks gives the same events as whole', () => {
  let text = '';
  for (let i = 0; i < 2000; i++) text += `id: ${i}\nevent: e${i % 7}\ndata: ${'x'.repeat(i % 50)}\ndata: ${i}\n\n`;
  const bytes = enc.encode(text);
  const whole = run(new SseParser(), [bytes]);
  assert.equal(whole.length, 2000);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const chunks = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rnd() * 300);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  assert.deepEqual(run(new SseParser(), chunks), whole);
  assert.deepEqual(whole[1999], { type: 'event', event: 'e4', data: `${'x'.repeat(1999 % 50)}\n1999`, id: '1999' });
});

// Strings reach JS as ASCII bytes or as UTF-16, each on its own (src/js.rs, Batch): a batch with
// both kinds, small (the ASCII text rides at the end of the wide one) and large (two texts).
test('events mixing ASCII and non-ASCII strings come out whole, in any chunking', () => {
  const words = ['plain', 'ünï', '€uro', '😀', 'x'.repeat(40), `a${'é'.repeat(20)}b`, ''];
  const pick = (i, k) => words[(i * 7 + k * 3) % words.length];
  let text = '';
  const want = [];
  for (let i = 0; i < 3000; i++) {
    const event = pick(i, 1) || 'message';
    const data = `${pick(i, 2)} ${i} ${pick(i, 3)}`;
    const id = `${pick(i, 4)}${i}`;
    text += `event: ${event}\ndata: ${data}\nid: ${id}\n`;
    if (i % 5 === 0) {
      text += `: ${pick(i, 5)}\n`;
      want.push({ type: 'comment', comment: pick(i, 5) });
    }
    text += '\n';
    want.push({ type: 'event', event, data, id });
  }
  const bytes = enc.encode(text);
  const cut = (n) => Array.from({ length: Math.ceil(bytes.length / n) }, (_, k) => bytes.subarray(k * n, k * n + n));
  for (const [how, chunks] of [['whole', [bytes]], ['200 B', cut(200)], ['4 KiB', cut(4096)], ['7 B', cut(7)]]) {
    const got = run(new SseParser({ comments: true }), chunks);
    assert.equal(got.length, want.length, how);
    assert.deepEqual(got, want, how);
  }
});

test('emitter: encode -> parse round trip, retry, comments, heartbeat', () => {
  const evs = [
    { data: 'hello' },
    { data: 'multi\nline\r\nwith CRLF\rand CR', event: 'update', id: '42' },
    { data: '', event: 'empty' },
    { data: 'trailing newline\n', id: '' },
    { data: '我現在 😀' },
  ];
  const wire = [...evs.map(encodeSseEvent), encodeSseRetry(1500), encodeSseComment('keep-alive'), encodeSseHeartbeat()];
  assert.equal(new TextDecoder().decode(encodeSseEvent({ data: 'a\nb', event: 'x', id: '1' })), 'event: x\nid: 1\ndata: a\ndata: b\n\n');
  const items = new SseParser({ comments: true }).feed(Buffer.concat(wire.map((w) => Buffer.from(w))));
  const got = items.filter((i) => i.type === 'event');
  assert.deepEqual(got.map((e) => e.data), ['hello', 'multi\nline\nwith CRLF\nand CR', '', 'trailing newline\n', '我現在 😀']);
  assert.deepEqual(got.map((e) => e.event), ['message', 'update', 'empty', 'message', 'message']);
  assert.deepEqual(got.map((e) => e.id), ['', '42', '42', '', '']);
  assert.deepEqual(items.filter((i) => i.type !== 'event').slice(0, 2), [{ type: 'retry', retry: 1500 }, { type: 'comment', comment: 'keep-alive' }]);
  const e = codecError(assert, () => encodeSseEvent({ data: 'x', id: 'a\nb' }), 'SSE_FORBIDDEN_BYTE');
  assert.equal(e.offset, 1);
  codecError(assert, () => encodeSseComment('a\rb'), 'SSE_FORBIDDEN_BYTE');
  codecError(assert, () => encodeSseEvent({ event: 'x' }), 'INVALID_ARGUMENT');
});

test('an error after complete items: items first, the next call throws', () => {
  const p = new SseParser({ maxLineLen: 10 });
  const items = p.feed(enc.encode('data: ok\n\ndata: far too long\n'));
  assert.deepEqual(items.map((i) => i.data), ['ok']);
  const e = codecError(assert, () => p.feed(new Uint8Array(0)), 'SSE_LINE_TOO_LONG');
  assert.equal(e.line, 3);
});

test('lastEventId is right whichever way the id line is cut', () => {
  const body = enc.encode('retry: 120\nid: 4\ndata: a\n\ndata: b\n');
  for (let i = 0; i <= body.length; i++) {
    const p = new SseParser();
    const items = [...p.feed(body.subarray(0, i)), ...p.feed(body.subarray(i))];
    assert.deepEqual(items.filter((x) => x.type === 'event').map((x) => x.id), ['4'], `split at ${i}`);
    assert.equal(p.lastEventId, '4', `split at ${i}`);
  }
});

test('feed takes any bytes view and refuses what is not bytes', () => {
  const text = 'data: héllo!\n\n';
  const want = [{ type: 'event', event: 'message', data: 'héllo!', id: '' }];
  const bytes = enc.encode(text);
  assert.equal(bytes.length % 2, 1);
  // A view into a larger buffer: only its own bytes count.
  const padded = new Uint8Array(bytes.length + 8).fill(0x41);
  padded.set(bytes, 4);
  const inner = padded.subarray(4, 4 + bytes.length);
  const forms = [
    bytes,
    Buffer.from(text),
    bytes.buffer.slice(0),
    inner,
    new DataView(padded.buffer, 4, bytes.length),
    new Uint16Array(bytes.buffer.slice(0, bytes.length - (bytes.length % 2))),
  ];
  for (const [i, form] of forms.entries()) {
    const p = new SseParser();
    const got = p.feed(form);
    if (i === forms.length - 1) {
      // The whole bytes of a Uint16Array, here one short of the event's end.
      assert.deepEqual(got, [], 'Uint16Array');
      assert.deepEqual(p.feed(bytes.subarray(bytes.length - 1)), want, 'Uint16Array + rest');
    } else {
      assert.deepEqual(got, want, `form ${i}`);
    }
  }
  for (const bad of ['data: x\n\n', [100, 97, 116, 97], 42, null, undefined, {}]) {
    codecError(assert, () => new SseParser().feed(bad), 'INVALID_ARGUMENT');
  }
  // A chunk larger than the kept input buffer, then small ones, then empty.
  const p = new SseParser();
  const big = enc.encode(`data: ${'z'.repeat(200000)}\n\n`);
  assert.equal(p.feed(big)[0].data.length, 200000);
  assert.deepEqual(p.feed(bytes), want);
  assert.deepEqual(p.feed(new Uint8Array(0)), []);
  assert.deepEqual(p.feed(enc.encode('data: a')), []);
  assert.deepEqual(p.feed(enc.encode('b\n\n')), [{ type: 'event', event: 'message', data: 'ab', id: '' }]);
});

test('feed from a Uint8Array (JS fast path) gives what the general path gives', () => {
  // A Uint8Array takes the path of install_feeds (js/objects.js); a DataView the wasm-bindgen
  // one. Same stream, same cuts, with errors, big chunks and memory growth along the way.
  let text = '';
  for (let i = 0; i < 3000; i++) text += `id: ${i}\nevent: e${i % 5}\ndata: ${'ü€😀x'.repeat(i % 9)}\n: note\nretry: ${i}\n\n`;
  const bytes = enc.encode(text);
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const cuts = [];
  for (let i = 0; i < bytes.length; ) {
    // Mostly small, sometimes over 64 KiB (the input buffer is then given back next time).
    const n = rnd() < 0.02 ? 70000 + Math.floor(rnd() * 50000) : 1 + Math.floor(rnd() * 400);
    cuts.push([i, Math.min(i + n, bytes.length)]);
    i += n;
  }
  const asView = (a, b) => new DataView(bytes.buffer, bytes.byteOffset + a, b - a);
  for (const Make of [() => new SseParser({ comments: true }), () => new SseClient({ comments: true })]) {
    const fast = Make();
    const slow = Make();
    let n = 0;
    for (const [a, b] of cuts) {
      const got = fast.feed(bytes.subarray(a, b));
      assert.deepEqual(got, slow.feed(asView(a, b)), `${fast.constructor.name} cut ${a}..${b}`);
      n += got.length;
    }
    assert.equal(n, 3 * 3000); // event, comment, retry
    assert.equal(fast.lastEventId, '2999');
  }
  // A chunk of 24 MiB (the WASM memory grows while the chunk waits to be copied in).
  const big = new Uint8Array(24 << 20).fill(0x20);
  big.set(enc.encode(': '), 0);
  big.set(enc.encode('\ndata: after\n\n'), big.length - 14);
  const p = new SseParser({ maxLineLen: 32 << 20 });
  assert.deepEqual(p.feed(big), [{ type: 'event', event: 'message', data: 'after', id: '' }]);
  assert.deepEqual(p.feed(enc.encode('data: small\n\n')), [{ type: 'event', event: 'message', data: 'small', id: '' }]);
});

test('fast-path feed: errors thrown at once, deferred after items, and after free()', () => {
  for (const Make of [(o) => new SseParser(o), (o) => new SseClient(o)]) {
    // Nothing before the fault: thrown by this call, then sticky.
    const p = Make({ maxLineLen: 8 });
    codecError(assert, () => p.feed(enc.encode('data: 123456789\n')), 'SSE_LINE_TOO_LONG');
    codecError(assert, () => p.feed(enc.encode('data: 1\n\n')), 'SSE_LINE_TOO_LONG');
    // Items before the fault: returned, and the next call throws (with a non-empty chunk too).
    const q = Make({ maxLineLen: 10 });
    assert.deepEqual(q.feed(enc.encode('data: ok\n\ndata: far too long\n')).map((i) => i.data), ['ok']);
    assert.equal(codecError(assert, () => q.feed(enc.encode('data: x\n\n')), 'SSE_LINE_TOO_LONG').line, 3);
    // An empty chunk: no items, no error.
    assert.deepEqual(Make().feed(new Uint8Array(0)), []);
    const r = Make();
    r.free();
    assert.throws(() => r.feed(enc.encode('data: x\n\n')));
  }
});
