// webSearch against local endpoints in the SearXNG, Brave and Tavily formats: provider choice,
// result cleaning, retryable and final failures, and keys that never leave the worker's environment.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { createWebActivities } from '../../../src/activities/web/index.js';
import { startCanary, startSite, type Canary, type Site } from '../../fixtures/web/site.js';

let site: Site;
let canary: Canary;

before(async () => {
  site = await startSite();
  canary = await startCanary('127.0.0.1');
});
after(async () => {
  await site.close();
  await canary.close();
});

const searxng = (extra: Record<string, string> = {}) =>
  createWebActivities({
    env: { STEADFAST_SEARXNG_URL: `${site.origin}/searxng`, STEADFAST_FETCH_ALLOW: site.hostPort, ...extra },
  });

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the search to fail');
}

describe('webSearch with SearXNG', () => {
  test('results are http(s) only, each URL once, plain text, bounded, and the provider is named', async () => {
    const result = await searxng().webSearch({ query: '  zebra   migration ', limit: 3 });
    assert.equal(result.provider, 'searxng');
    assert.equal(result.query, 'zebra migration');
    assert.deepEqual(
      result.results.map((r) => r.url),
      [`${site.origin}/article.html`, `${site.origin}/guide.md`, `${site.origin}/notes.txt`]
    );
    assert.equal(result.results[0]!.title, 'Zebra migration facts');
    assert.equal(result.results[0]!.snippet, 'Herds walk & graze.');
    const sent = site.requests.filter((r) => r.path.startsWith('/searxng/search')).at(-1)!;
    const params = new URL(sent.path, site.origin).searchParams;
    assert.equal(params.get('q'), 'zebra migration');
    assert.equal(params.get('format'), 'json');
    assert.match(String(sent.headers['user-agent']), /steadfast\//);

    const bounded = await searxng().webSearch({ query: 'zebra', limit: 1 });
    assert.equal(bounded.results.length, 1);
  });

  test('429 and 5xx are retryable, 429 with its Retry-After as the next retry delay', async () => {
    const limited = await failure(searxng().webSearch({ query: 'rate limited' }));
    assert.equal(limited.type, 'WebSearchUnavailable');
    assert.equal(limited.nonRetryable, false);
    assert.equal(limited.nextRetryDelay, 7000);
    assert.match(limited.message, /SearXNG answered 429 \(rate limited\); retry after 7 s/);

    const down = await failure(searxng().webSearch({ query: 'server down' }));
    assert.equal(down.type, 'WebSearchUnavailable');
    assert.equal(down.nonRetryable, false);

    const slow = await failure(searxng({ STEADFAST_SEARCH_TIMEOUT: '500ms' }).webSearch({ query: 'slow' }));
    assert.equal(slow.type, 'WebSearchUnavailable');
    assert.equal(slow.nonRetryable, false);
  });

  test('4xx, redirects and answers that are not JSON results are final, each with the fix', async () => {
    const off = await failure(searxng().webSearch({ query: 'json off' }));
    assert.equal(off.type, 'WebSearchRejected');
    assert.equal(off.nonRetryable, true);
    assert.match(off.message, /search\.formats in its settings\.yml/);

    const bad = await failure(searxng().webSearch({ query: 'bad request' }));
    assert.equal(bad.type, 'WebSearchRejected');
    assert.match(bad.message, /\(400: bad query syntax\)/);

    const garbage = await failure(searxng().webSearch({ query: 'garbage' }));
    assert.equal(garbage.type, 'WebSearchBadResponse');
    assert.equal(garbage.nonRetryable, true);

    const moved = await failure(searxng().webSearch({ query: 'moved' }));
    assert.equal(moved.type, 'WebSearchRejected');
    assert.match(moved.message, /redirected the search to \/elsewhere/);

    const empty = await failure(searxng().webSearch({ query: '   ' }));
    assert.equal(empty.type, 'InvalidQuery');
  });

  test('the endpoint goes through the fetch guard: a loopback endpoint must be allowed explicitly', async () => {
    const unlisted = createWebActivities({
      env: { STEADFAST_SEARXNG_URL: `http://127.0.0.1:${canary.port}` },
    });
    const err = await failure(unlisted.webSearch({ query: 'zebra' }));
    assert.equal(err.type, 'FetchRefused');
    assert.match(err.message, /SearXNG endpoint: 127\.0\.0\.1 is loopback/);
    assert.match(err.message, new RegExp(`add "127\\.0\\.0\\.1:${canary.port}" to STEADFAST_FETCH_ALLOW`));
    assert.equal(canary.connections(), 0);
  });
});

describe('webSearch with Brave and Tavily', () => {
  const brave = (key: string) =>
    createWebActivities({
      env: {
        BRAVE_API_KEY: key,
        STEADFAST_BRAVE_URL: `${site.origin}/brave/res/v1/web/search`,
        STEADFAST_FETCH_ALLOW: site.hostPort,
      },
    });

  test('Brave: key in X-Subscription-Token, count from the limit, descriptions as snippets', async () => {
    const result = await brave('brave-secret-key').webSearch({ query: 'zebra', limit: 4 });
    assert.equal(result.provider, 'brave');
    assert.deepEqual(result.results[0], {
      title: 'Brave & zebras',
      url: `${site.origin}/article.html`,
      snippet: 'Zebra herds',
    });
    assert.equal(result.results[1]!.snippet, 'count=4');
    assert.doesNotMatch(JSON.stringify(result), /brave-secret-key/);
    const none = await brave('brave-secret-key').webSearch({ query: 'nothing' });
    assert.deepEqual(none.results, []);
  });

  test('Brave: a rejected key is final, names the variable, and is never repeated', async () => {
    const err = await failure(brave('wrong-key-123').webSearch({ query: 'zebra' }));
    assert.equal(err.type, 'WebSearchRejected');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /check BRAVE_API_KEY/);
    assert.doesNotMatch(err.message, /wrong-key-123/);
    assert.match(err.message, /invalid token \[redacted\]/);
    assert.doesNotMatch(JSON.stringify(err.details ?? []), /wrong-key-123/);
  });

  test('Tavily: POST with a bearer key and max_results', async () => {
    const tavily = createWebActivities({
      env: {
        TAVILY_API_KEY: 'tvly-secret',
        STEADFAST_TAVILY_URL: `${site.origin}/tavily/search`,
        STEADFAST_FETCH_ALLOW: site.hostPort,
      },
    });
    const result = await tavily.webSearch({ query: 'zebra', limit: 2 });
    assert.equal(result.provider, 'tavily');
    assert.deepEqual(result.results, [
      { title: 'Tavily zebras', url: `${site.origin}/article.html`, snippet: 'max 2' },
    ]);
    const sent = site.requests.filter((r) => r.path === '/tavily/search').at(-1)!;
    assert.equal(sent.method, 'POST');
    assert.deepEqual(JSON.parse(sent.body), { query: 'zebra', max_results: 2, search_depth: 'basic' });
  });
});

