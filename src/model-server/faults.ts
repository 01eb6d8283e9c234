/**
 * Fault injection for the offline model server: rates decided by a seeded PRNG over the
 * sequence of model requests, plus a scripted queue that overrides the rates for the next N
 * requests (tests use it to make exactly the first calls fail).
 */
import { mulberry32 } from './text.js';

export type FaultKind = '429' | '500' | 'reset' | 'malformed';
/** A script entry: a fault, or 'ok' to let one request through untouched. */
export type ScriptEntry = FaultKind | 'ok';

export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', 'reset', 'malformed'];

/** Probabilities (0..1) per model request; their sum is capped at 1. */
export interface FaultRates {
  rate429: number;
  rate500: number;
  rateReset: number;
  rateMalformed: number;
}

export interface FaultConfig extends Partial<FaultRates> {
  /** Seed of the PRNG that decides rate-based faults (same seed → same fault sequence). */
  seed?: number;
  /** Faults for the next requests, in order; consumed one per model request. */
  script?: ScriptEntry[];
  /** Value of the Retry-After header (seconds) sent with 429s. */
  retryAfterSeconds?: number;
}

export interface FaultSettings extends FaultRates {
  seed: number;
  script: ScriptEntry[];
  retryAfterSeconds: number;
}

const clampRate = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;

export function parseScriptEntry(v: unknown): ScriptEntry {
  const s = String(v).trim().toLowerCase();
  if (s === '429' || s === '500' || s === 'reset' || s === 'malformed' || s === 'ok') return s;
  if (s === 'none' || s === '' || s === 'pass') return 'ok';
  throw new Error(`unknown fault "${String(v)}" (expected 429, 500, reset, malformed or ok)`);
}

/** Decides, request by request, whether to inject a fault. */
export class FaultPlanner {
  private settings: FaultSettings;
  private random: () => number;

  constructor(config: FaultConfig = {}) {
    this.settings = {
      rate429: 0,
      rate500: 0,
      rateReset: 0,
      rateMalformed: 0,
      seed: 1,
      script: [],
      retryAfterSeconds: 1,
    };
    this.random = mulberry32(1);
    this.configure(config);
  }

  /** Merges a partial configuration; a new seed restarts the PRNG sequence, a script replaces the queue. */
  configure(config: FaultConfig): void {
    const s = this.settings;
    if (config.rate429 !== undefined) s.rate429 = clampRate(config.rate429);
    if (config.rate500 !== undefined) s.rate500 = clampRate(config.rate500);
    if (config.rateReset !== undefined) s.rateReset = clampRate(config.rateReset);
    if (config.rateMalformed !== undefined) s.rateMalformed = clampRate(config.rateMalformed);
    if (config.retryAfterSeconds !== undefined)
      s.retryAfterSeconds = Math.max(0, Math.round(Number(config.retryAfterSeconds) || 0));
    if (config.script !== undefined) s.script = config.script.map(parseScriptEntry);
    if (config.seed !== undefined) {
      s.seed = Math.trunc(Number(config.seed)) || 0;
      this.random = mulberry32(s.seed);
    }
  }

  current(): FaultSettings {
    return { ...this.settings, script: [...this.settings.script] };
  }

  /** The fault for the next model request (null = serve normally). Always draws one number. */
  next(): FaultKind | null {
    const r = this.random();
    const scripted = this.settings.script.shift();
    if (scripted !== undefined) return scripted === 'ok' ? null : scripted;
    const s = this.settings;
    let edge = s.rate429;
    if (r < edge) return '429';
    edge += s.rate500;
    if (r < edge) return '500';
    edge += s.rateReset;
    if (r < edge) return 'reset';
    edge += s.rateMalformed;
    if (r < edge) return 'malformed';
    return null;
  }
}
