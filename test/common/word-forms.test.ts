import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from '../../src/activities/corpus/tokens.js';
import { termsOf } from '../../src/model-server/terms.js';

/**
 * The term retrieval indexes a word by (an American spelling's; a British spelling is indexed by
 * its own as well), and the one the offline writer matches it by.
 */
const retrieval = (word: string) =>
  tokenize(word)
    .map((t) => t.term)
    .at(-1);
const writer = (word: string) => termsOf(word)[0]?.term;

const VARIANTS: Array<[string, string]> = [
  ['behaviour', 'behavior'],
  ['behaviours', 'behaviors'],
  ['colour', 'color'],
  ['flavoured', 'flavored'],
  ['neighbouring', 'neighboring'],
  ['normalise', 'normalize'],
  ['initialised', 'initialized'],
  ['uninitialised', 'uninitialized'],
  ['serialisation', 'serialization'],
  ['analyse', 'analyze'],
  ['centre', 'center'],
  ['metres', 'meters'],
  ['catalogue', 'catalog'],
  ['dialogues', 'dialogs'],
  ['licence', 'license'],
  ['defence', 'defense'],
  ['cancelled', 'canceled'],
  ['travelling', 'traveling'],
  ['labelled', 'labeled'],
  ['modelling', 'modeling'],
  ['programme', 'program'],
  ['grey', 'gray'],
];

test('British and American spellings of a word meet, for retrieval and for the writer alike', () => {
  for (const [british, american] of VARIANTS) {
    assert.equal(retrieval(british), retrieval(american), `retrieval: ${british} / ${american}`);
    assert.equal(writer(british), writer(american), `writer: ${british} / ${american}`);
  }
});

test('retrieval also indexes a British spelling as written, so that the same spelling still meets itself first', () => {
  const licence = tokenize('licence').map((t) => t.term);
  const license = tokenize('license').map((t) => t.term);
  assert.equal(licence.length, 2, licence.join(' '));
  assert.ok(
    license.every((t) => licence.includes(t)),
    `${licence} / ${license}`
  );
  assert.notEqual(licence[0], license[0]);
  assert.deepEqual(
    tokenize('the old behaviour').map((t) => t.pos),
    [0, 1, 1],
    'both terms of a word hold its position'
  );
});

test('words that only look like variants keep their own families', () => {
  const same: Array<[string, string]> = [
    ['installed', 'install'],
    ['spelled', 'spell'],
    ['called', 'call'],
    ['yelled', 'yell'],
    ['hours', 'hour'],
    ['cancelled', 'cancel'],
  ];
  for (const [a, b] of same) {
    assert.equal(retrieval(a), retrieval(b), `retrieval: ${a} / ${b}`);
    assert.equal(writer(a), writer(b), `writer: ${a} / ${b}`);
  }
  const apart: Array<[string, string]> = [
    ['timbre', 'timber'],
    ['four', 'for'],
    ['your', 'yor'],
    ['tour', 'tor'],
    ['source', 'sorce'],
  ];
  for (const [a, b] of apart) {
    assert.notEqual(retrieval(a), retrieval(b), `retrieval: ${a} / ${b}`);
    assert.notEqual(writer(a), writer(b), `writer: ${a} / ${b}`);
  }
});

test('a word spelled alike in both Englishes is indexed once, not counted again as its own sibling', () => {
  const alike = [
    'otherwise',
    'likewise',
    'advise',
    'advised',
    'revise',
    'supervisor',
    'promise',
    'compromise',
    'premises',
    'exercise',
    'precise',
    'concise',
    'surprised',
    'enterprise',
    'advertise',
    'expertise',
    'franchise',
    'merchandise',
    'raise',
    'noise',
    'arise',
    'contour',
    'detour',
    'devour',
    'paramour',
  ];
  for (const word of alike) {
    const terms = tokenize(word).map((t) => t.term);
    assert.equal(terms.length, 1, `${word}: ${terms.join(' ')}`);
  }
  // The -ize words the pattern is for keep their siblings.
  for (const [british, american] of [
    ['economise', 'economize'],
    ['customised', 'customized'],
    ['prioritise', 'prioritize'],
    ['standardised', 'standardized'],
    ['criticise', 'criticize'],
    ['organisation', 'organization'],
    ['summarise', 'summarize'],
    ['subsidise', 'subsidize'],
  ] as const) {
    assert.equal(retrieval(british), retrieval(american), `retrieval: ${british} / ${american}`);
    assert.equal(writer(british), writer(american), `writer: ${british} / ${american}`);
  }
});
