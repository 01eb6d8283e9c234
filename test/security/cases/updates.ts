import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { answerClarificationsUpdate } from '../../../src/workflows/messages.js';
import { assertError, fx, type Case, type Ctx } from '../matrix.js';

const answersPath = (ctx: Ctx) => `/api/research/${encodeURIComponent(ctx.sentinel.id)}/answers`;

/** Sends `payload` to the waiting run's Update straight through the Temporal client, past the API. */
async function rejectedUpdate(ctx: Ctx, payload: unknown, message: RegExp): Promise<void> {
  const handle = fx.client.workflow.getHandle(ctx.sentinel.id);
  await assert.rejects(
    handle.executeUpdate(answerClarificationsUpdate, { args: [payload as never] }),
    (err: Error) => {
      assert.ok(err instanceof WorkflowUpdateFailedError, `${err.name}: ${err.message}`);
      assert.match(String((err.cause as Error | undefined)?.message), message);
      return true;
    }
  );
}

/** Answers to clarifying questions, bad in size and shape, through the API and the Temporal client. */
export const updateCases: Case[] = [
  {
    group: 'updates',
    name: 'API: 1,000 answers',
    run: async (ctx) =>
      assertError(
        await ctx.api(answersPath(ctx), { method: 'POST', json: { answers: Array(1000).fill('yes') } }),
        400,
        /expected \d+ answers \(one per question\), got 1000/
      ),
  },
  {
    group: 'updates',
    name: 'API: a 1 MB answer',
    run: async (ctx) =>
      assertError(
        await ctx.api(answersPath(ctx), {
          method: 'POST',
          json: { answers: ctx.sentinel.questions.map(() => 'a'.repeat(1024 * 1024)) },
        }),
        413,
        /too large/
      ),
  },
  {
    group: 'updates',
    name: 'API: answers of the wrong shape',
    run: async (ctx) => {
      for (const json of [{ answers: 'yes' }, { answers: [1, 2, 3] }, { answers: { 0: 'a' } }])
        assertError(
          await ctx.api(answersPath(ctx), { method: 'POST', json }),
          400,
          /invalid answers/,
          /one per question/
        );
      assertError(
        await ctx.api(answersPath(ctx), { method: 'POST', json: { answers: [], approve: true } }),
        400,
        /unknown field "approve"/
      );
    },
  },
  {
    group: 'updates',
    name: 'API: empty and over-long answers within the body limit',
    run: async (ctx) => {
      const n = ctx.sentinel.questions.length;
      assertError(
        await ctx.api(answersPath(ctx), { method: 'POST', json: { answers: Array(n).fill(' ') } }),
        400,
        /answer 1 is empty/
      );
      assertError(
        await ctx.api(answersPath(ctx), {
          method: 'POST',
          json: { answers: Array(n).fill('b'.repeat(5000)) },
        }),
        400,
        /answer 1 is 5000 characters; the limit is 1000/
      );
    },
  },
  {
    group: 'updates',
    name: 'Temporal client: 1,000 answers',
    run: async (ctx) =>
      rejectedUpdate(
        ctx,
        { answers: Array(1000).fill('yes') },
        /expected \d+ answers \(one per question\), got 1000/
      ),
  },
  {
    group: 'updates',
    name: 'Temporal client: a 1 MB answer',
    run: async (ctx) =>
      rejectedUpdate(
        ctx,
        { answers: ctx.sentinel.questions.map(() => 'a'.repeat(1024 * 1024)) },
        /answer 1 is 1048576 characters; the limit is 1000/
      ),
  },
  {
    group: 'updates',
    name: 'Temporal client: wrong shapes (null, a string, numbers, no answers)',
    run: async (ctx) => {
      for (const payload of [null, 'yes', { answers: [1, 2] }, {}, [['a']]])
        await rejectedUpdate(ctx, payload, /answers must be an object/);
    },
  },
];
