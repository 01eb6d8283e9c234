/** HTTP plumbing shared by the handlers: bounded body reading, JSON replies, OpenAI-style errors. */
import type http from 'node:http';

const MAX_BODY = 64 * 1024 * 1024;

/** A client mistake; the router answers it with a 400 carrying the message. */
export class BadRequest extends Error {}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** An error body as the OpenAI APIs send it, so that clients report it as they would a real one. */
export function apiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}
