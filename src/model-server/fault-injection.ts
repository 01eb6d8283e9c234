/**
 * Applies what the fault planner decided to a model request: the added latency, then a 429
 * with Retry-After, a 500, a reset connection, or (once the response is built) a malformed body.
 */
import type http from 'node:http';
import type { FaultKind } from './faults.js';
import { apiError, sendJson } from './http-io.js';

/** Injected latency; closing the server wakes every sleeper so it does not wait for them. */
export class Latency {
  private readonly sleepers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

/**
 * Answers with a fault that comes before any response is built (reset, 429, 500); returns
 * false when the request is to be served.
 */
export function injectEarlyFault(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fault: FaultKind | null,
  retryAfterSeconds: number
): boolean {
  if (fault === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (fault === '429') {
    sendJson(
      res,
      429,
      apiError(
        'Rate limit reached (injected by the offline model server).',
        'requests',
        'rate_limit_exceeded'
      ),
      { 'retry-after': String(retryAfterSeconds) }
    );
    return true;
  }
  if (fault === '500') {
    sendJson(
      res,
      500,
      apiError('Internal error (injected by the offline model server).', 'server_error', 'server_error')
    );
    return true;
  }
  return false;
}

/** A broken reply for a built response: a stream cut inside its first event, or half a JSON body. */
export function sendMalformed(res: http.ServerResponse, stream: boolean, body: Record<string, any>): void {
  if (stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(
      `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"${body.id}"\n\n`
    );
  } else {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  }
}
