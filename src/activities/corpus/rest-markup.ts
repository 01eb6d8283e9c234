/**
 * reStructuredText, and MyST Markdown's roles and directives, as the Markdown an excerpt shows:
 * underlined titles as headings, roles and hyperlink references as their text, literal blocks and
 * code directives fenced, admonitions and version notes as the words they stand for, targets,
 * comments and layout directives gone. Sphinx-style documentation (Python's, pip's, Mercurial's
 * help) otherwise reaches a reader, and a writer quoting it, as markup. Markdown passes through
 * unchanged (a setext title becomes the same heading as `##`).
 */

import { indentOf } from './text-columns.js';

/** Any of reST's markup, or MyST's: most Markdown and plain text has none and is returned as is. */
const ANY_MARKUP =
  /(?:^|\n)[ \t]*\.\.(?:\s|$)|:[a-z][\w:+-]*:`|\{[a-z][\w:+-]*\}`|``|`__?(?:[\s.,;:)!?]|$)|::[ \t]*(?:\n|$)|(?:^|\n)[ \t]*#\.[ \t]|(?:^|\n)\S[^\n]*\n([=\-~^*#"'+`:._])\1{2,}[ \t]*(?:\n|$)|(?:^|\n)\([\w.-]+\)=[ \t]*(?:\n|$)|(?:^|\n)(?:`{3,}|~{3,}|:{3,})\{/;

const ADORNMENT = /^([=\-~^*#"'+`:._])\1{2,}$/;

/** Directives that hold code: their body is a fenced block in the language they name. */
const CODE_DIRECTIVES = new Set([
  'code-block',
  'code',
  'sourcecode',
  'parsed-literal',
  'doctest',
  'testcode',
]);
/**
 * Directives that are no text for a reader, body and all: a list of pages, a raw or included file,
 * an index entry, an image, a default language, documentation generated from code (`auto…`).
 */
const NOT_TEXT = new Set([
  'toctree',
  'contents',
  'raw',
  'meta',
  'index',
  'include',
  'literalinclude',
  'image',
  'figure',
  'highlight',
]);
const notText = (name: string): boolean => NOT_TEXT.has(name) || name.startsWith('auto');
/** Admonitions: their body stays, introduced by their name ("Note:"). */
const ADMONITIONS = new Set([
  'note',
  'warning',
  'tip',
  'important',
  'caution',
  'attention',
  'danger',
  'hint',
  'error',
  'seealso',
]);
/** Roles that name a place in the documentation: their text is prose, not code. */
const PROSE_ROLES = new Set([
  'ref',
  'doc',
  'term',
  'any',
  'numref',
  'download',
  'std:ref',
  'std:doc',
  'abbr',
]);

/** The lines of an indented body that starts after line `i` (blank lines inside it included). */
function bodyEnd(lines: string[], i: number, indent: number): number {
  let end = i;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (!l.trim()) continue;
    if (indentOf(l) <= indent) break;
    end = j;
  }
  return end;
}

/** Lines as a fenced code block in `lang`, without blank lines at its ends and indentation in common. */
function fenced(lines: string[], lang: string): string[] {
  const body = [...lines];
  while (body.length && !body[0]!.trim()) body.shift();
  while (body.length && !body[body.length - 1]!.trim()) body.pop();
  if (body.length === 0) return [];
  // Tabs to their stops, so that the common indentation is cut in columns.
  const expanded = body.map((l) => l.replace(/^[ \t]+/, (ws) => ' '.repeat(indentOf(ws))));
  const cut = Math.min(...expanded.filter((l) => l.trim()).map(indentOf));
  return ['```' + lang, ...expanded.map((l) => l.slice(cut)), '```'];
}

