import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SdpDescription, parseCandidate, parseSdp, writeSdp } from 'realtime-codecs';
import { codecError, interopPackage, vectorsDir } from './helpers.mjs';

/** Every .sdp vector as [relative name, bytes]. */
function sdpFiles(t) {
  const dir = vectorsDir('sdp', t);
  if (!dir) return undefined;
  const out = [];
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const f of readdirSync(join(dir, sub.name)).sort()) {
      if (f.endsWith('.sdp')) out.push([`${sub.name}/${f}`, readFileSync(join(dir, sub.name, f))]);
    }
  }
  return out;
}

const latin1 = (bytes) => Buffer.from(bytes).toString('latin1');
const utf8 = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
const text = (bytes) => {
  try {
    return utf8(bytes);
  } catch {
    return latin1(bytes);
  }
};

test('every SDP vector parses and round-trips byte for byte (bytes and string input)', (t) => {
  const files = sdpFiles(t);
  if (!files) return;
  assert.ok(files.length >= 100, `only ${files.length} files`);
  for (const [name, bytes] of files) {
    const d = SdpDescription.parse(new Uint8Array(bytes));
    assert.deepEqual(Buffer.from(d.toBytes()), bytes, `${name}: toBytes`);
    assert.equal(d.toString(), text(bytes), `${name}: toString`);
    for (const w of d.warnings) {
      assert.equal(typeof w.code, 'string', name);
      assert.ok(w.line >= 0 && w.column >= 0, name);
    }
    // A string input (what RTCSessionDescription.sdp is) gives the same text back.
    const s = text(bytes);
    try {
      utf8(bytes);
      assert.equal(SdpDescription.parse(s).toString(), s, `${name}: string round trip`);
    } catch {
      // Latin-1 files: the bytes path above is the exact one.
    }
  }
});

test('browser SDP passes strict mode without warnings; media summaries', (t) => {
  const files = sdpFiles(t);
  if (!files) return;
  let n = 0;
  for (const [name, bytes] of files.filter(([n]) => n.startsWith('chromium/') || n.startsWith('webrtc-rs/'))) {
    const d = SdpDescription.parse(bytes, { strict: true });
    assert.deepEqual(d.warnings, [], name);
    assert.ok(d.media.length >= 1, name);
    for (const m of d.media) {
      assert.ok(['audio', 'video', 'application'].includes(m.type), `${name}: ${m.type}`);
      assert.equal(typeof m.mid, 'string', name);
      assert.ok(m.formats.length >= 1, name);
      assert.ok(['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(m.direction), name);
    }
    n++;
  }
  assert.ok(n >= 20, `only ${n} browser files`);
});

test('strict mode: a blank line is SDP_SYNTAX with line, column, rule and problem', () => {
  const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\r\n';
  const e = codecError(assert, () => SdpDescription.parse(sdp, { strict: true }), 'SDP_SYNTAX');
  assert.equal(e.line, 5);
  assert.equal(e.column, 1);
  assert.equal(typeof e.rule, 'string');
  assert.equal(e.problem, 'blank line');
  assert.match(e.message, /^5:1: /);
  // Lenient mode keeps the line and reports a warning at the same place.
  const d = SdpDescription.parse(sdp);
  assert.equal(d.toString(), sdp);
  assert.deepEqual(d.warnings.map((w) => [w.code, w.line, w.column, w.problem]), [['SDP_SYNTAX', 5, 1, 'blank line']]);
});

test('limits: SDP_TOO_LARGE, SDP_LINE_TOO_LONG, SDP_TOO_MANY_LINES', () => {
  const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
  let e = codecError(assert, () => SdpDescription.parse(sdp, { maxSize: 10 }), 'SDP_TOO_LARGE');
  assert.deepEqual([e.len, e.max], [sdp.length, 10]);
  e = codecError(assert, () => SdpDescription.parse(sdp, { maxLineLen: 8 }), 'SDP_LINE_TOO_LONG');
  assert.equal(e.line, 2);
  codecError(assert, () => SdpDescription.parse(sdp, { maxLines: 2 }), 'SDP_TOO_MANY_LINES');
  codecError(assert, () => SdpDescription.parse(42), 'INVALID_ARGUMENT');
  codecError(assert, () => SdpDescription.parse(sdp, { strict: 'yes' }), 'INVALID_ARGUMENT');
});

test('trickle: parseCandidate matches sdp-transform on every Chromium candidate', async (t) => {
  const dir = vectorsDir('sdp/chromium', t);
  if (!dir) return;
  const sdpTransform = await interopPackage('sdp-transform', t);
  let n = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('-candidates.json'))) {
    for (const c of JSON.parse(readFileSync(join(dir, f), 'utf8')).cands) {
      if (!c) continue;
      const ours = parseCandidate(c.candidate);
      assert.equal(ours.ufrag, c.usernameFragment, f);
      if (sdpTransform) {
        const theirs = sdpTransform.parse(`m=audio 9 RTP/AVP 0\r\na=${c.candidate}\r\n`).media[0].candidates[0];
        // sdp-transform turns an all-digit foundation into a number (a token per RFC 8839): compare as text.
        assert.equal(ours.foundation, String(theirs.foundation), `${f}: foundation`);
        for (const k of ['component', 'transport', 'priority', 'ip', 'port', 'type', 'raddr', 'rport', 'tcptype', 'generation', 'network-id', 'network-cost']) {
          // sdp-transform misses `network-id` after `ufrag` (its regex expects a fixed order).
          if (theirs[k] !== undefined) assert.equal(ours[k], theirs[k], `${f}: ${k} of ${c.candidate}`);
        }
      }
      n++;
    }
  }
  assert.ok(n >= 10, `only ${n} candidates`);
});

