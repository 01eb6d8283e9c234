// The bad-input matrix: one shared environment (a worker, an API server with a corpus root, a run
// that waits for answers all along, the CLI) and a table of cases. A case is one entry: a name
// and what to send and expect. After every case the runner checks that the worker still answers
// and that the waiting run is untouched; at the end that run is answered and must complete.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/common/paths.js';
import { startApiServer, type RunningServer, type ServeOptions } from '../../src/server/serve.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import type { LiveStatus } from '../../src/common/research-types.js';

export const fx = testFixture({ model: true, worker: true, research: true });

export interface Case {
  group: 'cli' | 'http' | 'browser' | 'limits' | 'updates' | 'corpus' | 'model';
  name: string;
  run(ctx: Ctx): Promise<void>;
}

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface Request {
  method?: string;
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export const QUESTION = 'How do I add human approval to a durable agent?';
/** The good document every test corpus holds, so that runs on them have something to cite. */
export const APPROVALS_MD = `# Human approval in durable agents

To add human approval to a durable agent, pause the workflow until a person answers. The workflow
waits for an Update named approve, which a reviewer sends from the web UI or the CLI. A durable
timer bounds the wait; when it fires, the agent proceeds with the safe default and records that no
one approved. Because the wait is part of the workflow history, a worker restart does not lose it.
`;

const bin = path.join(packageRoot, 'bin', 'steadfast.js');

export class Ctx {
  readonly roots = path.join(fx.dir, 'roots');
  readonly outside = path.join(fx.dir, 'outside');
  private server?: RunningServer;
  private readonly memo = new Map<string, Promise<unknown>>();
  private sentinelId?: string;
  private sentinelQuestions: string[] = [];

  /** Creates the corpus root (with `good/`), the folder outside it and the API server; starts the waiting run. */
  async setUp(): Promise<void> {
    mkdirSync(path.join(this.roots, 'good'), { recursive: true });
    mkdirSync(this.outside, { recursive: true });
    writeFileSync(path.join(this.roots, 'good', 'approvals.md'), APPROVALS_MD);
    this.server = await this.startServer({ pollMs: 200 });
    const started = await this.api('/api/research', {
      method: 'POST',
      json: { question: QUESTION, corpus: 'good', requestId: fx.requestId('sentinel') },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    this.sentinelId = started.body.workflowId;
    const waiting = await waitFor(
      async () => {
        const s = await fx.research.status(this.sentinelId!);
        return s.clarification === 'pending' ? s : undefined;
      },
      60_000,
      'the waiting run to ask its questions'
    );
    this.sentinelQuestions = waiting.questions;
  }

  get url(): string {
    return this.server!.url;
  }

  get sentinel(): { id: string; questions: string[] } {
    return { id: this.sentinelId!, questions: this.sentinelQuestions };
  }

  /** Another API server on the test's Temporal (e.g. with small limits or a token); closed at teardown. */
  async startServer(options: Partial<ServeOptions> = {}): Promise<RunningServer> {
    const server = await startApiServer({
      client: fx.client,
      settings: fx.settings,
      host: '127.0.0.1',
      port: 0,
      token: '',
      corpusRoots: [this.roots],
      ...options,
    });
    fx.defer(() => server.close());
    return server;
  }

  /** A request to the matrix's API server (or `base`). A `host` header is sent as given (fetch would replace it). */
  async api(p: string, init: Request = {}, base = this.url): Promise<Reply> {
    if (init.headers?.host) return hostRequest(new URL(p, base), init);
    const headers = new Headers(init.headers);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const res = await fetch(new URL(p, base), {
      method: init.method ?? 'GET',
      headers,
      body: body as BodyInit,
    });
    const type = res.headers.get('content-type') ?? '';
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: type.includes('json') ? JSON.parse(text) : text,
    };
  }

  /** Runs `steadfast ARGS` against the test's Temporal and task queue. */
  async cli(
    args: string[],
    env: Record<string, string> = {}
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: fx.settings.address,
          STEADFAST_TASK_QUEUE: fx.settings.taskQueue,
          ...env,
        },
        timeout: 120_000,
        maxBuffer: 20 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  /** `make()` once per matrix, shared by the cases that need the same thing. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as Promise<T>;
  }

  /** Waits for a run to end (any way) and returns its last status. */
  async ended(workflowId: string, timeoutMs = 120_000): Promise<LiveStatus> {
    return waitFor(
      async () => {
        const s = await fx.research.status(workflowId).catch(() => undefined);
        return s && s.execution !== 'RUNNING' ? s : undefined;
      },
      timeoutMs,
      `${workflowId} to end`
    );
  }

  /** The worker answers, and the waiting run still waits with its questions and no answers. */
  async assertUnharmed(): Promise<void> {
    const s = await fx.research.status(this.sentinelId!);
    assert.equal(s.stale, undefined, `the worker answered the status query (${s.stale})`);
    assert.equal(s.execution, 'RUNNING');
    assert.equal(s.clarification, 'pending', 'the waiting run still waits for its answers');
    assert.deepEqual(s.questions, this.sentinelQuestions);
    assert.equal(s.answers, null);
  }
}

function hostRequest(url: URL, init: Request): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        const json = (headers.get('content-type') ?? '').includes('json');
        resolve({ status: res.statusCode ?? 0, headers, body: json ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A clear error: the status, a message (and a hint when asked for) in the API's error body. */
export function assertError(reply: Reply, status: number, message: RegExp, hint?: RegExp): void {
  assert.equal(reply.status, status, `status ${reply.status}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  assert.equal(typeof reply.body?.error?.message, 'string', 'a JSON error body');
  assert.match(reply.body.error.message, message);
  if (hint) assert.match(reply.body.error.hint ?? '', hint);
}

/** A CLI mistake: exit 2, one `steadfast:` line (then its indented fix), no usage dump, no stack trace. */
export function assertCliError(out: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(out.code, 2, `exit ${out.code}: ${out.stderr.slice(0, 400)}`);
  const [first, ...rest] = out.stderr.trim().split('\n');
  assert.match(first!, /^steadfast: /);
  assert.match(first!, message);
  // What follows is the indented fix (which may list, say, the questions to answer).
  assert.ok(
    rest.length === 0 || (/^ {2}fix: /.test(rest[0]!) && rest.every((l) => /^( {2}|$)/.test(l))),
    out.stderr
  );
  assert.doesNotMatch(out.stderr, /\n\s+at |Usage:/);
}
