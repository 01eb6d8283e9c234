import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMaterial, type Conversation } from '../../src/model-server/material.js';
import { decide } from '../../src/model-server/decision.js';
import { respondChat, respondResponses } from '../../src/model-server/responder.js';
import { conversationFromResponses } from '../../src/model-server/wire/responses.js';
import { fillSchema, validateAgainst } from '../../src/model-server/schema-fill.js';
import { countRepeatedCompletedCalls, type RequestLogEntry } from '../../src/model-server/request-log.js';
import { FaultPlanner } from '../../src/model-server/faults.js';

const QUESTION =
  'How should a team migrate a Postgres database to a new major version with minimal downtime?';
const PASSAGES = JSON.stringify({
  results: [
    {
      sourceId: 'guides/upgrade.md#p2',
      text: 'Logical replication copies changes to the new Postgres version while the old server keeps serving traffic. Switch over once replication lag is close to zero.',
    },
    {
      sourceId: 'guides/upgrade.md#p5',
      text: 'The pg_upgrade tool with link mode finishes in minutes but needs a maintenance window. Always rehearse the upgrade on a staging copy first.',
    },
    {
      sourceId: 'notes/rollback.md#p1',
      text: 'Keep the old cluster untouched until the new one has run for a day, so that a rollback stays possible.',
    },
  ],
});

function conv(partial: Partial<Conversation>): Conversation {
  return { model: 'm', instructions: '', items: [], tools: [], toolChoice: 'auto', ...partial };
}

const withMaterial = (instructions = 'Write from the sources. Cite them as [sourceId].') =>
  conv({
    instructions,
    items: [
      { kind: 'message', role: 'user', text: QUESTION },
      { kind: 'call', name: 'searchCorpus', callId: 'c1', arguments: '{"query":"postgres upgrade"}' },
      { kind: 'output', callId: 'c1', name: 'searchCorpus', text: PASSAGES },
    ],
  });

test('material: passages with source ids and key values are found in JSON tool outputs', () => {
  const m = extractMaterial(withMaterial());
  assert.deepEqual(m.sourceIds, ['guides/upgrade.md#p2', 'guides/upgrade.md#p5', 'notes/rollback.md#p1']);
  assert.deepEqual(m.keyValues.get('sourceId'), m.sourceIds);
  const cited = m.sentences.filter((s) => s.sourceId === 'guides/upgrade.md#p5').map((s) => s.text);
  assert.deepEqual(cited, [
    'The pg_upgrade tool with link mode finishes in minutes but needs a maintenance window.',
    'Always rehearse the upgrade on a staging copy first.',
  ]);
  assert.equal(m.question, QUESTION);
});

test('arbitrary json_schema: nested objects, arrays, enums, $defs, nullable, bounds all validate', () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['title', 'severity', 'steps', 'meta', 'owner', 'score', 'tags', 'kind'],
    properties: {
      title: { type: 'string', maxLength: 60 },
      severity: { enum: ['low', 'medium', 'high'] },
      steps: { type: 'array', minItems: 2, maxItems: 4, items: { $ref: '#/$defs/step' } },
      meta: {
        type: 'object',
        additionalProperties: false,
        required: ['createdAt', 'contact', 'ratio'],
        properties: {
          createdAt: { type: 'string', format: 'date-time' },
          contact: { type: 'string', format: 'email' },
          ratio: { type: 'number', minimum: 0, maximum: 1 },
        },
      },
      owner: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'null' }] },
      score: { type: 'integer', minimum: 3, maximum: 7, multipleOf: 2 },
      tags: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z0-9-]+$' },
        uniqueItems: true,
        minItems: 3,
      },
      kind: { const: 'plan' },
    },
    $defs: {
      step: {
        type: 'object',
        additionalProperties: false,
        required: ['n', 'action', 'sourceId', 'done'],
        properties: {
          n: { type: 'integer' },
          action: { type: 'string', minLength: 10 },
          sourceId: { type: 'string' },
          done: { type: ['boolean', 'null'] },
        },
      },
    },
  };
  const r = fillSchema(schema, extractMaterial(withMaterial()), { mode: 'answer' });
  assert.equal(r.valid, true, r.errors);
  assert.equal(validateAgainst(schema, r.value), null);
  const v = r.value as any;
  assert.equal(v.kind, 'plan');
  assert.equal(v.score, 4);
  assert.ok(v.title.length <= 60 && v.title.length > 0);
  assert.deepEqual(
    v.steps.map((s: any) => s.n),
    v.steps.map((_: unknown, i: number) => i + 1),
    'index-like integers in array items are positions'
  );
  // sourceId values come from the material, one per item.
  assert.deepEqual(
    v.steps.map((s: any) => s.sourceId),
    ['guides/upgrade.md#p2', 'guides/upgrade.md#p5', 'notes/rollback.md#p1']
  );
  assert.equal(new Set(v.tags).size, v.tags.length);
});

