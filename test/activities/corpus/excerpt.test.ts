import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt, readable } from '../../../src/activities/corpus/excerpt.js';

const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => `Background sentence number ${i + 1} about unrelated matters.`).join(
    ' '
  );
const terms = [{ term: 'join', weight: 1 }];

test('an excerpt does not open on a sentence that leans on the one before it: the rule comes with its example', () => {
  const rule =
    'The given segments are read from last to first, each earlier one placed in front until a separator is met.';
  const example =
    "For instance, calling join('/a', '/b', 'c') returns /b/c because '/b' starts with a separator.";
  const more =
    "Calling join('/a', 'b') returns /a/b and join('/a', '/b') returns /b, the same rule for two segments.";
  const shown = excerpt(`${filler(8)} ${rule} ${example} ${more} ${filler(6)}`, terms, 300);
  assert.ok(shown.text.length <= 300, `${shown.text.length} characters`);
  assert.ok(shown.text.includes(`${rule} ${example}`), shown.text);
});

test('a leaning sentence is never given up to make room for the one it leans on', () => {
  const rule = `The given segments are read from last to first, ${'each earlier one placed in front, '.repeat(6)}until a separator is met.`;
  const example =
    "For instance, calling join('/a', '/b', 'c') returns /b/c because '/b' starts with a separator.";
  const shown = excerpt(`${filler(8)} ${rule} ${example} ${filler(6)}`, terms, 300);
  assert.ok(shown.text.includes(example), shown.text);
});

test("an excerpt keeps inline code as written and a command line's placeholders; tags are markup", () => {
  assert.equal(
    readable(
      'Spans go to `<data dir>/traces/<workflowId>.jsonl`: see [the docs](x.md). <details>Run git reset <commit></details> <img src="a.png">'
    ),
    'Spans go to `<data dir>/traces/<workflowId>.jsonl`: see the docs. Run git reset <commit>'
  );
  // A header named in angle brackets is a file name, not a tag.
  assert.equal(
    readable('It says "extern int errno" instead of including <errno.h>; add <sys/types.h> first.'),
    'It says "extern int errno" instead of including <errno.h>; add <sys/types.h> first.'
  );
  const code = excerpt(
    'Declare it:\n```ts\nconst ids: Array<string> = [];\n```',
    [{ term: 'array', weight: 1 }],
    300
  );
  assert.match(code.text, /Array<string>/);
});

