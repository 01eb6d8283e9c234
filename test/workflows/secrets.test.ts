import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { testFixture } from '../../src/testing/fixture.js';

const fx = testFixture({ model: { requestLog: true }, research: true });
// Built at run time so no key-shaped literal sits in the tree.
const secret = ['sk', 'steadfast', 'secret', Date.now().toString(36), 'abcdefghijklmnop'].join('-');

/** Every payload of the history, decoded, plus the raw JSON. */
function historyText(json: string): string {
  const decoded: string[] = [json];
  JSON.parse(json, (key, value) => {
    if (key === 'data' && typeof value === 'string')
      decoded.push(Buffer.from(value, 'base64').toString('utf8'));
    return value;
  });
  return decoded.join('\n');
}

test('the API key never enters workflow history, the worker log or the model request log', async () => {
  const worker = await fx.spawnWorker({ env: { OPENAI_API_KEY: secret, STEADFAST_LOG_LEVEL: 'DEBUG' } });
  const { workflowId } = await fx.research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: fx.requestId('secrets'),
    clarify: false,
  });
  await fx.research.result(workflowId);
  const history = historyText(historyToJSON(await fx.client.workflow.getHandle(workflowId).fetchHistory()));
  assert.ok(history.includes('human approval'), 'the decoded history is searchable');
  assert.ok(!history.includes(secret), 'no key in history');
  assert.ok(!worker.output().includes(secret), 'no key in the worker log');
  assert.ok(!readFileSync(fx.requestLog, 'utf8').includes(secret), 'no key in the model request log');
});
