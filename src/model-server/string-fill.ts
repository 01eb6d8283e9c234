/**
 * String values of a schema fill: formats (dates, URIs…), tool arguments, and answer text —
 * written fields (summary, body, title, follow-ups, plan items, verdict reasons) come from the
 * writer modules; other fields take bound material values, keyword phrases or extracted units.
 */
import { evidenceFor } from './evidence.js';
import {
  keyKind,
  LONG_KEYS,
  isSourceListKey,
  isTitleField,
  QUERY_WORDS,
  type Ctx,
  type Schema,
  type Slot,
} from './fill-context.js';
import { withFullStop } from './inline-text.js';
import { valuesForKey } from './material.js';
import { termSet } from './relevance.js';
import { writtenText } from './text-fields.js';
import { identifierWords, phraseVariants, sha256, terms, titleCase, truncateWords } from './text.js';

export function fillString(s: Schema, slot: Slot, ctx: Ctx): string {
  const value = rawString(s, slot, ctx);
  return fitString(value, s, slot, ctx);
}

function rawString(s: Schema, slot: Slot, ctx: Ctx): string {
  const m = ctx.material;
  const index = slot.index ?? 0;
  const fmt = typeof s.format === 'string' ? s.format : undefined;
  if (fmt) {
    const h = sha256(`${slot.key}:${index}:${m.question}`);
    switch (fmt) {
      case 'date-time':
        return '2025-01-01T00:00:00Z';
      case 'date':
        return '2025-01-01';
      case 'time':
        return '00:00:00Z';
      case 'email':
      case 'idn-email':
        return 'offline@example.com';
      case 'uri':
      case 'url':
      case 'iri':
      case 'uri-reference':
      case 'iri-reference': {
        const urls = m.sourceIds.filter((id) => /^[a-z][a-z0-9+.-]*:\/\//i.test(id));
        return urls[index % Math.max(urls.length, 1)] ?? `https://example.com/${index + 1}`;
      }
      case 'uuid':
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
      case 'hostname':
      case 'idn-hostname':
        return 'example.com';
      case 'ipv4':
        return '127.0.0.1';
      case 'ipv6':
        return '::1';
      case 'duration':
        return 'P1D';
      default:
        break;
    }
  }
  const kind = keyKind(slot);
  const variants = () => phraseVariants(m.question || m.topTerms.join(' '), m.topTerms, 4);

  if (ctx.mode === 'args') {
    const bound = valuesForKey(m, slot.key);
    if (bound.length > 0) return String(firstUnused(bound, slot.key, ctx));
    const words = identifierWords(slot.key);
    if (words.some((w) => QUERY_WORDS.has(w))) {
      const v = variants();
      return v[index % v.length]!;
    }
    return m.question.trim() || variants()[0]!;
  }

  // Answer mode: fields a writer writes (answers, bodies, titles, questions, plans, verdicts).
  if (!ctx.minimal) {
    const written = writtenText(s, slot, ctx, kind);
    if (written !== undefined) return written;
  }
  const inItem = slot.index !== undefined || slot.preferSource !== undefined || slot.record !== undefined;
  if (
    kind !== 'long' &&
    kind !== 'question' &&
    kind !== 'followup' &&
    !ctx.minimal &&
    (inItem || !isTitleField(slot.key))
  ) {
    const bound = valuesForKey(m, slot.key);
    if (bound.length > 0) return String(bound[index % bound.length]);
    if (isSourceListKey(slot.key) && m.sourceIds.length > 0) return m.sourceIds[index % m.sourceIds.length]!;
  }
  if (kind === 'short' || kind === 'question' || kind === 'followup' || ctx.minimal) {
    const v = variants();
    const phrase = v[index % v.length]!;
    return isTitleField(slot.key) ? titleCase(phrase) : phrase;
  }
  const words = identifierWords(slot.key);
  let n = kind === 'long' ? Math.max(...words.map((w) => LONG_KEYS[w] ?? 0)) : 1;
  if (words.includes('short') || words.includes('brief')) n = Math.min(n, 2);
  return extract(slot, ctx, n, typeof s.maxLength === 'number' ? s.maxLength : undefined);
}

export function firstUnused(
  values: Array<string | number | boolean>,
  key: string,
  ctx: Ctx
): string | number | boolean {
  const used = ctx.usedValues.get(key);
  for (const v of values) if (!used?.has(String(v))) return v;
  return values[0]!;
}

/**
 * The best `n` units for a field inside an item (or one the writer does not write whole): the
 * question's relevance plus the field's own words, units of the item's source first, fresh units
 * before ones another field already quoted; each cited unless it is the item's own source.
 */
function extract(slot: Slot, ctx: Ctx, n: number, maxLength?: number): string {
  const evidence = evidenceFor(ctx.material);
  const keyTerms = termSet(
    [
      identifierWords(slot.key).join(' '),
      slot.description,
      identifierWords(slot.parentKey ?? '').join(' '),
    ].join(' ')
  );
  const top = Math.max(0, ...evidence.scored.map((s) => s.score));
  let pool = evidence.scored
    .filter((s) => s.cand.unit.kind !== 'code')
    .map((s) => {
      let shared = 0;
      for (const t of keyTerms) if (s.cand.set.has(t)) shared++;
      const bonus = keyTerms.size > 0 ? (0.3 * shared * Math.max(top, 1)) / keyTerms.size : 0;
      return { s, value: s.score + bonus };
    })
    .sort(
      (a, b) =>
        b.value - a.value || a.s.cand.passage - b.s.cand.passage || a.s.cand.unit.index - b.s.cand.unit.index
    )
    .map((x) => x.s.cand);
  if (pool.length === 0) return backgroundExtract(ctx, n);
  const own = pool.filter((c) => slot.preferSource !== undefined && c.sourceId === slot.preferSource);
  if (own.length > 0) pool = own;
  const picked: typeof pool = [];
  for (const reuse of [false, true]) {
    let candidates = pool.filter((c) => ctx.writing.used.has(c) === reuse);
    // Array items that must reuse units rotate through them, so items still differ.
    if (reuse && candidates.length > 0) {
      const k = (slot.index ?? 0) % candidates.length;
      candidates = [...candidates.slice(k), ...candidates.slice(0, k)];
    }
    for (const c of candidates) {
      if (picked.length >= n) break;
      if (!picked.includes(c)) picked.push(c);
    }
  }
  const checklist = ctx.material.checklist && n > 1;
  const pieces: string[] = [];
  let length = 0;
  for (const c of picked) {
    const text = withFullStop(c.unit.plain);
    const piece =
      c.sourceId !== undefined && c.sourceId !== slot.preferSource ? `${text} [${c.sourceId}]` : text;
    const cost = (checklist ? 6 : 0) + piece.length + (pieces.length === 0 ? 0 : 2);
    if (maxLength !== undefined && length + cost > maxLength && pieces.length > 0) break;
    ctx.writing.used.add(c);
    pieces.push(piece);
    length += cost;
  }
  if (checklist) return pieces.map((p) => `- [ ] ${p}`).join('\n');
  if (n >= 4) {
    const paragraphs: string[] = [];
    for (let i = 0; i < pieces.length; i += 2) paragraphs.push(pieces.slice(i, i + 2).join(' '));
    return paragraphs.join('\n\n');
  }
  return pieces.join(' ');
}

/** Without any source text: the request's own sentences that share most words with the question. */
function backgroundExtract(ctx: Ctx, n: number): string {
  const q = new Set(ctx.questionTerms);
  const ranked = [...ctx.material.sentences]
    .filter((s) => s.text.trim() !== ctx.material.question.trim())
    .map((s) => ({ s, overlap: [...s.terms].filter((t) => q.has(t)).length }))
    .sort((a, b) => b.overlap - a.overlap || a.s.order - b.s.order)
    .map((x) => x.s);
  const fresh = ranked.filter((s) => !ctx.usedSentences.has(s.text));
  const picked = (fresh.length > 0 ? fresh : ranked).slice(0, n);
  for (const s of picked) ctx.usedSentences.add(s.text);
  return picked.map((s) => s.text).join(' ');
}

export function fitString(value: string, s: Schema, slot: Slot, ctx: Ctx): string {
  let out = value;
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  if (out.length === 0 && minLength === 0 && ctx.mode === 'answer')
    out = phraseVariants(ctx.material.question)[0]!;
  if (out.length < minLength) {
    const filler =
      ctx.material.sentences.map((x) => x.text).join(' ') || phraseVariants(ctx.material.question).join('; ');
    out = (out ? `${out} ` : '') + filler;
    while (out.length < minLength) out += ` ${filler || 'n/a'}`;
  }
  if (out.length > maxLength) out = truncateWords(out, maxLength);
  if (out.length < minLength) out = out.padEnd(minLength, '.');
  if (typeof s.pattern === 'string') out = matchPattern(out, s.pattern, slot);
  return out;
}

function matchPattern(value: string, pattern: string, slot: Slot): string {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return value;
  }
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const word = terms(value)[0] ?? 'item';
  const candidates = [
    value,
    slug,
    value.toLowerCase(),
    value.toUpperCase(),
    word,
    word.toUpperCase(),
    `${word}-${(slot.index ?? 0) + 1}`,
    String((slot.index ?? 0) + 1),
  ];
  const simple = sampleSimplePattern(pattern);
  if (simple !== undefined) candidates.push(simple);
  for (const c of candidates) if (re.test(c)) return c;
  return value;
}

