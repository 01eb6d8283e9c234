// A research run with STEADFAST_ENCRYPTION_KEY set: what the cluster's operators see (the Temporal
// CLI's view of the history, the payload store's files) holds none of its text, while steadfast's
// own commands, and the codec endpoint for whoever holds the API token, read it all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { dataDir } from '../../src/common/paths.js';
import { keyFingerprint } from '../../src/common/payload-codec/keys.js';
import { decodeHistoryPayloads } from '../../src/common/payload-codec/transcode.js';
import { HASH_VALUE } from '../../src/common/payload-storage/content.js';
import { storedReferencesOf } from '../../src/common/payload-storage/references.js';
import { startApiServer } from '../../src/server/serve.js';
import { testFixture } from '../../src/testing/fixture.js';
import { localObjectFile } from '../../src/testing/stored-payloads.js';
import {
  allText,
  ANSWER,
  QUESTION,
  researchRun,
  run,
  shownEncodings,
  shownText,
  steadfastBin,
  temporalShow,
} from './helpers.js';

const KEY = randomBytes(32).toString('base64');
const KEY_ID = keyFingerprint(Buffer.from(KEY, 'base64'));
const TOKEN = randomBytes(18).toString('hex');
// Read by the fixture's client and in-process worker; the rest of the payload settings are the defaults.
process.env.STEADFAST_ENCRYPTION_KEY = KEY;
for (const name of [
  'STEADFAST_ENCRYPTION_KEYS',
  'STEADFAST_ENCRYPTION_KEY_FILE',
  'STEADFAST_PAYLOAD_STORE',
  'STEADFAST_PAYLOAD_THRESHOLD_BYTES',
])
  delete process.env[name];
const fx = testFixture({ model: true, worker: true, research: true });

test('encrypted run: the Temporal CLI and the payload store show no plaintext; steadfast status and the codec endpoint do', async () => {
  const { workflowId, result } = await researchRun(fx.research, fx.requestId('encrypted'));
  const plaintext = [QUESTION, ANSWER, result.summary.slice(0, 80)];

  // What an operator of the cluster sees.
  const shown = await temporalShow(fx.settings, workflowId);
  const encodings = shownEncodings(shown);
  assert.ok((encodings['binary/encrypted'] ?? 0) >= 10, `encrypted payloads: ${JSON.stringify(encodings)}`);
  for (const text of plaintext)
    assert.ok(!shownText(shown).includes(text), `the history shows ${JSON.stringify(text)}`);

  // The payload store holds the large payloads (model requests, the report), encrypted as well.
  const history = await fx.client.workflow.getHandle(workflowId).fetchHistory();
  const refs = storedReferencesOf(history);
  assert.ok(refs.length >= 5, `payloads stored outside history: ${refs.length}`);
  for (const ref of refs) {
    const bytes = readFileSync(localObjectFile(path.join(dataDir(), 'payloads'), ref.claimData[HASH_VALUE]!));
    assert.ok(bytes.includes(Buffer.from(KEY_ID)), 'a stored payload names its key id');
    for (const text of plaintext)
      assert.ok(!bytes.includes(Buffer.from(text)), `a stored payload holds ${text}`);
  }
  // …and they decode: the decoded history holds the question, the answers and the report.
  const raw = allText(history);
  // (decoded in place: `history` holds the payloads' content from here on)
  const decoded = allText(await decodeHistoryPayloads(history, steadfastDataConverter()));
  for (const text of plaintext) assert.ok(!raw.includes(text), `the raw history holds ${text}`);
  for (const text of plaintext) assert.ok(decoded.includes(text), `decoded history lacks ${text}`);

  // Whoever holds the key reads the run with steadfast's own commands.
  const env = { ...process.env, TEMPORAL_ADDRESS: fx.settings.address };
  const status = await run(process.execPath, [steadfastBin, 'status', workflowId], { env });
  assert.ok(status.stdout.includes(`question: ${QUESTION}`), status.stdout);
  assert.ok(status.stdout.includes(ANSWER), status.stdout);
  // Without the key the same command fails, naming the key id and the fix (and never the key).
  const keyless = { ...env, STEADFAST_ENCRYPTION_KEY: '' };
  const refused = await run(process.execPath, [steadfastBin, 'status', workflowId], { env: keyless }).then(
    () => assert.fail('status read an encrypted run without the key'),
    (err: { code: number; stderr: string }) => err
  );
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(`encrypted with key ${KEY_ID}, and no encryption key is configured`)
  );
  assert.match(refused.stderr, /fix: set STEADFAST_ENCRYPTION_KEY/);
  assert.ok(!refused.stderr.includes(KEY));

  // The Temporal CLI reads it through the codec endpoint, with the API token.
  const server = await startApiServer({ client: fx.client, settings: fx.settings, port: 0, token: TOKEN });
  fx.defer(() => server.close());
  const codec = ['--codec-endpoint', `${server.url}codec`];
  const through = await temporalShow(fx.settings, workflowId, [...codec, '--codec-auth', `Bearer ${TOKEN}`]);
  for (const text of plaintext)
    assert.ok(shownText(through).includes(text), `the codec endpoint does not show ${text}`);
  // Every payload decoded, the stored ones fetched: nothing encrypted, no reference left.
  assert.deepEqual(Object.keys(shownEncodings(through)), ['json/plain']);
  // The Temporal UI's download of a stored payload: its reference in, the payload decoded out.
  const rawHistory = await fx.client.workflow.getHandle(workflowId).fetchHistory();
  const reference = rawHistory.events!.find(
    (e) => e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.externalPayloads?.length
  )!.activityTaskCompletedEventAttributes!.result!.payloads![0]!;
  const base64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('base64');
  const download = await fetch(`${server.url}codec/download`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(reference.metadata ?? {}).map(([k, v]) => [k, base64(v)])
          ),
          data: base64(reference.data),
          externalPayloads: [{ sizeBytes: '1' }],
        },
      ],
    }),
  });
  assert.equal(download.status, 200);
  const [downloaded] = (
    (await download.json()) as { payloads: { metadata: { encoding: string }; data: string }[] }
  ).payloads;
  assert.equal(Buffer.from(downloaded!.metadata.encoding, 'base64').toString(), 'json/plain');
  assert.ok(JSON.parse(Buffer.from(downloaded!.data, 'base64').toString('utf8')), 'a JSON value');
  // Without the token the codec endpoint answers 401, and the CLI shows nothing.
  const withoutToken = await temporalShow(fx.settings, workflowId, codec).then(
    () => assert.fail('the Temporal CLI read the run through the codec endpoint without the token'),
    (err: { stdout: string; stderr: string }) => err
  );
  for (const text of plaintext)
    assert.ok(
      !shownText(JSON.stringify(withoutToken)).includes(text),
      'the codec endpoint decoded without the token'
    );
});
