// How much history a run holds (Temporal's own count, the one its 50 MB limit applies to) and how
// much it keeps in the payload store; for a workflow that continues as new, the whole chain of runs.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { storedReferencesOf } from '../../common/payload-storage/references.js';
import type { RunChain, RunHistorySize } from '../../common/timeline-types.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Runs read around the shown one, at most: a chain longer than that is counted in part, and says so. */
export const MAX_CHAIN_RUNS = 50;

/** A run's figures with its links to the runs before and after it in the chain. */
interface LinkedRun {
  size: RunHistorySize;
  previous?: string;
  next?: string;
}

/** A closed run never changes: its figures are kept, so a timeline polled every few seconds reads each once. */
const closedRuns = new Map<string, LinkedRun>();
const MAX_CACHED = 2000;

/** The figures of one run, from its description (bytes, events) and its history (references). */
export function runHistorySize(
  description: WorkflowExecutionDescription,
  events: HistoryEvent[]
): RunHistorySize {
  const refs = storedReferencesOf(events);
  return {
    runId: description.runId,
    execution: description.status.name,
    startTime: description.startTime.toISOString(),
    ...(description.closeTime ? { closeTime: description.closeTime.toISOString() } : {}),
    // historySize is undefined when the server predates it (< 1.20): the raw field then reads 0 too.
    historyBytes: description.historySize ?? 0,
    events: description.historyLength || events.length,
    storedPayloads: refs.length,
    storedBytes: refs.reduce((sum, r) => sum + r.sizeBytes, 0),
  };
}

/** The runs a history links to: the one it continued (or retried) and the one it continued as. */
function links(events: HistoryEvent[]): { previous?: string; next?: string } {
  const previous = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  const last = events.at(-1);
  const next =
    last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ||
    last?.workflowExecutionCompletedEventAttributes?.newExecutionRunId ||
    last?.workflowExecutionFailedEventAttributes?.newExecutionRunId ||
    last?.workflowExecutionTimedOutEventAttributes?.newExecutionRunId ||
    undefined;
  return { previous, next };
}

function linked(description: WorkflowExecutionDescription, events: HistoryEvent[]): LinkedRun {
  return { size: runHistorySize(description, events), ...links(events) };
}

async function readRun(client: Client, workflowId: string, runId: string): Promise<LinkedRun> {
  const key = `${client.options.namespace}/${workflowId}/${runId}`;
  const cached = closedRuns.get(key);
  if (cached) return cached;
  const handle = client.workflow.getHandle(workflowId, runId);
  const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  const run = linked(description, history.events ?? []);
  if (description.closeTime) {
    if (closedRuns.size >= MAX_CACHED) closedRuns.delete(closedRuns.keys().next().value!);
    closedRuns.set(key, run);
  }
  return run;
}

function sum(runs: RunHistorySize[]): RunChain['total'] {
  return runs.reduce(
    (t, r) => ({
      historyBytes: t.historyBytes + r.historyBytes,
      events: t.events + r.events,
      storedPayloads: t.storedPayloads + r.storedPayloads,
      storedBytes: t.storedBytes + r.storedBytes,
    }),
    { historyBytes: 0, events: 0, storedPayloads: 0, storedBytes: 0 }
  );
}

/**
 * The chain the shown run belongs to, first run to latest: walked back through each run's
 * `continuedExecutionRunId` and forward through the run it continued as. Stored payloads are
 * counted per run (a payload carried into the next run's input is stored once, counted in both).
 */
export async function runChain(
  client: Client,
  workflowId: string,
  shown: { description: WorkflowExecutionDescription; events: HistoryEvent[] },
  maxRuns = MAX_CHAIN_RUNS
): Promise<RunChain> {
  const here = linked(shown.description, shown.events);
  const before: RunHistorySize[] = [];
  const after: RunHistorySize[] = [];
  let back = here.previous;
  let forward = here.next;
  while ((back || forward) && 1 + before.length + after.length < maxRuns) {
    // Toward both ends in turn, so that a cut chain keeps the runs nearest the shown one.
    if (back) {
      const run = await readRun(client, workflowId, back);
      before.unshift(run.size);
      back = run.previous;
    }
    if (forward && 1 + before.length + after.length < maxRuns) {
      const run = await readRun(client, workflowId, forward);
      after.push(run.size);
      forward = run.next;
    }
  }
  const runs = [...before, here.size, ...after];
  const cut = back || forward;
  return {
    runs,
    total: sum(runs),
    ...(cut
      ? {
          truncated: `only the ${runs.length} runs nearest the shown one are read and counted; ${[back && 'earlier', forward && 'later'].filter(Boolean).join(' and ')} runs exist`,
        }
      : {}),
  };
}
