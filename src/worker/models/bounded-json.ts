import type { Model, ModelRequest, StreamEvent } from '@openai/agents-core';

// The agents' schemas have no length keywords (strict structured outputs reject them). A server
// that enforces a schema with a grammar then lets a small model loop inside one string until the
// output cap cuts the JSON off. With bounds, the grammar closes each string and the object
// completes; the bounded object still matches the agent's own schema.

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(node: Schema, type: string): boolean {
  return node.type === type || (Array.isArray(node.type) && node.type.includes(type));
}

/** Keys whose value maps names to schemas (not keywords to schemas). */
const NAMED = new Set(['properties', '$defs', 'definitions']);

/** A copy of `node` with `fix` applied to every sub-schema, leaves first. */
function mapSchema(node: unknown, fix: (s: Schema) => Schema): unknown {
  if (Array.isArray(node)) return node.map((n) => mapSchema(n, fix));
  if (!isSchema(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      NAMED.has(key) && isSchema(value)
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, mapSchema(sub, fix)]))
        : mapSchema(value, fix);
  }
  return fix(out);
}

const free = (s: Schema) => s.enum === undefined && s.const === undefined;

/**
 * Loop protection for every call: each free string gets `maxLength` (unless it has one) and each
 * array `maxItems`, generous enough not to shorten a real answer.
 */
export function boundedSchema(schema: Schema, maxLength: number, maxItems = 16): Schema {
  return mapSchema(schema, (s) => {
    if (free(s) && hasType(s, 'string') && s.maxLength === undefined) s.maxLength = maxLength;
    if (hasType(s, 'array') && s.maxItems === undefined) s.maxItems = maxItems;
    return s;
  }) as Schema;
}

/** Characters per string for loop protection: about 40% of the output cap at 3–4 characters a token. */
export function stringBound(maxOutputTokens: number): number {
  return Math.max(200, Math.floor(maxOutputTokens * 1.5));
}

const ITEMS_WHEN_FITTING = 8;

/**
 * A schema whose every answer fits in `maxOutputTokens`: the character budget (3 a token, less a
 * fifth for the JSON around the strings) is split evenly between an object's properties, and an
 * array's share between its items (at most 8). Used for the repair turn of a reply that the cap cut
 * off, where fitting matters more than length.
 */
export function fittingSchema(schema: Schema, maxOutputTokens: number): Schema {
  const fit = (node: unknown, chars: number): unknown => {
    if (!isSchema(node)) return node;
    const out: Schema = { ...node };
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      if (Array.isArray(node[key])) out[key] = (node[key] as unknown[]).map((alt) => fit(alt, chars));
    }
    if (free(node) && hasType(node, 'string')) {
      const bound = Math.max(16, Math.floor(chars));
      out.maxLength = typeof node.maxLength === 'number' ? Math.min(node.maxLength, bound) : bound;
    }
    if (hasType(node, 'array')) {
      const floor = typeof node.minItems === 'number' ? node.minItems : 0;
      const items = Math.max(
        floor,
        Math.min(typeof node.maxItems === 'number' ? node.maxItems : ITEMS_WHEN_FITTING, ITEMS_WHEN_FITTING)
      );
      out.maxItems = items;
      out.items = fit(node.items, chars / Math.max(items, 1));
    }
    if (isSchema(node.properties)) {
      const names = Object.keys(node.properties);
      const share = chars / Math.max(names.length, 1);
      out.properties = Object.fromEntries(names.map((n) => [n, fit((node.properties as Schema)[n], share)]));
    }
    return out;
  };
  return fit(schema, maxOutputTokens * 3 * 0.8) as Schema;
}

function withSchema(request: ModelRequest, bound: (schema: Schema, cap: number) => Schema): ModelRequest {
  const { outputType } = request;
  if (outputType === 'text' || outputType.type !== 'json_schema') return request;
  const cap = request.modelSettings?.maxTokens;
  if (cap === undefined) return request;
  const schema = bound(outputType.schema as Schema, cap) as typeof outputType.schema;
  return { ...request, outputType: { ...outputType, schema } };
}

/** The repair turn's request for a reply the cap cut off: a schema whose answers fit (fittingSchema). */
export function fittingRequest(request: ModelRequest, maxOutputTokens: number): ModelRequest {
  const capped = request.modelSettings?.maxTokens
    ? request
    : { ...request, modelSettings: { ...request.modelSettings, maxTokens: maxOutputTokens } };
  return withSchema(capped, fittingSchema);
}

/**
 * Bounds the strings and arrays of a request's JSON schema (boundedSchema), for local servers that
 * enforce `response_format` with a grammar. Not for OpenAI, whose strict mode rejects the keywords.
 * Sits inside CallLimits, so the request already carries its output cap.
 */
export class BoundedJson implements Model {
  constructor(private readonly inner: Model) {}

  private bounded(request: ModelRequest): ModelRequest {
    return withSchema(request, (schema, cap) => boundedSchema(schema, stringBound(cap)));
  }

  getResponse(request: ModelRequest) {
    return this.inner.getResponse(this.bounded(request));
  }

  getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    return this.inner.getStreamedResponse(this.bounded(request));
  }
}
