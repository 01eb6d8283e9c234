/**
 * What a search hit shows of its passage: whole sentences around the sentence holding the most
 * (and rarest) query terms, prose preferred over code, link targets and markup left out. When the
 * passage ends mid-thought (a lead-in colon, a cut list or sentence) and the excerpt reaches its
 * end, the beginning of the next passage follows, so that an answer is not cut off at a boundary.
 */

import { libraryOf } from '../../common/library-name.js';
import { closedTags, withoutTags } from '../../common/placeholder-tags.js';
import { optionRows } from './option-table.js';
import { restAsMarkdown } from './rest-markup.js';
import { namesRelease } from './text-blocks.js';
import { columnWidth, indentOf } from './text-columns.js';

export interface ExcerptTerm {
  term: string;
  weight: number;
}

/**
 * Passage text as a reader sees it, on one line: link labels without their targets, no HTML tags —
 * but inline code as written and placeholders kept ("git reset <commit>", `<data dir>/traces`).
 * `closed` names the tags the whole passage closes (those are markup wherever they open).
 */
export function readable(text: string, closed: ReadonlySet<string> = closedTags(text)): string {
  const spans: string[] = [];
  const guarded = text.replace(/`[^`\n]*`/g, (code) => `\uE000${spans.push(code) - 1}\uE000`);
  return withoutTags(guarded, ' ', undefined, closed)
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => spans[Number(i)]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** A sentence that continues the one before it: an example of it, a consequence, a reference back. */
const LEANS_BACK =
  /^(?:this|these|that|those|it|its|they|their|such|here|then|also|however|otherwise|instead|so|therefore|thus|hence|for (?:example|instance)|e\.g\.|in (?:that|this) case|as a result|in addition|moreover|furthermore|similarly|likewise)\b/i;

/** Code weighs less than prose: identifiers repeat there without explaining anything. */
const CODE_FACTOR = 0.5;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

interface Segment {
  text: string;
  code: boolean;
  /** A fenced block's language ("sh"), '' when it names none. */
  lang?: string;
  /** A line naming the release (a changelog entry, a version's title) that what follows is in. */
  release?: boolean;
  /** The sentences of one paragraph or list item share it. */
  para?: number;
}

/**
 * A segment as the excerpt shows it: code on one line keeps its fence ("```sh npx … ```"), so that
 * a reader, the offline writer included, still tells it from the prose around it.
 */
function shown(seg: Segment): string {
  if (seg.lang === undefined || seg.text.includes('```')) return seg.text;
  return `\`\`\`${seg.lang} ${seg.text} \`\`\``;
}

/**
 * Lines that each say one thing (a file of tips, a list without markers): a block of three or more
 * lines that all open with a capital, where at least half the lines that end without a full stop
 * end early, the next line's first word fitting on them. Wrapped prose breaks only where the next
 * word does not fit, so it never qualifies, however many of its lines open with a name.
 */
function statementLines(lines: string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j < lines.length && lines[j]!.trim()) j++;
    const block = lines.slice(i, j).map((l) => l.trim());
    if (block.length >= 3 && block.every((l) => /^\p{Lu}/u.test(l))) {
      const width = Math.max(...block.map((l) => l.length));
      const open = block
        .slice(0, -1)
        .map((l, k) => ({ l, next: block[k + 1]! }))
        .filter(({ l }) => !/[.!?]$/.test(l));
      const early = open.filter(({ l, next }) => l.length + 1 + next.split(/\s/)[0]!.length <= width);
      if (open.length >= 2 && early.length * 2 >= open.length) for (let k = i; k < j; k++) out.add(k);
    }
    i = j + 1;
  }
  return out;
}

/** The lead of a log's entry as its shape: a date or a number before a colon ("Sep 20, 2030:" is "a 0, 0"). */
function leadShape(line: string): string | undefined {
  const lead = /^\s*([\p{L}\p{N}][\p{L}\p{N} ,./-]{0,30}?):\s+\S/u.exec(line)?.[1];
  if (lead === undefined || !/\d/.test(lead)) return undefined;
  return `${indentOf(line)} ${lead.replace(/\p{L}+/gu, 'a').replace(/\d+/g, '0')}`;
}

/**
 * A log's entries (a NEWS file of dated lines): three or more lines at one indent that open alike,
 * on a date or a number before a colon ("Sep 20, 2030: frob 2.3.2 released"). Each is one entry,
 * whether or not it ends a sentence; the lines indented under it are its wrapped text.
 */