test('parseCandidate: all fields, IPv6/mDNS/TCP, unknown extensions, errors', () => {
  const c = parseCandidate('a=candidate:5 1 TCP 1684013055 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998 tcptype passive generation 5 x-foo bar');
  assert.deepEqual(c, {
    foundation: '5', component: 1, transport: 'TCP', priority: 1684013055, ip: '192.0.2.3', port: 45664,
    type: 'srflx', raddr: '10.0.1.1', rport: 8998, tcptype: 'passive', generation: 5, addressKind: 'ipv4',
    extensions: [['tcptype', 'passive'], ['generation', '5'], ['x-foo', 'bar']],
  });
  assert.equal(parseCandidate('candidate:1 1 udp 1 fd00::2 5000 typ host').addressKind, 'ipv6');
  assert.equal(parseCandidate('candidate:1 1 udp 1 4a1e0c5b-aaaa.local 5000 typ host').addressKind, 'mdns');
  const e = codecError(assert, () => parseCandidate('candidate:1 1 udp x 192.0.2.1 5000 typ host'), 'SDP_SYNTAX');
  assert.equal(e.line, 0);
  assert.ok(e.column > 0);
  assert.equal(e.rule, 'candidate');
});

test('addCandidate / candidateInits: trickled candidates land in their sections', (t) => {
  const dir = vectorsDir('sdp/chromium', t);
  if (!dir) return;
  const d = SdpDescription.parse(readFileSync(join(dir, '02-audio-video-offer.sdp')));
  const before = d.toString();
  const cands = JSON.parse(readFileSync(join(dir, '02-audio-video-offer-candidates.json'), 'utf8')).cands.filter(Boolean);
  for (const c of cands) d.addCandidate(c);
  const inits = d.candidateInits();
  assert.equal(inits.length, cands.length);
  // Written as in SDP: the ufrag extension stays, the mid/index come from the section.
  for (const c of cands) {
    assert.ok(inits.some((i) => i.candidate === c.candidate && i.sdpMid === c.sdpMid && i.sdpMLineIndex === c.sdpMLineIndex), c.candidate);
  }
  // Only lines were added: removing the candidate lines gives the original back.
  const stripped = d.toString().split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n');
  assert.equal(stripped, before);
  // End of candidates, by mid.
  d.addCandidate({ candidate: '', sdpMid: '0' });
  assert.match(d.toString(), /a=end-of-candidates\r\n/);
  codecError(assert, () => d.addCandidate({ candidate: cands[0].candidate, sdpMid: 'nope' }), 'SDP_NO_SUCH_MEDIA');
  codecError(assert, () => d.addCandidate({ candidate: 'candidate:bad', sdpMLineIndex: 0 }), 'SDP_SYNTAX');
  codecError(assert, () => d.addCandidate({ candidate: 5 }), 'INVALID_ARGUMENT');
});

