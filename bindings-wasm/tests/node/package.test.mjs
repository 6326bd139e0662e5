import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import init, * as esm from 'realtime-codecs';

const require = createRequire(import.meta.url);

test('the package: ESM and CommonJS entry points, init() no-op in Node, exports map, types', async () => {
  await init();
  esm.initSync();
  const cjs = require('realtime-codecs');
  const names = ['SseParser', 'encodeSseEvent', 'WsConnection', 'WsFrameDecoder', 'encodeWsFrame', 'WsClientHandshake',
    'WsServerHandshake', 'wsAcceptKey', 'ChunkedDecoder', 'ChunkedEncoder', 'HttpMessageDecoder', 'decodeEngineIoPayload',
    'encodeEngineIoPayload', 'encodeHttpRequestHead', 'encodeHttpResponseHead', 'SdpDescription', 'parseSdp', 'writeSdp',
    'parseCandidate', 'encodeSseRetry', 'encodeSseComment', 'encodeSseHeartbeat'];
  for (const n of names) {
    assert.equal(typeof esm[n], 'function', `ESM export ${n}`);
    assert.equal(typeof cjs[n], 'function', `CommonJS export ${n}`);
  }
  // Both entry points load the same CommonJS build in Node.
  assert.equal(esm.SseParser, cjs.SseParser);
  const root = dirname(require.resolve('realtime-codecs/package.json'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.exports['.'].browser.default, './web/realtime_codecs.js');
  // Every export has a declaration, and the declarations name no `any` outside wasm-bindgen's internals.
  for (const file of ['web/realtime_codecs.d.ts', 'node/realtime_codecs.d.ts']) {
    const dts = readFileSync(join(root, file), 'utf8');
    const publicPart = dts.split('export type InitInput')[0];
    const anyType = publicPart.match(/[:|<(,]\s*any\b[^\n]*/);
    assert.equal(anyType, null, `${file}: ${anyType?.[0]}`);
    for (const n of names) assert.match(dts, new RegExp(`export (class|function) ${n}\\b`), `${file}: ${n}`);
  }
});

test('the ESM (web) build also runs outside browsers with initSync (workers, Deno-like hosts)', async () => {
  const root = dirname(require.resolve('realtime-codecs/package.json'));
  const { pathToFileURL } = await import('node:url');
  const web = await import(pathToFileURL(join(root, 'web', 'realtime_codecs.js')).href);
  web.initSync({ module: readFileSync(join(root, 'web', 'realtime_codecs_bg.wasm')) });
  assert.deepEqual(new web.SseParser().feed(new TextEncoder().encode('data: x\n\n')), [{ type: 'event', event: 'message', data: 'x', id: '' }]);
  const server = new web.WsConnection('server');
  assert.deepEqual(server.feed(new web.WsConnection('client').sendText('hi')), [{ type: 'text', data: 'hi' }]);
  assert.equal(web.parseSdp('v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n').origin.address, '127.0.0.1');
  let err;
  try {
    web.parseCandidate('candidate:x');
  } catch (e) {
    err = e;
  }
  assert.equal(err?.code, 'SDP_SYNTAX');
});
