/**
 * Inline Markdown and HTML reduced to what a writer quotes: link labels without targets, no
 * emphasis, images, tags, entities or pictographs. Inline code keeps its text; `plainText` also
 * drops the backticks (plain prose for a summary), `inlineText` keeps them (valid Markdown).
 */

import { closedTags, TAG, withoutTags } from '../common/placeholder-tags.js';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  copy: '©',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

/** Replaces inline code spans by placeholders, so that no other rule touches their text. */
export function protectCode(text: string): { text: string; codes: string[] } {
  const codes: string[] = [];
  const out = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, body: string) => {
    codes.push(body.trim());
    return `\uE000${codes.length - 1}\uE000`;
  });
  return { text: out, codes };
}

/** Puts protected code back, with or without backticks. */
export function restoreCode(text: string, codes: string[], ticks: boolean): string {
  return text.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => {
    const code = codes[Number(i)] ?? '';
    return ticks ? `\`${code}\`` : code;
  });
}

/** Inline Markdown/HTML markup removed from text whose code spans are protected. */
export function stripMarkup(text: string): string {
  const unlinked = decodeEntities(text)
    // Images and links keep their label; reference and footnote markers go.
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[\^[^\]]+\]/g, '')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  return (
    // Tags go; a command line's placeholder ("git reset <commit>") is part of the text.
    withoutTags(unlinked, ' ', undefined, closedTags(text))
      // Emphasis and strike-through keep their text; lone markers and snake_case stay, and so do
      // the stars of globs ("lib(*.o)"): emphasis opens on a word.
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\p{L}\p{N}*_\\])([*_])(?=[\p{L}\p{N}`"'‘“])([^*_]*?\S)\2(?![\p{L}\p{N}*_])/gu, '$1$3')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, '$1')
      // Pictographs (warning signs, badges' emoji) and their variation selectors.
      .replace(/[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}]\uFE0F?|\uFE0F|\u200D/gu, '')
      .replace(/\s+/g, ' ')
      .replace(/\s+([,.;:!?)])(?=\s|$)/g, '$1')
      .replace(/([(])\s+/g, '$1')
      .trim()
  );
}

/** Text with inline markup removed and inline code kept in backticks (a placeholder too: `<commit>`). */
export function inlineText(text: string): string {
  const { text: body, codes } = protectCode(text);
  return restoreCode(
    stripMarkup(body).replace(TAG, (tag) => `\`${tag}\``),
    codes,
    true
  );
}

/** Text with inline markup removed and inline code as its bare text. */
export function plainText(text: string): string {
  const { text: body, codes } = protectCode(text);
  return restoreCode(stripMarkup(body), codes, false);
}

/** Ends a sentence with a full stop when it ends in a word, number, code or bracket. */
export function withFullStop(text: string): string {
  const t = text.trim().replace(/[,;:]+$/, '');
  // "(… the whole query string.)" already ends its sentence inside the brackets.
  if (/[.!?]["'’”]?[)\]]$/.test(t)) return t;
  return /[\p{L}\p{N}`)\]"'’”]$/u.test(t) ? `${t}.` : t;
}
