/**
 * Generates a JSON instance for an arbitrary JSON schema from the material of a request, and
 * validates it with ajv. Used for structured answers (`text.format` / `response_format`) and
 * for tool-call arguments (`mode: 'args'`).
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { rankSentences, valuesForKey, type Material } from './material.js';
import {
  canonicalJson,
  identifierWords,
  phraseVariants,
  sha256,
  terms,
  titleCase,
  truncateWords,
} from './text.js';

const require = createRequire(import.meta.url);
// ajv ships CommonJS; loading it through require avoids default-export interop differences.
const AjvDraft7 = require('ajv').default as new (opts: object) => AjvLike;
const Ajv2019 = require('ajv/dist/2019.js').default as new (opts: object) => AjvLike;
const Ajv2020 = require('ajv/dist/2020.js').default as new (opts: object) => AjvLike;
const addFormats = require('ajv-formats').default as (ajv: AjvLike) => void;

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, any>;

export interface FillOptions {
  mode: 'answer' | 'args';
  /** args mode: values already passed per key in earlier calls of the same tool. */
  usedValues?: Map<string, Set<string>>;
}

export interface FillResult {
  value: Json;
  valid: boolean;
  errors?: string;
}

interface Ctx {
  root: Schema;
  material: Material;
  mode: 'answer' | 'args';
  minimal: boolean;
  usedSentences: Set<string>;
  usedValues: Map<string, Set<string>>;
  questionTerms: string[];
}

interface Slot {
  key: string;
  description: string;
  parentKey?: string;
  /** Position when inside an array. */
  index?: number;
  preferSource?: string;
}

const LONG_KEYS: Record<string, number> = {
  markdown: 6,
  body: 6,
  report: 6,
  content: 4,
  analysis: 4,
  answer: 3,
  summary: 3,
  text: 3,
  details: 3,
  explanation: 3,
  overview: 3,
  notes: 3,
  description: 2,
};
const SHORT_WORDS = new Set(
  'title query queries name names keyword keywords label heading topic topics tag tags term terms subject search searches headline slug'.split(
    ' '
  )
);
const QUERY_WORDS = new Set(
  'query queries q search searches keyword keywords term terms topic topics phrase'.split(' ')
);
const INDEX_KEYS = new Set(['n', 'index', 'number', 'position', 'rank', 'order', 'step', 'num', 'idx', 'no']);
const ID_LIKE = /^(id|source|path|url|uri|href|file|filename|doc|document)$|(Id|_id|ID|Ids|Path|Url|URL)$/;

let validatorCache = new Map<string, ValidateFunction | null>();

function validatorFor(schema: Schema): ValidateFunction | null {
  const key = canonicalJson(schema);
  if (validatorCache.has(key)) return validatorCache.get(key)!;
  if (validatorCache.size > 200) validatorCache = new Map();
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const { $schema: _ignored, ...body } = schema;
  const Ctor = declared.includes('2020-12') ? Ajv2020 : declared.includes('2019-09') ? Ajv2019 : AjvDraft7;
  let fn: ValidateFunction | null;
  try {
    const ajv = new Ctor({ strict: false, allErrors: false, validateSchema: false });
    addFormats(ajv);
    fn = ajv.compile(body);
  } catch {
    fn = null; // schema ajv cannot compile: best effort without validation
  }
  validatorCache.set(key, fn);
  return fn;
}

