/**
 * (b) The research task with the Agents SDK in one plain process: the same agents and tools as the
 * durable workflow, the upstream Runner, tools calling the activity functions directly. No
 * Temporal: a crash loses everything and the supervisor restarts it from scratch.
 * Env: OPENAI_BASE_URL, COMPARE_QUESTION, COMPARE_ID, COMPARE_JOURNAL, COMPARE_TOOL_FAULT_RATE.
 */
import { appendFileSync } from 'node:fs';
import { setTraceProcessors, Runner, tool, type Agent } from '@openai/agents-core';
import { prepareCorpus, readDocument, searchCorpus } from '../../src/activities/corpus.js';
import { renderReport } from '../../src/activities/render.js';
import { withToolFaults } from '../../src/activities/faults.js';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { plannerAgent } from '../../src/workflows/agents/planner.js';
import { searcherAgent } from '../../src/workflows/agents/searcher.js';
import { writerAgent } from '../../src/workflows/agents/writer.js';
import { collectCitations, type Evidence } from '../../src/workflows/citations.js';

const step = (line: string) =>
  appendFileSync(
    process.env.COMPARE_JOURNAL!,
    `${JSON.stringify({ at: Date.now(), pid: process.pid, step: line })}\n`
  );
setTraceProcessors([]);
const rate = Number(process.env.COMPARE_TOOL_FAULT_RATE ?? 0);
const corpus =
  rate > 0
    ? withToolFaults(
        { searchCorpus, readDocument },
        { names: ['searchCorpus', 'readDocument'], rate, seed: process.pid }
      )
    : { searchCorpus, readDocument };
const question = process.env.COMPARE_QUESTION!;
const runner = new Runner({
  modelProvider: createModelProvider(offlineEndpoint(process.env.OPENAI_BASE_URL!)),
  tracingDisabled: true,
});
const run = async <T>(agent: Agent<any, any>, prompt: string, maxTurns = 8): Promise<T> =>
  (await runner.run(agent, prompt, { maxTurns })).finalOutput as T;

step('start');
await prepareCorpus({});
const plan = await run<{ searches: { query: string; reason: string }[] }>(
  plannerAgent(5),
  `Research question: ${question}`
);
step(`planned ${plan.searches.length} searches`);
const evidence = new Map<string, Evidence>();
await Promise.all(
  plan.searches.map(async (s) => {
    const found = new Map<string, Evidence>();
    const tools = [
      tool({
        name: 'searchCorpus',
        description:
          'Search the document corpus (BM25). Returns passages with their sourceId, path, title and excerpt.',
        parameters: {
          type: 'object',
          properties: { query: { type: 'string', description: 'Key terms to search for.' } },
          required: ['query'],
          additionalProperties: false,
        },
        execute: async (args) => {
          const result = await corpus.searchCorpus({ query: (args as { query: string }).query, limit: 5 });
          for (const r of result.results) found.set(r.sourceId, r);
          return result;
        },
      }),
      tool({
        name: 'readDocument',
        description: 'Read a passage in context (with its neighbours) by its sourceId.',
        parameters: {
          type: 'object',
          properties: { sourceId: { type: 'string', description: 'A sourceId returned by searchCorpus.' } },
          required: ['sourceId'],
          additionalProperties: false,
        },
        execute: async (args) =>
          corpus.readDocument({ sourceId: (args as { sourceId: string }).sourceId, window: 1 }),
      }),
    ];
    await run(searcherAgent(tools), `Query: ${s.query}\nWhy: ${s.reason}\nQuestion: ${question}`);
    for (const [id, e] of found) if (!evidence.has(id)) evidence.set(id, e);
    step(`search "${s.query}" done: ${found.size} passages`);
  })
);
const passages = [...evidence.values()].slice(0, 24);
const report = await run<{ title: string; summary: string; markdown: string; followUps: string[] }>(
  writerAgent('report'),
  `Research question: ${question}\n\nEvidence (cite as [sourceId]):\n` +
    passages.map((p) => `[${p.sourceId}] ${p.title}: ${p.excerpt}`).join('\n\n')
);
step('report written');
const { markdown, citations } = collectCitations(report.markdown, evidence);
await renderReport({
  workflowId: process.env.COMPARE_ID!,
  title: report.title,
  question,
  summary: report.summary,
  markdown,
  format: 'report',
  citations,
  followUps: report.followUps,
  generatedAt: new Date().toISOString(),
});
step('side effect: rendered report.md + report.pdf');
step('done');
