/**
 * The extractive writer: a summary that opens with the sentences that answer the question, a
 * body of sections with the next-best units in context, a checklist when one is asked for, each
 * unit cited by the [sourceId] of its passage. Quotes are cleaned to prose (the summary has no
 * Markdown at all; the body keeps inline code).
 */
import { IMPERATIVE } from './answer-cues.js';
import { completingUnits, entrySiblings, sameEntry, SUMMARY_MIN_SHARE } from './answer-parts.js';
import { withLabel } from './definition-terms.js';
import { antecedent, consequents, rankedPassages, type Evidence } from './evidence.js';
import { protectCode, restoreCode, withFullStop } from './inline-text.js';
import { splitSentences } from './segment.js';
import type { AnswerCue } from './question-form.js';
import { releaseSaid, selectDiverse, type Candidate, type Scored } from './relevance.js';

export interface Written {
  text: string;
  used: Candidate[];
}

export interface SummaryOptions {
  maxSentences?: number;
  maxChars?: number;
  /** Units already written elsewhere (not repeated). */
  exclude?: ReadonlySet<Candidate>;
  /** "- [ ] " items instead of sentences. */
  checklist?: boolean;
  /** The question: when no unit answers it, the summary says so. */
  question?: string;
}

/** "sentence [sourceId]" — after each sentence's own full stop (a list item may hold several). */
export function cited(cand: Candidate, text: string): string {
  if (cand.sourceId === undefined) return text;
  const { text: guarded, codes } = protectCode(text);
  return splitSentences(guarded)
    .map((s) => `${restoreCode(s, codes, true)} [${cand.sourceId}]`)
    .join(' ');
}

/**
 * Whether the evidence is about what the question asks: not when most of the question's subject
 * terms are nowhere in it and no unit holds more than one of them.
 */
function answers(evidence: Evidence): boolean {
  const focus = [...evidence.focus];
  if (focus.length === 0) return evidence.scored.some((s) => s.score > 0);
  // Evidence that defines a name the question mentions (an option, a setting) is about the question;
  // so is evidence that names the code the question names ("I changed pg_hba.conf… do I need…?").
  if (evidence.cands.some((c) => focus.some((t) => c.labelTerms.has(t)))) return true;
  const names = [...evidence.names];
  if (evidence.cands.some((c) => names.some((t) => c.set.has(t) || c.labelTerms.has(t)))) return true;
  const present = new Set<string>();
  let best = 0;
  for (const c of evidence.cands) {
    const held = focus.filter((t) =>
      [c.set, c.headingTerms, c.titleTerms, c.docTerms].some((set) => set.has(t))
    );
    for (const t of held) present.add(t);
    best = Math.max(best, held.length);
  }
  // Only a third of the subject, one term at a time, and nothing of its setting either.
  const setting = [...evidence.setting];
  const inSetting = setting.some((t) => evidence.cands.some((c) => c.set.has(t) || c.docTerms.has(t)));
  if (present.size * 3 <= focus.length && best <= 1 && !inSetting) return false;
  return present.size > 0;
}

/** When the evidence does not answer: say so, and say what the closest passages cover. */
function notAnswered(evidence: Evidence, question: string): Written {
  const close = rankedPassages(evidence)
    .filter((r) => r.passage.title)
    .slice(0, 3);
  const topics = [
    ...new Set(
      close.map((r) =>
        r.passage.title
          .split(/\s+[›·]\s+/)
          .pop()!
          .trim()
      )
    ),
  ];
  const asked = question.trim().replace(/\s+/g, ' ');
  // A question of several sentences is not quoted: its inner full stops would split the statement.
  const what = /[.!?]\s+\S/.test(asked) ? 'the question' : `"${asked}"`;
  const lines = [
    `The evidence found does not answer ${what} directly.`,
    // A statement about the evidence, not from it: nothing to cite.
    ...(topics.length ? [`The closest passages cover ${listed(topics)}.`] : []),
  ];
  return { text: lines.join(' '), used: [] };
}

