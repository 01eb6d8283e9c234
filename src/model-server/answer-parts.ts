/**
 * What a summary must cover besides its best sentences: each kind of answer the question asks for.
 * "How big can the queue get, and which option makes it bigger?" wants a number and a name; "Is
 * it a real leak, and can I make it go away?" a yes or no with its reason and a way. When the best
 * sentences state none of one kind, the best sentence that does — from the passage or the entry
 * already quoted, if it can — completes the answer.
 */
import { cueScore, DURATION } from './answer-cues.js';
import { withLabel } from './definition-terms.js';
import type { AnswerCue } from './question-form.js';
import { isWeakTerm, type Candidate, type Scored } from './relevance.js';

/** Kinds of answer a sentence can be seen to state (a definition or a procedure cannot). */
const STATED: AnswerCue[] = [
  'number',
  'bound',
  'default',
  'code',
  'frequency',
  'place',
  'precedence',
  'reason',
  'consequence',
  'tradeoff',
  'advice',
  'problem',
];

function states(c: Candidate, cue: AnswerCue, asked: ReadonlySet<AnswerCue>): boolean {
  // Asked how long, the number is a length of time: a version ("prior to 9.3") does not say it.
  if (cue === 'number' && asked.has('time')) return DURATION.test(c.unit.plain);
  // With its name ("--log-fd: …" states a flag) or as it opens ("If the limit is reached, …").
  const cues = new Set([cue]);
  return Math.max(cueScore(c.unit.plain, cues), cueScore(withLabel(c.unit.plain, c.unit.label), cues)) >= 0.6;
}

/**
 * The share of the best unit's score below which a unit says too little to be in a summary: not
 * picked for it, nor brought in to complete it ("…white space is considered significant" reads
 * like a problem, but a tenth as relevant as the best sentence does not state the one asked about).
 */
export const SUMMARY_MIN_SHARE = 0.15;

/** Two units of one entry of a reference: the same label in the same passage. */
export const sameEntry = (a: Candidate, b: Candidate) =>
  a.unit.label === b.unit.label && a.passage === b.passage;

/** Units that state a kind of answer the picked ones do not, best first, one per kind. */
export function completingUnits(
  scored: Scored[],
  picked: Candidate[],
  cues: ReadonlySet<AnswerCue>,
  exclude?: ReadonlySet<Candidate>
): Candidate[] {
  const out: Candidate[] = [];
  const top = Math.max(0, ...scored.map((s) => s.score));
  const passages = new Set(picked.map((c) => c.passage));
  // When the answer is an entry of a reference (an option, a setting), its own sentences state
  // its default and range; another entry's default is not the answer's. The lead may quote two
  // entries ("the default is 0.9" of one setting, "the valid range is…" of the one asked about):
  // each completes its own.
  const heads = picked.filter((c, i) => c.unit.label && !picked.slice(0, i).some((p) => sameEntry(p, c)));
  const usable = (s: Scored) => {
    const c = s.cand;
    if (picked.includes(c) || out.includes(c) || exclude?.has(c)) return false;
    return c.unit.kind !== 'code' && !c.unit.leadIn && s.onSubject === true;
  };
  for (const cue of STATED) {
    if (!cues.has(cue)) continue;
    let ownAdded = false;
    for (const h of heads) {
      const own = scored.filter((s) => sameEntry(h, s.cand) && usable(s) && states(s.cand, cue, cues));
      if (own.length > 0 && ![...picked, ...out].some((c) => sameEntry(h, c) && states(c, cue, cues))) {
        out.push(own.sort((a, b) => b.score - a.score)[0]!.cand);
        ownAdded = true;
      }
    }
    if (ownAdded) continue;
    if ([...picked, ...out].some((c) => states(c, cue, cues))) continue;
    let best: Scored | undefined;
    let bestValue = 0;
    for (const s of scored) {
      if (!usable(s) || s.score < top * SUMMARY_MIN_SHARE || !states(s.cand, cue, cues)) continue;
      // Close to what is already said: the same passage.
      const value = s.score * (passages.has(s.cand.passage) ? 1.5 : 1);
      if (value > bestValue) {
        best = s;
        bestValue = value;
      }
    }
    if (best) out.push(best.cand);
  }
  return out;
}

/**
 * Asked which release did two things ("…stop using a debian/compat file and start declaring that it
 * can be built without root?"), the item of a quoted changelog entry that meets what nothing quoted
 * meets: the entry's other change, the second half of the answer ("d/control: Add
 * Rules-Requires-Root: no" with "Migrate to dh 12 without d/compat"). One per quoted item.
 */
export function entrySiblings(
  scored: Scored[],
  lead: Candidate[],
  weights: ReadonlyMap<string, number>,
  cues: ReadonlySet<AnswerCue>,
  exclude?: ReadonlySet<Candidate>
): Candidate[] {
  if (!cues.has('release')) return [];
  const out: Candidate[] = [];
  const met = () => new Set([...lead, ...out].flatMap((c) => [...c.set]));
  for (const item of lead) {
    if (item.unit.kind !== 'item' || !item.unit.release) continue;
    const said = met();
    const unmet = [...weights].filter(([t, w]) => w >= 0.6 && !said.has(t) && !isWeakTerm(t)).map(([t]) => t);
    const sibling = scored
      .filter(
        (s) =>
          s.cand.passage === item.passage &&
          s.cand.unit.release === item.unit.release &&
          s.cand.unit.kind === 'item' &&
          s.score > 0 &&
          !lead.includes(s.cand) &&
          !out.includes(s.cand) &&
          !exclude?.has(s.cand) &&
          unmet.some((t) => s.cand.set.has(t))
      )
      .sort((a, b) => b.score - a.score)[0];
    if (sibling) out.push(sibling.cand);
  }
  return out;
}
