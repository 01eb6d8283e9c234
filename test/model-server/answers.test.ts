// The writer on reference documentation as manual pages ship it: what a reader needs from the
// summary is the name of the setting, its default, the reason behind a yes or no — whatever the
// question asks for, and each part of a question that asks for two things.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Runner, setTracingDisabled } from '@openai/agents-core';
import { OpenAIProvider } from '@openai/agents-openai';
import OpenAI from 'openai';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';
import { writerAgent } from '../../src/workflows/agents/writer.js';
import { between, corpusDoc, fixtureDoc } from './reference-docs.js';
import { flatten, htmlText, passage, type TestPassage } from './third-party.js';

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

async function summary(question: string, evidence: TestPassage[]): Promise<string> {
  const brief = { question, clarifications: [], evidence };
  const result = await runner.run(
    writerAgent('report', new Set(evidence.map((e) => e.sourceId))),
    JSON.stringify(brief)
  );
  const text = (result.finalOutput as { summary: string }).summary;
  assert.ok(text.length <= 1200, `a summary, not a report: ${text.length} characters`);
  return text;
}

const autovacuumHtml = corpusDoc('postgresql-manual/docs/runtime-config-autovacuum.html');
const entries = (from: string, to: string) => flatten(htmlText(between(autovacuumHtml, from, to)));
const NAPTIME = passage(
  'runtime-config-autovacuum.html#L25-L31',
  '20.10. Automatic Vacuuming',
  entries('<dt id="GUC-AUTOVACUUM-NAPTIME"', '<dt id="GUC-AUTOVACUUM-VACUUM-INSERT-THRESHOLD"')
);
const WORKERS = passage(
  'runtime-config-autovacuum.html#L19-L24',
  '20.10. Automatic Vacuuming',
  entries('<dt id="GUC-AUTOVACUUM-MAX-WORKERS"', '<dt id="GUC-AUTOVACUUM-NAPTIME"')
);

test('an entry of an option list: the summary names the parameter and states its default, not another entry’s', async () => {
  const text = await summary(
    'How long does the autovacuum launcher pause between rounds on a database by default, and which parameter sets that?',
    [WORKERS, NAPTIME]
  );
  assert.match(text, /autovacuum_naptime/, text);
  assert.match(text, /one minute/, text);
  assert.ok(
    text.indexOf('autovacuum_naptime') < text.indexOf('one minute'),
    'the name comes with the default'
  );
  assert.doesNotMatch(text.split('[')[0]!, /three|50 tuples/, 'the first sentence is the entry asked about');
});

const walHtml = corpusDoc('postgresql-manual/docs/runtime-config-wal.html');
const walEntries = (from: string, to: string) => flatten(htmlText(between(walHtml, from, to)));
const CHECKPOINT_ENTRIES = [
  ['GUC-CHECKPOINT-TIMEOUT', 'GUC-CHECKPOINT-COMPLETION-TARGET', 'L112-L115'],
  ['GUC-CHECKPOINT-COMPLETION-TARGET', 'GUC-CHECKPOINT-FLUSH-AFTER', 'L117-L118'],
  ['GUC-CHECKPOINT-FLUSH-AFTER', 'GUC-CHECKPOINT-WARNING', 'L120-L121'],
].map(([from, to, lines]) =>
  passage(
    `runtime-config-wal.html#${lines}`,
    '20.5.2. Checkpoints',
    walEntries(`<dt id="${from}"`, `<dt id="${to}"`)
  )
);

test('two entries lead the summary: each states its own default, the one asked about included', async () => {
  // The best sentence is another setting's default ("The default is 0.9"); the second is the
  // range of the setting asked about, whose default must come with it.
  const text = await summary(
    'By default, how often does the server take an automatic WAL checkpoint, and what is the allowed range of that interval?',
    CHECKPOINT_ENTRIES
  );
  assert.match(text, /30 seconds and one day/, text);
  assert.match(text, /five minutes/, text);
});

const phases = corpusDoc('mercurial-help/docs/phases.txt');
const PHASES_AND_SERVERS = passage(
  'phases.txt#L37-L74',
  'Phases and servers',
  flatten(between(phases, 'Phases and servers', 'Examples\n'))
);

test('sentences on one subject are not repeats of each other: the exception follows the rule', async () => {
  // "not exchanged with the server" and "the identifier may be communicated to the server" share
  // most of their words and say opposite things: the summary needs both.
  const text = await summary(
    'When I push, does the server get to know anything about the changesets I keep secret?',
    [PHASES_AND_SERVERS]
  );
  assert.match(text, /not exchanged with the server/, text);
  assert.match(text, /identifier/, text);
});

