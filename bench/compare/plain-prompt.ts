/**
 * (a) Pure prompting: one model call with the question and the top BM25 passages, then the report
 * file. Env: OPENAI_BASE_URL, COMPARE_QUESTION, COMPARE_ID, COMPARE_JOURNAL.
 */
import { appendFileSync } from 'node:fs';
import { prepareCorpus, searchCorpus } from '../../src/activities/corpus.js';
import { renderReport } from '../../src/activities/render.js';
import { openai as openaiSdk } from '../../src/worker/sdk.js';

const { OpenAI } = openaiSdk;
const step = (line: string) =>
  appendFileSync(
    process.env.COMPARE_JOURNAL!,
    `${JSON.stringify({ at: Date.now(), pid: process.pid, step: line })}\n`
  );
const question = process.env.COMPARE_QUESTION!;

step('start');
await prepareCorpus({});
const { results } = await searchCorpus({ query: question, limit: 8 });
step(`retrieved ${results.length} passages`);
const openai = new OpenAI({ apiKey: 'offline-no-key', baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
const response = await openai.responses.create({
  model: 'steadfast-offline',
  instructions: 'Answer the research question from the passages only; cite each claim with its [sourceId].',
  input:
    `Research question: ${question}\n\nPassages:\n` +
    results.map((r) => `[${r.sourceId}] ${r.title}: ${r.excerpt}`).join('\n\n'),
});
step('model answered');
const text = response.output_text;
const citations = results
  .filter((r) => text.includes(r.sourceId))
  .map((r, i) => ({
    n: i + 1,
    sourceId: r.sourceId,
    path: r.path,
    title: r.title,
    excerpt: r.excerpt.slice(0, 400),
  }));
await renderReport({
  workflowId: process.env.COMPARE_ID!,
  title: question.slice(0, 150),
  question,
  summary: text.slice(0, 1500) || '—',
  markdown: text || '—',
  format: 'report',
  citations,
  followUps: ['—'],
  generatedAt: new Date().toISOString(),
});
step('side effect: rendered report.md + report.pdf');
step('done');