test('a draft-07 schema with definitions, tuple items and simple patterns validates', () => {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    definitions: {
      pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer', minimum: 10 }], minItems: 2 },
    },
    type: 'object',
    properties: {
      pairs: { type: 'array', items: { $ref: '#/definitions/pair' }, maxItems: 2 },
      code: { type: 'string', pattern: '^[A-Z]{2}-\\d{4}$' },
    },
    required: ['pairs', 'code'],
  };
  const r = fillSchema(schema, extractMaterial(withMaterial()), { mode: 'answer' });
  assert.equal(r.valid, true, r.errors);
  assert.equal(validateAgainst(schema, r.value), null);
  const v = r.value as any;
  assert.equal(v.code, 'AA-0000');
  assert.equal(v.pairs.length, 2);
  assert.equal(v.pairs[0][1], 10);
});

test('long text fields are extractive and cite source ids; checklist instructions give - [ ] items', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['summary', 'markdown', 'followUpQuestions'],
    properties: {
      summary: { type: 'string' },
      markdown: { type: 'string' },
      followUpQuestions: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
    },
  };
  const report = fillSchema(schema, extractMaterial(withMaterial()), { mode: 'answer' }).value as any;
  assert.match(report.summary, /\[(guides\/upgrade\.md#p[25]|notes\/rollback\.md#p1)\]/);
  assert.ok(report.summary.includes('replication') || report.summary.includes('upgrade'));
  assert.equal(report.followUpQuestions.length, 3);
  assert.equal(new Set(report.followUpQuestions).size, 3, 'questions differ');
  for (const q of report.followUpQuestions) assert.match(q, /\?$/);

  const checklist = fillSchema(
    schema,
    extractMaterial(withMaterial('Produce an actionable checklist. Cite as [sourceId].')),
    {
      mode: 'answer',
    }
  ).value as any;
  const lines = checklist.markdown.split('\n');
  assert.ok(lines.length >= 2);
  for (const line of lines) assert.match(line, /^- \[ \] .+ \[[^\]]+\]$/);
});

const searchTools = [
  {
    name: 'searchCorpus',
    description: 'Search the corpus',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 10 } },
      required: ['query', 'limit'],
      additionalProperties: false,
    },
  },
  {
    name: 'readDocument',
    description: 'Read a document',
    parameters: {
      type: 'object',
      properties: { sourceId: { type: 'string' } },
      required: ['sourceId'],
      additionalProperties: false,
    },
  },
];

