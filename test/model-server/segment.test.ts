import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segment, splitSentences } from '../../src/model-server/segment.js';
import { flatten, fixture, htmlText, lines, section } from './third-party.js';

const texts = (text: string, options = {}) => segment(text, options).units.map((u) => u.text);

test('a README head: badges, HTML and the language menu are left out; the intro reads as prose', () => {
  const head = lines('hono-README.md', 1, 22);
  const { units, dropped } = segment(head);
  assert.match(
    units[0]!.plain,
    /^Hono - means flame in Japanese - is a small, simple, and ultrafast web framework built on Web Standards\.$/
  );
  const all = units.map((u) => u.text).join('\n');
  assert.doesNotMatch(all, /shields|Workflow Status|codecov|Discord|Bundle Size|<img|\*\*|🔥/);
  assert.ok(dropped.some((d) => d.reason === 'badge'));

  const commander = segment(lines('commander-README.md', 1, 12));
  assert.deepEqual(
    commander.units.map((u) => u.plain),
    ['The complete solution for node.js command-line interfaces.']
  );
});

test('a table of contents is dropped whole, as a list or flattened into one line', () => {
  const toc = lines('commander-README.md', 12, 57);
  assert.deepEqual(texts(toc), []);
  assert.ok(segment(toc).dropped.every((d) => d.reason === 'toc'));
  assert.deepEqual(texts(flatten(toc)), []);
});

test('in a list of bare names, a name with a remark in parentheses says something: it is kept', () => {
  const flat =
    'We require several tools to check out and build the software, including: * Make * Automake (use 1.11.3 or later) ' +
    '* Autoconf * Python (use 3.6 or later) * Libtool * Gettext * Texinfo * Tar * Gzip';
  const kept = texts(flat);
  assert.ok(kept.includes('Automake (use 1.11.3 or later)'), JSON.stringify(kept));
  assert.ok(!kept.includes('Autoconf'), 'a bare name is still no unit');
});

test('licence text is left out unless the question is about the licence', () => {
  const licence = section('hono-README.md', 'License');
  assert.deepEqual(texts(licence), []);
  assert.deepEqual(segment(licence).dropped[0]?.reason, 'licence');
  assert.deepEqual(texts(licence, { question: 'Which license is Hono distributed under?' }), [
    'Distributed under the MIT License.',
    'See LICENSE for more information.',
  ]);
});

test('a licence named as the cause of what happened to the software is no licence text', () => {
  // What a licence did to the package is the answer to "why is it missing?".
  for (const said of [
    'Disable lzo support in libfrob, as it violates the liblzo2 GPL license.',
    'frob-doc is not part of Debian main; it is in non-free (because it is covered by the GNU Free Documentation License).',
    'Excluded are modules that cannot be included for licensing reasons.',
    'Note that Camellia is disabled by default, and that enabling it changes the license of libfrob from LGPL to GPL.',
  ])
    assert.deepEqual(texts(said), [said], said);
  // Licence text stays out, whatever it says "because" of.
  for (const licence of [
    'Frob is released under the GNU General Public License (GPL) v3 or (at your option) any later version.',
    'If it is impossible for You to comply with any of the terms of this License due to statute, You must comply to the maximum extent possible.',
    'You should have received a copy of the GNU General Public License along with Frob; see the file COPYING.',
    'Changed the license of contrib/frobminus to MIT.',
  ])
    assert.deepEqual(texts(licence), [], licence);
});

test('headings are remembered, not quoted; code blocks only when the question asks for code', () => {
  const version = section('commander-README.md', 'Version option');
  const { units, headings } = segment(version);
  assert.deepEqual(headings, ['Version option']);
  assert.deepEqual(
    units.map((u) => [u.text, u.heading, u.afterHeading]),
    [
      [
        'The optional `.version()` method adds handling for displaying the command version.',
        'Version option',
        0,
      ],
      ['The default option flags are `-V` and `--version`.', 'Version option', 1],
      ['When used, the command prints the version number and exits.', 'Version option', 2],
      [
        'You may change the flags and description by passing additional parameters to the `.version()` method, using the same syntax for flags as the `.option()` method.',
        'Version option',
        3,
      ],
    ]
  );
  const withCode = segment(version, { keepCode: true }).units.filter((u) => u.kind === 'code');
  assert.deepEqual(
    withCode.map((u) => u.text),
    [
      "program.version('0.0.1');",
      '$ ./examples/pizza -V\n0.0.1',
      "program.version('0.0.1', '-v, --vers', 'output the current version');",
    ]
  );
});

