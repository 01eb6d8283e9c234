import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeText } from '../../../src/activities/corpus/extract.js';
import { loadCorpus, searchCorpus } from '../../../src/activities/corpus.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-terminal-text-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

const ESC = '\u001b';
// A manual formatted for a terminal, as groff's grotty writes it (man-db ships its manual so).
const GROTTY = [
  `${ESC}[1m3.2.  Setting the MANPATH${ESC}[0m`,
  '',
  `If using a Bourne style login shell such as ${ESC}[1mbash${ESC}[22m, ${ESC}[1mksh${ESC}[22m, or ${ESC}[1mzsh${ESC}[22m, the commands`,
  '',
  '     export MANPATH',
  '     MANPATH=`manpath -q`',
  '',
  `can be added to ${ESC}[1m$HOME${ESC}[4m${ESC}[22m/.profile${ESC}[0m`,
].join('\n');
// The older form: bold as a character struck over itself, underline as _ struck over a character.
const OVERSTRIKE = 'N\bNA\bAM\bME\bE\n     ls - list _\bd_\bi_\br_\be_\bc_\bt_\bo_\br_\by contents';

test('text formatted for a terminal reads as its text: SGR escapes and overstrikes gone', () => {
  const grotty = decodeText(Buffer.from(GROTTY));
  assert.match(grotty, /^3\.2\. {2}Setting the MANPATH$/m);
  assert.match(grotty, /such as bash, ksh, or zsh, the commands/);
  assert.match(grotty, /can be added to \$HOME\/\.profile$/m);
  assert.equal(decodeText(Buffer.from(OVERSTRIKE)), 'NAME\n     ls - list directory contents');
});

test("a word the formatter hyphenated at a line's end is whole again; a compound keeps its hyphen", () => {
  const text = decodeText(
    Buffer.from(
      [
        `${ESC}[1mman${ESC}[22m will only display the first manual page it finds that meets the search crite-`,
        '     ria. A well-known page is found first; the order is a well-',
        '     known source of surprise.',
      ].join('\n')
    )
  );
  assert.equal(
    text,
    [
      'man will only display the first manual page it finds that meets the search criteria.',
      '      A well-known page is found first; the order is a well-known',
      '      source of surprise.',
    ].join('\n')
  );
});

test('a gzipped terminal-formatted manual is a corpus document, not skipped as binary', async () => {
  const root = path.join(scratch, 'docs');
  mkdirp(root);
  writeFileSync(path.join(root, 'manual.txt.gz'), gzipSync(Buffer.from(GROTTY.repeat(3))));
  const corpus = await loadCorpus(root);
  assert.deepEqual(
    corpus.documents.map((d) => d.rel),
    ['manual.txt.gz']
  );
  const { results } = await searchCorpus({ corpus: root, query: 'set MANPATH login shell' });
  assert.match(results[0]?.excerpt ?? '', /Bourne style login shell such as bash/);
  assert.ok(!(results[0]?.excerpt ?? '').includes(ESC));
  assert.doesNotMatch(results[0]?.excerpt ?? '', /\[1m|\[22m/);
});

function mkdirp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
