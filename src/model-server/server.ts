/**
 * The offline model server: an HTTP stand-in for the OpenAI Responses and Chat Completions
 * APIs on 127.0.0.1. Deterministic and extractive (see responder.ts); not a real LLM. Has
 * knobs for latency and faults, runtime control over HTTP and an optional JSONL request log.
 * This module starts, listens and closes; router.ts says which handler serves what.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bodyLogTo } from './body-log.js';
import { Latency } from './fault-injection.js';
import type { FaultConfig } from './faults.js';
import { RequestLogWriter } from './request-log.js';
import type { ModelRequestEvent, ModelServerStats } from './request-tracker.js';
import { RequestTracker } from './request-tracker.js';
import { createRouter } from './router.js';
import { RuntimeSettings, type ModelServerConfig, type ModelServerSettings } from './runtime-settings.js';

export type { FaultConfig, FaultKind, ScriptEntry } from './faults.js';
export type { ModelRequestEvent, ModelServerStats } from './request-tracker.js';
export type { ModelServerConfig, ModelServerSettings } from './runtime-settings.js';

export interface ModelServerOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  latencyMs?: number;
  faults?: FaultConfig;
  /** JSONL file receiving one line per model request. */
  logFile?: string;
  /** JSONL file receiving every request body (default STEADFAST_MODEL_BODY_LOG; body-log.ts). */
  bodyLogFile?: string;
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

export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const settings = new RuntimeSettings(opts.latencyMs, opts.faults);
  const tracker = new RequestTracker(opts.logFile ? new RequestLogWriter(opts.logFile) : undefined);
  const latency = new Latency();
  const sockets = new Set<Socket>();
  let closing = false;
  const bodyLogFile = opts.bodyLogFile ?? process.env.STEADFAST_MODEL_BODY_LOG;
  const route = createRouter({
    settings,
    tracker,
    latency,
    closing: () => closing,
    ...(bodyLogFile ? { bodyLog: bodyLogTo(bodyLogFile) } : {}),
  });

  const server = http.createServer((req, res) => {
    void route(req, res);
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
    configure: (c) => settings.configure(c),
    settings: () => settings.current(),
    stats: () => tracker.stats(),
    onRequest: (listener) => tracker.onRequest(listener),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        latency.wakeAll();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}
