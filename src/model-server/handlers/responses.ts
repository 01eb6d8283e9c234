/** `POST /v1/responses`: the Responses API, plain and streamed (SSE). */
import type { Route, ServerContext } from '../router.js';
import { responsesEvents } from '../sse.js';
import { responsesWire } from '../wire/responses.js';
import { modelRequestHandler } from './model-request.js';

export function responsesRoute(ctx: ServerContext): Route {
  return {
    methods: ['POST'],
    path: ['/v1/responses', '/responses'],
    handler: modelRequestHandler(
      { pathKey: '/v1/responses', wire: responsesWire, events: (built) => responsesEvents(built.body) },
      ctx
    ),
  };
}