test('policy: search first, then read each source (at most twice), then answer', () => {
  const items: Conversation['items'] = [{ kind: 'message', role: 'user', text: QUESTION }];
  const d1 = decide(conv({ items, tools: searchTools }));
  assert.equal(d1.kind, 'function_call');
  assert.equal((d1 as any).name, 'searchCorpus', 'readDocument waits until there is a sourceId to read');
  const a1 = JSON.parse((d1 as any).arguments);
  assert.equal(a1.limit, 1);
  assert.ok(a1.query.includes('postgres') && a1.query.includes('downtime'), a1.query);
  assert.ok(!a1.query.includes('how'), 'query is a keyword phrase');

  items.push(
    { kind: 'call', name: 'searchCorpus', callId: 'c1', arguments: (d1 as any).arguments },
    { kind: 'output', callId: 'c1', text: PASSAGES }
  );
  const d2 = decide(conv({ items, tools: searchTools }));
  assert.deepEqual(
    [d2.kind, (d2 as any).name, JSON.parse((d2 as any).arguments)],
    ['function_call', 'readDocument', { sourceId: 'guides/upgrade.md#p2' }]
  );

  items.push(
    { kind: 'call', name: 'readDocument', callId: 'c2', arguments: (d2 as any).arguments },
    { kind: 'output', callId: 'c2', text: 'Replication slots must be monitored during the switch.' }
  );
  const d3 = decide(conv({ items, tools: searchTools }));
  assert.deepEqual(
    JSON.parse((d3 as any).arguments),
    { sourceId: 'guides/upgrade.md#p5' },
    'second call with a new sourceId'
  );

  items.push(
    { kind: 'call', name: 'readDocument', callId: 'c3', arguments: (d3 as any).arguments },
    { kind: 'output', callId: 'c3', text: 'Link mode hard-links data files instead of copying them.' }
  );
  const d4 = decide(conv({ items, tools: searchTools }));
  assert.equal(d4.kind, 'text', 'no third readDocument call, no repeated search');
  assert.match((d4 as any).text, /\[(guides|notes)\//);
});

test('policy: handoff picks the best overlapping agent, once; tool_choice none answers', () => {
  const tools = [
    {
      name: 'transfer_to_billing_agent',
      description: 'Handoff to the billing agent for invoices and refunds',
      parameters: { type: 'object', properties: {} },
    },
    {
      name: 'transfer_to_database_expert',
      description: 'Handoff to the expert on Postgres database upgrades',
      parameters: { type: 'object', properties: {} },
    },
  ];
  const items: Conversation['items'] = [{ kind: 'message', role: 'user', text: QUESTION }];
  const d = decide(conv({ items, tools }));
  assert.deepEqual(d, { kind: 'handoff', name: 'transfer_to_database_expert', arguments: '{}' });
  items.push(
    { kind: 'call', name: d.kind === 'handoff' ? d.name : '', callId: 'h1', arguments: '{}' },
    { kind: 'output', callId: 'h1', text: '{"assistant":"database_expert"}' }
  );
  assert.equal(decide(conv({ items, tools })).kind, 'text');
  assert.equal(decide(conv({ items: items.slice(0, 1), tools, toolChoice: 'none' })).kind, 'text');
});

test('responses: same body gives an identical response; a different body different ids', () => {
  const body = {
    model: 'x',
    input: [{ role: 'user', content: QUESTION }],
    tools: [{ type: 'function', ...searchTools[0] }],
  };
  const a = respondResponses(body);
  const b = respondResponses(structuredClone(body));
  assert.equal(JSON.stringify(a.body), JSON.stringify(b.body));
  const c = respondResponses({ ...body, input: [{ role: 'user', content: `${QUESTION} Please be brief.` }] });
  assert.notEqual(a.body.id, c.body.id);
  assert.equal(a.body.output[0].type, 'function_call');
  assert.equal(a.body.output[0].status, 'completed');
  assert.match(a.body.output[0].call_id, /^call_/);
});

test('one decision under both wires: a conversation as Responses input or Chat messages gets the same answer', () => {
  const tools = searchTools.map((t) => ({ type: 'function', ...t }));
  const asResponses = (input: unknown[]) =>
    respondResponses({ model: 'x', instructions: 'Cite [id].', input, tools });
  const asChat = (messages: unknown[]) =>
    respondChat({
      model: 'x',
      messages: [{ role: 'system', content: 'Cite [id].' }, ...messages],
      tools: tools.map(({ type, ...f }) => ({ type, function: f })),
    });
  const first = [
    asResponses([{ role: 'user', content: QUESTION }]),
    asChat([{ role: 'user', content: QUESTION }]),
  ];
  assert.deepEqual(first[0]!.decision, first[1]!.decision);
  assert.equal(first[0]!.decision.kind, 'function_call');
  const call = first[0]!.body.output[0];
  assert.deepEqual(first[1]!.body.choices[0].message.tool_calls[0].function, {
    name: call.name,
    arguments: call.arguments,
  });
  assert.equal(first[1]!.body.choices[0].finish_reason, 'tool_calls');

  const after = [
    asResponses([
      { role: 'user', content: QUESTION },
      { type: 'function_call', call_id: 'c1', name: 'searchCorpus', arguments: call.arguments },
      { type: 'function_call_output', call_id: 'c1', output: PASSAGES },
      {
        type: 'function_call',
        call_id: 'c2',
        name: 'readDocument',
        arguments: '{"sourceId":"guides/upgrade.md#p2"}',
      },
      { type: 'function_call_output', call_id: 'c2', output: 'Replication slots must be monitored.' },
      {
        type: 'function_call',
        call_id: 'c3',
        name: 'readDocument',
        arguments: '{"sourceId":"guides/upgrade.md#p5"}',
      },
      { type: 'function_call_output', call_id: 'c3', output: 'Link mode hard-links data files.' },
    ]),
    asChat([
      { role: 'user', content: QUESTION },
      ...[
        ['c1', 'searchCorpus', call.arguments, PASSAGES],
        ['c2', 'readDocument', '{"sourceId":"guides/upgrade.md#p2"}', 'Replication slots must be monitored.'],
        ['c3', 'readDocument', '{"sourceId":"guides/upgrade.md#p5"}', 'Link mode hard-links data files.'],
      ].flatMap(([id, name, args, output]) => [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name, arguments: args } }],
        },
        { role: 'tool', tool_call_id: id, content: output },
      ]),
    ]),
  ];
  assert.equal(after[0]!.decision.kind, 'text');
  assert.deepEqual(after[0]!.decision, after[1]!.decision);
  assert.equal(after[0]!.body.output[0].content[0].text, after[1]!.body.choices[0].message.content);
  assert.equal(after[1]!.body.choices[0].finish_reason, 'stop');
});

