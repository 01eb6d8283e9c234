import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { describeEncoder, encoderDir, openEncoder } from '../../src/common/encoder/sentence-encoder.js';
import { withEncoderSetting } from '../encoder-setting.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-encoder-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('STEADFAST_ENCODER: off, or a folder; the worker says which search it runs', async () => {
  await withEncoderSetting('off', () => {
    assert.equal(encoderDir(), undefined);
    assert.match(describeEncoder(), /search by words only \(STEADFAST_ENCODER=off\)/);
  });
  await withEncoderSetting(scratch, () => {
    assert.equal(encoderDir(), scratch);
    assert.match(
      describeEncoder(),
      new RegExp(`search by meaning and words \\(sentence encoder ${scratch}\\)`)
    );
  });
});

test('a folder without an encoder is a clear error with the fix', async () => {
  await assert.rejects(
    openEncoder(scratch, 1),
    /No sentence encoder at .*manifest\.json.*Fix: run `npm run encoder`/s
  );
  writeFileSync(path.join(scratch, 'manifest.json'), '{"model":"m","sha256":"00","dimensions":384}');
  writeFileSync(path.join(scratch, 'vocab.txt'), 'the\nheap\n');
  await assert.rejects(openEncoder(scratch, 1), /no \[CLS\] token/);
  // Model files but no runtime beside them (and none among the project's dependencies).
  writeFileSync(path.join(scratch, 'vocab.txt'), '[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n');
  await assert.rejects(
    openEncoder(scratch, 1),
    /needs onnxruntime-node, which did not load .*Fix: run `npm run encoder`/s
  );
});
