/**
 * DocBook XML (manual pages and books written as `refentry`, `article`, `book`…, as packages ship
 * the sources of their manuals) as the HTML it describes, for the HTML reader: sections' titles
 * become headings by depth, `variablelist` a definition list (an option's name over its
 * description), lists, tables, program listings and paragraphs their HTML counterparts, and a
 * manual page is headed by its name and purpose ("xmlwf — Determines if an XML document is
 * well-formed"). Entities the document declares itself (`<!ENTITY dhpackage "xmlwf">`) are
 * replaced by their text; external ones are never fetched. Metadata (authors, copyright years,
 * index terms, remarks) is not text a reader looks for and is left out.
 */
import { DOMParser, parseHTML } from 'linkedom';

/** Thrown for XML that is not DocBook, or DocBook that cannot be expanded safely. */
export class NotDocBook extends Error {
  override name = 'NotDocBook';
}

/** Root elements of DocBook documents (DocBook 4 without a DOCTYPE names no namespace). */
const ROOTS = new Set([
  'book',
  'article',
  'part',
  'chapter',
  'appendix',
  'preface',
  'reference',
  'refentry',
  'section',
  'sect1',
  'set',
  'glossary',
  'bibliography',
]);
const SECTIONS = new Set([
  ...ROOTS,
  'sect2',
  'sect3',
  'sect4',
  'sect5',
  'simplesect',
  'refsect1',
  'refsect2',
  'refsect3',
  'refsection',
  'refsynopsisdiv',
  'partintro',
  'glossdiv',
  'colophon',
  'dedication',
]);
/** Metadata containers: only their title is read (as the section's, when it has no title of its own). */
const INFO = /^(?:info|\w*info|refmeta|docinfo)$/;
const DROPPED = new Set([
  'indexterm',
  'remark',
  'comment',
  'anchor',
  'mediaobject',
  'imageobject',
  'titleabbrev',
]);
const PARAGRAPHS = new Set([
  'para',
  'simpara',
  'formalpara',
  'abstract',
  'sidebar',
  'example',
  'informalexample',
  'figure',
  'informalfigure',
  'cmdsynopsis',
  'funcsynopsis',
  'question',
  'answer',
  'glossdef',
  'msgtext',
]);
const LISTINGS = new Set([
  'programlisting',
  'screen',
  'literallayout',
  'synopsis',
  'funcsynopsisinfo',
  'address',
]);
const ADMONITIONS = new Set(['note', 'warning', 'caution', 'important', 'tip']);
const LISTS: Record<string, string> = {
  itemizedlist: 'ul',
  orderedlist: 'ol',
  simplelist: 'ul',
  segmentedlist: 'ul',
  qandaset: 'dl',
  glosslist: 'dl',
};
const ITEMS = new Set(['listitem', 'member', 'seglistitem']);

/** Longest text the declared entities may expand a document to (a guard against "billion laughs"). */
const MAX_EXPANDED = 8 * 1024 * 1024;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const XML_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);

/** Named characters decoded so far, for every document (an HTML parse each is not cheap). */
const namedCharacters = new Map<string, string>();

/** The character an HTML named entity stands for ("mdash" → "—"), as DocBook's DTD defines them; else the name. */
function namedCharacter(name: string): string {
  let char = namedCharacters.get(name);
  if (char === undefined) {
    const { document } = parseHTML(`<p>&${name};</p>`);
    const text = document.querySelector('p')?.textContent ?? '';
    char = text && text !== `&${name};` ? text : name;
    if (namedCharacters.size < 4096) namedCharacters.set(name, char);
  }
  return char;
}

/** The document's own entity declarations (its DOCTYPE's internal subset); external ones expand to nothing. */
function declaredEntities(subset: string): Map<string, string> {
  const entities = new Map<string, string>();
  const declaration = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)'|(?:SYSTEM|PUBLIC)[^>]*)>/g;
  for (const m of subset.matchAll(declaration)) entities.set(m[1]!, m[2] ?? m[3] ?? '');
  return entities;
}

/** Replaces entity references outside CDATA sections: declared ones by their text, named characters by numbers. */
function expandEntities(xml: string, declared: Map<string, string>): string {
  let size = 0;
  const expand = (text: string, depth: number): string =>
    text.replace(/&([A-Za-z_][\w.-]*);/g, (ref, name: string) => {
      if (XML_ENTITIES.has(name)) return ref;
      const value = declared.get(name);
      if (value !== undefined) {
        if (depth > 8) throw new NotDocBook('DocBook entities nested more than 8 deep; not expanded');
        size += value.length;
        if (size > MAX_EXPANDED)
          throw new NotDocBook('DocBook entities expand to more than 8 MB; not expanded');
        return expand(value, depth + 1);
      }
      return [...namedCharacter(name)].map((c) => `&#${c.codePointAt(0)};`).join('');
    });
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) => (i % 2 ? part : expand(part, 0)))
    .join('');
}

const name = (el: Element) => (el.localName ?? el.tagName).toLowerCase().replace(/^.*:/, '');
const childElements = (el: Element) => Array.from(el.children) as Element[];
const textOf = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The title of a section: its own `title` child, or the one in its metadata. */
function sectionTitle(el: Element): Element | undefined {
  const own = childElements(el).find((c) => name(c) === 'title');
  if (own) return own;
  for (const info of childElements(el).filter((c) => INFO.test(name(c))))
    for (const c of childElements(info)) if (name(c) === 'title') return c;
  return undefined;
}

class HtmlWriter {
  private out = '';

  write(el: Element, depth: number): string {
    this.element(el, depth);
    return this.out;
  }

