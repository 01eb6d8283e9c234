/**
 * The offline model server's routes: method + path to handler. Paths are matched without
 * trailing slashes; the model endpoints also answer without the `/v1` prefix, as OpenAI
 * clients configured with a bare base URL send them.
 */
import type http from 'node:http';
import type { BodyLog } from './body-log.js';
import { chatRoute } from './handlers/chat.js';
import { controlRoutes } from './handlers/control.js';
import { healthRoute } from './handlers/health.js';
import { modelsRoutes } from './handlers/models.js';
import { responsesRoute } from './handlers/responses.js';
import { apiError, BadRequest, sendJson } from './http-io.js';
import type { Latency } from './fault-injection.js';
import type { RequestTracker } from './request-tracker.js';
import type { RuntimeSettings } from './runtime-settings.js';

export interface RouteContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Captured groups of a pattern path. */
  params: string[];
}

export interface Route {
  methods: readonly string[];
  /** Exact paths, or a pattern whose groups become `params`. */
  path: readonly string[] | RegExp;
  handler: (ctx: RouteContext) => void | Promise<void>;
}

/** What the handlers share for the server's lifetime. */
export interface ServerContext {
  settings: RuntimeSettings;
  tracker: RequestTracker;
  latency: Latency;
  /** True once `close` was called: requests still waiting out their latency are dropped. */
  closing(): boolean;
  /** Records each request body, when a body log was asked for. */
  bodyLog?: BodyLog;
}

function find(routes: Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (!route.methods.includes(method)) continue;
    if (route.path instanceof RegExp) {
      const m = route.path.exec(path);
      if (m) return { route, params: m.slice(1) };
    } else if (route.path.includes(path)) return { route, params: [] };
  }
  return undefined;
}

/** The request handler of the server: routes, then turns thrown errors into API errors. */
export function createRouter(ctx: ServerContext) {
  const routes: Route[] = [
    responsesRoute(ctx),
    chatRoute(ctx),
    healthRoute,
    ...modelsRoutes,
    ...controlRoutes(ctx.settings, ctx.tracker),
  ];
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    res.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    try {
      const found = find(routes, method, path);
      if (found) return await found.route.handler({ req, res, params: found.params });
      sendJson(
        res,
        404,
        apiError(
          `No route for ${method} ${path} on the offline model server.`,
          'invalid_request_error',
          'not_found'
        )
      );
    } catch (err) {
      if (err instanceof BadRequest) sendJson(res, 400, apiError(err.message, 'invalid_request_error'));
      else
        sendJson(res, 500, apiError(`offline model server error: ${(err as Error).message}`, 'server_error'));
    }
  };
}
