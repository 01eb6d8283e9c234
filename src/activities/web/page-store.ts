/**
 * Fetched pages in the artifact store, keyed by the run and the requested URL: the extracted text
 * (not the raw bytes) with where and when it was read. A retried or repeated fetch of the same URL
 * in the same run reads this copy instead of the network, so the run's passages (and the citations
 * pointing at their lines) never change under it. A direct call (outside any activity) uses a
 * shared `web-pages` folder.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { artifactPath, writeArtifact } from '../artifacts.js';
import type { ExtractedDocument } from '../corpus/extract.js';
import type { PageKind } from './types.js';

/** Bump when the stored shape or the extraction changes: older copies are then fetched anew. */
export const PAGE_FORMAT = 1;

export interface StoredPage {
  format: number;
  requestedUrl: string;
  /** The URL read, after redirects. */
  url: string;
  redirects: string[];
  status: number;
  contentType: string;
  kind: PageKind;
  bytes: number;
  fetchedAt: string;
  title: string;
  doc: ExtractedDocument;
}

/**
 * The folder of the current run's pages: the workflow id of the activity's workflow; for an
 * activity started on its own, `activity-<activity id>` (its retries share it).
 */
export function storeKey(): string {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return 'web-pages'; // not inside an activity
  }
  return info.workflowExecution?.workflowId ?? `activity-${info.activityId}`;
}

export function pageName(requestedUrl: string): string {
  return `web-${createHash('sha256').update(requestedUrl).digest('hex').slice(0, 32)}.json`;
}

/** The stored copy of `requestedUrl` in `key`, if there is a complete one of the current format. */
export async function loadPage(key: string, requestedUrl: string): Promise<StoredPage | undefined> {
  let text: string;
  try {
    text = await readFile(artifactPath(key, pageName(requestedUrl)), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const page = JSON.parse(text) as StoredPage;
    return page.format === PAGE_FORMAT && page.requestedUrl === requestedUrl ? page : undefined;
  } catch {
    return undefined; // unreadable copy: fetched again and overwritten
  }
}

export async function savePage(key: string, page: StoredPage): Promise<string> {
  const ref = await writeArtifact(key, pageName(page.requestedUrl), JSON.stringify(page));
  return ref.path;
}
