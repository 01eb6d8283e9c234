// The bad-input matrix (see matrix.ts): every case sends something wrong and expects a clear
// error; after each one the worker still answers and the run waiting for answers is untouched;
// at the end that run gets its answers and completes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserCases } from './cases/browser.js';
import { cliCases } from './cases/cli.js';
import { corpusCases } from './cases/corpus.js';
import { httpCases } from './cases/http.js';
import { limitCases } from './cases/limits.js';
import { modelCases } from './cases/model.js';
import { updateCases } from './cases/updates.js';
import { Ctx, fx, type Case } from './matrix.js';

const CASES: Case[] = [
  ...cliCases,
  ...httpCases,
  ...browserCases,
  ...limitCases,
  ...updateCases,
  ...corpusCases,
  ...modelCases,
];

const ctx = new Ctx();
const started = Date.now();

describe('bad-input matrix', () => {
  // Inside the suite, so that it runs after the fixture's own set-up.
  before(() => ctx.setUp());
  after(() =>
    console.log(`bad-input matrix: ${CASES.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  );

  for (const group of new Set(CASES.map((c) => c.group))) {
    // Each CLI case is a process start (about 2 s): those run side by side.
    describe(group, { concurrency: group === 'cli' ? 3 : 1 }, () => {
      for (const c of CASES.filter((x) => x.group === group)) {
        test(c.name, async () => {
          await c.run(ctx);
          await ctx.assertUnharmed();
        });
      }
    });
  }

  test('afterwards: the waiting run takes its answers and completes', async () => {
    assert.ok(CASES.length >= 40, `${CASES.length} cases`);
    const { id, questions } = ctx.sentinel;
    const answered = await ctx.api(`/api/research/${encodeURIComponent(id)}/answers`, {
      method: 'POST',
      json: { answers: questions.map(() => 'TypeScript, a small team') },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    const result = await fx.research.result(id);
    assert.ok(
      result.citations.some((c) => c.path.endsWith('approvals.md')),
      'it cites its corpus'
    );
    assert.deepEqual(
      (await fx.research.status(id)).answers,
      questions.map(() => 'TypeScript, a small team')
    );
  });
});
