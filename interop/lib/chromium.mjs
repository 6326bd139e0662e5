// One way to start the browser for every interop test: Debian's Chromium (never a downloaded
// one), headless, with the flags that work as root on these machines, in a fresh profile that is
// removed on close. CHROMIUM overrides the executable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  // Without these Chromium keeps dialling Google's hosts, which this closed network refuses.
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/// Launches a persistent context in a new temporary profile; `close()` also removes the profile.
export async function launchChromium({ prefix = 'rc-chromium-', args = [] } = {}) {
  const profile = mkdtempSync(join(tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
  const close = context.close.bind(context);
  context.close = async () => {
    try { await close(); } finally { rmSync(profile, { recursive: true, force: true }); }
  };
  return context;
}
