// Builds the plain JS objects the wrappers return, from one batch per call: every string of
// the batch joined in `text` (decoded from WASM memory once) and a `meta` array of kinds and
// UTF-16 lengths. One call per batch instead of several per item keeps the cost of crossing
// between WebAssembly and JS off the per-item path. Conversion only: no protocol logic here.
//
// scripts/wasm-build.sh turns each `export function name(` into `exports.name = function name(`
// for the CommonJS (Node) build, so functions here must not call each other.

/** SSE items. meta: kind, then per kind: 0 event [typeLen or 2^32-1 for "message", dataLen, idLen];
 * 1 retry [lo, hi]; 2 id [len]; 3 comment [len]. */
export function sse_items(text, meta) {
  const out = [];
  let t = 0;
  let i = 0;
  while (i < meta.length) {
    const kind = meta[i++];
    if (kind === 0) {
      const tl = meta[i++];
      const dl = meta[i++];
      const il = meta[i++];
      let event = 'message';
      if (tl !== 0xffffffff) {
        event = text.substring(t, t + tl);
        t += tl;
      }
      const data = text.substring(t, t + dl);
      t += dl;
      const id = text.substring(t, t + il);
      t += il;
      out.push({ type: 'event', event, data, id });
    } else if (kind === 1) {
      const lo = meta[i++];
      const hi = meta[i++];
      out.push({ type: 'retry', retry: hi * 4294967296 + lo });
    } else {
      const l = meta[i++];
      const s = text.substring(t, t + l);
      t += l;
      out.push(kind === 2 ? { type: 'id', id: s } : { type: 'comment', comment: s });
    }
  }
  return out;
}

/** WebSocket messages. meta: kind, then: 0 text [len16]; 1 binary, 2 ping, 3 pong [byteLen];
 * 4 close [code or 2^32-1 for none, reasonLen16]. Byte payloads are copied out of `blob`. */
export function ws_messages(text, meta, blob) {
  const out = [];
  let t = 0;
  let b = 0;
  let i = 0;
  while (i < meta.length) {
    const kind = meta[i++];
    if (kind === 0) {
      const l = meta[i++];
      out.push({ type: 'text', data: text.substring(t, t + l) });
      t += l;
    } else if (kind === 4) {
      const code = meta[i++];
      const l = meta[i++];
      const reason = text.substring(t, t + l);
      t += l;
      out.push(code === 0xffffffff ? { type: 'close', reason } : { type: 'close', code, reason });
    } else {
      const l = meta[i++];
      const data = blob.slice(b, b + l);
      b += l;
      out.push({ type: kind === 1 ? 'binary' : kind === 2 ? 'ping' : 'pong', data });
    }
  }
  return out;
}
