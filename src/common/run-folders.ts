import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';

const SAFE_ID = /^[a-z0-9_-][a-z0-9._-]*$/;
const MAX_ID_CHARS = 80;

/**
 * Maps a workflow id to a folder or file name, deterministically: the rule every store keyed by a
 * run follows (artifacts, traces). Ids that are already safe (lower-case letters, digits, `._-`,
 * not starting with a dot, at most 80 chars) are used as they are; any other id is cleaned and
 * suffixed with a hash of the original, so distinct ids never share a name — also on
 * case-insensitive file systems.
 */
export function safeWorkflowFolder(workflowId: string): string {
  if (typeof workflowId !== 'string' || workflowId.length === 0) {
    throw ApplicationFailure.create({
      type: 'InvalidArtifactKey',
      message: 'workflow id must be a non-empty string',
      nonRetryable: true,
    });
  }
  if (workflowId.length <= MAX_ID_CHARS && SAFE_ID.test(workflowId)) return workflowId;
  const cleaned = workflowId
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, MAX_ID_CHARS);
  const hash = createHash('sha256').update(workflowId, 'utf8').digest('hex').slice(0, 12);
  return `${cleaned}-${hash}`;
}
