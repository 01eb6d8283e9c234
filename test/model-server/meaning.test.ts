// The offline writer's sense of meaning: with the sentence encoder installed (`npm run encoder`;
// CI installs it), a sentence that answers in words the question does not use still counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encoderDir } from '../../src/common/encoder/sentence-encoder.js';
import { evidenceFor } from '../../src/model-server/evidence.js';
import { extractMaterial, type Conversation } from '../../src/model-server/material.js';
import { meaning, primeMeaning } from '../../src/model-server/meaning.js';
import { TEST_ENCODER, withEncoderSetting } from '../encoder-setting.js';

// The suite turns the encoder off by default and names the installed one for the tests that use it.
if (TEST_ENCODER) process.env.STEADFAST_ENCODER = TEST_ENCODER;

const NO_ENCODER = encoderDir()
  ? false
  : 'SKIPPED: no sentence encoder (not installed, or STEADFAST_ENCODER=off; `npm run encoder` installs it, CI does) — the writer is not checked for meaning';

const QUESTION = 'How do I limit how much memory my program can use?';
const HEAP = 'Cap the heap at 512 megabytes with --max-old-space-size=512.';
const TITLE = 'Sets the process title on startup, as tools such as ps and top show it.';

function brief(): Conversation {
  const hits = [
    { sourceId: 'cli.md#L1-L3', title: 'Options › --title', excerpt: TITLE },
    { sourceId: 'cli.md#L5-L7', title: 'Options › V8 options', excerpt: HEAP },
  ];
  return {
    model: 'm',
    instructions: 'You answer a research question from the evidence. Cite it as [sourceId].',
    items: [
      { kind: 'message', role: 'user', text: QUESTION },
      {
        kind: 'call',
        name: 'searchCorpus',
        callId: 'c1',
        arguments: JSON.stringify({ query: 'memory limit' }),
      },
      { kind: 'output', callId: 'c1', name: 'searchCorpus', text: JSON.stringify({ results: hits }) },
    ],
    tools: [],
    toolChoice: 'auto',
  };
}

const scoreOf = (text: string) => {
  const evidence = evidenceFor(extractMaterial(brief()));
  const found = evidence.scored.find((s) => s.cand.unit.plain === text);
  assert.ok(found, `no unit "${text}"`);
  return found.score;
};

test(
  'a sentence that means the answer scores by its meaning, above one that does not',
  { skip: NO_ENCODER },
  async () => {
    await primeMeaning(brief());
    assert.ok(
      (meaning(QUESTION, HEAP) ?? 0) > (meaning(QUESTION, TITLE) ?? 0),
      'the encoder ranks the heap closer'
    );
    const heap = scoreOf(HEAP);
    const title = scoreOf(TITLE);
    assert.ok(heap > title, `heap ${heap} vs title ${title}`);

    // The same evidence with the encoder off: no word of the question, no score beyond the prior.
    await withEncoderSetting('off', () => {
      assert.ok(scoreOf(HEAP) < heap / 2, `${scoreOf(HEAP)} without meaning vs ${heap} with`);
    });
  }
);

test('without an encoder nothing is primed and the writer reads words only', async () => {
  await withEncoderSetting('off', async () => {
    const conv = brief();
    conv.items[0] = { kind: 'message', role: 'user', text: `${QUESTION} (encoder off)` };
    await primeMeaning(conv);
    assert.equal(meaning(`${QUESTION} (encoder off)`, HEAP), undefined);
  });
});

test(
  'a sentence is read with the name or section it stands under, as well as alone',
  { skip: NO_ENCODER },
  async () => {
    const question = 'How long does the server wait on a lock before it checks for a deadlock?';
    const said = 'The default is one second (1s), which is probably the smallest useful value.';
    const conv = brief();
    conv.items[0] = { kind: 'message', role: 'user', text: question };
    conv.items[2] = {
      kind: 'output',
      callId: 'c1',
      name: 'searchCorpus',
      text: JSON.stringify({
        results: [
          {
            sourceId: 'locks.html#L9-L11',
            title: 'Lock Management › deadlock_timeout (integer)',
            excerpt: said,
          },
        ],
      }),
    };
    await primeMeaning(conv);
    const inPlace = meaning(question, `deadlock_timeout (integer): ${said}`);
    const alone = meaning(question, said);
    assert.ok(inPlace !== undefined && alone !== undefined, 'both readings are primed');
    assert.ok(inPlace > alone, `in place ${inPlace} vs alone ${alone}`);
    // The writer takes the closer reading.
    const unit = evidenceFor(extractMaterial(conv)).scored.find((s) => s.cand.unit.plain === said);
    assert.ok(unit, 'the sentence is a unit');
  }
);
