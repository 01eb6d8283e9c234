// The pure rules of the web activities: address classes, robots.txt matching, configuration,
// Retry-After, and the source ids and snippets they produce.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { classifyAddress } from '../../../src/activities/web/addresses.js';
import { allowEntry, fetchConfig, searchConfig } from '../../../src/activities/web/config.js';
import { retryAfterMs } from '../../../src/activities/web/errors.js';
import { sourceBase } from '../../../src/activities/web/page-passages.js';
import { parseRobots, robotsAllows } from '../../../src/activities/web/robots.js';
import { cleanHits, plain } from '../../../src/activities/web/search.js';

describe('address classes', () => {
  test('public addresses pass, v4 and v6', () => {
    for (const a of [
      '93.184.216.34',
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '2a00:1450::1',
    ])
      assert.equal(classifyAddress(a).kind, undefined, a);
  });

  test('range edges', () => {
    const cases: [string, string | undefined][] = [
      ['9.255.255.255', undefined],
      ['10.0.0.0', 'private'],
      ['10.255.255.255', 'private'],
      ['11.0.0.0', undefined],
      ['172.15.255.255', undefined],
      ['172.16.0.0', 'private'],
      ['172.31.255.255', 'private'],
      ['100.63.255.255', undefined],
      ['100.64.0.0', 'shared (carrier-grade NAT)'],
      ['100.127.255.255', 'shared (carrier-grade NAT)'],
      ['169.254.0.1', 'link-local'],
      ['126.255.255.255', undefined],
      ['127.255.255.254', 'loopback'],
      ['223.255.255.255', undefined],
      ['239.255.255.255', 'multicast'],
      ['254.1.1.1', 'reserved'],
      ['1fff:ffff::1', 'reserved'],
      ['2000::1', undefined],
      ['3ffe::1', undefined],
      ['4000::1', 'reserved'],
      ['fbff::1', 'reserved'],
      ['fc00::', 'private'],
      ['fdff:ffff::1', 'private'],
      ['febf::1', 'link-local'],
      ['2001:0:4136:e378::1', 'reserved'],
      ['2001:4860:4860::8888', undefined],
    ];
    for (const [address, kind] of cases) assert.equal(classifyAddress(address).kind, kind, address);
  });

  test('IPv6 forms carrying an IPv4 address are judged by it', () => {
    assert.deepEqual(classifyAddress('::ffff:8.8.8.8'), { kind: undefined, embedded: '8.8.8.8' });
    assert.deepEqual(classifyAddress('::ffff:10.0.0.1'), { kind: 'private', embedded: '10.0.0.1' });
    assert.deepEqual(classifyAddress('64:ff9b::808:808'), { kind: undefined, embedded: '8.8.8.8' });
    assert.deepEqual(classifyAddress('64:ff9b::c0a8:101'), { kind: 'private', embedded: '192.168.1.1' });
    assert.deepEqual(classifyAddress('2002:a9fe:a9fe::1'), {
      kind: 'link-local',
      embedded: '169.254.169.254',
    });
    assert.equal(classifyAddress('64:ff9b:1::1').kind, 'private');
  });
});

describe('robots.txt', () => {
  const robots = parseRobots(
    [
      '# comment',
      'User-agent: *',
      'Disallow: /private/',
      'Allow: /private/open.html',
      '',
      'User-agent: OtherBot',
      'User-agent: Steadfast',
      'Disallow: /no-bots/',
      'Disallow: /*.pdf$',
      'Allow: /no-bots/ok',
      'Sitemap: https://example.org/sitemap.xml',
      'Disallow: /after-sitemap',
    ].join('\r\n')
  );

  test('the group naming the agent wins over "*"; longest match; allow wins a tie', () => {
    assert.equal(robotsAllows(robots, 'steadfast', '/private/x'), true, 'the "*" group does not apply');
    assert.equal(robotsAllows(robots, 'steadfast', '/no-bots/page'), false);
    assert.equal(robotsAllows(robots, 'steadfast', '/no-bots/ok/x'), true);
    assert.equal(robotsAllows(robots, 'steadfast', '/paper.pdf'), false);
    assert.equal(robotsAllows(robots, 'steadfast', '/paper.pdf?x=1'), true, '$ anchors the end');
    assert.equal(
      robotsAllows(robots, 'steadfast', '/after-sitemap'),
      false,
      'a sitemap line does not end the group'
    );
    assert.equal(robotsAllows(robots, 'anybot', '/private/x'), false);
    assert.equal(robotsAllows(robots, 'anybot', '/private/open.html'), true);
    assert.equal(robotsAllows(robots, 'anybot', '/robots.txt'), true);
  });

  test('no group for the agent and no "*": everything is allowed; empty disallow allows', () => {
    assert.equal(robotsAllows(parseRobots('User-agent: other\nDisallow: /'), 'steadfast', '/x'), true);
    assert.equal(robotsAllows(parseRobots('User-agent: *\nDisallow:'), 'steadfast', '/x'), true);
    assert.equal(robotsAllows(parseRobots('User-agent: *\nDisallow: /'), 'steadfast', '/'), false);
    assert.equal(
      robotsAllows(parseRobots('Disallow: /\n'), 'steadfast', '/x'),
      true,
      'rules outside a group'
    );
    const tie = parseRobots('User-agent: *\nDisallow: /p\nAllow: /p');
    assert.equal(robotsAllows(tie, 'steadfast', '/page'), true, 'allow wins a tie');
  });

  test('percent-encoding and non-ASCII paths compare equal', () => {
    const r = parseRobots('User-agent: *\nDisallow: /café\nDisallow: /a%2fb');
    assert.equal(robotsAllows(r, 'steadfast', '/caf%C3%A9/menu'), false);
    assert.equal(robotsAllows(r, 'steadfast', '/a%2Fb'), false);
  });
});

