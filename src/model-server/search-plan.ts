/**
 * A search plan for a question: queries that keep the question's own distinctive terms (names,
 * settings, commands, numbers) and cover distinct aspects — all of it together, each key phrase
 * with the action asked about, and its limits — each with a reason that says what that query
 * looks for.
 */
import type { Ask } from './ask.js';
import { phrasalWords } from '../common/idioms.js';
import { askingText, contextSentences, unhedged } from './question-form.js';
import { settingOf, stem } from './relevance.js';
import { STOPWORDS } from './text.js';

export interface PlannedSearch {
  query: string;
  reason: string;
}

/** Verbs that carry the action asked about but find nothing on their own. */
const WEAK_VERBS = new Set([
  'add',
  'get',
  'make',
  'set',
  'do',
  'work',
  'handle',
  'happen',
  'go',
  'put',
  'have',
]);

interface Word {
  text: string;
  content: boolean;
}

/** The question's words, code and names kept as written ("RunState", "--no-clarify", "v2.1"). */
function wordsOf(text: string): Word[] {
  return (
    text.match(/`[^`]+`|--?[A-Za-z][\w-]*|[\p{L}\p{N}][\p{L}\p{N}_.'’/+#-]*[\p{L}\p{N}_+#]|[\p{L}\p{N}]/gu) ??
    []
  ).map((w) => {
    const text = w.replace(/^`|`$/g, '').replace(/['’]s$/, '');
    const lower = text.toLowerCase();
    // "jq", "ed": a two-letter word that is no function word is a name, and searched.
    const content = !STOPWORDS.has(lower) && (lower.length >= 2 || /\d/.test(lower) || /^-/.test(text));
    return { text, content };
  });
}

/** Runs of adjacent content words: the question's key phrases ("human approval", "durable agent"). */
function phrasesOf(words: Word[]): string[][] {
  const phrases: string[][] = [];
  let run: string[] = [];
  for (const w of words) {
    if (w.content) run.push(w.text);
    else if (run.length) {
      phrases.push(run);
      run = [];
    }
  }
  if (run.length) phrases.push(run);
  return phrases;
}

// A two-letter content word is a name too ("jq", "ed").
const isName = (w: string) => /[A-Z].*[A-Z]|[a-z][A-Z]|[._/-]|\d|^-|^\p{L}{2}$/u.test(w);
const weak = (w: string) => WEAK_VERBS.has(w.toLowerCase());

function listed(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function unique(words: string[]): string[] {
  const seen = new Set<string>();
  return words.filter((w) => {
    const k = stem(w.toLowerCase());
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What the second query looks for, by the kind of answer the question asks for. */
function aspectReason(ask: Ask, how: boolean, doing: string, topic: string): string {
  if (how) return `Looks for how to ${doing}: the steps, settings, commands or code involved`;
  if (ask.cues.has('number')) return `Looks for the number or value asked for about ${topic}`;
  if (ask.cues.has('code')) return `Looks for the exact names, flags or commands of ${topic}`;
  if (ask.cues.has('yesno')) return `Looks for a statement that confirms or rules out ${topic}`;
  if (ask.cues.has('definition')) return `Looks for a definition of ${topic}`;
  if (ask.cues.has('reason')) return `Looks for the reason behind ${topic}`;
  return `Looks for what the corpus says about ${topic} itself`;
}

/** Up to `count` searches for the question (at least one when it has any content word). */
export function planSearches(ask: Ask, count: number): PlannedSearch[] {
  // The sentence that asks says what to find; scene-setting sentences say where (their names and
  // symptoms are how the documentation words it). Hedges ("actually", "still") find nothing.
  // Idioms are searched in the words documentation uses ("get rid of" → "remove"); a thing's other
  // name is for retrieval to add, not for the plan to search instead of the asker's own words.
  const question = phrasalWords(unhedged(ask.question));
  const asking = askingText(question);
  const words = wordsOf(asking);
  // "How do I enable fuzzy search…": the verb is the action, its object the topic.
  const verb = /^\W*how (?:do|can|should|would|could|might|may|to)\b(?: (?:i|we|you|one))?\s+(\p{L}+)/iu.exec(
    asking
  )?.[1];
  const verbAt = verb ? words.findIndex((w) => w.text === verb) : -1;
  if (verbAt >= 0) words[verbAt] = { ...words[verbAt]!, content: false };
  const phrases = phrasesOf(words)
    .map((p) => {
      // A leading weak verb is the action, not the topic ("add human approval" → "human approval").
      const lead = p.length > 1 && weak(p[0]!) ? p.slice(1) : p;
      return lead;
    })
    .filter((p) => p.length > 0 && !(p.length === 1 && weak(p[0]!)));
  const scene = contextSentences(question).flatMap((c) => phrasesOf(wordsOf(c)));
  const sceneTerms = unique(scene.flat().filter((w) => !weak(w)));
  const asked = unique(phrases.flat());
  if (asked.length === 0 && sceneTerms.length === 0) {
    const q = ask.question.trim().slice(0, 120);
    return q ? [{ query: q, reason: `Looks for passages that answer "${q}" as asked.` }] : [];
  }
  const sceneNames = sceneTerms.filter(isName);
  // The asking terms first, then the names of the scene, then its other words, up to eight.
  const terms = unique([...asked, ...sceneNames, ...sceneTerms]);
  const action = verb ?? words.find((w, i) => w.content && weak(w.text) && i > 0)?.text;
  const names = terms.filter(isName);
  const extra = unique(
    ask.context.flatMap((c) =>
      wordsOf(c)
        .filter((w) => w.content)
        .map((w) => w.text)
    )
  ).filter((w) => !terms.some((t) => stem(t.toLowerCase()) === stem(w.toLowerCase())));
  const allPhrases = [...phrases, ...scene];
  const phraseTexts = allPhrases.map((p) => p.join(' '));
  const longest = (list: string[][]) => list.reduce((a, b) => (b.length > a.length ? b : a), list[0]!);
  const main = phrases.length > 0 ? longest(phrases) : longest(scene);
  const mainText = main.join(' ');
  const plan: PlannedSearch[] = [];
  const seen = new Set<string>();
  const push = (queryWords: string[], reason: string) => {
    const q = unique(queryWords).slice(0, 8).join(' ').trim();
    const key = unique(queryWords)
      .slice(0, 8)
      .map((w) => stem(w.toLowerCase()))
      .sort()
      .join(' ');
    if (!q || seen.has(key)) return;
    seen.add(key);
    plan.push({ query: q, reason });
  };

  push(
    terms,
    phraseTexts.length > 1
      ? `Looks for passages that mention ${listed(phraseTexts.slice(0, 4))} together, where the direct answer is likely to be.`
      : `Looks for passages about ${mainText}, where the direct answer is likely to be.`
  );
  const how = ask.cues.has('procedure');
  // "How do I make an option required in commander?" → "make an option required".
  const task =
    /^\W*how (?:do|can|should|would|could|might|may|to)\b(?: (?:i|we|you|one))?\s+(.+?)(?:\?|$)/i.exec(
      asking.trim()
    )?.[1];
  const setting = settingOf(asking);
  const doing =
    task && setting && task.endsWith(setting)
      ? task.slice(0, -setting.length).replace(/\s+\S+\s*$/, '')
      : task;
  const aspect = [
    ...(action ? [action] : []),
    ...main,
    ...names.filter((n) => !main.includes(n)),
    ...extra.slice(0, 2),
  ];
  // "Was it removed on purpose?": one word asked is about the scene ("it"), and finds every removal
  // of the corpus on its own; the scene's longest phrases ("closed standard input beforehand") say
  // more of the case than its first words do.
  if (unique(aspect).length < 2)
    aspect.push(
      ...[...scene]
        .sort((a, b) => b.length - a.length)
        .flat()
        .filter((w) => !weak(w))
        .slice(0, 4)
    );
  const forWhom = extra.length ? `, for ${listed(extra.slice(0, 2))}` : '';
  push(
    aspect,
    `${aspectReason(ask, how, doing ?? `${action ? `${action.toLowerCase()} ` : 'use '}${mainText}`, mainText)}${forWhom}.`
  );
  // The scene as the asker describes it: the symptom is often how the documentation words the case.
  if (sceneTerms.length > 0)
    push(
      [...sceneNames, ...sceneTerms, ...main.slice(0, 2)],
      `Looks for the situation described (${listed(scene.slice(0, 3).map((p) => p.join(' ')))}) as the documentation words it.`
    );
  push(
    [...main, 'limitations'],
    `Looks for the limits, conditions and failure cases of ${mainText} that the answer should mention.`
  );
  for (const other of phrases.filter((p) => p !== main)) {
    push(
      [...other, ...main.slice(0, 1)],
      `Looks for passages about ${other.join(' ')} in relation to ${mainText}.`
    );
  }
  push([...terms.slice(0, 3), 'example'], `Looks for a worked example of ${mainText}.`);
  return plan.slice(0, Math.max(1, count));
}
