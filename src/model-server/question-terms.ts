/**
 * Which of a question's terms matter how much: the phrase it asks about, its setting ("in
 * commander"), the search focus and the asker's answers; which terms a whole document can satisfy
 * through its title or path, and which make up the question's own subject.
 */
import type { Ask } from './ask.js';
import { LEFT_ALONE, plainWords } from '../common/idioms.js';
import { ASKS_DEFAULT_PHRASE, askingText, contextSentences, unhedged } from './question-form.js';
import { stem, termsOf } from './terms.js';

/** Question words that say little about the topic ("add", "work", "handle"). */
const WEAK = new Set(
  [
    'add',
    'work',
    'handle',
    'happen',
    'set',
    'setup',
    'best',
    'good',
    'possible',
    'right',
    'correct',
    'proper',
  ].map(stem)
);

/**
 * The setting of a question: what follows its first preposition once the wh-words are gone ("add
 * human approval" to "a durable agent", "make an option required" in "commander"). The phrase
 * asked about weighs more than its setting, unless the setting names something exactly.
 */
/**
 * "Is it a problem to start thousands of calls…", "Is it fine to leave the timeout…": the subject is
 * the action after "to"; the words before it ("a problem", "fine", "a good idea") are what the
 * question asks of it (its answer cue), not what it is about.
 */
