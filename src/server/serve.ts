import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { UserError } from '../common/errors.js';
import { ResearchClient } from '../client/research.js';
import { splitQueues } from '../common/temporal-settings.js';
import { OpenStreams } from './open-streams.js';
import { createApp, type AppOptions } from './app.js';
import { resolveCorpusRoots } from './corpus-roots.js';
import type { ModelLimits } from '../common/model-endpoint.js';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** What the server hands to the app as given. */
type PassedToApp =
  | 'client'
  | 'settings'
  | 'staticDir'
  | 'pollMs'
  | 'allowedHosts'
  | 'allowedOrigins'
  | 'codecOrigins'
  | 'limits';

export interface ServeOptions extends Pick<AppOptions, PassedToApp> {
  host?: string;
  port?: number;
  /** Defaults to STEADFAST_API_TOKEN. */
  token?: string;
  /** Model name for runs started without one. */
  defaultModel?: string;
  /** The model's context size and output cap, for runs to fit their prompts. */
  modelLimits?: ModelLimits;
  /**
   * Folders under which API clients may name a corpus (resolved to real paths). Defaults to
   * STEADFAST_CORPUS_ROOTS; none = the default corpus only.
   */
  corpusRoots?: readonly string[];
}

export interface RunningServer {
  url: string;
  port: number;
  /** Real paths of the corpus roots in force. */
  corpusRoots: readonly string[];
  /** How many event streams are open. */
  openStreams(): number;
  /** Stops the event streams (each ends its Temporal calls), then closes every connection. */
  close(): Promise<void>;
}

/** The API token in force for `host`: refuses a public bind without one, and a short one. */
export function checkToken(host: string, given?: string): string | undefined {
  const token = given ?? (process.env.STEADFAST_API_TOKEN?.trim() || undefined);
  if (!isLoopback(host) && !token) {
    throw new UserError(
      `refusing to listen on ${host} without an API token: anyone who can reach it could start and read runs`,
      'set STEADFAST_API_TOKEN to a long random value (e.g. `openssl rand -hex 24`), or keep the default --host 127.0.0.1'
    );
  }
  if (token && token.length < 16)
    throw new UserError(
      'STEADFAST_API_TOKEN is too short',
      'use at least 16 characters, e.g. `openssl rand -hex 24`'
    );
  return token;
}

/**
 * Starts the API (+ UI) server. Binds 127.0.0.1 unless told otherwise; on any other address it
 * refuses to start without an API token, and with one every endpoint requires it.
 */
export async function startApiServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = checkToken(host, options.token);
  const research = new ResearchClient({
    client: options.client,
    taskQueue: options.settings.taskQueue,
    defaultModel: options.defaultModel,
    modelLimits: options.modelLimits,
    taskQueues: splitQueues(options.settings),
  });
  const corpusRoots = options.corpusRoots
    ? resolveCorpusRoots(options.corpusRoots, {})
    : resolveCorpusRoots([], process.env);
  const streams = new OpenStreams();
  const app = createApp({
    streams,
    research,
    client: options.client,
    settings: options.settings,
    token,
    staticDir: options.staticDir,
    pollMs: options.pollMs,
    bindHost: host,
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    codecOrigins: options.codecOrigins,
    corpusRoots,
    limits: options.limits,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 7780 }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new UserError(
              `port ${options.port} on ${host} is in use`,
              'pick another with --port, or stop the other server'
            )
          : err
      )
    );
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    corpusRoots,
    openStreams: () => streams.size,
    close: async () => {
      await streams.close();
      await new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
