import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '../common/ports.js';

const run = promisify(execFile);
const PYTHON = process.env.PYTHON ?? 'python3';
/** A local S3-compatible server from PyPI (moto's standalone server), installed by .ci/run. */
const PACKAGE = 'moto[server]';

export interface S3Server {
  endpoint: string;
  stop(): Promise<void>;
}

async function importable(): Promise<boolean> {
  return run(PYTHON, ['-c', 'import moto.server, flask, flask_cors']).then(
    () => true,
    () => false
  );
}

/**
 * Starts moto's S3-compatible server on 127.0.0.1 (a free port), installing it from PyPI first if
 * it is missing. Resolves to the reason when neither works, for the caller to skip loudly.
 */
export async function startS3Server(): Promise<S3Server | { unavailable: string }> {
  if (!(await importable())) {
    try {
      await run(PYTHON, ['-m', 'pip', 'install', '--quiet', PACKAGE], { timeout: 300_000 });
    } catch (err) {
      return {
        unavailable: `\`${PYTHON} -m pip install '${PACKAGE}'\` failed: ${(err as Error).message.slice(0, 300)}`,
      };
    }
    if (!(await importable()))
      return { unavailable: `${PACKAGE} installed but moto.server cannot be imported` };
  }
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    child.stdout.destroy();
    child.stderr.destroy();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${endpoint}/`).then(
      (r) => r.ok,
      () => false
    );
    if (up) return { endpoint, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      return { unavailable: `moto.server did not answer on ${endpoint}:\n${output.slice(-1000)}` };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