/**
 * A string for simple patterns: literals, escapes (\d \w \s), character classes, `.` and
 * quantifiers (? * + {n} {n,m}), anchored or not. Groups and alternation are not supported.
 */
export function sampleSimplePattern(pattern: string): string | undefined {
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  if (p.endsWith('$') && !p.endsWith('\\$')) p = p.slice(0, -1);
  let out = '';
  let i = 0;
  while (i < p.length) {
    let atom: string;
    const ch = p[i]!;
    if (ch === '(' || ch === ')' || ch === '|') return undefined;
    if (ch === '\\') {
      const e = p[i + 1];
      if (e === undefined) return undefined;
      atom = e === 'd' ? '0' : e === 'w' ? 'a' : e === 's' ? ' ' : /[A-Za-z]/.test(e) ? 'a' : e;
      i += 2;
    } else if (ch === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = p.slice(i + 1, end);
      if (body.startsWith('^')) atom = /[a]/.test(body) ? 'z' : 'a';
      else atom = body.startsWith('\\d') ? '0' : body.startsWith('\\w') ? 'a' : body[0]!;
      i = end + 1;
    } else if (ch === '.') {
      atom = 'a';
      i += 1;
    } else {
      atom = ch;
      i += 1;
    }
    let times = 1;
    const q = p[i];
    if (q === '?' || q === '*') {
      times = 0;
      i += 1;
    } else if (q === '+') {
      i += 1;
    } else if (q === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(p.slice(i));
      if (!m) return undefined;
      times = Number(m[1]);
      i += m[0].length;
    }
    out += atom.repeat(times);
  }
  return out;
}
