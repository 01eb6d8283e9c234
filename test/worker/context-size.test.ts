import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEnvironment } from '../../src/cli/environment.js';
import { describeEndpoint, offlineEndpoint, type ModelEndpoint } from '../../src/worker/model-provider.js';
import { profileEndpoint } from '../../src/worker/models/endpoint-profile.js';
import { probeContext } from '../../src/worker/models/context-size.js';
import { testFixture } from '../../src/testing/fixture.js';
import { startEndpointStub } from './endpoint-stub.js';

const fx = testFixture({ model: true });

const at = (baseURL: string, model = 'local'): ModelEndpoint => ({ kind: 'compatible', baseURL, model });

test('llama-server: the context of one slot, from /props', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/props'
      ? { body: { default_generation_settings: { n_ctx: 8192 }, total_slots: 2 } }
      : undefined
  );
  try {
    const context = await probeContext(at(stub.baseURL), {});
    assert.equal(context?.tokens, 8192);
    assert.match(context!.source, /\/props n_ctx \(llama-server, per slot\)/);
  } finally {
    await stub.close();
  }
});

test('vLLM-like: max_model_len of the configured model in /v1/models', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/models'
      ? {
          body: {
            data: [
              { id: 'other', max_model_len: 4096 },
              { id: 'local', max_model_len: 32768 },
            ],
          },
        }
      : undefined
  );
  try {
    const context = await probeContext(at(stub.baseURL), {});
    assert.deepEqual(context, { tokens: 32768, source: `${stub.baseURL}/models max_model_len` });
  } finally {
    await stub.close();
  }
});

test('STEADFAST_MODEL_CONTEXT_TOKENS wins, without asking the endpoint', async () => {
  const stub = await startEndpointStub(() => ({ body: { default_generation_settings: { n_ctx: 8192 } } }));
  try {
    const endpoint = await profileEndpoint(
      { ...at(stub.baseURL), api: 'chat' },
      { STEADFAST_MODEL_CONTEXT_TOKENS: '2048' }
    );
    assert.deepEqual(endpoint.context, { tokens: 2048, source: 'STEADFAST_MODEL_CONTEXT_TOKENS' });
    assert.equal(stub.requests.length, 0);
    assert.match(describeEndpoint(endpoint), /context 2048 tokens \(STEADFAST_MODEL_CONTEXT_TOKENS\)/);
  } finally {
    await stub.close();
  }
});

test('an endpoint that does not tell, and the offline server, have no context size', async () => {
  const stub = await startEndpointStub(() => undefined);
  try {
    assert.equal(await probeContext(at(stub.baseURL), {}), undefined);
    assert.equal(await probeContext(offlineEndpoint(fx.model.baseURL, {}), {}), undefined);
  } finally {
    await stub.close();
  }
});

test('a client that starts runs (no worker of its own) learns the context size of its endpoint', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/props' ? { body: { default_generation_settings: { n_ctx: 4096 } } } : undefined
  );
  const saved = { ...process.env };
  process.env.OPENAI_BASE_URL = stub.baseURL;
  process.env.TEMPORAL_ADDRESS = fx.settings.address;
  const env = await openEnvironment({ worker: false, clientPlugin: true, log: () => {} });
  try {
    assert.equal(env.endpoint?.context?.tokens, 4096);
  } finally {
    await env.close();
    process.env = saved;
    await stub.close();
  }
});
