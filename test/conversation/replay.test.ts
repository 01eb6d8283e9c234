import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';
import { replayHistoryFile } from '../../src/testing/replay.js';

// A recorded conversation that crosses a continue-as-new, both runs of it: the one that hands
// over (its last event is the continue-as-new) and the one that goes on from the carried state.
// Record them again with RECORD_HISTORY=1 npm test -- conversation/handover.
const fixtures = path.join(packageRoot, 'test', 'fixtures');
const file = (name: string) => path.join(fixtures, `conversation-history-${name}.json`);
const events = (name: string) =>
  (JSON.parse(readFileSync(file(name), 'utf8')) as { events: { eventType: string; [k: string]: any }[] })
    .events;

test('the recorded conversation crosses a continue-as-new', () => {
  const handover = events('handover');
  const continued = events('continued');
  assert.equal(handover.at(-1)?.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  const first = handover[0]?.workflowExecutionStartedEventAttributes;
  const second = continued[0]?.workflowExecutionStartedEventAttributes;
  assert.ok(first?.originalExecutionRunId);
  assert.equal(
    second?.continuedExecutionRunId,
    first.originalExecutionRunId,
    'the second run continues the first'
  );
  const asks = (list: typeof handover) =>
    list.filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'ask'
    ).length;
  assert.ok(asks(handover) >= 2 && asks(continued) >= 1, 'both runs answered questions');
});

for (const name of readdirSync(fixtures).filter((f) => /^conversation-history.*\.json$/.test(f))) {
  test(`recorded conversation history ${name} replays against the current workflow code`, async () => {
    await replayHistoryFile(path.join(fixtures, name));
  });
}
