import assert from 'node:assert/strict';
import { assertError, fx, QUESTION, type Case } from '../matrix.js';

const TOKEN = 'matrix-token-0123456789abcdef';

/** Limits per client and per token: 429 with Retry-After, and the other clients never notice. */
export const limitCases: Case[] = [
  {
    group: 'limits',
    name: 'a client over its request rate',
    run: async (ctx) => {
      const tight = await ctx.startServer({ limits: { requestsPerSecond: 1, burst: 3 } });
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await ctx.api('/api/health', {}, tight.url));
      assert.deepEqual(
        replies.map((r) => r.status),
        [200, 200, 200, 429, 429]
      );
      assertError(replies[3]!, 429, /too many requests/, /--rate-limit/);
      assert.ok(Number(replies[3]!.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
      assert.equal((await ctx.api('/api/health')).status, 200, 'the other server is not affected');
    },
  },
  {
    group: 'limits',
    name: 'more concurrent runs than the cap allows',
    run: async (ctx) => {
      const capped = await ctx.startServer({ limits: { runsPerToken: 1 } });
      const startOne = (name: string) =>
        ctx.api(
          '/api/research',
          { method: 'POST', json: { question: QUESTION, corpus: 'good', requestId: fx.requestId(name) } },
          capped.url
        );
      const first = await startOne('capped-1');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const second = await startOne('capped-2');
      assertError(second, 429, /1 runs started with this token are still running \(limit 1\)/, /--max-runs/);
      assert.equal(second.headers.get('retry-after'), '30');
      await fx.research.cancel(first.body.workflowId);
      await ctx.ended(first.body.workflowId);
      const third = await startOne('capped-3');
      assert.equal(third.status, 201, 'a place frees up when a run ends');
      await fx.research.cancel(third.body.workflowId);
      await ctx.ended(third.body.workflowId);
    },
  },
  {
    group: 'limits',
    name: 'too many event streams from one client',
    run: async (ctx) => {
      const narrow = await ctx.startServer({ limits: { streamsPerClient: 1 }, pollMs: 200 });
      const events = new URL(`/api/research/${encodeURIComponent(ctx.sentinel.id)}/events`, narrow.url);
      const abort = new AbortController();
      const first = await fetch(events, { signal: abort.signal });
      assert.equal(first.status, 200);
      try {
        assertError(await ctx.api(events.pathname, {}, narrow.url), 429, /event streams are already open/);
      } finally {
        abort.abort();
      }
      await first.body?.cancel().catch(() => undefined);
    },
  },
  {
    group: 'limits',
    name: 'wrong tokens, of every length, and a token in a POST query',
    run: async (ctx) => {
      const secured = await ctx.startServer({ token: TOKEN });
      for (const wrong of ['x', TOKEN.slice(0, -1), `${TOKEN}0`, 'y'.repeat(4096)])
        assertError(
          await ctx.api('/api/health', { headers: { authorization: `Bearer ${wrong}` } }, secured.url),
          401,
          /wrong API token/,
          /Authorization: Bearer/
        );
      assertError(
        await ctx.api(
          `/api/research?token=${TOKEN}`,
          { method: 'POST', json: { question: QUESTION } },
          secured.url
        ),
        401,
        /requires an API token/
      );
      const ok = await ctx.api('/api/health', { headers: { authorization: `Bearer ${TOKEN}` } }, secured.url);
      assert.equal(ok.status, 200);
    },
  },
];
