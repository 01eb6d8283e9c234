/**
 * Research corpus activities: prepare (ingest + index once per content hash), search (BM25F over
 * structure-aware passages, re-ranked for proximity, boilerplate, duplicates and diversity) and
 * read (a passage with its neighbours). Results are small, JSON-serializable and carry source ids,
 * never whole documents.
 */
import { Context } from '@temporalio/activity';
import { corpusFailure, CorpusErrorType } from './corpus/errors.js';
import { loadCorpus, type LoadedCorpus, type LoadOptions } from './corpus/store.js';
import { meaningIndex, meaningScores } from './corpus/meaning-index.js';
import { continuation, excerpt } from './corpus/excerpt.js';
import { weightedQuery } from './corpus/query.js';
import { rank } from './corpus/rank.js';
import { queryAsksFor, type BoilerplateKind } from './corpus/boilerplate.js';
import type { PassageResponse } from '../common/api-types.js';

export { buildCorpusIndex, loadCorpus, clearCorpusMemo } from './corpus/store.js';
export { CorpusErrorType } from './corpus/errors.js';

export interface PrepareCorpusInput {
  /** Directory (absolute or relative to the worker's cwd); 'default' or omitted = dependency docs. */
  corpus?: string;
}
export interface PrepareCorpusResult {
  /** sha256 of the corpus content: the same files give the same id. */
  corpusId: string;
  root: string;
  documents: number;
  passages: number;
  /** Files not indexed, with why (at most MAX_SKIPPED entries; a last entry counts the rest). */
  skipped: { path: string; reason: string }[];
  /** True when this call built the index; false when it came from the cache. */
  builtIndex: boolean;
}

export interface SearchCorpusInput {
  corpus?: string;
  query: string;
  /**
   * The research question the query serves. Its distinctive terms (rare in this corpus) are kept
   * in the search at a lower weight, whatever words the query itself uses.
   */
  question?: string;
  /** Default 5, at most 10. */
  limit?: number;
}
export interface SearchHit {
  sourceId: string;
  path: string;
  /** Heading path of the passage ("Section › Subsection"), or the document title. */
  title: string;
  /**
   * The best-matching part of the passage, at most ~600 characters; when the passage ends
   * mid-thought, followed by up to ~400 characters of the passage that continues it.
   */
  excerpt: string;
  score: number;
  /** Licence, table of contents, navigation, footer, changelog or badge text, ranked down. */
  boilerplate: boolean;
  /** Which, when `boilerplate`: a changelog still supports what it says; the others never alone. */
  boilerplateKind?: BoilerplateKind;
}
export interface SearchCorpusResult {
  query: string;
  results: SearchHit[];
}

export interface ReadDocumentInput {
  corpus?: string;
  sourceId: string;
  /** Neighbouring passages to include on each side (default 1, at most 5). */
  window?: number;
}
/** The passage plus its neighbours, at most ~4000 characters (what the API's source view shows). */
export type ReadDocumentResult = PassageResponse;

const MAX_SKIPPED = 50;
const MAX_QUERY_CHARS = 1000;
const MAX_QUESTION_CHARS = 2000;
const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 10;
const EXCERPT_CHARS = 1200;
const CONTINUATION_CHARS = 400;
const DEFAULT_WINDOW = 1;
const MAX_WINDOW = 5;
const READ_CHARS = 4000;

/** How long a search or read may rely on this process's last listing of the corpus folder. */
const LISTING_MAX_AGE_MS = 60_000;

/**
 * Heartbeats while a build extracts documents, when running inside a regular activity: a local
 * activity (the workflow's corpus reads) cannot heartbeat, and the worker would log each attempt.
 */
function progress(listingMaxAgeMs = 0): LoadOptions {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return { listingMaxAgeMs };
  }
  if (ctx.info.isLocal) return { listingMaxAgeMs };
  let last = 0;
  return {
    listingMaxAgeMs,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last < 1000 && done < total) return;
      last = now;
      ctx?.heartbeat({ done, total });
    },
  };
}

