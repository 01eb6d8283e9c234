/**
 * From report text to what the PDF draws: which font sets each character (standard font,
 * fallback font, or a textual stand-in), and where CJK text may break between lines.
 */
import type { RunStyle } from './inline.js';
import { covers, fallbackFace, fontFor, faceKey, isFallbackFont, type Face } from './fonts.js';
import { substitute } from './substitutes.js';
import { allWinAnsi } from './winansi.js';

/** A stretch of text set in one face. */
export interface Shaped {
  text: string;
  face: Face;
}

// Line breaks and the typographic spaces become plain spaces, where lines may break; a narrow
// no-break space stays unbreakable. Everything else maps to one space.
const SPACES: Readonly<Record<string, string>> = { '\t': '    ', '\u202f': '\u00a0' };
const SPACE_LIKE = /[\t\n\r\u2000-\u200a\u2028\u2029\u202f\u205f]/g;

/**
 * Invisible characters that would otherwise leave junk: zero-width spaces and joiners, the byte
 * order mark, and variation selectors (emoji presentation ⚠️ → ⚠). Dropping the joiners splits
 * an emoji sequence into its parts, each then drawn or substituted (👨‍💻 → [man][laptop]).
 */
const INVISIBLE = /\u200d|[\u200b\u200c\u2060\ufeff]|[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;
// C0 and C1 controls; tabs and line breaks have become spaces by then.
const CONTROL = /\p{Cc}/gu;

/**
 * Normalises text for layout: composed characters (e + ◌́ → é), whitespace the layout understands
 * (tabs as four spaces, line breaks as spaces), no invisible or control characters.
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(SPACE_LIKE, (ch) => SPACES[ch] ?? ' ')
    .replace(CONTROL, '');
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

// What can join code points into one cluster: marks, emoji modifiers and tags, flag halves,
// joiners, Hangul jamo, prepended signs. Text without them has one code point per cluster, and
// skipping the segmenter for it (most text, CJK included) makes layout several times faster.
const CLUSTERING =
  /[\p{M}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u0600-\u0605\u06dd\u070f\u08e2\u{e0020}-\u{e007f}]/u;

/** User-perceived characters: a letter with its marks, an emoji with its modifiers, a flag. */
export function graphemes(text: string): string[] {
  if (!CLUSTERING.test(text)) return [...text];
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export const baseFace = (style: RunStyle): Face => ({ font: fontFor(style) });

function faceOf(cluster: string, style: RunStyle): Face | undefined {
  return allWinAnsi(cluster) ? baseFace(style) : fallbackFace(cluster, style);
}

const NEUTRAL = /^[\p{P}\p{S}\p{Zs}]+$/u;

/**
 * Punctuation and spaces after text in a fallback font stay in that font (when it has them), so
 * a Russian sentence is one run of DejaVu Sans rather than a switch of font at every comma and
 * space. Not in code, whose spaces must keep Courier's width.
 */
export function keepsFace(cluster: string, previous: Face | undefined, style: RunStyle): boolean {
  return (
    previous !== undefined &&
    !style.code &&
    isFallbackFont(previous.font) &&
    NEUTRAL.test(cluster) &&
    covers(previous.font, cluster)
  );
}

/**
 * Splits cleaned text into stretches by face. A cluster no font can draw is replaced by its
 * stand-in (see substitutes.ts), itself drawn in whichever font has its characters.
 */
export function shapeText(text: string, style: RunStyle): Shaped[] {
  if (!text) return [];
  if (allWinAnsi(text)) return [{ text, face: baseFace(style) }];
  const out: Shaped[] = [];
  const push = (piece: string, face: Face): void => {
    const last = out[out.length - 1];
    if (last && faceKey(last.face) === faceKey(face)) last.text += piece;
    else out.push({ text: piece, face });
  };
  for (const cluster of graphemes(text)) {
    const previous = out[out.length - 1]?.face;
    const face = keepsFace(cluster, previous, style) ? previous : faceOf(cluster, style);
    if (face) {
      push(cluster, face);
      continue;
    }
    for (const ch of substitute(cluster)) push(ch, faceOf(ch, style) ?? baseFace(style));
  }
  return out;
}

// Han, kana, CJK symbols and punctuation, full-width forms: text that may break between any two
// characters. Korean separates words with spaces, and Hangul words are kept whole.
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3ffff}]/u;
// Characters that must not start a line (closing punctuation, small kana, prolonged sound mark)…
const NO_BREAK_BEFORE =
  /^[)\]}.,;:!?%'"\u2019\u201d\u3001\u3002\u3009\u300b\u300d\u300f\u3011\u3015\u3017\u3019\u301b\u30fc\u30fb\u3005\u309d\u309e\u30fd\u30fe\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6\uff01\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3d\uff5d\u2026]/;
// …or end one (opening brackets and quotes).
const NO_BREAK_AFTER =
  /[([{\u2018\u201c\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u3018\u301a\uff08\uff3b\uff5b]$/;

/**
 * Splits a word (text without spaces) where a line may break inside it: between CJK characters,
 * which are not separated by spaces, unless that would start a line with closing punctuation or
 * end one with an opening bracket.
 */
export function breakableParts(word: string): string[] {
  if (!CJK.test(word)) return [word];
  const parts: string[] = [];
  let current = '';
  let previous = '';
  for (const cluster of graphemes(word)) {
    const mayBreak =
      current !== '' &&
      (CJK.test(cluster) || CJK.test(previous)) &&
      !NO_BREAK_BEFORE.test(cluster) &&
      !NO_BREAK_AFTER.test(previous);
    if (mayBreak) {
      parts.push(current);
      current = '';
    }
    current += cluster;
    previous = cluster;
  }
  if (current) parts.push(current);
  return parts;
}
