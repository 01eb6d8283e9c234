/** `POST /v1/chat/completions`: Chat Completions, plain and streamed (SSE), as local model servers speak it. */
import type { Route, ServerContext } from '../router.js';
import { chatEvents } from '../sse.js';
import { chatWire } from '../wire/chat.js';
import { modelRequestHandler } from './model-request.js';

export function chatRoute(ctx: ServerContext): Route {
  return {
    methods: ['POST'],
    path: ['/v1/chat/completions', '/chat/completions'],
    handler: modelRequestHandler(
      {
        pathKey: '/v1/chat/completions',
        wire: chatWire,
        // Usage comes as a last chunk only when the client asks for it.
        events: (built, request) => chatEvents(built.body, request.stream_options?.include_usage === true),
      },
      ctx
    ),
  };
}
