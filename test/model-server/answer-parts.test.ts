import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completingUnits } from '../../src/model-server/answer-parts.js';
import { answerCues } from '../../src/model-server/question-form.js';
import { selectDiverse, type Candidate, type Scored } from '../../src/model-server/relevance.js';

/** A scored sentence of passage `passage`, as the writer's evidence holds it. */
function scored(plain: string, score: number, passage: number, index: number): Scored {
  const cand = {
    unit: {
      kind: 'prose',
      text: plain,
      plain,
      heading: '',
      afterHeading: index,
      block: 1,
      index,
      leadIn: false,
      label: '',
      release: '',
    },
    passage,
    title: '',
    terms: [],
    set: new Set<string>(),
    headingTerms: new Set<string>(),
    titleTerms: new Set<string>(),
    labelTerms: new Set<string>(),
    entryTerms: new Set<string>(),
    docTerms: new Set<string>(),
  } satisfies Candidate;
  return { cand, score, coverage: 0, onSubject: true };
}

/** The same, with the terms it is compared by. */
function withTerms(plain: string, score: number, index: number, terms: string): Scored {
  const s = scored(plain, score, 0, index);
  return { ...s, cand: { ...s.cand, set: new Set(terms.split(' ')) } };
}

test('of two near-identical sentences the better one is picked, not the one that shares least with the first', () => {
  const best = withTerms(
    'The "right" version is based on TAI and includes leap seconds.',
    0.57,
    0,
    'right version tai leap'
  );
  const right = withTerms(
    'TZDIR=/usr/share/zoneinfo/right TZ=Europe/Paris on a system with hardware clock set to TAI.',
    0.42,
    1,
    'tzdir share zoneinfo right paris clock tai'
  );
  const posix = withTerms(
    'TZDIR=/usr/share/zoneinfo/posix TZ=Europe/Paris on a system with hardware clock set to UTC.',
    0.41,
    2,
    'tzdir share zoneinfo posix paris clock utc'
  );
  const picked = selectDiverse([best, posix, right], { max: 3, maxSimilarity: 0.7 }).map(
    (s) => s.cand.unit.index
  );
  assert.deepEqual(picked, [0, 1]);
});

test('a sentence far less relevant than the best does not complete the answer, however it reads', () => {
  const best = scored('The input file is copied to the output directory unchanged.', 1, 0, 0);
  const next = scored('Files are read from standard input when none is named.', 0.5, 0, 1);
  // It says "significant", as a problem does, but is a tenth as relevant as the best sentence.
  const aside = scored('Note that ignorable white space is considered significant.', 0.1, 0, 2);
  const risk = scored('Writing into a shared folder risks losing the input file.', 0.3, 1, 0);
  const units = [best, next, aside, risk];
  const picked = [best.cand, next.cand];
  assert.deepEqual(
    completingUnits(units, picked, new Set(['problem'])).map((c) => c.unit.plain),
    [risk.cand.unit.plain]
  );
  assert.deepEqual(completingUnits([best, next, aside], picked, new Set(['problem'])), []);
});

// Asked for a bound ("Is there an upper limit…?"), the summary states the bound: a number that is
// not one (a step of 5 lines, a size in an example) does not answer it.
test('asked for an upper limit, the lead that states only numbers of another kind is completed by the maximum', () => {
  const lead = [
    scored('Set the number of lines to keep, moving in units of 5 lines.', 1, 0, 0),
    scored('For example, 1024 buffered lines with 80 columns will consume 960 KiB.', 0.7, 1, 3),
  ];
  const bound = scored(
    'The minimum setting is 0 (no history), the maximum allowed value is 40,000.',
    0.3,
    1,
    1
  );
  const other = scored('The default value is 500 lines, enough for everyday use.', 0.4, 1, 0);
  const units = [...lead, bound, other];
  const picked = lead.map((s) => s.cand);
  const cues = answerCues(
    'I set an enormous history of 900000 lines in my X resources. Is there an upper limit on how many history lines it will keep?'
  ).cues;
  assert.ok(cues.has('bound') && cues.has('number'));
  assert.deepEqual(
    completingUnits(units, picked, cues).map((c) => c.unit.plain),
    [bound.cand.unit.plain]
  );
});

test('a bound is asked for by its words, not by any question with a number in it', () => {
  assert.ok(answerCues('What is the maximum size of a frob archive?').cues.has('bound'));
  assert.ok(answerCues('Does frob cap the number of open files at some point?').cues.has('bound'));
  assert.ok(!answerCues('How many files does frob open by default?').cues.has('bound'));
  assert.ok(!answerCues('Which version of frob added the archive format?').cues.has('bound'));
});

// Asked how long something waits, the summary states a duration: a version number in the lead
// ("releases prior to 9.3") is a number, but not how long.
test('asked how long, a lead whose only number is a version is completed by the duration', () => {
  const lead = [
    scored('The check for a stall is expensive, so frob does not run it every time it waits.', 1, 0, 0),
    scored('In frob releases prior to 9.3, the check waited for the whole delay.', 0.9, 1, 8),
  ];
  const duration = scored('The default is one second (1s), about the smallest useful value.', 0.3, 0, 4);
  const units = [...lead, duration];
  const cues = answerCues('How long does frob wait on a lock before it checks for a stall?').cues;
  assert.ok(cues.has('time') && cues.has('number'));
  assert.deepEqual(
    completingUnits(
      units,
      lead.map((s) => s.cand),
      cues
    ).map((c) => c.unit.plain),
    [duration.cand.unit.plain]
  );
  // A lead that says how long already needs nothing more.
  const said = scored('frob waits 5 seconds before it checks for a stall.', 0.95, 2, 0);
  assert.deepEqual(completingUnits([said, ...units], [lead[0]!.cand, said.cand], cues), []);
});
