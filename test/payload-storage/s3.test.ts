import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure, StorageDriverClaim, type Payload } from '@temporalio/common';
import { ResearchClient } from '../../src/client/research.js';
import { payloadStoreConfig, type S3StoreConfig } from '../../src/common/payload-storage/config.js';
import { S3_DRIVER, S3PayloadDriver } from '../../src/common/payload-storage/s3-driver.js';
import { testFixture } from '../../src/testing/fixture.js';
import { startS3Server, type S3Server } from '../../src/testing/s3-server.js';
import { clientWithStore, referencedHashes, runWeight } from '../../src/testing/stored-payloads.js';
import { storedReferencesOf } from '../../src/common/payload-storage/references.js';

const fx = testFixture({ model: true });
const BUCKET = 'steadfast-payloads';
let server: S3Server | undefined;
let unavailable: string | undefined;

before(async () => {
  const started = await startS3Server();
  if ('unavailable' in started) {
    unavailable = started.unavailable;
    process.stderr.write(
      `\n!!! S3 DRIVER NOT TESTED: no local S3-compatible server could be installed or started (${unavailable})\n\n`
    );
    return;
  }
  server = started;
  await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(() => server?.stop());

function envFor(prefix: string): Record<string, string> {
  return {
    STEADFAST_PAYLOAD_STORE: `s3://${BUCKET}/${prefix}`,
    STEADFAST_S3_ENDPOINT: server!.endpoint,
    STEADFAST_S3_ACCESS_KEY_ID: 'local-test',
    STEADFAST_S3_SECRET_ACCESS_KEY: 'local-test-secret',
  };
}

function s3(): S3Client {
  return new S3Client({
    endpoint: server!.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local-test', secretAccessKey: 'local-test-secret' },
  });
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/` }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

function driverFor(prefix: string, env: Record<string, string> = envFor(prefix)): S3PayloadDriver {
  return new S3PayloadDriver(payloadStoreConfig({ ...process.env, ...env }) as S3StoreConfig);
}

function payload(text: string): Payload {
  return {
    metadata: { encoding: new TextEncoder().encode('json/plain') },
    data: new TextEncoder().encode(text),
  };
}

function skipWithout(t: TestContext): boolean {
  if (unavailable) t.skip(`S3 DRIVER NOT TESTED: ${unavailable}`);
  return Boolean(unavailable);
}

test('the S3 driver stores each payload once under its hash, also when stored again or twice at once', async (t) => {
  if (skipWithout(t)) return;
  const driver = driverFor('unit');
  const a = payload(JSON.stringify({ text: 'a'.repeat(5000) }));
  const b = payload(JSON.stringify({ text: 'b'.repeat(5000) }));
  const claims = await driver.store({}, [a, a, b]);
  await Promise.all([driver.store({}, [a]), driver.store({}, [b])]);
  const keys = await keysUnder('unit');
  assert.equal(keys.length, 2, `one object per distinct payload: ${keys.join(', ')}`);
  for (const claim of claims) {
    assert.match(claim.claimData.key!, /^unit\/sha256\/([0-9a-f]{2})\/\1[0-9a-f]{62}$/);
    assert.equal(claim.claimData.bucket, BUCKET);
  }
  const [back] = await driver.retrieve({}, [claims[2]!]);
  assert.deepEqual(Buffer.from(back!.data!).toString(), Buffer.from(b.data!).toString());
  assert.deepEqual(Buffer.from(back!.metadata!.encoding!).toString(), 'json/plain');
});

test('storing an object again restarts its age (what a lifecycle rule expires by) without a second object', async (t) => {
  if (skipWithout(t)) return;
  const settings = payloadStoreConfig({ ...process.env, ...envFor('refresh') }) as S3StoreConfig;
  const driver = new S3PayloadDriver(settings, { refreshAfterMs: 0 });
  const p = payload(JSON.stringify({ text: 'c'.repeat(3000) }));
  const [claim] = await driver.store({}, [p]);
  const head = () => s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: claim!.claimData.key! }));
  const first = (await head()).LastModified!;
  await new Promise((r) => setTimeout(r, 1100)); // S3 dates have one-second precision
  await driver.store({}, [p]);
  assert.ok((await head()).LastModified! > first, 'LastModified moved on');
  assert.equal((await keysUnder('refresh')).length, 1);
  const [back] = await driver.retrieve({}, [claim!]);
  assert.equal(Buffer.from(back!.data!).toString(), Buffer.from(p.data!).toString());
});

test('a missing object is a non-retryable PayloadNotFound; a missing bucket says to create it', async (t) => {
  if (skipWithout(t)) return;
  const driver = driverFor('missing');
  const absent = new StorageDriverClaim({ hash_algorithm: 'sha256', hash_value: 'f'.repeat(64) });
  const err = await driver.retrieve({}, [absent]).then(
    () => assert.fail('retrieved a payload that was never stored'),
    (e: unknown) => e
  );
  assert.ok(err instanceof ApplicationFailure);
  assert.equal(err.type, 'PayloadNotFound');
  assert.equal(err.nonRetryable, true);
  assert.match(err.message, new RegExp(`s3://${BUCKET}/missing/sha256/ff/f{64}`));

  const noBucket = driverFor('x', { ...envFor('x'), STEADFAST_PAYLOAD_STORE: 's3://no-such-bucket-here/x' });
  await assert.rejects(
    () => noBucket.store({}, [payload('{}')]),
    /bucket "no-such-bucket-here" does not exist.*create it/
  );
});

test('a research run through a worker process keeps its payloads in the bucket and its history under 64 KiB', async (t) => {
  if (skipWithout(t)) return;
  const env = envFor('runs');
  await fx.spawnWorker({ env });
  const client = clientWithStore(fx.client, env);
  const research = new ResearchClient({ client, taskQueue: fx.settings.taskQueue });
  const { workflowId } = await research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: fx.requestId('s3'),
    clarify: false,
  });
  const result = await research.result(workflowId);
  assert.ok(result.citations.length > 0);

  const handle = client.workflow.getHandle(workflowId);
  const history = await handle.fetchHistory();
  const refs = storedReferencesOf(history);
  assert.ok(refs.length > 0);
  assert.ok(refs.every((r) => r.driverName === S3_DRIVER && r.claimData.bucket === BUCKET));
  const weight = await runWeight(handle);
  t.diagnostic(
    `s3: history ${weight.historyBytes} B; ${weight.storedPayloads} objects, ${weight.storedBytes} B`
  );
  assert.ok(weight.historyBytes <= 64 * 1024);
  const keys = await keysUnder('runs');
  assert.deepEqual(
    keys.map((k) => k.split('/').at(-1)).sort(),
    [...referencedHashes(history)].sort(),
    'one object per referenced payload'
  );
});
