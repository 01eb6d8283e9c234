import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import { activitiesOf } from '../../src/testing/history.js';
import { saveHistory } from '../../src/testing/replay.js';
import { packageRoot } from '../../src/common/paths.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';

const fx = testFixture({ model: { latencyMs: 700, requestLog: true }, research: true });

test('worker SIGKILL during the searches: the run resumes, one PDF, no completed model call repeated', async () => {
  const { research, model } = fx;
  const first = await fx.spawnWorker();
  const { workflowId } = await research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: fx.requestId('crash'),
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
  await first.stop('SIGKILL');

  const second = await fx.spawnWorker();
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
      fx.settings,
      workflowId,
      path.join(packageRoot, 'test', 'fixtures', 'research-history.json')
    );
  }
  await second.stop();
  const entries = await readRequestLog(fx.requestLog);
  assert.ok(inFlightAtKill > 0);
  assert.equal(countRepeatedCompletedCalls(entries), 0, 'no model call that completed was paid for twice');
  const acts = activitiesOf((await fx.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []);
  assert.ok(
    acts.some((a) => a.attempt > 1),
    'calls in flight at the kill were retried by the new worker'
  );
});
