// Does a passage support a sentence? A deterministic, explainable score: the share of the
// sentence's content words that the passage contains, with numbers and code identifiers required
// verbatim (a wrong number is the commonest unsupported claim). Pure: runs in the workflow sandbox.

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either else ever every few for from ' +
    'further had has have having he her here hers him his how however i if in into is it its itself just ' +
    'let like me more most much must my no nor not now of off on once only or other our out over own per ' +
    'same shall she should so some such than that the their them then there these they this those through ' +
    'thus to too under until up upon us very via was we were what when where whether which while who whom ' +
    'whose why will with within without would you your yours one two may might many way ways thing things ' +
    'etc e.g i.e able based new see use uses used using'
  ).split(/\s+/)
);

/** Folds inflections so that "retries"/"retry", "approved"/"approval" meet. Crude on purpose. */
export function stem(word: string): string {
  let w = word;
  for (const [suffix, keep] of [
    ['ies', 'y'],
    ['ied', 'y'],
    ['ing', ''],
    ['ed', ''],
    ['es', ''],
    ['s', ''],
    ['al', ''],
    ['ly', ''],
  ] as const) {
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length) + keep;
      break;
    }
  }
  return w;
}

/** Content words of a text, lower-cased and stemmed; identifiers are also split into their parts. */
export function contentTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[\p{L}\p{N}_][\p{L}\p{N}_.'-]*[\p{L}\p{N}_]|[\p{L}\p{N}]/gu)) {
    const raw = m[0];
    const parts = [raw, ...raw.split(/(?<=[a-z0-9])(?=[A-Z])|[_.-]+/)];
    for (const part of parts) {
      const t = part.toLowerCase().replace(/'s$/, '');
      if (STOPWORDS.has(t) || (t.length < 3 && !/\d/.test(t))) continue;
      out.add(stem(t));
    }
  }
  return out;
}

/** Tokens a claim must not get wrong: numbers (with units or versions) and code identifiers. */
export function exactTokens(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/`([^`\n]{1,80})`/g)) out.add(m[1]!.trim().toLowerCase());
  for (const m of text.matchAll(/(?<![\p{L}\p{N}.])\d+(?:[.,]\d+)*(?![\p{L}\p{N}])/gu)) out.add(m[0]);
  return [...out].filter((t) => t.length > 0);
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

export interface SupportScore {
  /** 0..1: share of the claim's content words found in the passage (0 when an exact token is missing). */
  score: number;
  /** Numbers or identifiers of the claim that the passage does not contain. */
  missingExact: string[];
  /** How many content words the claim has; claims with fewer than 3 are not checkable. */
  terms: number;
}

/** A passage read once for checking many claims against it (a report cites each passage often). */
export interface CheckablePassage {
  terms: Set<string>;
  flat: string;
}

export function checkable(passage: string): CheckablePassage {
  return { terms: contentTerms(passage), flat: normalise(passage) };
}

/** How well one passage supports one claim (its text, or a claim of claimsOf with its terms read). */
export function supportOf(
  claim: string | Pick<Claim, 'plain' | 'terms'>,
  passage: string | CheckablePassage
): SupportScore {
  const { terms: passageTerms, flat } = typeof passage === 'string' ? checkable(passage) : passage;
  const claimTerms = typeof claim === 'string' ? contentTerms(claim) : claim.terms;
  const text = typeof claim === 'string' ? claim : claim.plain;
  let shared = 0;
  for (const t of claimTerms) if (passageTerms.has(t)) shared++;
  const missingExact = exactTokens(text).filter((t) => !flat.includes(t));
  const overlap = claimTerms.size === 0 ? 0 : shared / claimTerms.size;
  return { score: missingExact.length > 0 ? 0 : overlap, missingExact, terms: claimTerms.size };
}

/** A sentence of the report with the citation numbers it carries. */
export interface Claim {
  /** The sentence as written, citation markers included. */
  text: string;
  /** The sentence without its markers: what is checked. */
  plain: string;
  /** Its content words (contentTerms of plain). */
  terms: Set<string>;
  citations: number[];
  /** Where it is: the summary or the body. */
  part: 'summary' | 'body';
}

const CITATION = /\[(\d{1,4})\]/g;

/**
 * The claims of a Markdown text: its sentences, list items and table cells of prose, with their
 * citation numbers. Headings, code blocks and sentences with no content words are not claims.
 */
export function claimsOf(markdown: string, part: Claim['part']): Claim[] {
  const claims: Claim[] = [];
  let inFence = false;
  for (const rawLine of markdown.split('\n')) {
    const line = rawLine.trim();
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || !line || /^#{1,6}\s/.test(line) || /^\|?[\s:|-]+\|?$/.test(line)) continue;
    const body = line.replace(/^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '').replace(/^>\s?/, '');
    const first = claims.length;
    for (const sentence of splitSentences(body)) {
      const citations = [...sentence.matchAll(CITATION)].map((m) => Number(m[1]));
      const plain = sentence
        .replace(CITATION, '')
        .replace(/\s+/g, ' ')
        .replace(/ ([.,;:!?])/g, '$1')
        .trim();
      const terms = contentTerms(plain);
      if (terms.size === 0) continue;
      claims.push({ text: sentence, plain, terms, citations, part });
    }
    // A citation covers the sentences right before it in its paragraph that carry none ("…malloc/new
    // et al. So when the program exits… [1]"): they are checked against what it cites.
    let covering: number[] = [];
    for (let i = claims.length - 1; i >= first; i--) {
      const claim = claims[i]!;
      if (claim.citations.length > 0) covering = claim.citations;
      else claim.citations = covering;
    }
  }
  return claims;
}

/**
 * Sentence ends, keeping trailing citation markers with the sentence they follow (after the
 * brackets or quotes a sentence may end in: "…here.) [3]"). A sentence that
 * ends with its citation is over whatever opens the next (a name in lower case: "log_lock_waits
 * (boolean): Controls…"). A full stop inside brackets that are still open ("…carries a note
 * (\"This is a new conversation. The report is still the context.\"), shown by…") ends no claim:
 * the sentence, and its citation, run on.
 */
function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re =
    /[.!?]["')\]’”]*(?:\s*\[\d{1,4}\])+(?=\s+\S|\s*$)|[.!?]["')\]’”]*(?=\s+["'(`*_]?[\p{Lu}\p{N}`]|\s*$)/gu;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    const so = text.slice(start, end);
    const open = (so.match(/\(/g)?.length ?? 0) > (so.match(/\)/g)?.length ?? 0);
    if (open && /^[^()]{0,300}\)/.test(text.slice(end))) continue;
    const piece = so.trim();
    if (piece) out.push(piece);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
