// The web build in Node with `Buffer` hidden while it loads, so its builders make strings with
// TextDecoder as in a browser.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sdpTapeValues, sseMixedBatch, sseAfterGrowth, wsFramesBatch, wsMixedBatch } from './batch-cases.mjs';

const wasmPath = createRequire(import.meta.url).resolve('realtime-codecs/realtime_codecs_bg.wasm');
const saved = globalThis.Buffer;
delete globalThis.Buffer;
const rtc = await import(pathToFileURL(join(dirname(wasmPath), 'realtime_codecs.js')).href);
globalThis.Buffer = saved;
rtc.initSync({ module: readFileSync(wasmPath) });

test('web build without Buffer: SSE batch, ASCII and UTF-16 text', () => sseMixedBatch(rtc));
test('web build without Buffer: SSE after memory growth', () => sseAfterGrowth(rtc));
test('web build without Buffer: WS batch and memory growth', () => wsMixedBatch(rtc));
test('web build without Buffer: raw WS frames of every size in one batch', () => wsFramesBatch(rtc));
test('web build without Buffer: SDP objects from the tape', () => sdpTapeValues(rtc));
