// Shared helpers of the node:test suites. They run from a temporary folder where the packed
// tarball was installed (scripts/wasm-test.sh), so `realtime-codecs` resolves as for a user.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared conformance vectors folder (scripts/wasm-test.sh sets RTC_VECTORS). */
export const VECTORS = process.env.RTC_VECTORS ?? '';

/**
 * Reads a vectors file, or returns undefined after a skip notice when the folder is missing.
 * Under CI a missing folder is a failure.
 */
export function vectors(rel, t) {
  const path = join(VECTORS, rel);
  if (!VECTORS || !existsSync(path)) {
    if (process.env.CI) throw new Error(`vectors missing under CI: ${path}`);
    const msg = `notice: ${path} missing, skipping`;
    process.stderr.write(msg + '\n');
    t?.skip(msg);
    return undefined;
  }
  return readFileSync(path);
}

/** Like `vectors`, for a folder: its path, or undefined after the same notice. */
export function vectorsDir(rel, t) {
  const path = join(VECTORS, rel);
  if (!VECTORS || !existsSync(path)) {
    if (process.env.CI) throw new Error(`vectors missing under CI: ${path}`);
    const msg = `notice: ${path} missing, skipping`;
    process.stderr.write(msg + '\n');
    t?.skip(msg);
    return undefined;
  }
  return path;
}

/** A package from interop/node_modules (scripts/wasm-test.sh sets RTC_INTEROP), or undefined. */
export async function interopPackage(name, t) {
  const dir = process.env.RTC_INTEROP;
  const pkg = dir && join(dir, 'node_modules', name);
  if (!pkg || !existsSync(pkg)) {
    if (process.env.CI) throw new Error(`interop package missing under CI: ${name}`);
    t?.skip(`interop package ${name} missing`);
    return undefined;
  }
  const { createRequire } = await import('node:module');
  return createRequire(join(dir, 'package.json'))(name);
}

/** Asserts `fn` throws a CodecError with the given code; returns the error. */
export function codecError(assert, fn, code) {
  let err;
  assert.throws(fn, (e) => {
    err = e;
    return e instanceof Error && e.name === 'CodecError' && e.code === code;
  }, `expected CodecError ${code}`);
  return err;
}

export const enc = new TextEncoder();
export const dec = new TextDecoder();

/** The byte arrays joined into one. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Runs `handler(req, res, n)` (n: 1 for the first request) on a fresh HTTP server on 127.0.0.1
 * while `body(url)` runs; the server is closed afterwards.
 */
export async function withServer(handler, body) {
  const { createServer } = await import('node:http');
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await body(`http://127.0.0.1:${server.address().port}/`);
  } finally {
    server.close();
  }
}
