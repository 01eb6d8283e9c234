// Picking the summary's sentences: each adds something, and sharing the lead's subject is no
// reason to leave out the sentence that holds the facts asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectDiverse } from '../../src/model-server/relevance.js';
import { briefEvidence } from './writer-brief.js';

test("a sentence on the lead's subject that holds the facts is picked before weaker ones from elsewhere", () => {
  const question =
    'Our multithreaded program prepares call interfaces for different ABIs from several threads at once. Is any platform or type known to break with that?';
  const ev = briefEvidence(question, [
    {
      sourceId: 'Multiple-ABIs.html#L5-L9',
      title: '2.4 Multiple ABIs',
      excerpt:
        'A given platform may provide multiple different ABIs at once. For instance, the x86 platform has both stdcall and fastcall functions. libffi provides some support for this. However, this is necessarily platform-specific.',
    },
    {
      sourceId: 'Thread-Safety.html#L5-L12',
      title: '2.7 Thread Safety',
      excerpt:
        'libffi is not completely thread-safe. However, many parts are, and if you follow some simple rules, you can use it safely in a multi-threaded program. - On some platforms, ffi_prep_cif may modify the size and alignment of some types, depending on the chosen ABI. On these platforms, if you switch between ABIs, you must ensure that there is only one call to ffi_prep_cif at a time. Currently the only affected platform is PowerPC and the only affected type is long double.',
    },
  ]);
  // The scores the writer gave these units with the sentence encoder on (the selection is what is tested).
  const given: Array<[string, number]> = [
    ['A given', 1.21],
    ['For instance', 0.59],
    ['On some', 0.393],
    ['However, this', 0.376],
    ['However, many', 0.23],
    ['libffi', 0.2],
  ];
  const scored = ev.scored.map((s) => ({
    ...s,
    score: given.find(([start]) => s.cand.unit.plain.startsWith(start))![1],
  }));
  const picked = selectDiverse(scored, { max: 3, minShare: 0.15, maxSimilarity: 0.7 });
  assert.ok(
    picked.some((s) => s.cand.unit.plain.includes('PowerPC')),
    picked.map((s) => s.cand.unit.plain.slice(0, 60)).join(' | ')
  );
  // Repeats are still left out.
  const again = [...scored, { ...scored[0]!, cand: { ...scored[0]!.cand, passage: 9 } }];
  const twice = selectDiverse(again, { max: 4, minShare: 0.15, maxSimilarity: 0.7 });
  assert.equal(twice.filter((s) => s.cand.unit.plain.startsWith('A given')).length, 1);
});
