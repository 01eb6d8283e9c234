/**
 * The built-in PDF fonts (Helvetica, Courier) only cover the WinAnsi character set; pdfkit
 * writes `?` for anything else, so text outside it must go to an embedded font (fonts.ts).
 */

// Unicode characters that WinAnsi places in 0x80–0x9F.
const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e,
  0x0178,
]);

export function isWinAnsi(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code);
}

/** True when every character of `text` is drawable by the standard fonts. */
export function allWinAnsi(text: string): boolean {
  for (const ch of text) if (!isWinAnsi(ch.codePointAt(0) ?? 0)) return false;
  return true;
}
