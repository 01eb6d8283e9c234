import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ResearchClient } from '../../src/client/research.js';
import { packageRoot } from '../../src/common/paths.js';
import type { TemporalSettings } from '../../src/common/temporal-settings.js';
import { resolveTemporalBinary } from '../../src/dev-server/binary.js';
import { waitFor } from '../../src/testing/fixture.js';

export const run = promisify(execFile);
export const steadfastBin = path.join(packageRoot, 'bin', 'steadfast.js');

export const QUESTION = 'How do I add human approval to a durable agent?';
/** Words found nowhere in the corpus: wherever they show, they came from this answer. */
export const ANSWER = 'Approvals come from the Okapi Quillfeather desk within one day';

/** A whole run: clarifying questions answered through the Update, then the report. */
export async function researchRun(research: ResearchClient, requestId: string) {
  const { workflowId } = await research.start({ question: QUESTION, requestId });
  const waiting = await waitFor(
    async () => {
      const s = await research.status(workflowId);
      return s.clarification === 'pending' ? s : undefined;
    },
    60_000,
    'clarifying questions'
  );
  await research.answer(
    workflowId,
    waiting.questions.map(() => ANSWER)
  );
  return { workflowId, result: await research.result(workflowId) };
}

/** `temporal workflow show -o json` of a run, as an operator of the cluster sees it (extra flags: a codec server). */
export async function temporalShow(
  settings: Pick<TemporalSettings, 'address' | 'namespace'>,
  workflowId: string,
  extra: string[] = []
): Promise<string> {
  const binary = await resolveTemporalBinary({ allowDownload: false });
  const { stdout } = await run(
    binary.path,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      '--address',
      settings.address,
      '--namespace',
      settings.namespace,
      ...extra,
    ],
    {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TEMPORAL_CODEC_ENDPOINT: '', TEMPORAL_CODEC_AUTH: '' },
    }
  );
  return stdout;
}

/** Every string of a value, with each byte field (payload data, metadata) read as UTF-8. */
export function allText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) out.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

/**
 * The text an operator reads in `temporal … -o json` output: the CLI prints payload bytes as
 * base64, so each payload's data and metadata are decoded (as the Temporal UI would show them).
 */
export function shownText(json: string): string {
  const out: string[] = [];
  const fromBase64 = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '');
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      if (record.metadata && typeof record.metadata === 'object' && 'data' in record) {
        out.push(fromBase64(record.data), ...Object.values(record.metadata).map(fromBase64));
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(JSON.parse(json));
  return out.join('\n');
}

/** How many payloads of `temporal … -o json` output have each encoding. */
export function shownEncodings(json: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      const metadata = record.metadata as Record<string, string> | undefined;
      if (metadata && typeof metadata === 'object' && 'data' in record) {
        const encoding = Buffer.from(metadata.encoding ?? '', 'base64').toString('utf8');
        counts[encoding] = (counts[encoding] ?? 0) + 1;
      } else Object.values(record).forEach(walk);
    }
  };
  walk(JSON.parse(json));
  return counts;
}
