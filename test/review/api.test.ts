import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { QUESTION, userFile } from './helpers.js';

const fx = testFixture({ model: true, worker: true, api: { pollMs: 200 } });

async function api(route: string, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL(route, fx.api.url), {
    method: json === undefined ? 'GET' : 'POST',
    ...(json === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
  });
  return { status: res.status, body: await res.json() };
}

async function phase(id: string, wanted: string): Promise<any> {
  return waitFor(
    async () => {
      const { body } = await api(`/api/research/${id}`);
      if (body.execution !== 'RUNNING' && body.phase !== wanted)
        throw new Error(`ended ${body.phase}: ${body.failure}`);
      return body.phase === wanted ? body : undefined;
    },
    120_000,
    wanted
  );
}

const start = (more: object) =>
  api('/api/research', { question: QUESTION, clarify: false, maxSearches: 2, format: 'checklist', ...more });

afterEach(() => {
  delete process.env.STEADFAST_WRITE_ROOTS;
});

test('writeTo through the API: only under the operator’s write roots, never a folder', async () => {
  const file = userFile(fx.dir);
  const refused = await start({ writeTo: file });
  assert.equal(refused.status, 403);
  assert.match(refused.body.error.message, /lets no API client write files/);
  assert.match(refused.body.error.hint, /STEADFAST_WRITE_ROOTS/);

  const root = path.join(fx.dir, 'root');
  mkdirSync(path.join(root, 'folder'), { recursive: true });
  process.env.STEADFAST_WRITE_ROOTS = root;
  const outside = await start({ writeTo: file });
  assert.equal(outside.status, 403);
  assert.match(outside.body.error.message, /outside the write roots/);
  const folder = await start({ writeTo: path.join(root, 'folder') });
  assert.equal(folder.status, 400);
  assert.match(folder.body.error.message, /is a folder/);
  const relative = await start({ writeTo: 'x.md' });
  assert.equal(relative.status, 400);
  assert.match(relative.body.error.message, /writeTo: the file to write must be an absolute path/);
});

test('review through the API: plan replaced, diff shown, write approved by call id, rolled back', async () => {
  process.env.STEADFAST_WRITE_ROOTS = fx.dir;
  const file = userFile(fx.dir);
  const original = readFileSync(file);
  const started = await start({ reviewPlan: true, writeTo: file, reviewTimeout: '1 hour' });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = started.body.workflowId as string;

  const waiting = await phase(id, 'awaiting_plan_approval');
  assert.ok(waiting.review.plan.proposed.length >= 1);
  const badPlan = await api(`/api/research/${id}/approve`, { plan: ['x'] });
  assert.equal(badPlan.status, 400);
  assert.match(badPlan.body.error.message, /invalid plan: 0\.query: a query needs at least 2 characters/);
  const unknown = await api(`/api/research/${id}/approve`, { plan: ['ok'], by: 'someone else' });
  assert.equal(unknown.status, 400, 'who decides is the server’s to say');
  assert.match(unknown.body.error.message, /unknown field "by"/);
  const wrongStage = await api(`/api/research/${id}/approve`, { callId: 'call_x' });
  assert.equal(wrongStage.status, 409);
  assert.match(wrongStage.body.error.message, /no tool call is waiting for approval/);

  const approved = await api(`/api/research/${id}/approve`, {
    plan: ['RunState approve', 'update validator'],
  });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.stage, 'plan');
  assert.equal(approved.body.decision.decision, 'replaced');
  assert.equal(approved.body.decision.by, 'api@127.0.0.1');

  const write = await phase(id, 'awaiting_write_approval');
  assert.deepEqual(
    write.searches.map((s: { query: string }) => s.query),
    ['RunState approve', 'update validator']
  );
  assert.match(write.review.write.diff.diff, /^-- \[ \] an old item$/m);
  assert.deepEqual(readFileSync(file), original);
  const callId = write.review.write.callId as string;
  const notThat = await api(`/api/research/${id}/reject`, { callId: 'call_other' });
  assert.equal(notThat.status, 409);
  assert.match(notThat.body.error.message, new RegExp(`waiting: ${callId} \\(writeFile\\)`));
  const yes = await api(`/api/research/${id}/approve`, { callId, reason: 'looks right' });
  assert.equal(yes.status, 200);
  assert.equal(yes.body.decision.tool, 'writeFile');

  const done = await phase(id, 'completed');
  assert.equal(done.review.write.state, 'written');
  assert.equal(readFileSync(file, 'utf8'), readFileSync(done.artifacts.markdown.path, 'utf8'));
  assert.deepEqual(
    done.review.decisions.map((d: { stage: string; decision: string; by: string }) => [
      d.stage,
      d.decision,
      d.by,
    ]),
    [
      ['plan', 'replaced', 'api@127.0.0.1'],
      ['tool', 'approved', 'api@127.0.0.1'],
    ]
  );
  const badForce = await api(`/api/research/${id}/rollback`, { force: 'yes' });
  assert.equal(badForce.status, 400);
  const rolled = await api(`/api/research/${id}/rollback`, {});
  assert.equal(rolled.status, 200, JSON.stringify(rolled.body));
  assert.equal(rolled.body.rolledBack.by, 'api@127.0.0.1');
  assert.deepEqual(readFileSync(file), original);
  const again = await api(`/api/research/${id}/rollback`, {});
  assert.equal(again.body.already, true);
  const nothing = await api(`/api/research/${id}/approve`, {});
  assert.equal(nothing.status, 409, JSON.stringify(nothing.body));
  const missing = await api('/api/research/research-no-such-run/reject', {});
  assert.equal(missing.status, 404);
});

test('a plan rejected through the API: the run ends rejected and its result says so (409)', async () => {
  const started = await start({ reviewPlan: true });
  const id = started.body.workflowId as string;
  await phase(id, 'awaiting_plan_approval');
  const rejected = await api(`/api/research/${id}/reject`, { reason: 'wrong question' });
  assert.equal(rejected.status, 200);
  const done = await waitFor(async () => {
    const { body } = await api(`/api/research/${id}`);
    return body.execution !== 'RUNNING' ? body : undefined;
  });
  assert.deepEqual([done.execution, done.phase], ['COMPLETED', 'rejected']);
  const result = await api(`/api/research/${id}/result`);
  assert.equal(result.status, 409);
  assert.match(result.body.error.message, /rejected at its plan review by api@127\.0\.0\.1 .*wrong question/);
});
