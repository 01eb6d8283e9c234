import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usableFollowUps, usablePlan } from '../../src/workflows/research/plan-checks.js';

const Q = 'How does Temporal retry a failed activity, and how do I make an error non-retryable?';

test('a plan keeps each query once and stays within the bound', () => {
  const plan = usablePlan(
    [
      { query: 'activity retry policy', reason: 'a' },
      { query: 'Activity  retry-policy!', reason: 'b' },
      { query: 'non-retryable error', reason: 'c' },
      { query: 'x', reason: 'too short' },
      { query: 'retry backoff', reason: 'd' },
    ],
    Q,
    2
  );
  assert.deepEqual(
    plan.map((s) => s.query),
    ['activity retry policy', 'non-retryable error']
  );
});

test('a plan with nothing about the question (a weak model answering with URLs) searches the question first', () => {
  const plan = usablePlan(
    [
      { query: 'https://example.com/search/v2', reason: '' },
      { query: 'https://example.com/search/v2', reason: '' },
    ],
    Q,
    3
  );
  assert.deepEqual(
    plan.map((s) => s.query),
    [Q, 'https://example.com/search/v2']
  );
  assert.deepEqual(
    usablePlan([], Q, 3).map((s) => s.query),
    [Q]
  );
});

test('runs planned before the rule keep duplicates (replay)', () => {
  const twice = [
    { query: 'retry', reason: '' },
    { query: 'retry', reason: '' },
  ];
  assert.equal(usablePlan(twice, Q, 3, 'as-planned').length, 2);
  assert.deepEqual(
    usablePlan([], Q, 3, 'as-planned').map((s) => s.query),
    [Q]
  );
});

test('follow-ups are questions; fragments and repeats are dropped', () => {
  assert.deepEqual(
    usableFollowUps([
      'this',
      'is',
      'another example of how a piece of text can be made even more',
      'How are retries limited?',
      'How are retries   limited?',
      '  What does maximumAttempts default to?  ',
      'Why?',
    ]),
    ['How are retries limited?', 'What does maximumAttempts default to?']
  );
});