const tig = fixtureDoc('tig.1.adoc');
const TIG_ENV = passage(
  'tig.1.adoc#L200-L262',
  'ENVIRONMENT VARIABLES',
  flatten(between(tig, 'ENVIRONMENT VARIABLES\n', 'FILES\n-----'))
);
const TIG_OPTIONS = passage(
  'tig.1.adoc#L34-L95',
  'OPTIONS',
  flatten(between(tig, 'OPTIONS\n-------', 'PAGER MODE'))
);

test('context first, then a short ask: the ask decides, and a definition’s sentence comes with its name', async () => {
  const text = await summary(
    "I'm tired of tig opening files in the editor git uses. Which environment variable makes it use another one?",
    [TIG_OPTIONS, TIG_ENV]
  );
  assert.doesNotMatch(text, /does not answer/, text);
  assert.match(text, /TIG_EDITOR/, text);
  assert.match(text, /GIT_EDITOR|different editor/, 'and what it overrides');
});

const faq = fixtureDoc('curl-FAQ.md');
const FTP_COMMANDS = passage(
  'curl-FAQ.md#L363-L372',
  'How do I tell curl to run custom FTP commands?',
  flatten(between(faq, '## How do I tell curl to run custom FTP commands?', '## How can I disable'))
);
const SERVER = passage(
  'curl-FAQ.md#L1247-L1255',
  'Can I write a server with libcurl?',
  flatten(between(faq, '## Can I write a server with libcurl?', '## Does libcurl use threads?'))
);
const THREADS = passage(
  'curl-FAQ.md#L1256-L1264',
  'Does libcurl use threads?',
  flatten(between(faq, '## Does libcurl use threads?', '## Why does'))
);

test('a yes or no keeps its reason: "No." with what follows, and the sentence that draws the conclusion', async () => {
  const server = await summary('Could I build an HTTP server on top of libcurl?', [THREADS, SERVER]);
  assert.match(server, /^No\. libcurl offers no functions or building blocks/, server);

  const ftp = await summary('Can curl send a custom FTP command without transferring any file at all?', [
    SERVER,
    FTP_COMMANDS,
  ]);
  assert.match(ftp, /do not normally use curl to perform FTP commands without transferring anything/, ftp);
  assert.match(ftp, /Therefore you must always specify a URL/, 'the conclusion comes with its premise');
});

test('a question the text quotes is not an answer, however many of the words asked it repeats', async () => {
  const text = await summary('How should activity retries be configured for a reliable workflow?', [
    passage(
      'comparison.md#L1-L5',
      'Comparison',
      'Question: "How should activity retries and timeouts be configured for reliable workflows?". All three run against the same server.'
    ),
    passage(
      'retries.md#L1-L5',
      'Retries',
      'Activity retries are configured with a retry policy in the activity options: maximumAttempts caps the attempts.'
    ),
  ]);
  assert.doesNotMatch(text, /Question:/, text);
  assert.match(text, /retry policy/, text);
});

test('a summary sentence quoted from a table row opens with a capital; a name in lower case stays as written', async () => {
  const text = await summary('What happens when the model endpoint returns 429?', [
    passage(
      'operations.md#L64-L75',
      'What happens when things fail',
      "| failure | effect |\n|---|---|\n| the model endpoint returns 429 | the call is retried after the server's Retry-After |\n| maxRetries exceeded | the run reports the error |"
    ),
  ]);
  assert.match(text, /^The model endpoint returns 429: the call is retried/, text);
});

test('a short name with a digit ("7z", "v8") is a term of the question; a brand name does not stand in for it', async () => {
  const text = await summary('Can xz open .7z archives?', [
    passage(
      'openssh/README.tun#L1-L5',
      'README.tun',
      'OpenSSH contains support for VPN tunneling using the tun(4) network tunnel pseudo-device. The OpenSSH server simply uses the file /root/.ssh/authorized_keys to restrict the client.'
    ),
    passage(
      'xz/faq.txt#L60-L70',
      'faq.txt',
      'Q: Do XZ Utils support the .7z format? A: No. Use 7-Zip (Windows) or p7zip (POSIX-like systems) to handle .7z files.'
    ),
  ]);
  assert.match(text, /p7zip/, text);
});
