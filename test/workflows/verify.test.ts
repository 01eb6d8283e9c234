import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Citation } from '../../src/common/research-types.js';
import type { Evidence } from '../../src/workflows/citations.js';
import { verifyReport } from '../../src/workflows/research/verify.js';
import { claimsOf, supportOf } from '../../src/workflows/support.js';

const passage = (sourceId: string, excerpt: string, boilerplate = false): Evidence => ({
  sourceId,
  path: `/docs/${sourceId}`,
  title: sourceId,
  excerpt,
  boilerplate,
});
const cite = (n: number, e: Evidence): Citation => ({
  n,
  sourceId: e.sourceId,
  path: e.path,
  title: e.title,
  excerpt: e.excerpt,
});

describe('support score', () => {
  test('a sentence taken from the passage is supported; an unrelated one is not', () => {
    const text = 'The deflate window size is set by windowBits, which ranges from 8 to 15 for zlib streams.';
    assert.ok(supportOf('windowBits ranges from 8 to 15 for zlib streams.', text).score >= 0.8);
    assert.ok(supportOf('Compression levels trade speed for memory on embedded targets.', text).score < 0.3);
  });

  test('a wrong number or identifier makes the score 0 whatever the overlap', () => {
    const text = 'The activity is retried up to 10 attempts, with `maximumInterval` of 30 seconds.';
    const wrong = supportOf('The activity is retried up to 12 attempts.', text);
    assert.equal(wrong.score, 0);
    assert.deepEqual(wrong.missingExact, ['12']);
    assert.equal(supportOf('It uses `maximumBackoff` to cap the retry interval.', text).score, 0);
    assert.ok(supportOf('The activity is retried up to 10 attempts.', text).score > 0.5);
  });

  test('inflections meet: retries/retried, approvals/approved', () => {
    const s = supportOf(
      'Approved tools are retried.',
      'A tool that needs approval is retried once it is approved.'
    );
    assert.ok(s.score >= 0.5, String(s.score));
  });
});

describe('claims of a report', () => {
  test('sentences, list items and table rows are claims with their citations; headings and code are not', () => {
    const md = [
      '## Retries',
      'Activities retry with backoff [1]. The interval doubles each time [1][2].',
      '- Heartbeats detect a dead worker within 5 s [2].',
      '```ts',
      'const x = 1; // not a claim',
      '```',
      '| setting | value |',
      '|---|---|',
      '| attempts | 10 [1] |',
    ].join('\n');
    const claims = claimsOf(md, 'body');
    assert.deepEqual(
      claims.map((c) => c.citations),
      [[1], [1, 2], [2], [], [1]]
    );
    assert.equal(claims[0]!.plain, 'Activities retry with backoff.');
  });
});

