// The offline model as the research workflow's writer: the real writer agent, run through the
// Agents SDK Runner and the OpenAI client against the offline model server, on briefs made of
// third-party documentation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Runner, setTracingDisabled } from '@openai/agents-core';
import { OpenAIProvider } from '@openai/agents-openai';
import OpenAI from 'openai';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';
import { writerAgent, type ReportFormat } from '../../src/workflows/agents/writer.js';
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

/** An excerpt as a corpus search returns it: one line, cut near 600 characters. */
function excerpt(text: string, max = 600): string {
  const flat = flatten(text);
  if (flat.length <= max) return flat;
  return `${flat.slice(0, flat.lastIndexOf(' ', max))} …`;
}

const REQUIRED = passage(
  'commander-README.md#L342-L360',
  'Options › Required option',
  excerpt(section('commander-README.md', 'Required option'))
);
const VERSION = passage(
  'commander-README.md#L396-L414',
  'Options › Version option',
  excerpt(section('commander-README.md', 'Version option'))
);
const QUICK_START = passage(
  'commander-README.md#L67-L145',
  'Quick Start',
  excerpt(section('commander-README.md', 'Quick Start'))
);
const OPTION_TYPES = passage(
  'commander-README.md#L211-L252',
  'Options › Common option types, boolean and value',
  excerpt(section('commander-README.md', 'Common option types, boolean and value'))
);
const TOC = passage(
  'commander-README.md#L12-L57',
  'Commander.js',
  excerpt(lines('commander-README.md', 12, 57))
);
const BADGES = passage(
  'commander-README.md#L1-L10',
  'Commander.js',
  excerpt(lines('commander-README.md', 1, 10))
);
const LICENCE = passage('hono-README.md#L82-L84', 'License', excerpt(section('hono-README.md', 'License')));
const ZLIB_CHUNK = passage(
  'zlib_how.html#L53-L71',
  'zlib Usage Example',
  excerpt(htmlText(lines('zlib_how.html', 53, 71)), 1200)
);
const MINISEARCH_USE = passage(
  'minisearch-README.md#L27-L38',
  'Use case',
  excerpt(lines('minisearch-README.md', 27, 38))
);
const MINISEARCH_FEATURES = passage(
  'minisearch-README.md#L41-L57',
  'Features',
  excerpt(section('minisearch-README.md', 'Features'))
);

interface Report {
  title: string;
  summary: string;
  markdown: string;
  followUps: string[];
}

async function write(
  question: string,
  evidence: TestPassage[],
  format: ReportFormat = 'report'
): Promise<Report> {
  const brief = { question, clarifications: [], evidence };
  const result = await runner.run(
    writerAgent(format, new Set(evidence.map((e) => e.sourceId))),
    JSON.stringify(brief)
  );
  return result.finalOutput as Report;
}

/** The summary's sentences, each with the source id it ends with. */
function sentences(summary: string): Array<{ text: string; id: string | undefined }> {
  return (summary.match(/[^[\]]+?[.!?](?:\s*\[[^\]]+\])?(?=\s|$)/g) ?? []).map((s) => ({
    text: s.replace(/\s*\[[^\]]+\]$/, '').trim(),
    id: /\[([^\]]+)\]$/.exec(s.trim())?.[1],
  }));
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9][a-z0-9._-]*[a-z0-9]/g) ?? []);

/** A complete question a reader could ask: opens like a question, ends with "?", reads as a sentence. */
function assertQuestion(q: string): void {
  assert.match(q, /^(?:What|Why|How|Which|When|Where|Who|Is|Are|Can|Does|Do|Should)\b[^?[\]]*\?$/, q);
  assert.ok(q.length <= 300, q);
  assert.match(
    q,
    /\b(?:the|a|an|of|to|is|are|does|do|when|with|for|in|it|be|and|used)\b/,
    `reads as a sentence: ${q}`
  );
  assert.doesNotMatch(q, /\b(\w+) \1\b/i, `no word twice in a row: ${q}`);
}

