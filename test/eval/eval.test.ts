import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeMiss, formatEvalResult } from '../../bench/eval/format.js';
import { measureRecall } from '../../bench/eval/recall.js';
import type { EvalQuestionResult } from '../../bench/eval/result.js';
import { runEval } from '../../bench/eval/run.js';
import { replayWriter } from '../../bench/eval/writer-replay.js';
import { scoreAnswer } from '../../bench/eval/score.js';
import { checkSets, loadSet, loadSets, type EvalQuestion } from '../../bench/eval/set.js';
import { containsTerm, matchKey, missingTerms } from '../../bench/eval/text.js';
import { UserError } from '../../src/common/errors.js';
import { packageRoot } from '../../src/common/paths.js';
import { testTemporal, type TestTemporal } from '../../src/testing/kit.js';
import { TEST_ENCODER, withEncoderSetting } from '../encoder-setting.js';

/**
 * Floors for the `ci: true` subset (24 questions over the sixteen corpora), set to what the system
 * achieved (offline model, embedded default): first cited 10/10, answered 3/10, recall@5 6/10 on
 * the first three corpora; raised after the answer-first writer and retrieval work to cited 10/10,
 * answered 8/10, recall@5 7/10 — the same figures on repeated runs, the offline model being
 * deterministic. The fourth corpus (debian-tools) added its first util-linux and first GnuPG
 * questions, both answered: 12 / 10 / 9. The fifth and sixth (pip-docs, compression-fonts) added
 * their first question each, by the same rule, neither answered, one retrieved: 14 / 10 / 10. The
 * seventh (sed-xz-openssh) added its first question, cited but neither answered nor retrieved:
 * 15 / 10 / 10. The eighth (dpkg-systemd-openssl) added its first question, cited and retrieved,
 * not answered: 16 / 10 / 11. With the sentence encoder (retrieval and the writer by meaning beside
 * words), measured the same way: 16 / 13 / 11; without it the subset keeps the floors of words alone.
 * The ninth (bash-bc-make) added its first question, cited, neither answered nor retrieved, with the
 * encoder and without: 17 / 13 / 11 and 17 / 10 / 11. The tenth (findutils-tar-xslt) added its
 * first question, cited, answered and retrieved in both modes: 18 / 14 / 12 and 18 / 11 / 12. Then
 * (release notes ranked down less, FAQ and command reading) 18 / 15 / 13 and 18 / 12 / 13. The
 * eleventh (grep-coreutils-e2fs) added its first question, cited, answered and retrieved in both
 * modes: 19 / 16 / 14 and 19 / 13 / 14. The twelfth (apt-expat-mime) added its first question,
 * cited and retrieved in both modes, answered with the encoder: 20 / 17 / 15 and 20 / 13 / 15.
 * The thirteenth (jpeg-png-groff) added its first question, cited, answered and retrieved in both
 * modes: 21 / 18 / 16 and 21 / 14 / 16. Then (a sentence that speaks of an option quoted with
 * the one that names it) 21 / 19 / 16 with the encoder. The fourteenth (adduser-zutty-x11proto)
 * added its first question, cited, neither answered nor retrieved, in both modes: 22 / 19 / 16 and
 * 22 / 14 / 16. The fifteenth (gcc-binutils-tmux) added its first question, cited, answered and
 * retrieved in both modes: 23 / 20 / 17 and 23 / 15 / 17. The sixteenth (gmp-mpfr-dbus-mawk)
 * added its first question, neither cited, answered nor retrieved, in both modes: the floors stay.
 * The seventeenth (patch-cscope-gettext-unzip) added its first question, cited, answered and
 * retrieved in both modes: 24 / 21 / 18 and 24 / 16 / 18. The eighteenth (zip-libgcrypt-less-libxml2)
 * added its first question, cited, answered and retrieved in both modes; with it, a thing's two
 * names in retrieval ("exit status", "exit code") retrieved one more in both modes, and words only
 * that one lost its citation: 25 / 22 / 20 and 24 / 17 / 20. The nineteenth (libc6-xmlsec-readline-ucf)
 * added its first question, cited and retrieved in both modes, answered with the encoder only:
 * 26 / 23 / 21 and 25 / 17 / 21. The twentieth (zstd-sqlite-tzdata-vim) added its first question,
 * cited, answered and retrieved in both modes: 27 / 24 / 22 and 26 / 18 / 22. The twenty-first
 * (curl-libarchive-pcre2-cacerts) added its first question, cited and answered in both modes, not
 * retrieved: 28 / 25 / 22 and 27 / 19 / 22. The twenty-second (passwd-pam-ssh2-jq) added its
 * first question, cited, answered and retrieved in both modes: 29 / 26 / 23 and 28 / 20 / 23.
 * The twenty-third (diffutils-gzip-ed-idn2) added its first question, cited in both modes, not
 * answered, retrieved with the encoder only: 30 / 26 / 24 and 29 / 20 / 23. The twenty-fourth
 * (dash-psmisc-krb5-tasn1) added its first question, cited and retrieved in both modes, not
 * answered: 31 / 26 / 25 and 30 / 20 / 24. The twenty-fifth (debianutils-initsys-jansson-sasl)
 * added its first question, cited, answered and retrieved in both modes: 32 / 27 / 26 and
 * 31 / 21 / 25. Then (a one-word ask searched with its scene) 32 / 28 / 26 with the encoder.
 * The twenty-sixth (p11kit-libcap-kmod-ldap) added its first question, cited and retrieved in both
 * modes, not answered: 33 / 28 / 27 and 32 / 21 / 26. Then (asked how, the way to do what a quoted
 * sentence offers quoted with it) 33 / 29 / 27 and 32 / 22 / 26. The twenty-seventh
 * (slang-pinentry-pango-openjdk) added its first question, cited, answered and retrieved in both
 * modes: 34 / 30 / 28 and 33 / 23 / 27.
 * Raise them as the system improves; never lower them to make a change pass.
 */
