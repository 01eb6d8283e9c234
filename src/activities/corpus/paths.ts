import path from 'node:path';
import { dataDir } from '../../common/paths.js';

export function corpusCacheDir(): string {
  return path.join(dataDir(), 'corpus');
}

/** `undefined`, '' and 'default' all name the default corpus (the installed dependency docs). */
export function isDefaultCorpus(corpus: string | undefined): boolean {
  return corpus === undefined || corpus.trim() === '' || corpus.trim() === 'default';
}