function logEntries(lines: string[]): Set<number> {
  const byShape = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const shape = leadShape(line);
    if (shape !== undefined) byShape.set(shape, [...(byShape.get(shape) ?? []), i]);
  });
  return new Set([...byShape.values()].filter((at) => at.length >= 3).flat());
}

/** A list item's marker, an outline's entry ("** Fix…"), or a number ("2.", "3)"). */
const ITEM_MARKER = /^\s*(?:[-*+•]|\*{2,4}|\d{1,9}[.)])\s+(?=\S)/;
/** Lines that stand alone: a heading, a table row, an underline or rule, a fence. */
const OWN_LINE = /^\s{0,3}#{1,6}\s|^\s*\||^\s*([=~^*+-])\1{2,}\s*$|^\s*(`{3,}|~{3,})/;

/**
 * A line that wrapped text may go on from: not one that stands alone or names a release — unless,
 * after a line that has not ended, it opens in lower case ("…included in the bundle" then "version
 * 2.62 (closes: #1095913):"): no release's line opens mid-sentence.
 */
function opensParagraph(line: string, before?: string): boolean {
  if (OWN_LINE.test(line)) return false;
  if (!namesRelease(line.trim())) return true;
  return before !== undefined && /^\s*\p{Ll}/u.test(line) && /[\p{L}\p{N},;)]\s*$/u.test(before);
}

/** Lines that open a unit of their own: one statement each, an option's row, a log's entry. */
interface OwnLines {
  statements: ReadonlySet<number>;
  options: ReadonlyMap<number, unknown>;
  entries: ReadonlySet<number>;
}

/**
 * Whether line `j` goes on with the paragraph (or list item) that opened on line `first`: it is
 * not blank, opens nothing of its own, and starts at the paragraph's left edge or at its text's
 * (under an item's words, past its marker; anywhere under a log's entry).
 */
function continuesParagraph(lines: string[], first: number, j: number, own: OwnLines): boolean {
  const line = lines[j]!;
  if (
    !line.trim() ||
    own.statements.has(j) ||
    own.options.has(j) ||
    own.entries.has(j) ||
    ITEM_MARKER.test(line) ||
    !opensParagraph(line, lines[j - 1])
  )
    return false;
  const opening = lines[first]!;
  const marker = ITEM_MARKER.exec(opening);
  const edge = indentOf(opening);
  const indent = indentOf(line);
  if (own.entries.has(first)) return indent > edge;
  return indent === edge || (marker !== null && indent === columnWidth(marker[0]));
}

/** The passage as sentences (prose) and whole fenced blocks (code), in order. */
function segments(text: string): Segment[] {
  const out: Segment[] = [];
  const lines = restAsMarkdown(text).split('\n');
  const closed = closedTags(text);
  // One statement per line reads as a list: on one line, each keeps its own item marker.
  const statements = statementLines(lines);
  // So does each row of an option table, its description after its option.
  const options = optionRows(lines);
  // And each entry of a log, with its wrapped lines.
  const entries = logEntries(lines);
  const own: OwnLines = { statements, options, entries };
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]!);
    // "Bisect run" over a line of tildes is an AsciiDoc heading, not the start of a code block.
    const underline = fence && /^\s*~+\s*$/.test(lines[i]!) && (lines[i - 1] ?? '').trim() !== '';
    if (fence && !underline) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i++) body.push(lines[i]!);
      // Code as written: `Array<string>` and `<div>` are the code, not markup around it. On one
      // line it keeps its fence ("```sh npx … ```"), so that a reader still tells it from prose.
      const flat = body.join(' ').replace(/\s+/g, ' ').trim();
      if (flat) out.push({ text: flat, code: true, lang: fence[2] ?? '' });
      continue;
    }
    // A paragraph's wrapped lines are one text: its sentences, not its lines, are what a run
    // opens and ends on.
    const first = i;
    if (!statements.has(i) && !options.has(i) && (entries.has(i) || opensParagraph(lines[i]!)))
      while (i + 1 < lines.length && continuesParagraph(lines, first, i + 1, own)) i++;
    // An outline's entry ("** Fix…", as GNU NEWS files mark them; bold never has a space after
    // its stars) is a list item.
    const flat = readable(
      lines
        .slice(first, i + 1)
        .join('\n')
        .replace(/^(\s*)\*{2,4}\s+(?=\S)/, '$1- '),
      closed
    );
    if (!flat) continue;
    if (statements.has(i) || entries.has(first)) {
      out.push({ text: `- ${flat}`, code: false });
      continue;
    }
    if (namesRelease(flat)) {
      out.push({ text: flat, code: false, release: true });
      continue;
    }
    const sentences = flat.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'`(*_-])/u);
    if (options.has(first)) sentences[0] = `- ${sentences[0]}`;
    for (const s of sentences) out.push({ text: s, code: false, para: i });
  }
  return out;
}