test('a how-to question: the summary opens with the answer, in plain cited sentences; nothing from menus, badges or licences', async () => {
  const evidence = [QUICK_START, TOC, BADGES, VERSION, REQUIRED, LICENCE, ZLIB_CHUNK];
  const report = await write('How do I make an option required in commander?', evidence);

  const said = sentences(report.summary);
  assert.ok(said.length >= 2 && said.length <= 5, report.summary);
  assert.ok(report.summary.length <= 1200);
  assert.match(said[0]!.text, /requiredOption\(\)/, 'the first sentence names the method');
  assert.equal(said[0]!.id, REQUIRED.sourceId);
  const byId = new Map(evidence.map((e) => [e.sourceId, e]));
  for (const s of said) {
    assert.ok(s.id && byId.has(s.id), `every sentence ends with the id of a passage: ${s.text}`);
    const source = words(byId.get(s.id!)!.excerpt);
    const own = [...words(s.text)];
    assert.ok(
      own.filter((w) => source.has(w)).length >= own.length * 0.8,
      `"${s.text}" is what ${s.id} says`
    );
  }
  assert.doesNotMatch(
    report.summary.replace(/\s*\[[^\]]+\]/g, ''),
    /[`*#|[\]]|\]\(/,
    'no Markdown in the summary'
  );

  const everything = `${report.summary}\n${report.markdown}`;
  for (const junk of [
    /Variadic option/,
    /Build Status/,
    /NPM Version/,
    /MIT License/,
    /Read this in other languages/,
  ])
    assert.doesNotMatch(everything, junk);
  assert.match(report.markdown, /^## /, 'the body has sections');
  for (const line of report.markdown.split('\n')) {
    if (!line.trim() || line.startsWith('## ') || line.startsWith('```')) continue;
    assert.doesNotMatch(line, /\S\s#{1,6}\s/, `no heading pasted into a paragraph: ${line}`);
  }
  assert.match(report.title, /option/i);
  assert.doesNotMatch(report.title, /[[\]›]/);
  assert.ok(report.followUps.length >= 2 && report.followUps.length <= 4, report.followUps.join(' | '));
  for (const q of report.followUps) assertQuestion(q);
});

test('the answer type of the question decides the first sentence: a number, a flag, a yes or no', async () => {
  const size = await write('What buffer size should the zlib example use when memory is available?', [
    MINISEARCH_USE,
    ZLIB_CHUNK,
  ]);
  assert.match(sentences(size.summary)[0]!.text, /128K or 256K bytes/);

  const flags = await write('Which flags print the version in commander?', [REQUIRED, VERSION]);
  assert.match(sentences(flags.summary)[0]!.text, /-V and --version/);

  const offline = await write('Can MiniSearch work offline?', [MINISEARCH_FEATURES, MINISEARCH_USE]);
  assert.match(sentences(offline.summary)[0]!.text, /MiniSearch can work offline/);
});

test('one strong sentence does not crowd out the answer: the fix stated in other words makes the summary', async () => {
  // Mercurial's help on scripting (test/fixtures/quality-dev): the example repeats the question's
  // words ("passing --debugger as an option value"); the fix ("restricted by setting
  // HGPLAIN=+strictflags") shares few of them.
  const scripting = readFileSync(
    new URL('../fixtures/quality-dev/corpora/mercurial-help/docs/scripting.txt', import.meta.url),
    'utf8'
  )
    .split('\n')
    .slice(84, 109)
    .join('\n');
  const report = await write(
    "A value my script passes to hg -r could be '--debugger'. How do I stop hg from treating such values as global options?",
    [passage('scripting.txt#L85-L109', 'Command-line Flags', excerpt(scripting, 1200)), MINISEARCH_USE]
  );
  assert.match(report.summary, /strictflags/, report.summary);
});

test('no sentence is said twice: of two passages that say the same, the summary quotes one', async () => {
  const report = await write('What are the two most used option types in commander?', [
    QUICK_START,
    OPTION_TYPES,
  ]);
  assert.equal(report.summary.match(/two most used option types/g)?.length, 1, report.summary);
  assert.equal(new Set(sentences(report.summary).map((s) => s.text)).size, sentences(report.summary).length);
});

test('a checklist: sections of "- [ ] " items, each citing its passage; the summary stays prose', async () => {
  const report = await write(
    'How do I make an option required in commander?',
    [REQUIRED, VERSION, QUICK_START],
    'checklist'
  );
  const body = report.markdown.split('\n').filter((l) => l.trim());
  const items = body.filter((l) => l.startsWith('- [ ] '));
  assert.ok(items.length >= 2, report.markdown);
  for (const line of body)
    assert.match(line, /^(?:## .+|- \[ \] .+ \[commander-README\.md#L\d+-L\d+\])$/, line);
  assert.doesNotMatch(report.summary, /- \[ \]/);
});

test('follow-ups ask about what the evidence states but leaves unexplained', async () => {
  const report = await write('How do I make an option required in commander?', [REQUIRED, VERSION]);
  for (const q of report.followUps) assertQuestion(q);
  assert.ok(
    report.followUps.some((q) => /value after parsing/.test(q)),
    `the condition "must have a value after parsing" is asked about: ${report.followUps.join(' | ')}`
  );
});

test('evidence that does not answer: the summary says so and names what it covers, quoting nothing unrelated', async () => {
  const report = await write('How do I enable fuzzy search in MiniSearch?', [REQUIRED, VERSION, ZLIB_CHUNK]);
  assert.match(report.summary, /does not answer/);
  assert.match(report.summary, /Required option|Version option|zlib/);
  for (const p of [REQUIRED, VERSION, ZLIB_CHUNK])
    for (const s of sentences(report.summary))
      assert.ok(!p.excerpt.includes(s.text), `not quoted: ${s.text}`);
  for (const q of report.followUps) assertQuestion(q);
});

test('a question of several sentences that the evidence does not answer is named, not quoted', async () => {
  const report = await write('Fuzzy search finds nothing for me. How do I enable it in MiniSearch?', [
    REQUIRED,
    VERSION,
    ZLIB_CHUNK,
  ]);
  assert.match(report.summary, /^The evidence found does not answer the question directly\./);
  assert.doesNotMatch(report.summary, /Fuzzy search finds nothing/);
});

test('a plain prompt that lists passages as "[sourceId] title: text" lines is answered with those ids', async () => {
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'offline', maxRetries: 0 });
  const response = await client.responses.create({
    model: 'offline',
    instructions: 'Answer the research question from the passages only; cite each claim with its [sourceId].',
    input:
      'Research question: How do I make an option required in commander?\n\nPassages:\n' +
      [VERSION, REQUIRED].map((p) => `[${p.sourceId}] ${p.title}: ${p.excerpt}`).join('\n\n'),
  });
  const [first] = sentences(response.output_text);
  assert.match(first!.text, /requiredOption\(\)/);
  assert.equal(first!.id, REQUIRED.sourceId);
});

test('the same brief gives the same report', async () => {
  const evidence = [QUICK_START, REQUIRED, VERSION];
  assert.deepEqual(
    await write('How do I make an option required in commander?', evidence),
    await write('How do I make an option required in commander?', evidence)
  );
});
