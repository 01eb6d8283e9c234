import { ApplicationFailure } from '@temporalio/common';

/** Error types raised by the corpus activities; all are non-retryable (retrying cannot help). */
export const CorpusErrorType = {
  NotFound: 'CorpusNotFound',
  Empty: 'CorpusEmpty',
  InvalidQuery: 'InvalidQuery',
  SourceNotFound: 'SourceNotFound',
} as const;
export type CorpusErrorType = (typeof CorpusErrorType)[keyof typeof CorpusErrorType];

export function corpusFailure(type: CorpusErrorType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}
