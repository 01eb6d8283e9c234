/**
 * The evidence of a request, scored for its question: every quotable unit of the passages the
 * request brings (source passages, tool outputs, earlier answers — the asker's own text only when
 * there is nothing else), with its relevance. Computed once per material.
 */
import type { Material, Passage } from './material.js';
import type { AnswerCue } from './question-form.js';
import { DO_VERB } from './answer-cues.js';
import { encoderDir } from '../common/encoder/sentence-encoder.js';
import { meaning } from './meaning.js';
import {
  inverseFrequencies,
  queryWeights,
  scoreAll,
  documentTerms,
  focusTerms,
  namedTerms,
  termSet,
  termsOf,
  type Candidate,
  type QueryWeights,
  type Scored,
} from './relevance.js';

export interface Evidence {
  passages: Passage[];
  cands: Candidate[];
  scored: Scored[];
  weights: QueryWeights;
  idf: (term: string) => number;
  /** Terms of the question's own subject. */
  focus: ReadonlySet<string>;
  /** Terms of its setting and the names it mentions. */
  setting: ReadonlySet<string>;
  /** The code the question names, whole ("pg_hba.conf", "zlib.deflate"): not its parts. */
  names: ReadonlySet<string>;
  /** The kinds of sentence that answer the question's form. */
  cues: ReadonlySet<AnswerCue>;
}

const cache = new WeakMap<Material, Evidence>();

/** The passages a writer quotes: sources and tool outputs first, the asker's text as a last resort. */
export function evidencePassages(material: Material): Passage[] {
  const real = material.passages.filter((p) => p.origin !== 'user' && p.units.length > 0);
  return real.length > 0 ? real : material.passages.filter((p) => p.units.length > 0);
}

export function evidenceFor(material: Material): Evidence {
  const hit = cache.get(material);
  if (hit) return hit;
  const passages = evidencePassages(material);
  const cands: Candidate[] = [];
  passages.forEach((p, passage) => {
    // "Sections › smtp · host · port": the path vouches for what is under it; the sections named
    // after "·" are siblings the passage runs into, not what its first sentences are about.
    const titleTerms = termSet(p.title.split(/\s+·\s+/)[0]!);
    const docTerms = termSet(`${p.title} ${(p.sourceId ?? '').replace(/#.*$/, '')}`);
    const headingTerms = new Map<string, Set<string>>();
    for (const unit of p.units) {
      const terms = termsOf(unit.plain);
      let heading = headingTerms.get(unit.heading);
      if (!heading) headingTerms.set(unit.heading, (heading = termSet(unit.heading)));
      // The title's heading path covers the units before the excerpt's own first heading (and
      // those under a heading the title names), not a later section the excerpt runs into.
      const path = p.title.split(/\s+·\s+/)[0]!.toLowerCase();
      const underTitle = !unit.heading || path.includes(unit.heading.toLowerCase());
      cands.push({
        unit,
        sourceId: p.sourceId,
        passage,
        title: p.title,
        terms,
        set: new Set(terms.map((t) => t.term)),
        headingTerms: heading,
        titleTerms: underTitle ? titleTerms : new Set(),
        labelTerms: unit.label ? termSet(unit.label.replace(/\(default[^)]*\)/gi, '')) : new Set(),
        entryTerms: new Set(),
        docTerms,
      });
    }
  });
  // The sentences of one entry (an option and its description) share what the entry says as a whole.
  const entries = new Map<string, Set<string>>();
  for (const c of cands) {
    if (!c.unit.label) continue;
    const key = `${c.passage}\u0000${c.unit.label}`;
    const set = entries.get(key) ?? new Set(c.labelTerms);
    for (const t of c.set) set.add(t);
    entries.set(key, set);
    c.entryTerms = set;
  }
  const weights = queryWeights(material.ask);
  const idf = inverseFrequencies(cands);
  const setting = documentTerms(material.ask.question);
  const focus = focusTerms(material.ask.question, weights);
  const scored = withContext(
    scoreAll(cands, {
      weights,
      idf,
      setting,
      focus,
      named: namedTerms(material.ask.question),
      cues: material.ask.cues,
      // Only with an encoder on: vectors primed before it was turned off are not read.
      ...(encoderDir() ? { meaning: (text: string) => meaning(material.ask.question, text) } : {}),
    })
  );
  const names = namedTerms(material.ask.question, { whole: true });
  const evidence = { passages, cands, scored, weights, idf, focus, setting, names, cues: material.ask.cues };
  cache.set(material, evidence);
  return evidence;
}

