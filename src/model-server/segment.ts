/**
 * A passage split into what a writer can quote: sentences, whole list items and table rows (and
 * code blocks, kept apart). Works on Markdown as written and on excerpts flattened to one line,
 * where headings, lists and tables run into the prose. Headings are not quotable but remembered:
 * a sentence right under a heading that matches the question is likely its answer.
 */
import { CHANGELOG_ENTRY_SOURCE } from '../common/changelog-entry.js';
import { looksLikeCode, proseAfterCode, splitAtCode } from './code-text.js';
import { boldLead, headingLabel, isName, leadingTerm } from './definition-terms.js';
import { normaliseMarkup, RELEASE_MARK, TITLE_MARK } from './doc-markup.js';
import { inlineText, plainText, protectCode, restoreCode, stripMarkup } from './inline-text.js';
import {
  flatLines,
  linesOf,
  splitFlatHeading,
  titleSegments,
  withoutLabelPrefix,
  type Line,
} from './markdown-lines.js';
import { splitSentences } from './sentences.js';
import {
  asksAboutChanges,
  asksAboutLicence,
  endsMidPhrase,
  endsSentence,
  endsWithClosedBugs,
  isBadge,
  isLabel,
  isLabelRun,
  isLicence,
  isNumberedContents,
  isNavigation,
  wordsOf,
} from './unit-filters.js';

export { splitSentences } from './sentences.js';

export type UnitKind = 'prose' | 'item' | 'row' | 'code';

export interface Unit {
  kind: UnitKind;
  /** Quotable Markdown: inline code in backticks; no emphasis, links, heading markers or pipes. */
  text: string;
  /** The same as plain prose (no markup at all). */
  plain: string;
  /** The heading the unit sits under in this text ('' when none). */
  heading: string;
  /** 0 for the first unit under its heading, 1 for the next… */
  afterHeading: number;
  /** Paragraph, list or table the unit belongs to. */
  block: number;
  /** Position among the text's units (kept and dropped). */
  index: number;
  /** Ends with a colon: it introduces what follows rather than saying something. */
  leadIn: boolean;
  /** The name the unit describes (an option, setting or function it is the definition of), or ''. */
  label: string;
  /** The release whose entry the unit is in ("libxslt 1.1.35-1+deb12u2, bookworm-security"), or ''. */
  release: string;
}

export type DropReason = 'toc' | 'navigation' | 'badge' | 'licence' | 'code' | 'fragment' | 'cut';

export interface Segmented {
  units: Unit[];
  dropped: Array<{ text: string; reason: DropReason }>;
  headings: string[];
}

export interface SegmentOptions {
  /** The passage's heading path ("Section › Subsection"), to find where a flattened heading ends. */
  title?: string;
  /** Keep code blocks as units (the question asks for code or a command). */
  keepCode?: boolean;
  /** The question (licence text is kept when it asks about licences). */
  question?: string;
}

interface Draft {
  kind: UnitKind;
  protectedText: string;
  block: number;
  heading: string;
  afterHeading: number;
  /** Counts the headings seen before the unit. */
  section: number;
  listBlock?: boolean;
  label: string;
  release: string;
}

/** A Debian changelog entry's first line ("frob (2.36.1-6) unstable; urgency=medium") and its signature line. */
const RELEASE_ENTRY = new RegExp(String.raw`\b${CHANGELOG_ENTRY_SOURCE}`, 'gi');
const RELEASE_SIGNATURE =
  /(?:^|\s)--\s+[^<>\n]{1,60}?(?:<[^>\s]+>\s*)?(?:[A-Z][a-z]{2},\s+)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+[+-]\d{4}/g;

const RELEASE_LINE = new RegExp(`^${RELEASE_MARK}([^${RELEASE_MARK}]+)${RELEASE_MARK}$`);

/** A release on a line of its own: not quoted, but the release of the units after it. */
const releaseLine = (release: string) => `\n\n${RELEASE_MARK}${release}${RELEASE_MARK}\n\n`;

