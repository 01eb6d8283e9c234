import type { Citation, ClaimCheck, Verification } from '../../common/research-types.js';
import { verifierAgent } from '../agents/verifier.js';
import type { Evidence } from '../citations.js';
import { checkable, claimsOf, supportOf, type CheckablePassage, type Claim } from '../support.js';
import type { RunAgent } from './agent-runner.js';

/** A claim is supported when at least this share of its content words is in a cited passage. */
export const SUPPORT_THRESHOLD = 0.5;
/** Claims with fewer content words ("Yes [1].") cannot be checked by word overlap. */
const MIN_CHECKABLE_TERMS = 3;
const MARK = '(not supported by the cited source)';
const UNCITED_MARK = '(no source cited)';
/**
 * A sentence about the evidence itself ("The evidence found does not answer…", "The closest
 * passages cover…", "The provided sources do not mention…"): no claim about the subject to check.
 */
const ABOUT_THE_EVIDENCE =
  /^(?:the|these|those|this)\s+(?:\w+\s+){0,2}(?:evidence|passages?|sources?|documents?|excerpts?|search results?)\b/i;
const MAX_VERIFIED_CLAIMS = 20;

interface Checked extends ClaimCheck {
  text: string;
}

/**
 * Checks every claim of the report against the passages it cites and marks the unsupported ones
 * in the text. A claim is supported when one cited passage that is not boilerplate (licence,
 * table of contents, navigation) holds enough of its words and every number and code identifier
 * it names. With `verifier`, the claims the score doubts go to a verifier agent, which may confirm
 * them (real models paraphrase); nothing is dropped silently: unsupported claims stay in the
 * report, marked, and are listed in the result.
 */
export async function verifyReport(
  texts: { summary: string; markdown: string },
  citations: Citation[],
  evidence: ReadonlyMap<string, Evidence>,
  options: { verifier?: RunAgent } = {}
): Promise<{ summary: string; markdown: string; verification: Verification }> {
  const bySource: Sources = new Map(citations.map((c) => [c.n, evidence.get(c.sourceId)]));
  // Each passage is read once, however many claims (and citation numbers) cite it: this runs in
  // the workflow task.
  const read = new Map<Evidence, CheckablePassage>();
  const readPassage = (passage: Evidence) => {
    let out = read.get(passage);
    // The headings a passage is under are the document's words too ("… › Version 2.5.3").
    if (!out) read.set(passage, (out = checkable(`${passage.title}\n${passage.excerpt}`)));
    return out;
  };
  const claims = [...claimsOf(texts.summary, 'summary'), ...claimsOf(texts.markdown, 'body')];
  const checked: Checked[] = [];
  let uncitedSummary = 0;
  for (const claim of claims) {
    if (claim.citations.length === 0) {
      if (
        claim.part === 'summary' &&
        claim.terms.size >= MIN_CHECKABLE_TERMS &&
        !ABOUT_THE_EVIDENCE.test(claim.plain)
      ) {
        uncitedSummary++;
        checked.push(uncited(claim));
      }
      continue;
    }
    const check = scoreClaim(claim, bySource, readPassage);
    if (check) checked.push(check);
  }
  const doubtful = checked.filter((c) => !c.supported && c.citations.length > 0);
  if (options.verifier && doubtful.length > 0) {
    await confirmWithVerifier(doubtful.slice(0, MAX_VERIFIED_CLAIMS), bySource, options.verifier);
  }
  const unsupported = checked.filter((c) => !c.supported);
  const cited = checked.filter((c) => c.citations.length > 0);
  return {
    summary: mark(
      texts.summary,
      unsupported.filter((c) => c.part === 'summary')
    ),
    markdown: mark(
      texts.markdown,
      unsupported.filter((c) => c.part === 'body')
    ),
    verification: {
      method: options.verifier ? 'support-score+verifier' : 'support-score',
      checked: cited.length,
      supported: cited.filter((c) => c.supported).length,
      unsupported: unsupported.map(({ text: _text, ...check }) => check),
      uncitedSummary,
    },
  };
}

type Sources = Map<number, Evidence | undefined>;

/**
 * Boilerplate that supports no claim on its own: licence text, contents, navigation, footers,
 * badges (and any passage flagged without saying which). Release notes do: a changelog or NEWS
 * entry is the project's own statement of what its software does, ranked down by the search
 * only because most of it is about something else.
 */
function noSupport(passage: Evidence): boolean {
  return passage.boilerplate === true && passage.boilerplateKind !== 'changelog';
}

function scoreClaim(
  claim: Claim,
  bySource: Sources,
  readPassage: (passage: Evidence) => CheckablePassage
): Checked | undefined {
  let best = { score: 0, missingExact: [] as string[], terms: 0 };
  let content = 0;
  for (const n of claim.citations) {
    const passage = bySource.get(n);
    if (!passage || noSupport(passage)) continue;
    content++;
    const s = supportOf(claim, readPassage(passage));
    if (s.terms < MIN_CHECKABLE_TERMS) return undefined;
    if (s.score > best.score || best.terms === 0) best = s;
  }
  const base = {
    part: claim.part,
    claim: claim.plain.slice(0, 300),
    citations: claim.citations,
    text: claim.text,
  };
  if (content === 0) {
    return {
      ...base,
      score: 0,
      supported: false,
      note: 'cites only boilerplate (a licence, changelog, navigation or contents)',
    };
  }
  const supported = best.score >= SUPPORT_THRESHOLD;
  const note = supported
    ? undefined
    : best.missingExact.length > 0
      ? `the cited passage does not contain ${best.missingExact.slice(0, 3).join(', ')}`
      : `only ${Math.round(best.score * 100)}% of its words are in the cited passage`;
  return { ...base, score: round(best.score), supported, ...(note ? { note } : {}) };
}

function uncited(claim: Claim): Checked {
  return {
    part: claim.part,
    claim: claim.plain.slice(0, 300),
    citations: [],
    text: claim.text,
    score: 0,
    supported: false,
    note: 'cites no source',
  };
}

async function confirmWithVerifier(
  doubtful: Checked[],
  bySource: Sources,
  runAgent: RunAgent
): Promise<void> {
  const brief = {
    claims: doubtful.map((c, id) => ({
      id,
      claim: c.claim,
      passages: c.citations
        .map((n) => bySource.get(n))
        .filter((p): p is Evidence => p !== undefined && !noSupport(p))
        .map((p) => ({ sourceId: p.sourceId, text: p.excerpt })),
    })),
  };
  const { verdicts } = await runAgent(verifierAgent(), JSON.stringify(brief));
  for (const v of verdicts) {
    const claim = doubtful[v.id];
    if (!claim || !v.supported || claim.note?.startsWith('cites only boilerplate')) continue;
    claim.supported = true;
    claim.note = `confirmed by the verifier: ${v.reason.trim().slice(0, 200)}`;
  }
}

/** Appends the mark after each unsupported sentence (first occurrence after the previous one). */
function mark(text: string, unsupported: Checked[]): string {
  let out = text;
  let from = 0;
  for (const c of unsupported) {
    const at = out.indexOf(c.text, from);
    if (at < 0) continue;
    const end = at + c.text.length;
    const label = c.citations.length === 0 ? UNCITED_MARK : MARK;
    out = `${out.slice(0, end)} ${label}${out.slice(end)}`;
    from = end + label.length + 1;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