test('typed edits touch only their lines', (t) => {
  const dir = vectorsDir('sdp/chromium', t);
  if (!dir) return;
  const src = readFileSync(join(dir, '02-audio-video-offer.sdp'), 'utf8');
  const d = SdpDescription.parse(src);
  const video = d.media.findIndex((m) => m.type === 'video');
  assert.ok(video >= 0);
  const pts = d.media[video].formats.map(Number);
  // Removing the first video codec also removes its RTX (apt=) partner.
  const removed = d.removeCodec(video, pts[0]);
  assert.ok(removed.includes(pts[0]));
  assert.ok(removed.length >= 2, `removed ${removed}`);
  const after = d.media[video].formats.map(Number);
  assert.deepEqual(after, pts.filter((p) => !removed.includes(p)));
  assert.ok(!d.toString().includes(`a=rtpmap:${pts[0]} `));
  // Reorder, bandwidth, direction, attributes, port.
  d.reorderPayloadTypes(video, [after[2], after[0]]);
  assert.deepEqual(d.media[video].formats.map(Number).slice(0, 2), [after[2], after[0]]);
  d.setBandwidth(video, 'TIAS', 500000);
  assert.match(d.toString(), /b=TIAS:500000\r\n/);
  assert.equal(d.removeBandwidth(video, 'TIAS'), 1);
  d.setDirection(video, 'recvonly');
  assert.equal(d.media[video].direction, 'recvonly');
  d.addAttribute(video, 'x-test:1');
  assert.equal(d.removeAttributes(video, 'x-test'), 1);
  d.addSessionAttribute('x-session:yes');
  assert.match(d.toString(), /a=x-session:yes\r\n/);
  d.addSimulcast(video, 'send', ['q', 'h', 'f']);
  assert.match(d.toString(), /a=simulcast:send q;h;f\r\n/);
  d.setPort(video, 0);
  // 70000 would have wrapped to 4464 through a u16 parameter.
  for (const port of [70000, -1, 9.5]) codecError(assert, () => d.setPort(video, port), 'INVALID_ARGUMENT');
  assert.equal(d.media[video].port, 0);
  // The result still parses strictly and round-trips.
  const again = SdpDescription.parse(d.toString(), { strict: true });
  assert.equal(again.toString(), d.toString());
  // Misuse.
  codecError(assert, () => d.removeCodec(99, 111), 'SDP_NO_SUCH_MEDIA');
  codecError(assert, () => d.removeCodec(video, 127), 'SDP_NO_SUCH_PAYLOAD_TYPE');
  codecError(assert, () => d.setDirection(video, 'sideways'), 'INVALID_ARGUMENT');
  codecError(assert, () => d.addAttribute(video, 'a\r\nb=1'), 'SDP_INVALID_INPUT');
});

test('parseSdp / writeSdp: every vector, JSON round trip keeps the data', (t) => {
  const files = sdpFiles(t);
  if (!files) return;
  let strictEqual = 0;
  for (const [name, bytes] of files) {
    const obj = parseSdp(bytes);
    assert.ok(Array.isArray(obj.media), name);
    const d = SdpDescription.parse(bytes);
    assert.equal(obj.media.length, d.media.length, `${name}: media count`);
    assert.deepEqual(d.toJSON(), obj, `${name}: toJSON() equals parseSdp()`);
    const text = writeSdp(obj);
    const again = parseSdp(text);
    assert.equal(again.media.length, obj.media.length, `${name}: media after writeSdp`);
    if (name.startsWith('chromium/')) {
      // Browser SDP is canonical already: the round trip gives the same object and text.
      assert.deepEqual(again, obj, `${name}: parse(write(parse))`);
      assert.equal(text, bytes.toString('utf8'), `${name}: writeSdp text`);
      strictEqual++;
    }
  }
  assert.ok(strictEqual >= 15, `only ${strictEqual} Chromium files`);
});

