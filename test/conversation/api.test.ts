import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AskResponse, ChatEvent, ConversationResponse } from '../../src/common/conversation-types.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { completedResearch, lazily, shownText } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true, api: true });
const report = lazily(() => completedResearch(fx.research, fx.requestId('api')));

async function api(path: string, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL(path, fx.api.url), {
    method: json === undefined ? 'GET' : 'POST',
    ...(json === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
  });
  return { status: res.status, body: await res.json() };
}

interface Sse {
  event: string;
  id?: string;
  data: any;
}

/**
 * Reads server-sent events from `path` until `stop` says so (or the stream ends); the connection
 * is dropped then, as a browser that goes away would.
 */
async function readEvents(
  path: string,
  stop: (e: Sse, all: Sse[]) => boolean,
  headers: Record<string, string> = {}
): Promise<Sse[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`${path}: no end of the turn within 30 s`)), 30_000);
  const res = await fetch(new URL(path, fx.api.url), { headers, signal: abort.signal });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  const all: Sse[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const e: Sse = { event: field('event') ?? 'message', data: JSON.parse(field('data') ?? 'null') };
        const id = field('id');
        if (id !== undefined) e.id = id;
        all.push(e);
        if (stop(e, all)) return all;
      }
    }
    return all;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

test('API: ask and wait for the answer; read the conversation; bad questions get 4xx with the reason', async () => {
  const id = await report();
  const asked = await api(`/api/research/${id}/ask`, {
    question: 'How does the workflow wait for the human decision?',
  });
  assert.equal(asked.status, 200, JSON.stringify(asked.body));
  const answer = asked.body as AskResponse;
  assert.equal(answer.turn, 1);
  assert.ok(answer.citations.length > 0 && answer.citations.every((c) => c.path && c.excerpt));
  assert.ok(answer.historyBytes > 0);

  const { body } = (await api(`/api/research/${id}/conversation`)) as { body: ConversationResponse };
  assert.equal(body.execution, 'RUNNING');
  assert.equal(body.view?.turns, 1);
  assert.equal(body.view?.recent[0]?.answer, answer.answer);
  assert.ok(body.historyBytes >= answer.historyBytes && body.historyEvents > 0);

  const bad = async (json: unknown, status: number, pattern: RegExp) => {
    const r = await api(`/api/research/${id}/ask`, json);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.match(r.body.error.message, pattern);
  };
  await bad({ question: '  ' }, 400, /cannot ask: the question is empty/);
  await bad({ question: 'x'.repeat(2001) }, 400, /2001 characters; the limit is 2000/);
  await bad({}, 400, /send \{"question": "…"\}/);
  await bad({ question: 'ok?', model: 'other' }, 400, /unknown field "model"/);
  await bad({ question: 'ok?', updateId: 'no spaces allowed' }, 400, /"updateId" may hold/);
  const missing = await api('/api/research/research-nothing-here/ask', { question: 'Anything?' });
  assert.equal(missing.status, 404);
  assert.match(missing.body.error.message, /no research run with id research-nothing-here/);
});

test('API: the answer streams over server-sent events, resumes after a dropped connection (Last-Event-ID), and equals the answer', async () => {
  const id = await report();
  fx.model.configure({ streamDelayMs: 30 });
  try {
    const accepted = await api(`/api/research/${id}/ask`, {
      question: 'Which timeouts does the model activity use?',
      wait: false,
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const { offset, updateId } = accepted.body as { offset: number; updateId: string };
    // The first connection drops after a few pieces of text, right after an event with an id.
    const before = await readEvents(
      `/api/research/${id}/conversation/events?from=${offset}`,
      (e, all) => e.id !== undefined && all.filter((x) => x.event === 'text').length >= 4
    );
    assert.equal(before[0]?.event, 'turn');
    assert.equal((before[0]?.data as ChatEvent & { type: 'turn' }).updateId, updateId);
    const lastId = before.at(-1)!.id!;
    const after = await readEvents(`/api/research/${id}/conversation/events`, (e) => e.event === 'answered', {
      'last-event-id': lastId,
    });
    assert.ok(
      !after.some((e) => e.event === 'turn'),
      'the second connection goes on, it does not start over'
    );
    const text = shownText([...before, ...after].map((e) => e.data as ChatEvent));
    const { body } = (await api(`/api/research/${id}/conversation`)) as { body: ConversationResponse };
    const turn = body.view!.recent.find((t) => t.updateId === updateId)!;
    assert.equal(turn.turn, 2);
    assert.equal(text, turn.answer, 'what the two connections showed is the durable answer');

    // The same dropped connection resumed only now, after the turn was answered: the rest of it.
    const late = await readEvents(`/api/research/${id}/conversation/events`, (e) => e.event === 'answered', {
      'last-event-id': lastId,
    });
    assert.equal(shownText([...before, ...late].map((e) => e.data as ChatEvent)), turn.answer);

    // A page opened later, from the start of the stream it was told: the same text again.
    const replay = await readEvents(`/api/research/${id}/conversation/events?from=${turn.stream.from}`, (e) =>
      ['answered', 'failed'].includes(e.event)
    );
    assert.equal(shownText(replay.map((e) => e.data as ChatEvent)), turn.answer);
  } finally {
    fx.model.configure({ streamDelayMs: 0 });
  }

  const closed = await api(`/api/research/${id}/conversation/close`, {});
  assert.equal(closed.status, 200);
  assert.equal(closed.body.phase, 'closed');
  const gone = await fetch(new URL(`/api/research/${id}/conversation/events`, fx.api.url));
  assert.equal(gone.status, 404);
  const again = await api(`/api/research/${id}/conversation/close`, {});
  assert.equal(again.status, 404);
});

test('closing the API server ends its open event streams first: none is left calling Temporal', async () => {
  const id = await report();
  const asked = await api(`/api/research/${id}/ask`, { question: 'How are model calls retried?' });
  assert.equal(asked.status, 200, JSON.stringify(asked.body));
  const { startApiServer } = await import('../../src/server/serve.js');
  const server = await startApiServer({
    client: fx.client,
    settings: fx.settings,
    host: '127.0.0.1',
    port: 0,
    token: '',
  });
  // A stream waiting on Temporal for the conversation's next event: a long poll that lasts until
  // the conversation writes again (a run's status stream ends by itself once the run has).
  const res = await fetch(new URL(`/api/research/${id}/conversation/events`, server.url));
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  await waitFor(() => server.openStreams() === 1, 5_000, 'the stream open');
  const started = Date.now();
  await server.close();
  assert.equal(server.openStreams(), 0, 'every stream loop has ended when close() resolves');
  assert.ok(Date.now() - started < 3_000, `close took ${Date.now() - started} ms`);
  await reader.cancel().catch(() => undefined);
});
