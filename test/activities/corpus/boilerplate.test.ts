import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  blockBoilerplate,
  documentBoilerplate,
  headingBoilerplate,
  isLicenseText,
  releaseNotesDocument,
} from '../../../src/activities/corpus/boilerplate.js';
import type { Block } from '../../../src/activities/corpus/blocks.js';
import { toPassages } from '../../../src/activities/corpus/passages.js';
import { searchCorpus } from '../../../src/activities/corpus.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-boilerplate-test-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

const block = (text: string, kind: Block['kind'] = 'paragraph'): Block => ({
  kind,
  lines: text.split('\n'),
  start: 1,
  end: text.split('\n').length,
});

const MIT = [
  'Copyright (c) 2024 Example Authors',
  '',
  'Permission is hereby granted, free of charge, to any person obtaining a copy',
  'of this software and associated documentation files (the "Software"), to deal',
  'in the Software without restriction.',
  '',
  'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR',
  'IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY.',
].join('\n');

describe('boilerplate is recognised', () => {
  test('licences: licence files, licence sections and licence wording', () => {
    assert.equal(documentBoilerplate('pkg/LICENSE.md'), 'license');
    assert.equal(documentBoilerplate('COPYING'), 'license');
    assert.equal(documentBoilerplate('docs/licensing-guide.md'), undefined);
    for (const h of ['License', 'Licence', '## 🦮 LICENSE', 'License (MIT)', 'Copyright and license'])
      assert.equal(headingBoilerplate(h.replace(/^#+ /, '')), 'license', h);
    assert.equal(headingBoilerplate('License keys and activation'), undefined);
    assert.ok(isLicenseText(MIT.split('\n\n')[1]!), 'one paragraph of the MIT licence');
    assert.ok(isLicenseText('This program is free software; you can redistribute it under the GPL.'));
    assert.ok(!isLicenseText('Set the license key in the LICENSE_KEY environment variable before starting.'));
    const passages = toPassages(
      'README.md',
      {
        kind: 'lines',
        title: 'README.md',
        markdown: true,
        lines: `# Tool\n\nIt frobs widgets.\n\n${MIT}`.split('\n'),
      },
      0
    );
    assert.equal(passages.find((p) => p.text.includes('frobs widgets'))?.boilerplate, undefined);
    assert.equal(passages.find((p) => p.text.includes('Permission is hereby'))?.boilerplate, 'license');
  });

  test('tables of contents: anchor-link lists, contents headings, dotted leaders', () => {
    const toc = '- [Install](#install)\n  - [From npm](#from-npm)\n- [Usage](#usage)';
    for (const line of toc.split('\n')) assert.equal(blockBoilerplate(block(line, 'item')), 'toc', line);
    assert.equal(headingBoilerplate('Table of Contents'), 'toc');
    // A book's back-of-book index lists every name it defines: it matches any query, answers none.
    for (const h of [
      'Index',
      'Function and Concept Index',
      'Concept Index',
      'Index of Functions',
      'C.2 Variable Index',
    ])
      assert.equal(headingBoilerplate(h), 'toc', h);
    for (const h of ['Indexes', 'Index Types', 'Creating an Index', 'The index file', 'Partial Indexes'])
      assert.equal(headingBoilerplate(h), undefined, h);
    assert.equal(
      blockBoilerplate(block('Introduction ........ 1\nInstalling ........ 4\nUsage ....... 9')),
      'toc'
    );
    assert.equal(
      blockBoilerplate(block('- [Install guide](docs/install.md) explains every option', 'item')),
      undefined
    );
  });

  test('navigation: Next/Up lines, link bars', () => {
    assert.equal(
      blockBoilerplate(
        block('Next: [Structures](Structures.html), Up: [Types](Types.html) [[Index](Index.html)]')
      ),
      'navigation'
    );
    assert.equal(
      blockBoilerplate(
        block('[Website](https://x.dev) | [Docs](https://x.dev/docs) | [Blog](https://x.dev/blog)')
      ),
      'navigation'
    );
    assert.equal(
      blockBoilerplate(block('Example files: [a.js](./a.js), [b.js](./b.js), [c.js](./c.js)')),
      undefined,
      'a sentence that names several files is content'
    );
  });

  test('changelogs: changelog files, sections and version headings', () => {
    assert.equal(documentBoilerplate('CHANGELOG.md'), 'changelog');
    assert.equal(documentBoilerplate('docs/HISTORY.md'), 'changelog');
    assert.equal(documentBoilerplate('release-notes.txt'), 'changelog');
    // Named by the release or the year they cover, gzipped as Debian installs them.
    assert.equal(documentBoilerplate('util-linux/releases/v2.31-ReleaseNotes.gz'), 'changelog');
    assert.equal(documentBoilerplate('man-db/ChangeLog-2013.gz'), 'changelog');
    assert.equal(documentBoilerplate('tar/changelog.1.gz'), 'changelog');
    assert.equal(documentBoilerplate('bash/changelog.Debian.amd64.gz'), 'changelog');
    assert.equal(documentBoilerplate('NEWS.gz'), 'changelog');
    assert.equal(documentBoilerplate('docs/newsletter-guide.md'), undefined);
    for (const h of [
      'Changelog',
      'Release notes',
      "What's new",
      'v2.1.0',
      '1.4.0 (2024-03-01)',
      '[3.0.0] - 2024-01-02',
    ])
      assert.equal(headingBoilerplate(h), 'changelog', h);
    for (const h of ['2.1 The Basics', 'Versioning policy', 'Changing the defaults'])
      assert.equal(headingBoilerplate(h), undefined, h);
  });

  test('badges and footers, but not figures', () => {
    assert.equal(
      blockBoilerplate(
        block(
          '[![npm](https://img.shields.io/npm/v/x)](https://npmjs.com/package/x)\n[![CI](https://github.com/o/x/actions/workflows/ci.yml/badge.svg)](https://github.com/o/x/actions)'
        )
      ),
      'badges'
    );
    assert.equal(blockBoilerplate(block('![architecture](figures/architecture.svg)')), undefined);
    assert.equal(
      blockBoilerplate(block('Copyright (c) 2004, 2005 by Mark Adler\nLast modified 11 December 2005')),
      'footer'
    );
    assert.equal(blockBoilerplate(block('Generated by Doxygen 1.9.8')), 'footer');
  });
});

describe('boilerplate in search', () => {
  test('is ranked below content that answers as well, and flagged', async () => {
    const root = path.join(scratch, 'demote');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      path.join(root, 'guide.md'),
      '# Guide\n\nThe widget cache is flushed every hour by the scheduler, which also compacts the store.'
    );
    writeFileSync(
      path.join(root, 'CHANGELOG.md'),
      '# 2.0.0\n\n- The widget cache flush now runs hourly: the widget cache is flushed by the scheduler.'
    );
    const r = await searchCorpus({ corpus: root, query: 'widget cache flush scheduler' });
    assert.deepEqual(
      r.results.map((h) => [path.basename(h.path), h.boilerplate]),
      [
        ['guide.md', false],
        ['CHANGELOG.md', true],
      ]
    );
    const changes = await searchCorpus({ corpus: root, query: 'what changed about the widget cache flush' });
    assert.equal(changes.results.find((h) => path.basename(h.path) === 'CHANGELOG.md')?.boilerplate, false);
    // A full release number names a release, whose notes say what it has; a product line ("2.0") does not.
    const release = await searchCorpus({
      corpus: root,
      query: 'widget cache flush scheduler',
      question: 'Does 2.0.0 flush the widget cache?',
    });
    assert.equal(release.results.find((h) => path.basename(h.path) === 'CHANGELOG.md')?.boilerplate, false);
    const line = await searchCorpus({
      corpus: root,
      query: 'widget cache flush scheduler',
      question: 'Does Widgetry 2.0 flush the widget cache?',
    });
    assert.equal(line.results.find((h) => path.basename(h.path) === 'CHANGELOG.md')?.boilerplate, true);
    // Whether a package is patched, and in which revision: a changelog entry says so.
    for (const question of [
      'A scanner flags the widget cache flush. Is the bookworm package patched?',
      'In which package revision was the widget cache flush vulnerability closed?',
      'Does the package include the widget cache flush fix for CVE-2024-1234?',
    ]) {
      const asked = await searchCorpus({ corpus: root, query: 'widget cache flush scheduler', question });
      assert.equal(
        asked.results.find((h) => path.basename(h.path) === 'CHANGELOG.md')?.boilerplate,
        false,
        question
      );
    }
  });

  test('release notes written for users (NEWS) are ranked down less than a log of every change', async () => {
    assert.ok(releaseNotesDocument('make/NEWS.gz'));
    assert.ok(releaseNotesDocument('pkg/NEWS.Debian'));
    assert.ok(releaseNotesDocument('docs/RELEASE-NOTES.md'));
    assert.ok(releaseNotesDocument('util-linux/releases/v2.31-ReleaseNotes.gz'));
    assert.ok(!releaseNotesDocument('man-db/ChangeLog-2013.gz'));
    assert.ok(!releaseNotesDocument('make/ChangeLog'));
    assert.ok(!releaseNotesDocument('pkg/changelog.Debian.gz'));
    assert.ok(!releaseNotesDocument('bash/CHANGES'));
    // The same entry beside the same guide, once in release notes and once in a change log.
    const entry = [
      '* Noteworthy changes in release 4.3',
      '',
      "** Grouped targets: a rule whose targets are separated by '&:' instead of ':' says that one run",
      'of its recipe writes all of them, so the recipe runs once.',
      '',
    ].join('\n');
    const guide =
      '# Rules\n\nA rule with several targets is the same as several rules: its recipe runs for each target.\n';
    const scoreIn = async (name: string) => {
      const root = path.join(scratch, `release-notes-${name}`);
      mkdirSync(root, { recursive: true });
      writeFileSync(path.join(root, 'guide.md'), guide);
      writeFileSync(path.join(root, name), entry);
      const r = await searchCorpus({ corpus: root, query: 'recipe runs once for several targets' });
      const hit = r.results.find((h) => path.basename(h.path) === name);
      assert.equal(hit?.boilerplate, true, `${name} is flagged all the same`);
      return hit.score / r.results.find((h) => h.title === 'Rules')!.score;
    };
    const news = await scoreIn('NEWS');
    const log = await scoreIn('ChangeLog');
    assert.ok(
      news >= 1.5 * log,
      `NEWS ${news.toFixed(3)} vs ChangeLog ${log.toFixed(3)} of the guide's score`
    );
  });

  test('is not ranked down when the search asks for it (the licence)', async () => {
    const root = path.join(scratch, 'readme');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      path.join(root, 'README.md'),
      [
        '# Widgetry',
        '',
        '- [Activation](#activation)',
        '- [License](#license)',
        '',
        '## Activation',
        '',
        'Every Widgetry installation is activated with a key: the activation key is read from the',
        'WIDGETRY_KEY variable, and a missing key stops the start-up with an error that names the',
        'variable. Keys are tied to the license of the installation.',
        '',
        '## License',
        '',
        'Widgetry is released under the MIT license.',
      ].join('\n')
    );
    const r = await searchCorpus({ corpus: root, query: 'widgetry license' });
    assert.equal(r.results[0]?.title, 'License');
    // Asked for, the licence is the answer's source: not flagged, so a claim may rest on it.
    assert.equal(r.results[0]?.boilerplate, false);
    const toc = r.results.find((h) => /Activation - License/.test(h.excerpt));
    assert.ok(toc?.boilerplate, 'the table of contents is flagged');
    assert.ok(
      r.results.indexOf(toc) > r.results.findIndex((h) => h.title === 'Activation'),
      'and ranked down'
    );
  });
});
