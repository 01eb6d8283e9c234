import type { Context } from 'hono';
import { HttpError } from './errors.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** Deeper than any body this API takes; deeper input is refused before it reaches a validator. */
export const MAX_JSON_DEPTH = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Depth of a parsed JSON value, walked without recursion (a deep value must not blow the stack). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, depth);
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * The body as a JSON object: Content-Type application/json, UTF-8, valid JSON, an object at the
 * top, at most MAX_JSON_DEPTH levels deep. An empty body is `{}`. Each failure is a 4xx with a fix.
 */
export async function jsonObjectBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, 'send the body as JSON (Content-Type: application/json)');
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch (err) {
    if (err instanceof TypeError)
      throw new HttpError(400, 'the request body is not valid UTF-8', 'send JSON encoded as UTF-8');
    throw err;
  }
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the request body is not valid JSON (${(err as Error).message.slice(0, 120)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, `the request body must be a JSON object, not ${describe(value)}`);
  if (jsonDepth(value) > MAX_JSON_DEPTH)
    throw new HttpError(400, `the request body is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`);
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Refuses fields the endpoint does not take, naming them and the ones it does. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new HttpError(
      400,
      `invalid ${what}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown
        .slice(0, 5)
        .map((k) => JSON.stringify(k.slice(0, 60)))
        .join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`,
      `the fields are: ${allowed.join(', ')}`
    );
}

/** Zod issues as one line: `path: message; …`. */
export function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`)
    .join('; ');
}
