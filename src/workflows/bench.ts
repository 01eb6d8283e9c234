import { activityAsTool, TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { proxyActivities } from '@temporalio/workflow';
import type { BenchActivities } from '../activities/bench.js';
import type { corpusActivities } from '../activities/corpus.js';
import { BENCH_TOOLS, benchAgent } from './agents/bench.js';
import { MODEL_ACTIVITY } from './model-params.js';

// Workflows measured by `steadfast bench` (bench/bench/*): orchestration cost, not model quality.

/** The 6-turn agent: five activity-backed tool calls, then an answer. */
export async function benchAgentWorkflow(input: {
  prompt: string;
}): Promise<{ requests: number; output: string }> {
  const tools = BENCH_TOOLS.map((t) =>
    activityAsTool<(input: unknown) => Promise<unknown>>(t, { startToCloseTimeout: '10 seconds' })
  );
  const runner = new TemporalOpenAIRunner({ defaultModelParams: MODEL_ACTIVITY });
  const result = await runner.run(benchAgent(tools), input.prompt, { maxTurns: 10 });
  return { requests: result.state.usage.requests, output: String(result.finalOutput ?? '') };
}

const { benchNoop } = proxyActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

/** `count` no-op activities one after another: the raw activity round trip. */
export async function benchNoopWorkflow(input: { count: number }): Promise<void> {
  for (let i = 0; i < input.count; i++) await benchNoop();
}

const { searchCorpus } = proxyActivities<typeof corpusActivities>({ startToCloseTimeout: '30 seconds' });

/** Corpus searches in parallel (fan-out). */
export async function benchFanoutWorkflow(input: { queries: string[] }): Promise<number> {
  const results = await Promise.all(input.queries.map((query) => searchCorpus({ query, limit: 5 })));
  return results.reduce((n, r) => n + r.results.length, 0);
}
