// A corpus build heartbeats its progress in a regular activity, never in a local one (a local
// activity cannot heartbeat: the SDK's core logs "Activity heartbeat failed" for each attempt).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { clearCorpusMemo, searchCorpus } from '../../../src/activities/corpus.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-build-heartbeats-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

function corpus(name: string): string {
  const root = path.join(scratch, name);
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < 5; i++)
    writeFileSync(
      path.join(root, `doc${i}.md`),
      `# Doc ${i} of ${name}\n\nThe walrus number ${i} of ${name} sleeps on the ice.\n`
    );
  return root;
}

async function heartbeatsOfBuild(isLocal: boolean): Promise<number> {
  clearCorpusMemo();
  const env = new MockActivityEnvironment({ isLocal });
  let beats = 0;
  env.on('heartbeat', () => beats++);
  const result: Awaited<ReturnType<typeof searchCorpus>> = await env.run(searchCorpus, {
    corpus: corpus(isLocal ? 'local' : 'regular'),
    query: 'walrus',
  });
  assert.ok(result.results.length > 0, 'the build made an index that answers');
  return beats;
}

test('a build inside a regular activity heartbeats its progress', async () => {
  assert.ok((await heartbeatsOfBuild(false)) > 0);
});

test('a build inside a local activity does not heartbeat', async () => {
  assert.equal(await heartbeatsOfBuild(true), 0);
});
