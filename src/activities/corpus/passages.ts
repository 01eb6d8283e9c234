/**
 * Structure-aware passages. A document's blocks (blocks.ts) are packed into passages of at most
 * MAX_WORDS words without ever splitting a paragraph, list item, table row or code block; a block
 * too long for one passage is cut at sentences / rows / lines. Each passage carries the heading
 * path of its section ("Workflow runner › Run state and approvals"). Where a long section must
 * be cut, the next passage starts with context from the previous one: the list's lead-in, the
 * table's header, or the last sentence. Boilerplate (boilerplate.ts) gets passages of its own.
 */
import { blockWords, markdownBlocks, words, type Block } from './blocks.js';
import { textBlocks } from './text-blocks.js';
import {
  blockBoilerplate,
  documentBoilerplate,
  headingBoilerplate,
  type BoilerplateKind,
} from './boilerplate.js';
import { endsMidSentence, fit, isLeadIn, lastSentences, MAX_WORDS, type Piece } from './cut.js';
import type { ExtractedDocument, Region } from './extract.js';

export { MAX_WORDS } from './cut.js';

/** A searchable slice of a document. Stored in the corpus cache (paths relative to the root). */
export interface StoredPassage {
  /** `<relative path>#L<start>-L<end>` or `<relative path>#p<page>`, plus `.<n>` when repeated. */
  sourceId: string;
  /** Path relative to the corpus root, '/' separated. */
  rel: string;
  /** Heading path below the document title ("Section › Subsection"), or the document title. */
  title: string;
  /** Every heading the passage sits under or opens, outermost first (searched as the title). */
  headings: string[];
  text: string;
  /** Index of the owning document; a document's passages are contiguous and in reading order. */
  doc: number;
  /** Licence, table of contents, navigation, footer, changelog or badges: ranked down, flagged. */
  boilerplate?: BoilerplateKind;
  /** The passage ends mid-thought (a lead-in, a cut list or sentence): the next passage continues it. */
  continues?: boolean;
  /** Characters at the start of `text` carried over from the previous passage as context. */
  lead?: number;
}

/** Bump when passages are cut, named or flagged differently (never back: 38 was example programs read, 40 every Perl file's comments, both left out). */
export const PASSAGES_FORMAT = 41;

/** A heading starts a new passage once the current one has at least this many words. */
const SECTION_MIN_WORDS = 30;
/** At most this many words of context are carried over when a section is cut. */
const OVERLAP_WORDS = 35;

interface Draft {
  path: string[];
  later: string[];
  lead: string[];
  blocks: Piece[];
  words: number;
  hasBody: boolean;
  kind?: BoilerplateKind;
  continues: boolean;
}

export interface ChunkedPassage {
  lead: number;
  title: string;
  headings: string[];
  text: string;
  start: number;
  end: number;
  boilerplate?: BoilerplateKind;
  continues: boolean;
}

/**
 * Packs blocks into passages. One Chunker reads a whole document (page after page for a PDF), so
 * the heading path carries over page breaks; `take()` returns the passages of the blocks so far.
 */
class Chunker {
  /** Open headings, outermost first; a definition entry's term sits last, marked by its group. */
  private stack: { level: number; text: string; entry?: number; depth?: number }[] = [];
  private cur: Draft | undefined;
  private done: ChunkedPassage[] = [];
  /** The paragraph that introduced each list (by group), to lead a cut list's continuation. */
  private leadIns = new Map<number, string>();
  private previous: Piece | undefined;

  constructor(
    private readonly docTitle: string,
    private readonly topTitle: string | undefined,
    private readonly docKind: BoilerplateKind | undefined,
    private readonly regionKind: (b: Block) => BoilerplateKind | undefined
  ) {}

