import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadImpl, nativeRecall } from '../../fixtures/retrieval-dev/recall.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-dev-recall-test-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

// The development questions (test/fixtures/retrieval-dev/questions.json) against their own
// corpora. Before structure-aware passages and question terms, recall@5 was 91% with the
// planner's queries and 95% with the question itself; the thresholds keep a margin below today's
// figures (`node --import tsx test/fixtures/retrieval-dev/recall.ts` prints them, with a larger
// haystack setting).
test('the answer passage is in the top 5 for the development questions', async () => {
  const r = await nativeRecall(await loadImpl());
  const summary = JSON.stringify({ modes: r.modes, stale: r.stale });
  assert.ok(r.questions >= 60, `enough questions still match their documents: ${summary}`);
  assert.ok(r.modes.planner.recall >= 0.88, summary);
  assert.ok(r.modes['planner+question'].recall >= 0.96, summary);
  assert.ok(r.modes['offline+question'].recall >= 0.96, summary);
  assert.ok(r.modes.question.recall >= 0.96, summary);
  assert.ok(r.modes['planner+question'].excerptRecall >= 0.85, `the excerpt shows the answer: ${summary}`);
});
