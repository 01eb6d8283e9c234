// A run's timeline and the payloads its steps received and returned. Mounted under /api/*, so the
// token check, the host allowlist and the rate limit of createApp apply; payload reads also refuse
// cross-site requests, as event streams do: they return whole model contexts, reports and passages.
import type { Client } from '@temporalio/client';
import type { Hono, MiddlewareHandler } from 'hono';
import type { TemporalSettings } from '../common/temporal-settings.js';
import type { PayloadView } from '../common/timeline-types.js';
import { loadTimeline } from '../client/timeline/load.js';
import { MAX_VIEW_BYTES, NoSuchPayload, viewPayload } from '../client/timeline/payload-view.js';
import { HttpError } from './errors.js';

export interface TimelineRouteOptions {
  client: Client;
  settings: Pick<TemporalSettings, 'uiUrl' | 'namespace'>;
  /** Origins allowed besides this server's own (`--allowed-origin`). */
  allowedOrigins?: readonly string[];
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function runIdParam(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!RUN_ID.test(value))
    throw new HttpError(
      400,
      `run id ${JSON.stringify(value.slice(0, 80))} is not a Temporal run id (a UUID)`,
      'the timeline lists the run ids of a workflow in chain.runs[].runId'
    );
  return value;
}

/** Same-origin (or allowlisted) pages only: a foreign Origin or a cross-site fetch gets 403. */
function sameOriginReads(allowedOrigins: readonly string[] = []): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const host = c.req.header('host')?.toLowerCase();
    let originHost: string | undefined;
    try {
      originHost = origin ? new URL(origin).host.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    if (origin !== undefined && originHost !== host && !allowed.has(origin))
      throw new HttpError(
        403,
        `payloads are not served to the page at ${origin.slice(0, 200)}`,
        'open the steadfast UI from this server, or start `steadfast serve` with --allowed-origin if that page is yours'
      );
    if (origin === undefined && (site === 'cross-site' || site === 'same-site'))
      throw new HttpError(403, `payloads are not served to ${site} requests`);
    return next();
  };
}

/** GET /api/research/:id/timeline[?runId=] and GET /api/research/:id/payloads/:runId/:eventId/:field[?maxBytes=]. */
export function registerTimelineRoutes(app: Hono, options: TimelineRouteOptions): void {
  app.get('/api/research/:id/timeline', async (c) =>
    c.json(
      await loadTimeline(options.client, options.settings, c.req.param('id'), {
        runId: runIdParam(c.req.query('runId')),
      })
    )
  );

  app.get(
    '/api/research/:id/payloads/:runId/:eventId/:field',
    sameOriginReads(options.allowedOrigins),
    async (c) => {
      const runId = runIdParam(c.req.param('runId'))!;
      const eventParam = c.req.param('eventId');
      if (!/^[1-9]\d{0,9}$/.test(eventParam))
        throw new HttpError(
          400,
          `event id ${JSON.stringify(eventParam.slice(0, 40))} is not a positive number`
        );
      const field = c.req.param('field');
      if (field !== 'input' && field !== 'result')
        throw new HttpError(
          400,
          `no payload field ${JSON.stringify(field.slice(0, 40))}; use input or result`
        );
      const maxParam = c.req.query('maxBytes');
      const maxBytes = maxParam === undefined ? undefined : Number(maxParam);
      if (maxBytes !== undefined && (!/^\d+$/.test(maxParam!) || maxBytes < 1 || maxBytes > MAX_VIEW_BYTES))
        throw new HttpError(400, `maxBytes must be a whole number from 1 to ${MAX_VIEW_BYTES}`);
      let view: PayloadView;
      try {
        view = await viewPayload(options.client, {
          workflowId: c.req.param('id'),
          runId,
          eventId: Number(eventParam),
          field,
          maxBytes,
        });
      } catch (err) {
        if (err instanceof NoSuchPayload) throw new HttpError(404, err.message, err.hint);
        throw err;
      }
      return c.json(view);
    }
  );
}
