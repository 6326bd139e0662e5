// Node ESM entry: the CommonJS build (it loads its .wasm synchronously at import), plus the
// `init`/`initSync` of the web build as no-ops so the same code runs in Node and in browsers.
export * from './node/realtime_codecs.js';

/** Nothing to do in Node: the module is ready once imported. */
export default async function init() {}

/** Nothing to do in Node: the module is ready once imported. */
export function initSync() {}
