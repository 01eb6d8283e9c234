import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/common/errors.js';
import { WORKFLOW_TASK_TIMEOUT, workflowTaskTimeout } from '../../src/common/workflow-start.js';

test('runs start with a 2 s workflow task timeout unless STEADFAST_WORKFLOW_TASK_TIMEOUT says otherwise', () => {
  assert.equal(workflowTaskTimeout({}), WORKFLOW_TASK_TIMEOUT);
  assert.equal(WORKFLOW_TASK_TIMEOUT, '2 seconds');
  assert.equal(workflowTaskTimeout({ STEADFAST_WORKFLOW_TASK_TIMEOUT: '5s' }), '5s');
  assert.equal(workflowTaskTimeout({ STEADFAST_WORKFLOW_TASK_TIMEOUT: '4000' }), 4000);
  assert.equal(workflowTaskTimeout({ STEADFAST_WORKFLOW_TASK_TIMEOUT: ' ' }), WORKFLOW_TASK_TIMEOUT);
});

test('a workflow task timeout that is not a duration between 1 s and 60 s is a UserError naming the fix', () => {
  for (const bad of ['soon', '500ms', '2 minutes', '-1', '0'])
    assert.throws(
      () => workflowTaskTimeout({ STEADFAST_WORKFLOW_TASK_TIMEOUT: bad }),
      (err: unknown) =>
        err instanceof UserError &&
        err.message.includes(`STEADFAST_WORKFLOW_TASK_TIMEOUT=${JSON.stringify(bad)}`) &&
        /2 seconds/.test(err.hint ?? ''),
      bad
    );
});