/**
 * Who signed an entry and when: not quoted. Which release it is: not quoted either, but kept as the
 * release of the units under it. (Read as a heading, the entry line took the excerpt's title away
 * from the sentences under it.)
 */
function withReleaseEntries(text: string): string {
  // Most excerpts are no changelog: the patterns run only where one can be.
  if (!text.includes('urgency=') && !/(?:^|\s)--\s/.test(text)) return text;
  return text
    .replace(RELEASE_SIGNATURE, '\n\n')
    .replace(RELEASE_ENTRY, (_m, entry: string) => releaseLine(releaseName(entry)));
}

/**
 * A GNU ChangeLog's item "* Version 1.17 released.": newest first, the items after it (down to the
 * next such item) went into that release. Only as an item of its own, at a line's start or after its
 * bullet: a sentence that mentions a release marks nothing.
 */
const RELEASED_ITEM =
  /(^|\s)(?:\*\s+|(?<=^|\n)\s*)Version\s+v?(\d+(?:\.\d+)+[\w.+~-]*)\s+released\.(?=\s|$)/gi;

function withReleasedItems(text: string): string {
  if (!/\breleased\./i.test(text)) return text;
  return text.replace(
    RELEASED_ITEM,
    (_m, before: string, version: string) => `${before}${releaseLine(`version ${version}`)}`
  );
}

/**
 * A heading that names a release: "Major changes in release 4.5.10, 2011-05-11", "Version 4.3 (19 Jan
 * 2020)", "3.8.1 (2022-06-01)", "Changes in bc from 1.06 to 1.07", "Changes between v2.29 and v2.30",
 * "Changes in 23.2".
 */
