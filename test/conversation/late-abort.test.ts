import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelsLateCalls } from '../../src/common/abort-signals.js';

test('a call that starts after the stop is cancelled too: a listener added to the fired signal runs', async () => {
  const stop = new AbortController();
  const signal = cancelsLateCalls(stop.signal);
  const early: string[] = [];
  signal.addEventListener('abort', () => early.push('early'));
  stop.abort();
  assert.deepEqual(early, ['early'], 'a listener added before the abort runs on it');
  const late: string[] = [];
  signal.addEventListener('abort', () => late.push('function'));
  signal.addEventListener('abort', { handleEvent: (e) => late.push(`object ${e.type}`) });
  await Promise.resolve();
  assert.deepEqual(late, ['function', 'object abort'], 'listeners added after the abort run at once');
  assert.equal(signal.aborted, true);
  // A plain AbortSignal, which the client's cancellation relies on, would not call them.
  const plain: string[] = [];
  stop.signal.addEventListener('abort', () => plain.push('never'));
  await Promise.resolve();
  assert.deepEqual(plain, []);
});
