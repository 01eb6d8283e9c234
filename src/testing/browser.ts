// The browser of the browser tests: Debian's chromium, installed by .ci/run
// (`apt-get install -y chromium`), or STEADFAST_CHROMIUM. Missing is a failure, not a skip.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { packageRoot } from '../common/paths.js';

/** Where browser tests leave their screenshots. */
export const TEST_RESULTS = path.join(packageRoot, 'test-results');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless chromium with a fresh temporary profile of its own (playwright makes one per launch). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.STEADFAST_CHROMIUM ?? '/usr/bin/chromium';
  assert.ok(
    existsSync(executablePath),
    `chromium not found at ${executablePath}: install it with \`apt-get install -y chromium\` (or set STEADFAST_CHROMIUM)`
  );
  mkdirSync(TEST_RESULTS, { recursive: true });
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}
