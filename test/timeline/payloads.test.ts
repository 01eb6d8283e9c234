import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { storedReferencesOf } from '../../src/common/payload-storage/references.js';
import type { PayloadView, TimelineEntry } from '../../src/common/timeline-types.js';
import type { TimelineResponse } from '../../src/common/api-types.js';
import { startApiServer } from '../../src/server/serve.js';
import { scratchDir, testFixture } from '../../src/testing/fixture.js';
import { localObjectFile } from '../../src/testing/stored-payloads.js';
import { cli, get, QUESTION, recordingProvider, type ModelCall } from './helpers.js';

// A payload store of this file's own (a file is deleted below; objects are shared by content), at
// the default threshold; every process of this file — worker, API server, CLI — reads it.
const store = scratchDir('steadfast-payloads-');
process.env.STEADFAST_PAYLOAD_STORE = `local:${store}`;
delete process.env.STEADFAST_PAYLOAD_THRESHOLD_BYTES;

const fx = testFixture({ model: true, api: true });
const calls: ModelCall[] = [];
let workflowId: string;
let timeline: TimelineResponse;

const api = (url: string, headers?: Record<string, string>) => get(fx.api.url, url, headers);
const models = () => timeline.entries.filter((e) => e.activityType === 'invokeModelActivity');
const fieldOf = (e: TimelineEntry, field: 'input' | 'result') => e.payloads?.find((f) => f.field === field);
const viewUrl = (f: { runId: string; eventId: number; field: string }) =>
  `/api/research/${workflowId}/payloads/${f.runId}/${f.eventId}/${f.field}`;