const RELEASE_HEADING =
  /\b(?:release|version)s?\s+v?\d+(?:\.\d+)+\b|^v?\d+\.\d+(?:\.\d+)*(?=$|[\s,:(])|\bchanges (?:in|from|between)\b.*\b(?:to|in|and) v?\d+(?:\.\d+)+\b|^changes (?:in|for) v?\d+(?:\.\d+)+\b/i;

/** The release of "Changes in 23.2". */
const CHANGES_IN = /^changes (?:in|for) (v?\d+(?:\.\d+)+[\w+~-]*)/i;

/** The later release of changes between two ("Changes between Frob version 6.1.* and 6.2.0"). */
const LATER_RELEASE =
  /\b(?:between\b.*\band|from\b.*\bto)\s+(?:(?:version|release)\s+)?v?(\d+(?:\.\d+)+[\w+~-]*)/i;

/**
 * "Noteworthy changes in release 2.5.4 (2009-02-10) [stable]" → "release 2.5.4"; the changes between
 * two releases are the later one's ("Changes in bc from 1.06 to 1.07" → "version 1.07"); short
 * ones as they are.
 */
function releaseOf(heading: string): string {
  const later = LATER_RELEASE.exec(heading)?.[1] ?? CHANGES_IN.exec(heading)?.[1];
  if (later) return `version ${later}`;
  if (heading.length <= 30) return heading;
  return /\b(?:release|version)\s+v?\d+(?:\.\d+)+[\w.+~-]*/i.exec(heading)?.[0] ?? heading;
}

/**
 * The release the start of a passage is in, from its title: the deepest release heading of its
 * path ("NEWS › Version 2.5.3"). When the passage holds later releases too ("… · Version 2.5") and
 * the excerpt starts after its own beginning, where it starts is unknown: no release.
 */
function titleRelease(title: string | undefined, cutStart: boolean): string {
  if (!title) return '';
  const [path, ...later] = title.split(/\s+·\s+/);
  const own = path!.split(/\s+[›>]\s+/).map((s) => plainText(s).trim());
  if (cutStart && later.some((s) => RELEASE_HEADING.test(s))) return '';
  const deepest = own.filter((s) => RELEASE_HEADING.test(s)).at(-1);
  return deepest ? releaseOf(deepest) : '';
}

/**
 * The release headings of the title met in the text ("… - Numerous bug fixes Version 2.5.1 - This
 * is a bugfix release.") as release lines: not quoted, but the release of what follows them.
 */
function withReleaseHeadings(text: string, segments: string[]): string {
  let out = text;
  for (const s of segments) {
    if (!RELEASE_HEADING.test(s) || !out.includes(s)) continue;
    // A heading, not a mention: what follows starts a sentence or an item ("… the fix in Version
    // 2.5 is…" stays as it is).
    const at = new RegExp(
      `(^|\\s)(?:\\*{1,4}\\s+)?${escapeRegExp(s)}:?(?=\\s+[-*•+\\p{Lu}\\p{N}"'(\`\uE000-\uE005]|\\s*$)`,
      'gu'
    );
    out = out.replace(at, (_m, before: string) => `${before}${releaseLine(releaseOf(s))}`);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "libxslt (1.1.35-1+deb12u2) bookworm-security" → "libxslt 1.1.35-1+deb12u2, bookworm-security". */
function releaseName(entry: string): string {
  const m = /^(\S+)\s+\(([^()\s]+)\)\s+(.*)$/.exec(entry.trim());
  return m ? `${m[1]} ${m[2]}, ${m[3]!.trim()}` : entry.trim();
}

/** A sentence that announces what comes next: "…the following enabled full debug.", "…as follows:". */
const POINTS_FORWARD = /:\s*$|\b(?:the following|as follows|like this|like so)\b[^.!?]*[.:]?\s*$/i;
const isShortExample = (code: string) => code.length > 0 && code.length <= 120 && !code.includes('\n');
/**
 * A line that names what follows rather than saying something: a few words, no closing stop, and
 * no "name: value" of its own ("Example file: options-required.js" labels a file, not the lines).
 */
const isCaption = (text: string) =>
  /^\p{Lu}/u.test(text) &&
  !/[.!?;,]["')\]]*$/.test(text) &&
  !text.includes(':') &&
  text.split(/\s+/).length <= 14;

/**
 * Plain text has no heading markers: an excerpt that opens with its title's heading ("KNOWN BUGS
 * AMONG SED VERSIONS Most versions of…") has it put on a line of its own, marked as a title, when
 * a sentence starts right after it (or the heading is outline-numbered).
 */
function withOpeningHeading(text: string, segments: string[]): string {
  const t = text.trimStart();
  for (const s of segments) {
    if (s.length < 3 || !t.startsWith(s)) continue;
    const rest = t.slice(s.length);
    // An outline number ("1.1. man-db") never starts a sentence: what follows is the text, in
    // whatever case it starts.
    const numbered = /^\d+(?:\.\d+)+\.?\s/.test(s) && /^\s+\S/.test(rest);
    if (numbered || /^\s+[\p{Lu}\p{N}*•"'(`\uE000-]/u.test(rest))
      return `${TITLE_MARK}${s}${TITLE_MARK}\n${rest.trim()}`;
  }
  return text;
}

/** Splits a passage into quotable units; headings, boilerplate and fragments are left out. */
export function segment(text: string, options: SegmentOptions = {}): Segmented {
  let body = text.replace(/\r/g, '').replace(/\t/g, '  ');
  const cutStart = /^\s*(?:…|\.\.\.)/.test(body);
  const cutEnd = /(?:…|\.\.\.)\s*$/.test(body);
  body = body.replace(/^\s*(?:…|\.\.\.)\s*/, '').replace(/\s*(?:…|\.\.\.)\s*$/, '');
  // An excerpt is one line; manual-page markup then gets lines of its own, the rest stays flat.
  const flat = !body.trim().includes('\n');
  body = normaliseMarkup(body);
  // Code blocks first (fenced, possibly flattened or cut), then inline code.
  const blocks: string[] = [];
  body = body.replace(/```[^\n`]*?(?:\n|\s)([\s\S]*?)(?:```|$)/g, (_m, code: string) => {
    blocks.push(code.replace(/\s+$/, ''));
    return `\n\uE001${blocks.length - 1}\uE001\n`;
  });
  const { text: guarded, codes } = protectCode(body);
  const segments = titleSegments(options.title);
  const laidOut = withReleaseHeadings(
    withReleasedItems(withReleaseEntries(flat ? withOpeningHeading(guarded, segments) : guarded)),
    segments
  );
  const drafts: Draft[] = [];
  const headings: string[] = [];
  let heading = '';
  let afterHeading = 0;
  let block = 0;
  let last: Line['kind'] = 'blank';
  // The name the current units describe: a definition term, or a heading that is only a name.
  let label = '';
  // The release the units are in: a changelog entry's, or a release's heading in release notes.
  let release = titleRelease(options.title, cutStart);
  const setHeading = (raw: string, term = false) => {
    const ticked = restoreCode(raw, codes, true).replace(/:$/, '').trim();
    if (term && isName(ticked)) {
      // "-C <path>": the placeholder is part of the name, not a tag.
      label = ticked.replace(/`/g, '');
      return;
    }
    heading = plainText(ticked);
    headings.push(heading);
    if (RELEASE_HEADING.test(heading)) release = releaseOf(heading);
    afterHeading = 0;
    label = term ? '' : headingLabel(ticked);
  };
  const push = (kind: UnitKind, protectedText: string, listBlock = false, own?: string) => {
    // Code flattened into prose (an excerpt without its fences) is code, not a sentence.
    const asCode = kind !== 'code' && looksLikeCode(restoreCode(stripMarkup(protectedText), codes, false));
    // A one-line example completes the sentence that announces it: "…put the following entry in
    // ~/.valgrindrc: --memcheck:leak-check=yes", "…the following enabled full debug. export X=all";
    // and the caption over it, as a comment in a sample configuration says what its lines do
    // ("Turn the mouse on, but without dragging: set -g mouse on …").
    const prev = drafts.at(-1);
    if ((asCode || kind === 'code') && prev && (prev.kind === 'prose' || prev.kind === 'item')) {
      const block = /^\uE001(\d+)\uE001$/.exec(protectedText.trim());
      const example = (block ? blocks[Number(block[1])]! : restoreCode(protectedText, codes, false)).trim();
      const announcing = plainText(restoreCode(prev.protectedText, codes, false));
      const forward = POINTS_FORWARD.test(announcing);
      if ((forward || (prev.kind === 'prose' && isCaption(announcing))) && isShortExample(example)) {
        const joint = forward ? ' ' : ': ';
        prev.protectedText = `${prev.protectedText.trimEnd()}${joint}\uE000${codes.push(example) - 1}\uE000`;
        return;
      }
    }
    drafts.push({
      kind: asCode ? 'code' : kind,
      protectedText: asCode
        ? `\uE001${blocks.push(restoreCode(protectedText, codes, false)) - 1}\uE001`
        : protectedText,
      block,
      heading,
      afterHeading: afterHeading++,
      section: headings.length,
      listBlock,
      label: own ?? label,
      release,
    });
  };
  // "`name` {type} The …", "--opt= [default: 2] Specifies …": the name, then what it is.
  const pushItem = (text: string) => {
    // Flattened, the last item of a list runs into the paragraph after it; a closing sentence that
    // leads in to what follows ("To turn it off everywhere, set:" over its code) opens that
    // paragraph, not more of the item.
    if (flat) {
      const parts = splitSentences(text);
      const at = parts.findIndex(
        (p, i) =>
          i > 0 &&
          i === parts.length - 1 &&
          /^\p{Lu}/u.test(p) &&
          !/^(?:for example|for instance|e\.g\.|example)\b/i.test(p) &&
          wordsOf(p).length >= 5 &&
          /:\s*(?:\uE001\d+\uE001\s*)?$/u.test(p)
      );
      if (at > 0) {
        pushItem(parts.slice(0, at).join(' '));
        pushProse(parts.slice(at).join(' '));
        return;
      }
    }
    const term = leadingTerm(text, codes) ?? boldLead(text, codes);
    const whole = term ? `${term.term}: ${term.rest}` : text;
    // A long entry is quoted by the sentence; "Default: 4." stays with the sentence before it.
    const sentences: string[] = [];
    for (const s of whole.length > 400 ? splitSentences(stripMarkup(whole)) : [whole]) {
      if (sentences.length > 0 && wordsOf(s).length < 6) sentences[sentences.length - 1] += ` ${s}`;
      else sentences.push(s);
    }
    for (const s of sentences) push('item', s, true, term?.label);
  };
  const pushProse = (text: string, depth = 0): void => {
    let answer = '';
    const bold = depth === 0 ? boldLead(text, codes) : undefined;
    if (bold) {
      label = bold.label;
      text = `${bold.label}: ${bold.rest}`;
    }
    for (const raw of qaSentences(splitSentences(stripMarkup(text)))) {
      let sentence = withoutLabelPrefix(raw);
      // A question the text asks (an FAQ entry) heads its answer; it is not itself an answer.
      if (/\?["')\]’”]*$/.test(sentence) && wordsOf(sentence).length >= 3) {
        setHeading(sentence);
        continue;
      }
      // "No." or "Yes." opens the answer that follows it.
      if (/^(?:no|yes)[.!]$/i.test(sentence.trim())) {
        answer = `${sentence.trim()} `;
        continue;
      }
      sentence = answer + sentence;
      answer = '';
      const term = leadingTerm(sentence, codes);
      if (term) {
        label = term.label;
        sentence = `${term.term}: ${term.rest}`;
      }
      let [lead, code] = splitAtCode(sentence) as [string, string | undefined];
      if (code === undefined && looksLikeCode(restoreCode(lead, codes, false))) [lead, code] = ['', lead];
      // Flattened code runs into the prose that follows it.
      let rest = '';
      const at = code === undefined ? -1 : proseAfterCode(code);
      if (at > 0) [code, rest] = [code!.slice(0, at), code!.slice(at)];
      // "…using fuzzy search: search('x', { fuzzy: 0.2 })" — a short example completes its lead-in.
      const example =
        code &&
        restoreCode(code, codes, false)
          .replace(/\s(?:\/\/|#)\s.*$/, '')
          .trim();
      if (code !== undefined && example && example.length <= 120 && /:$/.test(lead.trim()))
        push('prose', `${lead.trim()} \uE000${codes.push(example) - 1}\uE000`);
      else {
        if (lead.trim()) push('prose', lead);
        if (code?.trim())
          push('code', `\uE001${blocks.push(restoreCode(code, codes, false).trim()) - 1}\uE001`);
      }
      if (rest && depth < 6) pushProse(rest, depth + 1);
    }
  };
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) pushProse(paragraph.join(' '));
    paragraph = [];
  };
  for (const line of linesOf(laidOut, flat)) {
    const entry = 'text' in line ? RELEASE_LINE.exec(line.text.trim()) : null;
    if (entry) {
      flushParagraph();
      release = entry[1]!;
      continue;
    }
    if (line.kind !== 'text') flushParagraph();
    if (line.kind !== last || line.kind === 'heading' || line.kind === 'code') block++;
    last = line.kind;
    switch (line.kind) {
      case 'heading': {
        const split = line.flat
          ? splitFlatHeading(line.text, segments, (t) => restoreCode(t, codes, true))
          : { heading: line.text, rest: '' };
        if (split.heading) setHeading(split.heading, line.term);
        if (split.rest) {
          block++;
          for (const l of flatLines(split.rest)) {
            if (l.kind === 'text') pushProse(l.text);
            else if (l.kind === 'item') pushItem(l.text);
            else if (l.kind === 'heading') setHeading(l.text);
          }
        }
        break;
      }
      case 'text':
        paragraph.push(line.text);
        break;
      case 'item':
        pushItem(line.text);
        break;
      case 'row':
        if (!line.header) {
          const cells = line.cells.filter((c) => c.trim() && !/^[-–—]$/.test(c.trim()));
          if (cells.length > 0)
            push('row', cells.length > 1 ? `${cells[0]}: ${joinCells(cells.slice(1))}` : cells[0]!);
        }
        break;
      case 'code':
        push('code', `\uE001${line.text}\uE001`);
        break;
      default:
        break;
    }
  }
  flushParagraph();
  return finish(drafts, { codes, blocks, cutStart, cutEnd, headings, options });
}

/** Cells in one sentence: "a; b" — "…until the timeout; 4096", not "…until the timeout.; 4096". */
function joinCells(cells: string[]): string {
  return cells
    .map((c, i) => (i < cells.length - 1 ? c.trim().replace(/(?<!\.\.)[.;]$/, '') : c.trim()))
    .join('; ');
}

function finish(
  drafts: Draft[],
  c: {
    codes: string[];
    blocks: string[];
    cutStart: boolean;
    cutEnd: boolean;
    headings: string[];
    options: SegmentOptions;
  }
): Segmented {
  const units: Unit[] = [];
  const dropped: Segmented['dropped'] = [];
  const licenceWanted = asksAboutLicence(c.options.question ?? '');
  const kept = new Map<number, number>();
  // Lists whose items are mostly bare labels are tables of contents or menus; asked what changed,
  // the short items of a release's entry ("Fix boundary checking in base-256 decoder") are the answer.
  const changesWanted = asksAboutChanges(c.options.question ?? '');
  const labelLists = new Set<number>();
  const byBlock = new Map<number, Draft[]>();
  for (const d of drafts)
    if (d.listBlock && !(changesWanted && d.release))
      byBlock.set(d.block, [...(byBlock.get(d.block) ?? []), d]);
  for (const [b, items] of byBlock) {
    const labels = items.filter((d) => isLabel(plainText(restoreCode(d.protectedText, c.codes, false))));
    if (items.length >= 3 && labels.length >= items.length * 0.6) labelLists.add(b);
  }
  drafts.forEach((d, index) => {
    if (d.kind === 'code') {
      const code = c.blocks[Number(d.protectedText.slice(1, -1))] ?? '';
      if (!c.options.keepCode || !code.trim()) dropped.push({ text: code, reason: 'code' });
      else units.push({ ...unitBase(d, index), kind: 'code', text: code, plain: code, leadIn: false });
      return;
    }
    // A list item the excerpt cuts off keeps its whole sentences: the cut one would be quoted as if
    // it ended ("…since "cp -p" (right now)."); cut in its only sentence, it is left out. An item
    // of one sentence without a full stop, as changelog entries are written, is cut only where a
    // phrase cannot end ("…to compensate for"): the excerpt stops between items as often as in one.
    const whole = plainText(restoreCode(d.protectedText, c.codes, false));
    const cutItem =
      index === drafts.length - 1 &&
      c.cutEnd &&
      d.kind === 'item' &&
      !endsSentence(whole) &&
      !endsWithClosedBugs(whole) &&
      (splitSentences(whole).length > 1 || endsMidPhrase(whole));
    const kept = cutItem ? withoutLastSentence(d.protectedText) : d.protectedText;
    const text = inlineText(restoreCode(kept, c.codes, true));
    const plain = cutItem ? plainText(restoreCode(kept, c.codes, false)) : whole;
    const reason =
      cutItem && !plain
        ? 'cut'
        : dropReason(d, plain, {
            first: index === 0,
            last: index === drafts.length - 1,
            cutStart: c.cutStart,
            cutEnd: c.cutEnd,
            labelList: labelLists.has(d.block),
            licenceWanted,
          });
    const cut = index === 0 && c.cutStart && d.kind === 'prose' && startsMidSentence(plain) ? '… ' : '';
    if (reason) dropped.push({ text: plain, reason });
    else
      units.push({ ...unitBase(d, index), text: cut + text, plain: cut + plain, leadIn: /:$/.test(plain) });
  });
  // A unit's place under its heading counts only what was kept (a badge row is not "first").
  for (const u of units) {
    const section = drafts[u.index]!.section;
    u.afterHeading = kept.get(section) ?? 0;
    kept.set(section, u.afterHeading + 1);
  }
  return { units, dropped, headings: c.headings };
}

/**
 * In a flattened Q:/A: FAQ a "Q:" or "A:" starts a sentence even when the one before has no closing
 * punctuation ("A: xz -dc foo.tar.xz | tar xf - Q: Can I recover…?" is an answer, then a question).
 * Only where both markers occur: "Option A: …" in other prose is no answer. The markers go.
 */
function qaSentences(sentences: string[]): string[] {
  const text = sentences.join(' ');
  if (!/(?:^|\s)Q:\s/.test(text) || !/(?:^|\s)A:\s/.test(text)) return sentences;
  return sentences.flatMap((s) => s.split(/\s+(?=[QA]:\s)/)).map((s) => s.replace(/^[QA]:\s+/, ''));
}

/** The text without its last sentence ('' when it has one only). */
function withoutLastSentence(text: string): string {
  return splitSentences(text).slice(0, -1).join(' ');
}

/** Opens in lower case: the rest of a sentence whose beginning the excerpt cut off. */
function startsMidSentence(plain: string): boolean {
  return !/^[\p{Lu}\p{N}`"“]/u.test(plain);
}

function unitBase(d: Draft, index: number): Omit<Unit, 'text' | 'plain' | 'leadIn'> {
  return {
    kind: d.kind,
    heading: d.heading,
    afterHeading: d.afterHeading,
    block: d.block,
    index,
    label: d.label,
    release: d.release,
  };
}

/** A name, a space, then a remark of two words or more in parentheses (not a call: "help(flags, text)"). */
const REMARKED = /\S\s+\((?:[^()\s]+\s+)+[^()\s]+\)/;

function dropReason(
  d: Draft,
  plain: string,
  at: {
    first: boolean;
    last: boolean;
    cutStart: boolean;
    cutEnd: boolean;
    labelList: boolean;
    licenceWanted: boolean;
  }
): DropReason | undefined {
  const words = wordsOf(plain).length;
  // A menu's entries are bare names; one with a remark in parentheses ("Automake (use 1.11.3 or
  // later)") says something about it.
  if (at.labelList && !REMARKED.test(plain)) return 'toc';
  // A list item starts at its marker: only prose can begin mid-sentence. The end of a cut sentence
  // is kept when it says something on its own ("… in the file, the value from the environment
  // takes precedence.").
  if (
    at.first &&
    at.cutStart &&
    d.kind === 'prose' &&
    startsMidSentence(plain) &&
    (words < 6 || !endsSentence(plain))
  )
    return 'cut';
  // The last sentence runs on past the excerpt; one that closes an aside "(default: 10MB)" ends.
  if (
    at.last &&
    d.kind === 'prose' &&
    !endsSentence(plain) &&
    !/\uE000$/.test(d.protectedText.trim()) &&
    (at.cutEnd || (words > 3 && !/\)$/.test(plain)))
  )
    return 'cut';
  if (isNavigation(plain)) return 'navigation';
  if (isBadge(plain, d.kind === 'row')) return 'badge';
  if (!at.licenceWanted && isLicence(plain)) return 'licence';
  // A lead-in with its one-line example ("Display differences between two branches: `$ tig
  // test..master`") is no run of labels.
  const withExample = /:\s*\uE000\d+\uE000\s*$/.test(d.protectedText);
  if (d.kind === 'prose' && !withExample && isLabelRun(plain)) return 'toc';
  if (isNumberedContents(plain)) return 'toc';
  if (words < (d.kind === 'prose' ? 4 : 2) || plain.length < (d.kind === 'prose' ? 15 : 4)) return 'fragment';
  return undefined;
}
