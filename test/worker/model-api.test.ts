import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/common/errors.js';
import { freePort } from '../../src/common/ports.js';
import { ModelEndpointUnreachable } from '../../src/worker/model-network-errors.js';
import {
  createModelProvider,
  describeEndpoint,
  modelCallSettings,
  offlineEndpoint,
  profileEndpoint,
  type ModelEndpoint,
} from '../../src/worker/model-provider.js';
import { testFixture } from '../../src/testing/fixture.js';
import { PLAN_OUTPUT, runAgent, VALID_PLAN } from './agents.js';
import { chatBody, responsesBody, startEndpointStub, type StubHandler } from './endpoint-stub.js';

const fx = testFixture({ model: true });

function compatible(baseURL: string): ModelEndpoint {
  return { kind: 'compatible', baseURL, model: 'local-model' };
}

/** Requests the offline model server received on each API while `fn` ran. */
async function callsDuring(fn: () => Promise<unknown>): Promise<{ responses: number; chat: number }> {
  const before = fx.model.stats().byPath;
  await fn();
  const after = fx.model.stats().byPath;
  const diff = (p: string) => (after[p] ?? 0) - (before[p] ?? 0);
  return { responses: diff('/v1/responses'), chat: diff('/v1/chat/completions') };
}

/** A llama-server-like endpoint: /v1/responses answers in prose whatever text.format says. */
const ignoresTextFormat: StubHandler = (req) => {
  if (req.path === '/v1/responses') return { body: responsesBody('Hello, reader! One, two, three.') };
  if (req.path === '/v1/chat/completions') return { body: chatBody({ content: VALID_PLAN }) };
  return undefined;
};

test('auto: the offline model server stays on the Responses API, without a probe', async () => {
  const endpoint = await profileEndpoint(offlineEndpoint(fx.model.baseURL, {}), {});
  assert.equal(endpoint.api, 'responses');
  assert.match(describeEndpoint(endpoint), /Responses API/);
  const calls = await callsDuring(() => runAgent(createModelProvider(endpoint, {}), { structured: true }));
  assert.deepEqual(calls, { responses: 1, chat: 0 });
});

test('STEADFAST_MODEL_API=chat: every call goes through the Agents SDK Chat Completions model', async () => {
  const env = { STEADFAST_MODEL_API: 'chat' };
  const endpoint = await profileEndpoint(offlineEndpoint(fx.model.baseURL, {}), env);
  assert.equal(endpoint.api, 'chat');
  assert.match(describeEndpoint(endpoint), /Chat Completions: STEADFAST_MODEL_API=chat/);
  let output: unknown;
  const calls = await callsDuring(async () => {
    output = (await runAgent(createModelProvider(endpoint, env), { structured: true })).finalOutput;
  });
  assert.deepEqual(calls, { responses: 0, chat: 1 });
  assert.ok(Array.isArray((output as { queries: unknown }).queries), 'the schema-valid answer is parsed');
});

test('auto: the offline model server reached as a compatible endpoint is recognised, not probed', async () => {
  let endpoint: ModelEndpoint | undefined;
  const calls = await callsDuring(async () => {
    endpoint = await profileEndpoint(compatible(fx.model.baseURL), {});
  });
  assert.deepEqual(calls, { responses: 0, chat: 0 }, 'no probe: every worker would repeat it');
  assert.equal(endpoint!.api, 'responses');
  assert.match(describeEndpoint(endpoint!), /Responses API: the steadfast offline model server/);
});

test('auto probes a compatible endpoint once: one that honours text.format stays on Responses', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/responses' ? { body: responsesBody('{"greeting":"Hello","count":3}') } : undefined
  );
  try {
    const endpoint = await profileEndpoint(compatible(stub.baseURL), {});
    assert.equal(stub.to('/v1/responses').length, 1, 'one probe');
    assert.equal(endpoint.api, 'responses');
    assert.match(describeEndpoint(endpoint), /Responses API: .*honours text\.format/);
  } finally {
    await stub.close();
  }
});

