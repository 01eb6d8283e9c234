import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { UserError } from '../../common/errors.js';
import type { PayloadView } from '../../common/timeline-types.js';
import { bytes, formatTimeline } from '../../client/timeline/format.js';
import { loadTimeline } from '../../client/timeline/load.js';
import { MAX_VIEW_BYTES, viewPayload } from '../../client/timeline/payload-view.js';
import { openEnvironment } from '../environment.js';

interface InspectOptions {
  json?: boolean;
  run?: string;
  payload?: string;
  maxBytes?: string;
}

/** `--payload 12/input` → event 12, field input. */
function parsePayloadOption(value: string): { eventId: number; field: 'input' | 'result' } {
  const m = /^(\d+)\/(input|result)$/.exec(value.trim());
  if (!m)
    throw new UserError(
      `--payload ${JSON.stringify(value)} is not <eventId>/input or <eventId>/result`,
      'the timeline shows, on each step, the event that records its input and result, e.g. --payload 5/input'
    );
  return { eventId: Number(m[1]), field: m[2] as 'input' | 'result' };
}

function parseMaxBytes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_VIEW_BYTES)
    throw new UserError(
      `--max-bytes ${JSON.stringify(value)} is not a number of bytes from 1 to ${MAX_VIEW_BYTES}`
    );
  return n;
}

/** The decoded payload for the terminal: where it lives, then its JSON. */
function formatPayloadView(view: PayloadView): string {
  const lines = [`${view.step}: ${view.field} (event ${view.eventId} ${view.eventType}, run ${view.runId})`];
  for (const p of view.payloads) {
    const where =
      p.location === 'stored' ? `stored in ${p.store}, sha256 ${p.sha256}` : 'inline in the event history';
    lines.push(`payload ${p.index}: ${bytes(p.sizeBytes)}, ${where}${p.encoding ? `, ${p.encoding}` : ''}`);
    if (p.state === 'missing') lines.push(`MISSING: ${p.note}`);
    else if (p.state === 'unreadable') lines.push(`not shown: ${p.note}`);
    else {
      if (p.note) lines.push(p.note);
      lines.push(p.state === 'ok' ? JSON.stringify(p.value, null, 2) : `${p.text ?? ''}…`);
    }
  }
  return lines.join('\n');
}

async function latestRunId(client: Client, workflowId: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).runId;
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError')
      throw new UserError(`no run with id ${workflowId}`, '`npx steadfast list` shows recent runs');
    throw err;
  }
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description(
      "Print a run's timeline: each durable step from its event history, joined with the trace spans inside it, " +
        'with the history size of each run and where each step’s input and result are stored.'
    )
    .argument('<workflowId>')
    .option('--json', 'print the joined timeline (or the payload) as JSON')
    .option('--run <runId>', 'a run of the chain other than the latest (the workflow continued as new)')
    .option('--payload <eventId/field>', 'print the decoded input or result an event records, e.g. 5/input')
    .option('--max-bytes <n>', 'with --payload: bytes of content shown at most (default 256 KiB)')
    .action(async (workflowId: string, opts: InspectOptions) => {
      const wanted = opts.payload ? parsePayloadOption(opts.payload) : undefined;
      const maxBytes = parseMaxBytes(opts.maxBytes);
      const env = await openEnvironment({ worker: false });
      try {
        if (wanted) {
          const runId = opts.run ?? (await latestRunId(env.client, workflowId));
          const view = await viewPayload(env.client, { workflowId, runId, ...wanted, maxBytes });
          process.stdout.write(opts.json ? `${JSON.stringify(view)}\n` : `${formatPayloadView(view)}\n`);
          return;
        }
        const timeline = await loadTimeline(env.client, env.settings, workflowId, { runId: opts.run });
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(timeline)}\n`
            : `${formatTimeline(timeline, { status: timeline.execution })}\n`
        );
      } finally {
        await env.close();
      }
    });
}
