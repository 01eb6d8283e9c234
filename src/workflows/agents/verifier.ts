import type { Agent } from '@openai/agents-core';
import { z } from 'zod';
import { structuredAgent } from './structured.js';

const INSTRUCTIONS =
  'You check a report against its sources. For each claim you get the passages it cites. A claim is ' +
  'supported only when the passages state it (a faithful paraphrase counts; a plausible inference, a ' +
  'different number or name, or general knowledge does not). Judge every claim, independently.';

export const ClaimVerdicts = z.object({
  verdicts: z
    .array(
      z.object({
        id: z.number().int().describe('The id of the claim judged.'),
        supported: z.boolean().describe('True only when the passages state what the claim says.'),
        reason: z.string().describe('One short sentence: what in the passages supports or contradicts it.'),
      })
    )
    .describe('One verdict per claim, in the order given.'),
});
export type ClaimVerdicts = z.infer<typeof ClaimVerdicts>;

/**
 * Judges claims that the deterministic support score doubts (typically paraphrases): is each one
 * stated by the passages it cites? It sees only the claim and those passages — separate from the
 * writer's reasoning, so it cannot lean on what the writer meant.
 */
export const verifierAgent = (): Agent<unknown, typeof ClaimVerdicts> =>
  structuredAgent('Verifier', ClaimVerdicts, INSTRUCTIONS);
