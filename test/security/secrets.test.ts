// Secrets stay where they are given: with OPENAI_API_KEY, TEMPORAL_API_KEY, STEADFAST_API_TOKEN and
// STEADFAST_ENCRYPTION_KEY set for a worker process, the API server and the CLI, runs through all
// three must leave none of them in history (raw or decoded), process output, the data dir (traces,
// artifacts, corpus cache, stored payloads, Temporal's own database), the model server's request
// log or API responses (the codec endpoint's included); and the history, encrypted, holds no question.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/common/paths.js';
import { dataDir } from '../../src/common/paths.js';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { decodeHistoryPayloads } from '../../src/common/payload-codec/transcode.js';
import { flushSpans } from '../../src/worker/tracing/store.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { startScriptedModel } from './scripted-model.js';

// The encryption key is read by this process too: its client reads the runs the others encrypt.
const ENCRYPTION_KEY = randomBytes(32);
process.env.STEADFAST_ENCRYPTION_KEY = ENCRYPTION_KEY.toString('base64');
delete process.env.STEADFAST_ENCRYPTION_KEYS;
delete process.env.STEADFAST_ENCRYPTION_KEY_FILE;
const fx = testFixture({ model: { requestLog: true }, research: true });
const bin = path.join(packageRoot, 'bin', 'steadfast.js');

// Built at run time so that no key-shaped literal sits in the tree.
const stamp = Date.now().toString(36);
const SECRETS = {
  OPENAI_API_KEY: ['sk', 'proj', 'openai', stamp, 'a1b2c3d4e5f6g7h8'].join('-'),
  TEMPORAL_API_KEY: ['tmprl', 'secret', stamp, 'q9w8e7r6t5y4u3i2'].join('-'),
  STEADFAST_API_TOKEN: ['api', 'token', stamp, 'z1x2c3v4b5n6m7'].join('-'),
  STEADFAST_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
};

/** Every process of this test gets the secrets; TLS off, since the dev server speaks plain gRPC. */
function secretEnv(modelBaseURL: string): Record<string, string> {
  return {
    ...SECRETS,
    TEMPORAL_TLS: 'false',
    TEMPORAL_ADDRESS: fx.settings.address,
    STEADFAST_TASK_QUEUE: fx.settings.taskQueue,
    OPENAI_BASE_URL: modelBaseURL,
    STEADFAST_LOG_LEVEL: 'DEBUG',
  };
}

/** Every string of a value, with each byte field (payload data, metadata) decoded as UTF-8. */
function allText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) out.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

/** Files under `dir` that hold `needle` (as bytes: SQLite, PDFs and JSONL alike). */
function filesHolding(dir: string, needle: string | Buffer): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        let content: Buffer;
        try {
          if (statSync(full).size > 512 * 1024 * 1024) continue;
          content = readFileSync(full);
        } catch {
          continue; // gone meanwhile (a SQLite journal, a temp file renamed into place)
        }
        if (content.includes(bytes)) found.push(full);
      }
    }
  };
  walk(dir);
  return found;
}

function startServe(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
} {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--no-worker', '--no-ui', '--port', '0', '--host', '127.0.0.1'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = waitFor(
    () => /API on (http:\/\/\S+?)\/? /.exec(output)?.[1],
    60_000,
    `serve to listen:\n${output}`
  );
  fx.defer(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      })
  );
  return { child, output: () => output, url };
}

