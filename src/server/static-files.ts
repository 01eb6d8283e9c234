import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built UI; unknown paths outside /api get index.html (the UI routes by #hash). */
export function staticFiles(root: string) {
  const base = path.resolve(root);
  return async (c: Context) => {
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: { message: `no such endpoint: ${c.req.method} ${c.req.path}` } }, 404);
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path);
    } catch {
      return c.json({ error: { message: 'not found' } }, 404);
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    let file = path.resolve(base, `.${rel}`);
    if (!file.startsWith(base + path.sep)) return c.json({ error: { message: 'not found' } }, 404);
    const isFile = await stat(file)
      .then((s) => s.isFile())
      .catch(() => false);
    if (!isFile) file = path.join(base, 'index.html');
    const bytes = await readFile(file);
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const cache = file.includes(`${path.sep}assets${path.sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': type, 'Cache-Control': cache });
  };
}
