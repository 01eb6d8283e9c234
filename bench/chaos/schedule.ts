import { seededRandom, type Random } from '../lib/prng.js';

export interface KillPlanEntry {
  /** Delay after the previous kill (or the start), in ms. */
  delayMs: number;
  /** Worker slot (0-based) to SIGKILL. */
  slot: number;
}

/**
 * The kill schedule: every `everyMs` on average (uniform jitter of ±50%), a random worker slot.
 * Deterministic for a seed, so a failing chaos run can be replayed with the same kills.
 */
export class KillScheduler {
  private readonly random: Random;
  private issued = 0;

  constructor(readonly options: { seed: number; everyMs: number; workers: number; maxKills?: number }) {
    if (options.workers < 1) throw new Error('at least one worker');
    if (!(options.everyMs > 0)) throw new Error('everyMs must be > 0');
    this.random = seededRandom(options.seed ^ 0x5eedc4a0);
  }

  /** The next kill, or undefined when the budget of kills is spent. */
  next(): KillPlanEntry | undefined {
    if (this.options.maxKills !== undefined && this.issued >= this.options.maxKills) return undefined;
    this.issued++;
    const delayMs = Math.round(this.options.everyMs * (0.5 + this.random.next()));
    const slot = this.random.int(0, this.options.workers - 1);
    return { delayMs, slot };
  }

  /** The first `n` kills of the schedule (for previews and tests). */
  static preview(options: ConstructorParameters<typeof KillScheduler>[0], n: number): KillPlanEntry[] {
    const s = new KillScheduler(options);
    const out: KillPlanEntry[] = [];
    for (let i = 0; i < n; i++) {
      const k = s.next();
      if (!k) break;
      out.push(k);
    }
    return out;
  }
}
