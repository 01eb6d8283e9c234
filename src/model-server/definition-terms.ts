/**
 * The names that reference documentation defines: an option, setting, variable or function at the
 * head of its description ("`maxRetries` {number} How many times…", "--color=
 * [default: auto] Decides…", a `term::` of a manual page, a heading that is only a name). The
 * sentences of a description are about that name even when they never repeat it ("The default
 * value is 30 seconds"), so the name is their label: it counts as what they say, and a
 * summary that quotes them says which name they describe.
 */
import { plainText, restoreCode } from './inline-text.js';

/** An option, a code span (placeholder of protected code) or an environment-style NAME. */
const ATOM = String.raw`(?:\uE000\d+\uE000|--?\[?[A-Za-z][\w[\]-]*(?:=(?:[^\s,]*[^\s,:])?)?|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+)`;
/** What reference pages put between a name and its description: a type, a default, a short note. */
const ANNOTATION = String.raw`(?:\{[^{}]{1,40}\}|\[[^[\]]{1,60}\]|\((?:default|optional|required)[^()]{0,40}\)|\([a-z][a-z ]{1,24}\))`;
const LEADING_TERM = new RegExp(
  String.raw`^(${ATOM}(?:,?\s+${ATOM})*)(\s+(?:[A-Z][A-Z0-9_]+|[a-z][a-z0-9_-]*))?((?:\s+${ANNOTATION})*)\s*:?\s+(?=\p{Lu}\p{Ll}|\p{Lu}\s|\p{Lu}'|\p{Lu}$)`,
  'u'
);

export interface LeadingTerm {
  /** The name as the text writes it (code placeholders kept), with its annotations. */
  term: string;
  /** The label: the name in plain text, with a default when the text states one. */
  label: string;
  /** The description after the name. */
  rest: string;
}

/**
 * The name a definition opens with, in text whose inline code is protected: one or more options or
 * code spans, an option's value placeholder, then annotations, then a capitalised description.
 */
export function leadingTerm(guarded: string, codes: string[]): LeadingTerm | undefined {
  const m = LEADING_TERM.exec(guarded);
  if (!m) return undefined;
  const [whole, atoms, placeholder = '', annotations = ''] = m;
  // A value placeholder follows an option that takes one, never a code span.
  if (placeholder && !/(?:^|\s)--?[\w[\]-]+$/.test(atoms!)) return undefined;
  const rest = guarded.slice(whole.length);
  if (!/\p{L}/u.test(rest)) return undefined;
  // "[default: 12]" reads as "(default: 12)" in prose, where brackets would look like a citation.
  const defaults = (annotations.match(/\[default:[^\]]*\]|\(default[^)]*\)/gi) ?? []).map(
    (d) => `(${d.slice(1, -1)})`
  );
  const name = plainText(restoreCode(`${atoms}${placeholder}`, codes, false))
    .replace(/=$/, '')
    .trim();
  return {
    term: `${atoms}${placeholder}${annotations}`.trim(),
    label: [name, ...defaults].join(' '),
    rest,
  };
}

/**
 * "**Temporal server.** Embedded default: …", "**Workers** (`steadfast worker`). Each…": a bold lead
 * phrase ending in a full stop or colon, after an aside in brackets or not.
 */
const BOLD_LEAD = /^\s*(\*\*|__)(?=\S)([^*_]{1,80}?)([.:]?)\1(\s*\([^()]{1,80}\))?([.:]?)\s+(?=\S)/;

/**
 * The label a list item or paragraph opens with in bold ("**Temporal server.** Embedded default:
 * …", "**Bounded JSON on local servers.** A server…"): what its sentences are about, never a
 * sentence of its own.
 */
export function boldLead(text: string, codes: string[] = []): LeadingTerm | undefined {
  const m = BOLD_LEAD.exec(text);
  if (!m || !(m[3] || m[5])) return undefined;
  // "**Workers** (`steadfast worker`). Each worker…": the aside belongs to the label.
  const label = plainText(restoreCode(`${m[2]!.trim()}${m[4] ?? ''}`, codes, false)).trim();
  if (!/\p{L}/u.test(label)) return undefined;
  return { term: label, label, rest: text.slice(m[0].length) };
}

const NAME =
  /^(?:[-+]{1,2}\[?[\w[\]-]*(?:[= ]?<[^<>]+>|=\S*| [A-Z][A-Z_]*)?|[\w$.:[\]-]*[\w$\]](?:\([^()]*\))?|[A-Z][A-Z0-9_]+|'[^']+'|"[^"]+")$/;

/** A name as written in a term or heading: an option, an identifier, a call, a quoted command. */
export function isName(text: string): boolean {
  const t = text.trim().replace(/^`+|`+$/g, '');
  if (!t || t.length > 80) return false;
  return t
    .split(/\s*,\s*/)
    .every((part) => NAME.test(part) && (/[-_.$()[\]'"A-Z]/.test(part) || !/\s/.test(part)));
}

/**
 * The label a heading gives the units under it: the heading when it is only a name ("`--dry-run`",
 * "Class: `Server`", "`server.keepAliveTimeout`"), with the kind word dropped; '' otherwise.
 */
export function headingLabel(headingWithTicks: string): string {
  const h = headingWithTicks.trim().replace(/^(?:class|event|static method|method|property|module):\s*/i, '');
  const code = /^`([^`]+)`$/.exec(h);
  if (code) return code[1]!.trim();
  if (/\s/.test(h.replace(/\(.*\)$/, '')) || !/[-_.()$]|[a-z][A-Z]/.test(h)) return '';
  return isName(h) ? h : '';
}

/** The tokens that say a unit names its label itself (then it needs no "label:" in front). */
export function labelTokens(label: string): string[] {
  return (label.replace(/\(default[^)]*\)/gi, '').match(/[^\s,=()[\]{}]+/g) ?? []).filter(
    (t) => t.length >= 2
  );
}

/** Whether the text already names the label (any of its names). */
export function namesLabel(text: string, label: string): boolean {
  const lower = text.toLowerCase();
  return labelTokens(label).some((t) => lower.includes(t.toLowerCase()));
}

/** The text with the name it describes in front, unless it names it itself: "--log-fd (default: 2): The default, 2, is…". */
export function withLabel(text: string, label: string): string {
  return !label || namesLabel(text, label) ? text : `${label}: ${text}`;
}
