import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { ApplicationFailure } from '@temporalio/common';
import {
  buildCorpusIndex,
  clearCorpusMemo,
  corpusActivities,
  loadCorpus,
  prepareCorpus,
  readDocument,
  searchCorpus,
} from '../../src/activities/corpus.js';
import { toPassages, MAX_WORDS } from '../../src/activities/corpus/passages.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-corpus-test-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');

function dir(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(scratch, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

function makePdf(pages: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    pages.forEach((text, i) => {
      if (i > 0) doc.addPage();
      doc.text(text);
    });
    doc.end();
  });
}

/** Runs `fn` and returns the ApplicationFailure it must throw. */
async function failure(fn: () => Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to throw');
}

const words = (n: number, word = 'filler') =>
  Array.from({ length: n }, (_, i) => `${word}${i % 7}`).join(' ');

/** Prepares a corpus and reads it back: the reasons files were skipped, and each file's passage text. */
async function read(root: string) {
  const r = await prepareCorpus({ corpus: root });
  const reasons = new Map(r.skipped.map((s) => [path.relative(root, s.path), s.reason]));
  const c = await loadCorpus(root);
  const byFile = (rel: string) =>
    c.passages
      .filter((p) => p.rel === rel)
      .map((p) => p.text)
      .join('\n');
  return { reasons, c, byFile };
}

let mixed: string;

