import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span, SpanData, Trace, TracingProcessor } from '@openai/agents-core';
import { Context } from '@temporalio/activity';
import { CAPTURE_CHARS } from '../../common/trace-records.js';
import { appendSpan } from './store.js';
import type { SpanRecord } from '../../common/timeline-types.js';

/** The workflow a sink-forwarded span belongs to (set around the plugin's tracing sink, see plugin.ts). */
export const workflowSpanContext = new AsyncLocalStorage<{ workflowId: string; runId: string }>();

/** The durable execution a span belongs to: the fields of its record that tie it to the history. */
type Owner = Pick<SpanRecord, 'workflowId' | 'runId' | 'activityId' | 'activityType' | 'attempt' | 'origin'>;

function currentOwner(): Owner | undefined {
  const fromSink = workflowSpanContext.getStore();
  if (fromSink) return { ...fromSink, origin: 'workflow' };
  try {
    const info = Context.current().info;
    if (!info.workflowExecution) return undefined;
    return {
      workflowId: info.workflowExecution.workflowId,
      runId: info.workflowExecution.runId,
      activityId: info.activityId,
      activityType: info.activityType,
      attempt: info.attempt,
      origin: 'activity',
    };
  } catch {
    return undefined; // not inside an activity or a workflow's sink call
  }
}

const SECRET = /\b(sk-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g;

/** Text of a value, secrets masked, capped at CAPTURE_CHARS. */
export function capture(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  text = text.replace(SECRET, '[redacted]');
  return text.length > CAPTURE_CHARS ? `${text.slice(0, CAPTURE_CHARS - 1)}…` : text;
}

function spanName(data: SpanData): string {
  switch (data.type) {
    case 'agent':
    case 'function':
    case 'custom':
    case 'guardrail':
      return data.name;
    case 'handoff':
      return `${data.from_agent ?? '?'} → ${data.to_agent ?? '?'}`;
    case 'generation':
      return data.model ?? 'generation';
    case 'response':
      return (data._response?.model as string | undefined) ?? 'response';
    default:
      return data.type;
  }
}

function outputText(response: Record<string, any> | undefined): unknown {
  const items = (response?.output ?? []) as Record<string, any>[];
  const parts = items.map((item) => {
    if (item.type === 'message')
      return (item.content ?? []).map((c: Record<string, any>) => c.text ?? '').join('');
    if (item.type === 'function_call') return `${item.name}(${item.arguments ?? ''})`;
    return item.type;
  });
  return parts.join('\n');
}

/** The record of a finished span: who it belongs to, timing, tokens, error, size-capped input/output. */
export function toRecord(span: Span<SpanData>, owner: Owner): SpanRecord {
  const data = span.spanData;
  const startedAt = span.startedAt ?? new Date().toISOString();
  const endedAt = span.endedAt ?? new Date().toISOString();
  const record: SpanRecord = {
    traceId: span.traceId,
    spanId: span.spanId,
    parentId: span.parentId,
    type: data.type,
    name: spanName(data),
    ...owner,
    startedAt,
    endedAt,
    durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(startedAt)),
  };
  if (span.error) record.error = capture(span.error.message);
  if (data.type === 'generation') {
    record.model = data.model;
    const u = data.usage;
    if (u)
      record.tokens = {
        input: u.input_tokens ?? 0,
        output: u.output_tokens ?? 0,
        total: (u.input_tokens ?? 0) + (u.output_tokens ?? 0),
      };
    record.input = capture(data.input);
    record.output = capture(data.output);
  } else if (data.type === 'response') {
    const r = data._response;
    record.model = r?.model;
    const u = r?.usage as
      { input_tokens?: number; output_tokens?: number; total_tokens?: number } | undefined;
    if (u)
      record.tokens = {
        input: u.input_tokens ?? 0,
        output: u.output_tokens ?? 0,
        total: u.total_tokens ?? (u.input_tokens ?? 0) + (u.output_tokens ?? 0),
      };
    record.input = capture(data._input);
    record.output = capture(outputText(r));
  } else if (data.type === 'function') {
    record.input = capture(data.input);
    record.output = capture(data.output);
  } else if (data.type === 'custom') {
    record.input = capture(data.data);
  } else if (data.type === 'agent') {
    record.input = capture({ tools: data.tools, handoffs: data.handoffs, output_type: data.output_type });
  } else if (data.type === 'guardrail') {
    record.output = data.triggered ? 'triggered' : 'passed';
  }
  return record;
}

/**
 * Stores every finished span with the workflow id, run id and (inside activities) activity id it
 * belongs to. Spans outside any workflow (e.g. a CLI's direct model call) are not stored.
 */
export class TraceStoreProcessor implements TracingProcessor {
  async onTraceStart(_trace: Trace): Promise<void> {}
  async onTraceEnd(_trace: Trace): Promise<void> {}
  async onSpanStart(_span: Span<SpanData>): Promise<void> {}
  async onSpanEnd(span: Span<SpanData>): Promise<void> {
    const owner = currentOwner();
    if (!owner) return;
    void appendSpan(toRecord(span, owner));
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}