describe('configuration', () => {
  test('STEADFAST_FETCH_ALLOW entries are exact host:port, normalised as URLs spell them', () => {
    assert.equal(allowEntry('LOCALHOST:8080'), 'localhost:8080');
    assert.equal(allowEntry('[::1]:8443'), '[::1]:8443');
    assert.equal(allowEntry('127.0.0.1:80'), '127.0.0.1:80');
    for (const bad of ['localhost', '[::1]', 'http://x:1', 'x:1/path', '::1:80'])
      assert.throws(
        () => allowEntry(bad),
        (e: ApplicationFailure) => e.type === 'WebConfigInvalid',
        bad
      );
    const config = fetchConfig({
      STEADFAST_FETCH_ALLOW: ' a.test:1, [::1]:2 ',
      STEADFAST_FETCH_ROBOTS: 'off',
    });
    assert.deepEqual([...config.allow], ['a.test:1', '[::1]:2']);
    assert.equal(config.robots, false);
  });

  test('limits are validated with the variable named', () => {
    assert.throws(
      () => fetchConfig({ STEADFAST_FETCH_TIMEOUT: 'soon' }),
      /STEADFAST_FETCH_TIMEOUT="soon" is not valid: expected a duration/
    );
    assert.throws(() => fetchConfig({ STEADFAST_FETCH_MAX_BYTES: '12' }), /STEADFAST_FETCH_MAX_BYTES/);
    assert.throws(() => fetchConfig({ STEADFAST_FETCH_ROBOTS: 'maybe' }), /STEADFAST_FETCH_ROBOTS/);
    assert.equal(fetchConfig({ STEADFAST_FETCH_TIMEOUT: '5s' }).timeoutMs, 5000);
    assert.equal(fetchConfig({}).maxBytes, 10 * 1024 * 1024);
  });

  test('the SearXNG endpoint is {url}/search, whatever the URL ends with', () => {
    for (const base of ['http://h:8888', 'http://h:8888/', 'http://h:8888/?x=1'])
      assert.equal(
        searchConfig({ STEADFAST_SEARXNG_URL: base })!.endpoint.href,
        'http://h:8888/search',
        base
      );
    assert.equal(
      searchConfig({ STEADFAST_SEARXNG_URL: 'https://h/searx' })!.endpoint.href,
      'https://h/searx/search'
    );
    assert.throws(() => searchConfig({ STEADFAST_SEARXNG_URL: 'searx.local' }), /STEADFAST_SEARXNG_URL/);
  });
});

describe('small rules', () => {
  test('Retry-After: seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('120'), 120_000);
    assert.equal(retryAfterMs(new Date(10_000 + 30_000).toUTCString(), 10_000), 30_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });

  test('source ids: fragment dropped, citation-breaking characters encoded', () => {
    assert.equal(sourceBase('https://e.org/wiki/A,_B;c (d)#x'), 'https://e.org/wiki/A%2C_B%3Bc%20%28d%29');
  });

  test('snippets are plain text, bounded', () => {
    assert.equal(plain('<b>a</b> &amp; &#39;b&#x27; &nbsp;c', 100), "a & 'b' c");
    assert.equal(plain('x'.repeat(20), 10), 'xxxxxxxxx…');
    const hits = cleanHits(
      [
        { title: 'A', url: 'https://a.test/' },
        { title: 'B', url: 'https://user:pw@b.test/' },
        { title: 'C', url: 'mailto:x@y.z' },
        { title: 7, url: 'https://a.test/' },
        { url: 'https://c.test/x' },
      ],
      10
    );
    assert.deepEqual(hits, [
      { title: 'A', url: 'https://a.test/', snippet: '' },
      { title: 'c.test', url: 'https://c.test/x', snippet: '' },
    ]);
  });
});