const CI_QUESTIONS = 35;
const FLOORS_WORDS = { cited: 33, answered: 23, recallAt5: 27 };
const FLOORS_MEANING = { cited: 34, answered: 30, recallAt5: 28 };

let t: TestTemporal;
before(async () => {
  t = await testTemporal();
});
after(async () => {
  await t?.close();
});

test('matchKey: raw HTML, its extracted text and Markdown reduce to the same key', () => {
  const html =
    'named\n<code class="filename">cachegrind.out.&lt;pid&gt;</code> (where <span>it</span>&#39;s)';
  assert.equal(matchKey(html), matchKey("named cachegrind.out.<pid> (where it's)"));
  assert.equal(matchKey('Set `historySize` to **0**.\n<!-- YAML\nadded: v1 -->'), 'sethistorysizeto0');
  assert.ok(matchKey('<pid> and <commit>').includes('pid'), '<pid> is prose, not an HTML element');
  assert.notEqual(matchKey('exit code 125'), matchKey('exit code 126'));
  // Texinfo's HTML marks abbreviations with the (obsolete but common) acronym element.
  assert.equal(matchKey('don&rsquo;t use <acronym>GCM</acronym> with'), matchKey("don't use GCM with"));
});

test('key terms: case-insensitive, on word boundaries, with | alternatives', () => {
  assert.ok(containsTerm('use --TAGS here', '--tags'));
  assert.ok(!containsTerm('use --tagsfoo', '--tags'));
  assert.ok(!containsTerm('exit 1250', '125'));
  assert.ok(containsTerm('exit(125);', '125'));
  assert.ok(containsTerm('a\ntwenty   million bytes', 'twenty million'));
  assert.ok(containsTerm('example_test.mjs', '_test'));
  assert.ok(!containsTerm('TMPDIR', 'TMP'));
  assert.deepEqual(missingTerms('default: four tries', ['tries', '4|four', 'resolver']), ['resolver']);
  assert.deepEqual(missingTerms('set GLIBCXX\\_FORCE\\_NEW', ['GLIBCXX_FORCE_NEW']), []);
});

test('scoring: cited by path suffix; answered needs every key term and a short summary', () => {
  const q = {
    id: 'q',
    question: 'How many tries?',
    corpus: 'c',
    expectedSource: 'api/dns.md',
    evidence: 'tries',
    keyTerms: ['tries', '4|four'],
  };
  const root = '/corpus';
  const hit = scoreAnswer(q, root, {
    summary: 'The resolver makes 4 tries.',
    citations: [
      { path: '/corpus/api/cli.md' },
      { path: '/corpus/api/dns.md' },
      { path: '/corpus/api/cli.md' },
    ],
  });
  assert.equal(hit.cited, true);
  assert.deepEqual(hit.citedSources, ['api/cli.md', 'api/dns.md']);
  assert.equal(hit.answered, true);
  const wrongFile = scoreAnswer(q, root, { summary: 'four tries', citations: [{ path: '/corpus/dns.md' }] });
  assert.equal(wrongFile.cited, false, 'dns.md is not api/dns.md');
  const long = scoreAnswer(q, root, { summary: `4 tries. ${'x'.repeat(1600)}`, citations: [] });
  assert.equal(long.answered, false, 'a summary over the limit is not an answer');
  assert.deepEqual(long.missingTerms, []);
});

