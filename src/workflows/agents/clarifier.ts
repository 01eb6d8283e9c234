import type { Agent } from '@openai/agents-core';
import { z } from 'zod';
import { structuredAgent } from './structured.js';

export const MIN_QUESTIONS = 2;
export const MAX_QUESTIONS = 4;

export const ClarifyingQuestions = z.object({
  questions: z
    .array(z.string().describe('One short question (under 300 characters).'))
    .min(MIN_QUESTIONS)
    .max(MAX_QUESTIONS)
    .describe('Short, concrete questions whose answers change what to research.'),
});
export type ClarifyingQuestions = z.infer<typeof ClarifyingQuestions>;

/** Writes 2–4 clarifying questions for the asker. */
export function clarifierAgent(): Agent<unknown, typeof ClarifyingQuestions> {
  return structuredAgent(
    'Clarifier',
    ClarifyingQuestions,
    `Write ${MIN_QUESTIONS} to ${MAX_QUESTIONS} clarifying questions for the research question. Each question ` +
      'is one sentence, asks about one thing, and can be answered in a few words. Do not answer the question.'
  );
}
