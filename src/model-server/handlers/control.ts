/**
 * The runtime control endpoints: `GET|POST|PUT /_steadfast/config` reads or changes latency and
 * faults while the server runs (for tests and chaos runs in other processes), and
 * `GET /_steadfast/stats` reports the request counters.
 */
import { BadRequest, readBody, sendJson } from '../http-io.js';
import type { RequestTracker } from '../request-tracker.js';
import type { Route } from '../router.js';
import type { ModelServerConfig, RuntimeSettings } from '../runtime-settings.js';

export function controlRoutes(settings: RuntimeSettings, tracker: RequestTracker): Route[] {
  return [
    {
      methods: ['GET'],
      path: ['/_steadfast/config'],
      handler: ({ res }) => sendJson(res, 200, settings.current()),
    },
    {
      methods: ['POST', 'PUT'],
      path: ['/_steadfast/config'],
      handler: async ({ req, res }) => {
        const raw = await readBody(req);
        let c: ModelServerConfig;
        try {
          c = raw.trim() ? JSON.parse(raw) : {};
        } catch {
          throw new BadRequest('config body is not JSON');
        }
        sendJson(res, 200, settings.configure(c));
      },
    },
    {
      methods: ['GET'],
      path: ['/_steadfast/stats'],
      handler: ({ res }) => sendJson(res, 200, tracker.stats()),
    },
  ];
}
