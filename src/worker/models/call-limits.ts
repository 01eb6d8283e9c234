import type { Model, ModelRequest, StreamEvent } from '@openai/agents-core';
import { Context } from '@temporalio/activity';
import { ModelCallTimedOut } from '../model-network-errors.js';

export interface CallLimitSettings {
  /** STEADFAST_MODEL_TIMEOUT in ms. */
  timeoutMs: number;
  /** STEADFAST_MAX_OUTPUT_TOKENS. */
  maxOutputTokens: number;
}

/** Keeps a call's own timeout clear of the activity's, so the call fails first and says why. */
const DEADLINE_MARGIN_MS = 1_000;

// When each activity attempt began: its first model call comes right after the attempt starts.
const attemptStarts = new WeakMap<Context, number>();

function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity (a direct call from a script or a test)
  }
}

/**
 * How long the next call may take, and what bounds it: the client timeout, or what is left of the
 * activity attempt (its start-to-close, or its schedule-to-close when that comes first).
 */
export function callBudget(timeoutMs: number, now = Date.now()): { ms: number; bound: string } {
  const activity = currentActivity();
  if (!activity) return { ms: timeoutMs, bound: 'STEADFAST_MODEL_TIMEOUT' };
  const { info } = activity;
  const started = attemptStarts.get(activity) ?? now;
  attemptStarts.set(activity, started);
  let end = info.startToCloseTimeoutMs > 0 ? started + info.startToCloseTimeoutMs : Infinity;
  if (info.scheduleToCloseTimeoutMs > 0)
    end = Math.min(end, info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs);
  const left = end - now - DEADLINE_MARGIN_MS;
  return left < timeoutMs
    ? { ms: Math.max(left, 0), bound: "the model activity's timeout" }
    : { ms: timeoutMs, bound: 'STEADFAST_MODEL_TIMEOUT' };
}

/** A request with the default output cap when the agent's model settings set none. */
export function withOutputCap(request: ModelRequest, maxOutputTokens: number): ModelRequest {
  if (request.modelSettings?.maxTokens !== undefined) return request;
  return { ...request, modelSettings: { ...request.modelSettings, maxTokens: maxOutputTokens } };
}

/**
 * Every call gets an output cap (a small model left uncapped can write until the timeout) and a
 * deadline: the call's budget, the activity's cancellation and the caller's own signal all abort
 * the HTTP request, so a local server stops generating for a call nobody waits for any more.
 */
export class CallLimits implements Model {
  constructor(
    private readonly inner: Model,
    private readonly settings: CallLimitSettings
  ) {}

  async getResponse(request: ModelRequest) {
    const { signal, budget, timedOut } = this.deadline(request);
    try {
      return await this.inner.getResponse({
        ...withOutputCap(request, this.settings.maxOutputTokens),
        signal,
      });
    } catch (err) {
      throw timedOut() ? new ModelCallTimedOut(budget.ms, budget.bound, { cause: err }) : err;
    }
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const { signal, budget, timedOut } = this.deadline(request);
    try {
      yield* this.inner.getStreamedResponse({
        ...withOutputCap(request, this.settings.maxOutputTokens),
        signal,
      });
    } catch (err) {
      throw timedOut() ? new ModelCallTimedOut(budget.ms, budget.bound, { cause: err }) : err;
    }
  }

  private deadline(request: ModelRequest) {
    const budget = callBudget(this.settings.timeoutMs);
    const timer = AbortSignal.timeout(Math.max(budget.ms, 1));
    const signals = [timer, request.signal, currentActivity()?.cancellationSignal].filter(
      (s): s is AbortSignal => s !== undefined
    );
    return { signal: AbortSignal.any(signals), budget, timedOut: () => timer.aborted };
  }
}