test('a miss line says which file was cited instead, which terms lacked, where the evidence ranked', () => {
  const r: EvalQuestionResult = {
    id: 'q1',
    set: 's',
    question: 'q?',
    corpus: 'c',
    expectedSource: 'faq.html',
    ci: false,
    wallMs: 1000,
    cited: false,
    citedSources: ['dist.news.html'],
    answered: false,
    missingTerms: ['GLIBCXX_FORCE_NEW'],
    summaryChars: 10,
    both: false,
    recall: { hit: false, evidenceRank: 8, fileRank: 1, indexed: true, top: [] },
    summary: '',
  };
  assert.equal(
    describeMiss(r, 1500),
    'cited dist.news.html instead of faq.html · summary lacks "GLIBCXX_FORCE_NEW" · evidence ranked 8 (file first at 1)'
  );
  assert.equal(
    describeMiss(
      { ...r, cited: true, answered: true, both: true, missingTerms: [], recall: { ...r.recall, hit: true } },
      1500
    ),
    undefined
  );
});

test('a malformed set or one that misquotes its file is refused with what to fix', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'eval-set-'));
  const bad = path.join(dir, 'bad.json');
  await writeFile(
    bad,
    JSON.stringify({ questions: [{ id: 'x', question: 'q?', corpus: 'c', keyTerms: [] }] })
  );
  await assert.rejects(loadSet(bad), (err: Error) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /question 1 \(x\): "expectedSource" must be a non-empty string/);
    assert.match(err.message, /"keyTerms" must be a non-empty list/);
    return true;
  });
  const corpus = 'bench/eval/corpora/git-manual/docs';
  const misquoted = path.join(dir, 'misquoted.json');
  const base = { question: 'q?', corpus, expectedSource: 'git-bisect.txt', keyTerms: ['125'] };
  await writeFile(
    misquoted,
    JSON.stringify({
      questions: [
        { ...base, id: 'a', evidence: 'The special exit code 126 should be used' },
        { ...base, id: 'b', evidence: 'exit code 125', expectedSource: 'git-bisect.html' },
        { ...base, id: 'c', evidence: 'exit code 125', keyTerms: ['127|1255', 'gibberish'] },
      ],
    })
  );
  const { errors } = await checkSets([await loadSet(misquoted)]);
  assert.deepEqual(errors, [
    'misquoted/a: the evidence is not in git-bisect.txt (copy it from the file)',
    `misquoted/b: git-bisect.html is not a file of ${corpus}`,
    'misquoted/c: key term "gibberish" does not occur in git-bisect.txt',
  ]);
});

test('evidence in a file formatted for a terminal (groff escapes) is found as the corpus reads it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'eval-grotty-'));
  await mkdir(path.join(dir, 'docs'));
  await writeFile(
    path.join(dir, 'docs', 'manual.txt'),
    'Normally, \u001b[1mman\u001b[22m will try to create cat files.\n'
  );
  const set = path.join(dir, 'set.json');
  const q = { id: 'g', question: 'q?', corpus: path.join(dir, 'docs'), expectedSource: 'manual.txt' };
  await writeFile(
    set,
    JSON.stringify({
      questions: [{ ...q, evidence: 'Normally, man will try to create cat files.', keyTerms: ['cat'] }],
    })
  );
  assert.deepEqual(await checkSets([await loadSet(set)]), { errors: [], warnings: [] });
});

test('the committed sets: 30+ questions over 3+ corpora, each quoting its file, a CI subset spanning them', async () => {
  const sets = await loadSets();
  const questions = sets.flatMap((s) => s.questions);
  const corpora = new Set(questions.map((q) => q.corpus));
  assert.ok(questions.length >= 30, `${questions.length} questions`);
  assert.ok(corpora.size >= 3, `${corpora.size} corpora`);
  for (const c of corpora) {
    assert.ok(existsSync(path.join(packageRoot, c, '..', 'SOURCES.txt')), `${c}/../SOURCES.txt`);
    assert.ok(questions.filter((q) => q.corpus === c).length >= 10, `10+ questions over ${c}`);
  }
  const ci = questions.filter((q) => q.ci);
  assert.equal(ci.length, CI_QUESTIONS);
  assert.equal(new Set(ci.map((q) => q.corpus)).size, corpora.size, 'the CI subset spans every corpus');
  assert.deepEqual(await checkSets(sets), { errors: [], warnings: [] });
});