  private children(el: Element, depth: number, skip?: Element): void {
    for (const node of Array.from(el.childNodes)) {
      if (node === skip) continue;
      if (node.nodeType === 3 || node.nodeType === 4) this.out += escape(node.textContent ?? '');
      else if (node.nodeType === 1) this.element(node as Element, depth);
    }
  }

  private wrap(tag: string, el: Element, depth: number, skip?: Element): void {
    this.out += `<${tag}>`;
    this.children(el, depth, skip);
    this.out += `</${tag}>`;
  }

  private element(el: Element, depth: number): void {
    const tag = name(el);
    if (DROPPED.has(tag) || INFO.test(tag)) return;
    if (SECTIONS.has(tag)) {
      const title = sectionTitle(el);
      const level = Math.min(depth + 1, 6);
      this.out += '<section>';
      if (title) this.wrap(`h${level}`, title, depth + 1);
      this.children(el, depth + 1, title);
      this.out += '</section>';
      return;
    }
    if (tag === 'refnamediv') {
      const names = childElements(el)
        .filter((c) => name(c) === 'refname')
        .map(textOf);
      const purpose = childElements(el).find((c) => name(c) === 'refpurpose');
      const heading = [names.join(', '), purpose ? textOf(purpose) : ''].filter(Boolean).join(' — ');
      if (heading)
        this.out += `<h${Math.min(depth, 6) || 1}>${escape(heading)}</h${Math.min(depth, 6) || 1}>`;
      return;
    }
    if (tag === 'title') return this.wrap('p', el, depth);
    if (PARAGRAPHS.has(tag)) return this.wrap('div', el, depth);
    if (LISTINGS.has(tag)) {
      this.out += `<pre>${escape(el.textContent ?? '')}</pre>`;
      return;
    }
    if (ADMONITIONS.has(tag)) {
      const title = childElements(el).find((c) => name(c) === 'title');
      this.out += `<blockquote><div>${escape(title ? textOf(title) : tag[0]!.toUpperCase() + tag.slice(1))}:</div>`;
      this.children(el, depth, title);
      this.out += '</blockquote>';
      return;
    }
    if (tag === 'variablelist' || LISTS[tag] === 'dl') return this.wrap('dl', el, depth);
    if (tag === 'varlistentry' || tag === 'qandaentry' || tag === 'glossentry') {
      const terms = childElements(el).filter((c) => /^(?:term|question|glossterm)$/.test(name(c)));
      const rest = childElements(el).filter((c) => !terms.includes(c));
      for (const term of terms) this.wrap('dt', term, depth);
      this.out += '<dd>';
      // The entry's item is its definition, not an item of a list.
      for (const c of rest) {
        if (ITEMS.has(name(c))) this.children(c, depth);
        else this.element(c, depth);
      }
      this.out += '</dd>';
      return;
    }
    if (LISTS[tag]) return this.wrap(LISTS[tag], el, depth);
    if (ITEMS.has(tag)) return this.wrap('li', el, depth);
    if (tag === 'table' || tag === 'informaltable') {
      const title = childElements(el).find((c) => name(c) === 'title');
      if (title) this.wrap('div', title, depth);
      return this.wrap('table', el, depth, title);
    }
    if (tag === 'row') return this.wrap('tr', el, depth);
    if (tag === 'entry') return this.wrap(el.closest('thead') ? 'th' : 'td', el, depth);
    if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') return this.wrap(tag, el, depth);
    if (tag === 'ulink' || tag === 'link') {
      const href = el.getAttribute('url') ?? el.getAttribute('xlink:href') ?? '';
      if (!textOf(el)) {
        this.out += escape(href);
        return;
      }
      if (/^https?:/.test(href)) {
        this.out += `<a href="${escape(href).replace(/"/g, '&quot;')}">`;
        this.children(el, depth);
        this.out += '</a>';
        return;
      }
    }
    if (tag === 'citation') {
      // A reference to the bibliography, shown in brackets ("the MIME system [MIME]").
      this.out += ` [${escape(textOf(el))}]`;
      return;
    }
    if (tag === 'footnote') {
      this.out += ' (';
      this.children(el, depth);
      this.out += ')';
      return;
    }
    // Inline markup (option, command, replaceable, emphasis, filename…) and containers: their text.
    this.children(el, depth);
  }
}

/**
 * DocBook XML as HTML. Throws NotDocBook for XML that is some other vocabulary (data such as a
 * MIME database or a configuration schema), naming its root element.
 */
export function docbookToHtml(source: string): string {
  const withoutComments = source.replace(/<!--[\s\S]*?-->/g, '');
  const doctype = /<!DOCTYPE\s+[\w:.-]+([^[>]*)(?:\[([\s\S]*?)\]\s*)?>/i.exec(withoutComments);
  const declared = declaredEntities(doctype?.[2] ?? '');
  const body = doctype ? withoutComments.replace(doctype[0], '') : withoutComments;
  const xml = expandEntities(body, declared);
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const root = document.documentElement as unknown as Element | null;
  if (!root) throw new NotDocBook('XML without a root element; not a document');
  const namespace = root.getAttribute('xmlns') ?? '';
  const isDocBook =
    /docbook/i.test(doctype?.[1] ?? '') ||
    /docbook\.org/.test(namespace) ||
    (!namespace && ROOTS.has(name(root)));
  if (!isDocBook)
    throw new NotDocBook(
      `XML that is not DocBook (root element <${root.localName ?? root.tagName}>): data, not a document`
    );
  return `<html><body>${new HtmlWriter().write(root, 0)}</body></html>`;
}