/**
 * A passage that answers lends some weight to its other units (the sentences around an answer
 * explain it), the more the closer they are; every unit keeps a small prior, so that a passage
 * the search returned can still be quoted when the question's words are not in it.
 */
function withContext(scored: Scored[]): Scored[] {
  const byPassage = new Map<number, Scored[]>();
  for (const s of scored) byPassage.set(s.cand.passage, [...(byPassage.get(s.cand.passage) ?? []), s]);
  const out = new Map<Scored, number>();
  for (const list of byPassage.values()) {
    const best = Math.max(...list.map((s) => s.score));
    const strong = list.filter((s) => s.score >= best * 0.5 && s.score > 0).map((s) => s.cand.unit.index);
    for (const s of list) {
      const d = strong.length ? Math.min(...strong.map((i) => Math.abs(i - s.cand.unit.index))) : Infinity;
      const near = d === 0 || !Number.isFinite(d) ? 0 : (0.2 * best) / (1 + d);
      out.set(s, s.score + near + (s.cand.unit.afterHeading === 0 ? 0.01 : 0.005));
    }
  }
  return scored.map((s) => ({ ...s, score: out.get(s)! }));
}

/** Passages ranked by how well they answer: their best unit, plus a little for a second good one. */
export function rankedPassages(evidence: Evidence): Array<{ passage: Passage; score: number }> {
  const best = new Map<number, number[]>();
  for (const s of evidence.scored) {
    const list = best.get(s.cand.passage) ?? [];
    list.push(s.score);
    best.set(s.cand.passage, list);
  }
  return evidence.passages
    .map((passage, i) => {
      const scores = (best.get(i) ?? [0]).sort((a, b) => b - a);
      return { passage, score: (scores[0] ?? 0) + 0.3 * (scores[1] ?? 0), i };
    })
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ passage, score }) => ({ passage, score }));
}

/** A sentence that leans on the one before it: "This …", "It …", "For instance, …", "Or, …" (another way). */
const ANAPHORIC =
  /^(?:this|these|that|those|it|its|they|their|such|both|either|neither|here|then|also|however|otherwise|instead|or|alternatively|so|therefore|thus|hence|for (?:example|instance)|e\.g\.)(?:\b|\s)/i;

/**
 * The unit that a unit leans on: the lead-in of a list item, the sentence "This …" refers back to,
 * the sentence that names the option "the option" is.
 */
export function antecedent(evidence: Evidence, cand: Candidate): Candidate | undefined {
  const u = cand.unit;
  const before = evidence.cands.filter(
    (c) => c.passage === cand.passage && c.unit.index < u.index && c.unit.heading === u.heading
  );
  const prev = before[before.length - 1];
  if (!prev) return undefined;
  // A sentence of a list item leans on the sentence before it in the same item, as in prose.
  if (
    u.kind === 'item' &&
    prev.unit.kind === 'item' &&
    prev.unit.block === u.block &&
    ANAPHORIC.test(u.plain)
  )
    return prev;
  const named = u.kind !== 'row' ? namingOption(before, u) : undefined;
  if (named) return named;
  if (u.kind === 'item' || u.kind === 'row') {
    const lead = [...before].reverse().find((c) => c.unit.kind === 'prose');
    return lead?.unit.leadIn && lead.unit.block < u.block ? lead : undefined;
  }
  if (u.kind === 'prose' && ANAPHORIC.test(u.plain) && prev.unit.kind === 'prose' && !prev.unit.leadIn)
    return prev;
  return undefined;
}

