import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { readDocument } from '../activities/corpus.js';
import { artifactRoot } from '../activities/artifacts.js';
import { packageRoot } from '../common/paths.js';
import { ResearchClient } from '../client/research.js';
import { workflowUiLink, type TemporalSettings } from '../common/temporal-settings.js';
import { AnswerClarifications, ResearchInput, researchWorkflowId } from '../workflows/input.js';
import { HttpError, toHttpError } from './errors.js';
import { browserGuard } from './browser-guard.js';
import { allowedCorpus, CORPUS_ROOT_HINT, corpusReadable, isWithin } from './corpus-roots.js';
import { DEFAULT_LIMITS, RequestLimiter, RunCap, type ApiLimits } from './limits.js';
import { BODY_LIMIT_BYTES, issues, jsonObjectBody, onlyFields } from './request-body.js';
import { securityHeaders } from './security-headers.js';
import { staticFiles } from './static-files.js';
import { registerConversationRoutes } from './conversation-routes.js';
import { allowedWriteTarget, registerReviewRoutes, REVIEW_START_FIELDS } from './review-routes.js';
import { codecOrigins, registerCodecRoutes } from './codec-routes.js';
import { registerTimelineRoutes } from './payload-routes.js';
import { OpenStreams } from './open-streams.js';
import { abortedBy } from '../common/abort-signals.js';
import type { LiveStatus } from '../common/research-types.js';
import type { PassageResponse, ResultResponse, StatusResponse } from '../common/api-types.js';

export { BODY_LIMIT_BYTES } from './request-body.js';

export interface AppOptions {
  research: ResearchClient;
  client: Client;
  settings: Pick<TemporalSettings, 'uiUrl' | 'namespace' | 'taskQueue'>;
  /** When set, every endpoint requires `Authorization: Bearer <token>` (or `?token=` on GET, for EventSource and downloads). */
  token?: string;
  /** The built web UI (web/dist); omitted = API only. */
  staticDir?: string;
  /** How often the SSE stream polls a run's status (ms). */
  pollMs?: number;
  /** The address the server is bound to (its Host names are served). Default 127.0.0.1. */
  bindHost?: string;
  /** More host names to serve (`--allowed-host`). */
  allowedHosts?: readonly string[];
  /** More origins allowed to send state-changing requests (`--allowed-origin`). */
  allowedOrigins?: readonly string[];
  /** Real paths of the folders under which API clients may name a corpus (`--corpus-root`). */
  corpusRoots?: readonly string[];
  /** Origins besides the Temporal UI's that may call the codec endpoints (`--codec-origin`). */
  codecOrigins?: readonly string[];
  limits?: Partial<ApiLimits>;
  /** The server's open event streams (stopped when it closes); a new set when omitted. */
  streams?: OpenStreams;
}

/** What API clients may send to start a run; queues, context size and the like are the server's to decide. */
const START_FIELDS = [
  'question',
  'corpus',
  'preferences',
  'format',
  'requestId',
  'model',
  'clarify',
  'clarificationTimeout',
  'maxSearches',
  'searchConcurrency',
  'verifier',
  ...REVIEW_START_FIELDS,
] as const;

/** The corpus argument a run used: its root, or undefined for the default corpus (rooted at the package). */
function corpusArg(root: string | undefined): string | undefined {
  return !root || root === packageRoot ? undefined : root;
}

const ENDED = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'CANCELLED',
  'TERMINATED',
  'TIMED_OUT',
  'CONTINUED_AS_NEW',
]);

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A file the status names, read only when it lies in the artifact store (the status comes from a workflow). */
async function readArtifact(file: string): Promise<Buffer> {
  const [root, real] = await Promise.all([realpath(artifactRoot()), realpath(file)]);
  if (!isWithin(root, real)) throw new Error(`${file} is outside the artifact store`);
  return readFile(real);
}

