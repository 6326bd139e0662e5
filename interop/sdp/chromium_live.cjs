// Drives headless Debian Chromium (playwright-core, never a downloaded
// browser) for codec-sdp/tests/chromium.rs.
//
// Protocol over stdio, one JSON object per line:
//   -> stdout {"sdps": {name: sdp}}          offers/answers Chromium created live
//   <- stdin  {"checks": [{name, type, sdp}]} descriptions to try
//   -> stdout {"results": {name: {ok, error?, answer?}}} setRemoteDescription verdicts
// Exits by itself after 120 s whatever happens.
'use strict';
const http = require('http');
const path = require('path');
const readline = require('readline');
const { chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core'));

const deadline = setTimeout(() => { console.error('chromium_live: timeout'); process.exit(3); }, 120000);

async function main() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>sdp</title>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  // playwright's launch() gives Chromium a fresh temporary profile itself.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const sdps = await page.evaluate(async () => {
      const out = {};
      let pc = new RTCPeerConnection();
      pc.createDataChannel('x');
      let offer = await pc.createOffer();
      out['datachannel-offer'] = offer.sdp;
      let pc2 = new RTCPeerConnection();
      await pc2.setRemoteDescription(offer);
      out['datachannel-answer'] = (await pc2.createAnswer()).sdp;

      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      pc = new RTCPeerConnection();
      stream.getTracks().forEach((t) => pc.addTrack(t, stream));
      offer = await pc.createOffer();
      out['audio-video-offer'] = offer.sdp;
      pc2 = new RTCPeerConnection();
      await pc2.setRemoteDescription(offer);
      stream.getTracks().forEach((t) => pc2.addTrack(t, stream));
      out['audio-video-answer'] = (await pc2.createAnswer()).sdp;

      pc = new RTCPeerConnection();
      pc.addTransceiver(stream.getVideoTracks()[0], {
        direction: 'sendonly',
        sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
      });
      out['simulcast-offer'] = (await pc.createOffer()).sdp;

      pc = new RTCPeerConnection();
      pc.addTransceiver('audio');
      pc.addTransceiver('video');
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'sendonly' });
      pc.createDataChannel('d');
      offer = await pc.createOffer();
      out['multi-transceiver-offer'] = offer.sdp;

      // Negotiate, stop one transceiver and re-offer: Chromium then writes
      // that section with port 0 and drops it from BUNDLE.
      await pc.setLocalDescription(offer);
      pc2 = new RTCPeerConnection();
      await pc2.setRemoteDescription(offer);
      const answer = await pc2.createAnswer();
      await pc2.setLocalDescription(answer);
      await pc.setRemoteDescription(answer);
      pc.getTransceivers()[1].stop();
      out['stopped-reoffer'] = (await pc.createOffer()).sdp;
      return out;
    });
    process.stdout.write(JSON.stringify({ sdps }) + '\n');

    const rl = readline.createInterface({ input: process.stdin });
    const line = await new Promise((resolve) => rl.once('line', resolve));
    rl.close();
    const { checks } = JSON.parse(line);
    const results = await page.evaluate(async (checks) => {
      const res = {};
      for (const c of checks) {
        const pc = new RTCPeerConnection();
        try {
          await pc.setRemoteDescription({ type: c.type, sdp: c.sdp });
          const r = { ok: true };
          if (c.type === 'offer') {
            r.answer = (await pc.createAnswer()).sdp;
          }
          res[c.name] = r;
        } catch (e) {
          res[c.name] = { ok: false, error: String(e) };
        }
        pc.close();
      }
      return res;
    }, checks);
    process.stdout.write(JSON.stringify({ results }) + '\n');
  } finally {
    await browser.close();
    server.close();
    clearTimeout(deadline);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
