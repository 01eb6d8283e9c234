import type { BoilerplateKind } from '../activities/corpus/boilerplate.js';
import type { Citation } from '../common/research-types.js';

/** A passage found by a search: what a citation can point to. */
export interface Evidence {
  sourceId: string;
  path: string;
  title: string;
  excerpt: string;
  /** Licence text, table of contents, navigation, changelog…: ranked down by the search. */
  boilerplate?: boolean;
  /**
   * Which boilerplate. A licence, contents, navigation, footer or badges are never a claim's only
   * support; release notes ('changelog') are the project's own statements and support what they say.
   */
  boilerplateKind?: BoilerplateKind;
  /** For a web page: when it was fetched. */
  fetchedAt?: string;
}

/**
 * Turns the writer's `[sourceId]` markers into numbered citations `[1]`, `[2]`… in order of first
 * appearance. Markers naming unknown sources are dropped (a citation must point to real evidence);
 * a bracket may name several sources separated by `,` or `;`. The texts (summary, body) share one numbering.
 */
export function numberCitations(
  texts: string[],
  evidence: Map<string, Evidence>
): { texts: string[]; citations: Citation[] } {
  const numbers = new Map<string, number>();
  const citations: Citation[] = [];
  const numberOf = (id: string): number => {
    let n = numbers.get(id);
    if (n === undefined) {
      const e = evidence.get(id)!;
      n = citations.length + 1;
      numbers.set(id, n);
      citations.push({
        n,
        sourceId: id,
        path: e.path,
        title: e.title,
        excerpt: e.excerpt.slice(0, 400),
        ...(e.fetchedAt ? { fetchedAt: e.fetchedAt } : {}),
      });
    }
    return n;
  };
  const replace = (markdown: string) =>
    markdown.replace(/\[([^\]\n]{1,400})\](?!\()/g, (whole, inner: string) => {
      const ids = inner.split(/[;,]\s*/).map((s) => s.trim().replace(/^source:\s*/i, ''));
      if (ids.length === 0 || !ids.every((id) => evidence.has(id))) {
        // Not a citation of ours (a checkbox "[ ]", a link text, or an invented source): keep real markdown, drop fake ids.
        return ids.some((id) => /#/.test(id)) && !ids.some((id) => evidence.has(id)) ? '' : whole;
      }
      return ids.map((id) => `[${numberOf(id)}]`).join('');
    });
  return { texts: texts.map(replace), citations };
}

/** One text's citations (see numberCitations). */
export function collectCitations(
  markdown: string,
  evidence: Map<string, Evidence>
): { markdown: string; citations: Citation[] } {
  const { texts, citations } = numberCitations([markdown], evidence);
  return { markdown: texts[0]!, citations };
}
