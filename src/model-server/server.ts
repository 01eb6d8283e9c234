/**
 * The offline model server: an HTTP stand-in for the OpenAI Responses and Chat Completions
 * APIs on 127.0.0.1. Deterministic and extractive (see responder.ts); not a real LLM. Has
 * knobs for latency and faults, runtime control over HTTP and an optional JSONL request log.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  FaultPlanner,
  type FaultConfig,
  type FaultKind,
  type FaultRates,
  type ScriptEntry,
} from './faults.js';
import { RequestLogWriter, type RequestLogEntry } from './request-log.js';
import {
  DEFAULT_MODEL,
  requestHash,
  respondChat,
  respondResponses,
  type BuiltResponse,
} from './responder.js';
import { chatEvents, formatSse, responsesEvents } from './sse.js';

export type { FaultConfig, FaultKind, ScriptEntry } from './faults.js';

export interface ModelServerOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  latencyMs?: number;
  faults?: FaultConfig;
  /** JSONL file receiving one line per model request. */
  logFile?: string;
}

/** Runtime settings; every field optional in `configure` / `POST /_steadfast/config`. */
export interface ModelServerConfig extends FaultConfig {
  latencyMs?: number;
  faults?: FaultConfig;
}

export interface ModelServerSettings {
  latencyMs: number;
  faults: FaultRates;
  seed: number;
  script: ScriptEntry[];
  retryAfterSeconds: number;
}

export interface ModelServerStats {
  /** Model requests received (POST /v1/responses and /v1/chat/completions). */
  requests: number;
  inFlight: number;
  completed: number;
  aborted: number;
  faults: Record<FaultKind, number>;
  byPath: Record<string, number>;
  byKind: Record<string, number>;
}

/**
 * A model request as it happens: `received` when it arrives (before the fault decision),
 * `finished` when its response ended or its connection closed (the entry is then complete,
 * as written to the request log).
 */
export interface ModelRequestEvent {
  phase: 'received' | 'finished';
  entry: Readonly<RequestLogEntry>;
}

export interface ModelServerHandle {
  /** e.g. http://127.0.0.1:7744 */
  url: string;
  /** url + '/v1', for OpenAI clients. */
  baseURL: string;
  port: number;
  configure(c: ModelServerConfig): ModelServerSettings;
  settings(): ModelServerSettings;
  stats(): ModelServerStats;
  /** Calls `listener` for every model request event, synchronously; returns the unsubscribe function. */
  onRequest(listener: (event: ModelRequestEvent) => void): () => void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

class BadRequest extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function apiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const planner = new FaultPlanner(opts.faults ?? {});
  let latencyMs = Math.max(0, opts.latencyMs ?? 0);
  const log = opts.logFile ? new RequestLogWriter(opts.logFile) : undefined;
  const sockets = new Set<Socket>();
  const sleepers = new Set<() => void>();
  const listeners = new Set<(event: ModelRequestEvent) => void>();
  const emit = (phase: ModelRequestEvent['phase'], entry: RequestLogEntry) => {
    for (const l of [...listeners]) {
      try {
        l({ phase, entry });
      } catch {
        /* a listener's error is its own */
      }
    }
  };
  let seq = 0;
  let closing = false;
  const stats: ModelServerStats = {
    requests: 0,
    inFlight: 0,
    completed: 0,
    aborted: 0,
    faults: { '429': 0, '500': 0, reset: 0, malformed: 0 },
    byPath: {},
    byKind: {},
  };

