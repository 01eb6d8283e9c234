import type { Agent } from '@openai/agents-core';
import { z } from 'zod';
import { structuredAgent } from './structured.js';

export const TriageDecision = z.object({
  needsClarification: z
    .boolean()
    .describe('True when the answer depends on facts about the asker that the question leaves open.'),
  reason: z.string().describe('One sentence: why clarification is or is not needed.'),
});
export type TriageDecision = z.infer<typeof TriageDecision>;

/** Decides whether the research question needs clarifying questions before planning. */
export function triageAgent(): Agent<unknown, typeof TriageDecision> {
  return structuredAgent(
    'Triage',
    TriageDecision,
    'You triage research requests. Decide whether the question can be researched as asked, or whether ' +
      'the answer depends on the asker’s situation (stack, scale, constraints, audience) that the question ' +
      'leaves open. Ask for clarification only when it would change the research plan.'
  );
}
