import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { ResearchClient } from '../../src/client/research.js';
import type { ModelServerHandle } from '../../src/model-server/server.js';
import {
  spawnWorkerProcess,
  testModelServer,
  testTemporal,
  type TestTemporal,
} from '../../src/testing/kit.js';

let t: TestTemporal;
let model: ModelServerHandle;
const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'steadfast-secrets-')), 'requests.jsonl');
// Built at run time so no key-shaped literal sits in the tree.
const secret = ['sk', 'steadfast', 'secret', Date.now().toString(36), 'abcdefghijklmnop'].join('-');

before(async () => {
  t = await testTemporal();
  model = await testModelServer({ logFile });
});

after(async () => {
  await model?.close();
  await t?.close();
});

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
  const worker = spawnWorkerProcess(t, {
    OPENAI_API_KEY: secret,
    OPENAI_BASE_URL: model.baseURL,
    STEADFAST_LOG_LEVEL: 'DEBUG',
  });
  try {
    await worker.ready;
    const research = new ResearchClient({ client: t.client, taskQueue: t.settings.taskQueue });
    const { workflowId } = await research.start({
      question: 'How do I add human approval to a durable agent?',
      requestId: `secrets-${Date.now()}`,
      clarify: false,
    });
    await research.result(workflowId);
    const history = historyText(historyToJSON(await t.client.workflow.getHandle(workflowId).fetchHistory()));
    assert.ok(history.includes('human approval'), 'the decoded history is searchable');
    assert.ok(!history.includes(secret), 'no key in history');
    assert.ok(!worker.output().includes(secret), 'no key in the worker log');
    assert.ok(!readFileSync(logFile, 'utf8').includes(secret), 'no key in the model request log');
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once('exit', r)));
  }
});
