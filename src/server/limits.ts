import { HttpError } from './errors.js';

/**
 * How much one client may ask of the server. Requests are limited per client address (a token
 * bucket: `burst` at once, refilled at `requestsPerSecond`), event streams per client address
 * (each one polls Temporal), and runs per token (each one costs model calls).
 */
export interface ApiLimits {
  requestsPerSecond: number;
  burst: number;
  /** Open event streams per client address. */
  streamsPerClient: number;
  /** Runs started through this server and still running, per API token (one pool without a token). */
  runsPerToken: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  requestsPerSecond: 20,
  burst: 600,
  streamsPerClient: 32,
  runsPerToken: 16,
};

/** Seconds a client over its run cap is told to wait: runs take minutes, so ask again later. */
const RUN_CAP_RETRY_SECONDS = 30;
const MAX_TRACKED_CLIENTS = 10_000;

export class RequestLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly streams = new Map<string, number>();

  constructor(private readonly limits: ApiLimits) {}

  /** Takes one request from the client's bucket; 429 with Retry-After when it is empty. */
  take(client: string, now = Date.now()): void {
    const { burst, requestsPerSecond } = this.limits;
    const known = this.buckets.get(client);
    const bucket = known ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * requestsPerSecond);
    bucket.at = now;
    if (!known) {
      // A flood of addresses must not grow the map without end: forget the oldest clients.
      if (this.buckets.size >= MAX_TRACKED_CLIENTS) this.buckets.delete(this.buckets.keys().next().value!);
      this.buckets.set(client, bucket);
    }
    if (bucket.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / requestsPerSecond));
      throw new HttpError(
        429,
        `too many requests from ${client} (limit ${requestsPerSecond}/s, bursts of ${burst})`,
        `wait ${wait} s; an operator can raise the limit with \`steadfast serve --rate-limit N\``,
        wait
      );
    }
    bucket.tokens -= 1;
  }

  /** Counts an event stream of the client until `release` is called; 429 over the limit. */
  openStream(client: string): () => void {
    const open = this.streams.get(client) ?? 0;
    if (open >= this.limits.streamsPerClient)
      throw new HttpError(
        429,
        `${open} event streams are already open from ${client} (limit ${this.limits.streamsPerClient})`,
        'close other tabs following runs, then retry',
        5
      );
    this.streams.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.streams.get(client) ?? 1) - 1;
      if (left <= 0) this.streams.delete(client);
      else this.streams.set(client, left);
    };
  }
}

/**
 * Runs started per token that may still be running. Kept in this process: after a restart the
 * count starts again from zero (the runs themselves are in Temporal and go on).
 */
export class RunCap {
  private readonly runs = new Map<string, Set<string>>();

  constructor(
    private readonly limit: number,
    /** Whether a run is still running (Temporal's view). */
    private readonly isRunning: (workflowId: string) => Promise<boolean>
  ) {}

  /**
   * Counts `workflowId` as one of `owner`'s runs, or throws 429 when `owner` already has `limit`
   * runs going; returns a function that gives the place back (the start failed).
   */
  async reserve(owner: string, workflowId: string): Promise<() => void> {
    let mine = this.runs.get(owner);
    if (!mine) this.runs.set(owner, (mine = new Set()));
    const release = (set: Set<string>) => () => set.delete(workflowId);
    if (mine.has(workflowId)) return () => undefined;
    if (mine.size >= this.limit) {
      const states = await Promise.all(
        [...mine].map(async (id) => [id, await this.isRunning(id).catch(() => true)] as const)
      );
      for (const [id, running] of states) if (!running) mine.delete(id);
    }
    // Checked and taken with no await in between, so concurrent starts cannot both take the last place.
    if (mine.size >= this.limit)
      throw new HttpError(
        429,
        `${mine.size} runs started with this token are still running (limit ${this.limit})`,
        'wait for one to finish or cancel one; an operator can raise the cap with `steadfast serve --max-runs N`',
        RUN_CAP_RETRY_SECONDS
      );
    mine.add(workflowId);
    return release(mine);
  }
}