export async function prepareCorpus(input: PrepareCorpusInput = {}): Promise<PrepareCorpusResult> {
  const report = progress();
  const c = await loadCorpus(input.corpus, report);
  // The meaning index too (minutes for a large corpus on first use), so that searches find it built.
  await meaningIndex(c.corpusId, c.passages, report.onProgress);
  const skipped = c.skipped.slice(0, MAX_SKIPPED).map((s) => ({ path: c.absPath(s.rel), reason: s.reason }));
  if (c.skipped.length > MAX_SKIPPED) {
    skipped.push({
      path: c.root,
      reason: `and ${c.skipped.length - MAX_SKIPPED} more skipped files not listed`,
    });
  }
  return {
    corpusId: c.corpusId,
    root: c.root,
    documents: c.documents.length,
    passages: c.passages.length,
    skipped,
    builtIndex: c.builtIndex,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export async function searchCorpus(input: SearchCorpusInput): Promise<SearchCorpusResult> {
  const query = typeof input?.query === 'string' ? input.query.trim().slice(0, MAX_QUERY_CHARS) : '';
  if (!query) {
    throw corpusFailure(
      CorpusErrorType.InvalidQuery,
      'Search query is empty. Fix: pass a few keywords, e.g. "activity retry policy".'
    );
  }
  const requested = Number.isFinite(input.limit) ? Math.floor(input.limit as number) : DEFAULT_LIMIT;
  const limit = Math.min(MAX_LIMIT, Math.max(1, requested));
  const question =
    typeof input.question === 'string' ? input.question.trim().slice(0, MAX_QUESTION_CHARS) : undefined;
  const c = await loadCorpus(input.corpus, progress(LISTING_MAX_AGE_MS));
  const q = weightedQuery(c.index, query, question);
  const terms = q.terms.map((t) => ({ term: t.term, weight: t.weight * t.idf }));
  const results: SearchHit[] = [];
  // Closeness in meaning to what is asked: the question when the search has one (its queries are
  // keywords), else the query.
  const index = await meaningIndex(c.corpusId, c.passages);
  const meaning = index ? await meaningScores(index, c.passages.length, question ?? query) : undefined;
  for (const hit of rank(c, q, limit, meaning)) {
    const p = c.passages[hit.id];
    if (!p) continue;
    const shown = excerpt(p.text, terms, EXCERPT_CHARS, p.continues === true);
    let text = shown.text;
    const next = c.passages[hit.id + 1];
    if (p.continues && shown.reachesEnd && next && next.doc === p.doc) {
      text += ' … ' + continuation(next.text.slice(next.lead ?? 0), CONTINUATION_CHARS);
    }
    // A licence or changelog the search asks for is the answer's source, not boilerplate around it.
    const flagged = p.boilerplate !== undefined && !queryAsksFor(p.boilerplate, q.words);
    results.push({
      sourceId: p.sourceId,
      path: c.absPath(p.rel),
      title: p.title,
      excerpt: text,
      score: round(hit.score),
      boilerplate: flagged,
      ...(flagged ? { boilerplateKind: p.boilerplate } : {}),
    });
  }
  return { query, results };
}

/** Finds a passage by id; also accepts a quoted id, an absolute-path id, or a bare document path. */
function findPassage(c: LoadedCorpus, raw: string): number | undefined {
  let id = raw.trim().replace(/^[\s"'`[(<]+|[\s"'`\])>]+$/g, '');
  const exact = c.byId.get(id);
  if (exact !== undefined) return exact;
  const rootPrefix = c.root.endsWith('/') ? c.root : c.root + '/';
  if (id.startsWith(rootPrefix)) id = id.slice(rootPrefix.length);
  const relative = c.byId.get(id);
  if (relative !== undefined) return relative;
  if (!id.includes('#')) {
    const doc = c.documents.find((d) => d.rel === id);
    if (doc) return doc.first;
  }
  return undefined;
}

function sourceNotFound(c: LoadedCorpus, sourceId: string): Error {
  const rel = sourceId.split('#')[0] ?? '';
  const doc = c.documents.find((d) => d.rel === rel);
  const examples = doc
    ? c.passages.slice(doc.first, doc.first + Math.min(doc.count, 3)).map((p) => p.sourceId)
    : c.passages.slice(0, 2).map((p) => p.sourceId);
  return corpusFailure(
    CorpusErrorType.SourceNotFound,
    `Unknown sourceId "${sourceId.slice(0, 300)}" in corpus ${c.root}. Source ids look like "<relative path>#L<start>-L<end>" ` +
      `(markdown, text, HTML) or "<relative path>#p<page>" (PDF), with ".<n>" appended when a location repeats, ` +
      `e.g. ${examples.map((e) => `"${e}"`).join(', ')}. Fix: use a sourceId exactly as returned by searchCorpus.`
  );
}

export async function readDocument(input: ReadDocumentInput): Promise<ReadDocumentResult> {
  const sourceId = typeof input?.sourceId === 'string' ? input.sourceId : '';
  const c = await loadCorpus(input.corpus, progress(LISTING_MAX_AGE_MS));
  const at = sourceId.trim() ? findPassage(c, sourceId) : undefined;
  const passage = at === undefined ? undefined : c.passages[at];
  if (at === undefined || !passage) throw sourceNotFound(c, sourceId);
  const doc = c.documents[passage.doc];
  const first = doc?.first ?? at;
  const last = doc ? doc.first + doc.count - 1 : at;
  const requested = Number.isFinite(input.window) ? Math.floor(input.window as number) : DEFAULT_WINDOW;
  const window = Math.min(MAX_WINDOW, Math.max(0, requested));

  // Grow outwards from the passage, nearest neighbours first, while the text stays within budget.
  const chosen = [at];
  let size = Math.min(passage.text.length, READ_CHARS);
  let before = at - 1;
  let after = at + 1;
  let canBefore = true;
  let canAfter = true;
  for (let step = 1; step <= window; step++) {
    for (const side of ['before', 'after'] as const) {
      const i = side === 'before' ? before : after;
      const open = side === 'before' ? canBefore && i >= first : canAfter && i <= last;
      if (!open) continue;
      const text = c.passages[i]?.text ?? '';
      const cost = text.length + c.passages[i]!.sourceId.length + 4;
      if (size + cost > READ_CHARS) {
        if (side === 'before') canBefore = false;
        else canAfter = false;
        continue;
      }
      size += cost;
      chosen.push(i);
      if (side === 'before') before--;
      else after++;
    }
  }
  chosen.sort((a, b) => a - b);
  let text: string;
  if (chosen.length === 1) {
    text = passage.text.length > READ_CHARS ? passage.text.slice(0, READ_CHARS - 1) + '…' : passage.text;
  } else {
    text = chosen
      .map((i) => {
        const p = c.passages[i]!;
        // Context a passage carries from the one before is not repeated when that one is shown too.
        const own = p.lead && chosen.includes(i - 1) ? p.text.slice(p.lead) : p.text;
        const body = i === at && own.length > READ_CHARS ? own.slice(0, READ_CHARS - 1) + '…' : own;
        return `[${p.sourceId}]\n${body}`;
      })
      .join('\n\n');
  }
  return { sourceId: passage.sourceId, path: c.absPath(passage.rel), title: passage.title, text };
}

/** The corpus activities, for registration on a worker. */
export const corpusActivities = { prepareCorpus, searchCorpus, readDocument };