/** The HTTP API (and the static web UI). Every operation goes through the shared ResearchClient. */
export function createApp(options: AppOptions): Hono {
  const { research, settings } = options;
  const pollMs = options.pollMs ?? 500;
  const streams = options.streams ?? new OpenStreams();

  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const limiter = new RequestLimiter(limits);
  const runCap = new RunCap(limits.runsPerToken, async (id) => {
    const { status } = await research.handle(id).describe();
    return status.name === 'RUNNING';
  });
  const roots = options.corpusRoots ?? [];
  const app = new Hono();

  app.onError((err, c) => {
    const { status, body } = toHttpError(err);
    if (err instanceof HttpError && err.retryAfterSeconds !== undefined)
      c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json({ error: { message: `no such endpoint: ${c.req.method} ${c.req.path}` } }, 404));

  app.use('*', securityHeaders());
  // Before the browser guard, which they never reach: the codec endpoints answer the Temporal UI's origin.
  registerCodecRoutes(app, {
    token: options.token,
    bindHost: options.bindHost ?? '127.0.0.1',
    allowedHosts: options.allowedHosts,
    origins: codecOrigins(settings.uiUrl, [
      ...(options.allowedOrigins ?? []),
      ...(options.codecOrigins ?? []),
    ]),
    throttle: (c) => limiter.take(clientAddress(c)),
  });
  app.use(
    '*',
    browserGuard({
      bindHost: options.bindHost ?? '127.0.0.1',
      allowedHosts: options.allowedHosts,
      allowedOrigins: options.allowedOrigins,
    })
  );
  app.use('/api/*', async (c, next) => {
    // Before the token check, so that guessing tokens is throttled too.
    limiter.take(clientAddress(c));
    if (!options.token) return next();
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const query = c.req.method === 'GET' ? c.req.query('token') : undefined;
    const given = bearer ?? query;
    if (!given || !sameToken(given, options.token)) {
      throw new HttpError(
        401,
        given ? 'wrong API token' : 'this server requires an API token',
        'send Authorization: Bearer <STEADFAST_API_TOKEN>'
      );
    }
    return next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      // The rest of the body is never read: close the connection so that it is not taken for the next request.
      onError: (c) =>
        c.json({ error: { message: `request body too large (limit ${BODY_LIMIT_BYTES / 1024} KB)` } }, 413, {
          Connection: 'close',
        }),
    })
  );

  app.get('/api/health', (c) =>
    c.json({
      ok: true,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      temporalUi: settings.uiUrl ?? null,
      auth: Boolean(options.token),
    })
  );

  app.post('/api/research', async (c) => {
    const body = await jsonObjectBody(c);
    onlyFields(body, START_FIELDS, 'research request');
    const parsed = ResearchInput.safeParse({ requestId: crypto.randomUUID(), ...body });
    if (!parsed.success) throw new HttpError(400, `invalid research request: ${issues(parsed.error)}`);
    const corpus = allowedCorpus(parsed.data.corpus, roots);
    const writeTo = allowedWriteTarget(parsed.data.writeTo);
    const owner = options.token ? digest(options.token).toString('hex') : 'anonymous';
    const release = await runCap.reserve(owner, researchWorkflowId(parsed.data.requestId));
    let started;
    try {
      started = await research.start({ ...parsed.data, corpus, writeTo });
    } catch (err) {
      release();
      throw err;
    }
    return c.json(
      { ...started, uiLink: workflowUiLink(settings, started.workflowId) ?? null },
      started.existing ? 200 : 201
    );
  });

  app.get('/api/research', async (c) => {
    const limit = Math.min(100, Math.max(1, Number.parseInt(c.req.query('limit') ?? '20', 10) || 20));
    return c.json({ runs: await research.list(limit) });
  });

  app.get('/api/research/:id', async (c) => {
    const id = c.req.param('id');
    const body: StatusResponse = {
      ...(await research.status(id)),
      uiLink: workflowUiLink(settings, id) ?? null,
    };
    return c.json(body);
  });

  app.post('/api/research/:id/answers', async (c) => {
    const body = await jsonObjectBody(c);
    onlyFields(body, ['answers'], 'answers');
    const parsed = AnswerClarifications.safeParse(body);
    if (!parsed.success)
      throw new HttpError(
        400,
        `invalid answers: ${issues(parsed.error)}`,
        'send {"answers": ["…", "…"]}, one per question'
      );
    return c.json(await research.answer(c.req.param('id'), parsed.data.answers));
  });

  app.post('/api/research/:id/skip', async (c) => c.json(await research.skip(c.req.param('id'))));

  app.post('/api/research/:id/cancel', async (c) => {
    // The body is optional: a reason, when one is sent.
    const body: { reason?: unknown } = c.req.header('content-type') ? await jsonObjectBody(c) : {};
    const reason = typeof body.reason === 'string' ? body.reason.slice(0, 500) : undefined;
    await research.cancel(c.req.param('id'), reason);
    return c.json({ cancelled: true }, 202);
  });

  app.get('/api/research/:id/result', async (c) => {
    const id = c.req.param('id');
    const status = await research.status(id);
    if (status.execution === 'RUNNING')
      throw new HttpError(
        409,
        `${id} has not finished yet (phase ${status.phase})`,
        'follow GET /api/research/:id/events until it ends'
      );
    const body: ResultResponse = {
      ...(await research.result(id)),
      corpusRoot: corpusArg(status.corpus?.root) ?? null,
    };
    return c.json(body);
  });

  app.get('/api/research/:id/artifacts/:name', async (c) => {
    const id = c.req.param('id');
    const name = c.req.param('name');
    if (name !== 'report.md' && name !== 'report.pdf')
      throw new HttpError(404, `no artifact ${name}; use report.md or report.pdf`);
    const status = await research.status(id);
    const ref = name === 'report.pdf' ? status.artifacts?.pdf : status.artifacts?.markdown;
    if (!ref) throw new HttpError(404, `${id} has no ${name} yet (phase ${status.phase})`);
    const bytes = await readArtifact(ref.path).catch(() => {
      throw new HttpError(
        404,
        `${name} of ${id} is not on this machine (${ref.path})`,
        'run the API server where the workers write artifacts (same STEADFAST_DATA_DIR)'
      );
    });
    const base = id.replace(/[^A-Za-z0-9._-]+/g, '_');
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': name === 'report.pdf' ? 'application/pdf' : 'text/markdown; charset=utf-8',
      'Content-Disposition': `attachment; filename="${base}-${name}"`,
    });
  });

  app.get('/api/research/:id/source', async (c) => {
    const id = c.req.param('id');
    const sourceId = c.req.query('sourceId') ?? '';
    if (!sourceId || sourceId.length > 500)
      throw new HttpError(400, 'pass ?sourceId=<relative/path.md#L10-L24> (at most 500 characters)');
    const status = await research.status(id);
    const corpus = corpusArg(status.corpus?.root);
    // A run started from the CLI may have read any folder; the API reads only the ones it may.
    if (!corpusReadable(corpus, roots))
      throw new HttpError(
        403,
        `the corpus of ${id} is outside the corpus roots of this server`,
        CORPUS_ROOT_HINT
      );
    const passage = await readDocument({ corpus, sourceId, window: 1 });
    const body: PassageResponse = passage;
    return c.json(body);
  });

  app.get('/api/research/:id/events', async (c) => {
    const id = c.req.param('id');
    const first = await research.status(id); // 404 before the stream opens
    const release = limiter.openStream(clientAddress(c));
    return streamSSE(c, (stream) =>
      streams.run(async (stop) => {
        // Ended by the client going away or the server closing.
        let gone = false;
        stream.onAbort(() => {
          gone = true;
          release();
        });
        const closed = () => gone || stop.aborted;
        const stopped = abortedBy(stop);
        try {
          let last = '';
          let status: LiveStatus = first;
          let seq = 0;
          for (;;) {
            const json = JSON.stringify(status);
            if (json !== last) {
              last = json;
              await stream.writeSSE({ event: 'status', data: json, id: String(seq++) });
            }
            if (ENDED.has(status.execution) || closed()) break;
            await Promise.race([stream.sleep(pollMs), stopped]);
            if (closed()) break;
            try {
              status = await research.status(id);
            } catch (err) {
              await stream.writeSSE({ event: 'problem', data: JSON.stringify(toHttpError(err).body.error) });
              await stream.sleep(pollMs * 2);
            }
          }
          if (!closed())
            await stream.writeSSE({
              event: 'end',
              data: JSON.stringify({ execution: status.execution, phase: status.phase }),
            });
        } finally {
          release();
        }
      })
    );
  });

  registerReviewRoutes(app, { research, token: options.token, clientAddress });
  registerConversationRoutes(app, {
    ...options,
    streams,
    openStream: (c) => limiter.openStream(clientAddress(c)),
  });
  registerTimelineRoutes(app, options);
  if (options.staticDir) app.get('*', staticFiles(options.staticDir));
  return app;
}