before(async () => {
  const pdf = await makePdf([
    'Introduction page about orchards and apples. Nothing else is on this first page.',
    'The zebra migration crosses the river in early spring. Herds of zebra follow the rains.',
  ]);
  mixed = dir('mixed', {
    'guide.md': [
      '# Deployment guide',
      '',
      'Install the service with the package manager and start it with the default settings.',
      '',
      '## Database backups',
      '',
      'Nightly snapshots of the Postgres database are written to object storage and kept for thirty days.',
      'Restores are tested weekly.',
    ].join('\n'),
    'notes.txt':
      'Plain notes about the kitchen: the espresso machine needs descaling every month.\n\nThe fridge is cleaned on Fridays.',
    'page.html': `<!doctype html><html><head><title>Uploads handbook</title><style>.x{color:red}</style>
      <script>var heartbeatTimeoutSecret = 1;</script></head><body>
      <nav><a href="/">Home</a> <a href="/about">About</a></nav>
      <article><h1>Uploads handbook</h1>
      <p>Large uploads run as long-running tasks. Configure the heartbeat timeout so that a stalled upload is detected
      within thirty seconds, and let the task resume from the last reported chunk offset.</p>
      <h2>Chunk sizes</h2>
      <p>Chunks of eight megabytes balance throughput against the cost of retrying a failed chunk over slow links.</p>
      </article></body></html>`,
    'docs/report.pdf': pdf,
  });
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('ingestion', () => {
  test('reads markdown, text, HTML and PDF into passages with locations', async () => {
    const c = await loadCorpus(mixed);
    assert.equal(c.root, mixed);
    assert.deepEqual(
      c.documents.map((d) => d.rel),
      ['docs/report.pdf', 'guide.md', 'notes.txt', 'page.html']
    );
    assert.deepEqual(c.skipped, []);

    const zebra = c.passages.find((p) => p.text.includes('zebra migration'));
    assert.ok(zebra, 'page-2 PDF text is indexed');
    assert.equal(zebra.sourceId, 'docs/report.pdf#p2');
    assert.ok(!zebra.text.includes('orchards'), 'page 1 text is not in the page 2 passage');
    assert.equal(c.passages.find((p) => p.text.includes('orchards'))?.sourceId, 'docs/report.pdf#p1');

    const backups = c.passages.find((p) => p.text.includes('Nightly snapshots'));
    assert.ok(backups);
    assert.match(backups.sourceId, /^guide\.md#L\d+-L\d+$/);
    assert.equal(
      backups.title,
      'Deployment guide · Database backups',
      'a passage spanning short sections names them'
    );

    const html = c.passages.filter((p) => p.rel === 'page.html');
    const htmlText = html.map((p) => p.text).join('\n');
    assert.match(htmlText, /heartbeat timeout/);
    assert.match(htmlText, /^#+ Chunk sizes$/m, 'headings are kept as # lines');
    assert.doesNotMatch(htmlText, /heartbeatTimeoutSecret|color:red/, 'scripts and styles are dropped');
    assert.ok(html.some((p) => p.title === 'Chunk sizes'));

    assert.ok(
      c.passages.some((p) => p.rel === 'notes.txt' && p.title === 'notes.txt'),
      'file name is the title without headings'
    );
    for (const p of c.passages) assert.ok(existsSync(c.absPath(p.rel)));
  });

  test("Perl's POD is read: a .pod file, a module's and a script's documentation (whatever the script is named), not their code", async () => {
    const pod = (name: string) =>
      [
        '=head1 NAME',
        '',
        `${name} - light the lamp of the tower`,
        '',
        '=head1 OPTIONS',
        '',
        '=over 4',
        '',
        '=item B<-n>, B<--dry-run>',
        '',
        'Pretend to light the lamp, without striking a match. See L<the keeper guide|Lamp::Guide> and',
        'C<< $lamp->light >>; the wick is in F</var/lib/lamp/wick>, E<lt>wickE<gt> in short.',
        '',
        '=item B<-q>',
        '',
        'Light it quietly.',
        '',
        '    lamp --dry-run --quiet',
        '',
        '=back',
        '',
        '=cut',
      ].join('\n');
    const root = dir('pod', {
      'lamp.pod': pod('lamp'),
      'lib/Lamp.pm': [
        'package Lamp;',
        'sub light { print "flame\\n" }',
        '1;',
        '__END__',
        '',
        pod('Lamp'),
      ].join('\n'),
      'examples/lamp.local': [
        '#!/usr/bin/perl -w',
        'use strict;',
        'my $wick = shift;',
        '',
        pod('lamp.local'),
      ].join('\n'),
      'tools/trim.pl': '#!/usr/bin/perl\nprint "trimmed\\n";\n',
    });
    const { reasons, c, byFile } = await read(root);
    assert.equal(reasons.size, 0, JSON.stringify([...reasons]));
    for (const rel of ['lamp.pod', 'lib/Lamp.pm', 'examples/lamp.local']) {
      const text = byFile(rel);
      assert.match(text, /light the lamp of the tower/, rel);
      assert.match(
        text,
        /Pretend to light the lamp, without striking a match\. See the keeper guide and\n`\$lamp->light`; the wick is in `\/var\/lib\/lamp\/wick`, <wick> in short\./,
        `${rel}: formatting codes as their text, code as code`
      );
      assert.match(text, /```\n {4}lamp --dry-run --quiet\n```/, `${rel}: a verbatim paragraph is code`);
      assert.doesNotMatch(
        text,
        /=item|=head|=over|B<|use strict|sub light|print/,
        `${rel}: POD commands and Perl code`
      );
      const dry = c.passages.find((p) => p.rel === rel && p.text.includes('without striking a match'));
      assert.deepEqual(
        dry?.headings.slice(-2),
        ['OPTIONS', '-n, --dry-run'],
        `${rel}: an item names its entry`
      );
      assert.ok(dry?.sourceId.startsWith(`${rel}#L`), "line numbers are the file's");
    }
    const lines = byFile('examples/lamp.local').split('\n');
    assert.ok(lines.length > 0);
    const dryAt = c.passages.find((p) => p.rel === 'examples/lamp.local' && p.text.includes('striking'))!;
    const [, from] = /#L(\d+)-L(\d+)/.exec(dryAt.sourceId)!;
    assert.ok(
      Number(from) >= 5 && Number(from) <= 17,
      `the entry is where the file has it: ${dryAt.sourceId}`
    );
    assert.equal(byFile('tools/trim.pl'), '', 'a script without documentation gives no passage');
  });

  test("a script's comments are read as prose over its code (a Perl script's named for where it goes, when it has no POD); a script without comments gives no passage", async () => {
    const root = dir('scripts', {
      'examples/trim.awk': [
        '#!/usr/bin/awk -f',
        '',
        '# trim the wick of every lamp',
        '#',
        '#  some awks need double escapes on strings used as',
        '#  regular expressions.  If not run on mawk, use gtrim.awk',
        '',
        '{ gsub(/^ +/, ""); print }',
      ].join('\n'),
      'examples/dim.sh': '#!/bin/sh\n# Dim the lamp at dawn, never at sunrise.\nlamp --dim\n',
      'examples/count.py.gz': gzipSync(
        '#!/usr/bin/env python3\n# Count the lamp nights of a month.\nprint(31)\n'
      ),
      // A script named without an extension, as example folders name some.
      'examples/hcal': '#!/usr/bin/mawk -We\n# prints a calendar of the lamp nights\nBEGIN { print }\n',
      'tools/quiet.py': 'import sys\nprint(sys.argv)\n',
      // A Perl script without POD, named for where it goes: its documentation is its comments.
      'examples/lamp.expire.cron': [
        '#!/usr/bin/perl',
        '#',
        '# lamp.expire.cron: sample reminder script that mails the keeper before the oil runs out',
        '#',
        '# Usage: rename to /etc/cron.daily/lamp',
        '',
        '$DAYS = 7;',
        'print "oil\\n";',
      ].join('\n'),
      'tools/refill.pl': '#!/usr/bin/perl -w\n# Refill the lamp with oil from the cellar.\nprint 1;\n',
    });
    const { reasons, byFile } = await read(root);
    assert.equal(reasons.size, 0, JSON.stringify([...reasons]));
    const trim = byFile('examples/trim.awk');
    assert.match(trim, /trim the wick of every lamp/);
    assert.match(
      trim,
      /some awks need double escapes on strings used as\nregular expressions\. {2}If not run on mawk, use gtrim\.awk/
    );
    assert.match(trim, /```\n\{ gsub\(\/\^ \+\/, ""\); print \}\n```/, 'its code is code');
    assert.doesNotMatch(trim, /usr\/bin\/awk/, 'the interpreter line is not prose');
    assert.match(byFile('examples/dim.sh'), /Dim the lamp at dawn/);
    assert.match(byFile('examples/count.py.gz'), /Count the lamp nights/);
    assert.match(byFile('examples/hcal'), /calendar of the lamp nights/);
    assert.equal(byFile('tools/quiet.py'), '', 'a script without comments gives no passage');
    const cron = byFile('examples/lamp.expire.cron');
    assert.match(
      cron,
      /sample reminder script that mails the keeper/,
      'a Perl script without POD: its comments'
    );
    assert.doesNotMatch(cron, /usr\/bin\/perl/, 'the interpreter line is not prose');
    assert.equal(byFile('tools/refill.pl'), '', "a .pl program's comments are notes on its code");
  });

  test('README-style names, reStructuredText, AsciiDoc and gzipped documents (as Debian installs them) are read', async () => {
    const root = dir('formats', {
      README:
        'Lighthouse keeper\n=================\n\nThe keeper trims the wick of the lamp every evening at dusk.',
      'README.Debian': 'The Debian package keeps the logbook under /var/lib/lighthouse.',
      'NEWS.gz': gzipSync('Version 2.0\n-----------\n\nThe foghorn now sounds every thirty seconds in fog.'),
      'guide.rst.gz': gzipSync('Signals\n=======\n\nA red flare means the harbour is closed to shipping.'),
      'manual.rst': 'Beacons\n=======\n\nEach beacon flashes twice every ten seconds.\n',
      'notes.adoc': '== Provisions\n\nThe keeper stores forty days of biscuits in the tower.\n',
      Makefile: 'all:\n\techo not a document\n',
      Dockerfile: 'FROM debian:stable\nRUN echo not a document\n',
      // A document named by one capitalised word, as documentation folders name some texts.
      'Explanations.gz': gzipSync(
        'Puzzling behaviour explained: the lamp is dimmed at dawn, not at sunrise.'
      ),
      QuickRef: 'Quick reference: trim the wick, wind the clockwork, light the lamp.',
      'README.dns': 'Host keys can be published in DNS as SSHFP records and checked with VerifyHostKeyDNS.',
      RBASH: 'A restricted shell does not allow changing directories with cd.',
      // lsof's folder sorts its texts first with a "00" prefix.
      '00FAQ.gz': gzipSync('Why is the lamp slow to light? The wick is damp in fog.'),
      // A README named for what it is about, before or after the word.
      'descore.README.gz': gzipSync('The fast DES core encrypts one block per lamp signal.'),
      'README.C++': 'The C++ bindings of the lamp library are header-only.',
      'OVERVIEW.gz': gzipSync('The lamp room sits above the watch room.'),
      INTRO:
        "In the tower, the `lamp' is lit with `matches', never with `oil'. Dim it with the ``-d'' switch.",
      // Release notes and change logs named with a version, a year or an architecture.
      'releases/v2.13-ReleaseNotes.gz': gzipSync('The lantern now rotates clockwise at night.'),
      'ChangeLog-2013.gz': gzipSync('2013-04-02  Keeper: the spare wick is kept in the drawer.'),
      'changelog.Debian.amd64.gz': gzipSync('lighthouse (1.0+b1) unstable; binary-only rebuild.'),
      // Names in capitals joined by a dot, as groff names "MORE.STUFF".
      'MORE.STUFF.gz': gzipSync('More stuff: a brass telescope hangs by the door.'),
      // Commented configuration examples, and a file named by a plain word without an extension.
      'examples/configure-index': 'Lamp::Flash-Rate "12"; // flashes of the lamp per minute',
      'examples/lamp.conf': '/* lamp.conf: the colour of\n   the lamp */\nLamp {\n  Colour "amber";\n};\n',
      'examples/sources.list': [
        '# See the lamp manual for more.',
        'deb http://lamp.example/debian stable main',
        '',
        '# Uncomment if you want the spare parts',
        '# to be fetched too',
        '#deb-src http://lamp.example/debian stable main',
      ].join('\n'),
      // Org mode notes: outline stars head sections.
      'NOTES.org.gz': gzipSync(
        [
          '#+TITLE: Keeper notes',
          '#+OPTIONS: toc:nil',
          '* TODO Storms :weather:',
          ':PROPERTIES:',
          ':CUSTOM_ID: storms',
          ':END:',
          'During storms the shutters are bolted from inside; see [[https://example.org/shutters][the shutter guide]].',
          '# a comment for the keeper only',
          '** Signals',
          'Sound the horn with =horn --long= or ~horn -l~.',
          '#+BEGIN_SRC sh',
          'horn --long --repeat 3',
          '#+END_SRC',
          '| signal | meaning |',
          '|--------+---------|',
          '| two    | closed  |',
        ].join('\n')
      ),
      'install.sh': '#!/bin/sh\necho a script, not a document\n',
      'broken.txt.gz': Buffer.from('not gzip at all'),
      'bomb.txt.gz': gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x61)),
    });
    const { reasons, c, byFile } = await read(root);
    assert.match(reasons.get('broken.txt.gz') ?? '', /not a readable gzip file/);
    assert.match(reasons.get('bomb.txt.gz') ?? '', /uncompressed, the file is larger than the 5 MB limit/);
    assert.equal(reasons.size, 2, JSON.stringify([...reasons]));
    assert.match(byFile('README'), /trims the wick/);
    assert.match(byFile('README.Debian'), /logbook/);
    assert.match(byFile('NEWS.gz'), /foghorn now sounds/);
    assert.match(byFile('guide.rst.gz'), /red flare/);
    assert.match(byFile('manual.rst'), /flashes twice/);
    assert.match(byFile('notes.adoc'), /forty days of biscuits/);
    assert.equal(byFile('Makefile'), '', 'a file named for something else than a document is not read');
    assert.equal(byFile('Dockerfile'), '', 'nor a build recipe named like a word');
    assert.match(byFile('Explanations.gz'), /dimmed at dawn/, 'a name that is one capitalised word');
    assert.match(byFile('QuickRef'), /wind the clockwork/, 'a capitalised compound word');
    assert.match(byFile('README.dns'), /SSHFP records/, 'a README about one thing');
    assert.match(byFile('RBASH'), /restricted shell/, 'a name in capitals');
    assert.match(byFile('OVERVIEW.gz'), /lamp room/);
    assert.match(byFile('00FAQ.gz'), /wick is damp/, 'a name in capitals after a sorting number');
    assert.match(byFile('descore.README.gz'), /fast DES core/);
    assert.match(byFile('README.C++'), /header-only/);
    assert.match(byFile('releases/v2.13-ReleaseNotes.gz'), /rotates clockwise/, 'release notes of a version');
    assert.match(byFile('ChangeLog-2013.gz'), /spare wick/, 'a change log of a year');
    assert.match(byFile('changelog.Debian.amd64.gz'), /binary-only rebuild/);
    assert.match(byFile('MORE.STUFF.gz'), /brass telescope/, 'capitals joined by a dot');
    assert.match(byFile('examples/configure-index'), /flashes of the lamp/, 'a name without an extension');
    assert.match(
      byFile('examples/lamp.conf'),
      /^lamp\.conf: the colour of\nthe lamp\n+```\nLamp \{\n {2}Colour "amber";\n\};\n```$/,
      'a configuration example: a block comment is prose'
    );
    assert.match(
      byFile('examples/sources.list'),
      /Uncomment if you want the spare parts\nto be fetched too\n+```\n#deb-src http:\/\/lamp\.example\/debian stable main\n```/,
      'an APT source list: its comments are prose, its settings code, one left commented out too'
    );
    const org = byFile('NOTES.org.gz');
    assert.match(
      org,
      /shutters are bolted from inside; see \[the shutter guide\]\(https:\/\/example\.org\/shutters\)\./,
      'Org mode, its link as a Markdown link'
    );
    assert.match(org, /Sound the horn with `horn --long` or `horn -l`\./, 'verbatim and code markup as code');
    assert.match(org, /```\nhorn --long --repeat 3\n```/, 'a source block as code');
    assert.match(org, /\| two \| closed \|/, 'a table as rows');
    assert.doesNotMatch(
      org,
      /CUSTOM_ID|toc:nil|for the keeper only|TODO|:weather:/,
      'settings, drawers and comments'
    );
    assert.ok(
      c.passages.some(
        (p) => p.rel === 'NOTES.org.gz' && p.headings.join(' › ') === 'Keeper notes › Storms › Signals'
      ),
      'outline stars head sections, under the title'
    );
    assert.equal(byFile('install.sh'), '', 'a script named after a document is a script');
    // GNU documentation quotes `like this' (Texinfo's plain text): a quotation, not a code span.
    assert.match(byFile('INTRO'), /the 'lamp' is lit with 'matches', never with 'oil'/);
    // And TeX's ``double quotes'' (lsof's FAQ, GDB's NEWS): a quotation too, whole.
    assert.match(byFile('INTRO'), /Dim it with the "-d" switch\./);
    const hit = await searchCorpus({ corpus: root, query: 'how often does the foghorn sound' });
    assert.equal(hit.results[0]?.path && path.basename(hit.results[0].path), 'NEWS.gz');
    assert.ok(
      c.passages.some((p) => p.rel === 'guide.rst.gz' && p.title.includes('Signals')),
      'the heading of a gzipped file'
    );
  });

  test('DocBook XML is read as the document it describes; other XML is skipped with a reason', async () => {
    const manual = `<!-- a comment about the licence -->
<!DOCTYPE refentry PUBLIC "-//OASIS//DTD DocBook XML V4.2//EN" "http://www.oasis-open.org/docbook/xml/4.2/docbookx.dtd" [
  <!ENTITY dhpackage "lampctl">
  <!ENTITY dhsection "<manvolnum>1</manvolnum>">
  <!ENTITY outside SYSTEM "http://example.org/elsewhere.xml">
]>
<refentry>
  <refentryinfo><author><firstname>Ada</firstname><surname>Keeper</surname></author></refentryinfo>
  <refmeta><refentrytitle>LAMPCTL</refentrytitle>&dhsection;</refmeta>
  <refnamediv><refname>&dhpackage;</refname><refpurpose>Controls the lighthouse lamp</refpurpose></refnamediv>
  <refsynopsisdiv><cmdsynopsis><command>&dhpackage;</command> <arg><replaceable>OPTIONS</replaceable></arg></cmdsynopsis></refsynopsisdiv>
  <refsect1>
    <title>OPTIONS</title>
    <variablelist>
      <varlistentry>
        <term><option>-s</option></term>
        <listitem><para>Sweep the beam slowly &mdash; once a minute &amp; no faster.</para></listitem>
      </varlistentry>
      <varlistentry>
        <term><option>-d</option> <replaceable>dir</replaceable></term>
        <listitem><para>Write the log to <filename>dir</filename>.
          <emphasis>Warning</emphasis>: files already in <replaceable>dir</replaceable> are deleted.</para></listitem>
      </varlistentry>
    </variablelist>
    <programlisting><![CDATA[lampctl -s <night>]]></programlisting>
  </refsect1>
</refentry>`;
    const article = `<?xml version="1.0"?>
<article xmlns="http://docbook.org/ns/docbook" version="5.0">
  <info><title>Keeper's handbook</title></info>
  <section><title>Fog</title>
    <para>In fog the horn sounds every <emphasis>thirty</emphasis> seconds, as the <citation>IALA</citation> rules say.</para>
    <itemizedlist><listitem><para>Check the compressor.</para></listitem></itemizedlist>
    <informaltable><tgroup cols="2"><thead><row><entry>Signal</entry><entry>Meaning</entry></row></thead>
      <tbody><row><entry>Two blasts</entry><entry>Harbour closed</entry></row></tbody></tgroup></informaltable>
  </section>
</article>`;
    const root = dir('docbook', {
      'lampctl.xml.gz': gzipSync(manual),
      'handbook.xml': article,
      'mime-types.xml': '<?xml version="1.0"?><mime-info><mime-type type="text/x-lamp"/></mime-info>',
      'broken.xml': '<refentry><refsect1><title>Unclosed',
    });
    const { reasons, c, byFile } = await read(root);
    assert.match(reasons.get('mime-types.xml') ?? '', /XML.*not DocBook.*<mime-info>/);
    const page = byFile('lampctl.xml.gz');
    assert.match(page, /lampctl/, "the DTD's own entities are replaced by their text");
    assert.match(
      page,
      /Sweep the beam slowly — once a minute & no faster\./,
      'named and XML entities decoded'
    );
    assert.match(page, /-d dir\n: Write the log to dir\. Warning: files already in dir are deleted\./);
    assert.match(page, /lampctl -s <night>/, 'a CDATA program listing, as code');
    assert.doesNotMatch(page, /licence|elsewhere/, 'comments and external entities are not read');
    assert.ok(
      c.passages.some((p) => p.rel === 'lampctl.xml.gz' && /OPTIONS/.test(p.title) && /-s/.test(p.text)),
      'a section title heads its passages'
    );
    assert.equal(
      c.passages.find((p) => p.rel === 'lampctl.xml.gz')?.headings[0],
      'lampctl — Controls the lighthouse lamp',
      'a manual page is headed by its name and purpose'
    );
    const hand = byFile('handbook.xml');
    assert.match(
      hand,
      /horn sounds every thirty seconds, as the \[IALA\] rules say\./,
      'a citation in brackets'
    );
    assert.match(hand, /Check the compressor/);
    assert.match(hand, /\| Two blasts \| Harbour closed \|/, 'a table as rows');
    assert.ok(c.passages.some((p) => p.rel === 'handbook.xml' && p.title.includes('Fog')));
    assert.match(
      reasons.get('broken.xml') ?? byFile('broken.xml'),
      /XML|Unclosed/,
      'malformed XML: skipped with a reason, or read as far as it goes'
    );
  });

  test('corrupt, binary and unsupported files are skipped with a reason, never fatal', async () => {
    const root = dir('broken', {
      'good.md': '# Fine\n\nThis document is perfectly readable text about lighthouses.',
      'broken.pdf': '%PDF-1.4\nthis is not really a pdf at all\n%%EOF',
      'fake.pdf': 'no header here',
      'garbage.txt': Buffer.from([0x00, 0xff, 0x10, 0x00, 0x8f, 0x01, 0x02, 0x03, 0x00, 0x7f]),
      // A name without an extension is read as text, unless it is a script or binary.
      'examples/generate': '#!/usr/bin/perl\nprint "not a document";\n',
      'examples/helper': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]),
      'letter.docx': Buffer.from('PK\u0003\u0004zip'),
      '.hidden.md': '# hidden',
      'node_modules/pkg/README.md': '# vendored',
      'empty.md': '   \n\n',
    });
    const r = await prepareCorpus({ corpus: root });
    assert.equal(r.documents, 1);
    const reasons = new Map(r.skipped.map((s) => [path.relative(root, s.path), s.reason]));
    assert.match(reasons.get('broken.pdf') ?? '', /PDF/);
    assert.match(reasons.get('fake.pdf') ?? '', /not a PDF/);
    assert.match(reasons.get('garbage.txt') ?? '', /binary/);
    assert.match(reasons.get('letter.docx') ?? '', /unsupported format \.docx/);
    assert.match(reasons.get('empty.md') ?? '', /no readable text/);
    assert.match(reasons.get('examples/generate') ?? '', /a script \(it starts with "#!"\)/);
    assert.match(reasons.get('examples/helper') ?? '', /binary/);
    assert.equal(reasons.size, 7);
    const c = await loadCorpus(root);
    assert.ok(!c.passages.some((p) => p.text.includes('hidden') || p.text.includes('vendored')));
  });

  test('long paragraphs are cut to bounded passages with unique ids', () => {
    const longLine = Array.from(
      { length: 60 },
      (_, i) => `Sentence number ${i} talks about topic ${i % 5}.`
    ).join(' ');
    const lines = [
      '# Title',
      '',
      longLine,
      '',
      ...Array.from({ length: 40 }, (_, i) => `line ${i} ${words(12)}`),
    ];
    const passages = toPassages('x.md', { kind: 'lines', title: 'x.md', markdown: true, lines }, 0);
    assert.ok(passages.length >= 4);
    for (const p of passages)
      assert.ok(p.text.split(/\s+/).length <= MAX_WORDS + 5, `passage ${p.sourceId} too long`);
    const ids = passages.map((p) => p.sourceId);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.includes('x.md#L1-L3') || ids.some((id) => /^x\.md#L\d+-L3\.2$/.test(id)), ids.join(', '));
    assert.ok(
      ids.some((id) => id.endsWith('.2')),
      'a repeated line range gets a .2 suffix'
    );
  });
});

describe('index cache', () => {
  test('the index is built once per content hash; a change gives a new id', async () => {
    const root = dir('cached', {
      'a.md': '# A\n\nAlpha text about gardens.',
      'b.txt': 'Bravo text about boats.',
    });
    const first = await prepareCorpus({ corpus: root });
    assert.equal(first.builtIndex, true);
    assert.match(first.corpusId, /^[0-9a-f]{64}$/);
    const second = await prepareCorpus({ corpus: root });
    assert.equal(second.builtIndex, false);
    assert.equal(second.corpusId, first.corpusId);

    const cacheDir = path.join(process.env.STEADFAST_DATA_DIR!, 'corpus', first.corpusId);
    assert.deepEqual(readdirSync(cacheDir).sort(), ['index.json', 'manifest.json', 'passages.json']);

    clearCorpusMemo(); // a fresh process: served from the on-disk cache
    const third = await prepareCorpus({ corpus: root });
    assert.equal(third.builtIndex, false);
    assert.equal(third.corpusId, first.corpusId);
    assert.equal((await searchCorpus({ corpus: root, query: 'boats' })).results[0]?.sourceId, 'b.txt#L1-L1');

    writeFileSync(path.join(root, 'b.txt'), 'Bravo text about trains.');
    const changed = await prepareCorpus({ corpus: root });
    assert.notEqual(changed.corpusId, first.corpusId);
    assert.equal(changed.builtIndex, true);
    assert.equal((await searchCorpus({ corpus: root, query: 'boats' })).results.length, 0);
    assert.equal((await searchCorpus({ corpus: root, query: 'trains' })).results.length, 1);

    const rebuilt = await buildCorpusIndex(root);
    assert.equal(rebuilt.corpusId, changed.corpusId);
    assert.ok(rebuilt.cacheBytes > 0);
  });

  test('searches use the corpus as last prepared; preparing again picks up a change', async () => {
    const root = dir('prepared', { 'a.md': '# A\n\nThe lighthouse keeper logs every ship.' });
    await prepareCorpus({ corpus: root });
    writeFileSync(path.join(root, 'a.md'), '# A\n\nThe harbour master logs every ship.');
    // A run searches one corpus many times: it does not walk the folder again for each search.
    assert.equal((await searchCorpus({ corpus: root, query: 'lighthouse' })).results.length, 1);
    await prepareCorpus({ corpus: root });
    assert.equal((await searchCorpus({ corpus: root, query: 'lighthouse' })).results.length, 0);
    assert.equal((await searchCorpus({ corpus: root, query: 'harbour' })).results.length, 1);
  });

  test('the same content in another directory shares the id but reports its own paths', async () => {
    const a = dir('twin-a', { 'x.md': '# X\n\nShared twin content about owls.' });
    const b = dir('twin-b', { 'x.md': '# X\n\nShared twin content about owls.' });
    const ra = await prepareCorpus({ corpus: a });
    const rb = await prepareCorpus({ corpus: b });
    assert.equal(ra.corpusId, rb.corpusId);
    const hit = (await searchCorpus({ corpus: b, query: 'owls' })).results[0];
    assert.equal(hit?.path, path.join(b, 'x.md'));
  });
});

describe('searchCorpus', () => {
  test('ranks the file holding the answer first in a mixed md+html folder', async () => {
    const r = await searchCorpus({
      corpus: mixed,
      query: 'how do I detect a stalled upload? heartbeat timeout',
    });
    assert.equal(r.results[0]?.path, path.join(mixed, 'page.html'));
    assert.match(r.results[0]?.excerpt ?? '', /heartbeat timeout/);
    const db = await searchCorpus({ corpus: mixed, query: 'how long are database snapshots kept' });
    assert.equal(db.results[0]?.path, path.join(mixed, 'guide.md'));
    assert.match(db.results[0]?.title ?? '', /Database backups/);
    const pdf = await searchCorpus({ corpus: mixed, query: 'zebra herds' });
    assert.equal(pdf.results[0]?.sourceId, 'docs/report.pdf#p2');
  });

  test('limits results and excerpts', async () => {
    const files: Record<string, string> = {};
    // Each file has words of its own: near-identical files would be collapsed into one hit.
    for (let i = 0; i < 15; i++)
      files[`f${i}.md`] =
        `# Doc ${i}\n\nCommon keyword walrus. ${words(150 + i, `topic${i}x`)} walrus again.`;
    const root = dir('many', files);
    assert.equal((await searchCorpus({ corpus: root, query: 'walrus' })).results.length, 5);
    assert.equal((await searchCorpus({ corpus: root, query: 'walrus', limit: 50 })).results.length, 10);
    assert.equal((await searchCorpus({ corpus: root, query: 'walrus', limit: 2 })).results.length, 2);
    for (const hit of (await searchCorpus({ corpus: root, query: 'walrus', limit: 10 })).results) {
      assert.ok(hit.excerpt.length <= 1200, `excerpt of ${hit.excerpt.length} chars`);
      assert.match(hit.excerpt, /walrus/);
      assert.ok(hit.score > 0);
    }
  });
});

describe('readDocument', () => {
  test('returns the passage with its neighbours, bounded', async () => {
    const sections = Array.from({ length: 8 }, (_, i) => `## Section ${i}\n\nMarker-${i} ${words(60)}`).join(
      '\n\n'
    );
    const root = dir('sections', { 'book.md': `# Book\n\n${sections}` });
    const c = await loadCorpus(root);
    const ids = c.passages.map((p) => p.sourceId);
    const mid = c.passages.findIndex((p) => p.text.includes('Marker-4'));
    assert.ok(mid > 0 && mid < ids.length - 1);

    const one = await readDocument({ corpus: root, sourceId: ids[mid]!, window: 1 });
    assert.equal(one.sourceId, ids[mid]);
    assert.equal(one.path, path.join(root, 'book.md'));
    assert.equal(one.title, 'Section 4');
    assert.match(one.text, /Marker-3/);
    assert.match(one.text, /Marker-4/);
    assert.match(one.text, /Marker-5/);
    assert.doesNotMatch(one.text, /Marker-2|Marker-6/);

    const zero = await readDocument({ corpus: root, sourceId: ids[mid]!, window: 0 });
    assert.match(zero.text, /Marker-4/);
    assert.doesNotMatch(zero.text, /Marker-3|Marker-5/);

    const wide = await readDocument({ corpus: root, sourceId: ids[mid]!, window: 5 });
    assert.ok(wide.text.length <= 4000, `${wide.text.length} chars`);
    assert.match(wide.text, /Marker-4/);

    const firstDoc = await readDocument({ corpus: root, sourceId: 'book.md' });
    assert.equal(firstDoc.sourceId, ids[0]);
  });
});

describe('errors', () => {
  test('are non-retryable ApplicationFailures of the right type', async () => {
    const missing = path.join(scratch, 'does-not-exist');
    const notFound = await failure(() => prepareCorpus({ corpus: missing }));
    assert.equal(notFound.type, 'CorpusNotFound');
    assert.equal(notFound.nonRetryable, true);
    assert.ok(notFound.message.includes(missing));
    assert.match(notFound.message, /Fix:/);

    const empty = await failure(() =>
      prepareCorpus({ corpus: dir('empty', { 'picture.png': 'x', 'bad.pdf': 'nope' }) })
    );
    assert.equal(empty.type, 'CorpusEmpty');
    assert.equal(empty.nonRetryable, true);

    const blank = await failure(() => searchCorpus({ corpus: mixed, query: '   ' }));
    assert.equal(blank.type, 'InvalidQuery');
    assert.equal(blank.nonRetryable, true);

    const unknown = await failure(() => readDocument({ corpus: mixed, sourceId: 'guide.md#L900-L901' }));
    assert.equal(unknown.type, 'SourceNotFound');
    assert.equal(unknown.nonRetryable, true);
    assert.match(unknown.message, /#L<start>-L<end>/);
    assert.match(unknown.message, /"guide\.md#L\d+-L\d+"/);
  });

  test('the activities object exposes the three activities', () => {
    assert.deepEqual(Object.keys(corpusActivities).sort(), ['prepareCorpus', 'readDocument', 'searchCorpus']);
  });
});

describe('default corpus', () => {
  test('loads the installed dependency documentation and answers from it', async () => {
    const r = await prepareCorpus({});
    assert.ok(r.documents > 5, `${r.documents} documents`);
    assert.ok(r.passages > r.documents);
    assert.deepEqual(await prepareCorpus({ corpus: 'default' }).then((x) => x.corpusId), r.corpusId);
    // The project's own docs/ grow; the installed documents must still be among the first ten.
    const s = await searchCorpus({ query: 'activity retry policy', limit: 10 });
    assert.ok(s.results.length > 0);
    assert.ok(
      s.results.some((r) => /node_modules[/\\]@temporalio[/\\]/.test(r.path)),
      `an installed @temporalio document among the hits: ${s.results.map((r) => r.path).join(', ')}`
    );
    assert.ok(
      s.results.every((r) =>
        /^(node_modules\/@(temporalio|openai)\/|docs\/|README\.md)[^#]*#L\d+-L\d+/.test(r.sourceId)
      )
    );
    const c = await loadCorpus();
    assert.ok(c.documents.every((d) => /\.md$/i.test(d.rel)));
    assert.ok(
      c.documents.every((d) =>
        /^(node_modules\/@temporalio\/|node_modules\/@openai\/agents-|docs\/|README\.md$)/.test(d.rel)
      ),
      'only the intended sources'
    );
    // steadfast's own README: the commands a user asks about first ("how do I re-attach to a run?").
    assert.ok(c.documents.some((d) => d.rel === 'README.md'));
  });
});
