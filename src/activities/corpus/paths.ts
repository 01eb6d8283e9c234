import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The directory holding steadfast's own package.json (found from this module's location). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'steadfast') return (cachedRoot = dir);
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('steadfast package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Where steadfast keeps its local state: STEADFAST_DATA_DIR or <cwd>/.steadfast. */
export function dataDir(): string {
  const fromEnv = process.env.STEADFAST_DATA_DIR;
  return fromEnv && fromEnv.trim() ? path.resolve(fromEnv) : path.resolve('.steadfast');
}

export function corpusCacheDir(): string {
  return path.join(dataDir(), 'corpus');
}

/** `undefined`, '' and 'default' all name the default corpus (the installed dependency docs). */
export function isDefaultCorpus(corpus: string | undefined): boolean {
  return corpus === undefined || corpus.trim() === '' || corpus.trim() === 'default';
}
