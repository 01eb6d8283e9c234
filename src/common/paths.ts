import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The steadfast package root (the folder holding its package.json), wherever it is installed. */
export const packageRoot: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  const isOurs = (manifest: string) => {
    try {
      return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'steadfast';
    } catch {
      return false;
    }
  };
  while (!isOurs(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('steadfast: cannot find the package root');
    dir = parent;
  }
  return dir;
})();

/** Where runs keep their state: Temporal's SQLite file, corpus indexes, artifacts, traces. */
export function dataDir(): string {
  const fromEnv = process.env.STEADFAST_DATA_DIR?.trim();
  return path.resolve(fromEnv || path.join(process.cwd(), '.steadfast'));
}
