// The codec endpoints of `steadfast serve` over HTTP, as the Temporal UI and CLI call them: round
// trips, the API token, CORS for the Temporal UI's origin (and nothing more for it), bad bodies.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../src/common/payload-codec/encryption-codec.js';
import { keyRingFromEnv } from '../../src/common/payload-codec/keys.js';
import { startApiServer, type RunningServer } from '../../src/server/serve.js';
import { testFixture } from '../../src/testing/fixture.js';

const KEY = randomBytes(32).toString('base64');
const OLD_KEY = randomBytes(32).toString('base64');
const TOKEN = randomBytes(18).toString('hex');
process.env.STEADFAST_ENCRYPTION_KEYS = `k2:${KEY},k1:${OLD_KEY}`;
delete process.env.STEADFAST_ENCRYPTION_KEY;
delete process.env.STEADFAST_ENCRYPTION_KEY_FILE;
const fx = testFixture({ research: true });

const TEMPORAL_UI = 'http://127.0.0.1:18233';
let started: Promise<RunningServer> | undefined;

/** The API server with a token, whose Temporal UI is TEMPORAL_UI; started by the first test that asks. */
function server(): Promise<RunningServer> {
  started ??= startApiServer({
    client: fx.client,
    settings: { ...fx.settings, uiUrl: TEMPORAL_UI },
    port: 0,
    token: TOKEN,
    codecOrigins: ['https://temporal.example.com'],
  }).then((s) => {
    fx.defer(() => s.close());
    return s;
  });
  return started;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A raw request: Host, Origin and the rest exactly as given (a browser's, or a forged one). */
async function request(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const { port } = await server();
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          })
        );
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

const auth = {
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  'x-namespace': 'default',
};
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  request('POST', path, headers, typeof body === 'string' ? body : JSON.stringify(body));

/** A payload in the codec protocol's JSON form. */
function jsonPayload(value: unknown) {
  const p = defaultPayloadConverter.toPayload(value)!;
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])
    ),
    data: Buffer.from(p.data!).toString('base64'),
  };
}
const meta = (p: { metadata: Record<string, string> }, key: string) =>
  Buffer.from(p.metadata[key] ?? '', 'base64').toString('utf8');
const valueOf = (p: { data: string }) => JSON.parse(Buffer.from(p.data, 'base64').toString('utf8'));

test('encode then decode round-trips; payloads of the old key decode; plain payloads pass through', async () => {
  const plain = [jsonPayload({ question: 'What does the Okapi desk approve?' }), jsonPayload('second')];
  const encoded = await post('/codec/encode', { payloads: plain });
  assert.equal(encoded.status, 200, JSON.stringify(encoded.body));
  assert.equal(encoded.headers['cache-control'], 'no-store');
  for (const p of encoded.body.payloads) {
    assert.equal(meta(p, 'encoding'), 'binary/encrypted');
    assert.equal(meta(p, 'encryption-key-id'), 'k2');
    assert.ok(!Buffer.from(p.data, 'base64').toString('utf8').includes('Okapi'));
  }
  // One written with the old key, as a worker did before the rotation.
  const [old] = await new EncryptionCodec(
    keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `k1:${OLD_KEY}` })
  ).encode([defaultPayloadConverter.toPayload('before the rotation')!]);
  const oldJson = {
    metadata: Object.fromEntries(
      Object.entries(old!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])
    ),
    data: Buffer.from(old!.data!).toString('base64'),
  };
  const decoded = await post('/codec/decode', { payloads: [...encoded.body.payloads, oldJson, plain[0]] });
  assert.equal(decoded.status, 200, JSON.stringify(decoded.body));
  assert.deepEqual(decoded.body.payloads.map(valueOf), [
    { question: 'What does the Okapi desk approve?' },
    'second',
    'before the rotation',
    { question: 'What does the Okapi desk approve?' },
  ]);
  assert.deepEqual(decoded.body.payloads[0], plain[0], 'metadata and data come back as they were');
});

