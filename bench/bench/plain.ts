/** The same 6-turn agent in one plain process: the upstream Runner, tools call the functions directly. */
import { setTraceProcessors, Runner, tool } from '@openai/agents-core';
import { benchActivities } from '../../src/activities/bench.js';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { BENCH_TOOLS, benchAgent } from '../../src/workflows/agents/bench.js';

export function plainBenchRunner(baseURL: string): () => Promise<number> {
  setTraceProcessors([]); // no exporter is configured: keep the console quiet
  const runner = new Runner({
    modelProvider: createModelProvider(offlineEndpoint(baseURL)),
    tracingDisabled: true,
  });
  const tools = BENCH_TOOLS.map((t) =>
    tool({
      ...t,
      strict: true,
      execute: async () => JSON.stringify(await benchActivities[t.name as keyof typeof benchActivities]()),
    })
  );
  const agent = benchAgent(tools);
  return async () => {
    const result = await runner.run(agent, 'Run the five-step checklist.', { maxTurns: 10 });
    return result.state.usage.requests;
  };
}
