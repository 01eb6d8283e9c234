import { ApplicationFailure } from '@temporalio/common';

/** Tool-bug injection for chaos runs and tests: wraps activities so some calls throw. */
export interface ToolFaultOptions {
  /** Which activities may fail. */
  names: string[];
  /** Fail each call with this probability (0..1), decided by a seeded generator. */
  rate?: number;
  /** Or: fail exactly these 1-based call numbers (counted per process, across the named activities). */
  calls?: number[];
  /** Or: fail every call. */
  all?: boolean;
  nonRetryable?: boolean;
  seed?: number;
}

type ActivityFn = (...args: any[]) => Promise<unknown>;

export function withToolFaults<T extends Record<string, ActivityFn>>(
  activities: T,
  options: ToolFaultOptions
): T {
  let calls = 0;
  let state = (options.seed ?? 1) >>> 0 || 1;
  const random = () => {
    // xorshift32: deterministic for a seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const wrapped: Record<string, ActivityFn> = { ...activities };
  for (const name of options.names) {
    const original = activities[name];
    if (!original) throw new Error(`withToolFaults: no activity named ${name}`);
    wrapped[name] = async (...args: unknown[]) => {
      calls++;
      const fail =
        options.all ||
        options.calls?.includes(calls) ||
        (options.rate !== undefined && random() < options.rate);
      if (fail) {
        const message = `injected tool fault in ${name} (call ${calls})`;
        throw options.nonRetryable
          ? ApplicationFailure.nonRetryable(message, 'InjectedToolFault')
          : ApplicationFailure.retryable(message, 'InjectedToolFault');
      }
      return original(...args);
    };
  }
  return wrapped as T;
}

/** Reads STEADFAST_TOOL_FAULT_RATE (and _SEED) so a chaos harness can make worker processes buggy. */
export function toolFaultsFromEnv(env = process.env): ToolFaultOptions | undefined {
  const rate = Number(env.STEADFAST_TOOL_FAULT_RATE ?? 0);
  if (!(rate > 0)) return undefined;
  return {
    names: ['searchCorpus', 'readDocument'],
    rate,
    seed: Number(env.STEADFAST_TOOL_FAULT_SEED ?? process.pid),
  };
}