describe('history size and stored payloads of a research run', () => {
  // In the suite: the fixture's own `before` (at the top level) has run by then.
  before(async () => {
    const worker = await fx.isolatedWorker({ modelProvider: recordingProvider(fx.model.baseURL, calls) });
    ({ workflowId } = await worker.research.start({
      question: QUESTION,
      requestId: fx.requestId('timeline-payloads'),
      clarify: false,
      maxSearches: 2,
    }));
    await worker.research.result(workflowId);
    timeline = (await api(`/api/research/${workflowId}/timeline`)).body as TimelineResponse;
  });

  test('the timeline endpoint and `inspect --json` give the history bytes, events and stored payloads of the run', async (t) => {
    const handle = fx.client.workflow.getHandle(workflowId);
    const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
    const refs = storedReferencesOf(history);
    const expected = {
      runId: description.runId,
      execution: 'COMPLETED',
      historyBytes: description.historySize,
      events: description.historyLength,
      storedPayloads: refs.length,
      storedBytes: refs.reduce((sum, r) => sum + r.sizeBytes, 0),
    };
    t.diagnostic(
      `history ${expected.historyBytes} B, ${expected.events} events, ${expected.storedPayloads} stored payloads (${expected.storedBytes} B)`
    );
    assert.ok(expected.historyBytes! > 1000 && expected.storedPayloads > 0, 'a run with stored payloads');
    assert.equal(timeline.execution, 'COMPLETED');
    assert.deepEqual(
      { ...timeline.history, startTime: undefined, closeTime: undefined },
      {
        ...expected,
        startTime: undefined,
        closeTime: undefined,
      }
    );
    // One run, no continue-as-new: the chain is the run itself.
    assert.equal(timeline.chain?.runs.length, 1);
    assert.deepEqual(timeline.chain?.total, {
      historyBytes: expected.historyBytes,
      events: expected.events,
      storedPayloads: expected.storedPayloads,
      storedBytes: expected.storedBytes,
    });

    const json = JSON.parse(
      (await cli(fx.settings, ['inspect', workflowId, '--json'])).stdout
    ) as TimelineResponse;
    assert.deepEqual(json.history, timeline.history);
    assert.deepEqual(json.chain, timeline.chain);
    const n = (v: number) => v.toLocaleString('en-US');
    const text = (await cli(fx.settings, ['inspect', workflowId])).stdout;
    assert.ok(
      text.includes(
        `history ${n(expected.historyBytes!)} B · ${n(expected.events)} events · ${n(expected.storedPayloads)} stored payloads (${n(expected.storedBytes)} B)`
      ),
      text.slice(0, 600)
    );
    assert.match(text, /invokeModelActivity #\d+ .* input stored \d+\.\d KB \(event \d+\)/);
  });

  test('each step says where its input and result live: stored ones name their size, sha256 and store', () => {
    assert.ok(models().length >= 4, `model steps: ${models().length}`);
    const storedInputs = models().flatMap(
      (e) => fieldOf(e, 'input')?.payloads.filter((p) => p.location === 'stored') ?? []
    );
    assert.ok(storedInputs.length >= 3, `stored model inputs: ${storedInputs.length}`);
    for (const p of storedInputs) {
      assert.match(p.sha256!, /^[0-9a-f]{64}$/);
      assert.equal(p.store, 'steadfast.local');
      assert.ok(p.sizeBytes >= 2048, `a stored payload is over the threshold: ${p.sizeBytes}`);
      assert.ok(existsSync(localObjectFile(store, p.sha256!)), 'the reference names an object in the store');
    }
    for (const e of models()) {
      assert.equal(fieldOf(e, 'input')?.eventId, e.eventId, 'the input is recorded by the scheduled event');
      assert.ok(fieldOf(e, 'result'), `${e.title} #${e.activityId} has a result`);
    }
    // The workflow's input is small: it stays in history, and is shown the same way.
    const workflow = timeline.entries.find((e) => e.kind === 'workflow')!;
    assert.equal(fieldOf(workflow, 'input')?.payloads[0]?.location, 'inline');
    // Every reference in the history is on some step.
    const onSteps = new Set(
      timeline.entries.flatMap((e) => e.payloads ?? []).flatMap((f) => f.payloads.map((p) => p.sha256))
    );
    assert.equal(
      [...onSteps].filter(Boolean).length,
      timeline.history!.storedPayloads,
      'each stored payload appears on the timeline'
    );
  });

  test('a stored model input, viewed through the API, decodes to the model request the activity received', async (t) => {
    let matched = 0;
    for (const e of models()) {
      const input = fieldOf(e, 'input')!;
      if (input.payloads[0]?.location !== 'stored') continue;
      const { status, body } = await api(viewUrl(input));
      assert.equal(status, 200, JSON.stringify(body));
      const view = body as PayloadView;
      assert.equal(view.eventType, 'ActivityTaskScheduled');
      assert.equal(view.step, `invokeModelActivity #${e.activityId}`);
      const [p] = view.payloads;
      assert.equal(p?.state, 'ok');
      assert.equal(p.location, 'stored');
      assert.equal(p.sha256, input.payloads[0].sha256);
      assert.equal(p.encoding, 'json/plain');
      assert.deepEqual(Object.keys(p).sort(), [
        'encoding',
        'index',
        'location',
        'sha256',
        'sizeBytes',
        'state',
        'store',
        'value',
      ]);
      const request = (
        p.value as { modelName: string; request: { systemInstructions: string; input: unknown } }
      ).request;
      assert.ok(request.systemInstructions.length > 50, 'the agent instructions are in the request');
      const call = calls.find(
        (c) =>
          c.instructions === request.systemInstructions &&
          JSON.stringify(c.input) === JSON.stringify(request.input)
      );
      assert.ok(
        call,
        `the model was given these instructions and this input (${request.systemInstructions.slice(0, 60)}…)`
      );
      matched++;
      // The result is the response the model returned.
      const result = fieldOf(e, 'result')!;
      const output = ((await api(viewUrl(result))).body as PayloadView).payloads[0]!;
      assert.equal(output.state, 'ok');
      assert.deepEqual((output.value as { output: unknown }).output, call.output);
    }
    assert.ok(matched >= 3, `stored model inputs checked: ${matched}`);

    // A local activity's result, recorded in its marker, reads the same way.
    const locals = timeline.entries.filter((x) => x.title.endsWith('(local)'));
    t.diagnostic(`local activity steps: ${locals.length}`);
    for (const e of locals) {
      const result = fieldOf(e, 'result')!;
      const view = (await api(viewUrl(result))).body as PayloadView;
      assert.equal(view.eventType, 'MarkerRecorded');
      assert.equal(view.payloads[0]?.state, 'ok', `${e.title}: ${JSON.stringify(view.payloads[0])}`);
    }

    // An inline payload reads the same way.
    const workflow = timeline.entries.find((e) => e.kind === 'workflow')!;
    const view = (await api(viewUrl(fieldOf(workflow, 'input')!))).body as PayloadView;
    assert.equal(view.payloads[0]?.location, 'inline');
    assert.equal((view.payloads[0]?.value as { question: string }).question, QUESTION);
  });

  test('a view is size-capped, with a note, and `inspect --payload` prints the same content', async () => {
    const input = models()
      .map((e) => fieldOf(e, 'input')!)
      .find((f) => f.payloads[0]?.location === 'stored')!;
    const whole = ((await api(viewUrl(input))).body as PayloadView).payloads[0]!;
    const cut = ((await api(`${viewUrl(input)}?maxBytes=1000`)).body as PayloadView).payloads[0]!;
    assert.equal(cut.state, 'truncated');
    assert.equal(cut.value, undefined);
    assert.ok(
      Buffer.byteLength(cut.text!) <= 1000 && cut.text!.length > 900,
      `${cut.text!.length} characters`
    );
    assert.ok(JSON.stringify(whole.value).startsWith(cut.text!), 'the beginning of the payload');
    assert.match(cut.note!, /cut: the first \d+ of \d+ bytes are shown/);

    const printed = await cli(fx.settings, [
      'inspect',
      workflowId,
      '--payload',
      `${input.eventId}/input`,
      '--json',
    ]);
    assert.deepEqual((JSON.parse(printed.stdout) as PayloadView).payloads[0]?.value, whole.value);
  });

  test('bad and unknown payload requests are 400 and 404 with a reason', async () => {
    const input = fieldOf(models()[0]!, 'input')!;
    const base = `/api/research/${workflowId}/payloads/${input.runId}`;
    const cases: [string, number, RegExp][] = [
      [`${base}/${input.eventId}/result`, 404, /has no result: it records the input/],
      [`${base}/999999/input`, 404, /has no event 999999/],
      [`${base}/${input.eventId}/headers`, 400, /no payload field "headers"; use input or result/],
      [`${base}/0/input`, 400, /not a positive number/],
      [`${base}/${input.eventId}/input?maxBytes=0`, 400, /maxBytes/],
      [`/api/research/${workflowId}/payloads/not-a-run/${input.eventId}/input`, 400, /not a Temporal run id/],
      [`/api/research/${workflowId}/payloads/${crypto.randomUUID()}/${input.eventId}/input`, 404, /no run/],
      [`/api/research/${workflowId}/timeline?runId=${crypto.randomUUID()}`, 404, /no research run/],
    ];
    for (const [url, status, message] of cases) {
      const reply = await api(url);
      assert.equal(reply.status, status, `${url}: ${JSON.stringify(reply.body)}`);
      assert.match(reply.body.error.message, message);
    }
  });

  test('payloads are guarded like the rest of the API: token, host name, cross-site pages', async () => {
    const input = fieldOf(models()[0]!, 'input')!;
    assert.equal((await api(viewUrl(input), { host: 'attacker.example' })).status, 421);
    const foreign = await api(viewUrl(input), { origin: 'http://attacker.example' });
    assert.equal(foreign.status, 403);
    assert.match(foreign.body.error.message, /not served to the page at http:\/\/attacker\.example/);
    assert.equal((await api(viewUrl(input), { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await api(viewUrl(input), { 'sec-fetch-site': 'same-origin' })).status, 200);

    const token = `tok-${crypto.randomUUID()}`;
    const server = await startApiServer({ client: fx.client, settings: fx.settings, port: 0, token });
    try {
      assert.equal((await get(server.url, viewUrl(input))).status, 401);
      const viaHeader = await get(server.url, viewUrl(input), { authorization: `Bearer ${token}` });
      assert.equal(viaHeader.status, 200);
      assert.ok(!JSON.stringify(viaHeader.body).includes(token), 'the token is never in a view');
      assert.equal((await get(server.url, `${viewUrl(input)}?token=${token}`)).status, 200);
      assert.equal((await get(server.url, `/api/research/${workflowId}/timeline`)).status, 401);
    } finally {
      await server.close();
    }
  });

  test('a stored payload missing from the store is shown as missing, not a 500', async () => {
    const entry = models().find((e) => fieldOf(e, 'input')?.payloads[0]?.location === 'stored')!;
    const input = fieldOf(entry, 'input')!;
    const sha = input.payloads[0]!.sha256!;
    rmSync(localObjectFile(store, sha));
    const { status, body } = await api(viewUrl(input));
    assert.equal(status, 200, JSON.stringify(body));
    const [p] = (body as PayloadView).payloads;
    assert.equal(p?.state, 'missing');
    assert.equal(p.value, undefined);
    assert.equal(p.sha256, sha);
    assert.match(p.note!, new RegExp(`stored payload sha256:${sha} is missing from`));
    // The timeline still answers, and still names the reference.
    const again = await api(`/api/research/${workflowId}/timeline`);
    assert.equal(again.status, 200);
    const printed = await cli(fx.settings, ['inspect', workflowId, '--payload', `${input.eventId}/input`]);
    assert.match(printed.stdout, /MISSING: stored payload sha256:/);
  });
});
