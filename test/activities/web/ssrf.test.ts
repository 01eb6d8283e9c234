// The fetch guard against server-side request forgery: every way of pointing fetchPage at a
// loopback, private, link-local or otherwise internal address is refused before any connection,
// and a canary listener on those addresses must see zero connections.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createWebActivities, type Resolver } from '../../../src/activities/web/index.js';
import { checkTarget } from '../../../src/activities/web/guard.js';
import { startCanary, startSite, type Canary, type Site } from '../../fixtures/web/site.js';

process.env.STEADFAST_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'steadfast-web-ssrf-'));

/** Names this test resolves, and what they resolve to; anything else is "not found". */
const NAMES: Record<string, string[]> = {
  'canary.test': ['127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'v6loop.test': ['::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'nat64.test': ['64:ff9b::a00:1'],
  'mixed.test': ['93.184.216.34', '10.1.2.3'],
  localhost: ['127.0.0.1'],
};
const resolved: string[] = [];
const resolver: Resolver = async (host) => {
  resolved.push(host);
  const addresses = NAMES[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

let site: Site;
let canary: Canary;
let web: ReturnType<typeof createWebActivities>;

before(async () => {
  site = await startSite();
  canary = await startCanary('::');
  web = createWebActivities({
    resolve: resolver,
    env: { STEADFAST_FETCH_ALLOW: site.hostPort, STEADFAST_FETCH_TIMEOUT: '3s' },
  });
});
after(async () => {
  await site.close();
  await canary.close();
});

async function refusal(url: string): Promise<ApplicationFailure> {
  try {
    await web.fetchPage({ url });
  } catch (err) {
    assert.ok(
      err instanceof ApplicationFailure,
      `expected ApplicationFailure for ${url}, got ${String(err)}`
    );
    return err;
  }
  assert.fail(`${url} was fetched`);
}

async function assertRefused(url: string, reason: RegExp): Promise<void> {
  const err = await refusal(url);
  assert.equal(err.type, 'FetchRefused', `${url}: ${err.type}: ${err.message}`);
  assert.equal(err.nonRetryable, true, url);
  assert.match(err.message, reason, url);
  assert.equal(canary.connections(), 0, `the canary was reached by ${url}`);
}

describe('fetchPage refuses internal addresses', () => {
  test('IPv4 literals of every internal class, in every spelling the URL parser accepts', async () => {
    const c = canary.port;
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${c}/`, /127\.0\.0\.1 is loopback/],
      [`http://127.1:${c}/`, /127\.0\.0\.1 is loopback/],
      [`http://2130706433:${c}/`, /127\.0\.0\.1 is loopback/],
      [`http://0x7f.0.0.1:${c}/`, /127\.0\.0\.1 is loopback/],
      [`http://0.0.0.0:${c}/`, /0\.0\.0\.0 is unspecified/],
      [`http://0:${c}/`, /0\.0\.0\.0 is unspecified/],
      ['http://10.0.0.1/', /10\.0\.0\.1 is private/],
      ['http://172.16.5.4/', /172\.16\.5\.4 is private/],
      ['http://172.31.255.255/', /is private/],
      ['http://192.168.1.1/', /192\.168\.1\.1 is private/],
      ['http://100.64.0.1/', /shared \(carrier-grade NAT\)/],
      [
        'http://169.254.169.254/latest/meta-data/',
        /169\.254\.169\.254 is link-local \(the cloud metadata service\)/,
      ],
      ['http://224.0.0.1/', /is multicast/],
      ['http://240.0.0.1/', /is reserved/],
      ['http://255.255.255.255/', /is broadcast/],
      ['http://192.0.2.10/', /is documentation/],
      ['https://198.18.0.1/', /is reserved/],
    ];
    for (const [url, reason] of cases) await assertRefused(url, reason);
  });

  test('IPv6 loopback, unspecified, private, link-local, multicast and forms embedding an IPv4 address', async () => {
    const c = canary.port;
    const cases: [string, RegExp][] = [
      [`http://[::1]:${c}/`, /::1 is loopback/],
      [`http://[::]:${c}/`, /:: is unspecified/],
      [`http://[::ffff:127.0.0.1]:${c}/`, /leads to 127\.0\.0\.1, which is loopback/],
      [`http://[::ffff:7f00:1]:${c}/`, /leads to 127\.0\.0\.1, which is loopback/],
      [
        'http://[::ffff:a9fe:a9fe]/',
        /leads to 169\.254\.169\.254, which is link-local \(the cloud metadata service\)/,
      ],
      [`http://[64:ff9b::7f00:1]:${c}/`, /leads to 127\.0\.0\.1, which is loopback/],
      ['http://[64:ff9b::10.0.0.1]/', /leads to 10\.0\.0\.1, which is private/],
      [`http://[2002:7f00:1::1]:${c}/`, /leads to 127\.0\.0\.1, which is loopback/],
      [`http://[::127.0.0.1]:${c}/`, /is reserved/],
      ['http://[fc00::1]/', /is private/],
      ['http://[fd12:3456:789a::1]/', /is private/],
      ['http://[fe80::1]/', /is link-local/],
      ['http://[fec0::1]/', /is private/],
      ['http://[ff02::1]/', /is multicast/],
      ['http://[2001:db8::1]/', /is documentation/],
      ['http://[100::1]/', /is reserved/],
    ];
    for (const [url, reason] of cases) await assertRefused(url, reason);
  });

  test('host names are judged by every address they resolve to', async () => {
    const c = canary.port;
    await assertRefused(
      `http://canary.test:${c}/`,
      /canary\.test resolves to 127\.0\.0\.1, which is loopback/
    );
    await assertRefused(
      'http://metadata.test/latest/',
      /metadata\.test resolves to 169\.254\.169\.254, which is link-local \(the cloud metadata service\)/
    );
    await assertRefused(`http://v6loop.test:${c}/`, /v6loop\.test resolves to ::1, which is loopback/);
    await assertRefused(`http://mapped.test:${c}/`, /leads to 127\.0\.0\.1, which is loopback/);
    await assertRefused('http://nat64.test/', /leads to 10\.0\.0\.1, which is private/);
    // One public and one private answer: refused, not a coin toss.
    await assertRefused('http://mixed.test/', /mixed\.test resolves to 10\.1\.2\.3, which is private/);
    const missing = await refusal('http://nowhere.test/');
    assert.equal(missing.type, 'HostNotFound');
    assert.equal(missing.nonRetryable, true);
  });

  test('only http and https, never with credentials', async () => {
    for (const url of [
      'file:///etc/passwd',
      `gopher://127.0.0.1:${canary.port}/_GET%20/`,
      'ftp://files.example/readme.txt',
      'data:text/html,<h1>hi</h1>',
      'javascript:alert(1)',
    ]) {
      await assertRefused(url, /scheme ".*" is not fetched/);
    }
    const err = await refusal(`http://user:secret@${site.hostPort}/article.html`);
    assert.equal(err.type, 'FetchRefused');
    assert.match(err.message, /credentials/);
    assert.doesNotMatch(err.message, /secret/);
    const invalid = await refusal('not a url');
    assert.equal(invalid.type, 'InvalidUrl');
  });

  test('every redirect hop is checked again: to loopback, private, metadata, IPv6 or another scheme', async () => {
    const c = canary.port;
    const targets: [string, RegExp][] = [
      [`http://127.0.0.1:${c}/`, /127\.0\.0\.1 is loopback/],
      [`http://canary.test:${c}/x`, /resolves to 127\.0\.0\.1, which is loopback/],
      ['http://169.254.169.254/latest/meta-data/iam/', /link-local/],
      ['http://10.0.0.7/admin', /10\.0\.0\.7 is private/],
      [`http://[::1]:${c}/`, /::1 is loopback/],
      [`http://[::ffff:127.0.0.1]:${c}/`, /which is loopback/],
      ['file:///etc/passwd', /scheme "file:"/],
      [`gopher://127.0.0.1:${c}/_x`, /scheme "gopher:"/],
    ];
    for (const [to, reason] of targets) {
      for (const code of [302, 307]) {
        const start = `${site.origin}/redirect?code=${code}&to=${encodeURIComponent(to)}`;
        await assertRefused(start, reason);
      }
    }
    assert.ok(
      site.hits(`/redirect?code=302&to=${encodeURIComponent(targets[0]![0])}`) >= 1,
      'the first hop was fetched'
    );
  });

  test('the allow list is exact: the listed host:port only, not another port or another name for it', async () => {
    const ok = await web.fetchPage({ url: `${site.origin}/article.html?allow-list` });
    assert.equal(ok.title, 'Zebra migration facts');
    await assertRefused(
      `http://localhost:${site.port}/article.html`,
      /localhost resolves to 127\.0\.0\.1, which is loopback/
    );
    await assertRefused(
      `http://127.0.0.1:${canary.port}/`,
      /add "127\.0\.0\.1:\d+" to STEADFAST_FETCH_ALLOW/
    );
  });

  test('the canary saw no connection at all', () => {
    assert.equal(canary.connections(), 0);
  });
});

describe('the connection goes to the address that was checked', () => {
  test('an allowed name is connected at the address its check resolved', async () => {
    // A site on 127.0.0.2 and a canary on 127.0.0.1, same port: "localhost" is checked as
    // 127.0.0.2 and must be fetched there, not where the system would send it.
    const side = await startCanary('127.0.0.1');
    const pinned = await startSite('127.0.0.2', side.port);
    try {
      const web2 = createWebActivities({
        resolve: async () => [{ address: '127.0.0.2', family: 4 }],
        env: { STEADFAST_FETCH_ALLOW: `localhost:${side.port}` },
      });
      const page = await web2.fetchPage({
        url: `http://localhost:${side.port}/guide.md`,
        query: 'codling moth',
      });
      assert.equal(page.title, 'Orchard guide');
      assert.equal(pinned.hits('/guide.md'), 1);
      assert.equal(
        pinned.requests.find((r) => r.path === '/guide.md')?.headers.host,
        `localhost:${side.port}`
      );
      assert.equal(side.connections(), 0);
    } finally {
      await pinned.close();
      await side.close();
    }
  });

  test('checkTarget passes a public address and pins it', async () => {
    const target = await checkTarget(new URL('https://example.test/a?b=c'), {
      allow: new Set(),
      resolve: async () => [{ address: '93.184.216.34', family: 4 }],
      deadline: Date.now() + 1000,
    });
    assert.equal(target.address, '93.184.216.34');
    assert.equal(target.port, 443);
    assert.equal(target.host, 'example.test');
    assert.equal(target.allowed, false);
  });

  test('a resolver that never answers ends at the deadline, typed', async () => {
    const started = Date.now();
    await assert.rejects(
      checkTarget(new URL('http://slow.test/'), {
        allow: new Set(),
        resolve: () => new Promise(() => undefined),
        deadline: Date.now() + 300,
      }),
      (err: ApplicationFailure) => err.type === 'FetchTimeout'
    );
    assert.ok(Date.now() - started < 2000);
  });
});
