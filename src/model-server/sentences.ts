/** Sentence splitting for prose whose inline code is protected (placeholders hold no dots). */

const ABBREVIATIONS = new Set(
  'e.g i.e eg ie viz vs cf approx al fig no nos dr mr mrs ms st inc ltd jr sr vol ch sec eq resp incl esp'.split(
    ' '
  )
);

/**
 * "e.g", "U.S", an initial: a full stop after these does not end a sentence. "etc." does, before a
 * capital ("…file3, etc. The results…"): one full stop ends both.
 */
function isAbbreviation(token: string): boolean {
  return ABBREVIATIONS.has(token) || /^\p{L}$/u.test(token) || /^(?:\p{L}\.)+\p{L}$/u.test(token);
}

function openBrackets(text: string): number {
  return (text.match(/\(/g)?.length ?? 0) - (text.match(/\)/g)?.length ?? 0);
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
    // Inside brackets that close soon after: "(eg. 20 to 30 times)" is one aside, not two sentences.
    if (openBrackets(text.slice(start, m.index + 1)) > 0 && /^[^()]{0,150}\)/.test(text.slice(end))) continue;
    // A sentence may open with a lower-case name ("libffi provides…") or a directive ("#if").
    const opens =
      /["'([“‘\uE000#\p{Lu}\p{N}]/u.test(next) || (/\p{Ll}/u.test(next) && (token?.length ?? 0) > 3);
    if (!opens) continue;
    out.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  // "(default: 600)" after a sentence is an aside to it, not a sentence of its own; so is a note in
  // square brackets that opens in lower case ("[bug introduced in grep-2.11]", as GNU NEWS files
  // close an entry).
  const merged: string[] = [];
  for (const s of out.filter(Boolean)) {
    const aside =
      /^\([^()]{1,120}\)[.;]?(?=\s|$)/.exec(s) ?? /^\[\p{Ll}[^[\]]{0,120}\][.;]?(?=\s|$)/u.exec(s);
    if (merged.length === 0 || !aside || aside[0].split(/\s+/).length > 15) {
      merged.push(s);
      continue;
    }
    merged[merged.length - 1] += ` ${aside[0]}`;
    const rest = s.slice(aside[0].length).trim();
    if (rest) merged.push(rest);
  }
  return merged;
}
