import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerCues, askingClauses, questionSentences } from '../../src/model-server/question-form.js';

test('a question splits into sentences after a version number, not inside an abbreviation', () => {
  assert.deepEqual(questionSentences('My tool ignores tag v1.2. Why?'), [
    'My tool ignores tag v1.2.',
    'Why?',
  ]);
  assert.deepEqual(questionSentences('Can I pass e.g. a path instead?'), ['Can I pass e.g. a path instead?']);
});

test('"Why, and how do I…" asks for a reason and a procedure, even after a sentence ending in a number', () => {
  const q = 'The tool skips my tag v1.2. Why, and how do I make it consider that tag?';
  assert.deepEqual(askingClauses(q), ['Why', 'how do I make it consider that tag?']);
  assert.deepEqual([...answerCues(q).cues].sort(), ['procedure', 'reason']);
});
