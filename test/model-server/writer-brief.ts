/** The evidence of a writer's brief made of search hits, as the offline writer reads it. */
import { evidenceFor } from '../../src/model-server/evidence.js';
import { extractMaterial } from '../../src/model-server/material.js';

export interface BriefHit {
  sourceId: string;
  title: string;
  excerpt: string;
}

/** A brief asking `question`, with one searchCorpus call (`query`) that returned `hits`. */
export function briefEvidence(question: string, hits: BriefHit[], query = 'the question') {
  return evidenceFor(
    extractMaterial({
      model: 'm',
      instructions: 'You answer a research question from the evidence. Cite it as [sourceId].',
      items: [
        { kind: 'message', role: 'user', text: question },
        { kind: 'call', name: 'searchCorpus', callId: 'c1', arguments: JSON.stringify({ query }) },
        { kind: 'output', callId: 'c1', name: 'searchCorpus', text: JSON.stringify({ results: hits }) },
      ],
      tools: [],
      toolChoice: 'auto',
    })
  );
}
