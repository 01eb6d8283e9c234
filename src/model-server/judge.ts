/**
 * Judging records the request lists (e.g. claims, each with the passages it cites): is each one
 * stated by its passages? A deterministic stand-in by word overlap — the share of the record's
 * content terms found in its best passage, with every number required verbatim. Real models
 * judge paraphrases better; this one only confirms what the passages say in so many words.
 */
import type { Material } from './material.js';
import { termsOf } from './relevance.js';

/** A claim is stated when its best passage holds this share of its content terms. */
export const SUPPORTED_SHARE = 0.6;

export type JsonRecord = Record<string, unknown>;

const ID_KEY = /^(?:id|n|index|number|key|claimId|claim_id|ref)$/i;

/** The id of a record (its first id-like primitive field). */
export function recordId(record: JsonRecord): string | number | undefined {
  for (const [k, v] of Object.entries(record))
    if (ID_KEY.test(k) && (typeof v === 'number' || typeof v === 'string')) return v;
  return undefined;
}

/** The first list of records with ids in the request's JSON (the things to answer about, one by one). */
export function recordsOf(material: Material): JsonRecord[] {
  const visit = (value: unknown, depth: number): JsonRecord[] | undefined => {
    if (depth > 6 || !value || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      const objects = value.filter((v): v is JsonRecord => !!v && typeof v === 'object' && !Array.isArray(v));
      if (
        objects.length > 0 &&
        objects.length === value.length &&
        objects.every((o) => recordId(o) !== undefined)
      )
        if (objects.some((o) => nestedTexts(o).length > 0)) return objects;
      for (const v of value) {
        const found = visit(v, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    for (const v of Object.values(value)) {
      const found = visit(v, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  for (const doc of material.documents) {
    const found = visit(doc, 0);
    if (found) return found;
  }
  return [];
}

/** The record's own statement: its longest top-level string that is not an id. */
function statementOf(record: JsonRecord): string {
  let best = '';
  for (const [k, v] of Object.entries(record))
    if (typeof v === 'string' && !ID_KEY.test(k) && v.length > best.length) best = v;
  return best;
}

/** Texts nested in the record (its passages), with their source ids when they have them. */
function nestedTexts(record: JsonRecord): Array<{ text: string; sourceId?: string }> {
  const out: Array<{ text: string; sourceId?: string }> = [];
  for (const v of Object.values(record)) {
    const list = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
    for (const item of list) {
      if (typeof item === 'string' && item.length >= 20) out.push({ text: item });
      else if (item && typeof item === 'object') {
        const o = item as JsonRecord;
        const text = ['text', 'excerpt', 'passage', 'content', 'quote']
          .map((k) => o[k])
          .find((x) => typeof x === 'string');
        const id = ['sourceId', 'id', 'source', 'path'].map((k) => o[k]).find((x) => typeof x === 'string');
        if (typeof text === 'string') out.push({ text, sourceId: id as string | undefined });
      }
    }
  }
  return out;
}

export interface Judgement {
  supported: boolean;
  reason: string;
  share: number;
}

/** Tokens a claim must not get wrong: numbers, flags and code identifiers, verbatim. */
const exactIn = (text: string) => [
  ...(text.match(/(?<![\p{L}\p{N}.])\d+(?:[.,]\d+)*/gu) ?? []),
  ...(text.match(/(?<![\w-])--?[A-Za-z][\w-]*/g) ?? []),
  ...(text.match(/\b(?:[a-z]+[A-Z]\w*|\w+_\w+)\b/g) ?? []),
];

/** Whether the record's passages state its statement, and a one-sentence reason. */
export function judgeRecord(record: JsonRecord): Judgement {
  const statement = statementOf(record);
  const texts = nestedTexts(record);
  const claimTerms = termsOf(statement);
  const distinct = new Map<string, string>();
  const words = statement.match(/[\p{L}\p{N}_][\p{L}\p{N}_.'’-]*[\p{L}\p{N}_]|[\p{L}\p{N}]/gu) ?? [];
  for (const t of claimTerms) if (!distinct.has(t.term)) distinct.set(t.term, words[t.pos] ?? t.term);
  if (texts.length === 0 || distinct.size === 0)
    return { supported: false, share: 0, reason: 'No passage was given to check it against.' };
  let best = {
    share: -1,
    missing: [] as string[],
    missingNumbers: [] as string[],
    sourceId: undefined as string | undefined,
  };
  for (const { text, sourceId } of texts) {
    const have = new Set(termsOf(text).map((t) => t.term));
    const missing = [...distinct].filter(([t]) => !have.has(t)).map(([, w]) => w);
    const missingNumbers = exactIn(statement).filter((n) => !text.includes(n));
    const share = missingNumbers.length > 0 ? 0 : (distinct.size - missing.length) / distinct.size;
    if (share > best.share) best = { share, missing, missingNumbers, sourceId };
  }
  const where = best.sourceId ? `the passage [${best.sourceId}]` : 'the passage';
  if (best.missingNumbers.length > 0)
    return {
      supported: false,
      share: 0,
      reason: `The passages do not contain ${best.missingNumbers.slice(0, 3).join(', ')}.`,
    };
  if (best.share >= SUPPORTED_SHARE)
    return {
      supported: true,
      share: best.share,
      reason: `${where[0]!.toUpperCase()}${where.slice(1)} states it in the same terms (${Math.round(best.share * 100)}% of its words).`,
    };
  return {
    supported: false,
    share: best.share,
    reason: `The passages do not mention ${best.missing.slice(0, 4).join(', ')}.`,
  };
}
