/**
 * What every model endpoint does with a request, whatever its wire API: log and count it,
 * apply the planned fault and latency, build the response with the endpoint's wire adapter,
 * and send it as JSON or as the endpoint's SSE sequence.
 */
import type http from 'node:http';
import { injectEarlyFault, sendMalformed } from '../fault-injection.js';
import { apiError, readBody, sendJson } from '../http-io.js';
import { primeMeaning } from '../meaning.js';
import { requestHash, respond, type BuiltResponse } from '../responder.js';
import type { RouteContext, ServerContext } from '../router.js';
import { formatSse, type SseEvent } from '../sse.js';
import type { WireAdapter } from '../wire/adapter.js';

export interface ModelEndpoint {
  /** The path counted in stats, whichever alias the request used. */
  pathKey: string;
  wire: WireAdapter;
  /** The SSE sequence of a built response (streamed and plain answers carry the same content). */
  events(built: BuiltResponse, request: any): SseEvent[];
}

function parseObject(raw: string): Record<string, any> | undefined {
  try {
    const body = JSON.parse(raw);
    return body && typeof body === 'object' && !Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

async function sendEvents(
  res: http.ServerResponse,
  events: SseEvent[],
  requestId: string,
  ctx: ServerContext
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': requestId,
  });
  for (const [i, e] of events.entries()) {
    // streamDelayMs paces the events, so that a streamed answer arrives over time as a model's would.
    if (i > 0 && ctx.settings.streamDelayMs > 0) await ctx.latency.sleep(ctx.settings.streamDelayMs);
    if (res.destroyed || ctx.closing()) return void res.destroy();
    res.write(formatSse(e));
  }
  res.end();
}

/** The route handler of a model endpoint. */
export function modelRequestHandler(endpoint: ModelEndpoint, ctx: ServerContext) {
  return async ({ req, res }: RouteContext): Promise<void> => {
    const raw = await readBody(req);
    const entry = ctx.tracker.begin(req, res, endpoint.pathKey);
    const body = parseObject(raw);
    if (!body) {
      entry.hash = requestHash(raw);
      sendJson(res, 400, apiError('The request body is not a JSON object.', 'invalid_request_error'));
      return;
    }
    ctx.bodyLog?.(body);
    entry.hash = requestHash(body);
    entry.model = typeof body.model === 'string' ? body.model : null;
    entry.stream = body.stream === true;
    const fault = ctx.settings.planner.next();
    ctx.tracker.fault(entry, fault);

    await ctx.latency.sleep(ctx.settings.latencyMs);
    if (res.destroyed || ctx.closing()) {
      if (!res.destroyed) res.destroy();
      return;
    }
    if (injectEarlyFault(req, res, fault, ctx.settings.planner.current().retryAfterSeconds)) return;

    let built: BuiltResponse;
    try {
      // Read once: the encoder is primed from the material the writer then reads.
      const conversation = endpoint.wire.read(body);
      await primeMeaning(conversation);
      built = respond(endpoint.wire, body, conversation);
    } catch (err) {
      sendJson(res, 500, apiError(`offline model failed: ${(err as Error).message}`, 'server_error'));
      return;
    }
    entry.kind = built.decision.kind;
    entry.tool = built.tool ?? null;
    entry.inputTokens = built.usage.input;
    entry.outputTokens = built.usage.output;

    if (fault === 'malformed') return sendMalformed(res, entry.stream, built.body);
    const requestId = `req_${entry.hash.slice(0, 24)}`;
    if (!entry.stream) return sendJson(res, 200, built.body, { 'x-request-id': requestId });
    await sendEvents(res, endpoint.events(built, body), requestId, ctx);
  };
}