describe('choosing the provider', () => {
  test('none configured: a clear, final error; describeWebTools says why', async () => {
    const none = createWebActivities({ env: {} });
    const err = await failure(none.webSearch({ query: 'zebra' }));
    assert.equal(err.type, 'WebSearchNotConfigured');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /STEADFAST_SEARXNG_URL.*BRAVE_API_KEY.*TAVILY_API_KEY/);
    const described = await none.describeWebTools();
    assert.equal(described.search.provider, null);
    assert.equal(described.fetch.robots, true);
    assert.equal(described.fetch.maxRedirects, 5);
    assert.match(described.fetch.userAgent, /steadfast\/\d/);
  });

  test('SearXNG first, then Brave, then Tavily; STEADFAST_SEARCH_PROVIDER picks one; keys never shown', async () => {
    const all = {
      STEADFAST_SEARXNG_URL: 'http://searx.example',
      BRAVE_API_KEY: 'brave-key-xyz',
      TAVILY_API_KEY: 'tvly-key-xyz',
    };
    const described = await createWebActivities({ env: all }).describeWebTools();
    assert.deepEqual(described.search, { provider: 'searxng' });
    assert.doesNotMatch(JSON.stringify(described), /key-xyz/);
    const keys = { BRAVE_API_KEY: all.BRAVE_API_KEY, TAVILY_API_KEY: all.TAVILY_API_KEY };
    assert.deepEqual((await createWebActivities({ env: keys }).describeWebTools()).search, {
      provider: 'brave',
    });
    assert.deepEqual(
      (await createWebActivities({ env: { ...all, STEADFAST_SEARCH_PROVIDER: 'tavily' } }).describeWebTools())
        .search,
      { provider: 'tavily' }
    );

    const missing = await failure(
      createWebActivities({ env: { STEADFAST_SEARCH_PROVIDER: 'brave' } }).webSearch({ query: 'x' })
    );
    assert.equal(missing.type, 'WebSearchNotConfigured');
    assert.match(missing.message, /BRAVE_API_KEY is not set/);
    const unknown = await failure(
      createWebActivities({ env: { STEADFAST_SEARCH_PROVIDER: 'altavista' } }).webSearch({ query: 'x' })
    );
    assert.equal(unknown.type, 'WebConfigInvalid');
    assert.match(unknown.message, /one of searxng, brave, tavily/);
  });
});
