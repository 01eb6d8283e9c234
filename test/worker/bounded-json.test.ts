import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModelProvider, type ModelEndpoint } from '../../src/worker/model-provider.js';
import { boundedSchema, fittingSchema } from '../../src/worker/models/bounded-json.js';
import { PLAN_OUTPUT, runAgent, VALID_PLAN } from './agents.js';
import { chatBody, responsesBody, startEndpointStub } from './endpoint-stub.js';

const REPORT = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    summary: { type: 'string' },
    markdown: { type: 'string' },
    followUps: { type: 'array', items: { type: 'string' } },
  },
  required: ['title', 'summary', 'markdown', 'followUps'],
  additionalProperties: false,
};

test('bounded schema: free strings get maxLength, unbounded arrays maxItems; enums and set bounds stay', () => {
  const schema = {
    type: 'object',
    properties: {
      title: { type: 'string' },
      kind: { type: 'string', enum: ['a', 'b'] },
      short: { type: 'string', maxLength: 20 },
      tags: { type: 'array', items: { type: ['string', 'null'] } },
      ids: { type: 'array', maxItems: 3, items: { type: 'string' } },
      // a property named like a keyword is a name, not a keyword
      properties: { type: 'string' },
    },
    required: ['title'],
    additionalProperties: false,
  };
  const bounded = boundedSchema(schema, 300) as any;
  assert.equal(bounded.properties.title.maxLength, 300);
  assert.equal(bounded.properties.kind.maxLength, undefined);
  assert.equal(bounded.properties.short.maxLength, 20);
  assert.equal(bounded.properties.tags.maxItems, 16);
  assert.equal(bounded.properties.tags.items.maxLength, 300);
  assert.equal(bounded.properties.ids.maxItems, 3);
  assert.equal(bounded.properties.properties.maxLength, 300);
  assert.equal((schema.properties.title as any).maxLength, undefined, 'the original is untouched');
});

test('Chat Completions to a local server carry the bounded schema; the Responses API and OpenAI do not', async () => {
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/chat/completions'
      ? { body: chatBody({ content: VALID_PLAN }) }
      : req.path === '/v1/responses'
        ? { body: responsesBody(VALID_PLAN) }
        : undefined
  );
  try {
    const at = (kind: ModelEndpoint['kind'], api: 'chat' | 'responses'): ModelEndpoint => ({
      kind,
      baseURL: stub.baseURL,
      model: 'local',
      api,
    });
    const env = { STEADFAST_MAX_OUTPUT_TOKENS: '512' };
    const local = await runAgent(createModelProvider(at('compatible', 'chat'), env), { structured: true });
    assert.deepEqual(
      local.finalOutput,
      JSON.parse(VALID_PLAN),
      'the bounded answer matches the agent’s schema'
    );
    await runAgent(createModelProvider(at('openai', 'chat'), env), { structured: true });
    await runAgent(createModelProvider(at('compatible', 'responses'), env), { structured: true });
    const [bounded, openai] = stub
      .to('/v1/chat/completions')
      .map((r) => r.body.response_format.json_schema.schema);
    assert.equal(bounded.properties.queries.items.maxLength, 768, '1.5 characters per token of the cap');
    assert.equal(bounded.properties.queries.maxItems, 16);
    assert.deepEqual(openai, PLAN_OUTPUT.schema);
    assert.deepEqual(stub.to('/v1/responses')[0]!.body.text.format.schema, PLAN_OUTPUT.schema);
  } finally {
    await stub.close();
  }
});

test('fitting schema: the character budget of the cap is split between properties and items', () => {
  const fitted = fittingSchema(REPORT, 512) as any;
  // 512 tokens × 3 characters × 0.8 = 1228 characters, a quarter each, a followUp an eighth of that.
  assert.equal(fitted.properties.markdown.maxLength, 307);
  assert.equal(fitted.properties.followUps.maxItems, 8);
  assert.equal(fitted.properties.followUps.items.maxLength, 38);
  const plan = fittingSchema(
    {
      type: 'object',
      properties: {
        searches: {
          type: 'array',
          minItems: 1,
          maxItems: 5,
          items: { type: 'object', properties: { query: { type: 'string' }, reason: { type: 'string' } } },
        },
      },
    },
    512
  ) as any;
  assert.equal(plan.properties.searches.maxItems, 5, 'a smaller bound of the schema stays');
  assert.equal(plan.properties.searches.items.properties.query.maxLength, 122);
});

test('a reply the cap cut off is repaired under the fitting schema', async () => {
  let n = 0;
  const long = `{"title": "Retries", "summary": "${'retries '.repeat(40)}`;
  const stub = await startEndpointStub((req) =>
    req.path === '/v1/chat/completions'
      ? { body: n++ === 0 ? chatBody({ content: long }, 'length') : chatBody({ content: VALID_PLAN }) }
      : undefined
  );
  try {
    const endpoint: ModelEndpoint = {
      kind: 'compatible',
      baseURL: stub.baseURL,
      model: 'local',
      api: 'chat',
    };
    const result = await runAgent(createModelProvider(endpoint, { STEADFAST_MAX_OUTPUT_TOKENS: '100' }), {
      structured: true,
    });
    assert.deepEqual(result.finalOutput, JSON.parse(VALID_PLAN));
    const [first, repair] = stub
      .to('/v1/chat/completions')
      .map((r) => r.body.response_format.json_schema.schema);
    assert.equal(first.properties.queries.items.maxLength, 200, 'loop protection on the first call');
    assert.equal(repair.properties.queries.maxItems, 8);
    assert.equal(repair.properties.queries.items.maxLength, 30, '100 × 3 × 0.8 / 8 characters');
  } finally {
    await stub.close();
  }
});