/** A directive line as what it says: `undefined` drops it, a string replaces it. */
function directiveText(name: string, args: string): string | undefined {
  if (ADMONITIONS.has(name))
    return `${name === 'seealso' ? 'See also' : name[0]!.toUpperCase() + name.slice(1)}:${args ? ' ' + args : ''}`;
  if (name === 'admonition' || name === 'topic' || name === 'rubric' || name === 'sidebar')
    return args ? `### ${args}` : undefined;
  if (name === 'versionadded') return `New in version ${args}${/[.:]$/.test(args) ? '' : '.'}`;
  if (name === 'versionchanged') return `Changed in version ${args}${/[.:]$/.test(args) ? '' : ':'}`;
  if (name === 'deprecated') return `Deprecated since version ${args}${/[.:]$/.test(args) ? '' : ':'}`;
  // Tabs ("Unix/macOS", "Windows"): the label says what the body is for.
  if (/^(?:tab|tab-item|group-tab|code-tab)$/.test(name)) return args ? `${args}:` : undefined;
  // A documented name (`.. option:: --user`, `.. envvar:: PIP_CONFIG_FILE`): the name, as code.
  if (
    /^(?:option|envvar|describe|object|(?:py:|c:|js:)?(?:function|class|method|attribute|data|exception|module|macro|type|member))$/.test(
      name
    )
  )
    return args
      ? args
          .split(/,\s*/)
          .map((a) => '`' + a + '`')
          .join(', ')
      : undefined;
  return undefined;
}

/**
 * Inline markup as Markdown: roles and hyperlink references. ``Literals`` stay as written: a reader
 * takes them for code, and the offline writer reads "``name`` Description" as a definition entry.
 */
