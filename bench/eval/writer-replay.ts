/**
 * Replays recorded writer requests through the offline model and scores the summaries against
 * question sets, without running anything else: seconds per change to the writer instead of a
 * full eval. Record once, then replay as often as needed:
 *
 *   STEADFAST_MODEL_BODY_LOG=/tmp/bodies.jsonl npx steadfast eval [--set FILE]
 *   node --import tsx bench/eval/writer-replay.ts /tmp/bodies.jsonl [--set FILE]... [--only ID] [-v]
 *
 * Without --set it scores against the held-out sets in bench/eval/sets/. Per question it says
 * whether the summary holds every key term (within the length limit) and whether the writer's
 * input held them at all (a miss there is retrieval's, not the writer's).
 */
import { readFileSync } from 'node:fs';
import { primeMeaning } from '../../src/model-server/meaning.js';
import { respond } from '../../src/model-server/responder.js';
import { responsesWire } from '../../src/model-server/wire/responses.js';
import { loadSets, type EvalQuestion } from './set.js';
import { missingTerms } from './text.js';
import { MAX_SUMMARY_CHARS } from './score.js';

const WRITER = 'You answer a research question';

export interface ReplayOutcome {
  id: string;
  answered: boolean;
  /** Key-term entries the summary lacks. */
  missing: string[];
  /** Key-term entries the writer's input lacked as well. */
  missingFromInput: string[];
  summary: string;
}

/**
 * The writer requests among recorded bodies, each matched to its question, replayed and scored
 * (with the sentence encoder's vectors primed first, as the model server does).
 */
export async function replayWriter(
  bodies: Record<string, any>[],
  questions: EvalQuestion[]
): Promise<ReplayOutcome[]> {
  const out: ReplayOutcome[] = [];
  for (const body of bodies) {
    if (typeof body.instructions !== 'string' || !body.instructions.startsWith(WRITER)) continue;
    const input = JSON.stringify(body.input);
    const q = questions.find((x) => input.includes(JSON.stringify(x.question).slice(1, -1)));
    if (!q) continue;
    const conversation = responsesWire.read(body);
    await primeMeaning(conversation);
    const message = respond(responsesWire, body, conversation).body.output.find(
      (o: any) => o.type === 'message'
    );
    const text: string = message?.content?.[0]?.text ?? '';
    let summary = text;
    try {
      summary = String(JSON.parse(text).summary ?? '');
    } catch {
      // A plain-text answer is its own summary.
    }
    const missing = missingTerms(summary, q.keyTerms);
    out.push({
      id: q.id,
      answered: missing.length === 0 && summary.length <= MAX_SUMMARY_CHARS,
      missing,
      missingFromInput: missingTerms(input, q.keyTerms),
      summary,
    });
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const sets: string[] = [];
  let file: string | undefined;
  let only: string | undefined;
  const verbose = argv.includes('-v');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--set') sets.push(argv[++i]!);
    else if (argv[i] === '--only') only = argv[++i];
    else if (argv[i] !== '-v') file = argv[i];
  }
  if (!file) throw new Error('usage: writer-replay.ts BODIES.jsonl [--set FILE]... [--only ID] [-v]');
  const questions = (await loadSets(sets.length ? sets : undefined)).flatMap((s) => s.questions);
  const bodies = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
  const results = (await replayWriter(bodies, questions)).filter((r) => !only || r.id.includes(only));
  for (const r of results) {
    if (r.answered && !verbose) continue;
    const input = r.missingFromInput.length
      ? ` (not in the writer's input: ${r.missingFromInput.join(', ')})`
      : '';
    process.stdout.write(`${r.answered ? 'ok  ' : 'miss'} ${r.id} ${r.missing.join(', ')}${input}\n`);
    if (verbose && !r.answered) process.stdout.write(`     ${r.summary.slice(0, 700)}\n`);
  }
  const held = results.filter((r) => r.missingFromInput.length === 0).length;
  process.stdout.write(
    `answered ${results.filter((r) => r.answered).length}/${results.length}; key terms in the writer's input for ${held}/${results.length}\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
