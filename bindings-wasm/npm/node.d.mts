export * from './node/realtime_codecs.js';

/** Nothing to do in Node (the module is ready once imported); kept for code shared with browsers. */
export default function init(module_or_path?: unknown): Promise<void>;
/** Nothing to do in Node (the module is ready once imported); kept for code shared with browsers. */
export function initSync(module?: unknown): void;
