import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { testFixture } from '../../src/testing/fixture.js';

const fx = testFixture({ model: { requestLog: true }, research: true });
// Built at run time so no key-shaped literal sits in the tree.
const secret = ['sk', 'steadfast', 'secret', Date.now().toString(36), 'abcdefghijklmnop'].join('-');

/** Every string of the history, with each byte field (payload data, metadata) decoded as UTF-8. */
function historyText(history: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return out.join('\n');
}

test('the API key never enters workflow history, the worker log or the model request log', async () => {
  const worker = await fx.spawnWorker({ env: { OPENAI_API_KEY: secret, STEADFAST_LOG_LEVEL: 'DEBUG' } });
  const { workflowId } = await fx.research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: fx.requestId('secrets'),
    clarify: false,
  });
  await fx.research.result(workflowId);
  const history = historyText(await fx.client.workflow.getHandle(workflowId).fetchHistory());
  assert.ok(history.includes('human approval'), 'the decoded history is searchable');
  assert.ok(!history.includes(secret), 'no key in history');
  assert.ok(!worker.output().includes(secret), 'no key in the worker log');
  assert.ok(!readFileSync(fx.requestLog, 'utf8').includes(secret), 'no key in the model request log');
});
