// Reads {"<name>": <sdp-transform-shaped JSON>, ...} on stdin and prints
// {"<name>": sdpTransform.write(json), ...}: checks that codec-sdp's JSON
// works with sdp-transform's own writer (codec-sdp/tests/json.rs).
'use strict';
const path = require('path');
const sdpTransform = require(path.join(__dirname, '..', 'node_modules', 'sdp-transform'));

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = {};
  for (const [name, json] of Object.entries(input)) {
    out[name] = sdpTransform.write(json);
  }
  process.stdout.write(JSON.stringify(out));
});