  private sectionKind(): BoilerplateKind | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (this.stack[i]!.entry !== undefined) continue; // an option named "--license" is no licence
      const kind = headingBoilerplate(this.stack[i]!.text);
      if (kind) return kind;
    }
    return undefined;
  }

  private open(): Draft {
    return (this.cur ??= {
      path: this.stack.map((h) => h.text),
      later: [],
      lead: [],
      blocks: [],
      words: 0,
      hasBody: false,
      continues: false,
    });
  }

  private flush(): void {
    const d = this.cur;
    this.cur = undefined;
    if (!d || (!d.hasBody && d.blocks.length === 0)) return;
    const path = d.path.length > 1 && d.path[0] === this.topTitle ? d.path.slice(1) : d.path;
    let title = path.length ? path.join(' › ') : this.docTitle;
    for (const name of d.later) if (title.length < 120) title += ` · ${name}`;
    const parts: string[] = [];
    if (d.lead.length) parts.push(d.lead.join('\n'));
    const lead = parts.length && d.blocks.length ? parts[0]!.length + 2 : 0;
    let last: Piece | undefined;
    for (const b of d.blocks) {
      const text = b.lines.join('\n');
      // Items of one list and rows of one table stay on consecutive lines.
      if (
        last &&
        last.group !== undefined &&
        last.group === b.group &&
        b.kind !== 'code' &&
        last.kind !== 'code'
      )
        parts[parts.length - 1] += '\n' + text;
      else parts.push(text);
      last = b;
    }
    const tail = d.blocks[d.blocks.length - 1];
    if (!d.continues && tail?.kind === 'paragraph' && endsMidSentence(tail)) d.continues = true;
    const start = d.blocks[0]?.start ?? 0;
    const end = d.blocks.reduce((m, b) => Math.max(m, b.end), start);
    this.done.push({
      lead,
      title,
      headings: [...d.path, ...d.later],
      text: parts.join('\n\n').trim(),
      start,
      end,
      boilerplate: d.kind,
      continues: d.continues,
    });
  }

  /**
   * Closes the definition entries being read, if any (those nested in the entry of `group` only,
   * when a block of that entry goes on after them); says whether one was open.
   */
  private endEntry(group?: number): boolean {
    const keep = group === undefined ? -1 : this.stack.findIndex((h) => h.entry === group);
    let open = false;
    while (this.stack.length > keep + 1 && this.stack[this.stack.length - 1]?.entry !== undefined) {
      this.stack.pop();
      open = true;
    }
    return open;
  }

  /**
   * A definition entry opens a small section named by its term, one level below the heading it
   * sits under: an entry long enough gets passages of its own, titled by its term; short ones
   * share a passage, all their terms in its headings.
   */
  private entry(b: Piece): void {
    // An entry of a nested list stays below the entry it is nested in.
    const depth = b.depth ?? 0;
    while ((this.stack[this.stack.length - 1]?.depth ?? -1) >= depth) this.stack.pop();
    const term = b.term!;
    this.stack.push({
      level: (this.stack[this.stack.length - 1]?.level ?? 0) + 1,
      text: term,
      entry: b.group,
      depth,
    });
    const kind = this.docKind ?? this.regionKind(b) ?? this.sectionKind();
    const cur = this.cur;
    if (cur?.hasBody && (cur.words >= SECTION_MIN_WORDS || cur.kind !== kind)) this.flush();
    const d = this.open();
    if (d.hasBody) d.later.push(term);
    else d.path = this.stack.map((h) => h.text);
  }

  private heading(b: Block): void {
    this.previous = undefined;
    this.endEntry();
    const level = b.level ?? 1;
    while (this.stack.length && this.stack[this.stack.length - 1]!.level >= level) this.stack.pop();
    this.stack.push({ level, text: b.heading || b.lines[0]!.trim() });
    const kind = this.docKind ?? this.sectionKind();
    const cur = this.cur;
    if (cur?.hasBody && (cur.words >= SECTION_MIN_WORDS || cur.kind !== kind)) this.flush();
    const d = this.open();
    if (d.hasBody) d.later.push(this.stack[this.stack.length - 1]!.text);
    else d.path = this.stack.map((h) => h.text);
    d.kind = d.hasBody ? d.kind : kind;
    d.blocks.push(b);
    d.words += blockWords(b);
  }

  /** Context carried into a passage that continues the previous one. */
  private leadFor(b: Piece, prev: Piece | undefined): string | undefined {
    if (!prev) return undefined;
    if (b.group !== undefined && b.group === prev.group) {
      if (b.kind === 'item' && !b.cont) return this.leadIns.get(b.group);
      if (b.kind === 'table' || b.kind === 'code') return undefined; // header / fence already repeated
    }
    if (prev.kind !== 'paragraph' && prev.kind !== 'item') return undefined;
    const tail = lastSentences(prev.lines.join(' '), OVERLAP_WORDS);
    return tail ? `… ${tail}` : undefined;
  }

  /** Remembers the short paragraph that introduces a list ("…does four things:"). */
  private noteLeadIn(b: Piece): void {
    if (b.kind !== 'item' || b.group === undefined || this.leadIns.has(b.group)) return;
    const text = this.previous?.kind === 'paragraph' ? this.previous.lines.join(' ').trim() : '';
    if (text && words(text) <= OVERLAP_WORDS && isLeadIn(text)) this.leadIns.set(b.group, text);
  }

  /**
   * Ends the current passage before `b`, which does not fit. Trailing headings and a trailing
   * lead-in go with `b`; otherwise the new passage starts with context carried over, and the
   * finished one is marked as continuing when the cut falls inside a list, block or thought.
   */
  private cut(cur: Draft, b: Piece, kind: BoilerplateKind | undefined): void {
    const w = blockWords(b);
    const carried: Piece[] = [];
    while (cur.blocks[cur.blocks.length - 1]?.kind === 'heading') {
      const h = cur.blocks.pop()!;
      cur.words -= blockWords(h);
      if (cur.later.length) cur.later.pop();
      carried.unshift(h);
    }
    const last = cur.blocks[cur.blocks.length - 1]!;
    const bodies = cur.blocks.filter((x) => x.kind !== 'heading').length;
    if (
      !carried.length &&
      bodies > 1 &&
      isLeadIn(last.lines.join(' ')) &&
      blockWords(last) + w <= MAX_WORDS
    ) {
      cur.blocks.pop();
      cur.words -= blockWords(last);
      carried.push(last);
    }
    const prev = cur.blocks[cur.blocks.length - 1]!;
    cur.continues =
      carried.length === 0 &&
      (b.cont === true ||
        (b.group !== undefined && b.group === prev.group) ||
        isLeadIn(prev.lines.join(' ')) ||
        endsMidSentence(prev));
    this.flush();
    const d = this.open();
    d.kind = kind;
    const carriedWords = carried.reduce((n, c) => n + blockWords(c), 0);
    const lead = carried.length ? undefined : this.leadFor(b, prev);
    if (lead && words(lead) + carriedWords + w <= MAX_WORDS) {
      d.lead.push(lead);
      d.words += words(lead);
    }
    for (const c of carried) {
      d.blocks.push(c);
      d.words += blockWords(c);
      if (c.kind !== 'heading') d.hasBody = true;
    }
  }

  /**
   * Whether to end the passage before a block although it fits: when the rest of the section will
   * not fit either, the section is cut into passages of even size rather than full ones and a
   * scrap (a scrap has no context, and its shortness alone would rank it high).
   */
  private evenCut(words: number, next: number, rest: number): boolean {
    const total = words + rest;
    if (total <= MAX_WORDS || words < SECTION_MIN_WORDS) return false;
    const target = total / Math.ceil(total / MAX_WORDS);
    return words + next / 2 > target;
  }

  /** `rest`: words from this block to the end of its section (the next heading or term). */
  body(raw: Block, rest = 0): void {
    // Markup with nothing to read (a lone <hr/>, an empty <div>) makes no passage.
    const all = raw.lines.join(' ');
    if (!all.replace(/<[^>]*>/g, '').trim() && !/<img\b/i.test(all)) return;
    if (raw.term !== undefined) this.entry(raw);
    else if (this.stack[this.stack.length - 1]?.entry !== raw.group && this.endEntry(raw.group)) {
      // Text after a definition list belongs to the section again, not to the last term.
      if (this.cur?.hasBody && this.cur.words >= SECTION_MIN_WORDS) this.flush();
    }
    let left = rest;
    for (const b of fit(raw)) {
      const kind = this.docKind ?? this.regionKind(b) ?? this.sectionKind() ?? blockBoilerplate(b);
      const w = blockWords(b);
      this.noteLeadIn(b);
      // Boilerplate and content never share a passage.
      if (this.cur?.hasBody && this.cur.kind !== kind) this.flush();
      if (this.cur?.hasBody && (this.cur.words + w > MAX_WORDS || this.evenCut(this.cur.words, w, left)))
        this.cut(this.cur, b, kind);
      left -= w;
      const d = this.open();
      if (!d.hasBody) d.kind = kind;
      d.blocks.push(b);
      d.words += blockWords(b);
      d.hasBody = true;
      this.previous = b;
    }
  }

  add(blocks: Block[]): void {
    const rest = new Array<number>(blocks.length).fill(0);
    let run = 0;
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      if (b.kind === 'heading') {
        run = 0;
        continue;
      }
      run += blockWords(b);
      rest[i] = run;
      if (b.term !== undefined) run = 0; // an entry is a section of its own
    }
    blocks.forEach((b, i) => (b.kind === 'heading' ? this.heading(b) : this.body(b, rest[i])));
  }

  /** Ends the current passage (at a page break) and returns the passages made so far. */
  take(): ChunkedPassage[] {
    const cur = this.cur;
    if (cur && !cur.hasBody && this.done.length > 0) {
      // Headings with no text after them at a page end: they open the next page's text instead.
      this.cur = undefined;
    } else {
      this.flush();
    }
    const out = this.done;
    this.done = [];
    return out;
  }
}

