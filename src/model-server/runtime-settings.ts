/**
 * The knobs that can change while the server runs (latency and faults), set by `configure`
 * or `POST /_steadfast/config`.
 */
import { FaultPlanner, type FaultConfig, type FaultRates, type ScriptEntry } from './faults.js';
import { BadRequest } from './http-io.js';

/** Runtime settings; every field optional in `configure` / `POST /_steadfast/config`. */
export interface ModelServerConfig extends FaultConfig {
  latencyMs?: number;
  /** Pause between the events of a streamed answer, so tokens visibly arrive over time. */
  streamDelayMs?: number;
  faults?: FaultConfig;
}

export interface ModelServerSettings {
  latencyMs: number;
  streamDelayMs: number;
  faults: FaultRates;
  seed: number;
  script: ScriptEntry[];
  retryAfterSeconds: number;
}

export class RuntimeSettings {
  readonly planner: FaultPlanner;
  latencyMs: number;
  streamDelayMs = 0;

  constructor(latencyMs: number | undefined, faults: FaultConfig | undefined) {
    this.planner = new FaultPlanner(faults ?? {});
    this.latencyMs = Math.max(0, latencyMs ?? 0);
  }

  current(): ModelServerSettings {
    const f = this.planner.current();
    return {
      latencyMs: this.latencyMs,
      streamDelayMs: this.streamDelayMs,
      faults: {
        rate429: f.rate429,
        rate500: f.rate500,
        rateReset: f.rateReset,
        rateMalformed: f.rateMalformed,
      },
      seed: f.seed,
      script: f.script,
      retryAfterSeconds: f.retryAfterSeconds,
    };
  }

  /** Merges a partial configuration (faults nested or flat); a bad value is a BadRequest. */
  configure(c: ModelServerConfig): ModelServerSettings {
    if (c.latencyMs !== undefined) {
      const v = Number(c.latencyMs);
      if (!Number.isFinite(v) || v < 0) throw new BadRequest('latencyMs must be a number >= 0');
      this.latencyMs = v;
    }
    if (c.streamDelayMs !== undefined) {
      const v = Number(c.streamDelayMs);
      if (!Number.isFinite(v) || v < 0) throw new BadRequest('streamDelayMs must be a number >= 0');
      this.streamDelayMs = v;
    }
    const { latencyMs: _l, streamDelayMs: _s, faults, ...flat } = c;
    try {
      this.planner.configure({ ...(faults ?? {}), ...flat });
    } catch (err) {
      throw new BadRequest((err as Error).message);
    }
    return this.current();
  }
}
