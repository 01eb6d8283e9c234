import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

// How the workflow reads a failure: what actually went wrong (the innermost application failure),
// whether retrying can help, and which tool errors go back to the model instead of failing a step.

/** Failure types of a model answer that came back in an unusable shape (worker repair, Agents SDK parse). */
const UNUSABLE_OUTPUT = new Set(['ModelOutputInvalid', 'ModelBehaviorError']);

/** Tool failures a model can fix itself (a blank query, an unknown sourceId). */
const MODEL_FIXABLE = new Set(['InvalidQuery', 'SourceNotFound']);

/** The chain of an error: `cause` links, and the `error` field the Agents SDK uses for tool failures. */
export function chainOf(err: unknown): Error[] {
  const chain: Error[] = [];
  let e: unknown = err;
  while (e instanceof Error && !chain.includes(e) && chain.length < 10) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause ?? (e as { error?: unknown }).error;
  }
  return chain;
}

/** The innermost application failure: the error a tool or model call actually raised. */
export function rootFailure(err: unknown): ApplicationFailure | undefined {
  return chainOf(err)
    .filter(
      (e): e is ApplicationFailure => e instanceof ApplicationFailure && e.type !== 'AgentsWorkflowError'
    )
    .at(-1);
}

/**
 * The model answered, but not in a usable shape, even after the worker's repair turn (or the Agents
 * SDK could not parse it): asking again the same way will not help, a deterministic fallback may.
 */
export function isUnusableModelOutput(err: unknown): boolean {
  return chainOf(err).some(
    (e) =>
      UNUSABLE_OUTPUT.has(e.name) || (e instanceof ApplicationFailure && UNUSABLE_OUTPUT.has(e.type ?? ''))
  );
}

export function isRetryable(err: unknown): boolean {
  return !(rootFailure(err)?.nonRetryable ?? false);
}

/** One line for the status and the report: `Type: message` of the root failure, bounded. */
export function describeError(err: unknown): string {
  const root = rootFailure(err);
  if (root) return `${root.type ? `${root.type}: ` : ''}${root.message}`.slice(0, 500);
  const last = chainOf(err).at(-1);
  return (last?.message ?? String(err)).slice(0, 500);
}

/**
 * A tool's `errorFunction`: mistakes the model can fix go back to it as the tool's result; any
 * other failure is rethrown and fails the step (its retries are Temporal's).
 */
export function modelFacingErrors(_ctx: unknown, error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && MODEL_FIXABLE.has(cause.type ?? '')) {
    return `Tool error (${cause.type}): ${cause.message}`;
  }
  throw error;
}

/** The error an Update validator raises to reject a message before it enters history. */
export function rejectIf(message: string | undefined): void {
  if (message) throw new Error(message);
}