/** Validates `value` against `schema`; `null` errors means valid (or not checkable). */
export function validateAgainst(schema: Schema, value: unknown): string | null {
  const fn = validatorFor(schema);
  if (!fn) return null;
  if (fn(value)) return null;
  return (
    (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`).join('; ') || 'invalid'
  );
}

/**
 * Fills `schema` from `material`. Tries a rich instance first, then a minimal one; reports
 * whether the result validates.
 */
export function fillSchema(schema: Schema, material: Material, options: FillOptions): FillResult {
  const base = {
    root: schema,
    material,
    mode: options.mode,
    usedValues: options.usedValues ?? new Map<string, Set<string>>(),
    questionTerms: terms(material.question),
  };
  const rich = fill(
    schema,
    { key: '', description: '' },
    { ...base, minimal: false, usedSentences: new Set() },
    0
  );
  const errors = validateAgainst(schema, rich);
  if (errors === null) return { value: rich, valid: true };
  const minimal = fill(
    schema,
    { key: '', description: '' },
    { ...base, minimal: true, usedSentences: new Set() },
    0
  );
  if (validateAgainst(schema, minimal) === null) return { value: minimal, valid: true };
  return { value: rich, valid: false, errors };
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#')) return {};
  const parts = ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: any = root;
  for (const p of parts) node = node?.[p];
  return node && typeof node === 'object' ? (node as Schema) : {};
}

/** Inlines `$ref` and `allOf` at the top of a schema node (siblings win over the target). */
function resolve(schema: Schema | boolean | undefined, root: Schema, guard = 0): Schema {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return { not: {} };
  let s: Schema = schema;
  if (typeof s.$ref === 'string' && guard < 20) {
    const { $ref, ...rest } = s;
    s = { ...resolve(resolveRef($ref, root), root, guard + 1), ...rest };
  }
  if (Array.isArray(s.allOf) && guard < 20) {
    const { allOf, ...rest } = s;
    let merged: Schema = {};
    for (const part of allOf as Schema[]) {
      const r = resolve(part, root, guard + 1);
      merged = {
        ...merged,
        ...r,
        properties: { ...(merged.properties ?? {}), ...(r.properties ?? {}) },
        required: [...(merged.required ?? []), ...(r.required ?? [])],
      };
    }
    s = { ...merged, ...rest };
    if (Object.keys(s.properties ?? {}).length === 0 && !rest.properties) delete s.properties;
    if ((s.required ?? []).length === 0 && !rest.required) delete s.required;
  }
  return s;
}

function schemaType(s: Schema, ctx: Ctx, depth: number): string {
  if (Array.isArray(s.type)) {
    const nonNull = (s.type as string[]).filter((t) => t !== 'null');
    if (nonNull.length === 0) return 'null';
    if (depth > 8 && s.type.includes('null')) return 'null';
    return nonNull[0]!;
  }
  if (typeof s.type === 'string') return s.type;
  if (s.properties || s.additionalProperties || s.required) return 'object';
  if (s.items || s.prefixItems) return 'array';
  if (s.minimum !== undefined || s.maximum !== undefined) return 'number';
  void ctx;
  return 'string';
}

function fill(raw: Schema | boolean | undefined, slot: Slot, ctx: Ctx, depth: number): Json {
  const s = resolve(raw, ctx.root);
  const description = typeof s.description === 'string' ? s.description : slot.description;
  const here: Slot = { ...slot, description };
  if ('const' in s) return s.const as Json;
  if (Array.isArray(s.enum) && s.enum.length > 0) return pickEnum(s.enum as Json[], here, ctx);
  const options = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(options) && options.length > 0) {
    const resolved = options.map((o) => resolve(o, ctx.root));
    const isNull = (o: Schema) =>
      o.type === 'null' || (Array.isArray(o.enum) && o.enum.length === 1 && o.enum[0] === null);
    const nonNull = resolved.filter((o) => !isNull(o));
    const { anyOf: _a, oneOf: _o, ...siblings } = s;
    if (nonNull.length === 0) return null;
    if (depth > 8 && nonNull.length < resolved.length) return null;
    return fill({ ...siblings, ...nonNull[0] }, here, ctx, depth);
  }
  switch (schemaType(s, ctx, depth)) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return fillNumber(s, here, ctx);
    case 'array':
      return fillArray(s, here, ctx, depth);
    case 'object':
      return fillObject(s, here, ctx, depth);
    default:
      return fillString(s, here, ctx);
  }
}

function pickEnum(values: Json[], slot: Slot, ctx: Ctx): Json {
  const nonNull = values.filter((v) => v !== null);
  const pool = nonNull.length > 0 ? nonNull : values;
  if (ctx.mode === 'answer' && slot.index !== undefined) return pool[slot.index % pool.length]!;
  return pool[0]!;
}

function fillNumber(s: Schema, slot: Slot, ctx: Ctx): number {
  const integer = s.type === 'integer' || (Array.isArray(s.type) && s.type.includes('integer'));
  const words = identifierWords(slot.key);
  let min = typeof s.minimum === 'number' ? s.minimum : -Infinity;
  let max = typeof s.maximum === 'number' ? s.maximum : Infinity;
  if (typeof s.exclusiveMinimum === 'number') min = Math.max(min, s.exclusiveMinimum + (integer ? 1 : 1e-6));
  if (typeof s.exclusiveMaximum === 'number') max = Math.min(max, s.exclusiveMaximum - (integer ? 1 : 1e-6));
  let value: number | undefined;
  if (slot.index !== undefined && INDEX_KEYS.has(slot.key.toLowerCase())) value = slot.index + 1;
  if (value === undefined) {
    const bound = valuesForKey(ctx.material, slot.key).filter((v): v is number => typeof v === 'number');
    if (bound.length > 0 && ctx.mode === 'args') value = firstUnused(bound, slot.key, ctx) as number;
  }
  if (value === undefined) {
    if (Number.isFinite(min)) value = min;
    else if (words.some((w) => /^(limit|max|count|k|top|size|results)$/.test(w))) value = 5;
    else value = 1;
  }
  if (value > max) value = Number.isFinite(min) ? Math.max(min, max) : max;
  if (value < min) value = min;
  if (integer) value = Math.ceil(value - 1e-9);
  if (integer && value > max) value = Math.floor(max);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    value = Math.ceil(value / s.multipleOf - 1e-9) * s.multipleOf;
    if (value > max) value = Math.floor(max / s.multipleOf) * s.multipleOf;
  }
  return value;
}

function firstUnused(
  values: Array<string | number | boolean>,
  key: string,
  ctx: Ctx
): string | number | boolean {
  const used = ctx.usedValues.get(key);
  for (const v of values) if (!used?.has(String(v))) return v;
  return values[0]!;
}

function fillArray(s: Schema, slot: Slot, ctx: Ctx, depth: number): Json[] {
  const minItems = typeof s.minItems === 'number' ? s.minItems : 0;
  const maxItems = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
  const tuple: Schema[] | undefined = Array.isArray(s.prefixItems)
    ? s.prefixItems
    : Array.isArray(s.items)
      ? s.items
      : undefined;
  const itemSchema: Schema | boolean | undefined = tuple
    ? (s.additionalItems ?? (Array.isArray(s.items) ? undefined : s.items))
    : s.items;
  let count: number;
  if (ctx.mode === 'args' || ctx.minimal || depth > 6) {
    count = Math.max(minItems, ctx.minimal || depth > 6 ? minItems : 1);
  } else {
    count = 3;
    const bound = boundCount(itemSchema, slot, ctx);
    if (bound > 0) count = Math.min(bound, 5);
    count = Math.max(count, minItems, 1);
  }
  if (tuple) count = Math.max(count, tuple.length);
  count = Math.min(count, maxItems);
  const out: Json[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const schemaI = tuple && i < tuple.length ? tuple[i] : itemSchema;
    let item: Json = null;
    for (let attempt = 0; attempt < 4; attempt++) {
      const index = i + attempt * count;
      item = fill(
        schemaI,
        { key: slot.key, description: slot.description, parentKey: slot.key, index },
        ctx,
        depth + 1
      );
      if (!s.uniqueItems || !seen.has(canonicalJson(item))) break;
    }
    seen.add(canonicalJson(item));
    out.push(item);
  }
  return out;
}

/** How many distinct material values the array's items could bind to (e.g. one per sourceId). */
function boundCount(itemSchema: Schema | boolean | undefined, slot: Slot, ctx: Ctx): number {
  const item = resolve(itemSchema, ctx.root);
  if (item.properties && typeof item.properties === 'object') {
    let best = 0;
    for (const key of Object.keys(item.properties)) {
      if (!ID_LIKE.test(key)) continue;
      best = Math.max(best, valuesForKey(ctx.material, key).length);
    }
    return best;
  }
  if (item.type === 'string' || item.type === undefined) {
    const single = slot.key.replace(/s$/, '');
    const bound = ID_LIKE.test(single) ? valuesForKey(ctx.material, single).length : 0;
    return Math.max(bound, isSourceListKey(slot.key) ? ctx.material.sourceIds.length : 0);
  }
  return 0;
}

/** Keys naming a list of sources (`sources`, `citations`, `sourceIds`, `references`). */
function isSourceListKey(key: string): boolean {
  return identifierWords(key).some((w) => /^(sources?|citations?|references?|refs?|ids|sourceids)$/.test(w));
}

function fillObject(s: Schema, slot: Slot, ctx: Ctx, depth: number): { [k: string]: Json } {
  const props: Record<string, Schema> = s.properties && typeof s.properties === 'object' ? s.properties : {};
  const required: string[] = Array.isArray(s.required) ? s.required : [];
  const keys = Object.keys(props);
  for (const r of required) if (!keys.includes(r)) keys.push(r);
  const include = ctx.minimal || depth > 6 ? keys.filter((k) => required.includes(k)) : keys;
  // Id-bound keys first so that sibling text can come from the same source.
  const ordered = [...include].sort((a, b) => Number(!ID_LIKE.test(a)) - Number(!ID_LIKE.test(b)));
  const out: { [k: string]: Json } = {};
  let preferSource = slot.preferSource;
  for (const key of ordered) {
    const schema: Schema | boolean =
      props[key] ??
      (s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : {});
    const value = fill(
      schema,
      { key, description: '', parentKey: slot.key, index: slot.index, preferSource },
      ctx,
      depth + 1
    );
    out[key] = value;
    if (typeof value === 'string' && ctx.material.sourceIds.includes(value)) preferSource = value;
  }
  return Object.fromEntries(include.map((k) => [k, out[k]!]));
}

function keyKind(slot: Slot): 'question' | 'followup' | 'short' | 'long' | 'plain' {
  const words = identifierWords(slot.key);
  const described = slot.description.toLowerCase();
  // Follow-ups are questions for later research, not questions to the asker.
  if (
    words.includes('follow') ||
    (/\bquestions?\b/.test(described) && /\b(next|later|follow)/.test(described))
  )
    return 'followup';
  if (words.some((w) => w === 'question' || w === 'questions') || /^questions?\b/.test(described))
    return 'question';
  if (words.some((w) => SHORT_WORDS.has(w))) return 'short';
  if (words.some((w) => w in LONG_KEYS)) return 'long';
  return 'plain';
}

const QUESTION_TEMPLATES: Array<(t: string) => string> = [
  (t) => `Which aspect of ${t} matters most to you?`,
  (t) => `What constraints (time, budget, tools) apply to ${t}?`,
  (t) => `What is your current starting point regarding ${t}?`,
  (t) => `What would a good outcome for ${t} look like?`,
  (t) => `Are there sources or options on ${t} you want included or excluded?`,
  (t) => `Who is the intended audience for ${t}?`,
];

const FOLLOW_UP_TEMPLATES: Array<(t: string) => string> = [
  (t) => `How does ${t} behave when something fails?`,
  (t) => `What are the limits and trade-offs of ${t}?`,
  (t) => `How can ${t} be tested before production?`,
  (t) => `What does ${t} cost to operate at scale?`,
  (t) => `Which alternatives to ${t} are worth comparing?`,
];

function fillString(s: Schema, slot: Slot, ctx: Ctx): string {
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

  // Answer mode.
  if (kind !== 'long' && kind !== 'question' && kind !== 'followup' && !ctx.minimal) {
    const bound = valuesForKey(m, slot.key);
    if (bound.length > 0) return String(bound[index % bound.length]);
    if (isSourceListKey(slot.key) && m.sourceIds.length > 0) return m.sourceIds[index % m.sourceIds.length]!;
  }
  if (kind === 'question' || kind === 'followup') {
    const v = phraseVariants(m.question || m.topTerms.join(' '), m.topTerms, 3);
    const templates = kind === 'question' ? QUESTION_TEMPLATES : FOLLOW_UP_TEMPLATES;
    return templates[index % templates.length]!(v[index % v.length]!);
  }
  if (kind === 'short' || ctx.minimal) {
    const v = variants();
    const phrase = v[index % v.length]!;
    return identifierWords(slot.key).some((w) => w === 'title' || w === 'heading' || w === 'headline')
      ? titleCase(phrase)
      : phrase;
  }
  const words = identifierWords(slot.key);
  let n = kind === 'long' ? Math.max(...words.map((w) => LONG_KEYS[w] ?? 0)) : 1;
  if (words.includes('short') || words.includes('brief')) n = Math.min(n, 2);
  return extract(slot, ctx, n, typeof s.maxLength === 'number' ? s.maxLength : undefined);
}

/** Extractive text: the best `n` sentences for the slot, each cited with its source id. */
function extract(slot: Slot, ctx: Ctx, n: number, maxLength?: number): string {
  const query = new Map<string, number>();
  for (const t of ctx.questionTerms) query.set(t, 1.5);
  const keyTerms = [...terms(identifierWords(slot.key).join(' ')), ...terms(slot.description)];
  if (slot.parentKey) keyTerms.push(...terms(identifierWords(slot.parentKey).join(' ')));
  for (const t of keyTerms) query.set(t, (query.get(t) ?? 0) + 2);
  const ranked = rankSentences(ctx.material, query, ctx.usedSentences, slot.preferSource);
  // Source material first (instructions and the question itself only when there is nothing
  // else); fresh sentences first, then ones already said in another field.
  const hasSource = ranked.some((x) => !x.background);
  let pool = hasSource ? ranked.filter((x) => !x.background) : ranked;
  // A text beside a source id (e.g. a citation's quote) comes from that source.
  const fromPreferred = pool.filter(
    (x) => slot.preferSource !== undefined && x.sourceId === slot.preferSource
  );
  if (fromPreferred.length > 0) pool = fromPreferred;
  const picked: typeof ranked = [];
  const texts = new Set<string>();
  for (const reuse of [false, true]) {
    let candidates = pool.filter((x) => ctx.usedSentences.has(x.text) === reuse);
    // Array items that must reuse sentences rotate through them, so items still differ.
    if (reuse && candidates.length > 0) {
      const k = (slot.index ?? 0) % candidates.length;
      candidates = [...candidates.slice(k), ...candidates.slice(0, k)];
    }
    for (const sentence of candidates) {
      if (picked.length >= n) break;
      if (texts.has(sentence.text)) continue;
      texts.add(sentence.text);
      picked.push(sentence);
    }
  }
  if (picked.length === 0) return '';
  const checklist = ctx.material.checklist && n > 1;
  const longForm = n >= 4;
  const pieces: string[] = [];
  let length = 0;
  for (const sentence of picked) {
    const cite = sentence.sourceId !== undefined && sentence.sourceId !== slot.preferSource;
    const piece = cite ? `${sentence.text} [${sentence.sourceId}]` : sentence.text;
    const sep = pieces.length === 0 ? 0 : checklist ? 1 : 2;
    const cost = (checklist ? 6 : 0) + piece.length + sep;
    if (maxLength !== undefined && length + cost > maxLength && pieces.length > 0) break;
    ctx.usedSentences.add(sentence.text);
    pieces.push(piece);
    length += cost;
  }
  if (checklist) return pieces.map((p) => `- [ ] ${p}`).join('\n');
  if (longForm) {
    const paragraphs: string[] = [];
    for (let i = 0; i < pieces.length; i += 2) paragraphs.push(pieces.slice(i, i + 2).join(' '));
    return paragraphs.join('\n\n');
  }
  return pieces.join(' ');
}

function fitString(value: string, s: Schema, slot: Slot, ctx: Ctx): string {
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