describe('verifyReport', () => {
  const good = passage(
    'a.md#L1-L4',
    'Approval pauses the run: the tool call waits until a person approves it through an Update.'
  );
  const other = passage('b.md#L9-L12', 'Streaming sends tokens to the browser as they are generated.');
  const licence = passage(
    'LICENSE#L1-L20',
    'Permission is hereby granted, free of charge, to any person obtaining a copy of this software.',
    true
  );

  test('supported claims pass; an unsupported one is marked in the text and listed', async () => {
    const summary =
      'The tool call waits until a person approves it through an Update [1]. Tokens reach the browser as they are generated [1].';
    const { summary: marked, verification } = await verifyReport(
      { summary, markdown: '' },
      [cite(1, good)],
      new Map([[good.sourceId, good]])
    );
    assert.equal(verification.checked, 2);
    assert.equal(verification.supported, 1);
    assert.equal(verification.unsupported.length, 1);
    assert.match(verification.unsupported[0]!.claim, /^Tokens reach the browser/);
    assert.match(marked, /generated \[1\]\. \(not supported by the cited source\)$/);
    assert.match(marked, /^The tool call waits until a person approves it through an Update \[1\]\. Tokens/);
  });

  test("boilerplate is never a claim's only support", async () => {
    const summary = 'Permission is granted free of charge to any person obtaining a copy [1].';
    const { verification } = await verifyReport(
      { summary, markdown: '' },
      [cite(1, licence)],
      new Map([[licence.sourceId, licence]])
    );
    assert.equal(verification.supported, 0);
    assert.match(verification.unsupported[0]!.note ?? '', /boilerplate/);
  });

  test('release notes support what they say; a licence, contents or navigation never does', async () => {
    // The search flags a changelog as boilerplate (ranked down unless asked for), yet what a NEWS
    // entry says about the software is the project's own statement: quoted, it is supported.
    const news: Evidence = {
      ...passage(
        'NEWS.gz#L63-L117',
        'Add new option --retry-on-host-error to treat local errors as transient.',
        true
      ),
      boilerplateKind: 'changelog',
    };
    const toc: Evidence = {
      ...passage(
        'index.html#L1-L9',
        'Add new option --retry-on-host-error to treat local errors as transient.',
        true
      ),
      boilerplateKind: 'toc',
    };
    const summary = 'Add new option --retry-on-host-error to treat local errors as transient. [1]';
    const fromNews = await verifyReport(
      { summary, markdown: '' },
      [cite(1, news)],
      new Map([[news.sourceId, news]])
    );
    assert.equal(fromNews.verification.supported, 1, JSON.stringify(fromNews.verification.unsupported));
    assert.equal(fromNews.summary, summary);
    const fromToc = await verifyReport(
      { summary, markdown: '' },
      [cite(1, toc)],
      new Map([[toc.sourceId, toc]])
    );
    assert.equal(fromToc.verification.supported, 0);
    assert.match(fromToc.verification.unsupported[0]!.note ?? '', /boilerplate/);
  });

  test("a claim that names the release its passage is filed under is supported by the passage's heading", async () => {
    // Release notes: the writer says which release a quoted item is in; the version is in the
    // heading the passage is under, not in the item's own words.
    const news: Evidence = {
      ...passage(
        'NEWS.gz#L1077-L1084',
        'The new option --exclude-dir excludes directories from a recursive frob.'
      ),
      title: 'Noteworthy changes in release 2.5.4 (2009-02-10) [stable] · Version 2.5.3',
    };
    const summary =
      'The new option --exclude-dir excludes directories from a recursive frob (Version 2.5.3). [1]';
    const { verification } = await verifyReport(
      { summary, markdown: '' },
      [cite(1, news)],
      new Map([[news.sourceId, news]])
    );
    assert.equal(verification.supported, 1, JSON.stringify(verification.unsupported));
    // A release the passage is not under stays unsupported.
    const wrong = summary.replace('2.5.3', '2.6.1');
    const other = await verifyReport(
      { summary: wrong, markdown: '' },
      [cite(1, news)],
      new Map([[news.sourceId, news]])
    );
    assert.equal(other.verification.supported, 0);
  });

  test('an uncited summary sentence is reported and marked', async () => {
    const summary =
      'Streaming sends tokens to the browser as they are generated [2]. Durable agents never lose their work.';
    const { summary: marked, verification } = await verifyReport(
      { summary, markdown: '' },
      [cite(2, other)],
      new Map([[other.sourceId, other]])
    );
    assert.equal(verification.uncitedSummary, 1);
    assert.equal(verification.unsupported[0]!.note, 'cites no source');
    assert.match(marked, /never lose their work\. \(no source cited\)$/);
  });

  test('a citation covers the uncited sentences right before it in its paragraph, and checks them', async () => {
    const memcheck = passage(
      'mc-manual.html#L80-L95',
      'Memcheck keeps track of all heap blocks issued in response to calls to malloc/new et al. So when the program exits, it knows which blocks have not been freed.'
    );
    const evidence = new Map([[memcheck.sourceId, memcheck]]);
    // Split at "et al. So", the two sentences share the one citation that follows them.
    const summary =
      'Memcheck keeps track of all heap blocks issued in response to calls to malloc/new et al. So when the program exits, it knows which blocks have not been freed. [1]';
    const quoted = await verifyReport({ summary, markdown: '' }, [cite(1, memcheck)], evidence);
    assert.equal(quoted.verification.uncitedSummary, 0);
    assert.equal(quoted.verification.unsupported.length, 0, JSON.stringify(quoted.verification.unsupported));
    assert.equal(quoted.summary, summary);
    // Covered is not vouched for: a sentence the passage does not say is still marked.
    const invented =
      'Memcheck rewrites every pointer at exit to find lost blocks. So when the program exits, it knows which blocks have not been freed. [1]';
    const marked = await verifyReport({ summary: invented, markdown: '' }, [cite(1, memcheck)], evidence);
    assert.equal(marked.verification.unsupported.length, 1);
    assert.match(
      marked.summary,
      /^Memcheck rewrites every pointer at exit to find lost blocks\. \(not supported by the cited source\)/
    );
  });

  test('a quotation in brackets does not split its sentence from its citation', async () => {
    const { claimsOf } = await import('../../src/workflows/support.js');
    const claims = claimsOf(
      'Its first answer carries a note ("This is a new conversation. The report is still the context."), shown by the CLI [1]. Next one [2].',
      'summary'
    );
    assert.equal(claims.length, 2, claims.map((c) => c.text).join(' | '));
    assert.deepEqual(claims[0]!.citations, [1]);
  });

  test('a sentence that ends inside its brackets ends at its citation: "…here.) [3] Next… [4]" is two claims', () => {
    const claims = claimsOf(
      "New option -r. (This option was also in frob 2.3, but wasn't announced here.) [3] Paul Eggert contributed support for recursive frob. [4]",
      'summary'
    );
    assert.deepEqual(
      claims.map((c) => [c.plain, c.citations]),
      [
        ['New option -r.', [3]],
        ["(This option was also in frob 2.3, but wasn't announced here.)", [3]],
        ['Paul Eggert contributed support for recursive frob.', [4]],
      ]
    );
  });

  test('a citation marker ends its sentence, though the next one opens with a name in lower case', async () => {
    const locks = passage(
      'locks.html#L9-L11',
      'We optimistically assume that deadlocks are not common in production applications and just wait on the lock for a while before checking for a deadlock.'
    );
    const logging = passage(
      'logging.html#L231-L232',
      'log_lock_waits (boolean): Controls whether a log message is produced when a session waits longer than deadlock_timeout to acquire a lock.'
    );
    const summary =
      'We optimistically assume that deadlocks are not common in production applications and just wait on the lock for a while before checking for a deadlock. [1] log_lock_waits (boolean): Controls whether a log message is produced when a session waits longer than deadlock_timeout to acquire a lock. [2]';
    const claims = claimsOf(summary, 'summary');
    assert.deepEqual(
      claims.map((c) => c.citations),
      [[1], [2]]
    );
    const { summary: marked, verification } = await verifyReport(
      { summary, markdown: '' },
      [cite(1, locks), cite(2, logging)],
      new Map([
        [locks.sourceId, locks],
        [logging.sourceId, logging],
      ])
    );
    assert.equal(verification.unsupported.length, 0, JSON.stringify(verification.unsupported));
    assert.equal(marked, summary);
  });

  test('a sentence about the evidence itself is no claim to check', async () => {
    const summary =
      'The evidence found does not answer "What does rbash forbid?" directly. The closest passages cover PermitRootLogin and changelogs.';
    const { summary: marked, verification } = await verifyReport({ summary, markdown: '' }, [], new Map());
    assert.equal(verification.uncitedSummary, 0);
    assert.equal(marked, summary);
  });

  test('the verifier may confirm a paraphrase the score doubts, never a boilerplate-only claim', async () => {
    const summary = 'A human must sign off before the action runs [1]. Anyone may copy the software [2].';
    const evidence = new Map([
      [good.sourceId, good],
      [licence.sourceId, licence],
    ]);
    const seen: string[] = [];
    const verifier = (async (_agent: unknown, prompt: string) => {
      seen.push(prompt);
      const { claims } = JSON.parse(prompt) as { claims: { id: number }[] };
      return { verdicts: claims.map((c) => ({ id: c.id, supported: true, reason: 'the passage says so' })) };
    }) as never;
    const { verification } = await verifyReport(
      { summary, markdown: '' },
      [cite(1, good), cite(2, licence)],
      evidence,
      { verifier }
    );
    assert.equal(seen.length, 1, 'one verifier call for all doubtful claims');
    assert.equal(verification.method, 'support-score+verifier');
    assert.equal(verification.supported, 1);
    assert.equal(verification.unsupported.length, 1);
    assert.match(verification.unsupported[0]!.note ?? '', /boilerplate/);
  });
});