/** The length of segments' text joined by spaces (fences not counted: they are not the passage's). */
function joinedLength(segs: Segment[]): number {
  return segs.reduce((n, seg) => n + seg.text.length + 1, -1);
}

/**
 * Where a term starts a word, or the library's name in its package's ("lzo" in "liblzo2"), as the
 * index reads it (tokens.ts).
 */
function startsWord(lower: string, at: number, term: string): boolean {
  if (at === 0 || !WORD_CHAR.test(lower[at - 1]!)) return true;
  const from = at - 'lib'.length;
  if (!lower.startsWith('lib', from) || (from > 0 && WORD_CHAR.test(lower[from - 1]!))) return false;
  WORD_AT.lastIndex = from;
  return libraryOf(WORD_AT.exec(lower)?.[0] ?? '')?.startsWith(term) === true;
}
/** The word that starts at `lastIndex`. */
const WORD_AT = /[\p{L}\p{N}_]+/uy;

function termsIn(text: string, terms: ExcerptTerm[]): Set<number> {
  const lower = text.toLowerCase();
  const found = new Set<number>();
  terms.forEach((t, i) => {
    let at = lower.indexOf(t.term);
    while (at !== -1) {
      if (startsWord(lower, at, t.term)) {
        found.add(i);
        return;
      }
      at = lower.indexOf(t.term, at + 1);
    }
  });
  return found;
}

export interface Excerpt {
  text: string;
  /** The excerpt runs to the end of the passage. */
  reachesEnd: boolean;
}

/** Cuts one over-long text to `max` characters around its first query term. */
function window(flat: string, terms: ExcerptTerm[], max: number): string {
  const lower = flat.toLowerCase();
  const firsts = terms.map((t) => lower.indexOf(t.term)).filter((i) => i >= 0);
  let start = firsts.length ? Math.max(0, Math.min(...firsts) - 80) : 0;
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    if (space !== -1 && space - start < 40) start = space + 1;
  }
  let end = Math.min(flat.length, start + max - 2);
  const space = flat.lastIndexOf(' ', end);
  if (end < flat.length && space > start + max / 2) end = space;
  return (start > 0 ? '…' : '') + flat.slice(start, end).trim() + (end < flat.length ? '…' : '');
}

/**
 * The best run of whole sentences of `text`, at most `max` characters: anchored on each sentence
 * in turn, grown forwards then backwards, scored by the query weight it holds. With `towardsEnd`
 * (the passage continues), a run that can reach the end is preferred.
 */
