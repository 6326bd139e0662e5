import { test } from 'node:test';
import * as rtc from 'realtime-codecs';
import { sdpTapeValues, sseMixedBatch, sseAfterGrowth, wsFramesBatch, wsMixedBatch } from './batch-cases.mjs';

test('SSE: every item kind in one batch, ASCII and UTF-16 text', () => sseMixedBatch(rtc));
test('SSE: batches after the WASM memory grew', () => sseAfterGrowth(rtc));
test('WS: every message kind in one batch, and after the WASM memory grew', () => wsMixedBatch(rtc));
test('WS: raw frames of every size class in one batch', () => wsFramesBatch(rtc));
test('SDP: objects from the tape: non-ASCII, numbers, nesting, Latin-1', () => sdpTapeValues(rtc));
