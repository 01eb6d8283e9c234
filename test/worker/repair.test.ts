import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { createModelProvider, type ModelEndpoint } from '../../src/worker/model-provider.js';
import { ModelOutputInvalid } from '../../src/worker/models/repair.js';
import { testFixture } from '../../src/testing/fixture.js';
import { PLAN_OUTPUT, runAgent, VALID_PLAN } from './agents.js';
import {
  chatBody,
  lastUserText,
  responsesBody,
  startEndpointStub,
  type EndpointStub,
} from './endpoint-stub.js';

const fx = testFixture({});

/** A stub that gives the scripted replies in turn on both APIs, then the last one again. */
async function scripted(replies: string[]): Promise<EndpointStub> {
  let n = 0;
  return startEndpointStub((req) => {
    const text = replies[Math.min(n, replies.length - 1)]!;
    if (req.path === '/v1/chat/completions') return (n++, { body: chatBody({ content: text }) });
    if (req.path === '/v1/responses') return (n++, { body: responsesBody(text) });
    return undefined;
  });
}

function at(stub: EndpointStub, api: 'chat' | 'responses'): ModelEndpoint {
  return { kind: 'compatible', baseURL: stub.baseURL, model: 'local', api };
}

const PROSE = 'Sure! Here are some queries: activity retries, retry policy.';

for (const api of ['chat', 'responses'] as const) {
  test(`${api}: prose under a JSON schema gets one repair turn with the reply and the error`, async () => {
    const stub = await scripted([PROSE, VALID_PLAN]);
    const lines: string[] = [];
    try {
      const provider = createModelProvider(at(stub, api), {}, { log: (l) => lines.push(l) });
      const result = await runAgent(provider, { structured: true });
      assert.deepEqual(result.finalOutput, JSON.parse(VALID_PLAN));
      const path = api === 'chat' ? '/v1/chat/completions' : '/v1/responses';
      const [, repair] = stub.to(path).map((r) => r.body);
      assert.ok(repair, 'a second call');
      const sent = JSON.stringify(repair.messages ?? repair.input);
      assert.ok(sent.includes(PROSE), 'the model sees its own reply');
      const ask = lastUserText(repair);
      assert.match(ask, /not a JSON object/);
      assert.ok(ask.includes(JSON.stringify(PLAN_OUTPUT.schema)), 'and the schema to follow');
      assert.equal(result.state.usage.requests, 2, 'both calls count');
      assert.equal(result.state.usage.totalTokens, 30);
      assert.deepEqual(
        lines.map((l) => l.split(':')[0]),
        ['model repair', 'model repair succeeded']
      );
    } finally {
      await stub.close();
    }
  });
}

test('JSON that misses the schema is repaired; the error names the field', async () => {
  const stub = await scripted(['{"queries": "activity retries"}', VALID_PLAN]);
  try {
    const result = await runAgent(createModelProvider(at(stub, 'chat'), {}), { structured: true });
    assert.deepEqual(result.finalOutput, JSON.parse(VALID_PLAN));
    assert.match(lastUserText(stub.requests[1]!.body), /does not match the schema: \/queries must be array/);
  } finally {
    await stub.close();
  }
});

test('JSON in a code fence or a sentence is taken as it is, without a repair turn', async () => {
  for (const reply of ['```json\n' + VALID_PLAN + '\n```', `Here is the plan: ${VALID_PLAN} Good luck!`]) {
    const stub = await scripted([reply]);
    try {
      const result = await runAgent(createModelProvider(at(stub, 'chat'), {}), { structured: true });
      assert.deepEqual(result.finalOutput, JSON.parse(VALID_PLAN));
      assert.equal(stub.requests.length, 1);
    } finally {
      await stub.close();
    }
  }
});

test('unusable twice: ModelOutputInvalid, which the model activity must not retry', async () => {
  const stub = await scripted([PROSE]);
  try {
    await assert.rejects(
      () => runAgent(createModelProvider(at(stub, 'chat'), {}), { structured: true }),
      (err: Error) => {
        assert.ok(err instanceof ModelOutputInvalid);
        assert.match(err.message, /unusable twice .*not a JSON object.*STEADFAST_MODEL_API=chat/);
        // The plugin's own rule for "retrying cannot help"; the cause is what the workflow reads.
        assert.equal((err as ModelOutputInvalid).headers?.get('x-should-retry'), 'false');
        const cause = err.cause as ApplicationFailure;
        assert.ok(
          cause instanceof ApplicationFailure && cause.nonRetryable && cause.type === 'ModelOutputInvalid'
        );
        return true;
      }
    );
    assert.equal(stub.requests.length, 2, 'the call and one repair turn, no more');
  } finally {
    await stub.close();
  }
});

test('in a workflow: an empty reply twice fails the model activity once, non-retryable, with the root cause', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/chat/completions' ? { body: chatBody({ content: '' }) } : undefined
  );
  try {
    const provider = createModelProvider(at(stub, 'chat'), {});
    const { taskQueue } = await fx.isolatedWorker({ modelProvider: provider });
    const handle = await fx.client.workflow.start('hello', {
      taskQueue,
      workflowId: fx.requestId('empty-twice'),
      args: [{ text: 'Plan my weekend.' }],
    });
    const err = await handle.result().then(
      () => assert.fail('the run should fail'),
      (e: unknown) => e
    );
    assert.ok(err instanceof WorkflowFailedError);
    const chain: unknown[] = [];
    for (let e: any = err; e && chain.length < 10; e = e.cause) chain.push(e);
    const root = chain.filter((e) => e instanceof ApplicationFailure).at(-1) as ApplicationFailure;
    assert.equal(root.type, 'ModelOutputInvalid');
    assert.equal(root.nonRetryable, true);
    assert.match(root.message, /the reply was empty/);
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).filter(
      (e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt
    );
    assert.equal(attempts.length, 1, 'one attempt of the model activity');
    assert.equal(stub.requests.length, 2, 'the call and its repair turn');
  } finally {
    await stub.close();
  }
});
