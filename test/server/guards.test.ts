// The API server's guards as functions: host names, allowlists, limits, tokens, JSON depth.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sameToken } from '../../src/server/app.js';
import {
  hostAllowlist,
  hostName,
  parseAllowedHosts,
  parseAllowedOrigins,
} from '../../src/server/browser-guard.js';
import { allowedCorpus, corpusReadable, resolveCorpusRoots } from '../../src/server/corpus-roots.js';
import { HttpError } from '../../src/server/errors.js';
import { RequestLimiter, RunCap } from '../../src/server/limits.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../../src/server/request-body.js';
import { UserError } from '../../src/common/errors.js';

const status = (code: number, message?: RegExp) => (err: unknown) =>
  err instanceof HttpError && err.status === code && (!message || message.test(err.message));

describe('host names', () => {
  test('the host part of a Host header: names, IPv4, bracketed IPv6, with and without a port', () => {
    assert.equal(hostName('Example.COM:8080'), 'example.com');
    assert.equal(hostName('127.0.0.1'), '127.0.0.1');
    assert.equal(hostName('[::1]:7780'), '::1');
    assert.equal(hostName('[fe80::1]'), 'fe80::1');
  });

  test('loopback names and the bound address are served; others only when listed', () => {
    const allowed = hostAllowlist({ bindHost: '10.1.2.3', allowedHosts: ['research.example.com'] });
    for (const name of ['localhost', '127.0.0.1', '127.9.9.9', '::1', '10.1.2.3', 'research.example.com'])
      assert.ok(allowed(name), name);
    for (const name of ['attacker.example', 'localhost.attacker.example', '10.1.2.4', '0.0.0.0'])
      assert.ok(!allowed(name), name);
  });

  test('flags are checked: a host is no URL, an origin is scheme://host[:port]', () => {
    assert.deepEqual(parseAllowedHosts(['Research.Example.com']), ['research.example.com']);
    assert.throws(() => parseAllowedHosts(['https://x.example/']), /not a host name/);
    assert.throws(() => parseAllowedHosts(['a b']), /not a host name/);
    assert.deepEqual(parseAllowedOrigins(['https://ui.example.com/']), ['https://ui.example.com']);
    assert.throws(() => parseAllowedOrigins(['ui.example.com']), /not an origin/);
    assert.throws(() => parseAllowedOrigins(['https://ui.example.com/app']), /scheme:\/\/host\[:port\] only/);
    assert.throws(() => parseAllowedOrigins(['file:///etc']), /scheme:\/\/host\[:port\] only/);
  });
});