test('recall@5 finds evidence that straddles two passages, not evidence held by a neighbour alone', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'eval-recall-'));
  const words = (w: string, n: number) => Array.from({ length: n }, (_, i) => `${w}${i % 7}`).join(' ');
  // Three paragraphs of ~150 words: too long to share a passage, so each is one passage.
  await writeFile(
    path.join(dir, 'doc.md'),
    `# Doc\n\n${words('alpha', 140)} The quokka sleeps.\n\nThe wombat digs. ${words('beta', 140)}\n\n` +
      `${words('delta', 140)} The echidna hides.\n`
  );
  await writeFile(path.join(dir, 'other.md'), `# Other\n\n${words('gamma', 60)} quokka wombat\n`);
  const q = (evidence: string): EvalQuestion => ({
    id: 'r',
    question: 'quokka wombat',
    corpus: dir,
    expectedSource: 'doc.md',
    evidence,
    keyTerms: ['x'],
  });
  const straddling = await measureRecall(q('The quokka sleeps. The wombat digs.'), dir);
  assert.deepEqual(
    [straddling.indexed, straddling.hit, straddling.fileRank !== undefined],
    [true, true, true]
  );
  // The third passage matches no query term: its neighbour ranks, but the evidence was not retrieved.
  const neighbour = await measureRecall(q('The echidna hides.'), dir);
  assert.deepEqual([neighbour.indexed, neighbour.hit, neighbour.evidenceRank], [true, false, undefined]);
  const absent = await measureRecall(q('The quokka digs.'), dir);
  assert.deepEqual([absent.indexed, absent.hit], [false, false]);
});

test('the CI subset, run as real research runs, stays at or above the recorded floors', async (ctx) => {
  // Quality as shipped: with the sentence encoder when it is installed (CI installs it; the suite
  // turns it off by default and names it in STEADFAST_TEST_ENCODER).
  const encoder = TEST_ENCODER;
  if (!encoder)
    ctx.diagnostic('SKIPPED PART: no sentence encoder installed — the subset runs on words alone');
  const result = await withEncoderSetting(encoder ?? process.env.STEADFAST_ENCODER, () =>
    runEval({ subset: 'ci', concurrency: 2, temporal: { taskQueue: t.settings.taskQueue } })
  );
  const o = result.overall;
  const FLOORS = encoder ? FLOORS_MEANING : FLOORS_WORDS;
  const report = formatEvalResult(result);
  ctx.diagnostic(`\n${report}`);
  assert.equal(o.questions, CI_QUESTIONS, report);
  for (const s of result.sets) {
    for (const q of s.questions) {
      assert.equal(q.error, undefined, `${q.id}: ${q.error}`);
      assert.ok(q.workflowId, q.id);
    }
  }
  assert.ok(o.cited >= FLOORS.cited, `cited ${o.cited} < floor ${FLOORS.cited}\n${report}`);
  assert.ok(o.answered >= FLOORS.answered, `answered ${o.answered} < floor ${FLOORS.answered}\n${report}`);
  assert.ok(
    o.recallAt5 >= FLOORS.recallAt5,
    `recall@5 ${o.recallAt5} < floor ${FLOORS.recallAt5}\n${report}`
  );
});

test('recorded writer requests replay through the offline model to the same outcome (writer-replay.ts)', async () => {
  const [set] = await loadSets(['bench/eval/sets/node-api.json']);
  const questions = set!.questions.filter((q) => q.ci).slice(0, 2);
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'steadfast-bodies-')), 'bodies.jsonl');
  process.env.STEADFAST_MODEL_BODY_LOG = file;
  let result;
  try {
    result = await runEval({ sets: [{ ...set!, questions }], temporal: { taskQueue: t.settings.taskQueue } });
  } finally {
    delete process.env.STEADFAST_MODEL_BODY_LOG;
  }
  const bodies = (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(bodies.length > questions.length, 'every model request of the runs was recorded');
  const replayed = await replayWriter(bodies, questions);
  assert.deepEqual(
    replayed.map((r) => [r.id, r.answered, r.missing]),
    result.sets[0]!.questions.map((q) => [q.id, q.answered, q.missingTerms])
  );
});
