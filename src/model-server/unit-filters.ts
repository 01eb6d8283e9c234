/**
 * What a writer never quotes from a passage: tables of contents and other runs of labels,
 * navigation, badges, licence text and fragments. Judged on the text alone (no list of known
 * documents): prose has function words and ends a sentence; a run of labels has neither.
 */
import { answerCues } from './question-form.js';

const FUNCTION_WORDS = new Set(
  (
    'a an the is are was were be been being to of and or in on for with that this these those it its as by at ' +
    'from can cannot not no you your we our they their when if which will would has have had does do did must ' +
    'should may might than then into only each all any so but also there here what how why who where while ' +
    'until after before once per'
  ).split(' ')
);

/** Words of a text: letters/digits runs, code spans as one word. */
export function wordsOf(text: string): string[] {
  return text.match(/`[^`]*`|[\p{L}\p{N}][\p{L}\p{N}'’._/+-]*/gu) ?? [];
}

/** Share of a text's words that are function words (prose has many, a run of labels few). */
export function functionWordRatio(text: string): number {
  const words = wordsOf(text);
  if (words.length === 0) return 0;
  return words.filter((w) => FUNCTION_WORDS.has(w.toLowerCase())).length / words.length;
}

/** Ends like a sentence (or a lead-in to a list). */
export function endsSentence(text: string): boolean {
  // "…in the web interface. (default: current working directory)": an aside after the full stop.
  return /[.!?:;][)"'’”\]]*(?:\s+\([^()]*\))?$/.test(text.trim());
}

/**
 * The bugs a changelog entry closes, where it ends ("…that's what is required, Closes: #1036055",
 * "(Closes: #985739, #985740)", "LP: #2012345"): what comes before it is whole.
 */
export const endsWithClosedBugs = (text: string): boolean =>
  /\b(?:closes|lp):\s*#\d+(?:\s*,\s*#\d+)*\)?\.?$/i.test(text.trim());

/** Function words that can close a phrase ("…fix it", "…run once", "…as before"). */
const CLOSES_PHRASE = new Set(
  'after all also before cannot here how it once only then there they until we what where why you'.split(' ')
);

/**
 * Words a phrase does not end on, as what they open or join comes after them: the other function
 * words, and the prepositions, determiners and conjunctions the ratio above does not count.
 */
const NEEDS_MORE = new Set(
  [
    ...FUNCTION_WORDS,
    ...'about against because between could every her his like my nor onto over since some such through under unlike versus via vs whom whose within without'.split(
      ' '
    ),
  ].filter((w) => !CLOSES_PHRASE.has(w))
);

/**
 * Stops where a phrase cannot end: on a word that opens or joins ("…to compensate for", "…for
 * the"), after a comma or a joining sign, or inside brackets or quotes ("…makefiles (Igor and").
 */
export function endsMidPhrase(text: string): boolean {
  const t = text.trim();
  if (/[,&+=/([{-]$/.test(t)) return true;
  const opened = (open: string, close: string) => t.split(open).length - t.split(close).length;
  if (opened('(', ')') > 0 || opened('[', ']') > 0 || (t.match(/"/g)?.length ?? 0) % 2 === 1) return true;
  const last = /([A-Za-z]+)\W*$/.exec(t)?.[1]?.toLowerCase();
  return last !== undefined && NEEDS_MORE.has(last);
}

/** A short phrase that names something without saying anything about it: a TOC entry, a menu item. */
export function isLabel(text: string): boolean {
  const words = wordsOf(text);
  if (words.length === 0) return true;
  if (words.length > 7) return false;
  if (/[.!?;,]$/.test(text.trim()) && words.length > 3) return false;
  return functionWordRatio(text) <= 0.2;
}

/** A command continued by a backslash ("echo '…' \\ > /etc/…"): shell, not a run of labels or a menu. */
const CONTINUED_COMMAND = /\S\s\\\s+\S/;

/** A sentence-sized run of labels (flattened menus, tables of contents, badge rows). */
export function isLabelRun(text: string): boolean {
  const words = wordsOf(text);
  if (words.length < 6 || CONTINUED_COMMAND.test(text)) return false;
  const ratio = functionWordRatio(text);
  if (endsSentence(text)) return ratio < 0.04 && words.length >= 10;
  if (ratio < 0.1) return true;
  // Many short pieces separated by dashes, bullets or pipes.
  const pieces = text.split(/\s[-–—•·|»›]\s/).filter((p) => p.trim());
  return pieces.length >= 4 && pieces.every((p) => wordsOf(p).length <= 5);
}

/**
 * Section numbers run into the text ("3. Valgrind aborts unexpectedly 3.1. Programs run OK … 3.2."):
 * a flattened table of contents, whatever its entries say.
 */
export function isNumberedContents(text: string): boolean {
  // "3.1." anywhere, "3." where an entry starts (not "…set this value to 0. This…").
  const numbers =
    (text.match(/(?:^|\s)\d+(?:\.\d+)+\.(?=\s|$)/g)?.length ?? 0) +
    (text.match(/(?:^|[.:?!]\s+)\d+\.(?=\s+\p{Lu})/gu)?.length ?? 0);
  // One number counts after a full stop or colon ("…something like this: 2.2."), or after a title
  // ("Where to Log 20.8.2."), not in "see Section 25.1.".
  const t = text.trim();
  const last = /\s(\d+(?:\.\d+)+)\.$/.exec(t);
  return (
    numbers >= 2 ||
    (numbers === 1 && /[.:?!]\s+\d+(?:\.\d+)*\.$/.test(t)) ||
    (last !== null && isTitle(t.slice(0, last.index)))
  );
}

const TITLE_SMALL_WORDS = /^(?:a|an|the|and|or|nor|of|to|in|on|for|with|at|by|from|via|vs|as|into|over|per)$/;

/** A title: up to ten words, each capitalised but for short function words ("Where to Log"). */
function isTitle(text: string): boolean {
  const words = wordsOf(text);
  return (
    words.length > 0 &&
    words.length <= 10 &&
    !/[.!?;]$/.test(text.trim()) &&
    words.every((w) => /^[\p{Lu}\p{N}`]/u.test(w) || TITLE_SMALL_WORDS.test(w))
  );
}

