// A tiny HTTP stand-in for a model *endpoint*, for the cases the offline model server cannot
// produce (a reasoning block, prose under a JSON schema, an empty reply): each test scripts the
// bodies; the OpenAI client and the Agents SDK models that read them are the real ones.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  body: any;
}

export interface StubReply {
  status?: number;
  body?: unknown;
  delayMs?: number;
}

export type StubHandler = (request: StubRequest, index: number) => StubReply | undefined;

export interface EndpointStub {
  url: string;
  /** url + '/v1' */
  baseURL: string;
  requests: StubRequest[];
  /** The requests to one path, e.g. '/v1/chat/completions'. */
  to(path: string): StubRequest[];
  close(): Promise<void>;
}

/** Starts the stub on a free port of 127.0.0.1; a request the handler leaves unanswered gets a 404. */
export async function startEndpointStub(handler: StubHandler, port = 0): Promise<EndpointStub> {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const request = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://x').pathname,
        body,
      };
      requests.push(request);
      const reply = handler(request, requests.length - 1) ?? {
        status: 404,
        body: { error: { message: `no route ${request.path}`, type: 'invalid_request_error' } },
      };
      const send = () => {
        if (res.destroyed) return;
        const text = JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let ids = 0;

/** A Chat Completions body with one choice. */
export function chatBody(
  message: { content?: string | null; reasoning_content?: string; tool_calls?: unknown[] },
  finishReason = 'stop'
) {
  return {
    id: `chatcmpl-${++ids}`,
    object: 'chat.completion',
    created: 0,
    model: 'stub',
    choices: [
      { index: 0, finish_reason: finishReason, message: { role: 'assistant', content: null, ...message } },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

/** A Responses API body: optional reasoning item, then one assistant message (when text is given). */
export function responsesBody(
  text: string | undefined,
  options: { reasoning?: string; status?: 'completed' | 'incomplete' } = {}
) {
  const n = ++ids;
  return {
    id: `resp_${n}`,
    object: 'response',
    created_at: 0,
    model: 'stub',
    status: options.status ?? 'completed',
    ...(options.status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    output: [
      ...(options.reasoning
        ? [{ type: 'reasoning', id: `rs_${n}`, summary: [{ type: 'summary_text', text: options.reasoning }] }]
        : []),
      ...(text !== undefined
        ? [
            {
              type: 'message',
              id: `msg_${n}`,
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text, annotations: [] }],
            },
          ]
        : []),
    ],
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
  };
}

/** The text of the last user message of a Chat Completions or Responses request body. */
export function lastUserText(body: any): string {
  const items: any[] = body.messages ?? (typeof body.input === 'string' ? [] : (body.input ?? []));
  const user = items.filter((m) => m.role === 'user').at(-1);
  if (!user) return typeof body.input === 'string' ? body.input : '';
  return typeof user.content === 'string'
    ? user.content
    : (user.content ?? []).map((p: any) => p.text ?? '').join('');
}