function inline(text: string): string {
  const role = (name: string, body: string): string => {
    const withTarget = /^([\s\S]*?)\s*<([^<>]+)>$/.exec(body);
    const shown = (withTarget ? withTarget[1]! : body).replace(/^[~!]/, '');
    if (name === 'pep' || name === 'rfc') return `${name.toUpperCase()} ${shown}`;
    // A place's own name, without its project ("pypug:wheel") or folder ("topics/vcs-support").
    if (PROSE_ROLES.has(name))
      return (withTarget ? withTarget[1]! : body.replace(/^[\w-]+:(?=\S)/, '').replace(/^.*\//, '')).trim();
    const code = body.startsWith('~') && !withTarget ? shown.replace(/^.*\./, '') : shown;
    return '`' + code.replace(/\s+/g, ' ') + '`';
  };
  return (
    text
      .replace(/:([a-z][\w:+-]*):`([^`]+)`/g, (_m, name: string, body: string) => role(name, body))
      .replace(/\{([a-z][\w:+-]*)\}`([^`]+)`/g, (_m, name: string, body: string) => role(name, body))
      // `text <https://…>`_ and `text`__: the text.
      .replace(/`([^`<>]+?)\s*<[^<>`]+>`__?(?=[\s.,;:)!?'"]|$)/g, '$1')
      .replace(/(^|[^`\w])`([^`]+)`__?(?=[\s.,;:)!?'"]|$)/g, '$1$2')
  );
}

/** The text with reStructuredText / MyST markup as Markdown (see the module comment). */
export function restAsMarkdown(text: string): string {
  if (!ANY_MARKUP.test(text)) return text;
  // A passage cut inside the markup starts with its lead marked "… ": the marker stands on its own.
  if (/^… [ \t]*(?:\.\.|#\.)/.test(text)) return `…\n${restAsMarkdown(text.slice(2))}`;
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    const prevBlank =
      i === 0 || !lines[i - 1]!.trim() || out.length === 0 || /^#{1,6} /.test(out[out.length - 1]!);
    // Markdown and MyST fences: code stays as written; a MyST directive fence shows its body.
    const fence = /^[ \t]*(`{3,}|~{3,}|:{3,})\s*(\{([\w:-]+)\}\s*(.*))?.*$/.exec(line);
    // A run of tildes right under a line of text is that line's underline, not a fence.
    const underlines = fence && !fence[2] && fence[1]![0] !== '`' && i > 0 && lines[i - 1]!.trim() !== '';
    if (fence && (fence[1]![0] !== ':' || fence[2]) && !underlines) {
      const mark = fence[1]!;
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trim().startsWith(mark)) j++;
      const inner = lines.slice(i + 1, j);
      const name = fence[3];
      if (name === undefined) out.push(line, ...inner, ...(j < lines.length ? [lines[j]!] : []));
      else if (CODE_DIRECTIVES.has(name))
        out.push(
          ...fenced(
            inner.filter((l) => !/^\s*:[\w-]+:/.test(l)),
            fence[4]!.trim().split(/\s+/)[0] ?? ''
          )
        );
      else if (!notText(name)) {
        // Its body is read like any other text: directives nest ("````{tab}" around "```{code-block}").
        const said = directiveText(name, fence[4]!.trim());
        const body = inner.filter((l) => !/^\s*:[\w-]+:/.test(l));
        lines.splice(i, j - i + 1, ...(said ? [said] : []), ...body);
        i--;
        continue;
      }
      i = j;
      continue;
    }
    // Overlined and underlined title, or underlined title.
    if (
      ADORNMENT.test(trimmed) &&
      i + 2 < lines.length &&
      lines[i + 2]!.trim() === trimmed &&
      /\p{L}/u.test(lines[i + 1]!)
    ) {
      out.push(`## ${lines[i + 1]!.trim()}`);
      i += 2;
      continue;
    }
    const under = lines[i + 1]?.trim() ?? '';
    if (
      prevBlank &&
      /\p{L}/u.test(trimmed) &&
      !/^(?:[-*+>|]|\d+[.)]|#\.)\s/.test(trimmed) &&
      indentOf(line) < 4 &&
      ADORNMENT.test(under) &&
      under.length >= Math.max(3, trimmed.length - 2) &&
      under.length <= trimmed.length + 12
    ) {
      out.push(`## ${trimmed}`);
      i++;
      continue;
    }
    // Explicit markup: targets, substitutions, footnotes, comments and directives.
    const explicit = /^([ \t]*)\.\.(?:\s+(.*))?$/.exec(line);
    if (explicit) {
      const indent = indentOf(line);
      const rest = explicit[2] ?? '';
      const end = bodyEnd(lines, i, indent);
      const directive = /^([\w:-]+)::\s*(.*)$/.exec(rest);
      const footnote = /^\[([^\]]+)\]\s+(.*)$/.exec(rest);
      if (directive) {
        const name = directive[1]!.toLowerCase();
        const args = directive[2]!.trim();
        const body = lines.slice(i + 1, end + 1);
        // Options (":linenos:", ":caption: …") open the body; they are settings, not text.
        let k = 0;
        while (k < body.length && /^\s*:[\w-]+:/.test(body[k]!)) k++;
        const content = body.slice(k);
        if (CODE_DIRECTIVES.has(name)) {
          // The code is as indented as its first line: what is indented less (a sibling of a
          // directive whose own indentation a cut lost) is read on.
          const first = content.find((l) => l.trim());
          const depth = first === undefined ? 0 : indentOf(first);
          const stop = content.findIndex((l) => l.trim() !== '' && indentOf(l) < depth);
          const code = stop < 0 ? content : content.slice(0, stop);
          out.push(...fenced(code, args.split(/\s+/)[0] ?? ''));
          if (stop >= 0) {
            lines.splice(i + 1, end - i, ...content.slice(stop));
            continue;
          }
        } else if (!notText(name)) {
          const said = directiveText(name, args);
          if (said) out.push(`${explicit[1]}${said}`);
          // The body is read like any other text (nested directives too).
          lines.splice(i + 1, end - i, ...content);
          continue;
        }
        i = end;
        continue;
      }
      if (footnote) {
        out.push(`[${footnote[1]}] ${footnote[2]!}`);
        continue;
      }
      // `.. _target:`, `.. |name| image:: …`, and comments: not text.
      i = end;
      continue;
    }
    // MyST targets "(label)=" and comments "% …".
    if (/^\([\w.:-]+\)=$/.test(trimmed) || /^%(?:\s|$)/.test(trimmed)) continue;
    // "… as follows::" introduces a literal block (indented, after a blank line).
    if (/::$/.test(trimmed) && !lines[i + 1]?.trim()) {
      const start = lines.slice(i + 1).findIndex((l) => l.trim() !== '');
      const first = start >= 0 ? lines[i + 1 + start]! : undefined;
      const indent = indentOf(line);
      if (first !== undefined && indentOf(first) > indent) {
        const end = bodyEnd(lines, i, indent);
        const lead = trimmed === '::' ? '' : trimmed.replace(/\s*::$/, (m) => (m.startsWith(' ') ? '' : ':'));
        if (lead) out.push(/^[ \t]*/.exec(line)![0] + lead);
        out.push(...fenced(lines.slice(i + 1, end + 1), ''));
        i = end;
        continue;
      }
    }
    out.push(line.replace(/^([ \t]*)#\.(?=[ \t])/, '$1-'));
  }
  // Inline markup may span line breaks (":ref:`--user\n<install_--user>`"): read outside fenced code.
  return out
    .join('\n')
    .split(/(^```[^\n]*\n[\s\S]*?\n```$)/m)
    .map((part, k) => (k % 2 === 1 ? part : inline(part)))
    .join('');
}