const NAVIGATION =
  /^(?:next|previous|prev|up|home|back|top|index|contents|table of contents|on this page|in this (?:article|section)|skip to (?:main )?content|edit (?:this page|on github)|go to|jump to|see also|menu|navigation|breadcrumbs?)\b[\s:»›>|-]*/i;

/** Links to the previous/next page, "Edit this page", "Back to top" and the like. */
export function isNavigation(text: string): boolean {
  const t = text.trim();
  // "Read this in other languages: English | 简体中文", breadcrumbs "Home › Guides › Setup".
  const tail = t.slice(t.indexOf(':') + 1);
  const pieces = tail.split(/\s[|›»>]\s/);
  // A shell pipeline ("xz -dc foo.tar.xz | tar xf -") passes options, which no menu entry does.
  const pipeline =
    CONTINUED_COMMAND.test(t) || pieces.some((p) => /(?:^|\s)-{1,2}(?:[A-Za-z][\w-]*)?(?=\s|$)/.test(p));
  if (pieces.length >= 2 && !pipeline && pieces.every((p) => wordsOf(p).length <= 3)) return true;
  if (wordsOf(t).length > 14) return false;
  if (NAVIGATION.test(t) && (!endsSentence(t) || wordsOf(t).length <= 6)) return true;
  return /[»«]|(?:^|\s)(?:←|→)(?:\s|$)/.test(t) && functionWordRatio(t) < 0.2;
}

/** Status badges (build, coverage, version, downloads) as they read once their images are gone; in a table row (`row`) only a badge image or service names one. */
export function isBadge(text: string, row = false): boolean {
  const t = text.toLowerCase();
  const badgeWords = /shields\.io|badge|\.svg\b|travis-ci|coveralls|codecov|circleci/.test(t);
  if (badgeWords && !endsSentence(t) && functionWordRatio(t) < 0.1) return true;
  // A table's row that says "build" or "version" ("429175: New upstream version 2.0.1") is data.
  if (row || wordsOf(t).length > 16) return false;
  return (
    badgeWords ||
    (/\b(?:npm|pypi|crates\.io|build|coverage|downloads?|license|version|ci|status|chat|discord|gitter)\b/.test(
      t
    ) &&
      !endsSentence(t) &&
      functionWordRatio(t) < 0.15)
  );
}

/** What only a licence's own text says: its copyright lines, grants and disclaimers. */
const LICENCE_MARKS = String.raw`copyright|all rights reserved|warrant(?:y|ies)|permission is hereby granted|merchantability`;
const COPYRIGHT_SIGN = String.raw`|©|\(c\)\s*\d{4}`;

const LICENCE = new RegExp(
  String.raw`\b(?:licen[cs]ed?|licen[cs]es|licen[cs]ing|${LICENCE_MARKS}|liable for any)\b${COPYRIGHT_SIGN}`,
  'i'
);

/** The words of a licence's own text: its grants, conditions and disclaimers, its copyright lines. */
const LICENCE_BODY = new RegExp(
  String.raw`\b(?:${LICENCE_MARKS}|liable|this licen[cs]e|sublicen[cs]e|you (?:may|must|should have received))\b${COPYRIGHT_SIGN}`,
  'i'
);

/**
 * A licence named as the cause of what happened to the software: it was disabled, excluded,
 * removed or moved to non-free because of it ("…as it violates the liblzo2 GPL license").
 */
const LICENCE_AS_CAUSE =
  /\b(?:because|due to|so that|so you|for licen[cs]ing reasons|violat(?:e|es|ed|ing)|non-free|not part of|exclud(?:e|es|ed|ing)|disabled?|remov(?:e|es|ed|ing)|dropped|considers)\b/i;

/** Licence and copyright text (not a sentence on what a licence did to the software). */
export function isLicence(text: string): boolean {
  return LICENCE.test(text) && (LICENCE_BODY.test(text) || !LICENCE_AS_CAUSE.test(text));
}

/** Whether the question itself is about licences (then licence text is the answer). */
export function asksAboutLicence(question: string): boolean {
  return /\b(?:licen[cs]e[sd]?|licensing|copyright|legal|permissive|gpl|mit|apache|bsd|warranty)\b/i.test(
    question
  );
}

/**
 * Whether the question asks which release did something or whether a fix was made (then the short
 * items of a changelog entry are the answer, not a table of contents).
 */
export function asksAboutChanges(question: string): boolean {
  return (
    answerCues(question).cues.has('release') ||
    /\b(?:fix(?:ed|es)?|patch(?:ed|es)?|cve-?\S*|vulnerab\w*|security (?:fix|update|issue)s?)\b/i.test(
      question
    )
  );
}