test('the API token is required, and a payload of an unknown key fails naming its id', async () => {
  const body = { payloads: [jsonPayload('x')] };
  const anonymous = await post('/codec/decode', body, { 'content-type': 'application/json' });
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.body.error.hint, /Bearer/);
  const wrong = await post('/codec/encode', body, {
    ...auth,
    authorization: 'Bearer wrong-token-0123456789',
  });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.message, 'wrong API token');

  const stranger = new EncryptionCodec(
    keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `k9:${randomBytes(32).toString('base64')}` })
  );
  const [sealed] = await stranger.encode([defaultPayloadConverter.toPayload('x')!]);
  const unknown = await post('/codec/decode', {
    payloads: [
      {
        metadata: Object.fromEntries(
          Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])
        ),
        data: Buffer.from(sealed!.data!).toString('base64'),
      },
    ],
  });
  assert.equal(unknown.status, 400);
  assert.match(
    unknown.body.error.message,
    /encrypted with key k9, which is not configured here \(configured: k2, k1\)/
  );
  assert.ok(!JSON.stringify(unknown.body).includes(KEY) && !JSON.stringify(unknown.body).includes(OLD_KEY));
});

test("CORS: the Temporal UI's origin (under each loopback name) and --codec-origin may call it; other pages may not", async () => {
  const preflight = (origin: string, extra: Record<string, string> = {}) =>
    request('OPTIONS', '/codec/decode', {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace',
      ...extra,
    });
  for (const origin of [TEMPORAL_UI, 'http://localhost:18233', 'https://temporal.example.com']) {
    const ok = await preflight(origin);
    assert.equal(ok.status, 204, origin);
    assert.equal(ok.headers['access-control-allow-origin'], origin);
    assert.match(String(ok.headers['access-control-allow-headers']), /X-Namespace/);
    assert.match(String(ok.headers['access-control-allow-methods']), /POST/);
    assert.match(String(ok.headers.vary), /Origin/);
  }
  const pna = await preflight('https://temporal.example.com', {
    'access-control-request-private-network': 'true',
  });
  assert.equal(pna.headers['access-control-allow-private-network'], 'true');

  for (const origin of ['https://evil.example', 'http://127.0.0.1:18234', 'null']) {
    const refused = await preflight(origin);
    assert.equal(refused.status, 403, origin);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    const posted = await post('/codec/decode', { payloads: [] }, { ...auth, origin });
    assert.equal(posted.status, 403, origin);
    assert.match(posted.body.error.hint, /--codec-origin/);
  }

  const fromUi = await post(
    '/codec/decode',
    { payloads: [jsonPayload('y')] },
    { ...auth, origin: TEMPORAL_UI }
  );
  assert.equal(fromUi.status, 200);
  assert.equal(fromUi.headers['access-control-allow-origin'], TEMPORAL_UI);
  // The Temporal UI's origin gets the codec endpoints only: the API still refuses its requests.
  const start = await post('/api/research', { question: 'x' }, { ...auth, origin: TEMPORAL_UI });
  assert.equal(start.status, 403);
  // DNS rebinding and cross-site requests without an Origin are refused as on the API.
  const rebound = await post('/codec/decode', { payloads: [] }, { ...auth, host: 'attacker.example' });
  assert.equal(rebound.status, 421);
  const crossSite = await post(
    '/codec/decode',
    { payloads: [] },
    { ...auth, 'sec-fetch-site': 'cross-site' }
  );
  assert.equal(crossSite.status, 403);
});

test('bad bodies get a 4xx that names the problem', async () => {
  const cases: [string | object, Record<string, string>, number, RegExp][] = [
    ['{"payloads": []}', { ...auth, 'content-type': 'text/plain' }, 415, /Content-Type: application\/json/],
    ['{"payloads": ', auth, 400, /not valid JSON/],
    [{ payloads: 'x' }, auth, 400, /payloads must be a list/],
    [{ payloads: [], extra: 1 }, auth, 400, /unknown field "extra"/],
    [{ payloads: [42] }, auth, 400, /payloads\[0\] must be an object/],
    [
      { payloads: [{ metadata: { encoding: 'not base64!' }, data: '' }] },
      auth,
      400,
      /payloads\[0\]\.metadata\.encoding must be a base64 string/,
    ],
    [{ payloads: [{ metadata: [], data: '' }] }, auth, 400, /payloads\[0\]\.metadata must be an object/],
    [{ payloads: Array.from({ length: 1001 }, () => ({})) }, auth, 400, /more than 1000 payloads/],
  ];
  for (const [body, headers, status, message] of cases) {
    const reply = await post('/codec/decode', body, headers);
    assert.equal(reply.status, status, JSON.stringify(body).slice(0, 80));
    assert.match(reply.body.error.message, message);
  }
  const missing = await post('/codec/other', { payloads: [] });
  assert.equal(missing.status, 404);
});
