import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startApiServer } from '../../src/server/serve.js';
import { flushSpans } from '../../src/worker/tracing/store.js';
import { UserError } from '../../src/common/errors.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import type { Timeline } from '../../src/common/timeline-types.js';

const fx = testFixture({ model: true, worker: true, api: { pollMs: 200 } });
const QUESTION = 'How do I add human approval to a durable agent?';

async function api(
  path: string,
  init: RequestInit & { json?: unknown } = {}
): Promise<{ status: number; body: any; res: Response }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(new URL(path, fx.api.url), { ...init, headers, body });
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    res,
    body: type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer()),
  };
}

async function waitForQuestions(id: string): Promise<{ questions: string[] }> {
  return waitFor(
    async () => {
      const { body } = await api(`/api/research/${id}`);
      return body.clarification === 'pending' ? body : undefined;
    },
    60_000,
    'clarifying questions'
  );
}

async function waitForEnd(id: string): Promise<any> {
  return waitFor(
    async () => {
      const { body } = await api(`/api/research/${id}`);
      return body.execution && body.execution !== 'RUNNING' ? body : undefined;
    },
    120_000,
    'the run to end'
  );
}

describe('HTTP API', () => {
  let finished: string;

  test('health, validation and unknown runs', async () => {
    const health = await api('/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.ok, true);
    const bad = await api('/api/research', { method: 'POST', json: { question: '' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /question/);
    const notJson = await api('/api/research', {
      method: 'POST',
      body: 'question=x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(notJson.status, 415);
    const unknown = await api('/api/research/research-does-not-exist');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /no research run/);
    assert.ok(unknown.body.error.hint);
  });

  test('start (idempotent), answers (400 then success), SSE to the end, result, artifacts, source, timeline', async () => {
    const rid = fx.requestId('api-full');
    const started = await api('/api/research', {
      method: 'POST',
      json: { question: QUESTION, requestId: rid },
    });
    assert.equal(started.status, 201);
    const id = started.body.workflowId as string;
    const again = await api('/api/research', {
      method: 'POST',
      json: { question: QUESTION, requestId: rid },
    });
    assert.equal(again.status, 200, 'a repeated start answers 200 with the existing run');
    assert.equal(again.body.workflowId, id, 'the same requestId returns the same run');
    assert.equal(again.body.runId, started.body.runId);

    const waiting = await waitForQuestions(id);
    const wrong = await api(`/api/research/${id}/answers`, {
      method: 'POST',
      json: { answers: ['only one'] },
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /expected \d+ answers/);
    assert.match(wrong.body.error.hint, /one per question/);
    const shape = await api(`/api/research/${id}/answers`, { method: 'POST', json: { answers: 'nope' } });
    assert.equal(shape.status, 400);

    // Follow the live stream while answering.
    const events: { event: string; data: any }[] = [];
    const sse = (async () => {
      const res = await fetch(new URL(`/api/research/${id}/events`, fx.api.url));
      assert.equal(res.headers.get('content-type')?.split(';')[0], 'text/event-stream');
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          events.push({ event, data: data ? JSON.parse(data) : null });
          if (event === 'end') return;
        }
      }
    })();
    // Each model call lasts longer than a stream poll (200 ms), so every phase is seen even when a
    // loaded machine delays the polls: offline and instant, a whole run could fall between two of them.
    fx.model.configure({ latencyMs: 400 });
    const answered = await api(`/api/research/${id}/answers`, {
      method: 'POST',
      json: { answers: waiting.questions.map(() => 'TypeScript, a small team') },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    assert.equal(answered.body.clarification, 'answered');
    const late = await api(`/api/research/${id}/answers`, {
      method: 'POST',
      json: { answers: waiting.questions.map(() => 'again') },
    });
    assert.equal(late.status, 409);
    try {
      await sse;
    } finally {
      fx.model.configure({ latencyMs: 0 });
    }
    const statuses = events.filter((e) => e.event === 'status');
    assert.ok(statuses.length >= 3, `several status snapshots: ${statuses.length}`);
    assert.ok(new Set(statuses.map((e) => e.data.phase)).size >= 3, 'the stream followed the phases');
    assert.equal(events.at(-1)!.event, 'end');
    assert.equal(statuses.at(-1)!.data.phase, 'completed');

    const result = await api(`/api/research/${id}/result`);
    assert.equal(result.status, 200);
    assert.ok(result.body.citations.length > 0);
    assert.ok(result.body.followUps.length > 0);

    const pdf = await api(`/api/research/${id}/artifacts/report.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.res.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.res.headers.get('content-disposition') ?? '', /attachment/);
    assert.equal((pdf.body as Buffer).subarray(0, 5).toString(), '%PDF-');
    const md = await api(`/api/research/${id}/artifacts/report.md`);
    assert.equal(md.status, 200);
    assert.ok((md.body as Buffer).toString().includes('['));
    assert.equal((await api(`/api/research/${id}/artifacts/secret.txt`)).status, 404);

    const citation = result.body.citations[0];
    const source = await api(`/api/research/${id}/source?sourceId=${encodeURIComponent(citation.sourceId)}`);
    assert.equal(source.status, 200, JSON.stringify(source.body));
    assert.ok(source.body.text.length > 0);
    assert.equal(source.body.sourceId, citation.sourceId);
    assert.equal(
      (await api(`/api/research/${id}/source?sourceId=${encodeURIComponent('nope.md#L1-L2')}`)).status,
      404
    );

    await flushSpans();
    const timeline = (await api(`/api/research/${id}/timeline`)).body as Timeline & { execution: string };
    assert.equal(timeline.execution, 'COMPLETED');
    const models = timeline.entries.filter((e) => e.activityType === 'invokeModelActivity');
    assert.ok(models.length >= 5, `model activities in the timeline: ${models.length}`);
    const joined = models.filter((e) =>
      e.spans.some(
        (s) => (s.type === 'response' || s.type === 'generation') && s.tokens && s.tokens.total > 0
      )
    );
    assert.equal(
      joined.length,
      models.length,
      'every model activity is joined to its generation span with tokens'
    );
    for (const e of models) for (const s of e.spans) assert.equal(s.activityId, e.activityId);
    assert.ok(
      timeline.entries.some((e) => e.kind === 'update' && /answerClarifications/.test(e.title)),
      'the Update is on the timeline'
    );
    assert.ok(
      timeline.entries.some((e) => e.kind === 'agent'),
      'agent spans from the workflow are on the timeline'
    );
    assert.ok(
      timeline.entries.some(
        (e) => e.activityType === 'searchCorpus' && e.spans.some((s) => s.type === 'function')
      ),
      'tool activity joined to its function span'
    );
    assert.ok(timeline.entries.every((e) => !fx.settings.uiUrl || e.uiLink?.startsWith(fx.settings.uiUrl)));
    const text = JSON.stringify(timeline);
    assert.ok(!/sk-[A-Za-z0-9]{8}/.test(text), 'no API keys in spans');
    finished = id;

    const list = await api('/api/research?limit=50');
    assert.ok(
      list.body.runs.some((r: { workflowId: string }) => r.workflowId === id) || list.body.runs.length > 0
    );
  });

  test('skip, then cancel; result of a running run is 409', async () => {
    const skipped = (
      await api('/api/research', {
        method: 'POST',
        json: { question: QUESTION, requestId: fx.requestId('api-skip') },
      })
    ).body.workflowId;
    await waitForQuestions(skipped);
    const s = await api(`/api/research/${skipped}/skip`, { method: 'POST' });
    assert.equal(s.status, 200);
    assert.equal(s.body.clarification, 'skipped');

    const cancelled = (
      await api('/api/research', {
        method: 'POST',
        json: { question: QUESTION, requestId: fx.requestId('api-cancel') },
      })
    ).body.workflowId;
    await waitForQuestions(cancelled);
    assert.equal((await api(`/api/research/${cancelled}/result`)).status, 409);
    const c = await api(`/api/research/${cancelled}/cancel`, {
      method: 'POST',
      json: { reason: 'changed my mind' },
    });
    assert.equal(c.status, 202);
    const ended = await waitForEnd(cancelled);
    assert.equal(ended.phase, 'cancelled');
    assert.equal((await api(`/api/research/${cancelled}/cancel`, { method: 'POST', json: {} })).status, 409);
    await waitForEnd(skipped);
    assert.ok(finished === undefined || finished.length > 0);
  });

  test('body size limit: 413', async () => {
    const big = await api('/api/research', { method: 'POST', json: { question: 'x'.repeat(70 * 1024) } });
    assert.equal(big.status, 413);
    assert.match(big.body.error.message, /too large/);
  });
});

describe('security', () => {
  test('refuses a non-loopback address without a token', async () => {
    await assert.rejects(
      startApiServer({ client: fx.client, settings: fx.settings, host: '0.0.0.0', port: 0, token: '' }),
      (err: Error) =>
        err instanceof UserError &&
        /refusing to listen on 0\.0\.0\.0/.test(err.message) &&
        /STEADFAST_API_TOKEN/.test(err.hint ?? '')
    );
  });

  test('with a token every endpoint needs it (header, or ?token= for GET)', async () => {
    const token = 'test-token-0123456789abcdef';
    const secured = await startApiServer({
      client: fx.client,
      settings: fx.settings,
      host: '0.0.0.0',
      port: 0,
      token,
    });
    try {
      const url = (p: string) => new URL(p, `http://127.0.0.1:${secured.port}`);
      for (const [method, p] of [
        ['GET', '/api/health'],
        ['GET', '/api/research'],
        ['POST', '/api/research'],
        ['GET', '/api/research/x/events'],
      ] as const) {
        const res = await fetch(url(p), {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'POST' ? '{}' : undefined,
        });
        assert.equal(res.status, 401, `${method} ${p}`);
        assert.ok((await res.json()).error.message);
      }
      assert.equal(
        (await fetch(url('/api/health'), { headers: { authorization: 'Bearer wrong-token-wrong-token' } }))
          .status,
        401
      );
      assert.equal(
        (await fetch(url('/api/health'), { headers: { authorization: `Bearer ${token}` } })).status,
        200
      );
      assert.equal((await fetch(url(`/api/health?token=${token}`))).status, 200);
    } finally {
      await secured.close();
    }
  });
});
