import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { TimelineResponse } from '../../src/common/api-types.js';
import type { PayloadView } from '../../src/common/timeline-types.js';
import { scratchDir, testFixture } from '../../src/testing/fixture.js';
import { localObjectFile } from '../../src/testing/stored-payloads.js';
import { get, QUESTION } from './helpers.js';

// Every process of this file encrypts its payloads (docs/security.md), into a store of its own.
const store = scratchDir('steadfast-payloads-');
process.env.STEADFAST_PAYLOAD_STORE = `local:${store}`;
process.env.STEADFAST_ENCRYPTION_KEY = randomBytes(32).toString('base64');
delete process.env.STEADFAST_ENCRYPTION_KEYS;
delete process.env.STEADFAST_ENCRYPTION_KEY_FILE;
delete process.env.STEADFAST_PAYLOAD_THRESHOLD_BYTES;

const fx = testFixture({ model: true, worker: true, research: true, api: true });

test('encrypted payloads, inline or stored, are shown decrypted, and say how they are held', async () => {
  const { workflowId } = await fx.research.start({
    question: QUESTION,
    requestId: fx.requestId('timeline-encrypted'),
    clarify: false,
    maxSearches: 1,
  });
  await fx.research.result(workflowId);
  const timeline = (await get(fx.api.url, `/api/research/${workflowId}/timeline`)).body as TimelineResponse;
  const view = async (f: { runId: string; eventId: number; field: string }) =>
    (await get(fx.api.url, `/api/research/${workflowId}/payloads/${f.runId}/${f.eventId}/${f.field}`))
      .body as PayloadView;

  const model = timeline.entries
    .filter((e) => e.activityType === 'invokeModelActivity')
    .map((e) => e.payloads!.find((f) => f.field === 'input')!)
    .find((f) => f.payloads[0]!.location === 'stored')!;
  const stored = (await view(model)).payloads[0]!;
  assert.equal(stored.state, 'ok', JSON.stringify(stored));
  assert.equal(stored.encoding, 'json/plain');
  assert.match(stored.note!, /^the store holds it as binary\/encrypted; shown decoded\./);
  const instructions = (stored.value as { request: { systemInstructions: string } }).request
    .systemInstructions;
  assert.ok(instructions.length > 50);
  const onDisk = readFileSync(localObjectFile(store, stored.sha256!)).toString('latin1');
  assert.ok(!onDisk.includes(instructions.slice(0, 40)), 'the store holds ciphertext');

  const workflow = timeline.entries.find((e) => e.kind === 'workflow')!;
  const input = (await view(workflow.payloads!.find((f) => f.field === 'input')!)).payloads[0]!;
  assert.equal(input.location, 'inline');
  assert.match(input.note!, /^history holds it as binary\/encrypted; shown decoded\./);
  assert.equal((input.value as { question: string }).question, QUESTION);
});
