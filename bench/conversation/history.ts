/**
 * What the conversation's histories say, read after the questions: every run of its continue-as-new
 * chain with its size (the timeline's own figures, src/client/timeline/history-size.ts) and the
 * `ask` Updates each run accepted and answered. A turn counts as answered only when its Update
 * completed successfully in some run's history.
 */
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { runChain } from '../../src/client/timeline/history-size.js';
import { storedReferencesOf } from '../../src/common/payload-storage/references.js';
import type { RunChain, RunHistorySize } from '../../src/common/timeline-types.js';

type Event = temporal.api.history.v1.IHistoryEvent;

/** Events, their encoded bytes and the payloads they keep in the store (by reference), by kind (event type, with the activity type or Update name). */
export type Weights = Record<string, { events: number; bytes: number; storedPayloads: number }>;

/** The `ask` Updates of one run, by Update id. */
export interface RunUpdates {
  /** Accepted by this run (its validator let them in). */
  accepted: string[];
  /** Completed with a result (an answer). */
  answered: string[];
  /** Completed with a failure, with its message. */
  failed: { updateId: string; message: string }[];
}

export interface RunFigures extends RunHistorySize, RunUpdates {}

export interface ChainFigures {
  runs: RunFigures[];
  total: RunChain['total'];
  /** Where the chain's history bytes are: each event's encoded size, summed by kind. */
  weights: Weights;
  truncated?: string;
}

const EVENT_TYPES = proto.temporal.api.enums.v1.EventType;

/** Adds each event's encoded size to its kind: e.g. "ActivityTaskScheduled invokeModelStreamActivity". */
export function weigh(events: Event[], into: Weights = {}): Weights {
  const activityTypes = new Map<number, string>();
  const updateNames = new Map<string, string>();
  for (const e of events) {
    const type = (EVENT_TYPES[e.eventType ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED').replace('EVENT_TYPE_', '');
    let detail = '';
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) activityTypes.set(Number(e.eventId), (detail = scheduled.activityType?.name ?? ''));
    const activity =
      e.activityTaskStartedEventAttributes ??
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes;
    if (activity) detail = activityTypes.get(Number(activity.scheduledEventId)) ?? '';
    const admitted = e.workflowExecutionUpdateAdmittedEventAttributes?.request;
    if (admitted) updateNames.set(admitted.meta?.updateId ?? '', (detail = admitted.input?.name ?? ''));
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const id = accepted.acceptedRequest?.meta?.updateId ?? accepted.protocolInstanceId ?? '';
      detail = accepted.acceptedRequest?.input?.name || updateNames.get(id) || '';
      updateNames.set(id, detail);
    }
    const completed = e.workflowExecutionUpdateCompletedEventAttributes;
    if (completed) detail = updateNames.get(completed.meta?.updateId ?? '') ?? '';
    const signal = e.workflowExecutionSignaledEventAttributes;
    if (signal) detail = signal.signalName ?? '';
    const kind = detail ? `${type} ${detail}` : type;
    const w = (into[kind] ??= { events: 0, bytes: 0, storedPayloads: 0 });
    w.events++;
    w.storedPayloads += storedReferencesOf([e]).length;
    w.bytes += proto.temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
  }
  return into;
}

/** The `ask` Updates a history records: accepted (or admitted, with update-with-start), then completed. */
export function askUpdatesOf(events: Event[], updateName = 'ask'): RunUpdates {
  const names = new Map<string, string>();
  const accepted: string[] = [];
  const answered: string[] = [];
  const failed: RunUpdates['failed'] = [];
  for (const e of events) {
    const admitted = e.workflowExecutionUpdateAdmittedEventAttributes?.request;
    if (admitted?.meta?.updateId) names.set(admitted.meta.updateId, admitted.input?.name ?? '');
    const acc = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (acc) {
      const id = acc.acceptedRequest?.meta?.updateId ?? acc.protocolInstanceId ?? '';
      const name = acc.acceptedRequest?.input?.name || names.get(id) || '';
      names.set(id, name);
      if (name === updateName) accepted.push(id);
    }
    const done = e.workflowExecutionUpdateCompletedEventAttributes;
    const id = done?.meta?.updateId;
    if (id && names.get(id) === updateName) {
      if (done.outcome?.failure) failed.push({ updateId: id, message: done.outcome.failure.message ?? '' });
      else answered.push(id);
    }
  }
  return { accepted, answered, failed };
}

/** Every run of `workflowId`'s chain, first to latest, with its size and its `ask` Updates. */
export async function chainFigures(client: Client, workflowId: string): Promise<ChainFigures> {
  const latest = client.workflow.getHandle(workflowId);
  const description = await latest.describe();
  const pinned = client.workflow.getHandle(workflowId, description.runId);
  const events = (await pinned.fetchHistory()).events ?? [];
  // No bound on the walk: the bench counts every run of the chain.
  const chain = await runChain(client, workflowId, { description, events }, Number.MAX_SAFE_INTEGER);
  const runs: RunFigures[] = [];
  const weights: Weights = {};
  for (const run of chain.runs) {
    const history =
      run.runId === description.runId
        ? events
        : ((await client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events ?? []);
    runs.push({ ...run, ...askUpdatesOf(history) });
    weigh(history, weights);
  }
  return { runs, total: chain.total, weights, ...(chain.truncated ? { truncated: chain.truncated } : {}) };
}
