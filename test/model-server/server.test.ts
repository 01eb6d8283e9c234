import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';

const QUESTION =
  'Which backup strategy keeps a SQLite database consistent while the application writes to it?';
const SOURCES = JSON.stringify([
  {
    id: 'sqlite/backup.md#1',
    snippet:
      'The online backup API copies a live SQLite database page by page without blocking writers for long.',
  },
  {
    id: 'sqlite/wal.md#3',
    snippet:
      'In WAL mode, readers do not block writers, so a backup can run while the application keeps writing.',
  },
]);

let server: ModelServerHandle;
let client: OpenAI;
const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'steadfast-model-')), 'requests.jsonl');

before(async () => {
  server = await startModelServer({ port: 0, logFile });
  client = new OpenAI({ baseURL: server.baseURL, apiKey: 'offline', maxRetries: 0 });
});

after(async () => {
  await server.close();
});

async function rawPost(
  pathname: string,
  body: unknown
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${server.url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

test('GET /v1/models and /healthz', async () => {
  const models = await client.models.list();
  assert.deepEqual(
    models.data.map((m) => m.id),
    ['steadfast-offline']
  );
  const health = await (await fetch(`${server.url}/healthz`)).json();
  assert.equal(health.ok, true);
  assert.equal(server.baseURL, `${server.url}/v1`);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('responses: plain text answer is extractive and cites material from the input', async () => {
  const r = await client.responses.create({
    model: 'gpt-offline',
    instructions: 'Answer from the sources; cite as [id].',
    input: [{ role: 'user', content: `${QUESTION}\n\nSources:\n${SOURCES}` }],
  });
  assert.equal(r.status, 'completed');
  assert.equal(r.model, 'gpt-offline');
  assert.match(r.id, /^resp_[0-9a-f]{32}$/);
  assert.match(
    r.output_text,
    /without blocking writers for long\. \[sqlite\/backup\.md#1\]|keeps writing\. \[sqlite\/wal\.md#3\]/
  );
  assert.ok(
    r.usage &&
      r.usage.input_tokens > 0 &&
      r.usage.total_tokens === r.usage.input_tokens + r.usage.output_tokens
  );
});

test('determinism: the same request body gives a byte-identical response', async () => {
  const body = {
    model: 'm',
    input: QUESTION,
    text: {
      format: {
        type: 'json_schema',
        name: 'x',
        strict: true,
        schema: {
          type: 'object',
          properties: { title: { type: 'string' } },
          required: ['title'],
          additionalProperties: false,
        },
      },
    },
  };
  const a = await rawPost('/v1/responses', body);
  const b = await rawPost('/v1/responses', body);
  assert.equal(a.status, 200);
  assert.equal(a.text, b.text);
  const parsed = JSON.parse(a.text);
  const title: string = JSON.parse(parsed.output[0].content[0].text).title;
  assert.ok(title.toLowerCase().includes('sqlite'), title);
  for (const w of title.toLowerCase().split(' '))
    assert.ok(QUESTION.toLowerCase().includes(w), `${w} comes from the question`);
});

test('responses streaming: SSE events end with response.completed carrying ids and statuses', async () => {
  const body = {
    model: 'm',
    input: [{ role: 'user' as const, content: `${QUESTION}\n${SOURCES}` }],
    text: {
      format: {
        type: 'json_schema' as const,
        name: 'answer',
        strict: true,
        schema: {
          type: 'object',
          properties: { answer: { type: 'string' }, sources: { type: 'array', items: { type: 'string' } } },
          required: ['answer', 'sources'],
          additionalProperties: false,
        },
      },
    },
  };
  const stream = await client.responses.create({ ...body, stream: true });
  const types: string[] = [];
  let deltas = '';
  let completed: any;
  let lastSeq = -1;
  for await (const e of stream) {
    types.push(e.type);
    assert.equal(e.sequence_number, lastSeq + 1);
    lastSeq = e.sequence_number;
    if (e.type === 'response.output_text.delta') deltas += e.delta;
    if (e.type === 'response.completed') completed = e.response;
  }
  assert.equal(types[0], 'response.created');
  assert.ok(types.includes('response.output_item.added') && types.includes('response.output_item.done'));
  assert.equal(types.at(-1), 'response.completed');
  assert.ok(completed.id.startsWith('resp_'));
  assert.equal(completed.output[0].status, 'completed');
  const parsed = JSON.parse(deltas);
  // Both passages answer; the best comes first.
  assert.deepEqual([...parsed.sources].sort(), ['sqlite/backup.md#1', 'sqlite/wal.md#3']);
  // Streamed and non-streamed answers agree.
  const plain = await client.responses.create(body);
  assert.equal(plain.output_text, deltas);
});

test('chat completions: tool call, then an answer from the tool output, and json_schema response_format', async () => {
  const tools = [
    {
      type: 'function' as const,
      function: {
        name: 'lookup',
        description: 'Look up documentation',
        parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
      },
    },
  ];
  const first = await client.chat.completions.create({
    model: 'm',
    messages: [{ role: 'user', content: QUESTION }],
    tools,
  });
  const call = first.choices[0]!.message.tool_calls?.[0];
  assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
  assert.ok(call && call.type === 'function');
  assert.equal(call.function.name, 'lookup');
  assert.ok(JSON.parse(call.function.arguments).topic.includes('sqlite'));

  const messages: any[] = [
    { role: 'system', content: 'Cite sources as [id].' },
    { role: 'user', content: QUESTION },
    first.choices[0]!.message,
    { role: 'tool', tool_call_id: call.id, content: SOURCES },
  ];
  const second = await client.chat.completions.create({ model: 'm', messages, tools });
  assert.equal(second.choices[0]!.finish_reason, 'stop');
  assert.match(second.choices[0]!.message.content ?? '', /\[sqlite\/(backup|wal)\.md#\d\]/);
  assert.ok(second.usage!.prompt_tokens > 0);

  const structured = await client.chat.completions.create({
    model: 'm',
    messages,
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'r',
        strict: true,
        schema: {
          type: 'object',
          properties: {
            verdict: { enum: ['yes', 'no'] },
            reasons: { type: 'array', items: { type: 'string' }, minItems: 2 },
          },
          required: ['verdict', 'reasons'],
          additionalProperties: false,
        },
      },
    },
  });
  const json = JSON.parse(structured.choices[0]!.message.content!);
  assert.equal(json.verdict, 'yes');
  assert.equal(json.reasons.length, 3);

  const stream = await client.chat.completions.create({
    model: 'm',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let usage: any;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, second.choices[0]!.message.content);
  assert.ok(usage.total_tokens > 0);
});

test('faults: a scripted 500 then success; 429 carries Retry-After; config is visible over HTTP', async () => {
  server.configure({ script: ['500', '429'] });
  const cfg = await (await fetch(`${server.url}/_steadfast/config`)).json();
  assert.deepEqual(cfg.script, ['500', '429']);
  await assert.rejects(
    client.responses.create({ model: 'm', input: 'hello there world' }),
    (err: any) => err.status === 500
  );
  const r429 = await rawPost('/v1/responses', { model: 'm', input: 'hello there world' });
  assert.equal(r429.status, 429);
  assert.equal(r429.headers.get('retry-after'), '1');
  assert.equal(JSON.parse(r429.text).error.code, 'rate_limit_exceeded');
  const ok = await client.responses.create({ model: 'm', input: 'hello there world' });
  assert.equal(ok.status, 'completed');

  // The client's own retries get through a 500 (Retry-After honoured on 429 the same way).
  const retrying = new OpenAI({ baseURL: server.baseURL, apiKey: 'offline', maxRetries: 2 });
  const set = await fetch(`${server.url}/_steadfast/config`, {
    method: 'POST',
    body: JSON.stringify({ script: ['500'] }),
  });
  assert.deepEqual((await set.json()).script, ['500']);
  const before = server.stats().faults['500'];
  const retried = await retrying.responses.create({ model: 'm', input: 'hello there world' });
  assert.equal(retried.status, 'completed');
  assert.equal(server.stats().faults['500'], before + 1);
});

test('faults: reset closes the socket without a response; malformed output breaks the client parse', async () => {
  server.configure({ script: ['reset'] });
  await assert.rejects(
    new Promise((resolve, reject) => {
      const req = http.request(
        `${server.url}/v1/responses`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        resolve
      );
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'm', input: 'reset me please' }));
    }),
    (err: any) => err.code === 'ECONNRESET' || /socket hang up/.test(err.message)
  );

  server.configure({ script: ['malformed'] });
  const broken = await rawPost('/v1/responses', { model: 'm', input: 'give me broken output' });
  assert.equal(broken.status, 200);
  assert.throws(() => JSON.parse(broken.text));

  server.configure({ script: ['malformed'] });
  await assert.rejects(async () => {
    const s = await client.responses.create({ model: 'm', input: 'give me a broken stream', stream: true });
    for await (const _e of s) {
      /* drain */
    }
  });
});

test('faults by rate are deterministic for a seed', async () => {
  const run = async () => {
    server.configure({ seed: 42, rate500: 0.5, script: [] });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await rawPost('/v1/responses', { model: 'm', input: `question number ${i}` })).status);
    return statuses;
  };
  const a = await run();
  const b = await run();
  server.configure({ rate500: 0 });
  assert.deepEqual(a, b);
  assert.ok(a.includes(500) && a.includes(200), a.join(','));
});

test('latency is applied and a client that gives up is logged as aborted', async () => {
  server.configure({ latencyMs: 300 });
  try {
    const t0 = Date.now();
    await client.responses.create({ model: 'm', input: 'slow question about latency' });
    assert.ok(Date.now() - t0 >= 290);
    const ctl = new AbortController();
    const pending = fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', input: 'abandoned request body' }),
      signal: ctl.signal,
    });
    setTimeout(() => ctl.abort(), 50);
    await assert.rejects(pending);
    await new Promise((r) => setTimeout(r, 400));
  } finally {
    server.configure({ latencyMs: 0 });
  }
  const entries = await readRequestLog(logFile);
  const abandoned = entries.filter((e) => e.outcome === 'aborted');
  assert.ok(abandoned.length >= 1);
});

