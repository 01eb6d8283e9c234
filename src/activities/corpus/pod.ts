/**
 * Perl's Plain Old Documentation (a `.pod` file, or the documentation inside a Perl module or
 * script) as Markdown lines, for the Markdown reader: `=head1`… become headings, an `=item` naming
 * something (an option, a function) becomes a definition term over its first paragraph (`: …`), a
 * bullet or numbered `=item` a list item, a verbatim (indented) paragraph code. Formatting codes
 * read as their text (`C<…>` and `F<…>` as code spans, `L<text|target>` as its text, `E<lt>` as
 * "<"). Perl code, `=cut`, `=over`/`=back` and `=begin`/`=for` sections for other formatters are
 * not text a reader looks for: blank lines in their place, so that one line of the file stays one
 * line of Markdown and a passage's line numbers are the file's.
 */

const COMMAND = /^=([a-zA-Z]\w*)\s*(.*)$/;
const HEADING = /^head([1-6])$/;

/** The entities POD names with `E<…>`. */
const ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  verbar: '|',
  sol: '/',
  quot: '"',
  amp: '&',
  apos: "'",
};

function entity(name: string): string {
  if (Object.hasOwn(ENTITIES, name)) return ENTITIES[name]!;
  const code = /^0x[\da-f]+$/i.test(name) ? parseInt(name, 16) : /^\d+$/.test(name) ? Number(name) : NaN;
  return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : name;
}

/** A formatting code's content as Markdown. */
function formatted(code: string, content: string): string {
  switch (code) {
    case 'C':
    case 'F':
      return content ? `\`${content.replace(/`/g, "'")}\`` : '';
    case 'B':
    case 'I':
    case 'S':
      return content;
    case 'L': {
      // "L<text|target>" reads as its text; "L<perlsyn/For Loops>" as the section and page it names.
      const bar = content.indexOf('|');
      if (bar >= 0) return content.slice(0, bar);
      const slash = /^([^/]*)\/"?([^"]*)"?$/.exec(content);
      return slash ? (slash[1] ? `${slash[2]} in ${slash[1]}` : slash[2]!) : content;
    }
    case 'E':
      return entity(content);
    default:
      // X<index entry>, Z<>: nothing a reader sees.
      return '';
  }
}

/** POD's formatting codes resolved, the innermost first: `B<C<--dry-run>>`, `C<< $a->b >>`. */
function podInline(text: string): string {
  // "E<lt>" and "E<gt>" stand in for angle brackets until the codes around them are resolved.
  let out = text
    .replace(/E<lt>/g, '\uE001')
    .replace(/E<gt>/g, '\uE002')
    .replace(/([BCEFILSXZ])<{2,}\s+(.*?)\s+>{2,}/g, (_, code: string, content: string) =>
      formatted(code, content)
    );
  for (let i = 0; i < 8; i++) {
    const next = out.replace(/([BCEFILSXZ])<([^<>]*)>/g, (_, code: string, content: string) =>
      formatted(code, content)
    );
    if (next === out) break;
    out = next;
  }
  return out.replace(/\uE001/g, '<').replace(/\uE002/g, '>');
}

/** Where POD may start: a command at the start of a paragraph (the file's start or after a blank line). */
function opensPod(lines: string[], i: number): boolean {
  return COMMAND.test(lines[i]!) && (i === 0 || !lines[i - 1]!.trim());
}

export function podToMarkdown(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out = lines.map(() => '');
  let inPod = false;
  /** Inside `=begin FORMAT` … `=end FORMAT` for another formatter. */
  let skipping = false;
  /** What the next ordinary paragraph opens with: a definition's ": " or a list item's marker. */
  let pending: string | undefined;
  /** The line of the fence that closed the last verbatim paragraph. */
  let closed = -1;
  for (let i = 0; i < lines.length;) {
    if (!inPod) {
      inPod = opensPod(lines, i);
      if (!inPod) {
        i++;
        continue;
      }
    }
    if (!lines[i]!.trim()) {
      i++;
      continue;
    }
    // A paragraph: up to the next blank line.
    let end = i;
    while (end < lines.length && lines[end]!.trim()) end++;
    const command = COMMAND.exec(lines[i]!);
    if (command) {
      const [, name, rest] = command;
      const text = [rest!, ...lines.slice(i + 1, end).map((l) => l.trim())].join(' ').trim();
      const heading = HEADING.exec(name!);
      if (name === 'cut') {
        inPod = false;
        pending = undefined;
      } else if (name === 'begin') {
        skipping = !/^(?:text|markdown)\b/i.test(text);
      } else if (name === 'end') {
        skipping = false;
      } else if (skipping || name === 'for') {
        // another formatter's content
      } else if (heading) {
        out[i] = `${'#'.repeat(Number(heading[1]))} ${podInline(text)}`;
        pending = undefined;
      } else if (name === 'item') {
        const bullet = /^(?:\*|\d+\.?)(?:\s+|$)/.exec(text);
        if (bullet) {
          const marker = /^\d/.test(bullet[0]) ? `${parseInt(bullet[0], 10)}. ` : '- ';
          const item = text.slice(bullet[0].length);
          if (item) out[i] = `${marker}${podInline(item)}`;
          pending = item ? undefined : marker;
        } else {
          out[i] = podInline(text);
          pending = ': ';
        }
      }
      i = end;
      continue;
    }
    if (skipping) {
      i = end;
      continue;
    }
    if (/^\s/.test(lines[i]!)) {
      // A verbatim paragraph: code, fenced on the blank lines around it; one that follows another
      // after a blank line goes on in the same fence.
      if (closed === i - 1) out[closed] = '';
      else out[i - 1] = '```';
      for (let k = i; k < end; k++) out[k] = lines[k]!;
      if (end < lines.length) out[end] = '```';
      else out.push('```');
      closed = end;
      i = end;
      continue;
    }
    for (let k = i; k < end; k++) out[k] = podInline(lines[k]!.trim());
    if (pending) out[i] = `${pending}${out[i]}`;
    pending = undefined;
    i = end;
  }
  return out;
}
