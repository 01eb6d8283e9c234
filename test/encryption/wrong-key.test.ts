// A worker that lacks the key of a run's payloads fails its workflow tasks with a message naming the
// key id (and nothing of the key); the run waits, and goes on once a worker with the key polls.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { keyFingerprint } from '../../src/common/payload-codec/keys.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { QUESTION, run, steadfastBin } from './helpers.js';

const KEY = randomBytes(32).toString('base64');
const KEY_ID = keyFingerprint(Buffer.from(KEY, 'base64'));
const OTHER = randomBytes(32).toString('base64');
process.env.STEADFAST_ENCRYPTION_KEY = KEY;
delete process.env.STEADFAST_ENCRYPTION_KEYS;
delete process.env.STEADFAST_ENCRYPTION_KEY_FILE;
const fx = testFixture({ model: true, research: true });

test("a worker without the run's key fails its workflow tasks naming the key id; one with the key carries on", async () => {
  const wrong = await fx.spawnWorker({
    env: { STEADFAST_ENCRYPTION_KEY: '', STEADFAST_ENCRYPTION_KEYS: `other:${OTHER}` },
  });
  const { workflowId } = await fx.research.start({
    question: QUESTION,
    requestId: fx.requestId('wrong-key'),
  });
  const handle = fx.client.workflow.getHandle(workflowId);
  const failure = await waitFor(
    async () =>
      (await handle.fetchHistory()).events?.find((e) => e.workflowTaskFailedEventAttributes)
        ?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined,
    60_000,
    'a failed workflow task'
  );
  assert.match(
    failure,
    new RegExp(`encrypted with key ${KEY_ID}, which is not configured here \\(configured: other\\)`)
  );
  await wrong.stop();
  for (const text of [failure, wrong.output()])
    for (const key of [KEY, OTHER]) assert.ok(!text.includes(key), 'key material in an error');

  await fx.spawnWorker();
  const status = await waitFor(
    async () => {
      // Until the new worker has replayed the run, queries fail as its workflow tasks did.
      const s = await fx.research.status(workflowId).catch(() => undefined);
      return s?.clarification === 'pending' ? s : undefined;
    },
    90_000,
    'the run to go on with the key'
  );
  assert.ok(status.questions.length > 0);
  assert.equal(status.question, QUESTION);
});

test('a worker with a malformed key exits at once, naming the variable and the fix, before it starts anything', async () => {
  const hex = randomBytes(32).toString('hex');
  const env = { ...process.env, TEMPORAL_ADDRESS: fx.settings.address, STEADFAST_ENCRYPTION_KEY: hex };
  const failed = await run(process.execPath, [steadfastBin, 'worker'], { env, timeout: 20_000 }).then(
    () => assert.fail('the worker started with a malformed key'),
    (err: { code: number | null; signal: string | null; stdout: string; stderr: string }) => err
  );
  assert.equal(failed.signal, null, `still running after 20 s:\n${failed.stderr}`);
  assert.equal(failed.code, 2);
  assert.match(
    failed.stderr,
    /STEADFAST_ENCRYPTION_KEY is not a valid encryption key: it decodes to 48 bytes/
  );
  assert.match(failed.stderr, /fix: use a base64-encoded 32-byte key/);
  assert.ok(!failed.stderr.includes('model server'), 'nothing was started');
  assert.ok(!`${failed.stdout}${failed.stderr}`.includes(hex));
});
