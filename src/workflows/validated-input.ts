import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';

/**
 * A workflow's input, validated: a bad one fails the run at once (non-retryable) with every problem
 * named. `what` names the input in the message ("research").
 */
export function validatedInput<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid ${what} input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'InvalidInput'
    );
  }
  return parsed.data;
}
