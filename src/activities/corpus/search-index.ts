/**
 * The passage index: BM25F over three fields of each passage — its text, its heading path, and
 * its document (title and file path) — with inverted postings, plus the statistics the ranker
 * needs (document frequencies, field lengths, exact-duplicate groups). Plain arrays, so the
 * index serialises to JSON and loads without re-reading the text.
 */
import { createHash } from 'node:crypto';
import type { StoredPassage } from './passages.js';
import { indexableText, tokenize } from './tokens.js';

/** Bump when the index layout or what is indexed changes. */
export const INDEX_FORMAT = 15;

const FIELDS = 3; // text, headings, document
/** Field weights and length normalisation (BM25F): headings weigh more, the document name less. */
const WEIGHT: readonly number[] = [1, 2.5, 0.6];
const B: readonly number[] = [0.75, 0.4, 0];
const K1 = 1.2;

export interface IndexDocument {
  rel: string;
  title: string;
}

interface IndexJson {
  format: number;
  n: number;
  avg: number[];
  /** Per passage and field: token count (flat, FIELDS per passage). */
  lengths: number[];
  /** term -> flat postings [passage, tf text, tf headings, tf document, ...]. */
  postings: Record<string, number[]>;
  /** Per passage: the first passage with the same normalised text, or -1. */
  dupOf: number[];
}

export class PassageIndex {
  private constructor(
    readonly n: number,
    private readonly avg: number[],
    private readonly lengths: Uint32Array,
    private readonly postings: Map<string, Uint32Array>,
    readonly dupOf: Int32Array
  ) {}

  /** Document frequency of a (processed) term. */
  df(term: string): number {
    return (this.postings.get(term)?.length ?? 0) / (FIELDS + 1);
  }

  idf(term: string): number {
    const df = this.df(term);
    return Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
  }

  /** The passages whose text (not their headings or document name) holds a term. */
  inText(term: string): Set<number> {
    const out = new Set<number>();
    const list = this.postings.get(term);
    if (list) for (let k = 0; k < list.length; k += FIELDS + 1) if (list[k + 1]! > 0) out.add(list[k]!);
    return out;
  }

  /** The largest idf a term can have here (a term found in one passage). */
  maxIdf(): number {
    return Math.log(1 + (this.n - 0.5) / 1.5);
  }

  /** BM25F scores of every passage holding at least one of the weighted terms (`touched`). */
  score(query: { term: string; weight: number }[]): { scores: Float64Array; touched: number[] } {
    const scores = new Float64Array(this.n);
    const touched: number[] = [];
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list || weight <= 0) continue;
      const idf = this.idf(term);
      for (let k = 0; k < list.length; k += FIELDS + 1) {
        const p = list[k]!;
        let tf = 0;
        for (let f = 0; f < FIELDS; f++) {
          const raw = list[k + 1 + f]!;
          if (!raw) continue;
          const b = B[f]!;
          const norm = 1 - b + (b * this.lengths[p * FIELDS + f]!) / (this.avg[f] || 1);
          tf += (WEIGHT[f]! * raw) / norm;
        }
        if (scores[p] === 0) touched.push(p);
        scores[p] = scores[p]! + (weight * idf * tf * (K1 + 1)) / (tf + K1);
      }
    }
    return { scores, touched };
  }

  static build(passages: StoredPassage[], documents: IndexDocument[]): PassageIndex {
    const n = passages.length;
    const lengths = new Uint32Array(n * FIELDS);
    const lists = new Map<string, number[]>();
    const dupOf = new Int32Array(n).fill(-1);
    const seen = new Map<string, number>();
    const docTokens = documents.map((d) => tokenize(documentText(d)));
    passages.forEach((p, id) => {
      const fields = [
        tokenize(indexableText(p.text)),
        tokenize(p.headings.join(' \n ')),
        docTokens[p.doc] ?? [],
      ];
      const counts = new Map<string, number[]>();
      fields.forEach((tokens, f) => {
        // A command with its option is a name besides its words: the text is no longer for it.
        lengths[id * FIELDS + f] = tokens.filter((t) => !t.joint).length;
        for (const { term: t } of tokens) {
          let c = counts.get(t);
          if (!c) counts.set(t, (c = [0, 0, 0]));
          c[f]!++;
        }
      });
      for (const [t, c] of counts) {
        let l = lists.get(t);
        if (!l) lists.set(t, (l = []));
        l.push(id, c[0]!, c[1]!, c[2]!);
      }
      const key = textKey(p.text);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, id);
      else dupOf[id] = first;
    });
    const avg = Array.from({ length: FIELDS }, (_, f) => {
      let sum = 0;
      for (let p = 0; p < n; p++) sum += lengths[p * FIELDS + f]!;
      return n ? sum / n : 0;
    });
    const postings = new Map<string, Uint32Array>();
    for (const [t, l] of lists) postings.set(t, Uint32Array.from(l));
    return new PassageIndex(n, avg, lengths, postings, dupOf);
  }

  toJSON(): IndexJson {
    const postings: Record<string, number[]> = {};
    for (const [t, l] of this.postings) postings[t] = Array.from(l);
    return {
      format: INDEX_FORMAT,
      n: this.n,
      avg: this.avg,
      lengths: Array.from(this.lengths),
      postings,
      dupOf: Array.from(this.dupOf),
    };
  }

  static fromJSON(json: string): PassageIndex {
    const data = JSON.parse(json) as IndexJson;
    if (data.format !== INDEX_FORMAT)
      throw new Error(`index format ${data.format}, expected ${INDEX_FORMAT}`);
    const postings = new Map<string, Uint32Array>();
    for (const t of Object.keys(data.postings)) postings.set(t, Uint32Array.from(data.postings[t]!));
    return new PassageIndex(
      data.n,
      data.avg,
      Uint32Array.from(data.lengths),
      postings,
      Int32Array.from(data.dupOf)
    );
  }
}

/** What a passage's document contributes to its search: title and the meaningful parts of its path. */
export function documentText(d: IndexDocument): string {
  const parts = d.rel
    .replace(/\.[a-z0-9]+$/i, '')
    .split('/')
    .filter((s) => !/^(node_modules|readme|index|docs?|src|lib|dist)$/i.test(s));
  return `${d.title} ${parts.join(' ')}`;
}

/** Normalised text of a passage: equal keys mean the same words in the same order. */
function textKey(text: string): string {
  const flat = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return createHash('sha1').update(flat).digest('base64');
}
