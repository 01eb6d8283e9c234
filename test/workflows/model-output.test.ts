import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Model, ModelProvider, ModelRequest, ModelResponse } from '@openai/agents-core';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { testFixture } from '../../src/testing/fixture.js';

const fx = testFixture({ model: true });

/** The offline model, except that the named agents answer in prose where JSON was asked for. */
function proseFor(agents: RegExp): ModelProvider {
  const inner = createModelProvider(offlineEndpoint(fx.model.baseURL));
  return {
    async getModel(name?: string): Promise<Model> {
      const m = await inner.getModel(name);
      return {
        getStreamedResponse: (r: ModelRequest) => m.getStreamedResponse(r),
        async getResponse(request: ModelRequest): Promise<ModelResponse> {
          const response = await m.getResponse(request);
          if (!agents.test(request.systemInstructions ?? '')) return response;
          for (const item of response.output as any[]) {
            for (const part of item.content ?? []) {
              if (part.type === 'output_text') part.text = 'Sure! Here is what I found, in my own words.';
            }
          }
          return response;
        },
      };
    },
  };
}

test('an unusable planner and writer: the run searches the question and delivers a digest of the evidence', async () => {
  const { research } = await fx.isolatedWorker({
    modelProvider: proseFor(/^(You plan research|You answer a research question)/),
  });
  const { workflowId } = await research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: fx.requestId('unusable-output'),
    clarify: false,
  });
  const result = await research.result(workflowId);
  const status = await research.status(workflowId);
  assert.deepEqual(
    result.searches.map((s) => s.query),
    ['How do I add human approval to a durable agent?'],
    'the question is the one search'
  );
  assert.ok(status.warnings.some((w) => /planner's output was unusable/.test(w)));
  assert.ok(status.warnings.some((w) => /writer's output was unusable/.test(w)));
  assert.ok(result.citations.length > 0, 'the digest cites the passages it quotes');
  assert.match(result.markdown, /## Passages found/);
  assert.equal(
    result.verification?.unsupported.filter((c) => c.part === 'body').length,
    0,
    'quotes are supported'
  );
});