test('parseSdp agrees with sdp-transform on Chromium offers (where it does not lose data)', async (t) => {
  const dir = vectorsDir('sdp/chromium', t);
  if (!dir) return;
  const sdpTransform = await interopPackage('sdp-transform', t);
  if (!sdpTransform) return;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.sdp'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const ours = parseSdp(text);
    const theirs = sdpTransform.parse(text);
    for (const k of ['version', 'origin', 'name', 'timing', 'fingerprint', 'setup']) {
      if (theirs[k] !== undefined) assert.deepEqual(ours[k], theirs[k], `${f}: ${k}`);
    }
    assert.equal(ours.media.length, theirs.media.length);
    ours.media.forEach((m, i) => {
      const tm = theirs.media[i];
      for (const k of ['type', 'port', 'protocol', 'rtp', 'fmtp', 'direction', 'iceUfrag', 'icePwd', 'fingerprint', 'setup', 'ssrcs', 'sctpPort', 'maxMessageSize', 'connection', 'rtcp']) {
        if (tm[k] !== undefined) assert.deepEqual(m[k], tm[k], `${f}: media ${i} ${k}`);
      }
      // Documented difference: ids stay strings (sdp-transform makes mid "0" the number 0).
      assert.equal(m.mid, String(tm.mid), `${f}: mid`);
    });
    // sdp-transform's own output is accepted by writeSdp, and the result parses strictly.
    SdpDescription.parse(writeSdp(theirs), { strict: true });
  }
});

test('SdpDescription.fromJSON, JSON.stringify and SDP_JSON errors', () => {
  const text = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n';
  const obj = parseSdp(text);
  assert.deepEqual(obj.media[0].rtp, [{ payload: 111, codec: 'opus', rate: 48000, encoding: 2 }]);
  assert.equal(obj.media[0].mid, '0');
  obj.media[0].rtp[0].rate = 16000;
  const d = SdpDescription.fromJSON(obj);
  assert.match(d.toString(), /a=rtpmap:111 opus\/16000\/2\r\n/);
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d.toJSON());
  codecError(assert, () => writeSdp({ media: 5 }), 'SDP_JSON');
  codecError(assert, () => writeSdp(7), 'SDP_JSON');
  // A field from an untrusted peer cannot add lines (sdp-transform's write() lets it).
  obj.media[0].mid = '0\r\na=injected';
  assert.equal(codecError(assert, () => writeSdp(obj), 'SDP_JSON_LINE_BREAK').line, 6);
  obj.media[0].mid = '0';
  obj.media[0].rtp[0].codec = 'opus\nb=AS:1';
  assert.equal(codecError(assert, () => SdpDescription.fromJSON(obj), 'SDP_JSON_LINE_BREAK').line, 7);
});

