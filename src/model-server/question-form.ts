/**
 * What a question's form asks for. People ask with context first ("git stash left my new files
 * behind. How do I stash them as well?") and often ask two things at once ("How big can the queue
 * get, and which option makes it bigger?"): the asking clauses are the sentences that ask, split
 * where a second question starts, and each clause's wh-word or auxiliary says what kind of
 * sentence answers it — a number, a name, a yes or no with its reason, a default, a place, a
 * frequency, which of two wins, what it costs.
 */
import { LEFT_ALONE } from '../common/idioms.js';

export type AnswerCue =
  | 'number'
  // A bound: the largest or smallest value something may take ("Is there an upper limit…?").
  | 'bound'
  | 'code'
  | 'definition'
  | 'yesno'
  | 'procedure'
  | 'reason'
  | 'time'
  | 'consequence'
  | 'comparison'
  | 'default'
  | 'place'
  | 'frequency'
  | 'precedence'
  | 'tradeoff'
  | 'advice'
  | 'problem'
  // The kind of name a "which …" question asks for, when it says: an option flag, an environment
  // variable, a function or method.
  | 'flag'
  | 'envvar'
  | 'call'
  // Which release something came in, changed or was fixed: a changelog entry's version answers.
  | 'release'
  // In what situation something happens: the sentence that says when it does ("only if…").
  | 'condition';

const ASKS =
  /^(?:how|what|which|why|when|where|who|whom|whose|whether|is|are|was|were|can|could|does|do|did|should|will|would|may|might|must|has|have|shall)\b/i;
/** Where a second question starts inside a sentence: ", and which option…", "Why, and how…". */
const SECOND_QUESTION =
  /,?\s+(?:and|or|but|also|then)\s+(?=(?:(?:in|on|at|for|from|to|by|with) )?(?:how|what|which|why|when|where|who|whether|is|are|can|could|does|do|did|should|will|would|may|might|must)\b)/i;

/**
 * Hedges and fillers of spoken questions ("roughly how much", "say in a loop", "as well"): answers
 * do not repeat them.
 */
const HEDGES =
  /(?<![\w-])(?:roughly|approximately|around|exactly|actually|basically|simply|just|really|quite|pretty|fairly|somewhat|even|still|already|anyway|ever|say|as well|nearly|almost|mostly|largely)(?![\w-])/gi;

/** The text without its hedges (matched as words: "largely" goes, "large" stays, "just-in-time" stays). */
export function unhedged(text: string): string {
  return text.replace(HEDGES, ' ').replace(/ {2,}/g, ' ');
}

/**
 * "With versioned routes, how does…" → "how does…": a leading setting or condition ("Without making
 * it recursive, how do I…") before the question word.
 */
export function withoutLeadingSetting(clause: string): string {
  return clause.replace(
    /^(?:with|without|in|on|for|when|while|once|unless|if|after|before|during|under|using|inside|from|at|by)\b[^,?]{1,80},\s*(?=(?:how|what|which|why|when|where|who|can|could|does|do|did|is|are|should|will|would|may|must)\b)/i,
    ''
  );
}

/**
 * The sentences of a question (on ? . ! followed by a space; not after an abbreviation such as
 * "e.g.", but after a number: "…my tag v1.2. Why…").
 */
