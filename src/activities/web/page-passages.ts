/**
 * The passages of a fetched page, chosen for a query the way searchCorpus chooses them: the page
 * is cut by the corpus chunker (sections, whole paragraphs, list items, tables, code; heading
 * paths as titles), indexed on its own (BM25F over text, headings and page title), ranked with the
 * corpus's proximity, boilerplate and near-duplicate rules, and each hit shows the corpus excerpt:
 * whole sentences around the query's rarest terms, read on into the next passage when it ends
 * mid-thought. Without a query, or when no passage holds a query term, the page's first passages
 * that are not boilerplate are shown.
 */
import { continuation, excerpt } from '../corpus/excerpt.js';
import { toPassages, type StoredPassage } from '../corpus/passages.js';
import { weightedQuery } from '../corpus/query.js';
import { rank } from '../corpus/rank.js';
import { PassageIndex } from '../corpus/search-index.js';
import type { StoredPage } from './page-store.js';
import type { WebHit } from './types.js';

const EXCERPT_CHARS = 600;
const CONTINUATION_CHARS = 400;

/**
 * The URL as a source id base: without fragment, with the characters that end or split a
 * `[sourceId]` citation marker (`[ ] , ;` and spaces) percent-encoded.
 */
export function sourceBase(url: string): string {
  return url
    .replace(/#.*$/, '')
    .replace(/[[\](),; ]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export interface PagePassages {
  passages: StoredPassage[];
  index: PassageIndex;
}

export function pagePassages(page: StoredPage): PagePassages {
  const passages = toPassages(sourceBase(page.url), page.doc, 0);
  return { passages, index: PassageIndex.build(passages, [{ rel: '', title: page.title }]) };
}

/** The passage's heading path under the page title ("Page › Section"), as a citation names it. */
function hitTitle(page: StoredPage, p: StoredPassage): string {
  if (!p.title || p.title.startsWith(page.title)) return p.title || page.title;
  return `${page.title} › ${p.title}`;
}

/** Whether any passage holds more than headings (a page of headings only has nothing to cite). */
export function hasText(cut: PagePassages): boolean {
  return cut.passages.some((p) =>
    p.text.split('\n').some((line) => line.trim() && !/^\s{0,3}#{1,6}\s/.test(line))
  );
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The best `limit` passages for the query (or the page's first ones); `matched` says which. */
export function pageHits(
  page: StoredPage,
  cut: PagePassages,
  limit: number,
  query?: string,
  question?: string
): { hits: WebHit[]; matched: boolean } {
  const { passages, index } = cut;
  const hit = (id: number, score: number, terms: { term: string; weight: number }[]): WebHit => {
    const p = passages[id]!;
    const shown = excerpt(p.text, terms, EXCERPT_CHARS, p.continues === true);
    let text = shown.text;
    const next = passages[id + 1];
    if (p.continues && shown.reachesEnd && next) {
      text += ' … ' + continuation(next.text.slice(next.lead ?? 0), CONTINUATION_CHARS);
    }
    return {
      sourceId: p.sourceId,
      path: page.url,
      title: hitTitle(page, p),
      excerpt: text,
      score: round(score),
      boilerplate: p.boilerplate !== undefined,
      ...(p.boilerplate !== undefined ? { boilerplateKind: p.boilerplate } : {}),
      fetchedAt: page.fetchedAt,
    };
  };
  if (query?.trim()) {
    const q = weightedQuery(index, query, question);
    const terms = q.terms.map((t) => ({ term: t.term, weight: t.weight * t.idf }));
    const ranked = rank({ passages, documents: [{ rel: '', title: page.title }], index }, q, limit);
    if (ranked.length) return { hits: ranked.map((r) => hit(r.id, r.score, terms)), matched: true };
  }
  const ids = passages.map((_, id) => id);
  const content = ids.filter((id) => !passages[id]!.boilerplate);
  const lead = (content.length ? content : ids).slice(0, limit);
  return { hits: lead.map((id) => hit(id, 0, [])), matched: false };
}
