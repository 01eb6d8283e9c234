// The summary is read as plain prose (terminal, PDF, the run page): whatever the model wrote,
// Markdown syntax does not reach it. Pure: runs in the workflow sandbox.
import { closedTags, withoutTags } from '../common/placeholder-tags.js';

/**
 * Markdown reduced to prose: heading lines dropped (a summary has none to keep); emphasis, inline-code ticks, links, images, list bullets,
 * block quotes and table pipes removed (their text kept); citation markers `[n]` and `[sourceId]`
 * are left alone. Lines are joined into one paragraph.
 */
export function plainProse(markdown: string): string {
  const closed = closedTags(markdown);
  return (
    markdown
      .replace(/```[\s\S]*?```/g, ' ')
      .split('\n')
      .map((line) =>
        line
          .replace(/^\s{0,3}#{1,6}\s.*$/, '')
          .replace(/^\s*>\s?/, '')
          .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '')
          .replace(/^\s*\|?[\s:|-]+\|?\s*$/, '')
          .split(/(`[^`]*`)/)
          .map((part) => (part.startsWith('`') ? part : withoutTablePipes(part)))
          .join('')
      )
      .join(' ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\((?:[^)]*)\)/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      // Emphasis opens on a word (not "*.o", a glob) and ends within its sentence: never across a
      // citation marker or another star.
      .replace(
        /(^|[\s(])([*_])([\p{L}\p{N}`"'‘“](?:(?:(?!\[\d{1,4}\])[^*])*?\S)?)\2(?=[\s).,;:!?]|$)/gu,
        '$1$3'
      )
      // Tags go, but not a command's placeholder ("git reset <commit>") nor the text of inline code.
      .split(/(`[^`]*`)/)
      .map((part) =>
        part.startsWith('`') && part.endsWith('`') && part.length > 1
          ? part.slice(1, -1)
          : withoutTags(part, '', undefined, closed)
      )
      .join('')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * Table pipes go; a shell pipeline's stay ("xz -dc foo.tar.xz | tar xf -": an option before the
 * pipe, a command after it).
 */
function withoutTablePipes(text: string): string {
  return text.replace(/\s*\|\s*/g, (pipe, at: number) =>
    /\s-{1,2}[A-Za-z][\w-]*(?=\s|$)/.test(text.slice(0, at)) &&
    /^\s*[a-z][\w.-]*(?:\s|$)/.test(text.slice(at + pipe.length))
      ? ' | '
      : ' '
  );
}
