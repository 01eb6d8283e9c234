import { tool, type Tool } from '@openai/agents-core';
import { activityAsTool, TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BenchActivities } from '../activities/bench.js';
import type { corpusActivities } from '../activities/corpus.js';
import { BENCH_TOOLS, benchAgent } from './agents/bench.js';
import { MODEL_ACTIVITY } from './model-params.js';

// Workflows measured by `steadfast bench` (bench/bench/*): orchestration cost, not model quality.

/**
 * How the bench's tool calls and reads run: `local` as local activities (as the research
 * workflow's corpus reads do: pure, idempotent), `activity` as regular activities.
 */
export type BenchActivityKind = 'local' | 'activity';

const regular = proxyActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

/** The 6-turn agent: five tool calls (activities, regular by default), then an answer. */
export async function benchAgentWorkflow(input: {
  prompt: string;
  tools?: BenchActivityKind;
}): Promise<{ requests: number; output: string }> {
  const tools: Tool[] = BENCH_TOOLS.map((t) =>
    input.tools === 'local'
      ? tool({
          ...t,
          strict: true,
          execute: async () => JSON.stringify(await local[t.name as keyof BenchActivities]()),
        })
      : activityAsTool<(input: unknown) => Promise<unknown>>(t, { startToCloseTimeout: '10 seconds' })
  );
  const runner = new TemporalOpenAIRunner({ defaultModelParams: MODEL_ACTIVITY });
  const result = await runner.run(benchAgent(tools), input.prompt, { maxTurns: 10 });
  return { requests: result.state.usage.requests, output: String(result.finalOutput ?? '') };
}

/** `count` no-op activities one after another (the raw round trip), then `local` local ones. */
export async function benchNoopWorkflow(input: { count: number; local?: number }): Promise<void> {
  for (let i = 0; i < input.count; i++) await regular.benchNoop();
  for (let i = 0; i < (input.local ?? 0); i++) await local.benchNoop();
}

const searches = proxyActivities<typeof corpusActivities>({ startToCloseTimeout: '30 seconds' });
const localSearches = proxyLocalActivities<typeof corpusActivities>({ startToCloseTimeout: '30 seconds' });

/** Corpus searches in parallel (fan-out). */
export async function benchFanoutWorkflow(input: {
  queries: string[];
  kind?: BenchActivityKind;
}): Promise<number> {
  const { searchCorpus } = input.kind === 'local' ? localSearches : searches;
  const results = await Promise.all(input.queries.map((query) => searchCorpus({ query, limit: 5 })));
  return results.reduce((n, r) => n + r.results.length, 0);
}