test('writeSdp and fromJSON read an object as JSON.stringify would write it', () => {
  const text = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\na=ptime:20\r\n';
  const want = writeSdp(parseSdp(text));
  assert.equal(want, text);
  // toJSON, boxed primitives, members JSON leaves out, keys codec-sdp does not know (with
  // non-ASCII), every kind of JSON value, and nesting deeper than codec-sdp reads.
  const fancy = parseSdp(text);
  fancy.media[0].rtp[0] = { toJSON: (key) => (key === '0' ? { payload: 111, codec: 'opus', rate: 48000, encoding: 2 } : null) };
  fancy.media[0].mid = new String('0');
  fancy.media[0].ptime = new Number(20);
  fancy.skipped = undefined;
  fancy.fn = () => 1;
  fancy[Symbol('s')] = 1;
  fancy['x-ünknown'] = [undefined, () => 1, Symbol('t'), NaN, -Infinity, -5, 0.5, 1e21, true, false, null, 'é😀', { deep: [[[[[[[[[1]]]]]]]]] }];
  assert.equal(writeSdp(fancy), want);
  assert.equal(SdpDescription.fromJSON(fancy).toString(), want);
  const clone = JSON.parse(JSON.stringify(fancy));
  assert.deepEqual(clone.media[0].rtp[0], { payload: 111, codec: 'opus', rate: 48000, encoding: 2 });
  assert.equal(writeSdp(clone), want);

  // Numbers reach the SDP as JSON text has them; non-ASCII text as UTF-8.
  const nums = parseSdp(text);
  nums.media[0].ptime = 0.5;
  nums.name = 'Grüße 😀';
  const out = writeSdp(nums);
  assert.match(out, /\r\na=ptime:0\.5\r\n/);
  assert.match(out, /\r\ns=Grüße 😀\r\n/);
  assert.equal(out, writeSdp(JSON.parse(JSON.stringify(nums))));

  // A cycle ends at the depth codec-sdp reads (JSON.stringify would throw); nothing hangs.
  const cyclic = parseSdp(text);
  cyclic.self = cyclic;
  cyclic.media[0].back = cyclic;
  assert.equal(writeSdp(cyclic), want);

  // A large object grows the encoder's buffer; the next call still works.
  const big = parseSdp(text);
  big.padding = 'x'.repeat(3 << 20);
  big['päd'] = 'ü'.repeat(1 << 20);
  assert.equal(writeSdp(big), want);
  assert.equal(writeSdp(parseSdp(text)), want);

  // What JSON.stringify refuses, and strings with no UTF-8 form, are INVALID_ARGUMENT.
  const bad = (mutate) => {
    const o = parseSdp(text);
    mutate(o);
    codecError(assert, () => writeSdp(o), 'INVALID_ARGUMENT');
    codecError(assert, () => SdpDescription.fromJSON(o), 'INVALID_ARGUMENT');
  };
  bad((o) => (o.media[0].ptime = 20n));
  bad((o) => (o.name = 'lone \uD800 surrogate'));
  bad((o) => (o['\uDC00'] = 1));
  bad((o) => (o.media[0].rtp[0] = { toJSON() { throw new Error('no'); } }));
  // The error says why.
  const why = (mutate) => {
    const o = parseSdp(text);
    mutate(o);
    return codecError(assert, () => writeSdp(o), 'INVALID_ARGUMENT').message;
  };
  assert.match(why((o) => (o.media[0].ptime = 20n)), /BigInt/);
  assert.match(why((o) => (o.name = '\uD800')), /lone surrogate/);
  assert.match(why((o) => (o.x = { toJSON() { throw new Error('refused by toJSON'); } })), /refused by toJSON/);

  // A toJSON that calls writeSdp itself (nested, twice) leaves the outer object's tape whole.
  let inner = '';
  const nested = parseSdp(text);
  nested.media[0].rtp[0] = {
    toJSON() {
      const other = parseSdp(text.replace('a=ptime:20', 'a=ptime:40'));
      other.media[0].rtp[0] = { toJSON: () => (writeSdp(parseSdp(text)), { payload: 111, codec: 'opus', rate: 48000, encoding: 2 }) };
      inner = writeSdp(other);
      return { payload: 111, codec: 'opus', rate: 48000, encoding: 2 };
    },
  };
  assert.equal(writeSdp(nested), want);
  assert.equal(inner, want.replace('a=ptime:20', 'a=ptime:40'));

  // Not objects: SDP_JSON, as before.
  codecError(assert, () => writeSdp(undefined), 'SDP_JSON');
  codecError(assert, () => writeSdp([]), 'SDP_JSON');
  codecError(assert, () => writeSdp('v=0'), 'SDP_JSON');
});