/** The document's own title heading: its only level-1 heading, when it has exactly one. */
function topHeading(blocks: Block[]): string | undefined {
  const tops = new Set(blocks.filter((b) => b.kind === 'heading' && b.level === 1).map((b) => b.heading));
  return tops.size === 1 ? [...tops][0] : undefined;
}

function regionLookup(regions: Region[] | undefined): (b: Block) => BoilerplateKind | undefined {
  if (!regions?.length) return () => undefined;
  return (b) => regions.find((r) => b.start >= r.start && b.start <= r.end)?.kind;
}

/** A passage with fewer words of its own than this is a scrap. */
const SCRAP_WORDS = 40;
/** A scrap joins the passage before it in its section up to this many words in all. */
const MERGED_MAX_WORDS = MAX_WORDS + 50;

/**
 * Joins each scrap (the few lines left over where a long section was cut: its closing sentence, a
 * last list item) to the passage before it in the same section. Alone, a scrap has too few words
 * to be found, and the passage it concludes is incomplete without it.
 */
export function mergeScraps(chunks: ChunkedPassage[]): ChunkedPassage[] {
  const out: ChunkedPassage[] = [];
  for (const c of chunks) {
    const prev = out[out.length - 1];
    const body = c.text.slice(c.lead);
    const own = words(body);
    if (
      prev &&
      own < SCRAP_WORDS &&
      prev.boilerplate === c.boilerplate &&
      prev.headings.length === c.headings.length &&
      prev.headings.every((h, i) => h === c.headings[i]) &&
      words(prev.text) + own <= MERGED_MAX_WORDS
    ) {
      out[out.length - 1] = {
        ...prev,
        text: `${prev.text}\n\n${body.trim()}`,
        end: c.end,
        continues: c.continues,
      };
      continue;
    }
    out.push(c);
  }
  return out;
}

