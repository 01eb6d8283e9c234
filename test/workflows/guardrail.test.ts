import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Model, ModelProvider, ModelRequest, ModelResponse } from '@openai/agents-core';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { testFixture } from '../../src/testing/fixture.js';
import { citesEvidence } from '../../src/workflows/agents/writer.js';

const fx = testFixture({ model: true });

test('the cites-evidence guardrail trips on a report without real citations', async () => {
  const guardrail = citesEvidence(new Set(['a.md#L1-L4']));
  const run = (summary: string, markdown: string) =>
    guardrail.execute({ agentOutput: { title: 't', summary, markdown, followUps: ['?'] } } as never);
  assert.equal((await run('Short.', 'Claim [a.md#L1-L4].')).tripwireTriggered, false);
  assert.equal((await run('Short.', 'Claim [made-up#L1].')).tripwireTriggered, true);
  assert.equal((await run('Short.', 'No citations at all.')).tripwireTriggered, true);
});

/** The offline model, except that the writer's drafts lose their citation markers `times` times. */
function uncitingWriter(times: number): ModelProvider & { stripped: () => number } {
  const inner = createModelProvider(offlineEndpoint(fx.model.baseURL));
  let stripped = 0;
  return {
    stripped: () => stripped,
    async getModel(name?: string): Promise<Model> {
      const m = await inner.getModel(name);
      return {
        getStreamedResponse: (r: ModelRequest) => m.getStreamedResponse(r),
        async getResponse(request: ModelRequest): Promise<ModelResponse> {
          const response = await m.getResponse(request);
          if (!request.systemInstructions?.startsWith('You answer a research question') || stripped >= times)
            return response;
          stripped++;
          for (const item of response.output as any[]) {
            for (const part of item.content ?? []) {
              if (part.type === 'output_text') part.text = part.text.replace(/ ?\[[^\]]*#[^\]]*\]/g, '');
            }
          }
          return response;
        },
      };
    },
  };
}

for (const [times, expected] of [
  [1, 'the second draft cites'],
  [2, 'both drafts uncited'],
] as const) {
  test(`writer guardrail in the workflow: ${expected}`, async () => {
    const provider = uncitingWriter(times);
    const { research } = await fx.isolatedWorker({ modelProvider: provider });
    const { workflowId } = await research.start({
      question: 'How do I add human approval to a durable agent?',
      requestId: fx.requestId(`guardrail-${times}`),
      clarify: false,
    });
    const result = await research.result(workflowId);
    const status = await research.status(workflowId);
    assert.equal(provider.stripped(), times);
    assert.ok(status.warnings.some((w) => /first draft cited no evidence/.test(w)));
    if (times === 1) {
      assert.ok(result.citations.length > 0, 'the second draft is cited');
      assert.ok(!status.warnings.some((w) => /cites no evidence: check/.test(w)));
    } else {
      assert.match(result.markdown, /## Passages the report was written from/, 'its sources are listed');
      assert.ok(result.citations.length > 0, 'the listed passages are cited');
      assert.ok(
        (result.verification?.unsupported.length ?? 0) > 0,
        'the uncited claims are marked as unsupported'
      );
      assert.ok(
        status.warnings.some((w) => /cites no evidence: check/.test(w)),
        'delivered with a warning'
      );
    }
  });
}