const EXTRAPOSED =
  /^\W*(?:is|isn't|was|would|wouldn't|will|could) it\s+((?:[\w'-]+\s+){0,3}?[\w'-]+)\s+to\s+(?!(?:a|an|the|my|your|our|this|that|these|those|its|their)\b)(.+)$/i;

export function extraposed(question: string): { predicate: string; subject: string } | undefined {
  const m = EXTRAPOSED.exec(question);
  return m ? { predicate: m[1]!, subject: m[2]! } : undefined;
}

export function settingOf(question: string): string | undefined {
  // "With versioned routes, how does…": the setting leads ("If I…, does…" is the subject's condition).
  const lead =
    /^\W*(?:with|in|on|for|under|using|inside|within)\s+([^,?]{1,80}),\s*(?=(?:how|what|which|why|when|where|who|can|could|does|do|did|is|are|should|will|would|may|must)\b)/i.exec(
      question
    );
  if (lead) return lead[1]!.trim();
  // "When the server is out of connections, how many…": the condition is not where to look; nor is
  // what the asker sets aside ("Apart from my own ~/.wgetrc, can an admin…").
  // "In what situation does the bug…", "Under which conditions…": the preposition goes with its
  // wh-word; it places nothing.
  const main = question
    .replace(
      /^\W*(?:if|when|whenever|after|before|once|while|apart from|aside from|besides|other than|except for|in addition to)\b[^,?]{1,120},\s*(?=(?:how|what|which|why|when|where|who|can|could|does|do|did|is|are|should|will|would|may|must)\b)/i,
      ''
    )
    .replace(/^\W*(?:in|on|under|for|with|from|at|by|to)\s+(?=(?:what|which|whose)\b)/i, '');
  const body =
    extraposed(main)?.subject ??
    main.replace(
      /^\W*(?:how|what|which|why|when|where|who|can|does|do|is|are|should)\b[^a-z]*\w+\s+\w+\s/i,
      ''
    );
  // "the heap of a worker": what follows "of" is part of the subject, not where it sits.
  // A preposition before a gerund ("stop it from treating…", "by setting…") starts an action, not a place.
  // "to" before a verb is a purpose ("for it to take effect"), not a place; a pronoun ("for it")
  // stands for the subject.
  const m =
    /^(.*?\b(?:to(?=\s+(?:the|a|an|my|our|your|its|their|each|every|all)\b)|in|into|on|for|with|within|from|at|by|under|across|inside|without)\s(?!\w+ing\b)(?!(?:it|them|this|that|me|us)\b))(.+)$/i.exec(
      body
    );
  // The setting is a place, not the condition after it ("on the changelog page unless configured
  // otherwise", "in a pool when it is full").
  return m?.[2]
    ?.replace(/\s+(?:unless|if|when|whenever|because|before|after|while|until|once|so that)\b.*$/i, '')
    .replace(/[\s?.!]+$/, '');
}

/** Code, names with inner capitals, paths, numbers and flags of a text. */
function namesOf(text: string): string[] {
  return text.match(/`[^`]+`|\S*[A-Z]\S*[A-Z]\S*|\S+[._/]\S+|\S*\d\S*|--?\w[\w-]*/g) ?? [];
}

/**
 * Terms a whole document can satisfy through its title or path: the question's setting ("in
 * commander") and the names it mentions ("does Hono run on…"). A passage of hono-README.md is
 * about Hono even when its sentence says "It".
 */
export function documentTerms(question: string): Set<string> {
  const setting = settingOf(askingText(plainWords(unhedged(question)))) ?? '';
  const names = question
    .split(/\s+/)
    .slice(1)
    .filter((w) => /^[\p{Lu}]|[a-z][A-Z]/u.test(w));
  return new Set(termsOf(`${setting} ${names.join(' ')}`).map((t) => t.term));
}

/**
 * Code a question names: `quoted`, dotted (zlib.deflate), called (fork()), camelCase or snake_case;
 * and identifiers numbered under a prefix (CVE-2024-38428, bpo-45668).
 */
const CODE_NAME =
  /`[^`]+`|[\p{L}_$][\w$]*(?:\.[\p{L}_$][\w$]*)+(?:\(\))?|[\p{L}_$][\w$]*\(\)|\b[a-z]+[A-Z]\w*|\b[A-Za-z]+_\w+|\b[A-Za-z]+(?:-[A-Za-z]+)*-\d{3,}(?:-\d+)*\b/gu;

/**
 * Terms of the code a question names ("zlib.deflate()": zlib.deflate, zlib, deflate). A sentence
 * about none of them — not in its words, heading or document — is about some other code.
 */
export function namedTerms(question: string, options: { whole?: boolean } = {}): Set<string> {
  const out = new Set<string>();
  for (const m of question.matchAll(CODE_NAME))
    for (const { term, part } of termsOf(m[0].replace(/`/g, '')))
      if (!WEAK.has(term) && !(options.whole && part)) out.add(term);
  return out;
}

const ASKS_DEFAULT = new RegExp(ASKS_DEFAULT_PHRASE, 'gi');
const LEFT_ALONE_WORDS = new RegExp(LEFT_ALONE, 'gi');

const HOW_MEASURE =
  /\bhow (long|many|much|often|big|large|far|old|soon|fast|high|low|small|slow|frequently|recent)\b/gi;

/** Terms of the question's own subject: not its setting, not weak verbs (what an answer must be about). */
export function focusTerms(question: string, weights: QueryWeights): Set<string> {
  const asking = askingText(plainWords(unhedged(question)));
  const setting = new Set(termsOf(settingOf(asking) ?? '').map((t) => t.term));
  const predicate = new Set(termsOf(extraposed(asking)?.predicate ?? '').map((t) => t.term));
  for (const t of predicate) setting.add(t);
  // "How long", "how many": the word after "how" says what kind of answer is wanted (its cue), not what about.
  for (const m of asking.matchAll(HOW_MEASURE)) for (const t of termsOf(m[1]!)) setting.add(t.term);
  // A self-contained ask is the subject; names in the scene-setting sentences only place it.
  const own = new Set(termsOf(asking).map((t) => t.term));
  const contained = selfContained(asking);
  return new Set(
    [...weights]
      .filter(([t, w]) => w >= 1 && !setting.has(t) && !WEAK.has(t) && (!contained || own.has(t)))
      .map(([t]) => t)
  );
}

/** An ask with three content terms of its own says what it is about without its context. */
function selfContained(asking: string): boolean {
  return termsOf(asking).filter((t) => !t.part && !WEAK.has(t.term)).length >= 3;
}

/** A stemmed term that says little about the topic on its own. */
export const isWeakTerm = (term: string): boolean => WEAK.has(term);

export type QueryWeights = Map<string, number>;

/** Query term weights: the question, then the search focus, then what the asker added. */
export function queryWeights(ask: Pick<Ask, 'question' | 'focus' | 'context' | 'searched'>): QueryWeights {
  const weights: QueryWeights = new Map();
  const add = (text: string, w: number) => {
    for (const { term, part, initials } of termsOf(text)) {
      // A compound's initials meet it as a related term, not as a term of their own.
      if (initials) continue;
      // "OpenAI" is about OpenAI, only a little about "open".
      const weight = WEAK.has(term) ? Math.min(w, 0.15) : part ? w / 2 : w;
      if ((weights.get(term) ?? 0) < weight) weights.set(term, weight);
    }
  };
  // Context sentences set the scene; the sentence that asks says what the answer is about.
  const question = plainWords(unhedged(ask.question));
  const asking = askingText(question);
  const setting = settingOf(asking);
  // "unless configured otherwise", "if I don't set anything": these ask for the default (a cue of
  // the question's form), they are not what the answer is about.
  add(
    (setting ? asking.replace(setting, ' ') : asking)
      .replace(ASKS_DEFAULT, ' ')
      .replace(LEFT_ALONE_WORDS, ' $1 '),
    1
  );
  // A short ask ("Why, and how do I make it count everything?") is about its context.
  const contextWeight = selfContained(asking) ? 0.6 : 1;
  const inContext = new Set<string>();
  for (const c of contextSentences(question)) {
    add(c, contextWeight);
    add(namesOf(c).join(' '), 1);
    for (const { term } of termsOf(c)) inContext.add(term);
  }
  // The verb of "how do I enable fuzzy search" is the action; its object is the topic — unless the
  // scene names it too ("git stash left my files behind. How do I stash them?"): then it is the topic.
  const verb = /^\W*how (?:do|can|should|would|could|might|may|to)\b(?: (?:i|we|you|one))?\s+(\p{L}+)/iu.exec(
    asking
  )?.[1];
  for (const { term } of verb ? termsOf(verb) : [])
    if ((weights.get(term) ?? 0) > 0.7 && !(contextWeight === 1 && inContext.has(term)))
      weights.set(term, 0.7);
  if (setting) {
    for (const { term, part } of termsOf(setting))
      if (!weights.has(term)) weights.set(term, part ? 0.35 : 0.7);
    add(namesOf(setting).join(' '), 1);
  }
  add(ask.focus, 0.8);
  for (const c of ask.context) add(c, 0.4);
  for (const q of ask.searched) add(q, 0.5);
  return weights;
}