test('request log: one line per model request with hash, outcome, kind; repeated completions are counted', async () => {
  const entries = await readRequestLog(logFile);
  assert.ok(entries.length >= 20);
  assert.deepEqual(
    entries.map((e) => e.seq),
    [...entries.map((e) => e.seq)].sort((x, y) => x - y)
  );
  const e = entries.find((x) => x.kind === 'function_call');
  assert.ok(e);
  assert.equal(e.tool, 'lookup');
  assert.equal(e.path, '/v1/chat/completions');
  assert.match(e.hash, /^[0-9a-f]{64}$/);
  assert.ok(entries.some((x) => x.fault === 'reset' && x.outcome === 'fault' && x.status === 0));
  assert.ok(entries.some((x) => x.fault === '429' && x.status === 429));
  // The determinism test sent the same body twice and both completed; the streaming test sent
  // stream and non-stream bodies (different hashes).
  const repeated = countRepeatedCompletedCalls(entries);
  assert.ok(repeated >= 1, `repeated=${repeated}`);
  const stats = await (await fetch(`${server.url}/_steadfast/stats`)).json();
  assert.equal(stats.requests, entries.length);
  assert.equal(stats.inFlight, 0);
});

test('close ends keep-alive connections promptly', async () => {
  const other = await startModelServer({ port: 0 });
  const agent = new http.Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    http
      .get(`${other.url}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
  const t0 = Date.now();
  await other.close();
  assert.ok(Date.now() - t0 < 1000);
  agent.destroy();
});

test('usage: the request log records the tokens each response reported; faults bill nothing', async () => {
  const other = await startModelServer({ port: 0, logFile: path.join(path.dirname(logFile), 'usage.jsonl') });
  try {
    const c = new OpenAI({ baseURL: other.baseURL, apiKey: 'offline', maxRetries: 0 });
    const r = await c.responses.create({ model: 'm', input: `${QUESTION}\n\n${SOURCES}` });
    const chat = await c.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: QUESTION }],
    });
    other.configure({ script: ['500'] });
    await assert.rejects(c.responses.create({ model: 'm', input: 'fails' }));
    const entries = await readRequestLog(path.join(path.dirname(logFile), 'usage.jsonl'));
    assert.equal(entries.length, 3);
    assert.deepEqual(
      [entries[0]!.inputTokens, entries[0]!.outputTokens],
      [r.usage!.input_tokens, r.usage!.output_tokens]
    );
    assert.deepEqual(
      [entries[1]!.inputTokens, entries[1]!.outputTokens],
      [chat.usage!.prompt_tokens, chat.usage!.completion_tokens]
    );
    assert.ok(entries[0]!.inputTokens > 0 && entries[0]!.outputTokens > 0);
    assert.deepEqual(
      [entries[2]!.outcome, entries[2]!.inputTokens, entries[2]!.outputTokens],
      ['fault', 0, 0]
    );
  } finally {
    await other.close();
  }
});

test('onRequest: each model request is seen when it arrives and when it finishes, in order; unsubscribe stops it', async () => {
  const other = await startModelServer({ port: 0 });
  try {
    const c = new OpenAI({ baseURL: other.baseURL, apiKey: 'offline', maxRetries: 0 });
    const seen: string[] = [];
    let completedAtFinish = -1;
    const off = other.onRequest(({ phase, entry }) => {
      seen.push(`${phase}:${entry.seq}:${phase === 'finished' ? entry.outcome : ''}`);
      // The listener runs synchronously at the moment the response ends: stats are already current.
      if (phase === 'finished') completedAtFinish = other.stats().completed;
    });
    await c.responses.create({ model: 'm', input: QUESTION });
    other.configure({ script: ['reset'] });
    await assert.rejects(c.responses.create({ model: 'm', input: QUESTION }));
    await new Promise((r) => setTimeout(r, 50));
    off();
    await c.responses.create({ model: 'm', input: QUESTION });
    assert.deepEqual(seen, ['received:1:', 'finished:1:completed', 'received:2:', 'finished:2:fault']);
    assert.equal(completedAtFinish, 1);
  } finally {
    await other.close();
  }
});

test('routes: the model endpoints answer without /v1 and with a trailing slash; unknown routes are 404s', async () => {
  const other = await startModelServer({ port: 0 });
  try {
    const post = (p: string, body: unknown) =>
      fetch(`${other.url}${p}`, { method: 'POST', body: JSON.stringify(body) });
    const responses = await post('/responses/', { model: 'm', input: QUESTION });
    assert.equal(responses.status, 200);
    assert.equal((await responses.json()).object, 'response');
    const chat = await post('/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: QUESTION }],
    });
    assert.equal((await chat.json()).object, 'chat.completion');
    assert.deepEqual(other.stats().byPath, { '/v1/responses': 1, '/v1/chat/completions': 1 });
    const model = await (await fetch(`${other.url}/v1/models/gpt-4o%20mini`)).json();
    assert.equal(model.id, 'gpt-4o mini');
    for (const [method, p] of [
      ['GET', '/v1/responses'],
      ['DELETE', '/_steadfast/config'],
      ['GET', '/nowhere'],
    ]) {
      const res = await fetch(`${other.url}${p}`, { method });
      assert.equal(res.status, 404, `${method} ${p}`);
      assert.equal((await res.json()).error.code, 'not_found');
    }
    const bad = await fetch(`${other.url}/_steadfast/config`, { method: 'PUT', body: '{"latencyMs":-1}' });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /latencyMs/);
  } finally {
    await other.close();
  }
});