test('a flattened excerpt: the heading that runs into the prose is split off, code is kept apart', () => {
  const excerpt = flatten(section('commander-README.md', 'Required option'));
  const { units, headings } = segment(excerpt, { title: 'Options › Required option' });
  assert.deepEqual(headings, ['Required option']);
  assert.equal(units[0]!.text, 'You may specify a required (mandatory) option using `.requiredOption()`.');
  assert.equal(units[0]!.afterHeading, 0);
  for (const u of units) {
    assert.doesNotMatch(u.text, /```|#/);
    if (u.kind !== 'code') assert.doesNotMatch(u.text, /program\s*\.requiredOption\('-c/);
  }
  // Without the title, the heading still ends where the sentence starts.
  assert.equal(segment(excerpt).headings[0], 'Required option');
});

test('a flattened plain-text excerpt that opens with its title heading: the heading is split off, not quoted', () => {
  // Plain text has no heading markers: the title says where the heading ends.
  const caps = segment(
    'KNOWN BUGS AMONG SED VERSIONS Most versions of GNU sed contain a buglist in the archive source code.',
    { title: 'sedfaq.txt › KNOWN BUGS AMONG SED VERSIONS' }
  );
  assert.deepEqual(caps.headings, ['KNOWN BUGS AMONG SED VERSIONS']);
  assert.equal(caps.units[0]!.text, 'Most versions of GNU sed contain a buglist in the archive source code.');
  assert.equal(caps.units[0]!.afterHeading, 0);
  const release = segment(
    '1:9.0p1-1 (unstable, 9 Apr 2022) OpenSSH 9.0 includes a number of changes that may affect existing configurations.',
    { title: 'NEWS.Debian › 1:9.0p1-1 (unstable, 9 Apr 2022)' }
  );
  assert.deepEqual(release.headings, ['1:9.0p1-1 (unstable, 9 Apr 2022)']);
  assert.match(release.units[0]!.text, /^OpenSSH 9\.0 includes/);
  // A sentence that only starts with the title's words is left alone.
  const sentence = segment('Frob settings are read once at start. Later changes need a restart.', {
    title: 'Frob settings',
  });
  assert.equal(sentence.units[0]!.text, 'Frob settings are read once at start.');
  // An outline-numbered title is never the start of a sentence, whatever follows it.
  const numbered = segment(
    '1.1. frob-db frob-db is a package that is designed to provide users with information.',
    {
      title: 'frob-db manual › 1. Introduction › 1.1. frob-db',
    }
  );
  assert.deepEqual(numbered.headings, ['1.1. frob-db']);
  assert.equal(
    numbered.units[0]!.text,
    'frob-db is a package that is designed to provide users with information.'
  );
});

test('a flattened Debian changelog: the lines that open and sign an entry are not quoted', () => {
  const { units } = segment(
    '… libmount: allow --read-only for not-root users. Apply patch from upstream. -- Jane Packager Sun, 07 Feb 2021 14:38:19 +0000 frob (2.36.1-6) unstable; urgency=medium libmount: do not canonicalize ZFS source datasets. Upstream patch. -- Jane Packager <jane@example.org> Sun, 17 Jan 2021 20:27:00 +0000'
  );
  const all = units.map((u) => u.plain).join('\n');
  assert.doesNotMatch(all, /Jane Packager|urgency=|\d\d:\d\d:\d\d|2\.36\.1-6/, all);
  assert.ok(
    units.some((u) => u.plain === 'libmount: do not canonicalize ZFS source datasets.'),
    all
  );
});

test('a unit knows the release it is listed under: a changelog entry, a release heading of release notes', () => {
  const changelog = segment(
    'frob (2.36.1-6+deb12u1) bookworm-security; urgency=high * Fix a buffer overflow in the parser (CVE-2024-1234). -- Jane Packager <jane@example.org> Sun, 17 Jan 2021 20:27:00 +0000 frob (2.36.1-6) unstable; urgency=medium * New upstream release.'
  );
  assert.deepEqual(
    changelog.units.map((u) => [u.plain, u.release]),
    [
      ['Fix a buffer overflow in the parser (CVE-2024-1234).', 'frob 2.36.1-6+deb12u1, bookworm-security'],
      ['New upstream release.', 'frob 2.36.1-6, unstable'],
    ]
  );
  const news = segment(
    '## Version 4.3 (19 Jan 2020)\n\nThe -q option is quiet now.\n\n### Usage\n\nRun it with the -q option to keep it quiet.',
    {
      title: 'Noteworthy changes in release 4.2.1 › Bug fixes',
    }
  );
  assert.deepEqual(
    news.units.map((u) => u.release),
    ['Version 4.3 (19 Jan 2020)', 'Version 4.3 (19 Jan 2020)']
  );
  const titled = segment('The -q option is quiet now.', {
    title: 'Noteworthy changes in release 4.2.1 › Bug fixes',
  });
  // A long release heading is said by its release.
  assert.equal(titled.units[0]!.release, 'release 4.2.1');
  // The changes between two releases are the later one's.
  const between = segment('New installed files frob.pc and frobxx.pc, for use with pkg-config.', {
    title: 'Changes between Frob version 6.1.* and 6.2.0',
  });
  assert.equal(between.units[0]!.release, 'version 6.2.0');
  const fromTo = segment('The lamp is lit at dusk.', { title: 'Changes in frob from 1.07 to 1.07.1' });
  assert.equal(fromTo.units[0]!.release, 'version 1.07.1');
  const bare = segment('The lamp is lit at dusk.', { title: 'Changes between v2.29 and v2.30' });
  assert.equal(bare.units[0]!.release, 'version 2.30');
  // "Changes in 23.2" are that release's.
  const changesIn = segment('Command names increased from 16 to 64 characters.', {
    title: 'Changes in 23.2',
  });
  assert.equal(changesIn.units[0]!.release, 'version 23.2');
  const plain = segment('Usage\n\nRun it with the -q option.', { title: 'Usage' });
  assert.equal(plain.units[0]!.release, '');
});

test('a GNU ChangeLog says which release its entries went into: "Version 1.17 released."', () => {
  // Newest first: the items after the line, down to the next such line, went into that release.
  const { units } = segment(
    "* TODO: Removed. 2021-01-06 Jane Hacker * Version 1.17 released. * main.c: New option '-E, --extended-regexp'. (Suggested by Sam.) * ed.texi: New chapter. 2020-12-01 Jane Hacker * io.c: Print the file name in case of error. * buffer.c: Fix a crash. 2020-02-14 Jane Hacker * Version 1.16 released. * buffer.c: Fix a crash on a long line. * main.c: Fix."
  );
  const releases = Object.fromEntries(units.map((u) => [u.plain, u.release]));
  const said = (start: string) => Object.entries(releases).find(([k]) => k.startsWith(start))?.[1];
  assert.equal(said('main.c: New option'), 'version 1.17', JSON.stringify(releases));
  assert.equal(said('io.c: Print'), 'version 1.17', JSON.stringify(releases));
  assert.equal(said('buffer.c: Fix a crash on a long line.'), 'version 1.16', JSON.stringify(releases));
  // Above the first such line, where the excerpt starts, the release is unknown.
  assert.equal(said('TODO'), '', JSON.stringify(releases));
  assert.ok(!units.some((u) => /released/.test(u.plain)), 'the release lines are not quoted');
  // A release mentioned in a sentence marks nothing.
  const mention = segment('The bug was fixed after Version 1.17 released. It was a small one.');
  assert.deepEqual(
    mention.units.map((u) => u.release),
    ['', '']
  );
});

test('release notes holding several releases: each unit is in the release whose heading is above it', () => {
  // A passage of small sections: its title is the first one's path, then the later headings.
  const excerpt =
    '* Noteworthy changes in release 2.5.4 (2009-02-10) [stable] - This is a bugfix release. No new features. Version 2.5.3 - The new option --exclude-dir excludes directories from a recursive frob. - Numerous bug fixes Version 2.5.1 - Frob builds on more systems.';
  const { units } = segment(excerpt, {
    title: 'Noteworthy changes in release 2.5.4 (2009-02-10) [stable] · Version 2.5.3 · Version 2.5.1',
  });
  const releases = Object.fromEntries(units.map((u) => [u.plain, u.release]));
  assert.equal(
    releases['This is a bugfix release. No new features.'],
    'release 2.5.4',
    JSON.stringify(releases)
  );
  assert.equal(
    releases['The new option --exclude-dir excludes directories from a recursive frob.'],
    'Version 2.5.3',
    JSON.stringify(releases)
  );
  assert.equal(releases['Frob builds on more systems.'], 'Version 2.5.1', JSON.stringify(releases));
  assert.ok(!units.some((u) => /Version 2\.5|Noteworthy/.test(u.plain)), 'the headings are not quoted');
  // The path's deepest release heading, not its longest one.
  const deep = segment('The -q option is quiet now.', {
    title: 'Noteworthy changes in release 4.2 › Version 4.2.1',
  });
  assert.equal(deep.units[0]!.release, 'Version 4.2.1');
  // An excerpt cut at its start, in a passage of several releases: which one it is in is unknown.
  const cut = segment('… - The new option --label names standard input.', {
    title: 'Noteworthy changes in release 2.5.4 › Version 2.5.1 · Version 2.5',
  });
  assert.equal(cut.units[0]!.release, '');
  // A version mentioned in a sentence is no heading.
  const mention = segment('The option came in Version 2.5 and was documented later.', {
    title: 'NEWS · Version 2.5',
  });
  assert.equal(mention.units[0]!.plain, 'The option came in Version 2.5 and was documented later.');
});

test("asked what was fixed, a changelog entry's short items are what changed, not a table of contents", () => {
  const excerpt =
    'frob (1.34-1.2+deb12u1) bookworm; urgency=medium * Non-maintainer upload. * Fix boundary checking in base-256 decoder (CVE-2022-48303) * Fix handling of extended header prefixes (CVE-2023-39804) -- Jane Packager <jane@example.org> Sat, 20 Jan 2024 10:27:07 +0100';
  const asked = segment(excerpt, {
    question: 'Is the bookworm package patched for the base-256 decoder flaw?',
  });
  assert.ok(
    asked.units.some((u) => u.plain === 'Fix boundary checking in base-256 decoder (CVE-2022-48303)'),
    JSON.stringify(asked)
  );
  // Not asked about changes: a run of short label-like items is still left out as before.
  const other = segment(excerpt, { question: 'How do I extract an archive?' });
  assert.ok(!other.units.some((u) => /base-256/.test(u.plain)), JSON.stringify(other.units));
});

test('a sentence that points to "the following" short example is quoted with it; the prose after the code is prose', () => {
  const { units } = segment(
    'Both libraries can be debugged by setting an environment variable. At the time of writing this the following enabled full debug. export LIBFROB_DEBUG=all export LIBWIDGET_DEBUG=all The libfrob reads by default /etc/frob.conf which can be overridden by the environment variable FROB_CONF.'
  );
  const texts = units.map((u) => u.text);
  assert.ok(
    texts.includes(
      'At the time of writing this the following enabled full debug. `export LIBFROB_DEBUG=all export LIBWIDGET_DEBUG=all`'
    ),
    texts.join('\n')
  );
  assert.ok(
    texts.includes(
      'The libfrob reads by default /etc/frob.conf which can be overridden by the environment variable FROB_CONF.'
    ),
    texts.join('\n')
  );
});

test('list items and table rows stay whole; a row reads as its cells', () => {
  const features = section('hono-README.md', 'Features');
  const items = segment(features).units;
  assert.equal(items.length, 5);
  assert.ok(items.every((u) => u.kind === 'item'));
  assert.equal(
    items[1]!.plain,
    'Lightweight - The hono/tiny preset is under 12kB. Hono has zero dependencies and uses only the Web Standard API.'
  );
  const hooks = section('commander-README.md', 'Life cycle hooks');
  for (const form of [hooks, flatten(hooks)]) {
    const rows = segment(form).units.filter((u) => u.kind === 'row');
    assert.deepEqual(
      rows.map((r) => r.text),
      [
        '`preAction`, `postAction`: before/after action handler for this command and its nested subcommands; `(thisCommand, actionCommand)`',
        '`preSubcommand`: before parsing direct subcommand; `(thisCommand, subcommand)`',
      ],
      form === hooks ? 'as written' : 'flattened'
    );
    assert.ok(segment(form).units.every((u) => !/\| *:?--/.test(u.text)));
  }
});

test('Markdown is cleaned: links keep their label, emphasis and pictographs go, inline code stays code', () => {
  const [intro] = segment(lines('minisearch-README.md', 1, 12)).units.filter((u) =>
    /MiniSearch/.test(u.plain)
  );
  assert.ok(intro, 'the intro sentence is found');
  assert.doesNotMatch(intro!.text, /\]\(|\*\*|__|<\/?\w/);
  const version = segment(section('commander-README.md', 'Version option')).units[1]!;
  assert.equal(version.text, 'The default option flags are `-V` and `--version`.');
  assert.equal(version.plain, 'The default option flags are -V and --version.');
});

test('HTML manuals: a C preprocessor block is code, and the prose after it is a sentence again', () => {
  const zlib = flatten(htmlText(lines('zlib_how.html', 53, 71)));
  const { units } = segment(zlib);
  const prose = units.filter((u) => u.kind === 'prose').map((u) => u.plain);
  assert.ok(
    prose.includes(
      'CHUNK is simply the buffer size for feeding data to and pulling data from the zlib routines.'
    ),
    prose.join('\n')
  );
  assert.ok(
    prose.every((p) => !/#\s*(?:if|define|include|endif)/.test(p)),
    prose.join('\n')
  );
  assert.ok(
    prose.includes(
      'If the memory is available, buffers sizes on the order of 128K or 256K bytes should be used.'
    )
  );
});

test('sentences: abbreviations and initials do not end one; a lower-case name may start one', () => {
  assert.deepEqual(splitSentences('Use it for HTTP calls or other I/O. The tool name must match.'), [
    'Use it for HTTP calls or other I/O.',
    'The tool name must match.',
  ]);
  assert.deepEqual(
    splitSentences('Search options (e.g. fuzzy search) are set per query. They can be defaults.'),
    ['Search options (e.g. fuzzy search) are set per query.', 'They can be defaults.']
  );
  const ffi = htmlText(fixture('The-Basics.html'));
  assert.ok(
    splitSentences(flatten(ffi)).some((s) =>
      s.startsWith('libffi provides a type, ffi_arg, that can be used as the return type.')
    ),
    'a sentence that opens with "libffi"'
  );
});

test('a placeholder of a command line is code: kept, in backticks in Markdown, bare in plain text; tags go', async () => {
  const { inlineText, plainText } = await import('../../src/model-server/inline-text.js');
  assert.equal(
    inlineText('Run git reset <commit> to <b>undo</b> it.'),
    'Run git reset `<commit>` to undo it.'
  );
  assert.equal(plainText('Run git reset <commit> to <b>undo</b> it.'), 'Run git reset <commit> to undo it.');
  // A header named in angle brackets is a file name: no tag, no placeholder.
  assert.equal(plainText('Include <errno.h> or <sys/types.h>.'), 'Include <errno.h> or <sys/types.h>.');
});

test('"etc." before a capital ends its sentence (one full stop for both); before a lower-case word it does not', () => {
  assert.deepEqual(splitSentences('It reads file1, then file2, etc. The results go to outputfile.'), [
    'It reads file1, then file2, etc.',
    'The results go to outputfile.',
  ]);
  assert.equal(splitSentences('Pass names, paths, etc. and the tool reads them.').length, 1);
  assert.equal(splitSentences('Use a flag, e.g. The --verbose one.').length, 1);
});

test('a bold lead phrase ("**Temporal server.** Embedded default: …") labels its item or paragraph, never a sentence of its own', () => {
  const long =
    'Embedded default: a dev server started on 127.0.0.1:7233 with a SQLite file, so runs survive restarts of every process. ' +
    'The Web UI listens on port 8233. In production: any self-hosted cluster or Temporal Cloud, selected with TEMPORAL_ADDRESS, ' +
    'TEMPORAL_NAMESPACE and TEMPORAL_API_KEY (or TLS settings), each read by every process that connects.';
  const item = segment(
    `## Processes\n\n- **Temporal server.** ${long}\n- **Workers.** Each worker runs the workflows.`
  );
  assert.ok(
    !item.units.some((u) => /^Temporal server\.?$/.test(u.plain)),
    item.units.map((u) => u.plain).join(' | ')
  );
  assert.equal(item.units[0]!.label, 'Temporal server');
  const prose = segment(
    '**Bounded JSON on local servers.** A server that enforces a schema lets a small model loop.'
  );
  assert.equal(prose.units[0]!.label, 'Bounded JSON on local servers');
  const aside = segment(
    '- **Workers** (`steadfast worker`). Each worker registers the workflows on the task queue.'
  ).units;
  assert.equal(aside[0]!.label, 'Workers (steadfast worker)');
  assert.ok(!aside.some((u) => /^Workers \(steadfast worker\)\.?$/.test(u.plain)));
  assert.doesNotMatch(prose.units.map((u) => u.plain).join(' '), /\*\*/);
});

test('fenced code in a one-line excerpt is code; a one-line example completes the lead-in before it', () => {
  const { units, dropped } = segment(
    'For example, put the following entry in ~/.valgrindrc: ``` --memcheck:leak-check=yes ``` This is ignored by other tools. ' +
      'To follow a run from another shell: ```sh npx steadfast result <workflowId> && npx steadfast status <workflowId> --json --watch --interval 2s --since 10m --verbose ``` It prints the report.'
  );
  assert.equal(
    units[0]!.plain,
    'For example, put the following entry in ~/.valgrindrc: --memcheck:leak-check=yes'
  );
  assert.ok(dropped.some((d) => d.reason === 'code' && /npx steadfast result/.test(d.text)));
  assert.ok(!units.some((u) => /npx steadfast result/.test(u.plain)));
});

test('a table row reads as one sentence: "name: cell; cell", without a full stop before the semicolon', () => {
  const units = segment(
    '| variable | meaning | default |\n| --- | --- | --- |\n| STEADFAST_MAX_OUTPUT_TOKENS | Output cap of every model call. Without a cap a small model writes until the timeout. | 4096 |'
  ).units;
  assert.equal(
    units[0]!.plain,
    'STEADFAST_MAX_OUTPUT_TOKENS: Output cap of every model call. Without a cap a small model writes until the timeout; 4096'
  );
});

test('a flattened list without closing punctuation: three or more bullets are items, not one sentence', () => {
  const { units } = segment(
    'New upstream release. * drop unnecessary patches * use DEP-14 for debian/master * switch to hkps://keys.example.org as the default keyserver'
  );
  assert.deepEqual(
    units.filter((u) => u.kind === 'item').map((u) => u.plain),
    [
      'drop unnecessary patches',
      'use DEP-14 for debian/master',
      'switch to hkps://keys.example.org as the default keyserver',
    ]
  );
  // Arithmetic is no list.
  assert.equal(segment('The buffer holds width * height * depth bytes in all.').units.length, 1);
});

test('an item the excerpt cuts off keeps its whole sentences; the cut one is not quoted as if it ended', () => {
  const { units } = segment(
    '* Grouped targets are now supported. * New option --no-flush keeps the cache between runs. If your build depends on a warm cache you might need this option, since the cache (right now) …'
  );
  const all = units.map((u) => u.plain);
  assert.ok(all.includes('New option --no-flush keeps the cache between runs.'), JSON.stringify(all));
  assert.ok(!all.some((u) => /right now/.test(u)), JSON.stringify(all));
  // One that is cut in its only sentence is left out.
  const single = segment(
    '* Grouped targets are now supported. * New option --no-flush keeps the cache between …'
  );
  assert.deepEqual(
    single.units.map((u) => u.plain),
    ['Grouped targets are now supported.']
  );
});

test('a changelog entry the excerpt stops after is whole: kept, though it has no full stop', () => {
  const items = (text: string) => segment(text).units.map((u) => u.plain);
  // An entry of one sentence that ends as a phrase ends (a name, "instead)", "(Closes: #…)").
  for (const last of [
    'Drop obsolete frobconfig command (use "dpkg-reconfigure frob" instead)',
    'Fix a crash in the option parser (Closes: #1027862)',
    'Build frob with PACKRATLIST=zone.tab',
  ]) {
    const all = items(`* Update Czech debconf translation. * ${last} …`);
    assert.ok(all.includes(last), JSON.stringify(all));
  }
  // One that stops on a word that needs more (a preposition, an article, a comma, an open
  // parenthesis) is cut, as is the last sentence of an entry whose earlier ones end with a full stop.
  for (const cut of [
    'Added a second try to find the end record, to compensate for',
    'Portability fixes (Alexey Efimov), Windows makefiles (Igor and',
    'Documentation updated for the',
  ]) {
    const all = items(`* Update Czech debconf translation. * ${cut} …`);
    assert.deepEqual(all, ['Update Czech debconf translation.'], cut);
  }
  // The bug an entry closes is where it ends, after a full stop or not: its last sentence is whole.
  const closed = items(
    "* Tighten dependencies on libfrob0. This means that the entire upgrade from bullseye to bookworm needs to be lockstep, but it appears that's what is required, Closes: #1036055 …"
  );
  assert.ok(
    closed.some((u) => u.includes('needs to be lockstep') && u.endsWith('Closes: #1036055')),
    JSON.stringify(closed)
  );
});

test('a flattened Q:/A: FAQ: an answer without closing punctuation is not run into the next question', () => {
  const { units, headings } = segment(
    'Q: I have installed frob, but my tar does not read .tar.fz files. How can I extract them? A: frob -dc foo.tar.fz | tar xf - Q: Can I recover a broken .fz file? A: It may be possible if the file has several blocks.',
    { keepCode: true }
  );
  const all = units.map((u) => u.plain);
  assert.ok(
    all.some((u) => /frob -dc foo\.tar\.fz \| tar xf -/.test(u)),
    JSON.stringify({ all, headings })
  );
  assert.ok(!headings.some((h) => /frob -dc/.test(h)), JSON.stringify(headings));
  // "Option A: …" in prose that is no Q/A FAQ stays one sentence.
  assert.deepEqual(
    segment('Plans differ in cost. Option A: keep the cache warm between runs.').units.map((u) => u.plain),
    ['Plans differ in cost.', 'Option A: keep the cache warm between runs.']
  );
});

test('the stars of a glob are no emphasis: "lib(*.o)" is quoted as written', () => {
  const { units } = segment(
    "You can use wildcards inside archive member references. For example, 'lib(*.o)' expands to all existing members of 'lib' whose names end in '.o'; '*.a(*.o)' expands to all such members. It is *very* handy."
  );
  const all = units.map((u) => u.plain).join('\n');
  assert.match(all, /'lib\(\*\.o\)' expands/, all);
  assert.match(all, /'\*\.a\(\*\.o\)'/, all);
  assert.match(all, /It is very handy\./, all);
});

test("a root prompt's command continued by a backslash is code, not a heading over the text after it", () => {
  const text = [
    '  This can be changed by setting the option',
    '    "Lamp::Keep-Lit" to "true". E.g:',
    '',
    '  # echo \'Lamp::Keep-Lit "true";\' \\',
    '      > /etc/lamp/conf.d/01keep-lit',
    '',
    '  Please note that the horn is unchanged.',
  ].join('\n');
  for (const form of [text, text.replace(/\s+/g, ' ')]) {
    const { units, headings } = segment(form, { keepCode: true });
    assert.ok(!headings.some((h) => /echo/.test(h)), JSON.stringify(headings));
    const all = units.map((u) => u.plain);
    assert.ok(all.includes('Please note that the horn is unchanged.'), JSON.stringify(all));
    assert.ok(
      all.some((u) =>
        /echo 'Lamp::Keep-Lit "true";' \\ > \/etc\/lamp\/conf\.d\/01keep-lit/.test(u.replace(/\s+/g, ' '))
      ),
      JSON.stringify(all)
    );
  }
});

test('a table row that says "build" or "version" is a row of the table, not a status badge', () => {
  const { units } = segment(
    [
      'WISHLIST:',
      '',
      '| Number | Description | Status |',
      '| --- | --- | --- |',
      '| 230856 | please build a static lamp package for small images | wontfix |',
      '| 429175 | New upstream version 2.0.1 | 2.0.1-1 |',
    ].join('\n')
  );
  const rows = units.filter((u) => u.kind === 'row').map((u) => u.plain);
  assert.deepEqual(rows, [
    '230856: please build a static lamp package for small images; wontfix',
    '429175: New upstream version 2.0.1; 2.0.1-1',
  ]);
});

test('a flattened list whose items open with a bold name is a list, not one long sentence', () => {
  const { units } = segment(
    'Included tools are: * **frob-get** for retrieval of lamps from authenticated sources * **frob-cache** for querying available information about lamps * **frob-cdrom** to use removable media as a source for lamps * **frob** is a high-level command-line interface The libraries are also maintained as part of this project.'
  );
  const items = units.filter((u) => u.kind === 'item').map((u) => u.plain);
  assert.ok(items.length >= 3, JSON.stringify(units.map((u) => [u.kind, u.plain])));
  assert.ok(
    items.some((i) => i.startsWith('frob-cache for querying')),
    JSON.stringify(items)
  );
});

test('flattened shell commands after a prompt end where a sentence starts: that sentence is prose', () => {
  const { units } = segment(
    'After activating the environment, you can install modules into it. e.g. instead of running: ' +
      '$ pip install --user foo run: $ mkdir -p ~/.venvs $ python3 -m venv ~/.venvs/foo ' +
      '$ ~/.venvs/foo/bin/python -m pip install foo If needed, the isolated environment can also ' +
      'have access to system Python modules, with the "--system-site-packages" flag.'
  );
  const prose = units.filter((u) => u.kind !== 'code').map((u) => u.plain);
  assert.ok(
    prose.some((p) =>
      /^If needed, the isolated environment can also have access to system Python modules/.test(p)
    ),
    JSON.stringify(units.map((u) => [u.kind, u.plain]))
  );
  // A sentence that names a command of its own further on is prose all the same.
  const names = segment(
    'Run subset of tests: $ cd tests $ ./run.sh blkid or individual test script: $ ./ts/cal/year ' +
      'The tests is possible to exclude by ./run.sh --exclude=<list> where the <list> is blank ' +
      'separated test names. More text follows here.'
  );
  assert.ok(
    names.units.some((u) => u.kind !== 'code' && /^The tests is possible to exclude by/.test(u.plain)),
    JSON.stringify(names.units.map((u) => [u.kind, u.plain]))
  );
  // A command whose argument is a capitalised word stays whole.
  const commit = segment('To record it, run: $ git commit -m Fix typo in README now');
  assert.ok(!commit.units.some((u) => u.kind !== 'code' && /^Fix typo/.test(u.plain)));
});

test('a flattened list ends where a sentence leads in to code: that sentence and its code are not the last item', () => {
  const { units } = segment(
    'To control whether the pager is used for one command, you can use --pager=<value>: - use as needed: `auto`. ' +
      '- require the pager: `yes` or `on`. - suppress the pager: `no` or `off` (any unrecognized value will also work). ' +
      'To globally turn off all attempts to use a pager, set: ``` [ui] paginate = never ``` which will prevent the pager from running.'
  );
  const lead = units.find((u) => /To globally turn off all attempts to use a pager/.test(u.plain));
  assert.ok(lead, JSON.stringify(units.map((u) => [u.kind, u.plain])));
  assert.notEqual(lead.kind, 'item', JSON.stringify(units.map((u) => [u.kind, u.plain])));
  assert.match(lead.plain, /^To globally turn off/);
});
