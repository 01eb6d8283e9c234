// `npm test`: starts ONE real Temporal dev server (through steadfast's own bootstrap) for the
// whole run, builds the workflow bundle once, then runs every test file with node's test runner.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/common/paths.js';
import { ensureDevServer } from '../src/dev-server/dev-server.js';
import { workflowBundle } from '../src/worker/bundle.js';
import { freePort } from '../src/common/ports.js';
import { encoderDir } from '../src/common/encoder/sentence-encoder.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return testFiles(full);
      return name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

const filter = process.argv.slice(2);
const files = testFiles(path.join(packageRoot, 'test')).filter(
  (f) => filter.length === 0 || filter.some((part) => f.includes(part))
);
const started = Date.now();
// The sentence encoder (`npm run encoder`) is optional: the suite checks the path every install
// has, words only, and the tests of meaning (and the eval's CI subset) turn the encoder on through
// STEADFAST_TEST_ENCODER — each test's fresh data directory would otherwise encode the default
// corpus again (about 20 s a time on two cores).
const installedEncoder = encoderDir();
if (process.env.STEADFAST_ENCODER === undefined) {
  process.env.STEADFAST_ENCODER = 'off';
  if (installedEncoder) process.env.STEADFAST_TEST_ENCODER = installedEncoder;
}
console.log(
  `[test] sentence encoder: ${installedEncoder ? `${installedEncoder} (for the tests that use it)` : 'NOT INSTALLED — the tests of retrieval and writing by meaning will say SKIPPED (npm run encoder)'}`
);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-test-'));
process.env.STEADFAST_DATA_DIR = dataDir;
const server = await ensureDevServer({
  dataDir,
  host: '127.0.0.1',
  port: await freePort(),
  uiPort: await freePort(),
  detached: false,
  log: (line) => console.log(`[test] ${line}`),
});
console.log(
  `[test] Temporal dev server ${server.address} (binary: ${server.binary?.source ?? 'reused'}), data ${dataDir}`
);
await workflowBundle();
console.log(`[test] workflow bundle ready in ${Date.now() - started} ms`);

const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
      ...files,
    ],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        STEADFAST_DATA_DIR: dataDir,
        STEADFAST_LOG_LEVEL: process.env.STEADFAST_LOG_LEVEL ?? 'ERROR',
      },
    }
  );
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
await server.stop();
console.log(`[test] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
