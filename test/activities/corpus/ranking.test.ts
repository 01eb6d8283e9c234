import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clearCorpusMemo, loadCorpus, prepareCorpus, searchCorpus } from '../../../src/activities/corpus.js';
import { QUESTION_WEIGHT, weightedQuery } from '../../../src/activities/corpus/query.js';
import { MAX_WORDS } from '../../../src/activities/corpus/passages.js';
import { PassageIndex } from '../../../src/activities/corpus/search-index.js';
import { writeCorpus } from './write-corpus.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-ranking-test-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

const corpus = (name: string, files: Record<string, string>) => writeCorpus(scratch, name, files);

/** Ordinary prose on a topic, distinct per call. */
const about = (topic: string, n = 3) =>
  Array.from(
    { length: n },
    (_, i) => `Notes ${i} on ${topic} cover setup, defaults and common mistakes.`
  ).join(' ');

const installDocs = {
  'install.md': [
    '# Installing the tools',
    '',
    '## From source',
    '',
    'Build the server with make and copy the binary into place; the build needs a C compiler. ' +
      about('builds'),
    '',
    '## With the Python wheel',
    '',
    'The CLI is also installed from a Python wheel by the setup script, which needs python3 and pip. ' +
      about('wheels'),
  ].join('\n'),
  'server.md': '# Server\n\n' + about('the server installation and its binary', 4),
  'cli.md': '# CLI\n\n' + about('the CLI installation and its commands', 4),
};

describe('the question keeps its distinctive terms', () => {
  test('a word the planner dropped still finds the answer passage', async () => {
    const root = corpus('install', installDocs);
    const query = 'CLI installation';
    const question = 'Where does the CLI come from, and does it need pip?';
    const without = await searchCorpus({ corpus: root, query });
    assert.doesNotMatch(without.results[0]?.excerpt ?? '', /pip/, 'the planner query alone misses it');
    const withQuestion = await searchCorpus({ corpus: root, query, question });
    assert.match(withQuestion.results[0]?.excerpt ?? '', /needs python3 and pip/);
    assert.equal(withQuestion.results[0]?.title, 'With the Python wheel');
  });

  test('question terms are chosen by rarity and weigh less than the planner terms', async () => {
    const root = corpus('install', installDocs);
    const c = await loadCorpus(root);
    const q = weightedQuery(
      c.index,
      'server binary',
      'How do I install the server binary with pip and notes?'
    );
    const weight = new Map(q.terms.map((t) => [t.term, t.weight]));
    assert.equal(weight.get('server'), 1);
    assert.equal(weight.get('pip'), QUESTION_WEIGHT, 'a rare question term is added at a lower weight');
    assert.ok(QUESTION_WEIGHT < 1);
    assert.ok(!weight.has('note'), 'a term found in nearly every passage is not added');
    assert.ok(!weight.has('how') && !weight.has('do'), 'stop words are not terms');
  });

  test('the planner terms still steer: different queries with the same question give different tops', async () => {
    const root = corpus('install', installDocs);
    const question = 'How are the server and the CLI installed, and does it need pip?';
    const server = await searchCorpus({ corpus: root, query: 'server build make binary', question });
    const cli = await searchCorpus({ corpus: root, query: 'CLI commands', question });
    assert.notEqual(server.results[0]?.sourceId, cli.results[0]?.sourceId);
  });
});

describe('spellings', () => {
  test('a British spelling finds the American one, and a word spelled as asked ranks above its other spelling', async () => {
    const licensed = (name: string) =>
      `# ${name}\n\n## License\n\nThis program is free software under the GNU General Public License; see the License for details. ${about(`the ${name} license`, 2)}`;
    const root = corpus('spellings', {
      'frob/README.md': `# Frob\n\n## About\n\nThe frob library is released under the MIT Licence, see the copyright file. ${about('frobbing', 2)}`,
      'frob/copyright.md': licensed('frob'),
      'tools/copyright.md': licensed('tools'),
      'tools/usage.md': `# Usage\n\n## Groups\n\nTo restore the old behavior, set LEGACY_GROUPS=yes in the configuration. ${about('groups', 2)}`,
      'tools/other.md': `# Other\n\n## Colors\n\nOld terminals show fewer colors. ${about('terminals', 2)}`,
    });
    const licence = await searchCorpus({ corpus: root, query: 'frob licence', limit: 3 });
    assert.equal(
      licence.results[0]?.path.endsWith('frob/README.md'),
      true,
      licence.results.map((h) => h.sourceId).join(', ')
    );
    const behaviour = await searchCorpus({ corpus: root, query: 'restore old behaviour', limit: 3 });
    assert.equal(
      behaviour.results[0]?.path.endsWith('tools/usage.md'),
      true,
      behaviour.results.map((h) => h.sourceId).join(', ')
    );
  });
});

