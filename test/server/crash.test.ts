import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import type { Timeline } from '../../src/common/timeline-types.js';

// Slow model calls, so the worker can be killed while one is in flight.
// 3 s: long enough that, even on a loaded machine, the kill lands while the call is still running.
const fx = testFixture({ model: { latencyMs: 3000 }, api: { pollMs: 250 } });

const get = async (p: string) => (await fetch(new URL(p, fx.api.url))).json();

test('a worker killed mid-run: the live status and the timeline show the model call retrying; the run finishes', async () => {
  const first = await fx.spawnWorker();
  const res = await fetch(new URL('/api/research', fx.api.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      question: 'How do I add human approval to a durable agent?',
      clarify: false,
      requestId: fx.requestId('api-crash'),
    }),
  });
  const { workflowId } = (await res.json()) as { workflowId: string };

  // Everything the live view receives.
  const sse = new AbortController();
  const statuses: any[] = [];
  const stream = (async () => {
    const r = await fetch(new URL(`/api/research/${workflowId}/events`, fx.api.url), { signal: sse.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (/^event: status$/m.test(block)) statuses.push(JSON.parse(data));
        if (/^event: end$/m.test(block)) return;
      }
    }
  })();

  await waitFor(
    async () => {
      const s = await get(`/api/research/${workflowId}`);
      // Started by this worker, not only scheduled: a scheduled call would simply start on the next.
      return s.pendingActivities?.some(
        (a: { activityType: string; state: string }) =>
          a.activityType === 'invokeModelActivity' && /^(?:2|PENDING_ACTIVITY_STATE_STARTED)$/.test(a.state)
      );
    },
    60_000,
    'a model call in flight on the first worker'
  );
  await new Promise((r) => setTimeout(r, 300));
  await first.stop('SIGKILL');

  try {
    await fx.spawnWorker();
    // The lost attempt times out (heartbeat) and Temporal retries it on the new worker.
    const retrying = await waitFor(
      async () => {
        const tl = (await get(`/api/research/${workflowId}/timeline`)) as Timeline;
        return tl.entries.find((e) => e.activityType === 'invokeModelActivity' && (e.attempt ?? 1) > 1);
      },
      90_000,
      'the model activity retrying on the timeline'
    );
    assert.ok(retrying.lastFailure, 'the retry carries the last failure');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      stream,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('run did not end')), 120_000))),
    ]).finally(() => clearTimeout(timer)); // a pending timer would keep the test process alive
  } finally {
    sse.abort();
  }

  const last = statuses.at(-1);
  assert.equal(last.phase, 'completed', 'the run finished with the second worker');
  assert.ok(
    statuses.some((s) =>
      s.pendingActivities.some(
        (a: { attempt: number; lastFailure?: string }) => a.attempt > 1 && a.lastFailure
      )
    ),
    'the live stream showed the activity retrying with its last failure'
  );
  const timeline = (await get(`/api/research/${workflowId}/timeline`)) as Timeline;
  const retried = timeline.entries.filter(
    (e) => e.activityType === 'invokeModelActivity' && (e.attempt ?? 1) > 1
  );
  assert.ok(retried.length >= 1, 'the timeline keeps the retried model call');
  assert.ok(retried[0]!.events.some((e) => e.type === 'retried'));
});
