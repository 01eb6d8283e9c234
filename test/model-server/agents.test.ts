import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Agent, Runner, handoff, setTracingDisabled, tool } from '@openai/agents-core';
import { OpenAIProvider } from '@openai/agents-openai';
import OpenAI from 'openai';
import { z } from 'zod';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';

setTracingDisabled(true);

const QUESTION = 'How can a small team rotate TLS certificates for internal services without outages?';
const CORPUS: Record<string, string> = {
  'ops/certs.md#2':
    'Automate renewal with an ACME client and renew certificates when a third of their lifetime remains. Alert when any certificate expires within fourteen days.',
  'ops/rollout.md#1':
    'Serve the old and the new certificate side by side during a rotation window. Reload services gracefully instead of restarting them.',
  'ops/legacy.md#4': 'Legacy appliances often need manual certificate uploads and a maintenance window.',
};

let server: ModelServerHandle;
let runner: Runner;
let chatRunner: Runner;

before(async () => {
  server = await startModelServer({ port: 0 });
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'offline', maxRetries: 0 });
  runner = new Runner({
    modelProvider: new OpenAIProvider({ openAIClient: client as never, useResponses: true }),
    model: 'offline',
  });
  chatRunner = new Runner({
    modelProvider: new OpenAIProvider({ openAIClient: client as never, useResponses: false }),
    model: 'offline',
  });
});

after(async () => {
  await server.close();
});

const searchCorpus = tool({
  name: 'searchCorpus',
  description: 'Search the document corpus; returns passages with source ids.',
  parameters: z.object({ query: z.string(), limit: z.number().int().min(1).max(10) }),
  execute: async ({ query }) => {
    const words = query.toLowerCase().split(/\s+/);
    const hits = Object.entries(CORPUS)
      .filter(([, text]) => words.some((w) => text.toLowerCase().includes(w)))
      .map(([sourceId, text]) => ({ sourceId, excerpt: text }));
    return JSON.stringify({ query, hits });
  },
});
const readDocument = tool({
  name: 'readDocument',
  description: 'Read one document by source id.',
  parameters: z.object({ sourceId: z.string() }),
  execute: async ({ sourceId }) => JSON.stringify({ sourceId, text: CORPUS[sourceId] ?? 'not found' }),
});

const Report = z.object({
  summary: z.string().min(1),
  markdown: z.string().min(1),
  followUpQuestions: z.array(z.string()).min(2).max(4),
  citations: z.array(z.object({ n: z.number().int(), sourceId: z.string(), quote: z.string() })).min(1),
  confidence: z.enum(['low', 'medium', 'high']),
  caveat: z.string().nullable(),
});

const researchInput = `${QUESTION}\n\nFindings:\n${JSON.stringify(Object.entries(CORPUS).map(([sourceId, text]) => ({ sourceId, text })))}`;

