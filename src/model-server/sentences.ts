/** Sentence splitting for prose whose inline code is protected (placeholders hold no dots). */

const ABBREVIATIONS = new Set(
  'e.g i.e etc vs cf approx al fig no nos dr mr mrs ms st inc ltd jr sr vol ch sec eq resp incl esp'.split(
    ' '
  )
);

/** "e.g", "etc", "U.S", an initial: a full stop after these does not end a sentence. */
function isAbbreviation(token: string): boolean {
  return ABBREVIATIONS.has(token) || /^\p{L}$/u.test(token) || /^(?:\p{L}\.)+\p{L}$/u.test(token);
}

/** Splits prose into sentences; inline code must be protected (placeholders hold no dots). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?]+["')\]’”]*\s+/g)) {
    const end = m.index + m[0].length;
    const next = text[end];
    if (next === undefined) continue;
    const token = /(\S+)$/
      .exec(text.slice(start, m.index))?.[1]
      ?.replace(/^[("'“‘[]+/, '')
      .toLowerCase();
    if (m[0][0] === '.' && token !== undefined && isAbbreviation(token)) continue;
    // A sentence may open with a lower-case name ("libffi provides…") or a directive ("#if").
    const opens =
      /["'([“‘\uE000#\p{Lu}\p{N}]/u.test(next) || (/\p{Ll}/u.test(next) && (token?.length ?? 0) > 3);
    if (!opens) continue;
    out.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter(Boolean);
}
