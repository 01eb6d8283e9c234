import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../common/errors.js';
import { HttpError } from './errors.js';

/**
 * Which corpus folders runs started through the API may read. A client names a folder; without
 * this rule it could index any directory the server's user can read (/etc, ~/.ssh…) and have its
 * .md/.txt/.html/.pdf files quoted back. The rule: the default corpus, or a folder whose real path
 * (symlinks resolved) lies under one of the operator's corpus roots.
 */
export const CORPUS_ROOT_HINT =
  'start `steadfast serve` with --corpus-root DIR (or STEADFAST_CORPUS_ROOTS=DIR1' +
  `${path.delimiter}DIR2) naming the folder that holds your corpora, then pass a folder under it`;

/** The real paths of the roots named by `--corpus-root` flags and STEADFAST_CORPUS_ROOTS; each must be a folder. */
export function resolveCorpusRoots(flags: readonly string[] = [], env = process.env): string[] {
  const fromEnv = (env.STEADFAST_CORPUS_ROOTS ?? '').split(path.delimiter);
  const named = [...flags, ...fromEnv].map((r) => r.trim()).filter(Boolean);
  const roots: string[] = [];
  for (const root of named) {
    let real: string;
    try {
      real = realpathSync(root);
    } catch {
      throw new UserError(
        `corpus root not found: ${path.resolve(root)}`,
        'pass an existing folder to --corpus-root (or STEADFAST_CORPUS_ROOTS)'
      );
    }
    if (!statSync(real).isDirectory())
      throw new UserError(`corpus root is not a folder: ${real}`, `pass its folder, ${path.dirname(real)}`);
    if (real === path.parse(real).root)
      throw new UserError(
        `corpus root ${real} would let API clients read every folder of this machine`,
        'name the folder that holds your documents'
      );
    if (!roots.includes(real)) roots.push(real);
  }
  return roots;
}

/** Whether `target` is `root` or below it (both absolute). */
export function isWithin(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** `undefined`, '' and 'default' name the default corpus (as the corpus activities read them). */
function isDefault(corpus: string | undefined): boolean {
  return corpus === undefined || corpus.trim() === '' || corpus.trim() === 'default';
}

/**
 * The corpus a run started through the API may use: undefined for the default corpus, else the
 * real path of a folder under a root (a relative name is looked up under each root in turn).
 * Throws 403 (outside every root, or no roots) or 400 (not found, not a folder).
 */
export function allowedCorpus(corpus: string | undefined, roots: readonly string[]): string | undefined {
  if (isDefault(corpus)) return undefined;
  const named = corpus as string;
  if (roots.length === 0)
    throw new HttpError(
      403,
      `this server lets API clients use only the default corpus, not "${named}"`,
      CORPUS_ROOT_HINT
    );
  const candidates = path.isAbsolute(named) ? [named] : roots.map((r) => path.join(r, named));
  let real: string | undefined;
  for (const candidate of candidates) {
    try {
      real = realpathSync(candidate);
      break;
    } catch {
      // try the next root
    }
  }
  if (real === undefined) {
    // Outside every root is 403 whether or not it exists: no probing of the rest of the disk.
    if (!candidates.some((c) => roots.some((r) => isWithin(r, path.resolve(c)))))
      throw new HttpError(
        403,
        `corpus "${named}" is outside the corpus roots of this server`,
        CORPUS_ROOT_HINT
      );
    throw new HttpError(
      400,
      `corpus folder not found: "${named}"`,
      `pass a folder under ${roots.join(' or ')} (absolute, or relative to a root)`
    );
  }
  if (!roots.some((r) => isWithin(r, real)))
    throw new HttpError(
      403,
      `corpus "${named}" is outside the corpus roots of this server (symlinks are resolved)`,
      CORPUS_ROOT_HINT
    );
  if (!statSync(real).isDirectory())
    throw new HttpError(400, `corpus "${named}" is a file, not a folder`, 'pass the folder that holds it');
  return real;
}

/** Whether a finished run's corpus root may be read again by the API (source passages). */
export function corpusReadable(root: string | undefined, roots: readonly string[]): boolean {
  if (root === undefined) return true;
  let real: string;
  try {
    real = realpathSync(root);
  } catch {
    return false;
  }
  return roots.some((r) => isWithin(r, real));
}
