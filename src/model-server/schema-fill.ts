/**
 * Generates a JSON instance for an arbitrary JSON schema from the material of a request, and
 * validates it with ajv. Used for structured answers (`text.format` / `response_format`) and
 * for tool-call arguments (`mode: 'args'`).
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { evidenceFor, rankedPassages } from './evidence.js';
import {
  ID_LIKE,
  INDEX_KEYS,
  isQueryField,
  isSourceListKey,
  keyKind,
  type Ctx,
  type Json,
  type Schema,
  type Slot,
  type Writing,
} from './fill-context.js';
import { judgeRecord, recordId, recordsOf, type JsonRecord } from './judge.js';
import { valuesForKey, type Material } from './material.js';
import { fillString, firstUnused } from './string-fill.js';
import { planSearches } from './search-plan.js';
import { followUpList } from './text-fields.js';
import { canonicalJson, identifierWords, terms } from './text.js';

export { sampleSimplePattern } from './string-fill.js';

const require = createRequire(import.meta.url);
// ajv ships CommonJS; loading it through require avoids default-export interop differences.
const AjvDraft7 = require('ajv').default as new (opts: object) => AjvLike;
const Ajv2019 = require('ajv/dist/2019.js').default as new (opts: object) => AjvLike;
const Ajv2020 = require('ajv/dist/2020.js').default as new (opts: object) => AjvLike;
const addFormats = require('ajv-formats').default as (ajv: AjvLike) => void;

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

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
  const fresh = () => ({
    usedSentences: new Set<string>(),
    writing: { used: new Set(), lists: new Map() } as Writing,
  });
  const rich = fill(schema, { key: '', description: '' }, { ...base, minimal: false, ...fresh() }, 0);
  const errors = validateAgainst(schema, rich);
  if (errors === null) return { value: rich, valid: true };
  const minimal = fill(schema, { key: '', description: '' }, { ...base, minimal: true, ...fresh() }, 0);
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
      // An item about a record of the request (a claim to check) answers for that record.
      return slot.record && ctx.mode === 'answer' ? judgeRecord(slot.record).supported : true;
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
  const own = slot.record?.[slot.key];
  if (typeof own === 'number') value = own;
  else if (slot.index !== undefined && INDEX_KEYS.has(slot.key.toLowerCase())) value = slot.index + 1;
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
  const planned =
    ctx.mode === 'answer' && !ctx.minimal && depth <= 6 && !tuple
      ? itemsFor(itemSchema, slot, ctx, (n) => Math.min(Math.max(n, minItems, 1), maxItems))
      : undefined;
  if (planned) count = planned.length;
  const out: Json[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const schemaI = tuple && i < tuple.length ? tuple[i] : itemSchema;
    let item: Json = null;
    for (let attempt = 0; attempt < 4; attempt++) {
      const index = i + attempt * count;
      item = fill(
        schemaI,
        { key: slot.key, description: slot.description, parentKey: slot.key, index, ...planned?.[i] },
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

/**
 * Arrays whose items are written as a whole: a search plan (items with a query field), one item
 * per record of the request (verdicts on its claims), follow-up questions, and the source ids
 * that best answer the question. Each item's extra slot fields, or undefined for other arrays.
 */
function itemsFor(
  itemSchema: Schema | boolean | undefined,
  slot: Slot,
  ctx: Ctx,
  clamp: (n: number) => number
): Array<Partial<Slot>> | undefined {
  const item = resolve(itemSchema, ctx.root);
  const props = item.properties && typeof item.properties === 'object' ? Object.keys(item.properties) : [];
  const cycle = <T>(list: T[], n: number): T[] => Array.from({ length: n }, (_, i) => list[i % list.length]!);
  if (props.some(isQueryField)) {
    const plan = planSearches(ctx.material.ask, clamp(3));
    return plan.length > 0 ? cycle(plan, clamp(plan.length)).map((p) => ({ planned: p })) : undefined;
  }
  if (props.length > 0) {
    const records: JsonRecord[] = recordsOf(ctx.material);
    const idKeys = props.filter((k) => ID_LIKE.test(k) || /^(?:n|index|number)$/i.test(k));
    if (records.length > 0 && idKeys.some((k) => records.some((r) => k in r && recordId(r) !== undefined)))
      return cycle(records, clamp(records.length)).map((record) => ({ record }));
    return undefined;
  }
  if (item.type !== 'string' && item.type !== undefined) return undefined;
  let list: string[] = [];
  if (keyKind({ key: slot.key, description: slot.description }) === 'followup')
    list = followUpList(ctx, clamp(3));
  else if (isSourceListKey(slot.key)) list = relevantSourceIds(ctx);
  if (list.length === 0) return undefined;
  const n = clamp(list.length);
  ctx.writing.lists.set(slot.key, cycle(list, n));
  return Array.from({ length: n }, () => ({}));
}

/** Source ids of the passages that answer the question, best first (all ids when none scores). */
function relevantSourceIds(ctx: Ctx): string[] {
  const ranked = rankedPassages(evidenceFor(ctx.material)).filter((r) => r.passage.sourceId !== undefined);
  const top = ranked[0]?.score ?? 0;
  if (top <= 0) return [];
  // Every passage that is relevant (scores are squared: 0.15 is about 40% of the best coverage).
  const ids = ranked.filter((r) => r.score >= top * 0.15).map((r) => r.passage.sourceId!);
  return [...new Set(ids)].slice(0, 6);
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
      {
        key,
        description: '',
        parentKey: slot.key,
        index: slot.index,
        preferSource,
        planned: slot.planned,
        record: slot.record,
      },
      ctx,
      depth + 1
    );
    out[key] = value;
    if (typeof value === 'string' && ctx.material.sourceIds.includes(value)) preferSource = value;
  }
  return Object.fromEntries(include.map((k) => [k, out[k]!]));
}