export function questionSentences(question: string): string[] {
  return question
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[?!]|[^.\s]{2}\.|\d\.)\s+(?=\S)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Whether a sentence asks (ends with "?" or opens with a wh-word or an auxiliary). */
export function asks(sentence: string): boolean {
  return /\?["')\]]*$/.test(sentence) || ASKS.test(sentence.replace(/^(?:and|so|but|also|then)\s+/i, ''));
}

/** The asking clauses of a question: its asking sentences, split where a second question starts. */
export function askingClauses(question: string): string[] {
  const sentences = questionSentences(question);
  const asking = sentences.filter(asks);
  return (asking.length > 0 ? asking : sentences)
    .flatMap((s) => s.split(SECOND_QUESTION))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The part of a question that asks: its asking sentences when context sentences come with them. */
export function askingText(question: string): string {
  const sentences = questionSentences(question);
  const asking = sentences.filter(asks);
  return asking.length > 0 && asking.length < sentences.length ? asking.join(' ') : question;
}

/** The sentences that only set the scene ("git stash left my new files behind."). */
export function contextSentences(question: string): string[] {
  const sentences = questionSentences(question);
  const asking = sentences.filter(asks);
  return asking.length > 0 ? sentences.filter((s) => !asks(s)) : [];
}

const WANTS_CODE = [
  /\b(?:command|commands|flag|flags|snippet|syntax|cli)\b|\b(?:code|an?) example\b|\bcode (?:for|to)\b/,
  /\bhow (?:do|can|should|would) (?:i|we|you|one) (?:run|install|invoke|call|launch|execute|import|start)\b/,
  /\bhow to (?:run|install|invoke|call|launch|execute|import)\b/,
  // "What do I pass to configure so…": the options a program is given.
  /\bwhat (?:do|should|can|must|would|could) (?:i|we|you|one) (?:pass|supply) to\b/,
];
const NAMED_THING =
  /\b(?:which|what) (?:\w+ )?(?:flag|option|command|argument|parameter|function|method|api|class|setting|variable|env|key|field|property|keyword|hook|decorator|type|interface|module|package|file|header|endpoint|config\w*)s?\b(?!\s+(?:version|release|revision|update|upload)s?\b)/;

/** Words that ask for a bound: "an upper limit", "the maximum", "at most", "does it cap…". */
const ASKS_BOUND =
  /\b(?:upper|lower) (?:limit|bound)\b|\b(?:an?|any|the|some) (?:limit|maximum|minimum|cap|ceiling)\b|\bmax(?:imum)?\b|\bmin(?:imum)?\b|\bat (?:most|least)\b|\bcaps?\b/;

/** Words that ask for the default ("unless configured otherwise", "by default"): a cue, not a subject. */
export const ASKS_DEFAULT_PHRASE = String.raw`\bunless (?:\w+ )?(?:told|configured|set|specified|changed|overridden|given)(?: otherwise)?\b|\bunless otherwise\b|\bby default\b`;
const ASKS_FOR_DEFAULT = new RegExp(
  String.raw`${ASKS_DEFAULT_PHRASE}|\bdefault\b|\bunless (?:told|i|you|we)\b|\bout of the box\b|\bgive no\b|\bwithout (?:any |a |an )?(?:option|setting|config\w*|flag|argument)s?\b|\b(?:if|when) (?:i|you|we) (?:don't|do not|didn't|never) (?:configure|set|specify|pass|give|change|touch)\b|${LEFT_ALONE}`
);

/** "Which package revision brought the fix?", "since which version…", "the minimum version for…". */
const ASKS_RELEASE =
  /\bhow (?:recent|up[- ]to[- ]date)\b|\b(?:which|what)\s+(?:[\w-]+\s+){1,3}(?:update|upload)s?\s+(?:added|introduced|fixed|brought|shipped|included|removed|dropped|changed|made)\b|\b(?:in|with|since|from)\s+(?:which|what)\s+(?:[\w-]+\s+){0,3}(?:update|upload)s?\b|\b(?:which|what)\s+(?:[\w-]+\s+){0,3}(?:version|release|revision)s?\b|\bsince (?:which|what|when)\b|\b(?:minimum|oldest|earliest|first)\b[^?]*\b(?:version|release)s?\b|\bwhen (?:was|were|did)\b[^?]*\b(?:added|introduced|fixed|removed|changed|dropped|deprecated|patched)\b/;

/** "In what situation does…", "under which conditions…", "in what cases…". */
const ASKS_CONDITION =
  /^(?:in|under|on) (?:what|which) (?:\w+ )?(?:situations?|circumstances?|conditions?|cases?)\b|^what (?:situations?|circumstances?|conditions?)\b/;

/** The cues of one clause (lower-case, spaces collapsed). */
function clauseCues(q: string, cues: Set<AnswerCue>): void {
  const s = withoutLeadingSetting(q).replace(/^(?:and|so|but|also|then)\s+/, '');
  if (
    /\bhow (?:many|much|long|often|large|big|fast|far|high|low|old|slow|small|recent)\b/.test(q) ||
    /\bwhat(?:'s| is| are)? (?:the )?(?:[\w-]+ ){0,2}(?:default|max(?:imum)?|min(?:imum)?|limit|size|number|count|timeout|port|version|value|length|rate|percentage|amount|interval)\b/.test(
      q
    ) ||
    /\bwhat (?:\w+ ){0,4}(?:return|exit with|exit)\b/.test(q) ||
    /\b(?:which|what) (?:port|version|value|number|size|limit|timeout|percentage)\b/.test(q)
  )
    cues.add('number');
  if (ASKS_BOUND.test(q)) cues.add('bound');
  if (WANTS_CODE.some((re) => re.test(q)) || NAMED_THING.test(q)) cues.add('code');
  const kind = NAMED_THING.exec(q)?.[0] ?? '';
  if (/\b(?:flag|option|switch|argument)s?$/.test(kind) && !/\bconfig/.test(q)) cues.add('flag');
  if (/\b(?:variable|env)s?$/.test(kind) && /\benv(?:ironment)?\b/.test(q)) cues.add('envvar');
  if (/\b(?:function|method|api|hook)s?$/.test(kind)) cues.add('call');
  // "What does the manual advise?", "Which allocator do the docs recommend?": advice, not a definition.
  const asksAdvice = /^(?:what|which)\b.*\b(?:advises?|recommends?|suggests?)\b/.test(s);
  if (asksAdvice) cues.add('advice');
  else if (
    /^(?:what|which|who)(?:'s| is| are| does| do| was)\b/.test(s) ||
    /\bwhat does .+ mean\b|^define\b/.test(s)
  )
    cues.add('definition');
  if (/^(?:can|could|does|do|did|is|are|was|were|will|would|should|has|have|must|may)\b/.test(s))
    cues.add('yesno');
  if (
    /^how (?:do|does|can|could|should|would|to|is|are|did)\b|\bhow to\b|^(?:steps?|ways?) to\b/.test(s) ||
    /^(?:is|are) there (?:a|an|any|some)?\s*(?:other |easy |simple |better )?ways? (?:to|of)\b/.test(s) ||
    // "What do I need to run…", "What should we do to…": the steps, as "how do I…" asks for them
    // (what to call or install is a name).
    /^what (?:do|should|must|would) (?:i|we|you) (?:(?:need|have) to )?(?:do|run|type|enter|execute)\b/.test(
      s
    )
  )
    cues.add('procedure');
  if (/^why\b|\bwhat is the reason\b|\bhow come\b/.test(s)) cues.add('reason');
  if (/^when\b|\bhow soon\b|\bhow long\b/.test(s)) cues.add('time');
  if (/\bhow (?:often|frequently)\b|\bhow many times\b/.test(s)) cues.add('frequency');
  if (/\bwhat happens\b|\bif .+ (?:fails?|crash(?:es)?|dies|errors?|times? out)\b/.test(s))
    cues.add('consequence');
  if (
    /\b(?:difference|differ|differs|vs\.?|versus|compare[sd]?|comparison|better|prefer|instead of)\b/.test(s)
  )
    cues.add('comparison');
  // "…if I don't configure it?", "…with no option?": the default is the answer — unless the clause
  // asks why, when "by default" is part of what it takes as given, not what it asks for. A leading
  // "By default, how often…" is a setting that asks for it too.
  if (!cues.has('reason') && ASKS_FOR_DEFAULT.test(q)) cues.add('default');
  if (ASKS_RELEASE.test(s)) cues.add('release');
  if (ASKS_CONDITION.test(s)) cues.add('condition');
  if (/^where\b|\bwhich (?:file|directory|folder|path)\b|\bin which (?:file|directory)\b/.test(s))
    cues.add('place');
  if (
    /\bwhich (?:of|one)\b|\bends? up\b|\btakes? precedence\b|\bwins?\b|\bwhich value\b|\bwhat order\b|\border of\b|\bwhich (?:comes )?first\b/.test(
      s
    )
  )
    cues.add('precedence');
  if (/\b(?:give up|lose|downside|drawback|trade-?off|cost|price|penalty|catch)\b/.test(s))
    cues.add('tradeoff');
  // "Which option should I use?" asks for the option's name, not for a recommendation.
  if (
    /^should\b|\bis it (?:worth|wise|a good idea|recommended|advisable)\b|\bshould (?:i|we|you)\b/.test(s) &&
    !(/^(?:which|what)\b/.test(s) && kind)
  )
    cues.add('advice');
  if (
    /\b(?:a problem|an issue|safe|ok|okay|bad|harmful|dangerous|a bad idea)\b/.test(s) &&
    /^(?:is|are|can|could|does|do|will|would)\b/.test(s)
  )
    cues.add('problem');
}

/** The kinds of sentence the question's form asks for, over its asking clauses. */
export function answerCues(question: string): { cues: Set<AnswerCue>; wantsCode: boolean } {
  const cues = new Set<AnswerCue>();
  const clauses = askingClauses(question).map((c) => c.toLowerCase());
  for (const c of clauses.length > 0 ? clauses : [question.toLowerCase()]) clauseCues(c, cues);
  const whole = question.toLowerCase().replace(/\s+/g, ' ');
  return { cues, wantsCode: WANTS_CODE.some((re) => re.test(whole)) };
}
