/**
 * Reference documentation in the formats manual pages ship in — AsciiDoc (tig), reStructuredText
 * (Mercurial help), DocBook XHTML (the PostgreSQL manual) and a Markdown FAQ (curl) — read from the
 * files as shipped, cut where a corpus search would cut them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const devCorpora = path.join(here, '..', 'fixtures', 'quality-dev', 'corpora');

/** A file of test/model-server/fixtures. */
export function fixtureDoc(name: string): string {
  return readFileSync(path.join(here, 'fixtures', name), 'utf8');
}

/** A file of a development corpus ("mercurial-help/docs/config.txt"). */
export function corpusDoc(rel: string): string {
  return readFileSync(path.join(devCorpora, rel), 'utf8');
}

/** The text from the first occurrence of `from` up to (not including) the next `to` after it. */
export function between(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  if (start < 0) throw new Error(`"${from}" not found`);
  const end = text.indexOf(to, start + from.length);
  if (end < 0) throw new Error(`"${to}" not found after "${from}"`);
  return text.slice(start, end);
}