export function excerpt(text: string, terms: ExcerptTerm[], max = 600, towardsEnd = false): Excerpt {
  const segs = segments(text);
  if (joinedLength(segs) <= max) return { text: segs.map(shown).join(' '), reachesEnd: true };
  const found = segs.map((s) => termsIn(s.text, terms));
  const value = (from: number, to: number) => {
    const best = new Map<number, number>();
    for (let i = from; i <= to; i++) {
      const factor = segs[i]!.code ? CODE_FACTOR : 1;
      for (const t of found[i]!) best.set(t, Math.max(best.get(t) ?? 0, terms[t]!.weight * factor));
    }
    let sum = 0;
    for (const v of best.values()) sum += v;
    return sum;
  };
  const budget = max - 4; // room for the ellipses
  let best = { from: 0, to: 0, score: -1 };
  segs.forEach((seg, anchor) => {
    if (found[anchor]!.size === 0 && anchor > 0) return;
    let from = anchor;
    let to = anchor;
    let size = seg.text.length;
    let canForward = true;
    let canBack = true;
    for (let forward = true; canForward || canBack; forward = !forward) {
      if (forward && canForward) {
        const next = segs[to + 1];
        if (next && size + 1 + next.text.length <= budget) {
          to++;
          size += 1 + next.text.length;
        } else canForward = false;
      } else if (!forward && canBack) {
        const prev = segs[from - 1];
        if (prev && size + 1 + prev.text.length <= budget) {
          from--;
          size += 1 + prev.text.length;
        } else canBack = false;
      }
    }
    let score = value(from, to);
    if (towardsEnd && to === segs.length - 1) score *= 1.1;
    if (score > best.score + 1e-9) best = { from, to, score };
  });
  // A run does not stop inside the paragraph it ends in ("…not referenced by any consumers." before
  // "In version 3.6.2, it switched…") when the sentences before its weightiest one can make room.
  const para = segs[best.to]!.para;
  let closing = best.to;
  while (para !== undefined && segs[closing + 1]?.para === para) closing++;
  /** The run's weightiest sentence. */
  const coreOf = (run: { from: number; to: number }) => {
    let core = run.from;
    for (let i = run.from; i <= run.to; i++) if (value(i, i) > value(core, core)) core = i;
    return core;
  };
  if (closing > best.to) {
    const core = coreOf(best);
    let from = best.from;
    while (from < core && joinedLength(segs.slice(from, closing + 1)) > budget) from++;
    if (joinedLength(segs.slice(from, closing + 1)) <= budget) best = { ...best, from, to: closing };
  }
  // A run does not open on a sentence that leans on the one before it ("For instance, …", "This
  // means…"): that sentence comes along, and the run gives up its last sentences to make room (never
  // the one that leaned back).
  /** The run opened at `from` (before it), giving up its last sentences for room; undefined when it cannot. */
  const openedAt = (from: number) => {
    let to = best.to;
    let size = joinedLength(segs.slice(from, to + 1));
    while (size > budget && to > best.from) size -= segs[to--]!.text.length + 1;
    return size <= budget ? { ...best, from, to } : undefined;
  };
  for (let k = 0; k < 2 && best.from > 0; k++) {
    const first = segs[best.from]!;
    if (first.code || !LEANS_BACK.test(first.text)) break;
    const opened = openedAt(best.from - 1);
    if (!opened) break;
    best = opened;
  }
  // Nor, when its weightiest sentence is an item of a list, without the line that announces the list
  // ("…added (+):" over "+ Root R46"): the items say what, the lead-in what of.
  const plainItem = (seg: Segment) => ITEM_MARKER.test(seg.text) && !/:$/.test(seg.text);
  let lead = best.from - 1;
  while (lead >= 0 && plainItem(segs[lead]!)) lead--;
  if (
    lead >= 0 &&
    /:$/.test(segs[lead]!.text) &&
    segs.slice(best.from, coreOf(best) + 1).every(plainItem) &&
    joinedLength(segs.slice(lead, best.from)) <= (budget * 2) / 3
  )
    best = openedAt(lead) ?? best;
  // Nor inside a release's entry without the line that names the release ("libfrob (2.4-1+deb12u3)
  // bookworm-security", "Version 3.1"): what a fix is worth depends on where it shipped. When that
  // line is near, the run opens on it, giving up its last sentences as above — unless what comes
  // before the first release line the run holds is only the end of an entry, without any of the
  // query's terms (its signature, say).
  let named = best.from - 1;
  while (named >= 0 && !segs[named]!.release) named--;
  let firstRelease = best.from + 1;
  while (firstRelease <= best.to && !segs[firstRelease]!.release) firstRelease++;
  const unnamedMatters = value(best.from, firstRelease - 1) > 0;
  if (named >= 0 && unnamedMatters && joinedLength(segs.slice(named, best.from)) <= budget / 3)
    best = openedAt(named) ?? best;
  const run = segs.slice(best.from, best.to + 1);
  const body = run.map(shown).join(' ');
  const reachesEnd = best.to === segs.length - 1;
  if (joinedLength(run) > budget)
    return { text: window(run.map((seg) => seg.text).join(' '), terms, max), reachesEnd: false };
  return {
    text: (best.from > 0 ? '… ' : '') + body + (reachesEnd ? '' : ' …'),
    reachesEnd,
  };
}

/** The beginning of the passage that continues a hit: whole sentences up to `max` characters. */
export function continuation(text: string, max = 400): string {
  const segs = segments(text);
  if (joinedLength(segs) <= max) return segs.map(shown).join(' ');
  const flat = segs.map((s) => s.text).join(' ');
  const cut = flat.slice(0, max);
  const sentence = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (sentence > max / 2) return cut.slice(0, sentence + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '…';
}
