// fetchPage against a local site: extraction of each kind, passages shaped like corpus hits,
// robots.txt, redirects, caps on size and time, content types, HTTP failures and the stored copy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createWebActivities } from '../../../src/activities/web/index.js';
import { startSite, type Site } from '../../fixtures/web/site.js';

process.env.STEADFAST_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'steadfast-web-fetch-'));

let site: Site;
let web: ReturnType<typeof createWebActivities>;
const env: Record<string, string> = {};

before(async () => {
  site = await startSite();
  Object.assign(env, { STEADFAST_FETCH_ALLOW: site.hostPort, STEADFAST_FETCH_TIMEOUT: '2s' });
  web = createWebActivities({ env });
});
after(() => site.close());

/** A URL of the site no other test fetched (the stored copy is per URL). */
let n = 0;
const fresh = (p: string) => `${site.origin}${p}${p.includes('?') ? '&' : '?'}case=${++n}`;

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the fetch to fail');
}

describe('fetchPage reads pages', () => {
  test('HTML: the article without site chrome, with its headings, as corpus-shaped hits', async () => {
    const url = fresh('/article.html');
    const page = await web.fetchPage({ url: url + '#section', query: 'when does the zebra migration start' });
    assert.equal(page.title, 'Zebra migration facts');
    assert.equal(page.kind, 'html');
    assert.equal(page.url, url);
    assert.equal(page.reused, false);
    assert.equal(page.matchedQuery, true);
    assert.ok(page.passages >= 2);
    const top = page.results[0]!;
    assert.match(top.excerpt, /starts in early December/);
    assert.equal(top.title, 'Zebra migration facts › When the herds move');
    assert.equal(top.path, url);
    assert.ok(top.sourceId.startsWith(`${url}#L`), top.sourceId);
    assert.equal(top.fetchedAt, page.fetchedAt);
    assert.ok(!Number.isNaN(Date.parse(top.fetchedAt)));
    const all = page.results.map((r) => r.excerpt).join('\n');
    assert.doesNotMatch(all, /Copyright 2024|Subscribe|Giraffes/, 'footer and sidebar are not the article');
    const ua = site.requests.find((r) => r.path === new URL(url).pathname + new URL(url).search)?.headers[
      'user-agent'
    ];
    assert.match(String(ua), /steadfast\/\d+\.\d+\.\d+/);
  });

  test('without a query: the first passages of the page', async () => {
    const page = await web.fetchPage({ url: fresh('/article.html'), limit: 2 });
    assert.equal(page.matchedQuery, false);
    assert.equal(page.results.length, 2);
    assert.match(page.results[0]!.excerpt, /two hundred thousand zebras/);
  });

  test('a query no passage matches gives the first passages, said so', async () => {
    const page = await web.fetchPage({
      url: fresh('/article.html'),
      query: 'quantum chromodynamics',
      limit: 1,
    });
    assert.equal(page.matchedQuery, false);
    assert.match(page.results[0]!.excerpt, /two hundred thousand zebras/);
  });

  test('PDF, Markdown (also as text/plain .md), plain text, gzip and a declared Latin-1 charset', async () => {
    const pdf = await web.fetchPage({ url: fresh('/paper.pdf'), query: 'zebra river' });
    assert.equal(pdf.kind, 'pdf');
    assert.equal(pdf.title, 'paper.pdf');
    assert.match(pdf.results[0]!.sourceId, /paper\.pdf\?case=\d+#p2$/);
    assert.match(pdf.results[0]!.excerpt, /crosses the river/);

    const md = await web.fetchPage({ url: fresh('/guide.md'), query: 'codling moth traps' });
    assert.equal(md.kind, 'markdown');
    assert.equal(md.title, 'Orchard guide');
    assert.equal(md.results[0]!.title, 'Orchard guide · Pests');
    const raw = await web.fetchPage({ url: fresh('/raw/guide.md') });
    assert.equal(raw.kind, 'markdown');

    const txt = await web.fetchPage({ url: fresh('/notes.txt'), query: 'descaling espresso' });
    assert.equal(txt.kind, 'text');
    assert.match(txt.results[0]!.excerpt, /descaling every month/);

    const gz = await web.fetchPage({ url: fresh('/gzip.html'), query: 'stripes biting flies' });
    assert.match(gz.results[0]!.excerpt, /biting flies/);

    const latin = await web.fetchPage({ url: fresh('/latin1.txt') });
    assert.match(latin.results[0]!.excerpt, /Café crème brûlée/);
  });

  test('redirects are followed (at most 5) and the page is cited at its final URL', async () => {
    const page = await web.fetchPage({ url: `${site.origin}/chain/4`, query: 'stripes' });
    assert.equal(page.url, `${site.origin}/article.html`);
    assert.equal(page.requestedUrl, `${site.origin}/chain/4`);
    assert.ok(page.results[0]!.sourceId.startsWith(`${site.origin}/article.html#`));
    const err = await failure(web.fetchPage({ url: `${site.origin}/chain/5` }));
    assert.equal(err.type, 'TooManyRedirects');
    assert.equal(err.nonRetryable, true);
  });

  test('source ids keep citation markers intact: , ; [ ] ( ) and spaces are percent-encoded', async () => {
    const page = await web.fetchPage({ url: `${site.origin}/guide.md?a=1,2;b=[x]` });
    const id = page.results[0]!.sourceId;
    assert.doesNotMatch(id.split('#')[0]!, /[,;[\]() ]/);
    assert.match(id, /a=1%2C2%3Bb=%5Bx%5D#L\d+-L\d+$/);
    assert.equal(page.results[0]!.path, page.url);
  });
});

describe('fetchPage keeps each run to one copy of a page', () => {
  test('a repeated (or retried) fetch of a URL reads the stored copy, not the site', async () => {
    const url = fresh('/article.html');
    const first = await web.fetchPage({ url, query: 'stripes' });
    const visits = site.hits(new URL(url).pathname + new URL(url).search);
    assert.equal(visits, 1);
    const again = await web.fetchPage({ url, query: 'migration December' });
    assert.equal(again.reused, true);
    assert.equal(again.fetchedAt, first.fetchedAt);
    assert.equal(site.hits(new URL(url).pathname + new URL(url).search), 1, 'the site was not asked again');
    assert.match(again.results[0]!.excerpt, /December/);
  });
});

describe('fetchPage respects robots.txt', () => {
  test('disallowed paths are refused, for "*" and for the steadfast group; robots.txt is read once per site', async () => {
    const robotsBefore = site.hits('/robots.txt');
    const err = await failure(web.fetchPage({ url: fresh('/private/secret.html') }));
    assert.equal(err.type, 'RobotsDisallowed');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /robots\.txt does not allow steadfast/);
    const own = await failure(web.fetchPage({ url: fresh('/no-steadfast/page.html') }));
    assert.equal(own.type, 'RobotsDisallowed');
    assert.equal(site.hits('/private/secret.html'), 0);
    assert.equal(site.hits('/no-steadfast/page.html'), 0);
    assert.ok(site.hits('/robots.txt') - robotsBefore <= 1, 'robots.txt is cached per site');
  });

  test('STEADFAST_FETCH_ROBOTS=off fetches them; a missing robots.txt allows everything', async () => {
    const off = createWebActivities({ env: { ...env, STEADFAST_FETCH_ROBOTS: 'off' } });
    const page = await off.fetchPage({ url: fresh('/no-steadfast/page.html') });
    assert.equal(page.title, 'Zebra migration facts');

    const saved = site.robots;
    site.robots = undefined;
    try {
      const fresh404 = createWebActivities({ env });
      const ok = await fresh404.fetchPage({ url: fresh('/private/secret.html') });
      assert.equal(ok.kind, 'html');
    } finally {
      site.robots = saved;
    }
  });

  test('a robots.txt that cannot be read (5xx) holds the site back, retryably and not remembered', async () => {
    const saved = site.robots;
    const flaky = createWebActivities({ env });
    const url = fresh('/article.html');
    site.robots = 503;
    try {
      const err = await failure(flaky.fetchPage({ url }));
      assert.equal(err.type, 'FetchUnavailable');
      assert.equal(err.nonRetryable, false);
      assert.match(err.message, /robots\.txt of .* answered 503/);
      assert.equal(site.hits(new URL(url).pathname + new URL(url).search), 0, 'the page was not fetched');
    } finally {
      site.robots = saved;
    }
    const later = await flaky.fetchPage({ url });
    assert.equal(later.title, 'Zebra migration facts');
  });
});

describe('fetchPage fails clearly, never hangs', () => {
  test('content types other than HTML, PDF, text and Markdown are refused before the body is read', async () => {
    for (const p of ['/image.png', '/data.json', '/untyped']) {
      const err = await failure(web.fetchPage({ url: fresh(p) }));
      assert.equal(err.type, 'UnsupportedContentType', p);
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /only HTML, PDF, plain text and Markdown/);
    }
  });

  test('too large: by declared length, while streaming, and once decompressed', async () => {
    const small = createWebActivities({ env: { ...env, STEADFAST_FETCH_MAX_BYTES: String(1024 * 1024) } });
    const cases: [string, RegExp][] = [
      ['/big-declared.html', /declares 52428800 bytes, more than the 1048576-byte limit/],
      ['/big.html', /is larger than the 1048576-byte limit/], // chunked: counted while streaming
      ['/bomb.html', /is larger than the 1048576-byte limit/], // 20 KB gzip, 20 MB inflated
    ];
    for (const [p, why] of cases) {
      const err = await failure(small.fetchPage({ url: fresh(p) }));
      assert.equal(err.type, 'PageTooLarge', `${p}: ${err.message}`);
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, why, p);
    }
  });

  test('no answer, or a body that never ends: a typed timeout at the time cap', async () => {
    for (const p of ['/hang', '/trickle.html']) {
      const started = Date.now();
      const err = await failure(web.fetchPage({ url: fresh(p) }));
      const took = Date.now() - started;
      assert.equal(err.type, 'FetchTimeout', `${p}: ${err.message}`);
      assert.equal(err.nonRetryable, false);
      assert.ok(took >= 1500 && took < 6000, `${p} ended after ${took} ms (cap 2 s)`);
    }
  });

  test('HTTP failures: 404 is final; 429 and 503 are retryable with Retry-After as the next delay', async () => {
    const notFound = await failure(web.fetchPage({ url: fresh('/status/404') }));
    assert.equal(notFound.type, 'FetchFailed');
    assert.equal(notFound.nonRetryable, true);
    assert.match(notFound.message, /answered 404 \(not found\)/);

    const limited = await failure(web.fetchPage({ url: fresh('/status/429?retry=9') }));
    assert.equal(limited.type, 'FetchUnavailable');
    assert.equal(limited.nonRetryable, false);
    assert.equal(limited.nextRetryDelay, 9000);

    const down = await failure(web.fetchPage({ url: fresh('/status/503') }));
    assert.equal(down.type, 'FetchUnavailable');
    assert.equal(down.nextRetryDelay, undefined);
  });

  test('a page with no readable text says so', async () => {
    const err = await failure(web.fetchPage({ url: fresh('/empty.html') }));
    assert.equal(err.type, 'UnreadablePage');
    assert.match(err.message, /no readable text/);
  });

  test('a closed port is retryable, an unknown config value is refused with its name', async () => {
    const err = await failure(
      createWebActivities({
        env: { STEADFAST_FETCH_ALLOW: '127.0.0.1:1', STEADFAST_FETCH_ROBOTS: 'off' },
      }).fetchPage({
        url: 'http://127.0.0.1:1/',
      })
    );
    assert.equal(err.type, 'FetchUnavailable');
    assert.match(err.message, /ECONNREFUSED/);

    const bad = await failure(
      createWebActivities({ env: { STEADFAST_FETCH_ALLOW: '127.0.0.1' } }).fetchPage({
        url: `${site.origin}/x`,
      })
    );
    assert.equal(bad.type, 'WebConfigInvalid');
    assert.match(
      bad.message,
      /STEADFAST_FETCH_ALLOW="127\.0\.0\.1" is not valid: expected host:port entries/
    );
  });

  test('https: certificates are verified; a self-signed one is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steadfast-web-tls-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    // A throwaway self-signed certificate for localhost.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
      ],
      { stdio: 'ignore' }
    );
    let handshakes = 0;
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
      res.end('hi')
    );
    server.on('connection', () => handshakes++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const tls = createWebActivities({
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
        env: { STEADFAST_FETCH_ALLOW: `localhost:${port}`, STEADFAST_FETCH_ROBOTS: 'off' },
      });
      const err = await failure(tls.fetchPage({ url: `https://localhost:${port}/page` }));
      assert.equal(err.type, 'FetchFailed', err.message);
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /TLS failed for https:\/\/localhost:\d+\/page: self[- ]signed certificate/);
      assert.equal(handshakes, 1, 'the TLS connection went to the pinned address');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
