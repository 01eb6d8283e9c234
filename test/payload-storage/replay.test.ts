import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';
import { storedReferencesOf } from '../../src/common/payload-storage/references.js';
import { fixturePayloadDir, replayHistoryFile, saveHistory } from '../../src/testing/replay.js';
import { testFixture } from '../../src/testing/fixture.js';
import { localStoreContents, referencedHashes } from '../../src/testing/stored-payloads.js';
import { hello } from '../../src/workflows/hello.js';

// The hello agent's model requests and responses are 1-2 KB: a lower threshold stores them, so
// this small history exercises references. Set before the fixture builds its client and worker.
process.env.STEADFAST_PAYLOAD_THRESHOLD_BYTES = '1024';
process.env.STEADFAST_PAYLOAD_STORE = `local:${mkdtempSync(path.join(os.tmpdir(), 'steadfast-payloads-'))}`;

const committed = path.join(packageRoot, 'test', 'fixtures', 'hello-history-stored.json');
const fx = testFixture({ model: true, worker: true });

test('a recorded history whose payloads are stored outside it replays from the folder committed beside it', async () => {
  const history: unknown = JSON.parse(readFileSync(committed, 'utf8'));
  assert.ok(storedReferencesOf(history).length >= 3, 'the fixture refers to stored payloads');
  await replayHistoryFile(committed);
});

test('saveHistory writes the referenced payloads beside the history; without them replay says what is missing', async () => {
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('hello-stored'),
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  await handle.result();
  const file = path.join(fx.dir, 'hello-stored-history.json');
  await saveHistory(fx.settings, handle.workflowId, file);
  if (process.env.RECORD_HISTORY) await saveHistory(fx.settings, handle.workflowId, committed);

  const saved: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const referenced = referencedHashes(saved);
  assert.ok(referenced.size >= 3, `model calls stored outside history: ${referenced.size}`);
  const { objects } = await localStoreContents(fixturePayloadDir(file));
  assert.deepEqual([...objects.keys()].sort(), [...referenced].sort(), 'exactly the referenced payloads');
  await replayHistoryFile(file);

  rmSync(fixturePayloadDir(file), { recursive: true });
  await assert.rejects(() => replayHistoryFile(file), /recorded without its payloads/);
});