describe('near-synonyms', () => {
  test('the word the documentation uses for the query word finds its passage, below the word itself', async () => {
    const root = corpus('synonyms', {
      'limits.md': [
        '# Limits',
        '',
        '## Queue',
        '',
        'The maximum size of the queue is set with queueSize. ' + about('queues'),
        '',
        '## Logs',
        '',
        'Log lines are written to the log file. ' + about('logging'),
      ].join('\n'),
      'other.md': '# Other\n\n' + about('the queue and its consumers', 4),
    });
    const r = await searchCorpus({ corpus: root, query: 'cap queue' });
    assert.match(r.results[0]?.excerpt ?? '', /maximum size of the queue/, '"cap" is met by "maximum"');
    const q = weightedQuery((await loadCorpus(root)).index, 'cap queue');
    const weight = (t: string) => q.terms.find((x) => x.term === t)?.weight;
    assert.equal(weight('cap'), 1);
    assert.equal(weight('maximum'), 0.5, 'a near-synonym weighs half the word asked for');
    assert.equal(weight('queu'), 1, 'stemmed as the index stems');
  });

  test('a compound written in one word finds it written in two', async () => {
    const root = corpus('compounds', {
      'fsck.md': `# Checking\n\n## Damage\n\nTo repair a damaged file system, run the checker from a rescue disk. ${about('disks', 2)}`,
      'roof.md': `# Roof\n\n## Repairs\n\nRepair the roof before winter; a repair in spring costs more. ${about('repairs of roofs', 2)}`,
    });
    const r = await searchCorpus({ corpus: root, query: 'filesystem repair', limit: 3 });
    assert.equal(path.basename(r.results[0]!.path), 'fsck.md', r.results.map((h) => h.sourceId).join(', '));
  });

  test('the question is read in documentation\'s words: "what comes back" asks what a call returns', async () => {
    const root = corpus('synonyms-idioms', {
      'calls.md': [
        '# Calls',
        '',
        '## Results',
        '',
        'Each call returns zero on failure and one on success. ' + about('results'),
        '',
        '## Retries',
        '',
        'A call that failed is tried again after a pause, then handed back to the queue. ' + about('retries'),
      ].join('\n'),
    });
    const q = weightedQuery((await loadCorpus(root)).index, 'call failed', 'A call failed. What comes back?');
    assert.ok(
      q.terms.some((t) => t.term === 'return'),
      q.terms.map((t) => t.term).join(' ')
    );
    assert.ok(!q.terms.some((t) => t.term === 'back'), 'the particle is not a term of its own');
  });

  test("a thing's two usual names find each other: exit statuses and exit codes, a signal's name and what it says", async () => {
    /** The excerpt of the best passage for a search of a corpus of the two files. */
    const first = async (name: string, files: Record<string, string>, query: string, question: string) =>
      (await searchCorpus({ corpus: corpus(name, files), query, question })).results[0]?.excerpt ?? '';
    const exits = {
      'usage.md':
        '# Usage\n\nfrob returns these exit codes: 126 means the program was found but not usable. ' +
        about('usage'),
      'other.md': '# Other\n\nfrob prints the status of each job when the job exits. ' + about('jobs', 4),
    };
    assert.match(
      await first('two-names-exit', exits, 'frob exit statuses', 'What exit statuses does frob return?'),
      /exit codes: 126/,
      '"exit statuses" is met by "exit codes"'
    );
    assert.match(
      await first('two-names-exit-back', exits, 'frob exit status', 'Which exit status means not usable?'),
      /exit codes/
    );
    assert.match(
      await first(
        'two-names-signal',
        {
          'faults.md':
            '# Faults\n\nfrob raises SIGFPE when available, instead of calling abort, on a division by zero. ' +
            about('faults'),
          'other.md':
            '# Other\n\nA division by zero in frob is reported, then the crash handler runs. ' +
            about('crashes', 4),
        },
        'division by zero floating-point exception signal',
        'A division by zero now kills frob with a floating-point exception signal. Since when?'
      ),
      /raises SIGFPE/,
      '"floating-point exception" is met by "SIGFPE"'
    );
    assert.match(
      await first(
        'two-names-times',
        {
          'options.md':
            "# Options\n\nfrob's new -D option skips timestamp restoration for extracted directories. " +
            about('history'),
          'other.md':
            '# Other\n\nfrob sets the modes and owners of extracted files and directories. ' +
            about('modes', 4),
        },
        'frob extract modification times directories',
        "I don't want frob to set the modification times of the directories it extracts."
      ),
      /timestamp restoration/,
      '"modification times" is met by "timestamp"'
    );
    assert.match(
      await first(
        'two-names-urandom',
        {
          'news.md': '# News\n\nNew global config option "only-urandom" for frob. ' + about('changes'),
          'other.md':
            '# Other\n\nfrob reads the frob configuration from one file at start. ' + about('files', 4),
        },
        'frob non-blocking random device',
        "How do I make every program take frob's entropy only from the kernel's non-blocking random device?"
      ),
      /only-urandom/,
      '"non-blocking random device" is met by "urandom"'
    );
    assert.match(
      await first(
        'two-names-arch',
        {
          'readme.md':
            '# Problems\n\nOn AArch64 the frob test suite fails with -O3; use -O2. ' + about('builds'),
          'other.md':
            '# Other\n\nThe frob test suite fails on some machines with old compilers. ' + about('tests', 4),
        },
        'frob test suite fails 64-bit ARM',
        'The frob test suite fails when we build it for 64-bit ARM. What should we do?'
      ),
      /On AArch64/,
      '"64-bit ARM" is met by "AArch64"'
    );
    assert.match(
      await first(
        'two-names-rlimit',
        {
          'limits.md':
            '# Limits\n\nfrob does not crash when RLIMIT_NOFILE is set to RLIM_INFINITY. ' + about('changes'),
          'other.md': '# Other\n\nfrob no longer crashes when a file is opened twice. ' + about('files', 4),
        },
        'frob crash open file descriptors limit unlimited',
        'frob crashes when the limit on open file descriptors is set to unlimited. Which version fixes it?'
      ),
      /RLIMIT_NOFILE/,
      'the open-files limit is met by its name'
    );
  });

  test('a process that is killed, crashes or dies: each word finds the others', async () => {
    const root = corpus('synonyms-crash', {
      'failures.md': [
        '# When things fail',
        '',
        'When a worker dies mid-run, its tasks go to another worker. ' + about('failures'),
      ].join('\n'),
      'other.md': '# Other\n\n' + about('workers and their runs', 4),
    });
    const r = await searchCorpus({ corpus: root, query: 'worker killed' });
    assert.match(r.results[0]?.excerpt ?? '', /worker dies mid-run/, '"killed" is met by "dies"');
    const rules = corpus('synonyms-forbid', {
      'rules.md': '# Rules\n\nChanging directories is disallowed in a restricted shell. ' + about('shells'),
      'other.md': '# Other\n\n' + about('restricted shells and their users', 4),
    });
    const f = await searchCorpus({ corpus: rules, query: 'what does a restricted shell forbid' });
    assert.match(f.results[0]?.excerpt ?? '', /is disallowed/, '"forbid" is met by "disallowed"');
    const tty = corpus('synonyms-terminal', {
      'news.md':
        '# News\n\nThe -o option reopens the input as /dev/tty before it runs the command. ' +
        about('options'),
      'other.md': '# Other\n\nThe command reads input from a pipe. ' + about('pipes', 4),
    });
    const t = await searchCorpus({ corpus: tty, query: 'command input terminal' });
    assert.match(t.results[0]?.excerpt ?? '', /dev\/tty/, '"terminal" is met by "tty"');
    const quiet = corpus('synonyms-quiet', {
      'news.md': '# News\n\nThe -d skip action makes frob silently skip directories. ' + about('directories'),
      'other.md': '# Other\n\nFrob reports an error for each directory it cannot read. ' + about('errors', 4),
    });
    const qd = await searchCorpus({ corpus: quiet, query: 'frob quietly directories' });
    assert.match(qd.results[0]?.excerpt ?? '', /silently skip/, '"quietly" is met by "silently"');
    const ram = corpus('synonyms-ram', {
      'news.md':
        '# News\n\nfrob now allocates no more than 75% of physical memory by default. ' + about('sorting'),
      'other.md': '# Other\n\nFrob sorts large files, and frob sorts them fast. ' + about('files', 4),
    });
    const rr = await searchCorpus({ corpus: ram, query: 'frob RAM' });
    assert.match(rr.results[0]?.excerpt ?? '', /physical memory/, '"RAM" is met by "memory"');
    const moved = corpus('synonyms-rename', {
      'news.md': '# News\n\nfrob follows the name of a log if an open log is renamed. ' + about('logs'),
      'other.md': '# Other\n\nfrob shows the log as it grows, and frob shows it whole. ' + about('files', 4),
    });
    const mv = await searchCorpus({ corpus: moved, query: 'frob log moved' });
    assert.match(mv.results[0]?.excerpt ?? '', /is renamed/, '"moved" is met by "renamed"');
  });
});

