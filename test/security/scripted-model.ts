// A model endpoint that misbehaves on request: it passes every call through to the offline model
// server, except the calls of a run whose question carries a `[[model:KIND]]` marker, which get a
// scripted bad answer. One worker pointed here serves well-behaved and broken runs side by side.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ModelMischief = 'invalid-json' | 'unknown-tool' | 'enormous' | 'refusal' | 'empty' | 'truncated';

/** Kinds that misbehave on the first call of their run only (a transient fault the run should ride out). */
const ONCE: ReadonlySet<ModelMischief> = new Set(['truncated']);

export const mischiefMarker = (kind: ModelMischief) => `[[model:${kind}]]`;

/** Characters of the enormous answer: more than Temporal takes in one payload (2 MB). */
export const ENORMOUS_CHARS = 3 * 1024 * 1024;

function responseBody(id: string, model: string, output: unknown[]): Record<string, unknown> {
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model,
    output,
    usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
  };
}

function message(content: unknown[]): unknown {
  return { type: 'message', id: 'msg_scripted', role: 'assistant', status: 'completed', content };
}

function mischief(kind: ModelMischief, id: string, model: string): Record<string, unknown> {
  const text = (t: string) => message([{ type: 'output_text', text: t, annotations: [] }]);
  switch (kind) {
    case 'invalid-json':
      return responseBody(id, model, [text('{"plan": [unterminated, this is not JSON')]);
    case 'unknown-tool':
      return responseBody(id, model, [
        {
          type: 'function_call',
          id: 'fc_scripted',
          call_id: 'call_scripted',
          name: 'delete_every_file',
          arguments: '{"path": "/"}',
          status: 'completed',
        },
      ]);
    case 'enormous':
      return responseBody(id, model, [text('lorem ipsum '.repeat(ENORMOUS_CHARS / 12))]);
    case 'refusal':
      return responseBody(id, model, [message([{ type: 'refusal', refusal: 'I cannot help with that.' }])]);
    case 'empty':
    case 'truncated':
      return responseBody(id, model, []);
  }
}

function sse(res: http.ServerResponse, body: Record<string, unknown>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(
    `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', response: body })}\n\n`
  );
  res.end(
    `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: body })}\n\n`
  );
}

export interface ScriptedModel {
  baseURL: string;
  /** Scripted answers sent so far, by kind. */
  served: Record<string, number>;
  /** Authorization headers the endpoint was sent. */
  authorizations: Set<string>;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 in front of `upstream` (the offline model server's base URL). */
export async function startScriptedModel(upstream: string): Promise<ScriptedModel> {
  const served: Record<string, number> = {};
  const authorizations = new Set<string>();
  const server = http.createServer((req, res) => {
    if (req.headers.authorization) authorizations.add(req.headers.authorization);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const kind = /\[\[model:([a-z-]+)\]\]/.exec(raw.toString('utf8'))?.[1] as ModelMischief | undefined;
      if (kind && req.url?.endsWith('/responses') && !(ONCE.has(kind) && served[kind])) {
        served[kind] = (served[kind] ?? 0) + 1;
        const request = JSON.parse(raw.toString('utf8')) as { model?: string; stream?: boolean };
        const body = mischief(kind, `resp_scripted_${served[kind]}`, request.model ?? 'scripted');
        if (request.stream) return sse(res, body);
        const text = JSON.stringify(body);
        if (kind === 'truncated') {
          // Half a body, as a connection cut mid-answer leaves it.
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(text.slice(0, text.length >> 1));
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        return res.end(text);
      }
      const target = new URL(`${upstream.replace(/\/$/, '')}${req.url?.replace(/^\/v1/, '') ?? ''}`);
      const forward = http.request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }
      );
      forward.on('error', () => res.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    served,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
