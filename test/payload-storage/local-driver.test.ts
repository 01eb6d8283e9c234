import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { ApplicationFailure, StorageDriverClaim, type Payload } from '@temporalio/common';
import { LocalPayloadDriver } from '../../src/common/payload-storage/local-driver.js';
import { scratchDir } from '../../src/testing/fixture.js';
import { localStoreContents } from '../../src/testing/stored-payloads.js';

function payload(text: string): Payload {
  return {
    metadata: { encoding: new TextEncoder().encode('json/plain') },
    data: new TextEncoder().encode(text),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e
  );
  assert.ok(err instanceof ApplicationFailure, String(err));
  return err;
}

test('two processes storing the same payloads at once leave one file each, and no temp file', async () => {
  const dir = scratchDir();
  // Two driver instances on one folder: two workers sharing a data dir.
  const [one, two] = [new LocalPayloadDriver(dir), new LocalPayloadDriver(dir)];
  const payloads = Array.from({ length: 20 }, (_, i) =>
    payload(JSON.stringify({ i: i % 5, pad: 'x'.repeat(3000) }))
  );
  const rounds = await Promise.all([one, two, one, two].map((d) => d.store({}, payloads)));
  const { objects, temps } = await localStoreContents(dir);
  assert.equal(objects.size, 5, 'one file per distinct payload');
  assert.deepEqual(temps, []);
  for (const claims of rounds) assert.deepEqual(claims, rounds[0]);
  const back = await two.retrieve({}, rounds[0]!.slice(0, 5));
  assert.deepEqual(
    back.map((p) => JSON.parse(Buffer.from(p.data!).toString()).i),
    [0, 1, 2, 3, 4]
  );
});

test('a changed file is refused (non-retryable), and a claim that is not a hash is never followed', async () => {
  const dir = scratchDir();
  const driver = new LocalPayloadDriver(dir);
  const [claim] = await driver.store({}, [payload('{"answer":42}')]);
  writeFileSync(driver.fileOf(claim!.claimData.hash_value!), 'tampered');
  const corrupted = await failureOf(driver.retrieve({}, [claim!]));
  assert.equal(corrupted.type, 'PayloadCorrupted');
  assert.equal(corrupted.nonRetryable, true);

  const traversal = new StorageDriverClaim({ hash_algorithm: 'sha256', hash_value: '../../etc/passwd' });
  const invalid = await failureOf(driver.retrieve({}, [traversal]));
  assert.equal(invalid.type, 'PayloadReferenceInvalid');

  const missing = await failureOf(
    driver.retrieve({}, [new StorageDriverClaim({ hash_algorithm: 'sha256', hash_value: 'a'.repeat(64) })])
  );
  assert.equal(missing.type, 'PayloadNotFound');
  assert.match(missing.message, /STEADFAST_PAYLOAD_STORE=local:<shared dir>/);
});
