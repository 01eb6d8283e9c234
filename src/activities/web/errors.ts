import { ApplicationFailure } from '@temporalio/common';
import { WEB_NON_RETRYABLE, type WebErrorType } from './types.js';

/** Longest Retry-After honoured; a longer wait is cut to this (the next attempt may be told again). */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * The failure of a web activity. Retryability follows the type (WEB_NON_RETRYABLE); a retryable
 * failure carries the server's Retry-After as the next retry delay. `details` say what was
 * refused or failed, for the status view, and never hold a key.
 */
export function webFailure(
  type: WebErrorType,
  message: string,
  options: { retryAfterMs?: number; details?: Record<string, unknown>; cause?: Error } = {}
): ApplicationFailure {
  const nonRetryable = WEB_NON_RETRYABLE.includes(type);
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable,
    ...(!nonRetryable && options.retryAfterMs !== undefined
      ? { nextRetryDelay: Math.min(MAX_RETRY_AFTER_MS, Math.max(0, options.retryAfterMs)) }
      : {}),
    ...(options.details ? { details: [options.details] } : {}),
    ...(options.cause ? { cause: options.cause } : {}),
  });
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export function isWebFailure(err: unknown, type?: WebErrorType): err is ApplicationFailure {
  return err instanceof ApplicationFailure && (type === undefined || err.type === type);
}
