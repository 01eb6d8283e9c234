import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completingUnits } from '../../src/model-server/answer-parts.js';
import type { Candidate, Scored } from '../../src/model-server/relevance.js';

/** A scored sentence of passage `passage`, as the writer's evidence holds it. */
function scored(plain: string, score: number, passage: number, index: number): Scored {
  const cand = {
    unit: {
      kind: 'prose',
      text: plain,
      plain,
      heading: '',
      afterHeading: index,
      block: 1,
      index,
      leadIn: false,
      label: '',
      release: '',
    },
    passage,
    title: '',
    terms: [],
    set: new Set<string>(),
    headingTerms: new Set<string>(),
    titleTerms: new Set<string>(),
    labelTerms: new Set<string>(),
    entryTerms: new Set<string>(),
    docTerms: new Set<string>(),
  } satisfies Candidate;
  return { cand, score, coverage: 0, onSubject: true };
}

test('a sentence far less relevant than the best does not complete the answer, however it reads', () => {
  const best = scored('The input file is copied to the output directory unchanged.', 1, 0, 0);
  const next = scored('Files are read from standard input when none is named.', 0.5, 0, 1);
  // It says "significant", as a problem does, but is a tenth as relevant as the best sentence.
  const aside = scored('Note that ignorable white space is considered significant.', 0.1, 0, 2);
  const risk = scored('Writing into a shared folder risks losing the input file.', 0.3, 1, 0);
  const units = [best, next, aside, risk];
  const picked = [best.cand, next.cand];
  assert.deepEqual(
    completingUnits(units, picked, new Set(['problem'])).map((c) => c.unit.plain),
    [risk.cand.unit.plain]
  );
  assert.deepEqual(completingUnits([best, next, aside], picked, new Set(['problem'])), []);
});
