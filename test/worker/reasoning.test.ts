import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModelProvider, type ModelEndpoint } from '../../src/worker/model-provider.js';
import { stripReasoning } from '../../src/worker/models/reasoning.js';
import { runAgent, VALID_PLAN } from './agents.js';
import { chatBody, lastUserText, responsesBody, startEndpointStub, type StubReply } from './endpoint-stub.js';

/** Runs one agent against a stub whose replies are `replies` in turn; returns its output and the calls made. */
async function run(api: 'chat' | 'responses', replies: StubReply['body'][], structured = true) {
  let n = 0;
  const path = api === 'chat' ? '/v1/chat/completions' : '/v1/responses';
  const stub = await startEndpointStub((req) =>
    req.path === path ? { body: replies[Math.min(n++, replies.length - 1)] } : undefined
  );
  try {
    const endpoint: ModelEndpoint = { kind: 'compatible', baseURL: stub.baseURL, model: 'local', api };
    const result = await runAgent(createModelProvider(endpoint, {}), { structured });
    return {
      output: result.finalOutput,
      calls: stub.requests.length,
      asked: lastUserText(stub.requests.at(-1)!.body),
    };
  } finally {
    await stub.close();
  }
}

test('reasoning blocks are not part of the answer', () => {
  assert.equal(stripReasoning('<think>The user wants JSON.</think>\n{"a":1}'), '{"a":1}');
  assert.equal(stripReasoning('<thinking>hm</thinking>Answer <think>more</think>here'), 'Answer here');
  assert.equal(stripReasoning('still thinking, the tag was in the prompt</think> Answer'), 'Answer');
  assert.equal(stripReasoning('<think>ran out of tokens while thinking'), '');
  assert.equal(stripReasoning('No reasoning at all.'), 'No reasoning at all.');
  // A JSON answer quoting documentation about reasoning tags keeps them: they are its content.
  const quoting = JSON.stringify({
    summary: 'Local models put `<think>…</think>` first; some write <reasoning> instead.',
  });
  assert.equal(stripReasoning(quoting), quoting);
  assert.equal(stripReasoning(`<think>plan</think>\n${quoting}`), quoting);
  assert.equal(
    stripReasoning(JSON.stringify({ a: 'the tag was </think> here' })),
    JSON.stringify({ a: 'the tag was </think> here' })
  );
});

test('chat: a <think> block before the JSON is dropped, no repair turn', async () => {
  const { output, calls } = await run('chat', [
    chatBody({ content: `<think>The asker wants queries. Let me think.</think>\n${VALID_PLAN}` }),
  ]);
  assert.deepEqual(output, JSON.parse(VALID_PLAN));
  assert.equal(calls, 1);
});

test('chat: reasoning_content beside the answer is tolerated; a text answer keeps no <think> text', async () => {
  const structured = await run('chat', [chatBody({ reasoning_content: 'Thinking…', content: VALID_PLAN })]);
  assert.deepEqual(structured.output, JSON.parse(VALID_PLAN));
  const text = await run(
    'chat',
    [chatBody({ content: '<think>Plan it.</think>Search for retry policy.' })],
    false
  );
  assert.equal(text.output, 'Search for retry policy.');
  assert.equal(text.calls, 1);
});

test('chat: only reasoning and no content (out of tokens while thinking) gets a repair turn', async () => {
  for (const [first, problem] of [
    [
      chatBody({ content: null, reasoning_content: 'Let me think…' }, 'length'),
      /reached the output limit of 4096 tokens before any answer/,
    ],
    [
      chatBody({ content: '<think>Let me think about retries…' }, 'length'),
      /reached the output limit of 4096 tokens before any answer/,
    ],
    [chatBody({ content: '' }), /the reply was empty/],
  ] as const) {
    const { output, calls, asked } = await run('chat', [first, chatBody({ content: VALID_PLAN })]);
    assert.deepEqual(output, JSON.parse(VALID_PLAN));
    assert.equal(calls, 2);
    assert.match(asked, problem, 'the repair turn tells the model what was wrong');
  }
});

test('responses: a reasoning item and a <think> block around the answer are tolerated', async () => {
  const { output, calls } = await run('responses', [
    responsesBody(`<think>ok</think>${VALID_PLAN}`, { reasoning: 'Considered the question.' }),
  ]);
  assert.deepEqual(output, JSON.parse(VALID_PLAN));
  assert.equal(calls, 1);
});

test('responses: a reply with reasoning but no message (incomplete) gets a repair turn', async () => {
  const { output, calls, asked } = await run('responses', [
    responsesBody(undefined, { reasoning: 'Long thoughts…', status: 'incomplete' }),
    responsesBody(VALID_PLAN),
  ]);
  assert.deepEqual(output, JSON.parse(VALID_PLAN));
  assert.equal(calls, 2);
  assert.match(asked, /reached the output limit of 4096 tokens before any answer/);
});
