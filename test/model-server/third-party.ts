/**
 * Passages cut from the third-party documents of test/fixtures/third-party-corpus, the way a
 * corpus search hands them to a model: a section's Markdown as written, or flattened to one line
 * as excerpts are.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const corpus = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'third-party-corpus'
);

export function fixture(name: string): string {
  return readFileSync(path.join(corpus, name), 'utf8');
}

/** The Markdown of a section: from its heading line to the next heading of the same or a higher level. */
export function section(file: string, heading: string): string {
  const lines = fixture(file).split('\n');
  const start = lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.replace(/^#+\s+/, '').trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}" in ${file}`);
  const level = /^(#+)/.exec(lines[start]!)![1]!.length;
  let end = start + 1;
  let fenced = false;
  for (; end < lines.length; end++) {
    if (/^```/.test(lines[end]!)) fenced = !fenced;
    const m = !fenced && /^(#+)\s/.exec(lines[end]!);
    if (m && m[1]!.length <= level) break;
  }
  return lines.slice(start, end).join('\n').trim();
}

/** Lines `from`..`to` (1-based, inclusive) of a fixture. */
export function lines(file: string, from: number, to: number): string {
  return fixture(file)
    .split('\n')
    .slice(from - 1, to)
    .join('\n');
}

/** HTML as text: tags dropped, entities decoded, line breaks kept. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** One line, as a search excerpt shows a passage (links keep their labels). */
export function flatten(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface TestPassage {
  sourceId: string;
  title: string;
  excerpt: string;
}

export function passage(sourceId: string, title: string, excerpt: string): TestPassage {
  return { sourceId, title, excerpt };
}