function checkReport(out: z.infer<typeof Report>) {
  assert.equal(Report.safeParse(out).success, true);
  assert.deepEqual(
    out.citations.map((c) => c.sourceId),
    Object.keys(CORPUS)
  );
  assert.deepEqual(
    out.citations.map((c) => c.n),
    [1, 2, 3]
  );
  // Each quote comes from the document it cites.
  for (const c of out.citations)
    assert.ok(CORPUS[c.sourceId]!.includes(c.quote), `${c.sourceId}: ${c.quote}`);
  assert.match(out.markdown, /\[ops\/\w+\.md#\d\]/);
  assert.equal(new Set(out.followUpQuestions).size, out.followUpQuestions.length);
}

test('Runner + OpenAIResponsesModel: zod output type gives schema-valid, extractive JSON', async () => {
  const writer = new Agent({
    name: 'Writer',
    instructions: 'Write a cited report. Cite as [sourceId].',
    outputType: Report,
  });
  const result = await runner.run(writer, researchInput);
  checkReport(result.finalOutput!);
});

test('Runner streaming (stream: true): same schema-valid output as non-streaming', async () => {
  const writer = new Agent({
    name: 'Writer',
    instructions: 'Write a cited report. Cite as [sourceId].',
    outputType: Report,
  });
  const streamed = await runner.run(writer, researchInput, { stream: true });
  let deltas = '';
  for await (const e of streamed) {
    if (e.type === 'raw_model_stream_event' && e.data.type === 'output_text_delta') deltas += e.data.delta;
  }
  await streamed.completed;
  checkReport(streamed.finalOutput!);
  assert.deepEqual(JSON.parse(deltas), streamed.finalOutput);
  const plain = await runner.run(writer, researchInput);
  assert.deepEqual(plain.finalOutput, streamed.finalOutput);
});

test('an agent with function tools searches, reads two sources, then answers from the tool output', async () => {
  const Answer = z.object({ answer: z.string(), sources: z.array(z.string()) });
  const researcher = new Agent({
    name: 'Researcher',
    instructions: 'Use the tools, then answer. Cite as [sourceId].',
    tools: [searchCorpus, readDocument],
    outputType: Answer,
  });
  const result = await runner.run(researcher, QUESTION);
  const calls = result.newItems
    .filter((i) => i.type === 'tool_call_item')
    .map((i) => {
      const raw = i.rawItem as { name: string; arguments: string };
      return [raw.name, JSON.parse(raw.arguments)];
    });
  assert.equal(calls.length, 3);
  assert.equal(calls[0]![0], 'searchCorpus');
  assert.equal(calls[0]![1].limit, 1);
  assert.match(calls[0]![1].query, /certificates|tls/);
  const hitIds = Object.keys(CORPUS).filter((id) =>
    calls[0]![1].query.split(' ').some((w: string) => CORPUS[id]!.toLowerCase().includes(w))
  );
  assert.deepEqual(calls.slice(1), [
    ['readDocument', { sourceId: hitIds[0] }],
    ['readDocument', { sourceId: hitIds[1] }],
  ]);
  const out = result.finalOutput!;
  assert.match(out.answer, /\[ops\/\w+\.md#\d\]/);
  assert.ok(
    Object.values(CORPUS).some((t) => out.answer.includes(t.split('. ')[0]!)),
    out.answer
  );
  assert.ok(out.sources.every((s) => s in CORPUS));
});

test('a triage agent hands off to the agent whose description matches the request', async () => {
  const Questions = z.object({ questions: z.array(z.string()).min(2).max(4) });
  const clarifier = new Agent({
    name: 'Clarifier',
    handoffDescription: 'Asks clarifying questions when the request about certificates is ambiguous',
    outputType: Questions,
  });
  const billing = new Agent({
    name: 'Billing',
    handoffDescription: 'Handles invoices, refunds and payment plans',
  });
  const triage = Agent.create({
    name: 'Triage',
    instructions: 'Route the request.',
    handoffs: [handoff(billing), handoff(clarifier)],
  });
  const result = await runner.run(triage, QUESTION);
  assert.equal(result.lastAgent?.name, 'Clarifier');
  const qs = (result.finalOutput as unknown as { questions: string[] }).questions;
  assert.equal(qs.length, 3);
  for (const q of qs) assert.match(q, /\?$/);
  assert.ok(
    qs.some((q) => /certificates|tls|services/.test(q)),
    qs.join(' | ')
  );
});

test('Chat Completions model through the Runner: tool call, then structured answer', async () => {
  const Answer = z.object({ answer: z.string() });
  const agent = new Agent({
    name: 'ChatAgent',
    instructions: 'Cite as [sourceId].',
    tools: [searchCorpus],
    outputType: Answer,
  });
  const result = await chatRunner.run(agent, QUESTION);
  assert.equal(result.newItems.filter((i) => i.type === 'tool_call_item').length, 1);
  assert.match(result.finalOutput!.answer, /\[ops\/\w+\.md#\d\]/);
});