/** "Setting the option to…", "With this flag…": a sentence about an option it does not name. */
const SPEAKS_OF_OPTION = /^(?:\S+\s+){0,2}(?:the|this|that)\s+(?:option|flag|switch)\b/i;
/** An option's name as written: "--multibyte-handling=…", "-fexceptions". */
const OPTION_NAME = /(?:^|[\s(=`])--?[a-z][\w-]*/i;
/** How many sentences back the one that names the option is looked for. */
const OPTION_NAMED_WITHIN = 3;

/**
 * The sentence of the paragraph or list that names the option a sentence speaks of without naming
 * it ("The --multibyte-handling=[allow|warn|warn-sym-only] option tells… The default is… Using the
 * option to "warn-sym-only" will…"): quoted alone, it says what to set but not where.
 */
function namingOption(before: Candidate[], u: Candidate['unit']): Candidate | undefined {
  if (!SPEAKS_OF_OPTION.test(u.plain) || OPTION_NAME.test(u.plain)) return undefined;
  const near = before.slice(-OPTION_NAMED_WITHIN).filter((c) => c.unit.block === u.block);
  return near.reverse().find((c) => OPTION_NAME.test(c.unit.plain));
}

/**
 * The sentences that complete a unit's argument: the next one in its passage when it draws the
 * conclusion or turns it ("Therefore…", "This means…", "However, if you…") — the reason of a
 * yes or no, the way around a limit — or when it urges the reader, or tells them what to do after
 * a problem ("…the incorrect transfer of zipfiles. ALWAYS TRANSFER IN BINARY MODE!"). And when one
 * of the next two sentences of its paragraph names the option it speaks of ("…has an option to
 * decompress using half the memory. Decompression speed is also halved… The relevant flag is
 * -s."), takes back what it says ("Build both versions of libgnat. In particular… This is
 * disabled now in GCC 10.") or tells the way to keep what it takes away ("…so remove them… If you
 * still need them, add…"), the sentences up to that one.
 */
export function consequents(evidence: Evidence, cand: Candidate): Candidate[] {
  const u = cand.unit;
  if (u.kind !== 'prose' && u.kind !== 'item') return [];
  const after = evidence.cands.filter(
    (c) => c.passage === cand.passage && c.unit.index > u.index && c.unit.kind !== 'code'
  );
  const next = after[0];
  if (!next || next.unit.heading !== u.heading || next.unit.kind !== u.kind || next.unit.leadIn) return [];
  if (CONCLUDES.test(next.unit.plain)) return [next];
  const sameParagraph = after
    .slice(0, 2)
    .filter((c, i) => c.unit.block === u.block && c.unit.index === u.index + 1 + i);
  // Asked why, the reason the next sentence of the paragraph gives ("…outright removal is not
  // possible due to…") is the answer to the sentence it explains, unless that one gives its own.
  if (
    sameParagraph[0] === next &&
    evidence.cues.has('reason') &&
    GIVES_REASON.test(next.unit.plain) &&
    !GIVES_REASON.test(u.plain)
  )
    return [next];
  // "…is the incorrect transfer of zipfiles. ALWAYS TRANSFER IN BINARY MODE!": the remedy that follows
  // a problem in its paragraph is what the asker needs of it.
  if (
    sameParagraph[0] === next &&
    (URGES.test(next.unit.plain) || (STATES_PROBLEM.test(u.plain) && TELLS_TO.test(next.unit.plain)))
  )
    return [next];
  // Asked how, the way to do what it offers ("…can be built with the frob libc…" → "To use the
  // frob libc, make sure…"; "…one option is to create…" → "One way to do this … is: …") comes
  // with it, from the next sentence or the one after, in its paragraph or the next.
  if (evidence.cues.has('procedure')) {
    const near = after
      .slice(0, 2)
      .filter(
        (c, i) => c.unit.heading === u.heading && c.unit.kind === u.kind && c.unit.index === u.index + 1 + i
      );
    const way = near.findIndex((c) => tellsTheWay(c.unit.plain, u.plain));
    if (way >= 0) return near.slice(0, way + 1);
  }
  const last = sameParagraph.findIndex(
    (c) =>
      NAMES_THE_OPTION.test(c.unit.plain) ||
      TAKES_BACK.test(c.unit.plain) ||
      WAY_AROUND.test(c.unit.plain) ||
      namesWhatItSpeaksOf(c.unit.plain, u.plain)
  );
  return last < 0 ? [] : sameParagraph.slice(0, last + 1);
}

/** "In Debian, the developer packages are 'libxaw7-dev' and…": a thing, then what it is. */
const NAMES_A_THING = /^(?:in [\w ]{1,30},\s*)?the ((?:[\w-]+\s+){0,3}[\w-]+) (?:is|are) (.+)$/i;
/** A name as written: quoted, in code, or with a digit, dot, dash or underscore inside. */
const A_NAME = /['‘’"“`][^'‘’"“`\s][^'‘’"“`]*['‘’"“`]|\b\w+[\d._-]\w*/;

/**
 * A sentence that names what the one before it speaks of ("…the corresponding developer packages
 * must be installed… In Debian, the developer packages are 'libxaw7-dev' and 'libxmu-dev'."): the
 * thing is of two words or more, all of them said before, and what it is holds a name.
 */
function namesWhatItSpeaksOf(text: string, before: string): boolean {
  const m = NAMES_A_THING.exec(text);
  if (!m || !A_NAME.test(m[2]!)) return false;
  const thing = termSet(m[1]!);
  const said = termSet(before);
  return thing.size >= 2 && [...thing].every((t) => said.has(t));
}

/**
 * "One way to do this…", "To do so…", "The easiest way is to use…", "To use the frob libc, …": the
 * way to do what was offered or said to be needed.
 */
const WAY_TO_IT =
  /^(?:(?:one|another) way to do (?:this|that|so)|to do (?:this|that|so)|(?:the|one|an?) (?:(?:easiest|simplest|quickest|best|usual|recommended|preferred|standard|common|normal|other) )?way(?: to do (?:this|that|so)| to \w+ (?:it|them|this|that))? (?:is|would be)\b)/i;
const WAY_TO_USE = new RegExp(
  String.raw`^to (?:${DO_VERB}|get|turn on|activate|set up|make use of) ([^,.;:]{1,60}),`,
  'i'
);

/** A sentence that tells the way to do what `offer` offers: to it, or to a thing `offer` names. */
function tellsTheWay(text: string, offer: string): boolean {
  if (WAY_TO_IT.test(text)) return true;
  const thing = WAY_TO_USE.exec(text)?.[1];
  if (!thing) return false;
  const offered = termSet(offer);
  return [...termSet(thing)].some((t) => offered.has(t));
}

/**
 * A sentence that takes back what the one before it states ("This is disabled now in GCC 10.",
 * "It is no longer needed."): quoted without it, that one says the opposite of what the text means.
 */
const TAKES_BACK =
  /^(?:this|that|it|these|those|they)\b(?:\s+[\w-]+){0,3}?\s+(?:is|are|was|were|has been|have been)\s+(?:now\s+)?(?:no longer\b|disabled|removed|dropped|deprecated|discontinued|reverted|obsolete|superseded)/i;

/**
 * The way to keep what the sentences before it take away, for a reader who needs it: "If you still
 * need them, add -DSUPPORT_POSIX2008 to CFLAGS.", "To keep the old behaviour, set…".
 */
const WAY_AROUND = new RegExp(
  String.raw`^(?:if you (?:still |really |do )?(?:need|want|require|rely on|depend on|prefer)\b[^,.;]*|to (?:keep|restore|retain|preserve|get back|bring back|re-?enable)\b[^,.;]*),\s*(?:you (?:can|could|may|should|must) (?:still )?)?${DO_VERB}\b`,
  'i'
);

/** A short sentence that names the option, flag or setting the one before it describes. */
const NAMES_THE_OPTION =
  /^(?:the|this|that)\s+(?:(?:relevant|corresponding|appropriate|matching|required|right)\s+)?(?:option|flag|switch|setting|variable|parameter|directive|command)\s+(?:(?:for|to use for)\s+(?:this|that|it)\s+)?is\s+\S+(?:\s+\S+){0,3}\.?$/i;

/** Advice pressed on the reader: "Please use -O2…", "Always transfer in binary mode!", "Make sure…". */
const URGES = new RegExp(
  String.raw`^(?:please|always|never|(?:make|be) sure(?: to)?|do not forget to|remember to)\s+(?:[a-z]+\s+)?${DO_VERB}\b`,
  'i'
);
/** A sentence that gives a reason: "…because…", "…due to…", "…so that…". */
const GIVES_REASON =
  /\b(?:because|due to|owing to|so that|in order to|for (?:this|that|the) reason|the reason)\b/i;

/** A sentence that tells of a problem or its cause. */
const STATES_PROBLEM =
  /\b(?:problems?|bugs?|errors?|fail(?:s|ed|ure|ures)?|wrong|incorrect|broken|breaks|crash(?:es|ed)?|corrupt(?:s|ed|ion)?|damaged|mistakes?|source of|caused? by|due to)\b/i;
/** A sentence that starts by telling the reader what to do ("Build it with -O2 instead."). */
const TELLS_TO = new RegExp(String.raw`^(?:instead,?\s+)?${DO_VERB}\s+(?!is\b|are\b|was\b|of\b)`, 'i');

const CONCLUDES =
  /^(?:therefore|thus|hence|so|consequently|as a result|this means|that means|which means|that is why|this is why|this is because|because|since|however|but|instead|otherwise|in (?:that|this) case)\b/i;