/** Splits one extracted document into passages with stable, unique source ids. */
export function toPassages(rel: string, doc: ExtractedDocument, docIndex: number): StoredPassage[] {
  const used = new Map<string, number>();
  const unique = (base: string) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}.${n}`;
  };
  const docKind = documentBoilerplate(rel);
  const out: StoredPassage[] = [];
  const emit = (c: ChunkedPassage, sourceId: string) => {
    if (!c.text) return;
    out.push({
      sourceId: unique(sourceId),
      rel,
      title: c.title,
      headings: c.headings,
      text: c.text,
      doc: docIndex,
      ...(c.boilerplate ? { boilerplate: c.boilerplate } : {}),
      ...(c.continues ? { continues: true } : {}),
      ...(c.lead ? { lead: c.lead } : {}),
    });
  };
  if (doc.kind === 'lines') {
    const blocks = doc.markdown ? markdownBlocks(doc.lines) : textBlocks(doc.lines);
    const chunker = new Chunker(doc.title, topHeading(blocks), docKind, regionLookup(doc.regions));
    chunker.add(blocks);
    for (const c of mergeScraps(chunker.take())) emit(c, `${rel}#L${c.start}-L${c.end}`);
  } else {
    const pages = doc.pages.map((lines) => textBlocks(lines, true));
    const chunker = new Chunker(doc.title, topHeading(pages.flat()), docKind, () => undefined);
    pages.forEach((blocks, p) => {
      chunker.add(blocks);
      for (const c of mergeScraps(chunker.take())) emit(c, `${rel}#p${p + 1}`);
    });
  }
  return out;
}
