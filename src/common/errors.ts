/**
 * An error caused by the user's input or environment. The CLI prints its message and hint
 * (never a stack trace) and exits with status 2.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message);
  }
}

/** No worker answered a Query or Update in time: nothing polls the run's task queue right now. */
export class NoWorkerError extends UserError {
  override name = 'NoWorkerError';
}
