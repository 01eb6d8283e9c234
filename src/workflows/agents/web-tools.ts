import { tool, type Tool } from '@openai/agents-core';
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { WEB_MODEL_FIXABLE } from '../../activities/web/types.js';
import type { Evidence } from '../citations.js';
import type { WebToolActivities } from '../research/activities.js';
import { stringParameters } from './tool-parameters.js';

/** A URL the run did not read, and why (refused for safety, robots.txt, not found…). */
export interface UnreadUrl {
  url: string;
  reason: string;
}

const FIXABLE = new Set<string>(WEB_MODEL_FIXABLE);

/**
 * The searcher's web tools: webSearch and fetchPage, each call an activity. Passages of fetched
 * pages are recorded in `found` (the evidence a report may cite); a URL refused or unreadable goes
 * back to the model as the tool's result (it can pick another) and is recorded in `unread`.
 */
export function webTools(
  activities: WebToolActivities,
  question: string,
  found: Map<string, Evidence>,
  unread: UnreadUrl[]
): Tool[] {
  return [
    tool({
      name: 'webSearch',
      description: 'Search the web. Returns results with title, url and snippet; read one with fetchPage.',
      parameters: stringParameters({ query: 'Key terms to search for.' }),
      errorFunction: (_ctx, error) => fixableText(error, undefined, unread),
      execute: async (args) => activities.webSearch({ query: (args as { query: string }).query, limit: 5 }),
    }),
    tool({
      name: 'fetchPage',
      description:
        'Read a web page by its URL. Returns its passages that match the query, with a sourceId each.',
      parameters: stringParameters({
        url: 'An http(s) URL returned by webSearch.',
        query: 'What to look for on the page.',
      }),
      errorFunction: (_ctx, error) => fixableText(error, undefined, unread),
      execute: async (args) => {
        const { url, query } = args as { url: string; query: string };
        try {
          const page = await activities.fetchPage({ url, query, question, limit: 3 });
          for (const hit of page.results) found.set(hit.sourceId, hit);
          return page;
        } catch (err) {
          return fixableText(err, url, unread);
        }
      },
    }),
  ];
}

/** A failure the model can work around, as the tool's text (recorded when it is about a URL); others rethrown. */
function fixableText(error: unknown, url: string | undefined, unread: UnreadUrl[]): string {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && FIXABLE.has(cause.type ?? '')) {
    if (url) unread.push({ url, reason: `${cause.type}: ${cause.message}`.slice(0, 300) });
    return `Tool error (${cause.type}): ${cause.message}`;
  }
  throw error;
}
