import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureWebBuild, webDist } from '../../../src/server/web-build.js';
import { assertError, fx, QUESTION, type Case } from '../matrix.js';

const EVIL = 'http://attacker.example';

/** What a hostile web page can make a browser send: rebound names, cross-site posts and streams. */
export const browserCases: Case[] = [
  {
    group: 'browser',
    name: 'a Host name that is not ours (DNS rebinding), API and UI',
    run: async (ctx) => {
      for (const p of ['/api/research', '/']) {
        const reply = await ctx.api(p, { headers: { host: 'attacker.example' } });
        assertError(reply, 421, /does not answer to the host name "attacker\.example"/, /--allowed-host/);
      }
    },
  },
  {
    group: 'browser',
    name: 'a cross-site POST that would start a run',
    run: async (ctx) => {
      const requestId = fx.requestId('cross-site');
      const reply = await ctx.api('/api/research', {
        method: 'POST',
        json: { question: QUESTION, requestId },
        headers: { origin: EVIL },
      });
      assertError(
        reply,
        403,
        /from the page at http:\/\/attacker\.example are not allowed/,
        /--allowed-origin/
      );
      assertError(await ctx.api(`/api/research/research-${requestId}`), 404, /no research run/);
    },
  },
  {
    group: 'browser',
    name: 'a cross-site form that would cancel the waiting run',
    run: async (ctx) => {
      const reply = await ctx.api(`/api/research/${encodeURIComponent(ctx.sentinel.id)}/cancel`, {
        method: 'POST',
        body: 'reason=gotcha',
        headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
      });
      assertError(reply, 403, /not allowed/);
    },
  },
  {
    group: 'browser',
    name: 'a cross-site event stream',
    run: async (ctx) => {
      const reply = await ctx.api(`/api/research/${encodeURIComponent(ctx.sentinel.id)}/events`, {
        headers: { origin: EVIL },
      });
      assertError(reply, 403, /not allowed/);
    },
  },
  {
    group: 'browser',
    name: 'a cross-site request without Origin (Sec-Fetch-Site) and an opaque origin',
    run: async (ctx) => {
      const skip = `/api/research/${encodeURIComponent(ctx.sentinel.id)}/skip`;
      assertError(
        await ctx.api(skip, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } }),
        403,
        /cross-site/
      );
      assertError(await ctx.api(skip, { method: 'POST', headers: { origin: 'null' } }), 403, /not allowed/);
    },
  },
  {
    group: 'browser',
    name: 'same origin and allowlisted names and origins pass',
    run: async (ctx) => {
      const own = new URL(ctx.url).origin;
      // Same origin reaches the handler: an unknown run is a 404, not a 403.
      assertError(
        await ctx.api('/api/research/research-none/skip', { method: 'POST', headers: { origin: own } }),
        404,
        /no research run/
      );
      const open = await ctx.startServer({
        allowedHosts: ['research.example.com'],
        allowedOrigins: ['https://ui.example.com'],
      });
      const health = await ctx.api('/api/health', { headers: { host: 'research.example.com' } }, open.url);
      assert.equal(health.status, 200);
      assertError(
        await ctx.api(
          '/api/research/research-none/skip',
          { method: 'POST', headers: { origin: 'https://ui.example.com' } },
          open.url
        ),
        404,
        /no research run/
      );
    },
  },
  {
    group: 'browser',
    name: 'security headers on the UI (a CSP without unsafe-inline) and the API',
    run: async (ctx) => {
      const staticDir = existsSync(path.join(webDist, 'index.html')) ? webDist : await ensureWebBuild();
      const ui = await ctx.startServer({ staticDir });
      const page = await ctx.api('/', {}, ui.url);
      assert.equal(page.status, 200);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.doesNotMatch(
        String(page.body),
        /<script>|<style>|\sstyle=|\son[a-z]+=/i,
        'the page has nothing inline'
      );
      const api = await ctx.api('/api/health', {}, ui.url);
      for (const reply of [page, api]) {
        assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(reply.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(reply.headers.get('x-frame-options'), 'DENY');
      }
      assert.match(api.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    },
  },
];