function listed(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** How many sentences back a chain of sentences leaning on each other is followed. */
const CHAIN_MAX = 2;

/** How many sentences at the start of a group are its farther antecedents (given up first for room). */
const FARTHER = new WeakMap<Candidate[], number>();

/** The chosen units plus what each leans on (a list's lead-in, the sentence "This …" refers to). */
export function withAntecedents(
  evidence: Evidence,
  picked: Candidate[],
  exclude?: ReadonlySet<Candidate>
): Candidate[][] {
  const taken = new Set<Candidate>();
  const groups: Candidate[][] = [];
  for (const c of picked) {
    if (taken.has(c)) continue;
    const group: Candidate[] = [];
    // What it leans on, and what that leans on in turn ("However, …" after "This change …" after
    // the sentence that says what changed), up to the start of the chain.
    for (
      let lead = antecedent(evidence, c), k = 0;
      lead && k < CHAIN_MAX;
      lead = antecedent(evidence, lead), k++
    ) {
      if (taken.has(lead) || exclude?.has(lead)) break;
      group.unshift(lead);
    }
    const farther = Math.max(0, group.length - 1);
    group.push(c);
    for (const then of consequents(evidence, c))
      if (!taken.has(then) && !exclude?.has(then)) group.push(then);
    for (const g of group) taken.add(g);
    if (farther > 0) FARTHER.set(group, farther);
    groups.push(group);
  }
  return groups;
}

/**
 * The groups that fit `maxChars` and `maxSentences`, in order (the first always): short of room,
 * a chain gives up its farther antecedents before the group is left out.
 */
export function withinBudget(
  groups: Candidate[][],
  cost: (c: Candidate) => number,
  maxChars: number,
  maxSentences: number
): Candidate[][] {
  const kept: Candidate[][] = [];
  let chars = 0;
  let sentences = 0;
  const charsOf = (g: Candidate[]) => g.reduce((n, c) => n + cost(c), 0);
  const fits = (g: Candidate[]) =>
    kept.length === 0 || (chars + charsOf(g) <= maxChars && sentences + g.length <= maxSentences);
  for (const whole of groups) {
    let g = whole;
    for (let drop = FARTHER.get(whole) ?? 0; !fits(g) && drop > 0; drop--) g = g.slice(1);
    if (!fits(g)) continue;
    kept.push(g);
    chars += charsOf(g);
    sentences += g.length;
  }
  return kept;
}

/** A sentence that is itself a question: 'How should…?', 'Question: "Why…?".' */
function asksItself(text: string): boolean {
  return /\?["')\]’”]*\.?$/.test(text.trim());
}

/**
 * The direct answer: the best few units, each adding something, within a sentence and character
 * budget; at least two sentences when the evidence has them.
 */
export function writeSummary(evidence: Evidence, options: SummaryOptions = {}): Written {
  if (options.question && !answers(evidence)) return notAnswered(evidence, options.question);
  const maxSentences = options.maxSentences ?? 4;
  const maxChars = options.maxChars ?? 1200;
  // A question the text asks (a quoted one, a rhetorical one) answers nothing.
  const candidates = evidence.scored.filter(
    (s) => s.cand.unit.kind !== 'code' && !asksItself(s.cand.unit.plain)
  );
  // Sentences on one subject share its words: three of five shared is another point about it
  // ("not exchanged with the server", "the identifier may be communicated to the server"), not a
  // repeat; the picking still prefers what adds more.
  const pick = (minShare: number, max: number) =>
    withAntecedents(
      evidence,
      selectDiverse(candidates, { max, minShare, exclude: options.exclude, maxSimilarity: 0.7 }).map(
        (s) => s.cand
      ),
      options.exclude
    );
  // Units at least this share of the best one's score: one strong sentence (an example that
  // repeats the question's words) must not crowd out the answer a few words away from them.
  let groups = pick(SUMMARY_MIN_SHARE, maxSentences);
  // Two sentences at least when the evidence has them (a unit with its antecedent counts as two).
  if (groups.flat().length < 2) groups = pick(0.02, 2);
  if (groups.length === 0) return { text: '', used: [] };
  // Each kind of answer the question asks for (a number, a name, the reason…) that the best two
  // do not state comes right after them, before the less relevant rest.
  const lead = groups.slice(0, 2);
  const completing = completingUnits(candidates, lead.flat(), evidence.cues, options.exclude).map(
    (c) => withAntecedents(evidence, [c], new Set([...(options.exclude ?? []), ...lead.flat()]))[0]!
  );
  // Asked which release did two things, the quoted entry's item that does the second follows it.
  const completes = new Set(completing.flat());
  const siblings = entrySiblings(candidates, lead.flat(), evidence.weights, evidence.cues, options.exclude)
    .filter((c) => !completes.has(c))
    .map((c) => [c]);
  const added = new Set([...completes, ...siblings.flat()]);
  groups = [
    ...lead,
    ...siblings,
    ...completing,
    ...groups.slice(2).filter((g) => !g.some((c) => added.has(c))),
  ];
  // Then the condition or caveat that matters most, when the answer does not state one.
  const caveat = caveatFor(evidence, candidates, groups.flat(), options.exclude);
  if (caveat && groups.flat().length < maxSentences) groups.push([caveat]);
  // The budget is spent in order of relevance: the answer first, then what adds to it.
  // A citation costs what the report shows ("[12]"), not the source id the writer answers with.
  const kept = withinBudget(groups, (c) => said(c, evidence.cues).length + 6, maxChars, maxSentences + 1);
  // Most relevant first (the answer opens the summary), each unit after what it leans on.
  const used = kept.flat();
  // A definition's name is said once for the sentences of its entry that follow each other.
  const lines = used.map((c, i) => {
    const prev = used[i - 1];
    const entryGoesOn = prev && c.unit.label && sameEntry(prev, c);
    const text = entryGoesOn ? c.unit.plain : said(c, evidence.cues);
    return cited(c, withFullStop(capitalised(text)));
  });
  const text = options.checklist ? lines.map((l) => `- [ ] ${l}`).join('\n') : lines.join(' ');
  return { text, used };
}

/** Words a table cell or list item may open with in lower case that a sentence opens capitalised. */
const SENTENCE_OPENERS = new Set(
  'a an the this that these those it its each every all any some no when if how what where why which who for in on to with without by after before once while there they you we one most many only both either neither'.split(
    ' '
  )
);

/**
 * "the model endpoint returns 429: …" (a table row) opens its sentence as "The model endpoint…". A
 * name in lower case ("maxchanges: …", "npm install") is left as written.
 */
function capitalised(text: string): string {
  const first = /^([a-z]+)\b/.exec(text)?.[1];
  return first && SENTENCE_OPENERS.has(first) ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** A unit as the summary says it: with the name it describes when it does not name it itself. */
function said(c: Candidate, cues: ReadonlySet<AnswerCue>): string {
  const text = withLabel(c.unit.plain, c.unit.label);
  const release = releaseSaid(c.unit, cues);
  if (!release) return text;
  // A sentence that ends inside its brackets or quotes ("…announced here.)"), or an aside in
  // brackets after its full stop ("…option. (Suggested by Sam)."), is over before the release could
  // follow it: the release goes in front.
  if (/[.!?]["')\]’”]+$|[.!?]\s+\([^()]*\)\.?$/.test(text)) return `${release}: ${text}`;
  return `${text.replace(/\.$/, '')} (${release})`;
}

const CAVEAT =
  /\b(?:must|must not|cannot|can't|not supported|unsupported|only|requires?|deprecated|experimental|limit(?:s|ed|ation)?|unless|do not|don't|never)\b/i;

/**
 * The best caveat about the subject (a unit that states a limit or condition) not yet said:
 * on the question's subject, relevant enough, and not a repeat of what was picked.
 */
function caveatFor(
  evidence: Evidence,
  candidates: Scored[],
  picked: Candidate[],
  exclude?: ReadonlySet<Candidate>
): Candidate | undefined {
  if (picked.some((c) => CAVEAT.test(c.unit.plain))) return undefined;
  const top = Math.max(...candidates.map((s) => s.score));
  const pool = candidates.filter(
    (s) =>
      s.onSubject &&
      s.score >= top * 0.05 &&
      CAVEAT.test(s.cand.unit.plain) &&
      !s.cand.unit.leadIn &&
      !picked.includes(s.cand) &&
      !exclude?.has(s.cand) &&
      antecedent(evidence, s.cand) === undefined
  );
  const [best] = selectDiverse(pool, {
    max: 1,
    exclude: new Set([...picked, ...(exclude ?? [])]),
    maxSimilarity: 0.6,
  });
  return best?.cand;
}

export interface BodyOptions {
  checklist?: boolean;
  /** "## " sections per passage title. */
  sections?: boolean;
  maxUnits?: number;
  maxChars?: number;
}

/** The body: sections by passage title holding the relevant units in context, cited. */
export function writeBody(evidence: Evidence, options: BodyOptions = {}): Written {
  const maxUnits = options.maxUnits ?? 14;
  const maxChars = options.maxChars ?? 5000;
  let scored: Scored[] = evidence.scored;
  if (options.checklist) {
    // A checklist is made of things to do: actionable units first.
    scored = scored.map((s) => {
      const actionable =
        IMPERATIVE.test(s.cand.unit.plain) ||
        /\b(?:must|should|need to|make sure)\b/i.test(s.cand.unit.plain);
      return { ...s, score: s.score * (actionable ? 1.5 : 1) };
    });
  }
  // Only passages that answer in part make sections (not one that merely shares a common word);
  // a lead-in whose list or code is not quoted introduces nothing.
  const ranked = rankedPassages(evidence);
  const bestPassage = ranked[0]?.score ?? 0;
  const kept = new Set(
    ranked.filter((r) => r.score >= bestPassage * 0.06).map((r) => evidence.passages.indexOf(r.passage))
  );
  scored = scored.filter((s) => !s.cand.unit.leadIn && kept.has(s.cand.passage));
  // Sections about the question's subject, when the evidence has enough of them.
  const onSubject = scored.filter((s) => s.onSubject);
  if (onSubject.length >= 3) scored = onSubject;
  const picked = selectDiverse(scored, { max: maxUnits, minShare: 0.05, maxSimilarity: 0.75 });
  if (picked.length === 0) return { text: '', used: [] };
  const groups = withAntecedents(
    evidence,
    picked.map((s) => s.cand)
  );
  const bySection = new Map<string, Candidate[]>();
  const sectionOrder: string[] = [];
  for (const c of groups.flat()) {
    // Passages without a title each make their own untitled section (a paragraph).
    const key = sectionTitle(c) || `\u0000${c.passage}`;
    if (!bySection.has(key)) {
      bySection.set(key, []);
      sectionOrder.push(key);
    }
    bySection.get(key)!.push(c);
  }
  const parts: string[] = [];
  const used: Candidate[] = [];
  let chars = 0;
  for (const title of sectionOrder.slice(0, 6)) {
    const units = bySection
      .get(title)!
      .sort((a, b) => a.passage - b.passage || a.unit.index - b.unit.index)
      .slice(0, 6);
    const block = options.checklist ? checklistBlock(units) : reportBlock(units);
    if (parts.length > 0 && chars + block.length > maxChars) continue;
    const heading = options.sections !== false && !title.startsWith('\u0000') ? `## ${title}\n\n` : '';
    parts.push(heading + block);
    used.push(...units);
    chars += block.length;
  }
  // One checklist without headings is one list.
  const joiner = options.checklist && options.sections === false ? '\n' : '\n\n';
  return { text: parts.join(joiner), used };
}

/** The section a unit goes under: the heading it sits under, else its passage's innermost heading. */
function sectionTitle(c: Candidate): string {
  const path = c.title.split(/\s+·\s+/)[0]!.split(/\s+[›>]\s+/);
  const last = path[path.length - 1]!;
  return (c.unit.heading || last)
    .replace(/[#*_`]/g, '')
    .trim()
    .slice(0, 100);
}

function checklistBlock(units: Candidate[]): string {
  return units
    .filter((c) => c.unit.kind !== 'code' && !c.unit.leadIn)
    .map((c) => `- [ ] ${cited(c, withFullStop(withLabel(c.unit.text, c.unit.label)))}`)
    .join('\n');
}

/** Prose runs as paragraphs, list items and table rows as lists, code as fenced blocks. */
function reportBlock(units: Candidate[]): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(paragraph.join(' '));
    if (list.length) out.push(list.join('\n'));
    paragraph = [];
    list = [];
  };
  for (const c of units) {
    const u = c.unit;
    if (u.kind === 'code') {
      flush();
      // A long block flattened to one line would not read as code.
      if (u.text.includes('\n') || u.text.length <= 300) out.push('```\n' + u.text + '\n```');
    } else if (u.kind === 'item' || u.kind === 'row') {
      if (paragraph.length) {
        out.push(paragraph.join(' '));
        paragraph = [];
      }
      list.push(`- ${cited(c, withFullStop(withLabel(u.text, u.label)))}`);
    } else {
      if (list.length) {
        out.push(list.join('\n'));
        list = [];
      }
      paragraph.push(u.leadIn ? u.text : cited(c, withFullStop(withLabel(u.text, u.label))));
    }
  }
  flush();
  return out.join('\n\n');
}

const GERUND_EXCEPTIONS: Record<string, string> = { be: 'being', see: 'seeing', free: 'freeing' };

/** "add" → "adding", "configure" → "configuring", "run" → "running". */
export function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (GERUND_EXCEPTIONS[v]) return GERUND_EXCEPTIONS[v]!;
  if (v.endsWith('ie')) return `${v.slice(0, -2)}ying`;
  if (/[^aeiouy]e$/.test(v) || /[^e]ue$/.test(v)) return `${v.slice(0, -1)}ing`;
  if (/^[^aeiou]*[aeiou][bdgmnprt]$/.test(v) && v.length <= 4) return `${v}${v.slice(-1)}ing`;
  return `${v}ing`;
}

/** "How do I add X to Y?" → "adding X to Y" (for titles and follow-ups); undefined for other forms. */
export function gerundPhrase(question: string): string | undefined {
  const q = question.trim().replace(/[?.!]+$/, '');
  const m =
    /^(?:so |and )?how (?:do|can|should|would|could|might|may) (?:i|we|you|one) (\p{L}+)\b\s*(.*)$/iu.exec(
      q
    ) ??
    /^(?:so |and )?how (?:can|should|would|could|might|may|must) (?:(?:an?|the|my|our|your) )?\p{L}+ (\p{L}+)\b\s*(.*)$/iu.exec(
      q
    ) ??
    /^(?:so |and )?how to (\p{L}+)\b\s*(.*)$/iu.exec(q);
  if (!m) return undefined;
  return `${gerund(m[1]!)}${m[2] ? ` ${m[2]}` : ''}`;
}

/** A report title from the question: "Adding human approval to a durable agent". */
export function titleFor(question: string): string {
  const q = question.replace(/\s+/g, ' ').trim();
  if (!q) return '';
  const g = gerundPhrase(q);
  const title = g ?? q;
  return (title[0]!.toUpperCase() + title.slice(1)).slice(0, 150);
}
