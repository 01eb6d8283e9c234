import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertError, fx, QUESTION, type Case, type Ctx } from '../matrix.js';

const start = (ctx: Ctx, json: unknown) => ctx.api('/api/research', { method: 'POST', json });
const raw = (ctx: Ctx, body: string | Uint8Array, type = 'application/json') =>
  ctx.api('/api/research', { method: 'POST', body, headers: { 'content-type': type } });

/** Bodies and parameters of the HTTP API. */
export const httpCases: Case[] = [
  {
    group: 'http',
    name: 'a body over 64 KB',
    run: async (ctx) => assertError(await start(ctx, { question: 'x'.repeat(70 * 1024) }), 413, /too large/),
  },
  {
    group: 'http',
    name: 'a body over 64 KB sent in chunks, without a length',
    run: async (ctx) => {
      const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await fetch(new URL('/api/research', ctx.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      assertError({ status: res.status, body: await res.json(), headers: res.headers }, 413, /too large/);
    },
  },
  {
    group: 'http',
    name: 'a form instead of JSON',
    run: async (ctx) =>
      assertError(await raw(ctx, 'question=hi', 'application/x-www-form-urlencoded'), 415, /as JSON/),
  },
  {
    group: 'http',
    name: 'JSON that does not parse',
    run: async (ctx) => assertError(await raw(ctx, '{"question": "unterminated'), 400, /not valid JSON/),
  },
  {
    group: 'http',
    name: 'a body that is not UTF-8',
    run: async (ctx) =>
      assertError(
        await raw(
          ctx,
          Uint8Array.from([...Buffer.from('{"question": "caf'), 0xe9, 0xff, ...Buffer.from('?"}')])
        ),
        400,
        /not valid UTF-8/
      ),
  },
  {
    group: 'http',
    name: 'JSON nested 20,000 levels deep',
    run: async (ctx) =>
      assertError(
        await raw(ctx, `{"question": "why?", "preferences": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
        400,
        /nested too deeply/
      ),
  },
  {
    group: 'http',
    name: 'a JSON array instead of an object',
    run: async (ctx) => assertError(await start(ctx, [QUESTION]), 400, /must be a JSON object, not an array/),
  },
  {
    group: 'http',
    name: 'unknown fields',
    run: async (ctx) =>
      assertError(
        await start(ctx, { question: QUESTION, questoin: 'typo', admin: true }),
        400,
        /unknown fields "questoin", "admin"/,
        /question, corpus/
      ),
  },
  {
    group: 'http',
    name: 'task queues (the server decides where runs go)',
    run: async (ctx) =>
      assertError(
        await start(ctx, { question: QUESTION, taskQueues: { models: 'someone-elses-queue' } }),
        400,
        /unknown field "taskQueues"/
      ),
  },
  {
    group: 'http',
    name: 'wrong types',
    run: async (ctx) =>
      assertError(
        await start(ctx, { question: 42, clarify: 'yes', maxSearches: '5' }),
        400,
        /question: .*string.*clarify: .*boolean/
      ),
  },
  {
    group: 'http',
    name: 'a huge array where a string belongs',
    run: async (ctx) =>
      assertError(await start(ctx, { question: Array(10_000).fill('a') }), 400, /question: .*string/),
  },
  {
    group: 'http',
    name: 'an empty question',
    run: async (ctx) =>
      assertError(await start(ctx, { question: '   ' }), 400, /question: the question is empty/),
  },
  {
    group: 'http',
    name: 'a request id with a path in it',
    run: async (ctx) =>
      assertError(await start(ctx, { question: QUESTION, requestId: '../../x' }), 400, /requestId may hold/),
  },
  {
    group: 'http',
    name: 'limits out of range (a billion searches, a duration of "forever")',
    run: async (ctx) =>
      assertError(
        await start(ctx, { question: QUESTION, maxSearches: 1e9, clarificationTimeout: 'forever' }),
        400,
        /^(?=.*maxSearches: Too big)(?=.*clarificationTimeout: not a duration)/
      ),
  },
  {
    group: 'http',
    name: 'a corpus outside the roots (/etc)',
    run: async (ctx) =>
      assertError(
        await start(ctx, { question: QUESTION, corpus: '/etc' }),
        403,
        /outside the corpus roots/,
        /--corpus-root/
      ),
  },
  {
    group: 'http',
    name: 'a corpus that climbs out of a root (../)',
    run: async (ctx) =>
      assertError(
        await start(ctx, { question: QUESTION, corpus: `../${path.basename(ctx.outside)}` }),
        403,
        /outside the corpus roots/,
        /--corpus-root/
      ),
  },
  {
    group: 'http',
    name: 'a corpus under a root that is a symlink to the outside',
    run: async (ctx) => {
      writeFileSync(path.join(ctx.outside, 'secret.md'), '# secret\n');
      symlinkSync(ctx.outside, path.join(ctx.roots, 'escape'));
      assertError(
        await start(ctx, { question: QUESTION, corpus: 'escape' }),
        403,
        /"escape" is outside the corpus roots of this server \(symlinks are resolved\)/
      );
    },
  },
  {
    group: 'http',
    name: 'a corpus that does not exist (inside a root) or is a file',
    run: async (ctx) => {
      assertError(await start(ctx, { question: QUESTION, corpus: 'nope' }), 400, /corpus folder not found/);
      assertError(await start(ctx, { question: QUESTION, corpus: 'good/approvals.md' }), 400, /is a file/);
    },
  },
  {
    group: 'http',
    name: 'a server with no corpus roots takes only the default corpus',
    run: async (ctx) => {
      const bare = await ctx.startServer({ corpusRoots: [] });
      const reply = await ctx.api(
        '/api/research',
        { method: 'POST', json: { question: QUESTION, corpus: path.join(ctx.roots, 'good') } },
        bare.url
      );
      assertError(reply, 403, /only the default corpus/, /--corpus-root DIR/);
    },
  },
  {
    group: 'http',
    name: 'an artifact name that climbs out (../)',
    run: async (ctx) => {
      const id = encodeURIComponent(ctx.sentinel.id);
      assertError(await ctx.api(`/api/research/${id}/artifacts/..%2F..%2Fetc%2Fpasswd`), 404, /no artifact/);
    },
  },
  {
    group: 'http',
    name: 'a source id that climbs out (../)',
    run: async (ctx) => {
      const id = encodeURIComponent(ctx.sentinel.id);
      const reply = await ctx.api(
        `/api/research/${id}/source?sourceId=${encodeURIComponent('../../../../etc/passwd#L1-L5')}`
      );
      assert.ok(reply.status === 404 || reply.status === 400, `status ${reply.status}`);
      assert.doesNotMatch(JSON.stringify(reply.body), /root:x:0/);
      assert.ok(reply.body.error.message);
    },
  },
  {
    group: 'http',
    name: 'a run id that does not exist, with odd characters',
    run: async (ctx) => {
      const reply = await ctx.api(`/api/research/${encodeURIComponent('research-\u0000<script>')}`);
      assertError(reply, 404, /no research run/);
      assert.ok(!String(reply.headers.get('content-type')).includes('html'));
    },
  },
  {
    group: 'http',
    name: 'a cancel with a reason of the wrong type',
    run: async (ctx) => {
      // The reason is dropped, not trusted; an unknown run is still a 404.
      const reply = await ctx.api('/api/research/research-missing/cancel', {
        method: 'POST',
        json: { reason: { $gt: 1 } },
      });
      assertError(reply, 404, /no research run/);
      assert.ok(await fx.research.status(ctx.sentinel.id));
    },
  },
];
