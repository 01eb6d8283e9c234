/**
 * Every request body the offline model server receives, as JSONL, when asked for
 * (`STEADFAST_MODEL_BODY_LOG=FILE` or the `bodyLogFile` option): the exact inputs of its
 * decisions, so that a change to the offline writer can be replayed against recorded research runs
 * in seconds (bench/eval/writer-replay.ts). Bodies hold prompts and corpus text, never API keys
 * (those travel in headers).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export type BodyLog = (body: Record<string, unknown>) => void;

export function bodyLogTo(file: string): BodyLog {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return (body) => appendFileSync(file, `${JSON.stringify(body)}\n`);
}