describe('ranking', () => {
  test('terms next to each other rank above the same terms apart', async () => {
    const root = corpus('proximity', {
      'apart.md':
        '# A\n\nThe retry count is set per queue. Timeouts are logged. The policy file lives in /etc and is read once.',
      'together.md':
        '# B\n\nThe retry policy is set per queue. Timeouts are logged. The count file lives in /etc and is read once.',
    });
    const r = await searchCorpus({ corpus: root, query: 'retry policy' });
    assert.equal(path.basename(r.results[0]!.path), 'together.md');
  });

  test('a command with its one-letter option ("command -p") is searched as one name', async () => {
    // The option's letter is too short to count as a word: without the pair, the passage that says
    // "command" and "path" most wins.
    const items = (topic: string) =>
      Array.from({ length: 1 }, (_, i) => `* Fix ${topic} ${i} in the parser.`).join('\n');
    const root = corpus('command-option', {
      'ChangeLog.md': [
        '# ChangeLog',
        '',
        '## 0.5.8',
        '',
        items('redirection'),
        '* Set command -p path to /usr/sbin:/usr/bin:/sbin:/bin.',
        items('arithmetic'),
      ].join('\n'),
      'path.md':
        '# Lookup\n\nA command is found by searching the directories of the path in order. ' +
        about('lookups', 2),
      ...Object.fromEntries(
        [
          'traps',
          'jobs',
          'aliases',
          'history',
          'prompts',
          'signals',
          'locales',
          'limits',
          'builtins',
          'globbing',
          'quoting',
          'loops',
        ].map((t) => [`${t}.md`, `# ${t}\n\n${about(t, 4)}`])
      ),
    });
    const r = await searchCorpus({ corpus: root, query: 'command -p path' });
    assert.equal(
      path.basename(r.results[0]!.path),
      'ChangeLog.md',
      JSON.stringify(r.results.map((x) => x.sourceId))
    );
  });

  test('a command with its option does not make its passage longer: other searches score it as before', () => {
    const passage = (text: string) => ({
      sourceId: 'a.md#L1-L1',
      rel: 'a.md',
      title: 'A',
      headings: [],
      text,
      doc: 0,
    });
    const docs = [{ rel: 'a.md', title: 'A' }];
    const other = {
      sourceId: 'b.md#L1-L1',
      rel: 'b.md',
      title: 'B',
      headings: [],
      text: 'Unrelated words here.',
      doc: 1,
    };
    const scoreOf = (text: string) =>
      PassageIndex.build([passage(text), other], [...docs, { rel: 'b.md', title: 'B' }]).score([
        { term: 'path', weight: 1 },
      ]).scores[0];
    // "p" alone is too short to count: the two texts differ only by the command-and-option name.
    assert.equal(
      scoreOf('Set command -p path to the default.'),
      scoreOf('Set command p path to the default.')
    );
  });

  test('headings count: a passage under a matching heading ranks first', async () => {
    const root = corpus('headings', {
      'a.md': '# Misc\n\nSome words about queues, and once about eviction of entries.',
      'b.md': '# Cache eviction\n\nEntries leave the store when it is full: the oldest goes first.',
    });
    const r = await searchCorpus({ corpus: root, query: 'cache eviction' });
    assert.equal(path.basename(r.results[0]!.path), 'b.md');
    assert.equal(r.results[0]!.title, 'Cache eviction');
  });

  test('the same text in two files, or repeated in one, is one hit', async () => {
    const section =
      'The frobnicator reads frob.conf at start-up and re-reads it on SIGHUP. ' +
      about('configuration files', 4);
    const root = corpus('dupes', {
      'a/README.md': `# Frob\n\n## Configuration\n\n${section}\n\n## Other\n\n${about('other things', 5)}`,
      'b/README.md': `# Frob copy\n\n## Configuration\n\n${section}`,
      'c.md': `# Notes\n\n## Setup\n\n${section}\n\n## More\n\n${about('more things', 5)}\n\n## Again\n\n${section}`,
    });
    const r = await searchCorpus({ corpus: root, query: 'frob.conf SIGHUP', limit: 10 });
    const holding = r.results.filter((h) => h.excerpt.includes('re-reads it on SIGHUP'));
    assert.equal(holding.length, 1, r.results.map((h) => h.sourceId).join(', '));
  });

  test('a passage whose text another passage holds, as a manual shipped in two formats, is one hit', async () => {
    const section =
      'The frobnicator reads frob.conf at start-up and re-reads it on SIGHUP. ' +
      about('configuration files', 4);
    const root = corpus('copies', {
      // The same manual as two files cut differently: one section here is part of a longer one there.
      'manual.md': `# Frob manual\n\n## Configuration\n\n${section} ${about('reload signals and their handlers', 4)}`,
      'manual/config.txt': `Configuration\n=============\n\n${section}`,
      'other.md': `# Signals\n\n## Reloading\n\nSend SIGHUP to make frob re-read frob.conf; ${about('signal handling', 2)}`,
    });
    const r = await searchCorpus({ corpus: root, query: 'frob.conf SIGHUP', limit: 10 });
    const holding = r.results.filter((h) => h.excerpt.includes('re-reads it on SIGHUP'));
    assert.equal(holding.length, 1, r.results.map((h) => h.sourceId).join(', '));
    assert.ok(
      r.results.some((h) => h.path.endsWith('other.md')),
      'a passage of its own words stays'
    );
  });

  test('the top results are spread over documents', async () => {
    const strong = Array.from(
      { length: 6 },
      (_, i) =>
        `## Part ${i}\n\nThe queue scheduler assigns queue work to workers, part ${i}, with queue weights.`
    ).join('\n\n');
    const root = corpus('diversity', {
      'big.md': `# Queues\n\n${strong}`,
      'other.md': '# Other\n\nAnother document explains how the queue scheduler picks a worker.',
    });
    // A document's first three passages compete on their score alone; its fourth pays a toll.
    const r = await searchCorpus({ corpus: root, query: 'queue scheduler', limit: 4 });
    const files = r.results.map((h) => path.basename(h.path));
    assert.ok(files.includes('other.md'), r.results.map((h) => h.sourceId).join(', '));
    assert.ok(files.filter((f) => f === 'big.md').length >= 2, files.join(', '));
  });

  test('a hit that ends mid-thought reads on into the next passage', async () => {
    // A long paragraph ends with a lead-in too long to be carried over: the steps it announces
    // start the next passage, which does not repeat it.
    // Seven-word sentences: the paragraph with its 37-word lead-in just fits in a passage.
    const preamble = Array.from(
      { length: Math.floor((MAX_WORDS - 45) / 7) },
      (_, i) => `Sentence ${i} of the preamble says little.`
    );
    const leadIn =
      'To enable the turbo encabulator on a machine that has been running for a long while without any ' +
      'maintenance by its operators or by the scheduler that usually takes care of such chores, do the following:';
    const steps = Array.from({ length: 12 }, (_, i) => `- Step ${i}: ${about(`step ${i}`, 3)}`).join('\n');
    const root = corpus('neighbours', {
      'howto.md': `# Howto\n\n${preamble.join(' ')} ${leadIn}\n\n${steps}`,
    });
    const c = await loadCorpus(root);
    const at = c.passages.findIndex((p) => p.text.includes('turbo encabulator'));
    assert.equal(c.passages[at]?.continues, true);
    assert.ok(!c.passages[at]!.text.includes('Step 0:'), 'the steps are in the next passage');
    const r = await searchCorpus({ corpus: root, query: 'enable turbo encabulator' });
    assert.equal(r.results[0]?.sourceId, c.passages[at]!.sourceId);
    assert.match(r.results[0]!.excerpt, /do the following: … - Step 0:/, r.results[0]!.excerpt);
  });
});

describe('index format', () => {
  test('a cache written in another format is never read', async () => {
    const root = corpus('format', { 'a.md': '# A\n\nAlpha text about gardens.' });
    const first = await prepareCorpus({ corpus: root });
    const manifest = path.join(process.env.STEADFAST_DATA_DIR!, 'corpus', first.corpusId, 'manifest.json');
    const data = JSON.parse(readFileSync(manifest, 'utf8')) as { format: string };
    assert.match(data.format, /passages-\d+\/index-\d+/, 'the format names the passage and index versions');
    writeFileSync(manifest, JSON.stringify({ ...data, format: 'steadfast-corpus-v0' }));
    clearCorpusMemo();
    const again = await prepareCorpus({ corpus: root });
    assert.equal(again.corpusId, first.corpusId);
    assert.equal(again.builtIndex, true, 'rebuilt rather than read');
  });
});
