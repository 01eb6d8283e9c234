import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../common/errors.js';
import { packageRoot } from '../common/paths.js';

export const webRoot = path.join(packageRoot, 'web');
export const webDist = path.join(webRoot, 'dist');

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const s = statSync(full);
    latest = Math.max(latest, s.isDirectory() ? newest(full) : s.mtimeMs);
  }
  return latest;
}

/** True when web/dist is missing or older than the UI sources. */
export function webBuildStale(): boolean {
  const index = path.join(webDist, 'index.html');
  if (!existsSync(index)) return true;
  const sources = [
    path.join(webRoot, 'src'),
    path.join(webRoot, 'index.html'),
    path.join(webRoot, 'vite.config.ts'),
  ].filter(existsSync);
  const built = statSync(index).mtimeMs;
  return sources.some((s) => (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs) > built);
}

/** Builds the UI with Vite when needed (`npm run build:web` does the same); returns web/dist. */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<string> {
  if (!webBuildStale()) return webDist;
  const vite = path.join(packageRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    if (existsSync(path.join(webDist, 'index.html'))) return webDist;
    throw new UserError(
      'the web UI is not built and Vite is not installed',
      'run `npm install` (with dev dependencies), then `npm run build:web`'
    );
  }
  log('web: building the UI (vite build web/)…');
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', path.join(webRoot, 'vite.config.ts'), '--logLevel', 'warn'],
      {
        cwd: webRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0)
    throw new UserError(
      `building the web UI failed:\n${output.join('').slice(-2000)}`,
      'run `npm run build:web` to see the full error'
    );
  log(`web: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return webDist;
}