test('responses input: content parts, function_call_output arrays and developer messages are read', () => {
  const c = conversationFromResponses({
    instructions: 'Be precise.',
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Context follows.' }] },
      { role: 'user', content: [{ type: 'input_text', text: QUESTION }] },
      { type: 'function_call', call_id: 'k', name: 'searchCorpus', arguments: '{}' },
      { type: 'function_call_output', call_id: 'k', output: [{ type: 'input_text', text: PASSAGES }] },
    ],
    text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object' } } },
  });
  assert.equal(c.items.length, 4);
  assert.deepEqual(c.items[3], { kind: 'output', callId: 'k', name: 'searchCorpus', text: PASSAGES });
  assert.ok(c.schema);
});

test('faults: a seed fixes the sequence; the script goes first', () => {
  const seq = (p: FaultPlanner) => Array.from({ length: 40 }, () => p.next());
  const a = seq(new FaultPlanner({ seed: 7, rate500: 0.3, rate429: 0.2 }));
  const b = seq(new FaultPlanner({ seed: 7, rate500: 0.3, rate429: 0.2 }));
  assert.deepEqual(a, b);
  assert.ok(a.includes('500') && a.includes('429') && a.includes(null));
  const scripted = new FaultPlanner({ script: ['500', '429', 'ok', 'reset'] });
  assert.deepEqual(seq(scripted).slice(0, 6), ['500', '429', null, 'reset', null, null]);
  assert.throws(() => new FaultPlanner({ script: ['boom' as never] }), /unknown fault/);
});

test('countRepeatedCompletedCalls counts extra completions of the same body only', () => {
  const e = (hash: string, outcome: RequestLogEntry['outcome']) => ({ hash, outcome }) as RequestLogEntry;
  assert.equal(
    countRepeatedCompletedCalls([
      e('a', 'completed'),
      e('b', 'completed'),
      e('a', 'aborted'),
      e('b', 'fault'),
    ]),
    0
  );
  assert.equal(
    countRepeatedCompletedCalls([
      e('a', 'completed'),
      e('a', 'completed'),
      e('a', 'completed'),
      e('b', 'completed'),
      e('b', 'completed'),
    ]),
    3
  );
});

