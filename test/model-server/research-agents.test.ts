// The offline model as the research workflow's planner, searcher and verifier: the real agents,
// run through the Agents SDK Runner and the OpenAI client against the offline model server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Runner, setTracingDisabled, tool } from '@openai/agents-core';
import { OpenAIProvider } from '@openai/agents-openai';
import OpenAI from 'openai';
import { conditionQuestion, topicOf } from '../../src/model-server/follow-ups.js';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';
import { plannerAgent } from '../../src/workflows/agents/planner.js';
import { searcherAgent } from '../../src/workflows/agents/searcher.js';
import { verifierAgent } from '../../src/workflows/agents/verifier.js';
import { flatten, htmlText, lines, passage, section, type TestPassage } from './third-party.js';

setTracingDisabled(true);

let server: ModelServerHandle;
let runner: Runner;

before(async () => {
  server = await startModelServer({ port: 0 });
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'offline', maxRetries: 0 });
  runner = new Runner({
    modelProvider: new OpenAIProvider({ openAIClient: client as never, useResponses: true }),
    model: 'offline',
  });
});

after(async () => {
  await server.close();
});

const REQUIRED = passage(
  'commander-README.md#L342-L360',
  'Options › Required option',
  flatten(section('commander-README.md', 'Required option'))
);
const VERSION = passage(
  'commander-README.md#L396-L414',
  'Options › Version option',
  flatten(section('commander-README.md', 'Version option'))
);
const VARIADIC = passage(
  'commander-README.md#L362-L394',
  'Options › Variadic option',
  flatten(section('commander-README.md', 'Variadic option'))
);
const LICENCE = passage('hono-README.md#L82-L84', 'License', flatten(section('hono-README.md', 'License')));
const ZLIB = passage(
  'zlib_how.html#L53-L71',
  'zlib Usage Example',
  flatten(htmlText(lines('zlib_how.html', 53, 71)))
);
const HONO_FEATURES = passage(
  'hono-README.md#L40-L46',
  'Features',
  flatten(section('hono-README.md', 'Features'))
);

const PLANNER_INSTRUCTIONS = plannerAgent(5).instructions as string;

async function plan(prompt: string): Promise<Array<{ query: string; reason: string }>> {
  const result = await runner.run(plannerAgent(5), prompt);
  return (result.finalOutput as { searches: Array<{ query: string; reason: string }> }).searches;
}

test('planner: distinct queries keep the question’s own terms; each reason says what its query looks for', async () => {
  const searches = await plan('How do I make an option required in commander?');
  assert.ok(searches.length >= 2 && searches.length <= 5, JSON.stringify(searches));
  const queries = searches.map((s) => s.query.toLowerCase());
  assert.equal(new Set(queries).size, queries.length, 'queries differ');
  const all = queries.join(' ');
  for (const term of ['option', 'required', 'commander']) assert.ok(all.includes(term), `${term} in ${all}`);
  for (const { query, reason } of searches) {
    assert.ok(query.split(/\s+/).length <= 8, `a few key terms, not a sentence: ${query}`);
    assert.match(reason, /^[A-Z][^.]*\.$/, `one sentence: ${reason}`);
    const queryWords = query
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 3);
    assert.ok(
      queryWords.some((w) => reason.toLowerCase().includes(w)),
      `the reason speaks of its query: ${query} / ${reason}`
    );
    for (const sentence of PLANNER_INSTRUCTIONS.split(/(?<=\.)\s+/))
      assert.ok(
        !reason.includes(sentence.trim()) && !sentence.includes(reason),
        `not the instructions: ${reason}`
      );
  }
});

test('planner: names, identifiers and numbers are kept as written; the asker’s answers shape a query', async () => {
  const exact = await plan('What does Z_BEST_COMPRESSION do in deflateInit when level 9 is too slow?');
  const all = exact.map((s) => s.query).join(' ');
  for (const term of ['Z_BEST_COMPRESSION', 'deflateInit', '9'])
    assert.ok(all.includes(term), `${term} in ${all}`);

  const answered = await plan(
    'How do I make an option required in commander?\n\nWhat the asker told us:\n- Which language do you write the CLI in? TypeScript\n- Anything else? no preference'
  );
  assert.ok(
    answered.some((s) => /typescript/i.test(s.query)),
    JSON.stringify(answered)
  );
  assert.ok(
    answered.every((s) => !/preference/i.test(s.query)),
    'an empty answer adds nothing'
  );
});

