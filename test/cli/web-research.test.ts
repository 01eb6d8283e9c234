import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/common/paths.js';
import { testFixture } from '../../src/testing/fixture.js';
import { startCanary } from '../fixtures/web/site.js';

const bin = path.join(packageRoot, 'bin', 'steadfast.js');
const fx = testFixture({ model: true });

const PAGES: Record<string, string> = {
  '/kiln.html': `<!doctype html><html><head><title>Firing a wood kiln</title></head><body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<article><h1>Firing a wood kiln</h1>
<p>A wood-fired anagama kiln is fired for five days without a break, so the stokers work in shifts.</p>
<h2>Cone temperatures</h2>
<p>Stoneware glazes mature at cone 10, which is about 1300 degrees Celsius in a wood kiln.</p>
<p>Ash from the burning wood melts on the pots and forms a natural glaze.</p></article>
<footer>Copyright The Pottery Club.</footer></body></html>`,
  '/glaze.html': `<!doctype html><html><head><title>Natural ash glaze</title></head><body><article>
<h1>Natural ash glaze</h1><p>Ash glaze forms when wood ash lands on the pots during a long wood firing.</p>
<p>Pots near the firebox collect the thickest ash glaze.</p></article></body></html>`,
};

/** A SearXNG-format search endpoint and the pages it points to, on one loopback port. */
async function startSite(canaryPort: number): Promise<{ server: Server; origin: string; hostPort: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/search' && url.searchParams.get('format') === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          query: url.searchParams.get('q'),
          results: [
            { title: 'Firing a wood kiln', url: `${origin}/kiln.html`, content: 'cone temperatures' },
            // Search results that point where a fetch must never go.
            { title: 'Admin', url: `http://127.0.0.1:${canaryPort}/admin`, content: 'internal' },
            { title: 'Metadata', url: 'http://169.254.169.254/latest/meta-data/', content: 'cloud' },
            { title: 'Natural ash glaze', url: `${origin}/glaze.html`, content: 'ash' },
          ],
        })
      );
      return;
    }
    const page = PAGES[url.pathname];
    if (url.pathname === '/robots.txt') res.writeHead(404).end();
    else if (page) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, origin: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}` };
}

test('--web: answers from the pages of a site with their URLs cited; internal results are refused and reported, never reached', async () => {
  const canary = await startCanary();
  const site = await startSite(canary.port);
  fx.defer(async () => {
    await canary.close();
    await new Promise<void>((resolve) => site.server.close(() => resolve()));
  });
  const webEnv = { STEADFAST_SEARXNG_URL: site.origin, STEADFAST_FETCH_ALLOW: site.hostPort };
  await fx.spawnWorker({ env: webEnv });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      bin,
      'research',
      'At what cone do stoneware glazes mature in a wood kiln?',
      '--web',
      '--no-clarify',
      '--json',
    ],
    {
      env: {
        ...process.env,
        ...webEnv,
        TEMPORAL_ADDRESS: fx.settings.address,
        STEADFAST_TASK_QUEUE: fx.settings.taskQueue,
      },
      maxBuffer: 20 * 1024 * 1024,
    }
  );
  const out = JSON.parse(stdout.trim());
  assert.equal(out.status, 'COMPLETED');
  const urls = (out.citations as { path: string; fetchedAt?: string }[]).map((c) => c);
  assert.ok(urls.length > 0, 'the report cites web pages');
  for (const c of urls) {
    assert.ok(c.path.startsWith(site.origin), `cites a page of the site: ${c.path}`);
    assert.ok(c.fetchedAt && !Number.isNaN(Date.parse(c.fetchedAt)), 'with the time it was fetched');
  }
  assert.match(out.summary, /cone 10/, 'the summary answers from the page');
  const unread = out.web.unread as { url: string; reason: string }[];
  assert.ok(
    unread.some((u) => u.url.includes(`:${canary.port}/`) && /FetchRefused/.test(u.reason)),
    JSON.stringify(unread)
  );
  assert.ok(unread.some((u) => u.url.includes('169.254.169.254') && /FetchRefused/.test(u.reason)));
  assert.match(
    out.markdown,
    /## Pages not read[\s\S]*169\.254\.169\.254/,
    'the report says which pages were not read'
  );
  assert.equal(out.web.provider, 'searxng');
  assert.equal(canary.connections(), 0, 'nothing reached the internal listener');
});
