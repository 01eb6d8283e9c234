// The corpus reader's symlink rule, on the listing itself (the bad-input matrix runs it end to end).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { listDefaultCorpus, listDirectory } from '../../src/activities/corpus/files.js';
import { pdfBombReason } from '../../src/activities/corpus/pdf-bomb.js';
import { bombPdf } from './hostile-files.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-reader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('links inside the corpus are followed once; links out of it are reported, never read', () => {
  const corpus = path.join(dir, 'corpus');
  const outside = path.join(dir, 'outside');
  mkdirSync(path.join(corpus, 'guide'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(corpus, 'guide', 'intro.md'), '# Intro\n');
  writeFileSync(path.join(outside, 'secret.md'), '# Secret\n');
  symlinkSync(path.join(corpus, 'guide', 'intro.md'), path.join(corpus, 'alias.md'));
  symlinkSync(path.join(corpus, 'guide'), path.join(corpus, 'guide-link'));
  symlinkSync(corpus, path.join(corpus, 'guide', 'up')); // a cycle back to the root
  symlinkSync(path.join(outside, 'secret.md'), path.join(corpus, 'secret.md'));
  symlinkSync('../../outside', path.join(corpus, 'guide', 'out'));
  symlinkSync(path.join(outside, 'secret.md'), path.join(corpus, 'secret.png')); // not a document: ignored

  const listing = listDirectory(corpus);
  assert.deepEqual(
    listing.files.map((f) => [f.rel, f.abs]),
    [['alias.md', path.join(corpus, 'guide', 'intro.md')]],
    'the linked file is read at its real path, once (the folder link and the cycle add nothing)'
  );
  assert.deepEqual(listing.skipped, [
    { rel: 'guide/out', reason: 'symlink points outside the corpus folder; not followed' },
    { rel: 'secret.md', reason: 'symlink points outside the corpus folder; not followed' },
  ]);
});

test('a corpus folder that is itself a link is read where it points', () => {
  const real = path.join(dir, 'real');
  mkdirSync(real);
  writeFileSync(path.join(real, 'a.md'), '# A\n');
  symlinkSync(real, path.join(dir, 'via-link'));
  assert.deepEqual(
    listDirectory(path.join(dir, 'via-link')).files.map((f) => f.rel),
    ['a.md']
  );
});

test('the default corpus still lists the installed documentation', () => {
  const listing = listDefaultCorpus();
  assert.ok(listing.files.some((f) => f.rel.endsWith('.md') && f.rel.includes('@temporalio')));
  assert.ok(
    !listing.skipped.some((s) => /outside the corpus/.test(s.reason)),
    JSON.stringify(listing.skipped)
  );
});

test('a decompression bomb is refused before the PDF reader; an ordinary PDF passes', () => {
  assert.match(pdfBombReason(bombPdf(200 * 1024 * 1024)) ?? '', /inflate to more than 128 MB/);
  assert.equal(pdfBombReason(bombPdf(1024 * 1024)), undefined);
});
