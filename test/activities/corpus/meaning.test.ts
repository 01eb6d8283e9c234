// Retrieval by meaning beside words: the fusion rule on a given meaning score, and the real
// sentence encoder (installed by `npm run encoder`; CI installs it) on a corpus whose answer is
// worded differently from the question.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadCorpus, prepareCorpus, searchCorpus } from '../../../src/activities/corpus.js';
import { passageWindows } from '../../../src/activities/corpus/meaning-index.js';
import { weightedQuery } from '../../../src/activities/corpus/query.js';
import { rank } from '../../../src/activities/corpus/rank.js';
import { encoderDir, sharedEncoder } from '../../../src/common/encoder/sentence-encoder.js';
import { writeCorpus } from './write-corpus.js';
import { TEST_ENCODER, withEncoderSetting } from '../../encoder-setting.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-meaning-test-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

// The suite turns the encoder off by default and names the installed one for the tests that use it.
if (TEST_ENCODER) process.env.STEADFAST_ENCODER = TEST_ENCODER;

const NO_ENCODER = encoderDir()
  ? false
  : 'SKIPPED: no sentence encoder (not installed, or STEADFAST_ENCODER=off; `npm run encoder` installs it, CI does) — retrieval by meaning is not checked';

const corpus = (name: string, files: Record<string, string>) => writeCorpus(scratch, name, files);

const OPTIONS_FILES: Record<string, string> = {
  'options.md': [
    '# Command-line options',
    '## --max-old-space-size=SIZE',
    'Sets the size of the old generation of the V8 heap, in megabytes. When the heap approaches it, V8 collects garbage more often, and a process that still needs more is stopped. On a machine with two gigabytes, a value of 1536 leaves room for the rest of the system.',
    '## --inspect',
    'Activates the inspector on host:port. The program then waits for a debugger to attach; memory snapshots and CPU profiles can be taken from it. The default port is 9229, and the inspector listens on the loopback interface only unless told otherwise.',
    '## --trace-warnings',
    'Prints stack traces for process warnings, including deprecations. Useful for finding which program line emitted a warning about memory, a listener leak or an experimental feature, since the warning alone does not say where it came from.',
    '## --title=TITLE',
    'Sets the process title on startup, as tools such as ps and top show it. Without it the title is the path of the executable, which makes several running copies hard to tell apart.',
  ].join('\n\n'),
  'install.md':
    '# Installing\n\nDownload the archive for your platform, unpack it and put the bin directory on your PATH. Package managers also carry it.\n',
  'faq.md':
    '# Questions\n\n## Why is my program slow?\n\nMost slow programs wait on the disk or the network. Profile before you change anything.\n',
};
const OPTIONS = corpus('options', OPTIONS_FILES);
const QUESTION = 'How do I limit how much memory my program can use?';

test('fusion: a passage close in meaning rises inside the documents the words found, not elsewhere', async () => {
  const c = await loadCorpus(OPTIONS);
  const q = weightedQuery(c.index, QUESTION);
  const byTitle = (t: string) => c.passages.findIndex((p) => p.title.includes(t));
  const heap = byTitle('--max-old-space-size');
  const slow = byTitle('Why is my program slow');
  const install = byTitle('Installing');
  const words = rank(c, q, 5).map((h) => h.id);
  assert.ok(words.indexOf(heap) > 0, 'on words alone another passage leads');
  // Meaning scores: the heap passage and the installation notes (another document, sharing no
  // word with the question) are the closest; everything else far.
  const meaning = new Float32Array(c.passages.length).fill(0.1);
  meaning[heap] = 0.9;
  meaning[install] = 0.95;
  const fused = rank(c, q, 5, meaning).map((h) => h.id);
  assert.equal(fused[0], heap, 'the passage that means the answer leads');
  assert.ok(
    !fused.slice(0, 2).includes(install),
    'a document the words did not find gains nothing by meaning'
  );
  assert.ok(fused.includes(slow), 'word matches stay among the results');
});

test('fusion: a passage close in meaning keeps its word score, however far down the words ranked it', async () => {
  // The question's words in every section of one guide (common, so each weighs little), and a
  // second document that has none of them.
  const sections = Array.from(
    { length: 120 },
    (_, i) =>
      `## Pool ${i}\n\nMemory pool ${i} of the program hands out memory blocks of one size to the threads that ask for them; freed memory returns to pool ${i} for reuse, and the limit of a pool is how much memory it may ask the system for.`
  );
  const other = Array.from(
    { length: 300 },
    (_, i) =>
      `## Table ${i}\n\nTable ${i} holds rows and columns of values; an index on a column speeds up lookups by key, at the cost of slower writes, since every insert and update of that column also updates the index.`
  );
  const root = corpus('far-down', {
    'pools.md': ['# Pools', ...sections].join('\n\n'),
    'tables.md': ['# Tables', ...other].join('\n\n'),
    'limits.md': [
      '# Limits',
      '## Memory limit',
      'The memory limit of the program: how much memory the program may take, the sum of the memory of its pools, limited by the limit of each pool on how much memory it may take.',
      '## Tables',
      'Tables hold rows and columns of values; an index on a column speeds up lookups by key, at the cost of slower writes, since every insert and update of that column also updates the index.',
      '## Reserve',
      'The program reserves space once, with the --reserve flag at start-up: past it, new requests for space fail at once instead of waiting, so that one runaway job cannot starve the others on the host.',
    ].join('\n\n'),
  });
  const c = await loadCorpus(root);
  const q = weightedQuery(c.index, QUESTION);
  const inLimits = (t: string) => c.passages.findIndex((p) => p.rel === 'limits.md' && p.title.includes(t));
  const reserve = inLimits('Reserve');
  const tables = inLimits('Tables');
  const { scores, touched } = c.index.score(q.terms);
  const below = touched.filter((id) => scores[id]! > scores[reserve]!).length;
  assert.ok(scores[reserve]! > 0 && below >= 100, `on words alone it is far down (${below} above it)`);
  const meaning = new Float32Array(c.passages.length).fill(0.1);
  meaning[reserve] = 0.9;
  meaning[tables] = 0.9;
  const fused = rank(c, q, 10, meaning).map((h) => h.id);
  assert.ok(fused.includes(reserve) && fused.includes(tables), 'both join the results');
  assert.ok(
    fused.indexOf(reserve) < fused.indexOf(tables),
    'it ranks above a passage as close in meaning that shares no word with the question'
  );
});

