/**
 * The follow-up questions of a conversation bench: drawn, with a seed, from the report itself — its
 * cited sources' titles and the research question — so that each answer searches and cites like a
 * user's would, and two benches with the same seed and report ask the same questions.
 */
import { CONVERSATION_LIMITS } from '../../src/workflows/conversation/input.js';
import { seededRandom } from '../lib/prng.js';

const FORMS: ((topic: string) => string)[] = [
  (t) => `What does the report say about ${t}?`,
  (t) => `Which source explains ${t}, and what does it say exactly?`,
  (t) => `How does ${t} relate to the research question?`,
  (t) => `What are the limits or caveats of ${t}?`,
  (t) => `Give a concrete example of ${t} from the sources.`,
  (t) => `What should I do first about ${t}?`,
  (t) => `Is anything about ${t} left open by the report?`,
  (t) => `Summarise ${t} in two sentences, with citations.`,
];

/** The report's topics: its sources' titles (distinct, trimmed), else the research question. */
export function topicsOf(report: { question: string; citations: { title: string }[] }): string[] {
  const titles = report.citations
    .map((c) => c.title.replace(/\s+/g, ' ').trim().slice(0, 100))
    .filter((t) => t.length > 0);
  const topics = [...new Set(titles)];
  return topics.length > 0 ? topics : [report.question.slice(0, 200)];
}

/** `count` questions about the report; the same seed and report give the same questions. */
export function benchQuestions(
  report: { question: string; citations: { title: string }[] },
  count: number,
  seed: number
): string[] {
  const random = seededRandom(seed);
  const topics = topicsOf(report);
  return Array.from({ length: count }, () =>
    random.pick(FORMS)(random.pick(topics)).slice(0, CONVERSATION_LIMITS.questionChars)
  );
}

/** `count` distinct turns (1-based) out of `turns` at which a worker is killed, in order. */
export function killTurns(turns: number, count: number, seed: number): number[] {
  const random = seededRandom(seed * 7919 + 1);
  // Turn 1 starts the conversation: kills land on turns that already have one to lose.
  const candidates = Array.from({ length: Math.max(0, turns - 1) }, (_, i) => i + 2);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, candidates.length)) picked.add(random.pick(candidates));
  return [...picked].sort((a, b) => a - b);
}