  const settings = (): ModelServerSettings => {
    const f = planner.current();
    return {
      latencyMs,
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
  };

  const configure = (c: ModelServerConfig): ModelServerSettings => {
    if (c.latencyMs !== undefined) {
      const v = Number(c.latencyMs);
      if (!Number.isFinite(v) || v < 0) throw new BadRequest('latencyMs must be a number >= 0');
      latencyMs = v;
    }
    const { latencyMs: _l, faults, ...flat } = c;
    try {
      planner.configure({ ...(faults ?? {}), ...flat });
    } catch (err) {
      throw new BadRequest((err as Error).message);
    }
    return settings();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  async function handleModel(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: 'responses' | 'chat',
    raw: string
  ): Promise<void> {
    const started = Date.now();
    const entry: RequestLogEntry = {
      ts: new Date(started).toISOString(),
      seq: ++seq,
      method: req.method ?? 'POST',
      path: req.url ?? '',
      hash: '',
      model: null,
      stream: false,
      status: 0,
      fault: null,
      outcome: 'aborted',
      durationMs: 0,
      kind: null,
      tool: null,
      inputTokens: 0,
      outputTokens: 0,
    };
    stats.requests++;
    stats.inFlight++;
    const pathKey = route === 'responses' ? '/v1/responses' : '/v1/chat/completions';
    stats.byPath[pathKey] = (stats.byPath[pathKey] ?? 0) + 1;
    let logged = false;
    const finish = (outcome: RequestLogEntry['outcome']) => {
      if (logged) return;
      logged = true;
      stats.inFlight--;
      entry.outcome = entry.fault ? 'fault' : outcome;
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.durationMs = Date.now() - started;
      if (entry.outcome === 'completed') {
        stats.completed++;
        if (entry.kind) stats.byKind[entry.kind] = (stats.byKind[entry.kind] ?? 0) + 1;
      } else if (entry.outcome === 'aborted') stats.aborted++;
      log?.write(entry);
      emit('finished', entry);
    };
    res.on('finish', () => finish('completed'));
    res.on('close', () => finish('aborted'));
    emit('received', entry);

    let body: any;
    try {
      body = JSON.parse(raw);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      entry.hash = requestHash(raw);
      entry.kind = null;
      sendJson(res, 400, apiError('The request body is not a JSON object.', 'invalid_request_error'));
      return;
    }
    entry.hash = requestHash(body);
    entry.model = typeof body.model === 'string' ? body.model : null;
    entry.stream = body.stream === true;
    const fault = planner.next();
    entry.fault = fault;
    if (fault) stats.faults[fault]++;

    await sleep(latencyMs);
    if (res.destroyed || closing) {
      if (!res.destroyed) res.destroy();
      return;
    }

    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === '429') {
      const retryAfter = String(planner.current().retryAfterSeconds);
      sendJson(
        res,
        429,
        apiError(
          'Rate limit reached (injected by the offline model server).',
          'requests',
          'rate_limit_exceeded'
        ),
        {
          'retry-after': retryAfter,
        }
      );
      return;
    }
    if (fault === '500') {
      sendJson(
        res,
        500,
        apiError('Internal error (injected by the offline model server).', 'server_error', 'server_error')
      );
      return;
    }

    let built: BuiltResponse;
    try {
      built = route === 'responses' ? respondResponses(body) : respondChat(body);
    } catch (err) {
      sendJson(res, 500, apiError(`offline model failed: ${(err as Error).message}`, 'server_error'));
      return;
    }
    entry.kind = built.decision.kind;
    entry.tool = built.tool ?? null;
    entry.inputTokens = built.usage.input;
    entry.outputTokens = built.usage.output;

    if (fault === 'malformed') {
      if (entry.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(
          `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"${built.body.id}"\n\n`
        );
      } else {
        const text = JSON.stringify(built.body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      }
      return;
    }

    if (!entry.stream) {
      sendJson(res, 200, built.body, { 'x-request-id': `req_${entry.hash.slice(0, 24)}` });
      return;
    }
    const events =
      route === 'responses'
        ? responsesEvents(built.body)
        : chatEvents(built.body, body.stream_options?.include_usage === true);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': `req_${entry.hash.slice(0, 24)}`,
    });
    for (const e of events) {
      if (res.destroyed) return;
      res.write(formatSse(e));
    }
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    try {
      if (method === 'POST' && (p === '/v1/responses' || p === '/responses')) {
        return await handleModel(req, res, 'responses', await readBody(req));
      }
      if (method === 'POST' && (p === '/v1/chat/completions' || p === '/chat/completions')) {
        return await handleModel(req, res, 'chat', await readBody(req));
      }
      if (method === 'GET' && p === '/healthz') return sendJson(res, 200, { ok: true, model: DEFAULT_MODEL });
      if (method === 'GET' && (p === '/v1/models' || p === '/models')) {
        return sendJson(res, 200, {
          object: 'list',
          data: [{ id: DEFAULT_MODEL, object: 'model', created: 0, owned_by: 'steadfast' }],
        });
      }
      const modelMatch = /^\/v1\/models\/(.+)$/.exec(p);
      if (method === 'GET' && modelMatch) {
        return sendJson(res, 200, {
          id: decodeURIComponent(modelMatch[1]!),
          object: 'model',
          created: 0,
          owned_by: 'steadfast',
        });
      }
      if (p === '/_steadfast/config') {
        if (method === 'GET') return sendJson(res, 200, settings());
        if (method === 'POST' || method === 'PUT') {
          const raw = await readBody(req);
          let c: ModelServerConfig;
          try {
            c = raw.trim() ? JSON.parse(raw) : {};
          } catch {
            throw new BadRequest('config body is not JSON');
          }
          return sendJson(res, 200, configure(c));
        }
      }
      if (method === 'GET' && p === '/_steadfast/stats') return sendJson(res, 200, structuredClone(stats));
      sendJson(
        res,
        404,
        apiError(
          `No route for ${method} ${p} on the offline model server.`,
          'invalid_request_error',
          'not_found'
        )
      );
    } catch (err) {
      if (err instanceof BadRequest) sendJson(res, 400, apiError(err.message, 'invalid_request_error'));
      else
        sendJson(res, 500, apiError(`offline model server error: ${(err as Error).message}`, 'server_error'));
    }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    port,
    configure,
    settings,
    stats: () => structuredClone(stats),
    onRequest(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const wake of [...sleepers]) wake();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}