test('keys and tokens never reach history, logs, traces, artifacts, request logs or API answers', async () => {
  // The model endpoint is seen through a recorder: the key must reach it, and nothing else.
  const model = await startScriptedModel(fx.model.baseURL);
  fx.defer(() => model.close());
  const env = secretEnv(model.baseURL);
  const worker = await fx.spawnWorker({ env });
  const serve = startServe(env);
  const base = await serve.url;
  const auth = { authorization: `Bearer ${SECRETS.STEADFAST_API_TOKEN}` };
  const responses: string[] = [];
  const call = async (p: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(p, base), { ...init, headers: { ...auth, ...init.headers } });
    const text = await res.text();
    const headers: string[] = [];
    res.headers.forEach((value, key) => headers.push(`${key}: ${value}`));
    responses.push(`${headers.join('\n')}\n${text}`);
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };

  // A run through the API: questions, answers, result, artifacts, timeline, a cited passage.
  const started = await call('/api/research', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      question: 'How do I add human approval to a durable agent?',
      requestId: fx.requestId('secrets-api'),
    }),
  });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = started.body.workflowId as string;
  const waiting = await waitFor(
    async () => {
      const s = await call(`/api/research/${id}`);
      return s.body.clarification === 'pending' ? s.body : undefined;
    },
    60_000,
    'questions'
  );
  const answered = await call(`/api/research/${id}/answers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers: waiting.questions.map(() => 'no preference') }),
  });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  await fx.research.result(id);
  const result = await call(`/api/research/${id}/result`);
  assert.equal(result.status, 200);
  for (const name of ['report.md', 'report.pdf']) await call(`/api/research/${id}/artifacts/${name}`);
  await call(`/api/research/${id}/source?sourceId=${encodeURIComponent(result.body.citations[0].sourceId)}`);

  // A run through the CLI.
  const cli = await promisify(execFile)(
    process.execPath,
    [bin, 'research', 'What does a durable timer do?', '--no-clarify', '--json', '--no-worker'],
    { env: { ...process.env, ...env }, maxBuffer: 20 * 1024 * 1024 }
  );
  const cliRun = JSON.parse(cli.stdout.trim()) as { workflowId: string; status: string };
  assert.equal(cliRun.status, 'COMPLETED', cli.stderr);

  await flushSpans();
  await waitFor(
    () => filesHolding(path.join(dataDir(), 'traces'), id).length > 0,
    30_000,
    'the trace of the API run'
  );
  await call(`/api/research/${id}/timeline`);

  const raw = await Promise.all(
    [id, cliRun.workflowId].map((wf) => fx.client.workflow.getHandle(wf).fetchHistory())
  );
  const rawText = raw.map(allText).join('\n');
  assert.ok(!rawText.includes('human approval'), 'the history holds the question in clear');
  const histories = await Promise.all(
    raw.map(async (history) => allText(await decodeHistoryPayloads(history, steadfastDataConverter())))
  );
  assert.ok(histories[0]!.includes('human approval'), 'the decoded history is searchable');

  // The codec endpoint answers with decrypted payloads: the run's input, decoded for the Temporal UI.
  const input = (await fx.client.workflow.getHandle(id).fetchHistory()).events![0]!
    .workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('base64');
  const decodedInput = await call('/codec/decode', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(input.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
          data: b64(input.data),
        },
      ],
    }),
  });
  assert.equal(decodedInput.status, 200, JSON.stringify(decodedInput.body));
  assert.match(Buffer.from(decodedInput.body.payloads[0].data, 'base64').toString('utf8'), /human approval/);

  const places: Record<string, () => string> = {
    history: () => rawText,
    'decoded history': () => histories.join('\n'),
    'the worker log': () => worker.output(),
    'the API server log': serve.output,
    'the CLI output': () => cli.stdout + cli.stderr,
    'the model request log': () => readFileSync(fx.requestLog, 'utf8'),
    'API responses': () => responses.join('\n'),
  };
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const [place, text] of Object.entries(places))
      assert.ok(!text().includes(secret), `${name} appears in ${place}`);
    assert.deepEqual(filesHolding(dataDir(), secret), [], `${name} appears in the data dir`);
  }
  assert.deepEqual(
    filesHolding(dataDir(), ENCRYPTION_KEY),
    [],
    'the encryption key bytes appear in the data dir'
  );
  assert.match(serve.output(), /payload encryption: AES-256-GCM with key key-[0-9a-f]{16}/);
  assert.ok(serve.output().includes('API token required'), 'the server did run with the token');
  assert.ok(model.authorizations.has(`Bearer ${SECRETS.OPENAI_API_KEY}`), 'the model key was in use');
});