test('prose outranks code and table rows when sentences are picked', async () => {
  const { proseFactor } = await import('../../src/model-server/material.js');
  assert.equal(proseFactor('Human approval pauses the run until a person answers the update.'), 1);
  assert.ok(proseFactor("const x = tool({ name: 'a', parameters: { type: 'object' } });") < 0.5);
  assert.ok(proseFactor('| Run state | Supported | Serialize with `toString()` |') < 0.7);
  // A parenthetical aside is prose: a short sentence with its unit in brackets is not code.
  assert.equal(proseFactor('The default is five minutes (5min).'), 1);
  assert.equal(proseFactor('Maximum number of changes to list on the changelog. (default: 10)'), 1);
  // So is a bug reference: a changelog's short entry is not code for its "(Closes: #999836)".
  assert.equal(proseFactor('Enable JIT on s390x (Closes: #999836)'), 1);
  assert.equal(proseFactor('Fix a crash in the parser (see #1234, LP: #5678).'), 1);
  assert.ok(proseFactor('if (x) { run(y); }') < 0.5);
});

test('follow-up questions are questions for later research, without citation markers', () => {
  const schema = {
    type: 'object',
    properties: {
      followUps: {
        type: 'array',
        items: { type: 'string' },
        minItems: 2,
        maxItems: 3,
        description: 'Questions worth researching next.',
      },
      questions: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
    },
    required: ['followUps', 'questions'],
    additionalProperties: false,
  };
  const r = fillSchema(schema, extractMaterial(withMaterial()), { mode: 'answer' });
  const value = r.value as { followUps: string[]; questions: string[] };
  assert.ok(r.valid);
  for (const q of [...value.followUps, ...value.questions]) {
    assert.match(q, /\?$/);
    assert.doesNotMatch(q, /\[/);
  }
  assert.notDeepEqual(value.followUps, value.questions, 'follow-ups differ from clarifying questions');
});

test('a repair turn is answered as the request before it: the unusable reply is neither quoted nor evidence', async () => {
  const { repairPrompt } = await import('../../src/worker/models/repair.js');
  const input = [
    { role: 'user', content: QUESTION },
    { type: 'function_call', call_id: 'c1', name: 'searchCorpus', arguments: '{"query":"postgres upgrade"}' },
    { type: 'function_call_output', call_id: 'c1', output: PASSAGES },
  ];
  const text = (body: any) => body.output.find((o: any) => o.type === 'message').content[0].text as string;
  const first = text(respondResponses({ model: 'x', instructions: 'Cite [sourceId].', input }).body);
  const repair = repairPrompt({ outputType: 'text' } as never, {
    kind: 'not-json',
    message: 'the reply is not a JSON object',
    truncated: false,
    text: '',
  });
  const again = text(
    respondResponses({
      model: 'x',
      instructions: 'Cite [sourceId].',
      input: [
        ...input,
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: '## Unusable\n\nreply' }],
        },
        { role: 'user', content: repair },
      ],
    }).body
  );
  assert.equal(again, first);
  assert.doesNotMatch(again, /Unusable/);
  // Stripped once per conversation: the material primed for the encoder is the writer's.
  const { withoutRepairTurn } = await import('../../src/model-server/repair-turn.js');
  const conv = conversationFromResponses({
    model: 'x',
    instructions: 'Cite [sourceId].',
    input: [
      ...input,
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x' }] },
      { role: 'user', content: repair },
    ],
  });
  assert.equal(withoutRepairTurn(conv), withoutRepairTurn(conv));
  assert.equal(extractMaterial(withoutRepairTurn(conv)), extractMaterial(withoutRepairTurn(conv)));
  assert.equal(withoutRepairTurn(conv).items.length, input.length);
});
