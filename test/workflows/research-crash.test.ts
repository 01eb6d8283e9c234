import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ResearchClient } from '../../src/client/research.js';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import type { ModelServerHandle } from '../../src/model-server/server.js';
import { activitiesOf } from '../../src/testing/history.js';
import { saveHistory } from '../../src/testing/replay.js';
import { packageRoot } from '../../src/common/paths.js';
import {
  spawnWorkerProcess,
  testModelServer,
  testTemporal,
  waitFor,
  type TestTemporal,
} from '../../src/testing/kit.js';

let t: TestTemporal;
let model: ModelServerHandle;
const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'steadfast-research-crash-')), 'requests.jsonl');

before(async () => {
  t = await testTemporal();
  model = await testModelServer({ latencyMs: 700, logFile });
});

after(async () => {
  await model?.close();
  await t?.close();
});

test('worker SIGKILL during the searches: the run resumes, one PDF, no completed model call repeated', async () => {
  const research = new ResearchClient({ client: t.client, taskQueue: t.settings.taskQueue });
  const env = { OPENAI_BASE_URL: model.baseURL };
  const first = spawnWorkerProcess(t, env);
  await first.ready;
  const { workflowId } = await research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: `crash-${Date.now()}`,
    clarify: false,
    maxSearches: 3,
  });
  // Kill while searches run and model calls are in flight (inside the server's latency window).
  await waitFor(
    async () => {
      const s = await research.status(workflowId);
      return (
        s.phase === 'searching' && s.searches.some((x) => x.state === 'running') && model.stats().inFlight > 0
      );
    },
    60_000,
    'searches with model calls in flight'
  );
  const inFlightAtKill = model.stats().inFlight;
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  const second = spawnWorkerProcess(t, env);
  try {
    await second.ready;
    const result = await research.result(workflowId);
    assert.ok(result.citations.length > 0);
    assert.ok(
      result.searches.every((s) => s.state === 'done'),
      'every search finished after the crash'
    );
    const files = readdirSync(path.dirname(result.artifacts.pdf.path)).sort();
    assert.deepEqual(files, ['report.md', 'report.pdf'], 'exactly one report and one PDF');
    if (process.env.RECORD_HISTORY) {
      await saveHistory(
        t.client.workflow.getHandle(workflowId),
        path.join(packageRoot, 'test', 'fixtures', 'research-history.json')
      );
    }
  } finally {
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }
  const entries = await readRequestLog(logFile);
  assert.ok(inFlightAtKill > 0);
  assert.equal(countRepeatedCompletedCalls(entries), 0, 'no model call that completed was paid for twice');
  const acts = activitiesOf((await t.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []);
  assert.ok(
    acts.some((a) => a.attempt > 1),
    'calls in flight at the kill were retried by the new worker'
  );
});
