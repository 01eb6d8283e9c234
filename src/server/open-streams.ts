/**
 * The server-sent event streams a server has open. Each stream's loop polls Temporal until its
 * client goes away; when the server closes, every loop is told to stop (its in-flight call
 * cancelled) and the close waits for them, so that none calls Temporal after the server — and
 * whoever owns the Temporal connection — has moved on.
 */
export class OpenStreams {
  private closed = false;
  private readonly open = new Set<{ stop: AbortController; running: Promise<void> }>();

  /** How many stream loops are running. */
  get size(): number {
    return this.open.size;
  }

  /** Runs one stream's loop with a signal of its own that aborts when the server closes. */
  run(loop: (stop: AbortSignal) => Promise<void>): Promise<void> {
    const stop = new AbortController();
    if (this.closed) stop.abort();
    const entry = { stop, running: loop(stop.signal).finally(() => this.open.delete(entry)) };
    this.open.add(entry);
    return entry.running;
  }

  /** Stops every loop and waits for them, at most `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    for (const { stop } of this.open) stop.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.open].map((e) => e.running)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]).finally(() => clearTimeout(timer));
  }
}
