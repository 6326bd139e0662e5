// Prints {"<relative path>": sdpTransform.parse(<file text>), ...} for every
// .sdp file under the directory given as argv[2]. Used by
// codec-sdp/tests/json.rs to compare our JSON with sdp-transform's.
'use strict';
const fs = require('fs');
const path = require('path');
const sdpTransform = require(path.join(__dirname, '..', 'node_modules', 'sdp-transform'));

const root = process.argv[2];
const out = {};
const walk = (dir) => {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) {
      walk(p);
    } else if (name.endsWith('.sdp')) {
      // latin1 keeps every byte as one code point, as codec-sdp's JSON does
      // for text that is not UTF-8.
      const buf = fs.readFileSync(p);
      const utf8 = buf.toString('utf8');
      const text = Buffer.from(utf8, 'utf8').equals(buf) ? utf8 : buf.toString('latin1');
      out[path.relative(root, p).split(path.sep).join('/')] = sdpTransform.parse(text);
    }
  }
};
walk(root);
process.stdout.write(JSON.stringify(out));
