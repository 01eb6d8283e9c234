import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_WORDS, toPassages, type StoredPassage } from '../../../src/activities/corpus/passages.js';
import { htmlToLines } from '../../../src/activities/corpus/html.js';
import { textBlocks } from '../../../src/activities/corpus/text-blocks.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function markdown(text: string, rel = 'doc.md'): StoredPassage[] {
  return toPassages(rel, { kind: 'lines', title: rel, markdown: true, lines: text.split('\n') }, 0);
}

function plain(text: string, rel = 'doc.txt'): StoredPassage[] {
  return toPassages(rel, { kind: 'lines', title: rel, markdown: false, lines: text.split('\n') }, 0);
}

/** Sentences that are all different, so that a cut can be located. */
const prose = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => `The ${tag} sentence number ${i} explains one more detail.`).join(' ');

/** The passage that holds `needle` whole; fails when it is cut or missing. */
function holding(passages: StoredPassage[], needle: string): StoredPassage {
  const found = passages.find((p) => p.text.includes(needle));
  assert.ok(found, `no passage holds ${JSON.stringify(needle.slice(0, 80))} whole`);
  return found;
}

describe('structure-aware passages', () => {
  test("a heading keeps a placeholder and a header's name; only its tags go", () => {
    const body = prose('heading', 3);
    const titles = markdown(
      [
        '# Guide',
        '',
        '## `NO_COLOR=<any>`',
        '',
        body,
        '',
        '## The <errno.h> header',
        '',
        body,
        '',
        '## Using <b>bold</b> text',
        '',
        body,
      ].join('\n')
    ).map((p) => p.title);
    for (const want of ['NO_COLOR=<any>', 'The <errno.h> header', 'Using bold text'])
      assert.ok(
        titles.some((t) => t.endsWith(want)),
        `${want} in ${JSON.stringify(titles)}`
      );
  });

  test('never split a paragraph, list item, table row or code block', () => {
    const items = Array.from(
      { length: 14 },
      (_, i) => `- item ${i} says ${prose(`item${i}`, 1)}\n  and continues on a second line ${i}.`
    );
    const rows = Array.from(
      { length: 30 },
      (_, i) => `| row${i} | value ${i} with several words in it | yes |`
    );
    const code = Array.from({ length: 60 }, (_, i) => `const v${i} = compute(${i}, 'some text here');`);
    const doc = [
      '# Guide',
      '',
      '## Options',
      '',
      prose('intro', 6),
      '',
      'The configuration has the following keys:',
      '',
      ...items,
      '',
      '| key | meaning | required |',
      '|---|---|---|',
      ...rows,
      '',
      '```js',
      ...code,
      '```',
      '',
      prose('closing', 8),
    ].join('\n');
    const passages = markdown(doc);
    assert.ok(passages.length >= 5, `${passages.length} passages`);
    for (const p of passages)
      assert.ok(words(p.text) <= MAX_WORDS + 5, `${p.sourceId}: ${words(p.text)} words`);
    for (const item of items) holding(passages, item);
    for (const row of rows) holding(passages, row);
    holding(passages, prose('intro', 6));
    holding(passages, prose('closing', 8));
    // Every piece of the cut table starts with its header; every piece of the cut code is fenced.
    for (const p of passages.filter((x) => x.text.includes('| row')))
      assert.match(p.text, /\| key \| meaning \| required \|\n\|---\|---\|---\|/);
    const codePieces = passages.filter((x) => x.text.includes('const v'));
    assert.ok(codePieces.length >= 2, 'the long code block is cut');
    for (const p of codePieces) assert.equal((p.text.match(/```/g) ?? []).length % 2, 0, p.text);
    for (const line of code) holding(passages, line);
  });

  test('a passage carries its heading path as its title and in its headings', () => {
    const passages = markdown(
      [
        '# OpenAI Agents SDK Integration',
        '',
        prose('intro', 4),
        '',
        '## Workflow runner',
        '',
        prose('runner', 5),
        '',
        '### Run state and approvals',
        '',
        'The runner accepts a serialized state so that human approval flows can pause and resume.',
      ].join('\n')
    );
    const approvals = holding(passages, 'human approval flows');
    assert.equal(approvals.title, 'Workflow runner › Run state and approvals');
    assert.deepEqual(approvals.headings, [
      'OpenAI Agents SDK Integration',
      'Workflow runner',
      'Run state and approvals',
    ]);
    assert.equal(holding(passages, 'runner sentence number 0').title, 'Workflow runner');
  });

  test('a long section is cut with overlap: the next passage starts with the last sentence', () => {
    const paragraphs = Array.from({ length: 8 }, (_, i) => prose(`p${i}`, 4));
    const passages = markdown(['# Doc', '', '## Long section', '', paragraphs.join('\n\n')].join('\n'));
    assert.ok(passages.length >= 2);
    const second = passages[1]!;
    assert.ok(second.lead && second.lead > 0, 'the second passage carries a lead');
    const carried = second.text.slice(0, second.lead).replace(/^…\s*/, '').trim();
    assert.ok(passages[0]!.text.includes(carried), `"${carried}" comes from the first passage`);
    assert.equal(second.title, 'Long section', 'the heading path is carried into the continuation');
  });

  test('a lead-in stays with the list it introduces, and a cut list repeats it', () => {
    const items = Array.from({ length: 30 }, (_, i) => `- step ${i}: ${prose(`s${i}`, 1)}`);
    const passages = markdown(
      ['# Doc', '', prose('before', 12), '', 'The plugin does the following things:', '', ...items].join('\n')
    );
    const first = holding(passages, 'step 0:');
    assert.match(first.text, /The plugin does the following things:\n\n- step 0:/);
    const later = holding(passages, 'step 29:');
    assert.notEqual(later, first);
    assert.match(
      later.text,
      /^The plugin does the following things:/,
      'the continuation is led by the lead-in'
    );
  });

  test('the few lines left over at the end of a cut section join the passage before them', () => {
    const items = Array.from({ length: 6 }, (_, i) => `- ${prose(`item${i}`, 4)}`).join('\n');
    const passages = markdown(
      `# Guide\n\n## Problems\n\n${items}\n\nFor all these reasons, the old mode is deprecated.\n\n## Next\n\n${prose('next', 2)}`
    );
    const closing = holding(passages, 'For all these reasons, the old mode is deprecated.');
    assert.ok(words(closing.text) > 40, `a scrap of ${words(closing.text)} words: ${closing.text}`);
    assert.ok(closing.text.includes('item5'), 'joined to the passage it concludes');
    assert.ok(words(closing.text) <= MAX_WORDS + 50);
    assert.ok(!holding(passages, 'The next sentence number 0').text.includes('item5'), 'not across sections');
  });

  test('a passage that ends mid-thought is marked as continued', () => {
    const items = Array.from({ length: 25 }, (_, i) => `- entry ${i}: ${prose(`e${i}`, 1)}`);
    const passages = markdown(['# Doc', '', ...items].join('\n'));
    assert.ok(passages.length >= 2);
    assert.equal(passages[0]!.continues, true, 'a list cut in two continues');
    assert.ok(!passages[passages.length - 1]!.continues);
  });

  test('plain text: underlined and numbered headings make the path; lists keep their lines', () => {
    const passages = plain(
      [
        'FROBNICATOR GUIDE',
        '=================',
        '',
        '1. Configuration',
        '',
        'The configuration file has the following keys:',
        '',
        '  * interval - how often to frob, in seconds',
        '  * widgets  - the widgets to frob; each one',
        '               must exist in /var/lib/frob',
        '',
        '1.1 Examples',
        '',
        'A minimal configuration sets the interval to thirty seconds and names two widgets.',
      ].join('\n')
    );
    const keys = holding(passages, 'must exist in /var/lib/frob');
    assert.match(keys.text, /widgets {2}- the widgets to frob; each one\n\s+must exist/);
    assert.equal(keys.title.split(' · ')[0], '1. Configuration');
    const example = holding(passages, 'A minimal configuration');
    assert.match(example.headings.join(' / '), /1\. Configuration \/ 1\.1 Examples/);
  });

  test('a numbered FAQ: each numbered question heads its answer, however long the question', () => {
    const passages = plain(
      [
        'Frequently Asked Questions about frob',
        '',
        '3.0\tFrob Problems',
        '',
        '3.12\tWhy does frob not report the state of idle widgets?',
        '',
        `\tFrob reports widget state only where the kernel keeps it. ${prose('idle', 60)}`,
        '',
        '3.13\tI am editing a widget with vi; why does frob not find the open widget file?',
        '',
        `\tClassic vi does not keep the file open; it edits a temporary copy. ${prose('vi', 60)}`,
      ].join('\n')
    );
    // An outline-numbered title heads its section even when the section opens with a lower-case name.
    const lower = plain(
      ['4.2.  Compressed cat pages', '', `frobd compresses cat files by default. ${prose('cat', 60)}`].join(
        '\n'
      )
    );
    assert.equal(holding(lower, 'compresses cat files by default').title, '4.2. Compressed cat pages');
    // So does a numbered statement over an answer indented under it, opening with a lower-case name.
    const statement = plain(
      [
        '5. Where is the system-wide configuration?',
        '',
        `   It is /etc/frob.conf. ${prose('conf', 40)}`,
        '',
        '6. frob does not rescan its cache if a widget moves',
        '',
        `   frob remembers where each widget was found. ${prose('cache', 40)}`,
      ].join('\n')
    );
    assert.equal(
      holding(statement, 'remembers where each widget was found').title,
      '6. frob does not rescan its cache if a widget moves'
    );
    const vi = holding(passages, 'edits a temporary copy');
    assert.match(
      vi.title,
      /3\.13 I am editing a widget with vi; why does frob not find the open widget file\?$/
    );
    assert.match(
      holding(passages, 'only where the kernel').title,
      /3\.12 Why does frob not report the state of idle widgets\?$/
    );
  });

  test('an outline NEWS file: star lines that head entries are headings, entries and bullets are not', () => {
    // Emacs outline mode, as GNU projects write their NEWS: "* release", "** topic", entries below.
    const outline = plain(
      [
        'Frob NEWS                                    -*- outline -*-',
        '',
        '* Noteworthy changes in release 9.1 (2022-04-15) [stable]',
        '',
        '** Bug fixes',
        '',
        `  frob -R no longer exits with an error status on symlinks. ${prose('symlink', 60)}`,
        '',
        '** New features',
        '',
        `  frob --stable-order prints entries in a stable order. ${prose('order', 60)}`,
        '',
        '* Noteworthy changes in release 9.0 (2021-09-24) [stable]',
        '',
        '** Changes in behavior',
        '',
        `  frob now reads its configuration once. ${prose('config', 60)}`,
      ].join('\n')
    );
    assert.equal(
      holding(outline, 'The symlink sentence number 50').title,
      'Noteworthy changes in release 9.1 (2022-04-15) [stable] › Bug fixes'
    );
    assert.equal(
      holding(outline, 'The config sentence number 50').title,
      'Noteworthy changes in release 9.0 (2021-09-24) [stable] › Changes in behavior'
    );
    // The same shape without the mode line: a release line over "**" entries. The entries stay
    // items, one-line ones included, and a release's heading never swallows the next release.
    const entryLines = [
      'Frob NEWS -- history of user-visible changes.',
      '',
      '* Changes in Frob 1.21',
      '',
      '** Fix computation of total bytes downloaded (#61277)',
      '',
      '** Add new option `--retry-on-host-error` to treat local errors as transient',
      'and hence Frob will retry to download the file after a brief waiting period.',
      '',
      '* Changes in Frob 1.20',
      '',
      `** Frob now verifies certificates. ${prose('tls', 60)}`,
    ];
    const entries = plain(entryLines.join('\n'));
    const retry = holding(entries, 'retry-on-host-error');
    assert.match(retry.title, /Changes in Frob 1\.21$/);
    assert.ok(!retry.text.includes('Changes in Frob 1.20'), 'the next release is a section of its own');
    assert.equal(holding(entries, 'The tls sentence number 50').title, 'Changes in Frob 1.20');
    const blocks = textBlocks(entryLines);
    assert.deepEqual(
      blocks.filter((b) => b.kind === 'heading').map((b) => b.heading),
      ['Changes in Frob 1.21', 'Changes in Frob 1.20']
    );
    // A bulleted list in ordinary text is still a list.
    const list = textBlocks(['Notes', '', '* First point here', '', '* Second point here']);
    assert.ok(list.every((b) => b.kind !== 'heading' || b.heading === 'Notes'));
  });

  test('older releases of a NEWS file, "Version 2.5.3" flush left over their items, are headings of their own', () => {
    // The newer releases are outline headings; the older ones a bare "Version N" line, with the
    // items right under it or after a blank line, and "Version 2.3:" ending with a colon.
    const lines = [
      'Frob NEWS                                    -*- outline -*-',
      '',
      '* Noteworthy changes in release 2.5.4 (2009-02-10) [stable]',
      '',
      '  - This is a bugfix release. No new features.',
      '',
      'Version 2.5.3',
      '  - The new option --exclude-dir excludes directories from a recursive frob.',
      '  - Numerous bug fixes',
      '',
      'Version 2.5',
      '  - The new option --label names standard input.',
      '',
      `  - ${prose('label', 40)}`,
      '',
      'Version 2.3:',
      '',
      '  - The new -d ACTION option: -d skip causes frob to silently skip directories.',
    ];
    const headings = textBlocks(lines)
      .filter((b) => b.kind === 'heading')
      .map((b) => b.heading);
    assert.deepEqual(headings, [
      'Noteworthy changes in release 2.5.4 (2009-02-10) [stable]',
      'Version 2.5.3',
      'Version 2.5',
      'Version 2.3',
    ]);
    const passages = plain(lines.join('\n'));
    assert.match(holding(passages, '--exclude-dir').title, /Version 2\.5\.3/);
    assert.match(holding(passages, '-d skip causes').title, /Version 2\.3$/);
    // A version named in running text, or a numbered line of a list, is no heading.
    const prosey = textBlocks([
      'Version 2.5 is the last release',
      'that supports frob.',
      '',
      '1.2 Setup',
      '',
      'Text.',
    ]);
    assert.ok(!prosey.some((b) => b.kind === 'heading' && /Version/.test(b.heading ?? '')));
  });

  test('a release line said as the changes of a release ("Changes between Frob version 6.1.* and 6.2.0") heads that release', () => {
    const lines = [
      'Copyright 2020 The Frob Authors.',
      '',
      'Changes between Frob version 6.2.0 and 6.2.1',
      '',
      '  BUGS FIXED',
      '  * A possible overflow is avoided for frob_cmp on huge operands.',
      '',
      'Changes between Frob version 6.1.* and 6.2.0',
      '',
      '  FEATURES',
      '  * New installed files frob.pc and frobxx.pc, for use with pkg-config.',
      '',
      'Changes in 2.40:',
      '',
      '* The linker now accepts --frob-lamp.',
      '',
      'Changes in version 2.7.6:',
      '',
      '* Files in the current directory are frobbed first.',
      '',
      'Noteworthy changes in release 6.1 (2022-12-12)',
      '==============================================',
      '',
      'Changes in frob from 1.07 to 1.07.1.',
      '',
      '  The lamp is lit at dusk.',
    ];
    const headings = textBlocks(lines)
      .filter((b) => b.kind === 'heading')
      .map((b) => b.heading);
    assert.deepEqual(headings, [
      'Changes between Frob version 6.2.0 and 6.2.1',
      'Changes between Frob version 6.1.* and 6.2.0',
      'Changes in 2.40',
      'Changes in version 2.7.6',
      'Noteworthy changes in release 6.1 (2022-12-12)',
      'Changes in frob from 1.07 to 1.07.1',
    ]);
    const passages = plain(lines.join('\n'));
    assert.match(holding(passages, 'frob.pc').title, /6\.1\.\* and 6\.2\.0$/);
    // A sentence about changes is no heading.
    const prosey = textBlocks(['Changes in 2.40 are listed below', 'with their authors.', '', 'Text.']);
    assert.ok(!prosey.some((b) => b.kind === 'heading'));
  });

  test('a table laid out in columns under a rule of dashes is a table: its rows stay rows', () => {
    const lines = [
      'To get the old behaviour an additional option needs to be used:',
      '',
      '       Old frob                  New frob',
      '     -----------------------    ----------------------------',
      '      frob    file(s)    =>    frob -e    file(s)',
      '      frob -s file(s)    =>    frob -s -m file(s)',
      '',
      'Simple tables of reStructuredText have a rule above and below too:',
      '',
      '=====  =========================',
      'Level  Meaning',
      '=====  =========================',
      '0      Nothing is logged.',
      '1      Errors are logged, with the',
      '       file that caused them.',
      '=====  =========================',
    ];
    const tables = textBlocks(lines).filter((b) => b.kind === 'table');
    assert.deepEqual(
      tables.map((t) => t.lines),
      [
        [
          '| Old frob | New frob |',
          '| --- | --- |',
          '| frob file(s) | frob -e file(s) |',
          '| frob -s file(s) | frob -s -m file(s) |',
        ],
        [
          '| Level | Meaning |',
          '| --- | --- |',
          '| 0 | Nothing is logged. |',
          '| 1 | Errors are logged, with the file that caused them. |',
        ],
      ]
    );
    assert.deepEqual(
      tables.map((t) => [t.start, t.end]),
      [
        [3, 6],
        [10, 16],
      ]
    );
    const passage = holding(plain(lines.join('\n')), '| frob -s file(s) | frob -s -m file(s) |');
    assert.match(passage.text, /needs to be used:\n\n\| Old frob/);
    // A line of dashes under a single heading is an underline, not a table.
    const underlined = textBlocks(['Usage', '-----', '', 'Run frob.']);
    assert.ok(underlined.some((b) => b.kind === 'heading' && b.heading === 'Usage'));
  });

  test('a table boxed by full rules, its columns aligned under the header, is a table', () => {
    const lines = [
      'WISHLIST:',
      '--------------------------------------------------------------------',
      'Number Description                                          Status',
      '--------------------------------------------------------------------',
      '230856 please ship a static archive of the lamp library     wontfix',
      '277133 Request for a brighter default bulb                  2.0.1-1',
      '       (the old one was too dim at sea)',
      '--------------------------------------------------------------------',
      '',
      'The keeper reads this list every spring.',
    ];
    const blocks = textBlocks(lines);
    const table = blocks.find((b) => b.kind === 'table');
    assert.deepEqual(table?.lines, [
      '| Number | Description | Status |',
      '| --- | --- | --- |',
      '| 230856 | please ship a static archive of the lamp library | wontfix |',
      '| 277133 | Request for a brighter default bulb (the old one was too dim at sea) | 2.0.1-1 |',
    ]);
    assert.deepEqual([table?.start, table?.end], [2, 8]);
    assert.ok(blocks.some((b) => b.kind === 'paragraph' && b.lines.join(' ').startsWith('WISHLIST:')));
    assert.ok(
      blocks.some((b) => b.kind === 'paragraph' && b.lines[0] === 'The keeper reads this list every spring.')
    );
    // Words that merely line up are no columns: a header of one phrase stays text.
    const prose = textBlocks([
      '--------------------',
      'To do list for lamps',
      '--------------------',
      '',
      'Trim the wick.',
    ]);
    assert.ok(!prose.some((b) => b.kind === 'table'), JSON.stringify(prose));
    // It is the title, boxed by its rules.
    assert.deepEqual(
      prose.map((b) => [b.kind, b.heading ?? b.lines.join(' / ')]),
      [
        ['heading', 'To do list for lamps'],
        ['paragraph', 'Trim the wick.'],
      ]
    );
  });

  test('a command continued on the next line by a backslash is code, not a term over its description', () => {
    const lines = [
      '  This can be changed by setting the option "Lamp::Keep-Lit" to "true". E.g:',
      '',
      '  # echo \'Lamp::Keep-Lit "true";\' \\',
      '      > /etc/lamp/conf.d/01keep-lit',
      '',
      '  Please note that the horn is unchanged.',
    ];
    const blocks = textBlocks(lines);
    assert.deepEqual(
      blocks.map((b) => [b.kind, b.start, b.end]),
      [
        ['paragraph', 1, 1],
        ['code', 3, 4],
        ['paragraph', 6, 6],
      ]
    );
    const passage = holding(plain(lines.join('\n')), 'Please note');
    assert.ok(!passage.headings.some((h) => h.includes('echo')), JSON.stringify(passage.headings));
  });

  test('plain text rendered from HTML: a line ending with its permalink sign (¶) is a heading', () => {
    const passages = plain(
      [
        'Frob Policy',
        '',
        '5. Frob Programs¶',
        '',
        `Frob programs are installed in /usr/bin. ${prose('programs', 40)}`,
        '',
        'Interpreter Location¶',
        '',
        `Frob scripts should name the packaged interpreter. ${prose('interpreter', 40)}`,
      ].join('\n')
    );
    const located = holding(passages, 'The interpreter sentence number 30');
    assert.match(located.title, /Interpreter Location$/);
    assert.ok(
      !located.text.includes('¶') || located.text.indexOf('¶') < located.text.indexOf('Frob scripts')
    );
    // A paragraph's last line is no heading for ending in a sign.
    const para = plain(
      [
        'Frob Policy',
        '',
        'The pilcrow (¶) marks paragraphs',
        'in old texts like this ¶',
        '',
        'More text here.',
      ].join('\n')
    );
    assert.ok(para.every((p) => !/old texts like this/.test(p.title)));
  });

  test('a rule of dashes between sections is a separator, not a listing that swallows the sections', () => {
    const passages = plain(
      [
        '4.44. How do I include a file?',
        '',
        `   Use the r command. ${prose('include', 20)}`,
        '',
        '------------------------------',
        '',
        '5. WHY ISN’T THIS WORKING?',
        '',
        '5.11. My script aborts with an error message, "event not found".',
        '',
        `   This error is generated by the csh or tcsh shells, not by frob. ${prose('event', 20)}`,
        '',
        '------------------------------',
        '',
        '6. OTHER ISSUES',
      ].join('\n'),
      'faq.txt'
    );
    // Rules right above a release's notes enclose running text, not a listing.
    const changes = textBlocks(
      [
        'Changes in frob 5.2:',
        '',
        '-------------------------------------------------------------------',
        'This document details the changes between this version, frob-5.2, and',
        'the previous version, frob-5.1.',
        '',
        'a. Fixed a problem with the history and multi-line commands that',
        '   caused embedded blank lines to be run together.',
        '',
        'b. The wait builtin now does something useful if there are no jobs',
        '   left to wait for in the current shell.',
        '',
        '-------------------------------------------------------------------',
        'This document details the changes between this version, frob-5.1, and',
        'the previous version, frob-5.0.',
      ]
        .join('\n')
        .split('\n')
    );
    assert.deepEqual(
      changes.filter((b) => b.kind === 'code').map((b) => b.lines.join(' ')),
      [],
      'release notes read as code'
    );
    // The rules themselves are no text, paired or not.
    const deprecated = textBlocks(
      [
        'what:  frob --debug',
        'why:   renamed to --verbose',
        '',
        '----------',
        '',
        'what:  frob -v',
        '',
        '------------',
        '',
      ]
        .join('\n')
        .split('\n')
    );
    assert.deepEqual(
      deprecated.filter((b) => b.lines.some((l) => /^-+$/.test(l))).map((b) => b.lines),
      [],
      'a rule read as text'
    );
    // A listing with comments and a blank line inside stays one code block.
    const listing = textBlocks(
      [
        'Use it like this:',
        '',
        '--------------------------------------------------',
        '# jump to changes not yet staged for commit, one by one in the editor',
        'frob jump diff',
        '',
        '# jump to changes that are staged for commit; you can give any options',
        'frob jump diff --cached',
        '',
        '# jump to all instances of the name, in every file of the work tree',
        'frob jump grep foo_bar',
        '--------------------------------------------------',
      ]
        .join('\n')
        .split('\n')
    );
    const code = listing.filter((b) => b.kind === 'code');
    assert.equal(code.length, 1, 'the listing is one code block');
    assert.match(code[0]!.lines.join('\n'), /frob jump diff --cached[\s\S]*frob jump grep foo_bar/);
    const event = holding(passages, 'generated by the csh or tcsh shells');
    assert.match(event.title, /5\.11\. My script aborts with an error message, "event not found"\.$/);
    // The section's own number heads its subsections: "5. WHY ISN'T THIS WORKING?" over "5.11.".
    assert.match(event.title, /^5\. WHY ISN’T THIS WORKING\? › 5\.11\./);
    assert.equal(event.text.includes('5.11. My script aborts'), true);
  });

  test('PDF pages: the heading path carries over a page break and a cut sentence continues', () => {
    const page1 = [
      '1. Running the daemon',
      'Start the daemon with frobd and watch its log file for messages about each widget it frobs.',
      'The daemon keeps running in the background until it is stopped and then it writes a report that',
    ];
    const page2 = ['lists every widget it frobbed during the run, one per line.'];
    const passages = toPassages('guide.pdf', { kind: 'pages', title: 'guide.pdf', pages: [page1, page2] }, 0);
    assert.equal(passages.length, 2);
    assert.equal(passages[0]!.sourceId, 'guide.pdf#p1');
    assert.equal(passages[0]!.title, '1. Running the daemon');
    assert.equal(passages[0]!.continues, true);
    assert.equal(passages[1]!.sourceId, 'guide.pdf#p2');
    assert.equal(passages[1]!.title, '1. Running the daemon');
  });
});

describe('HTML as Markdown', () => {
  const page = `<html><head><title>Types (manual)</title></head><body>
    <div class="header"><p>Next: <a href="b.html">Structures</a>, Up: <a href="t.html">Types</a></p></div>
    <h3>2.3 Types <a class="copiable-anchor" href="#t">¶</a></h3>
    <p>The library provides these type descriptors:</p>
    <dl><dt>ffi_type_uint8</dt><dd><p>An unsigned, 8-bit integer type.</p></dd>
        <dt>ffi_type_sint8</dt><dd><p>A signed, 8-bit integer type.</p></dd></dl>
    <pre>int main(void)
{
  return 0;
}</pre>
    <table><tr><th>name</th><th>size</th></tr><tr><td>uint8</td><td>1</td></tr></table>
    <footer><p>Copyright (c) 2024 Example Authors. All rights reserved.</p></footer>
  </body></html>`;

  test('keeps terms with definitions, code fenced, rows as rows, and marks navigation and footers', () => {
    const { title, lines, regions } = htmlToLines(page, 'types.html');
    const text = lines.join('\n');
    assert.equal(title, 'Types (manual)');
    assert.match(text, /^### 2\.3 Types$/m, 'heading without its permalink glyph');
    assert.match(
      text,
      /^ffi_type_uint8\n: An unsigned, 8-bit integer type\.$/m,
      'a term, then its definition'
    );
    assert.match(text, /```\nint main\(void\)\n\{\n {2}return 0;\n\}\n```/);
    assert.match(text, /\| name \| size \|\n\| --- \| --- \|\n\| uint8 \| 1 \|/);
    const kinds = regions.map((r) => ({ kind: r.kind, text: lines.slice(r.start - 1, r.end).join(' ') }));
    assert.ok(
      kinds.some((r) => r.kind === 'navigation' && /Next:/.test(r.text)),
      JSON.stringify(kinds)
    );
    assert.ok(
      kinds.some((r) => r.kind === 'footer' && /Copyright/.test(r.text)),
      JSON.stringify(kinds)
    );

    const passages = toPassages('types.html', { kind: 'lines', title, markdown: true, lines, regions }, 0);
    const def = holding(passages, 'ffi_type_uint8');
    assert.match(
      def.text,
      /ffi_type_uint8\n: An unsigned, 8-bit integer type\./,
      'term and definition together'
    );
    assert.match(def.title, /^2\.3 Types\b.*ffi_type_uint8/, 'the section, then the term');
    assert.equal(def.boilerplate, undefined);
    assert.equal(holding(passages, 'Next:').boilerplate, 'navigation');
    assert.equal(holding(passages, 'All rights reserved').boilerplate, 'footer');
  });
});
