import { NoWorkerError, UserError } from '../common/errors.js';

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 429 | 500 | 503,
    message: string,
    readonly hint?: string,
    /** Sent as Retry-After (seconds) with a 429. */
    readonly retryAfterSeconds?: number
  ) {
    super(message);
  }
}

/** Maps an error to an HTTP status and the JSON body `{error: {message, hint?}}`. */
export function toHttpError(err: unknown): {
  status: number;
  body: { error: { message: string; hint?: string } };
} {
  if (err instanceof HttpError)
    return {
      status: err.status,
      body: { error: { message: err.message, ...(err.hint ? { hint: err.hint } : {}) } },
    };
  if (err instanceof UserError) {
    const m = err.message;
    const status = /^no research run with id/.test(m)
      ? 404
      : /^invalid research request/.test(m)
        ? 400
        : /no clarifying questions are waiting|^rejected by|has already ended|plan review/.test(m)
          ? 409
          : /^cannot answer/.test(m)
            ? 400
            : /^cannot read the status/.test(m)
              ? 503
              : 400;
    return { status, body: { error: { message: m, ...(err.hint ? { hint: err.hint } : {}) } } };
  }
  const failureType = (err as { type?: string; name?: string })?.type;
  if (failureType === 'SourceNotFound' || failureType === 'CorpusNotFound') {
    return { status: 404, body: { error: { message: (err as Error).message } } };
  }
  return {
    status: 500,
    body: { error: { message: `internal error: ${(err as Error)?.message ?? String(err)}` } },
  };
}

/** Which user errors of a group of routes mean "no such thing" and which "not now", by their message. */
export interface UserErrorStatuses {
  notFound: RegExp;
  conflict: RegExp;
}

/**
 * Runs `fn`, its user errors turned into HTTP errors: 503 when no worker answers, 404 or 409 when
 * the message says so, 400 otherwise. Other errors pass unchanged.
 */
export async function withUserErrorStatus<T>(statuses: UserErrorStatuses, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const m = err.message;
    const status =
      err instanceof NoWorkerError
        ? 503
        : statuses.notFound.test(m)
          ? 404
          : statuses.conflict.test(m)
            ? 409
            : 400;
    throw new HttpError(status, m, err.hint);
  }
}
