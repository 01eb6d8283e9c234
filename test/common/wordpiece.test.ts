import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicWords, WordPiece } from '../../src/common/encoder/wordpiece.js';

const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'the',
  'heap',
  'size',
  'git',
  'gi',
  '##t',
  'un',
  '##pack',
  '##ing',
  'cafe',
  '-',
  '!',
  '日',
];
const wp = new WordPiece(VOCAB);
const ids = (...pieces: string[]) => pieces.map((p) => VOCAB.indexOf(p));

test('words: lower-cased, accents dropped, punctuation split off, CJK characters apart', () => {
  assert.deepEqual(basicWords('The  Café\tun-packing!'), ['the', 'cafe', 'un', '-', 'packing', '!']);
  assert.deepEqual(basicWords('日本'), ['日', '本']);
  assert.deepEqual(basicWords('a\u0007b\u200bc'), ['abc']);
});

test('pieces: the longest known piece first, "##" inside a word, [UNK] for a word that cannot be cut', () => {
  assert.deepEqual(wp.encode('The heap size', 128), ids('[CLS]', 'the', 'heap', 'size', '[SEP]'));
  assert.deepEqual(wp.encode('git unpacking', 128), ids('[CLS]', 'git', 'un', '##pack', '##ing', '[SEP]'));
  assert.deepEqual(wp.encode('gitx', 128), ids('[CLS]', '[UNK]', '[SEP]'));
  assert.deepEqual(wp.encode('x'.repeat(101), 128), ids('[CLS]', '[UNK]', '[SEP]'));
});

test('a long text is cut to the token limit, closing with [SEP]', () => {
  const out = wp.encode('the heap '.repeat(100), 8);
  assert.equal(out.length, 8);
  assert.equal(out.at(-1), VOCAB.indexOf('[SEP]'));
});

test('a vocabulary without the special tokens is refused with the reason', () => {
  assert.throws(() => new WordPiece(['the', 'heap']), /no \[CLS\] token: not a BERT WordPiece vocabulary/);
});
