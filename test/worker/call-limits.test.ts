import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@temporalio/client';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { noModels } from '../../src/common/no-models.js';
import { modelClientPlugin } from '../../src/cli/environment.js';
import { ModelCallTimedOut } from '../../src/worker/model-network-errors.js';
import {
  createModelProvider,
  DEFAULT_MAX_OUTPUT_TOKENS,
  offlineEndpoint,
  type ModelEndpoint,
} from '../../src/worker/model-provider.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { openai } from '../../src/worker/sdk.js';
import { runAgent, VALID_PLAN } from './agents.js';
import { chatBody, responsesBody, startEndpointStub } from './endpoint-stub.js';

const fx = testFixture({ model: true, worker: true });

test('every call carries an output cap: the default, STEADFAST_MAX_OUTPUT_TOKENS, or the agent’s own', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/chat/completions'
      ? { body: chatBody({ content: VALID_PLAN }) }
      : req.path === '/v1/responses'
        ? { body: responsesBody(VALID_PLAN) }
        : undefined
  );
  try {
    const endpoint = (api: 'chat' | 'responses'): ModelEndpoint => ({
      kind: 'compatible',
      baseURL: stub.baseURL,
      model: 'local',
      api,
    });
    await runAgent(createModelProvider(endpoint('chat'), {}), { structured: true });
    await runAgent(createModelProvider(endpoint('chat'), { STEADFAST_MAX_OUTPUT_TOKENS: '300' }));
    await runAgent(createModelProvider(endpoint('chat'), { STEADFAST_MAX_OUTPUT_TOKENS: '300' }), {
      maxTokens: 42,
    });
    await runAgent(createModelProvider(endpoint('responses'), { STEADFAST_MAX_OUTPUT_TOKENS: '300' }));
    const chat = stub.to('/v1/chat/completions').map((r) => r.body.max_tokens);
    assert.deepEqual(chat, [DEFAULT_MAX_OUTPUT_TOKENS, 300, 42]);
    assert.equal(stub.to('/v1/responses')[0]!.body.max_output_tokens, 300);
  } finally {
    await stub.close();
  }
});

test('STEADFAST_MODEL_TIMEOUT ends a slow call, aborts its HTTP request, and is retryable', async () => {
  fx.model.configure({ latencyMs: 4_000 });
  try {
    const provider = createModelProvider(offlineEndpoint(fx.model.baseURL, {}), {
      STEADFAST_MODEL_TIMEOUT: '1',
    });
    const before = fx.model.stats().aborted;
    const started = Date.now();
    await assert.rejects(
      () => runAgent(provider),
      (err: Error) =>
        err instanceof ModelCallTimedOut &&
        // Not an APIError: the plugin's model activity classifies it as retryable.
        !(err instanceof openai.APIError) &&
        /did not answer within 1 s \(STEADFAST_MODEL_TIMEOUT\)/.test(err.message) &&
        err.message.includes('raise STEADFAST_MODEL_TIMEOUT')
    );
    assert.ok(Date.now() - started < 3_000, 'ended at the timeout, not at the answer');
    // The server sees the connection close: a local server stops generating for it.
    const deadline = Date.now() + 2_000;
    while (fx.model.stats().aborted === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(fx.model.stats().aborted, before + 1);
  } finally {
    fx.model.configure({ latencyMs: 0 });
  }
});

test('the client plugin sets the model activity’s start-to-close from STEADFAST_MODEL_TIMEOUT (the header wins)', async () => {
  const client = new Client({
    connection: fx.client.connection,
    namespace: fx.settings.namespace,
    plugins: [await modelClientPlugin({ STEADFAST_MODEL_TIMEOUT: '200' })],
  });
  const handle = await client.workflow.start('hello', {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('model-timeout-header'),
    args: [{ text: 'Plan my weekend.' }],
  });
  await handle.result();
  const scheduled = [];
  for (const event of (await handle.fetchHistory()).events ?? []) {
    const attrs = event.activityTaskScheduledEventAttributes;
    if (attrs?.activityType?.name === 'invokeModelActivity') scheduled.push(attrs);
  }
  assert.ok(scheduled.length > 0, 'model calls ran as activities');
  for (const attrs of scheduled) {
    // 2 × 200 s (the call and one repair turn) + 30 s; the workflow's own default is 2 minutes.
    assert.equal(Number(attrs.startToCloseTimeout?.seconds), 430);
    const heartbeatMs =
      Number(attrs.heartbeatTimeout?.seconds ?? 0) * 1000 + (attrs.heartbeatTimeout?.nanos ?? 0) / 1e6;
    assert.equal(heartbeatMs, 1500, "the workflow's other settings stay");
  }
});

test('inside an activity a call ends before the attempt times out, and says which limit it met', async () => {
  const client = new Client({
    connection: fx.client.connection,
    namespace: fx.settings.namespace,
    // A client whose model activities get 4 s: shorter than the worker's 110 s call timeout.
    plugins: [
      new OpenAIAgentsPlugin({ modelProvider: noModels, modelParams: { startToCloseTimeout: '4s' } }),
    ],
  });
  fx.model.configure({ latencyMs: 20_000 });
  const abortedBefore = fx.model.stats().aborted;
  const handle = await client.workflow.start('hello', {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('activity-deadline'),
    args: [{ text: 'Plan my weekend.' }],
  });
  try {
    const failure = await waitFor(
      async () =>
        (await handle.describe()).raw.pendingActivities?.[0]?.lastFailure?.cause?.message ?? undefined,
      20_000,
      'the first failed attempt'
    );
    assert.match(failure, /did not answer within 3 s \(the model activity's timeout\)/);
    assert.ok(fx.model.stats().aborted > abortedBefore, 'the HTTP request was aborted');
  } finally {
    await handle.terminate('test done');
    fx.model.configure({ latencyMs: 0 });
  }
});