test('auto: an endpoint that answers /v1/responses in prose is spoken to with Chat Completions', async () => {
  const stub = await startEndpointStub(ignoresTextFormat);
  try {
    const endpoint = await profileEndpoint(compatible(stub.baseURL), {});
    assert.equal(endpoint.api, 'chat');
    assert.match(describeEndpoint(endpoint), /\(Chat Completions: .*ignores text\.format/);
    const probe = stub.to('/v1/responses')[0]!.body;
    assert.equal(probe.text.format.type, 'json_schema', 'the probe carries a JSON schema');
    const result = await runAgent(createModelProvider(endpoint, {}), { structured: true });
    assert.deepEqual(result.finalOutput, JSON.parse(VALID_PLAN));
    assert.equal(stub.to('/v1/responses').length, 1, 'no call but the probe on /v1/responses');
    const chat = stub.to('/v1/chat/completions')[0]!.body;
    const sent = chat.response_format?.json_schema;
    assert.equal(sent?.name, PLAN_OUTPUT.name, 'the schema goes as response_format');
    assert.deepEqual(sent.schema.required, PLAN_OUTPUT.schema.required);
    assert.equal(sent.schema.properties.queries.type, 'array');
  } finally {
    await stub.close();
  }
});

test('auto: an endpoint without /v1/responses (404) is spoken to with Chat Completions', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/chat/completions' ? { body: chatBody({ content: VALID_PLAN }) } : undefined
  );
  try {
    const endpoint = await profileEndpoint(compatible(stub.baseURL), {});
    assert.equal(endpoint.api, 'chat');
    assert.match(endpoint.apiReason!, /answered 404/);
  } finally {
    await stub.close();
  }
});

test('auto: an endpoint that is not up at worker start is probed again at the first call', async () => {
  const port = await freePort();
  const endpoint = await profileEndpoint(compatible(`http://127.0.0.1:${port}/v1`), {});
  assert.equal(endpoint.api, undefined);
  assert.match(describeEndpoint(endpoint), /API decided at the first call: no answer from/);
  const provider = createModelProvider(endpoint, {});
  await assert.rejects(
    () => runAgent(provider, { structured: true }),
    (err: Error) => err instanceof ModelEndpointUnreachable && /cannot choose the model API/.test(err.message)
  );
  const stub = await startEndpointStub(ignoresTextFormat, port);
  try {
    const result = await runAgent(provider, { structured: true });
    assert.deepEqual(result.finalOutput, JSON.parse(VALID_PLAN));
    assert.equal(stub.to('/v1/chat/completions').length, 1, 'decided on Chat Completions at the call');
  } finally {
    await stub.close();
  }
});

test('a bad STEADFAST_MODEL_API, timeout or token count is a UserError that names the fix', () => {
  for (const env of [
    { STEADFAST_MODEL_API: 'completions' },
    { STEADFAST_MODEL_TIMEOUT: 'soon' },
    { STEADFAST_MODEL_TIMEOUT: '0.5' },
    { STEADFAST_MAX_OUTPUT_TOKENS: '-5' },
    { STEADFAST_MODEL_CONTEXT_TOKENS: 'lots' },
  ]) {
    assert.throws(
      () => modelCallSettings(env),
      (err: Error) => err instanceof UserError && err.message.includes(Object.keys(env)[0]!) && !!err.hint,
      JSON.stringify(env)
    );
  }
  assert.deepEqual(
    modelCallSettings({ STEADFAST_MODEL_TIMEOUT: '5 minutes', STEADFAST_MAX_OUTPUT_TOKENS: '512' }),
    { api: 'auto', timeoutMs: 300_000, maxOutputTokens: 512 }
  );
  assert.equal(modelCallSettings({ STEADFAST_MODEL_TIMEOUT: '300' }).timeoutMs, 300_000, 'seconds');
});