describe('limits', () => {
  test('a client gets its burst, then one request per refill; other clients are separate', () => {
    const limiter = new RequestLimiter({
      requestsPerSecond: 2,
      burst: 3,
      streamsPerClient: 1,
      runsPerToken: 1,
    });
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.take('a', t);
    assert.throws(
      () => limiter.take('a', t),
      (err) => status(429, /too many requests/)(err) && (err as HttpError).retryAfterSeconds === 1
    );
    limiter.take('b', t);
    limiter.take('a', t + 500); // one refilled
    assert.throws(() => limiter.take('a', t + 500), status(429));
  });

  test('event streams per client are counted until released, once', () => {
    const limiter = new RequestLimiter({
      requestsPerSecond: 1,
      burst: 1,
      streamsPerClient: 1,
      runsPerToken: 1,
    });
    const release = limiter.openStream('a');
    assert.throws(() => limiter.openStream('a'), status(429, /event streams/));
    release();
    release();
    const again = limiter.openStream('a');
    assert.throws(() => limiter.openStream('a'), status(429));
    again();
  });

  test('runs per token: concurrent starts cannot both take the last place; ended runs free theirs', async () => {
    const running = new Set(['r1', 'r2', 'r3', 'r4', 'r5']);
    const cap = new RunCap(2, async (id) => running.has(id));
    await cap.reserve('t', 'r1');
    const results = await Promise.allSettled([cap.reserve('t', 'r2'), cap.reserve('t', 'r3')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected']
    );
    await cap.reserve('t', 'r2'); // the same run again is no new place
    await cap.reserve('other', 'x1'); // another token has its own places
    running.delete('r1');
    await cap.reserve('t', 'r4'); // r1 ended
    await assert.rejects(cap.reserve('t', 'r5'), status(429, /2 runs started with this token/));
    const release = await cap.reserve('u', 'y1');
    release();
    await cap.reserve('u', 'y2');
  });
});

test('tokens compare equal only when equal, whatever the lengths', () => {
  assert.ok(sameToken('abc-0123456789abcdef', 'abc-0123456789abcdef'));
  for (const wrong of ['', 'abc', 'abc-0123456789abcdeF', 'abc-0123456789abcdef0'])
    assert.ok(!sameToken(wrong, 'abc-0123456789abcdef'), wrong);
});

test('JSON depth is measured without recursion, however deep', () => {
  assert.equal(jsonDepth('x'), 0);
  assert.equal(jsonDepth({ a: [1, { b: 2 }] }), 3);
  const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  assert.ok(jsonDepth(deep) > MAX_JSON_DEPTH);
});

describe('corpus roots', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-roots-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'root');
  mkdirSync(path.join(root, 'docs', 'inner'), { recursive: true });
  mkdirSync(path.join(dir, 'rootless'));
  writeFileSync(path.join(root, 'file.md'), '#');
  symlinkSync(path.join(root, 'docs', 'inner'), path.join(root, 'shortcut'));
  symlinkSync(path.join(dir, 'rootless'), path.join(root, 'out'));

  test('flags and STEADFAST_CORPUS_ROOTS are real folders; a missing one, a file or / is refused', () => {
    const roots = resolveCorpusRoots([root], { STEADFAST_CORPUS_ROOTS: `${root}${path.delimiter}${dir}` });
    assert.deepEqual(
      roots,
      [root, dir].map((p) => path.resolve(p))
    );
    assert.throws(
      () => resolveCorpusRoots([path.join(dir, 'nope')], {}),
      (e) => e instanceof UserError && /not found/.test(e.message)
    );
    assert.throws(() => resolveCorpusRoots([path.join(root, 'file.md')], {}), /not a folder/);
    assert.throws(() => resolveCorpusRoots(['/'], {}), /every folder of this machine/);
  });

  test('the default corpus always; folders under a root by real path; nothing else', () => {
    const roots = [root];
    for (const name of [undefined, '', 'default']) assert.equal(allowedCorpus(name, roots), undefined);
    assert.equal(allowedCorpus('docs', roots), path.join(root, 'docs'));
    assert.equal(allowedCorpus(path.join(root, 'docs', 'inner'), roots), path.join(root, 'docs', 'inner'));
    assert.equal(
      allowedCorpus('shortcut', roots),
      path.join(root, 'docs', 'inner'),
      'a link inside stays inside'
    );
    assert.throws(() => allowedCorpus('out', roots), status(403, /symlinks are resolved/));
    assert.throws(() => allowedCorpus('../rootless', roots), status(403));
    assert.throws(() => allowedCorpus(path.join(dir, 'rootless'), roots), status(403));
    assert.throws(() => allowedCorpus('/does/not/exist', roots), status(403), 'no probing outside the roots');
    assert.throws(() => allowedCorpus('missing', roots), status(400, /not found/));
    assert.throws(() => allowedCorpus('file.md', roots), status(400, /is a file/));
    assert.throws(() => allowedCorpus('docs', []), status(403, /only the default corpus/));
    assert.ok(corpusReadable(undefined, []));
    assert.ok(corpusReadable(path.join(root, 'shortcut'), roots));
    assert.ok(!corpusReadable(path.join(dir, 'rootless'), roots));
    assert.ok(
      !corpusReadable(`${root}-sibling`, roots),
      'a sibling with the same prefix is not under the root'
    );
  });
});