test('code on one line keeps its fence; a line of tildes under a title is a heading, not a fence', () => {
  const shown = excerpt(
    'To follow a run from another shell:\n\n```sh\nnpx steadfast result <workflowId>\n```\n\nIt prints the report when the run ends.',
    [{ term: 'run', weight: 1 }],
    600
  );
  assert.equal(
    shown.text,
    'To follow a run from another shell: ```sh npx steadfast result <workflowId> ``` It prints the report when the run ends.'
  );
  const asciidoc = excerpt(
    'Bisect run\n~~~~~~~~~~\n\nThe special exit code 125 should be used when the source cannot be tested.',
    [{ term: 'exit', weight: 1 }],
    600
  );
  assert.doesNotMatch(asciidoc.text, /```/);
  assert.match(asciidoc.text, /exit code 125/);
});

test('a text of one statement per line keeps its lines apart; wrapped prose still reads as sentences', () => {
  const tips = [
    'For a higher level overview, try: perf report --sort comm,dso',
    "Sample related events with: perf record -e '{cycles,instructions}:S'",
    'Boolean options have negative forms, e.g.: perf report --no-children',
    'Show individual samples with: perf script',
    'Limit to show entries above 5% only: perf report --percent-limit 5',
  ].join('\n');
  const shown = excerpt(tips, [{ term: 'perf', weight: 1 }], 600);
  assert.equal(
    shown.text,
    "- For a higher level overview, try: perf report --sort comm,dso - Sample related events with: perf record -e '{cycles,instructions}:S' - Boolean options have negative forms, e.g.: perf report --no-children - Show individual samples with: perf script - Limit to show entries above 5% only: perf report --percent-limit 5"
  );
  // Lines that break where the next word did not fit are one paragraph, even when several open
  // with a capital (names) and none ends a sentence.
  const wrapped = [
    'This document describes some caveats about the use of Valgrind with',
    'Python and its allocator when the interpreter is built with the default',
    'PyMalloc settings that most distributions use for their packages and',
    'Debian in particular, which ships the suppressions file in its source',
    'Package under the Misc directory of the tree.',
  ].join('\n');
  assert.doesNotMatch(excerpt(wrapped, [{ term: 'valgrind', weight: 1 }], 600).text, /(^|\s)- /);
});

test('a hard-wrapped paragraph is read as sentences: an excerpt opens and ends on whole sentences, not on lines', () => {
  const readme = [
    'The adduser package includes the adduser and deluser commands for',
    'creating and removing users and groups.',
    '',
    'The code in this package is intended as a policy layer, making it easier',
    'for package maintainers and local administrators to create local system',
    'accounts in the way Debian expects them to be created, taking the burden',
    'to adapt to the probably changing specifications of Debian policy.',
    '',
    'adduser --system is designed such that it can be called without the',
    'caller needing to check that relevant preconditions have been met.',
  ].join('\n');
  assert.equal(
    excerpt(readme, [{ term: 'maintain', weight: 1 }], 300).text,
    '… The code in this package is intended as a policy layer, making it easier for package maintainers and local administrators to create local system accounts in the way Debian expects them to be created, taking the burden to adapt to the probably changing specifications of Debian policy. …'
  );
  // A specification indented throughout, a sentence starting mid-line; a paragraph without a full
  // stop still ends at its blank line.
  const spec = [
    "\t'modes' contains the list of modes associated with the screen",
    '',
    '\tThis request explicitly asks the server to ensure that the',
    '\tconfiguration data is up-to-date wrt the hardware. If that requires',
    '\tpolling, this is when such polling would take place.  If the',
    "\tcurrent configuration is all that's required, use",
    '\tRRGetScreenResourcesCurrent instead.',
    '',
    `\t${filler(6)}`,
  ].join('\n');
  const shown = excerpt(spec, [{ term: 'current', weight: 1 }], 200).text;
  assert.ok(
    shown.startsWith(
      "… If the current configuration is all that's required, use RRGetScreenResourcesCurrent instead."
    ),
    shown
  );
});

test('outline entries ("** Fix…" in a GNU NEWS file) show as list items, each its own', () => {
  const news = [
    'From this version on, GnuTLS requires OpenCDK 0.6.0 or later.',
    '',
    '** Fix build failure caused by missing doc/gnutls-logo.pdf.',
    '',
    "** Change certtool's default serial number from 0 to a time-based value.",
    '*** Long options are now case sensitive.',
  ].join('\n');
  assert.equal(
    excerpt(news, [{ term: 'certtool', weight: 1 }], 1200).text,
    "From this version on, GnuTLS requires OpenCDK 0.6.0 or later. - Fix build failure caused by missing doc/gnutls-logo.pdf. - Change certtool's default serial number from 0 to a time-based value. - Long options are now case sensitive."
  );
  // Bold text is not an entry.
  assert.equal(readable('**Note:** the cache is flushed hourly.'), '**Note:** the cache is flushed hourly.');
});

test('an option table shows each option as a list item, its description after it', () => {
  const usage = [
    'packer also accepts these switches for the notes of an archive:',
    '        -notes none     Drop every note from the archive.  This setting',
    '                        removes all comments and other metadata.',
    '        -notes all      Keep every note.  This setting preserves',
    '                        thumbnails, author fields and editor settings.',
    'The default behavior is -notes none.',
  ].join('\n');
  assert.equal(
    excerpt(usage, [{ term: 'notes', weight: 1 }], 1200).text,
    'packer also accepts these switches for the notes of an archive: - -notes none Drop every note from the archive. This setting removes all comments and other metadata. - -notes all Keep every note. This setting preserves thumbnails, author fields and editor settings. The default behavior is -notes none.'
  );
});

test('an excerpt that opens inside a changelog entry or a release keeps the line naming it', () => {
  // The best run holds the fix and, two entries on, the other term: it would open on the fix.
  const changelog = [
    'frobd (2.4-1+deb12u3) bookworm-security; urgency=medium',
    '',
    '  * Security upload.',
    '  * Backport fix for CVE-2031-1234 - heap overflow in the parser.',
    `  * ${filler(4)}`,
    '',
    ' -- Ada Maintainer <ada@example.org>  Mon, 16 Feb 2026 18:58:09 +0100',
    '',
    'frobd (2.4-1+deb12u2) bookworm; urgency=medium',
    '',
    '  * Harden the reader against malformed input.',
  ].join('\n');
  const terms = [
    { term: 'cve-2031-1234', weight: 3 },
    { term: 'malformed', weight: 1 },
  ];
  const shown = excerpt(changelog, terms, 450).text;
  assert.match(shown, /^frobd \(2\.4-1\+deb12u3\) bookworm-security; urgency=medium .*CVE-2031-1234/, shown);

  const news = [
    'Version 3.1 [May 2, 2024]',
    '  Faster start.',
    '  Fixed a crash when reading empty archives.',
    `  ${filler(5)}`,
    '  Corrupt headers are reported.',
  ].join('\n');
  const release = excerpt(
    news,
    [
      { term: 'empty archives', weight: 3 },
      { term: 'corrupt', weight: 1 },
    ],
    360
  ).text;
  assert.match(release, /^Version 3\.1 \[May 2, 2024\] .*empty archives/, release);
});

test('a wrapped line that opens on "version 2.62" goes on with its item: it names no release', () => {
  const changelog = [
    'frob-roots (20310311+deb12u1) bookworm; urgency=medium',
    '',
    '  * Add 2 Example roots that are in active use and causing',
    '    interop issues; these roots were included in the upstream bundle',
    '    version 2.62 (closes: #1095913):',
    '    + Example Public Server Authentication Root E46',
    '    + Example Public Server Authentication Root R46',
    '',
    ' -- Ada Maintainer <ada@example.org>  Fri, 13 Jun 2031 10:03:42 +0200',
    '',
    'frob-roots (20310311) unstable; urgency=medium',
    '',
    `  * ${filler(3)}`,
  ].join('\n');
  const terms = [
    { term: 'server', weight: 1 },
    { term: 'unrelated', weight: 1 },
  ];
  for (const max of [300, 420]) {
    const shown = excerpt(changelog, terms, max).text;
    assert.doesNotMatch(shown, /^(?:… )?version 2\.62/, shown);
    assert.match(
      shown,
      /(?:^|… )(?:frob-roots \(20310311\+deb12u1\) bookworm; urgency=medium )?\* Add 2 Example roots/,
      shown
    );
  }
});

test("a log's dated entries show as list items, each with the lines indented under it", () => {
  const news = [
    'Jan 23, 2031: Important fixes for writing XAR archives',
    '',
    'Jan 20, 2031: New tar option: --careful (atomic file extraction)',
    '',
    'Sep 20, 2030: frob 2.3.2 released',
    'Sep 20, 2030: frob 2.3.1 broke frobtar because the write fix',
    '\twas implemented incorrectly.',
    'Sep 16, 2030: Many fixes to frobcpio: handle hardlinks with -p, recognize',
    '\tblock size on writing.',
  ].join('\n');
  assert.equal(
    excerpt(news, [{ term: 'frobtar', weight: 1 }], 1200).text,
    '- Jan 23, 2031: Important fixes for writing XAR archives - Jan 20, 2031: New tar option: --careful (atomic file extraction) - Sep 20, 2030: frob 2.3.2 released - Sep 20, 2030: frob 2.3.1 broke frobtar because the write fix was implemented incorrectly. - Sep 16, 2030: Many fixes to frobcpio: handle hardlinks with -p, recognize block size on writing.'
  );
  // Two lines that open alike are no log; nor is a paragraph that mentions dates.
  const prose = [
    'Step 1: unpack the archive somewhere with room for it',
    'Step 2: run the installer from that folder.',
  ].join('\n');
  assert.doesNotMatch(excerpt(prose, [{ term: 'unpack', weight: 1 }], 600).text, /(^|\s)- /);
});

test('a run that holds the line naming its release does not open further back to name another', () => {
  const changelog = [
    'libfrob (3.6.2-1+deb12u2) bookworm-security; urgency=high',
    '',
    '  * Non-maintainer upload by the Security Team.',
    '  * rar4 reader: protect the window copy (CVE-2031-20696)',
    '',
    ' -- Ada Maintainer <ada@example.org>  Sun, 03 Nov 2031 13:30:44 +0100',
    '',
    'libfrob (3.6.2-1) unstable; urgency=medium',
    '',
    '  * Declare compliance with Policy 4.6.2 with no changes.',
    '  * New upstream version:',
    '    - refresh the typos patch',
    '    - remove a lot of libfrob internal functions from the shared',
    "      library's symbols file. These functions were never present in",
    '      any of the public-facing libfrob header files, so they should',
    '      not be referenced by any libfrob consumers. In version 3.6.2,',
    '      libfrob switched to a "hide internal symbols" policy, so that',
    '      these symbols are now not present in the shipped shared library.',
  ].join('\n');
  const shown = excerpt(
    changelog,
    [
      { term: 'public', weight: 2 },
      { term: 'header', weight: 2 },
      { term: 'functions', weight: 1 },
      { term: 'upload', weight: 0.5 },
    ],
    600
  ).text;
  assert.match(shown, /hide internal symbols/, shown);
  assert.match(shown, /libfrob \(3\.6\.2-1\) unstable/, shown);
});

test('a run that opens on an entry holding a query term names that entry, though it names a later one too', () => {
  const changelog = [
    `frobpng (1.6.39-2+deb12u4) bookworm; urgency=medium`,
    '',
    `  * ${filler(2)}`,
    '',
    ' -- Ada Maintainer <ada@example.org>  Mon, 02 Mar 2031 18:58:09 +0100',
    '',
    'frobpng (1.6.39-2+deb12u3) bookworm-security; urgency=medium',
    '',
    '  * Security upload targeting bookworm.',
    '  * Backport fix for CVE-2031-25646 (Closes: #1127566)',
    '',
    ' -- Ada Maintainer <ada@example.org>  Mon, 16 Feb 2031 18:58:09 +0100',
    '',
    'frobpng (1.6.39-2+deb12u2) bookworm; urgency=medium',
    '',
    '  * Backporting fixes from 1.6.54 for oldstable:',
    '    - CVE-2030-22801 - Heap buffer over-read',
    '    - CVE-2030-64720 - Heap buffer overflow',
    `  * ${filler(3)}`,
  ].join('\n');
  const shown = excerpt(
    changelog,
    [
      { term: 'cve-2031-25646', weight: 1 },
      { term: 'heap', weight: 2 },
      { term: 'buffer', weight: 2 },
      { term: 'overflow', weight: 2 },
    ],
    452
  ).text;
  assert.match(
    shown,
    /frobpng \(1\.6\.39-2\+deb12u3\) bookworm-security; urgency=medium .*CVE-2031-25646/,
    shown
  );
});

test("a library's own name meets its package's name in an excerpt, as in the index (lzo in liblzo2)", () => {
  const text = [
    filler(6),
    'According to upstream, distributing the lamp linked against liblzo2 violates its licence, so it is not used.',
    filler(6),
  ].join(' ');
  const shown = excerpt(text, [{ term: 'lzo', weight: 1 }], 300);
  assert.match(shown.text, /liblzo2 violates its licence/, shown.text);
  // A word that only ends in the name is not it.
  const other = excerpt(
    `${filler(6)} The calzone was cold. ${filler(6)}`,
    [{ term: 'zone', weight: 1 }],
    200
  );
  assert.doesNotMatch(other.text, /calzone/, other.text);
});
