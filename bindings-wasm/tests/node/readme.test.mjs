import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The README shipped in the package: every ```js example must run as written.
const readme = join(dirname(createRequire(import.meta.url).resolve('realtime-codecs/package.json')), 'README.md');

test('every JS example of the package README runs', async () => {
  const text = readFileSync(readme, 'utf8');
  const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 5, `only ${blocks.length} examples`);
  // Inside the tests folder, so `realtime-codecs` resolves to the installed package.
  const dir = mkdtempSync(join(dirname(new URL(import.meta.url).pathname), 'readme-'));
  const log = console.log;
  const lines = [];
  console.log = (...a) => lines.push(a);
  try {
    for (const [i, code] of blocks.entries()) {
      const file = join(dir, `example${i}.mjs`);
      writeFileSync(file, code);
      await import(pathToFileURL(file).href);
    }
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  // The SDP example prints writeSdp(parseSdp(text)) === text.
  assert.ok(lines.some((l) => l.length === 1 && l[0] === true));
});
