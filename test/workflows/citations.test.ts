import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberCitations, type Evidence } from '../../src/workflows/citations.js';
import { checkAnswers } from '../../src/workflows/input.js';

const ev = (id: string): [string, Evidence] => [
  id,
  { sourceId: id, path: `/docs/${id}`, title: id, excerpt: `text of ${id}` },
];
const evidence = new Map([ev('a.md#L1-L5'), ev('b.md#L3-L9'), ev('c.pdf#p2')]);

test('markers become numbers in order of first appearance, shared across summary and body', () => {
  const { texts, citations } = numberCitations(
    ['Short answer [b.md#L3-L9].', 'Claim [a.md#L1-L5]. Again [b.md#L3-L9]; both [a.md#L1-L5, c.pdf#p2].'],
    evidence
  );
  assert.deepEqual(texts, ['Short answer [1].', 'Claim [2]. Again [1]; both [2][3].']);
  assert.deepEqual(
    citations.map((c) => [c.n, c.sourceId, c.path]),
    [
      [1, 'b.md#L3-L9', '/docs/b.md#L3-L9'],
      [2, 'a.md#L1-L5', '/docs/a.md#L1-L5'],
      [3, 'c.pdf#p2', '/docs/c.pdf#p2'],
    ]
  );
});

test('invented sources are dropped; checkboxes and links are left alone', () => {
  const { texts, citations } = numberCitations(
    ['- [ ] do it [made-up.md#L1-L2] see [the docs](https://x) [x]'],
    evidence
  );
  assert.equal(texts[0], '- [ ] do it  see [the docs](https://x) [x]');
  assert.equal(citations.length, 0);
});

test('answer validation: count, emptiness, size, and nothing pending', () => {
  const qs = ['q1?', 'q2?'];
  assert.equal(checkAnswers(qs, true, { answers: ['a', 'b'] }), undefined);
  assert.match(checkAnswers(qs, true, { answers: ['a'] })!, /expected 2 answers/);
  assert.match(checkAnswers(qs, true, { answers: ['a', ' '] })!, /answer 2 is empty/);
  assert.match(checkAnswers(qs, true, { answers: ['a', 'x'.repeat(1001)] })!, /limit is 1000/);
  assert.match(checkAnswers(qs, false, { answers: ['a', 'b'] })!, /no clarifying questions are waiting/);
  assert.match(checkAnswers(qs, true, 'nope')!, /must be an object/);
});