describe('plain prose for the summary', async () => {
  const { plainProse } = await import('../../src/workflows/plain-text.js');
  test('Markdown syntax is removed, its text and citation markers kept; heading lines are dropped', () => {
    const md =
      '## Approval\n**Approve** the `RunState` through an _Update_ [a.md#L1-L4].\n- see [the docs](https://x.y) | more [2]';
    assert.equal(
      plainProse(md),
      'Approve the RunState through an Update [a.md#L1-L4]. see the docs more [2]'
    );
  });
  test('a shell pipeline keeps its pipe, in inline code or not; table pipes go', () => {
    assert.equal(plainProse('Run xz -dc foo.tar.xz | tar xf - [1]'), 'Run xz -dc foo.tar.xz | tar xf - [1]');
    assert.equal(plainProse('Run `ls -l | wc -l` [1]'), 'Run ls -l | wc -l [1]');
    assert.equal(plainProse('| name | value |\n| --- | --- |\n| a | 1 |'), 'name value a 1');
  });
  test('snake_case identifiers and arithmetic stars are not emphasis', () => {
    assert.equal(plainProse('Set max_attempts to 2 * 3 retries.'), 'Set max_attempts to 2 * 3 retries.');
  });
  test('glob stars in two sentences are not one emphasis spanning them', () => {
    const text =
      "Archives built with the libxx(*.o) style rules need the timestamp. [1] For example, 'lib(*.o)' expands to all members. [2]";
    assert.equal(plainProse(text), text);
    assert.equal(
      plainProse('It is *very* slow and _really_ old [1].'),
      'It is very slow and really old [1].'
    );
  });
  test("tags go, a command's placeholders and the text of inline code stay", () => {
    assert.equal(
      plainProse('Spans go to `<data dir>/traces/<workflowId>.jsonl`; run git reset <commit>. <b>Note</b>'),
      'Spans go to <data dir>/traces/<workflowId>.jsonl; run git reset <commit>. Note'
    );
  });
});
