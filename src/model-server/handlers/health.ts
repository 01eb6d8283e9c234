/** `GET /healthz`: for supervisors waiting for the server to listen. */
import { sendJson } from '../http-io.js';
import { DEFAULT_MODEL } from '../identity.js';
import type { Route } from '../router.js';

export const healthRoute: Route = {
  methods: ['GET'],
  path: ['/healthz'],
  handler: ({ res }) => sendJson(res, 200, { ok: true, model: DEFAULT_MODEL }),
};
