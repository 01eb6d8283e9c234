import assert from 'node:assert/strict';
import { createModelProvider, offlineEndpoint } from '../../../src/worker/model-provider.js';
import type { ResearchClient } from '../../../src/client/research.js';
import { fx, QUESTION, type Case, type Ctx } from '../matrix.js';
import {
  mischiefMarker,
  startScriptedModel,
  type ModelMischief,
  type ScriptedModel,
} from '../scripted-model.js';

interface ModelBench {
  research: ResearchClient;
  scripted: ScriptedModel;
}

/** A worker of its own whose model endpoint misbehaves for runs that ask it to. */
function modelBench(ctx: Ctx): Promise<ModelBench> {
  return ctx.once('model-bench', async () => {
    const scripted = await startScriptedModel(fx.model.baseURL);
    fx.defer(() => scripted.close());
    const worker = await fx.isolatedWorker({
      modelProvider: createModelProvider(offlineEndpoint(scripted.baseURL)),
    });
    return { research: worker.research, scripted };
  });
}

/**
 * Runs the question with the marker on a worker of its own: the bad answers cost the marked run
 * at most, never the worker (the last case, a transient fault, completes a run on it).
 */
async function misbehave(ctx: Ctx, kind: ModelMischief, expect: (status: any, result: any) => void) {
  const bench = await modelBench(ctx);
  const { workflowId } = await bench.research.start({
    question: `${QUESTION} ${mischiefMarker(kind)}`,
    requestId: fx.requestId(`model-${kind}`),
    clarify: false,
  });
  const result = await bench.research.result(workflowId).catch((err: Error) => err);
  const status = await bench.research.status(workflowId);
  assert.ok((bench.scripted.served[kind] ?? 0) > 0, `the endpoint sent ${kind}`);
  expect(status, result);
  // A Query on a closed run is answered by a worker: this one is still there.
  assert.equal(status.stale, undefined, 'the worker answered');
}

/** The run completed anyway, and says which step the bad answers cost and why. */
const recovered = (reason: RegExp) => (status: any, result: any) => {
  assert.ok(!(result instanceof Error), `the run recovered: ${result?.message}`);
  assert.equal(status.execution, 'COMPLETED');
  const told = JSON.stringify([status.warnings, status.errors, status.searches.map((s: any) => s.error)]);
  assert.match(told, reason);
};

/** Model outputs a worker must survive: the run fails or recovers, with the reason in its status. */
export const modelCases: Case[] = [
  {
    group: 'model',
    name: 'output that is not the JSON asked for',
    run: (ctx) => misbehave(ctx, 'invalid-json', recovered(/not a JSON object/)),
  },
  {
    group: 'model',
    name: 'a call to a tool that does not exist',
    run: (ctx) => misbehave(ctx, 'unknown-tool', recovered(/Tool delete_every_file not found/)),
  },
  {
    group: 'model',
    name: 'an enormous output (3 MB)',
    run: (ctx) => misbehave(ctx, 'enormous', recovered(/unusable|too large|not a JSON object/)),
  },
  {
    group: 'model',
    name: 'an empty output',
    run: (ctx) => misbehave(ctx, 'empty', recovered(/the reply was empty/)),
  },
  {
    group: 'model',
    name: 'a refusal',
    run: (ctx) =>
      misbehave(ctx, 'refusal', (status, result) => {
        assert.ok(result instanceof Error, 'a refusing model fails the run');
        assert.match(
          result.message,
          /did not complete: .*refused to produce output: I cannot help with that/
        );
        assert.equal(status.phase, 'failed');
        assert.ok(status.errors.some((e: string) => /refused/.test(e)));
      }),
  },
  {
    group: 'model',
    name: 'an answer cut off mid-body, once',
    run: (ctx) =>
      misbehave(ctx, 'truncated', (status, result) => {
        assert.ok(!(result instanceof Error), `a retry recovers: ${result?.message}`);
        assert.equal(status.execution, 'COMPLETED');
        assert.ok(result.citations.length > 0, 'a full report, with citations');
      }),
  },
];