test('windows: a long passage is read in overlapping windows, each headed by its title', () => {
  const text = Array.from({ length: 140 }, (_, i) => `w${i}`).join(' ');
  const windows = passageWindows({ title: 'Options › Heap', text });
  assert.equal(windows.length, 2);
  assert.ok(windows.every((w) => w.startsWith('Options › Heap: ')));
  assert.match(windows[0]!, /w0 .* w79$/);
  assert.match(windows[1]!, /: w60 .* w139$/);
  assert.deepEqual(passageWindows({ title: '', text: 'one short passage' }), ['one short passage']);
});

test(
  'the encoder: texts that mean the same are closer than texts that share words',
  { skip: NO_ENCODER },
  async () => {
    const encoder = await sharedEncoder()!;
    const v = await encoder.encode([
      'How do I stop git from asking for my password every time?',
      'Use a credential helper to cache what you typed for fifteen minutes.',
      'Every time the program starts it prints the time.',
    ]);
    const d = encoder.dimensions;
    const dot = (a: number, b: number) =>
      v.subarray(a * d, a * d + d).reduce((s, x, k) => s + x * v[b * d + k]!, 0);
    assert.ok(Math.abs(dot(0, 0) - 1) < 1e-4, 'unit vectors');
    assert.ok(dot(0, 1) > dot(0, 2) + 0.1, `credential helper ${dot(0, 1)} vs shared words ${dot(0, 2)}`);
  }
);

test(
  'the encoder gives a text the same vector whatever it is encoded with',
  { skip: NO_ENCODER },
  async () => {
    const encoder = await sharedEncoder()!;
    const text = 'Sets the size of the old generation of the V8 heap, in megabytes.';
    const alone = await encoder.encode([text]);
    const companions = [
      'Short.',
      'A much longer text that makes every batch it sits in wider, with numbers like 9229 and 1536 and symbols: --inspect=host:port.',
    ];
    const together = await encoder.encode([...companions, text]);
    assert.deepEqual(together.subarray(2 * encoder.dimensions), alone);
  }
);

test(
  'search by meaning: the answer worded differently from the question ranks above word matches',
  { skip: NO_ENCODER },
  async () => {
    const prepared = await prepareCorpus({ corpus: OPTIONS });
    const { results } = await searchCorpus({ corpus: OPTIONS, query: QUESTION, limit: 5 });
    const titles = results.map((r) => r.title);
    const heap = titles.findIndex((t) => t.includes('--max-old-space-size'));
    const inspect = titles.findIndex((t) => t.includes('--inspect'));
    assert.ok(heap >= 0 && heap < inspect, titles.join(' | '));
    // The vectors are cached by what was encoded: one file of windows × dimensions floats.
    assert.ok(prepared.corpusId);
    const files = vectorFiles();
    assert.equal(files.length, 1, files.join(', '));
    const c = await loadCorpus(OPTIONS);
    const windows = c.passages.reduce((n, p) => n + passageWindows(p).length, 0);
    assert.equal(statSync(files[0]!).size, windows * 384 * 4);
  }
);

test(
  'search by meaning: a corpus with the same passages under another id reuses the vectors, not encoding them again',
  { skip: NO_ENCODER },
  async () => {
    const first = await searchCorpus({ corpus: OPTIONS, query: QUESTION, limit: 5 });
    const [file] = vectorFiles();
    assert.ok(file);
    const written = statSync(file).mtimeMs;
    // The same files plus one without readable text: another corpus id, the same passages (as after
    // a new word-index format).
    const copy = corpus('options-copy', { ...OPTIONS_FILES, 'empty.md': '' });
    const [a, b] = await Promise.all([loadCorpus(OPTIONS), loadCorpus(copy)]);
    assert.notEqual(a.corpusId, b.corpusId);
    const { results } = await searchCorpus({ corpus: copy, query: QUESTION, limit: 5 });
    assert.deepEqual(
      results.map((r) => r.title),
      first.results.map((r) => r.title)
    );
    assert.deepEqual(vectorFiles(), [file]);
    assert.equal(statSync(file).mtimeMs, written, 'not written again');
  }
);

/** Every vector file under the data folder's corpus cache. */
function vectorFiles(): string[] {
  const root = path.join(process.env.STEADFAST_DATA_DIR!, 'corpus');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.f32')) out.push(p);
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

test('STEADFAST_ENCODER=off matches words only', async () => {
  await withEncoderSetting('off', async () => {
    assert.equal(encoderDir(), undefined);
    const { results } = await searchCorpus({ corpus: OPTIONS, query: QUESTION, limit: 5 });
    assert.ok(!results[0]!.title.includes('--max-old-space-size'), results.map((r) => r.title).join(' | '));
  });
});