/** A corpus search over a few passages (by shared words), as the searcher's tool. */
function corpusTools(corpus: TestPassage[], calls: string[]) {
  return [
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
        const { query } = args as { query: string };
        calls.push(`searchCorpus ${query}`);
        const words = query.toLowerCase().split(/\s+/);
        return { results: corpus.filter((p) => words.some((w) => p.excerpt.toLowerCase().includes(w))) };
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
      execute: async (args) => {
        const { sourceId } = args as { sourceId: string };
        calls.push(`readDocument ${sourceId}`);
        return corpus.find((p) => p.sourceId === sourceId) ?? { error: 'unknown sourceId' };
      },
    }),
  ];
}

/** The searcher's prompt as the workflow writes it: the query, the question, the passages found. */
function searcherPrompt(query: string, question: string, passages: TestPassage[]): string {
  return `${query}\n\n(for the question: ${question})\n\nPassages the corpus returned for this query:\n${JSON.stringify(passages)}`;
}

test('searcher: with passages in the prompt it calls no tool and names the passages that answer, best first', async () => {
  const calls: string[] = [];
  const given = [LICENCE, VERSION, ZLIB, REQUIRED, VARIADIC];
  const result = await runner.run(
    searcherAgent(corpusTools(given, calls)),
    searcherPrompt('option required commander', 'How do I make an option required in commander?', given),
    { maxTurns: 8 }
  );
  const out = result.finalOutput as { notes: string; sourceIds: string[] };
  assert.deepEqual(calls, [], 'the passages hold every term of the question');
  assert.equal(out.sourceIds[0], REQUIRED.sourceId);
  for (const unrelated of [LICENCE.sourceId, ZLIB.sourceId])
    assert.ok(!out.sourceIds.includes(unrelated), unrelated);
  assert.match(out.notes, /requiredOption/);
  assert.match(out.notes, /\[commander-README\.md#L342-L360\]/);
});

test('searcher: when the passages lack a term of the question, it searches for it once, then answers', async () => {
  const calls: string[] = [];
  const given = [REQUIRED, VERSION];
  const result = await runner.run(
    searcherAgent(corpusTools([...given, HONO_FEATURES], calls)),
    searcherPrompt('runtime support', 'Does Hono run on Bun and Deno?', given),
    { maxTurns: 8 }
  );
  assert.equal(calls.length, 1, calls.join(' | '));
  assert.match(calls[0]!, /^searchCorpus .*\bBun\b/);
  const out = result.finalOutput as { notes: string; sourceIds: string[] };
  assert.equal(out.sourceIds[0], HONO_FEATURES.sourceId);
  assert.match(out.notes, /Bun/);
});

test('verifier: each claim is judged against its own passages, numbers and flags verbatim', async () => {
  const claims = [
    { id: 0, claim: 'The default option flags are -V and --version.', passages: [VERSION] },
    { id: 1, claim: 'The default option flags are -v and -h.', passages: [VERSION] },
    { id: 2, claim: 'The hono/tiny preset is under 20kB.', passages: [HONO_FEATURES] },
    { id: 3, claim: 'Options with an expected option-argument are greedy.', passages: [REQUIRED] },
  ].map((c) => ({ ...c, passages: c.passages.map((p) => ({ sourceId: p.sourceId, text: p.excerpt })) }));
  const result = await runner.run(verifierAgent(), JSON.stringify({ claims }));
  const { verdicts } = result.finalOutput as {
    verdicts: Array<{ id: number; supported: boolean; reason: string }>;
  };
  assert.deepEqual(
    verdicts.map((v) => [v.id, v.supported]),
    [
      [0, true],
      [1, false],
      [2, false],
      [3, false],
    ]
  );
  for (const v of verdicts) assert.match(v.reason, /^[A-Z].*\.$/);
  assert.match(verdicts[2]!.reason, /20/);
});

test('follow-ups from a stated limit or condition are complete questions about it', () => {
  // Sentences from the @temporalio/openai-agents README.
  assert.equal(
    conditionQuestion('Nested approval interruptions are not supported.'),
    'Why are nested approval interruptions not supported, and what is the alternative?'
  );
  assert.equal(
    conditionQuestion(
      'The agent passed to `RunState.fromString` must define the same tool names, handoff graph, and MCP servers as the run that produced the serialized state.'
    ),
    'Why must the agent passed to `RunState.fromString` define the same tool names?'
  );
  assert.equal(
    conditionQuestion('Workflow replay does not duplicate spans.'),
    'Why does workflow replay not duplicate spans?'
  );
  // From commander's README: already explained, or not a condition at all.
  assert.equal(
    conditionQuestion(
      'Options with an optional option-argument are not greedy and will ignore arguments starting with a dash.'
    ),
    undefined
  );
  assert.equal(conditionQuestion('You can specify a default value for an option.'), undefined);
});

test('follow-ups about the thing asked name it as a noun phrase', () => {
  assert.equal(topicOf('What is libffi?'), 'libffi');
  assert.equal(topicOf('Which runtimes does Hono run on?'), 'Hono');
  assert.equal(topicOf('Why does the zlib example use SET_BINARY_MODE?'), 'SET_BINARY_MODE');
  assert.equal(topicOf('What happens to model calls during workflow replay?'), 'model calls');
  assert.equal(topicOf('How should I size the buffers?'), undefined, 'no name, no guess');
});

test('planner: the sentence that asks leads the first query; the scene adds its names; hedges find nothing', async () => {
  const searches = await plan(
    'I keep my settings in ~/.config/tig/config, but tig still reads ~/.tigrc. Which file does it actually load?'
  );
  const [first] = searches.map((s) => s.query);
  assert.match(first!, /^file load\b/, `the ask first: ${first}`);
  assert.match(first!, /config\/tig\/config .*tigrc/, `the scene's names come next: ${first}`);
  const all = searches.map((s) => s.query).join(' ');
  assert.doesNotMatch(all, /\b(?:actually|still)\b/, `no hedges: ${all}`);
});

test('planner: an idiom of the question is searched in the words documentation uses ("get rid of" → remove)', async () => {
  const searches = await plan(
    'An old build script installs libfrob-0-dev, but apt cannot find that package anymore. When did Debian get rid of it?'
  );
  const all = searches.map((s) => s.query).join(' | ');
  assert.doesNotMatch(all, /\brid\b/, all);
  assert.match(all, /\bremove\b/, all);
});

test('planner: a one-word ask is searched with the longest phrases of its scene', async () => {
  const searches = await plan(
    "An old script of ours ran frob with the option that treats missing files as empty, gave '-' as one of the operands and closed standard input beforehand, counting on frob to take that as 'no file'. Since upgrading frobutils this trick no longer works. Was it removed on purpose, and why?"
  );
  const queries = searches.map((s) => s.query);
  assert.ok(
    queries.some((q) => /closed standard input/.test(q)),
    `the scene's longest phrase is searched with the ask: ${queries.join(' | ')}`
  );
  // "removed" alone finds every removal of the corpus.
  assert.ok(
    queries.every((q) => q.split(/\s+/).length >= 2),
    `no query of one word: ${queries.join(' | ')}`
  );
});

test('planner: a two-letter name is searched (jq, ed); two-letter function words are not', async () => {
  const searches = await plan(
    'Our style guide wants JSON indented with tab characters, i.e. no spaces. Can jq produce that, as ed does?'
  );
  const all = searches.map((s) => s.query).join(' | ');
  assert.match(searches[0]!.query, /\bjq\b/, all);
  assert.match(all, /\bed\b/, all);
  assert.doesNotMatch(all, /\b(?:i\.e|as|no|do)\b/i, all);
});

test('planner: a thing’s other name is left for retrieval to add; the asker’s words are searched', async () => {
  const searches = await plan(
    'Can I wrap FROBNICATE in BEGIN and COMMIT together with my other maintenance statements?'
  );
  const all = searches.map((s) => s.query).join(' | ');
  assert.doesNotMatch(all, /transaction block/, all);
  assert.match(searches[0]!.query, /maintenance/, all);
});
