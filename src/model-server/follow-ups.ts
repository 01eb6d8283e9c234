/**
 * Follow-up questions a reader would ask next, built from what the report leaves open: a limit or
 * condition the evidence states without explaining ("X is not supported", "X must Y"), names and
 * code identifiers of the relevant evidence that the summary did not cover, then questions about
 * the asked task itself. Every one is a complete question built from a grammatical frame.
 */
import type { Ask } from './ask.js';
import { gerundPhrase } from './compose.js';
import type { Evidence } from './evidence.js';
import type { Candidate } from './relevance.js';

export interface FollowUpInput {
  ask: Ask;
  evidence: Evidence;
  /** Text the report already says (summary, and body when written). */
  said: string;
  /** Units the report quoted. */
  used: ReadonlySet<Candidate>;
}

const MAX_LENGTH = 220;

/** Lower-cases the first word unless it is a name or code ("Nested approval" → "nested approval"). */
function asPhrase(text: string): string {
  const t = text.trim().replace(/^(?:experimental|note|warning|important)\s*[—–:-]\s*/i, '');
  const [first, ...rest] = t.split(' ');
  if (!first) return t;
  const keep = /[A-Z].*[A-Z]|[._()`/]|^[A-Z]{2,}|\d/.test(first);
  return [keep ? first : first.toLowerCase(), ...rest].join(' ');
}

/** A subject phrase fit to put in a question: a few words, no clause breaks. */
function subjectOk(subject: string): boolean {
  const words = subject.split(/\s+/).length;
  return (
    words >= 1 &&
    words <= 10 &&
    !/^(?:it|this|that|these|those|they|there|which|who|one)$/i.test(subject.trim()) &&
    !/[,;:()"“]|\b(?:if|when|because|which|that)\b|\b(?:and|or|but)$/i.test(subject)
  );
}

function isPlural(subject: string): boolean {
  const words = subject.replace(/^(?:the|a|an|all|some|most|many)\s+/i, '').split(/\s+/);
  const head = words.find((w) => /^(?:of|for|in|on|with|from|to)$/i.test(w))
    ? words[words.findIndex((w) => /^(?:of|for|in|on|with|from|to)$/i.test(w)) - 1]
    : words[words.length - 1];
  return /[^s]s$/i.test(head ?? '') && !/^(?:this|it)$/i.test(head ?? '');
}

/** A question about a limit or condition a sentence states without saying why. */
export function conditionQuestion(sentence: string): string | undefined {
  const s = sentence
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s+[—–]\s+.*$/, '')
    .replace(/[.!]$/, '');
  if (/\b(?:because|since|so that|in order to|due to|otherwise)\b/i.test(s)) return undefined;
  let m = /^(.+?) (is|are) not (supported|allowed|available|recommended|possible|safe)\b/i.exec(s);
  if (m && subjectOk(m[1]!))
    return `Why ${m[2]!.toLowerCase()} ${asPhrase(m[1]!)} not ${m[3]!.toLowerCase()}, and what is the alternative?`;
  m = /^(.+?) (must not|should not|cannot|can't|must|should) (.+)$/i.exec(s);
  if (m && subjectOk(m[1]!) && m[3]!.split(' ').length <= 25) {
    const modal = m[2]!.toLowerCase().replace("can't", 'cannot');
    // "…after parsing, usually specified on the command line, or…" → "…after parsing".
    const predicate = m[3]!.split(' ').length > 10 ? m[3]!.replace(/,\s.*$/, '') : m[3]!;
    if (modal === 'must' || modal === 'should') return `Why ${modal} ${asPhrase(m[1]!)} ${predicate}?`;
    if (modal === 'cannot') return `Why can ${asPhrase(m[1]!)} not ${predicate}, and what is the workaround?`;
    return `Why ${modal.split(' ')[0]} ${asPhrase(m[1]!)} not ${predicate}?`;
  }
  m = /^(.+?) (is|are) (experimental|deprecated|subject to change|in preview|in beta)\b/i.exec(s);
  if (m && subjectOk(m[1]!)) {
    const be = m[2]!.toLowerCase();
    return `How stable ${be} ${asPhrase(m[1]!)}, and what may change?`;
  }
  m = /^(.+?) (does|do) not ([^,;]+?)$/i.exec(s);
  if (m && subjectOk(m[1]!) && m[3]!.split(' ').length <= 12)
    return `Why ${isPlural(m[1]!) ? 'do' : 'does'} ${asPhrase(m[1]!)} not ${m[3]}?`;
  return undefined;
}

/** Code identifiers and names in a text (`code`, camelCase, dotted.names). */
function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`]{2,40})`/g)) out.push(m[1]!.trim());
  for (const m of text.matchAll(
    /\b(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z0-9]*|[a-z][a-z0-9]*_[a-z0-9_]+|[A-Z][A-Z0-9]*_[A-Z0-9_]+)(?:\.[A-Za-z]+)*\b/g
  ))
    out.push(m[0]);
  // A name, not a stretch of text between two unrelated code spans.
  return out.filter((n) => /[A-Za-z]/.test(n) && /^[\w$.@/:-]+(?:\(\))?$/.test(n));
}

/**
 * What a question is about, as a noun phrase: "What is libffi?" → "libffi"; otherwise the first
 * name or code identifier it mentions ("Why does … use SET_BINARY_MODE?" → "SET_BINARY_MODE").
 */
export function topicOf(question: string): string | undefined {
  const q = question.trim().replace(/[?.!]+$/, '');
  const what =
    /^(?:so |and )?what(?:'s| is| are) (.{2,80})$/i.exec(q) ??
    /^(?:what|which) (?:does|do) (.{2,80}) (?:do|mean)$/i.exec(q);
  if (what && !/\b(?:the (?:best|right) way|difference|happens)\b/i.test(what[1]!)) return what[1]!.trim();
  const happens = /^what happens to (.{2,60}?)(?: (?:when|during|if|after|before)\b.*)?$/i.exec(q);
  if (happens) return happens[1]!.trim();
  // A name the question mentions: code, or a capitalised word that does not open the sentence.
  const named =
    namesIn(q)[0] ?? /(?<=\s)[A-Z][\w.-]*[a-z0-9][\w.-]*(?:\s+[A-Z][\w.-]*)*(?=[\s?,]|$)/.exec(q)?.[0];
  return named;
}

/** Questions for the report, most useful first; `wanted` of them when the material allows. */
export function followUps(input: FollowUpInput, wanted: number): string[] {
  const { ask, evidence } = input;
  const said = input.said.toLowerCase();
  const out: string[] = [];
  const add = (q: string | undefined) => {
    if (!q || q.length > MAX_LENGTH) return;
    const clean = q.replace(/`/g, '').replace(/\s+/g, ' ').trim();
    if (!out.some((o) => o.toLowerCase() === clean.toLowerCase())) out.push(clean);
  };
  const relevant = evidence.scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.cand.unit.index - b.cand.unit.index);
  const top = relevant[0]?.score ?? 0;
  const strong = relevant.filter((s) => s.score >= top * 0.15).slice(0, 16);
  const task = gerundPhrase(ask.question);

  // 1. A limit or condition the report states (or the evidence it drew on) but does not explain.
  const reported = relevant.filter((s) => input.used.has(s.cand));
  for (const s of [...reported, ...strong]) {
    if (out.length >= Math.ceil(wanted / 2)) break;
    add(conditionQuestion(s.cand.unit.plain));
  }
  // 2. Names the relevant evidence uses that the report did not explain.
  const asked = ask.question.toLowerCase();
  const seen = new Set<string>();
  const quoted = new Set([...input.used].map((c) => c.passage));
  for (const s of strong) {
    if (s.score < top * 0.25 || (!quoted.has(s.cand.passage) && s.coverage === 0)) continue;
    for (const name of namesIn(s.cand.unit.text)) {
      const key = name.toLowerCase().replace(/\(\)$/, '');
      if (seen.has(key) || asked.includes(key) || said.includes(key)) continue;
      seen.add(key);
      if (out.length >= wanted - 1) break;
      add(task ? `How is ${name} used when ${task}?` : `What does ${name} do, and when is it needed?`);
    }
  }
  // 3. The task or thing asked about: its limits, failure cases and how to check it.
  const topic = topicOf(ask.question);
  const generic = task
    ? [
        `What can go wrong when ${task}, and how is it detected?`,
        `What are the limits of ${task}?`,
        `How can ${task} be tested before relying on it?`,
      ]
    : topic
      ? [
          `What are the limits of ${topic}?`,
          `How is ${topic} used in practice?`,
          `What are the alternatives to ${topic}?`,
        ]
      : [
          'What are the known limits or exceptions to this?',
          'What can go wrong here, and how is it detected?',
          'How can this be checked in practice?',
        ];
  for (const q of generic) {
    if (out.length >= wanted) break;
    add(q);
  }
  return out.slice(0, wanted);
}
