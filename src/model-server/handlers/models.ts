/**
 * `GET /v1/models` and `GET /v1/models/{id}`: clients that check a model exists before using it
 * find the offline model, and any id they ask for.
 */
import { sendJson } from '../http-io.js';
import { DEFAULT_MODEL } from '../identity.js';
import type { Route } from '../router.js';

const model = (id: string) => ({ id, object: 'model', created: 0, owned_by: 'steadfast' });

export const modelsRoutes: Route[] = [
  {
    methods: ['GET'],
    path: ['/v1/models', '/models'],
    handler: ({ res }) => sendJson(res, 200, { object: 'list', data: [model(DEFAULT_MODEL)] }),
  },
  {
    methods: ['GET'],
    path: /^\/v1\/models\/(.+)$/,
    handler: ({ res, params }) => sendJson(res, 200, model(decodeURIComponent(params[0]!))),
  },
];
