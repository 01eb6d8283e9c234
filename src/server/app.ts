import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { readDocument } from '../activities/corpus.js';
import { packageRoot } from '../common/paths.js';
import { ResearchClient } from '../client/research.js';
import { workflowUiLink, type TemporalSettings } from '../common/temporal-settings.js';
import { loadTimeline } from '../client/timeline/load.js';
import { AnswerClarifications, ResearchInput } from '../workflows/input.js';
import { HttpError, toHttpError } from './errors.js';
import type { LiveStatus } from '../common/research-types.js';
import type { PassageResponse, ResultResponse, StatusResponse } from '../common/api-types.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

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
}

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

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, 'send the body as JSON (Content-Type: application/json)');
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
}

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
}

/** The HTTP API (and the static web UI). Every operation goes through the shared ResearchClient. */
export function createApp(options: AppOptions): Hono {
  const { research, settings } = options;
  const pollMs = options.pollMs ?? 500;
  const app = new Hono();

  app.onError((err, c) => {
    const { status, body } = toHttpError(err);
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json({ error: { message: `no such endpoint: ${c.req.method} ${c.req.path}` } }, 404));

  app.use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
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
      onError: (c) =>
        c.json({ error: { message: `request body too large (limit ${BODY_LIMIT_BYTES / 1024} KB)` } }, 413),
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
    const body = (await jsonBody(c)) as Record<string, unknown>;
    const parsed = ResearchInput.safeParse({ requestId: crypto.randomUUID(), ...body });
    if (!parsed.success) throw new HttpError(400, `invalid research request: ${issues(parsed.error)}`);
    const started = await research.start(parsed.data);
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
    const parsed = AnswerClarifications.safeParse(await jsonBody(c));
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
    const body = (await jsonBody(c).catch(() => ({}))) as { reason?: unknown };
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
    const bytes = await readFile(ref.path).catch(() => {
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
    const passage = await readDocument({ corpus: corpusArg(status.corpus?.root), sourceId, window: 1 });
    const body: PassageResponse = passage;
    return c.json(body);
  });

  app.get('/api/research/:id/timeline', async (c) =>
    c.json(await loadTimeline(options.client, settings, c.req.param('id')))
  );

  app.get('/api/research/:id/events', async (c) => {
    const id = c.req.param('id');
    const first = await research.status(id); // 404 before the stream opens
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      let last = '';
      let status: LiveStatus = first;
      let seq = 0;
      for (;;) {
        const json = JSON.stringify(status);
        if (json !== last) {
          last = json;
          await stream.writeSSE({ event: 'status', data: json, id: String(seq++) });
        }
        if (ENDED.has(status.execution) || closed) break;
        await stream.sleep(pollMs);
        if (closed) break;
        try {
          status = await research.status(id);
        } catch (err) {
          await stream.writeSSE({ event: 'problem', data: JSON.stringify(toHttpError(err).body.error) });
          await stream.sleep(pollMs * 2);
        }
      }
      if (!closed)
        await stream.writeSSE({
          event: 'end',
          data: JSON.stringify({ execution: status.execution, phase: status.phase }),
        });
    });
  });

  if (options.staticDir) app.get('*', staticFiles(options.staticDir));
  return app;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built UI; unknown paths outside /api get index.html (the UI routes by #hash). */
function staticFiles(root: string) {
  const base = path.resolve(root);
  return async (c: Context) => {
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: { message: `no such endpoint: ${c.req.method} ${c.req.path}` } }, 404);
    let rel = decodeURIComponent(c.req.path);
    if (rel === '/' || rel === '') rel = '/index.html';
    let file = path.resolve(base, `.${rel}`);
    if (!file.startsWith(base + path.sep)) return c.json({ error: { message: 'not found' } }, 404);
    const isFile = await stat(file)
      .then((s) => s.isFile())
      .catch(() => false);
    if (!isFile) file = path.join(base, 'index.html');
    const bytes = await readFile(file);
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const cache = file.includes(`${path.sep}assets${path.sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': type,
      'Cache-Control': cache,
      'X-Content-Type-Options': 'nosniff',
      ...(type.startsWith('text/html')
        ? {
            'Content-Security-Policy':
              "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
          }
        : {}),
    });
  };
}
