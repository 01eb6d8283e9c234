import type { Client } from '@temporalio/client';
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ConversationClient } from '../client/conversation.js';
import type { ResearchClient } from '../client/research.js';
import type { AskResponse, ConversationResponse } from '../common/conversation-types.js';
import { splitQueues, type TemporalSettings } from '../common/temporal-settings.js';
import { HttpError, toHttpError, withUserErrorStatus, type UserErrorStatuses } from './errors.js';
import { jsonObjectBody, onlyFields } from './request-body.js';
import type { OpenStreams } from './open-streams.js';

export interface ConversationRouteOptions {
  client: Client;
  research: ResearchClient;
  settings: Pick<TemporalSettings, 'taskQueue'> &
    Partial<Pick<TemporalSettings, 'modelTaskQueue' | 'toolTaskQueue'>>;
  /** Counts an event stream against the caller's limit; returns its release. */
  openStream?: (c: Context) => () => void;
  /** The server's open streams: each stream runs in it and stops when the server closes. */
  streams: OpenStreams;
}

const UPDATE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The conversation endpoints of a research run (docs/conversations.md):
 *
 *   POST /api/research/:id/ask                  {question, wait?, updateId?} → the answer (wait: false → 202, follow the events)
 *   GET  /api/research/:id/conversation         the conversation: turns, questions in flight, history size
 *   POST /api/research/:id/conversation/close   closes it (a later question starts a new one)
 *   GET  /api/research/:id/conversation/events  server-sent events of the answers as they are written;
 *                                               resumes from Last-Event-ID or ?from=<offset>
 */
export function registerConversationRoutes(app: Hono, options: ConversationRouteOptions): void {
  const conversations = new ConversationClient({
    client: options.client,
    taskQueue: options.settings.taskQueue,
    research: options.research,
    taskQueues: splitQueues(options.settings),
  });

  app.post('/api/research/:id/ask', async (c) => {
    const id = c.req.param('id');
    const body = await jsonObjectBody(c);
    onlyFields(body, ['question', 'wait', 'updateId'], 'question');
    if (typeof body.question !== 'string')
      throw new HttpError(
        400,
        'invalid question: send {"question": "…"}',
        'add "wait": false to return at once'
      );
    if (body.wait !== undefined && typeof body.wait !== 'boolean')
      throw new HttpError(400, 'invalid question: "wait" must be true or false');
    if (body.updateId !== undefined && (typeof body.updateId !== 'string' || !UPDATE_ID.test(body.updateId)))
      throw new HttpError(
        400,
        'invalid question: "updateId" may hold 1-100 letters, digits and . _ : - only'
      );
    const options = typeof body.updateId === 'string' ? { updateId: body.updateId } : {};
    return answered(async () => {
      if (body.wait === false) {
        const { conversationId, updateId, offset } = await conversations.submit(
          id,
          body.question as string,
          options
        );
        return c.json({ conversationId, updateId, offset }, 202);
      }
      const answer: AskResponse = await conversations.ask(id, body.question as string, options);
      return c.json(answer);
    });
  });

  app.get('/api/research/:id/conversation', async (c) => {
    const body: ConversationResponse = await answered(() => conversations.view(c.req.param('id')));
    return c.json(body);
  });

  app.post('/api/research/:id/conversation/close', async (c) =>
    c.json(await answered(() => conversations.close(c.req.param('id'))))
  );

  app.get('/api/research/:id/conversation/events', async (c) => {
    const id = c.req.param('id');
    const { execution, view } = await answered(() => conversations.view(id));
    if (execution !== 'RUNNING' || !view)
      throw new HttpError(
        404,
        `no open conversation about ${id} (${execution})`,
        'POST /api/research/:id/ask starts one'
      );
    const from = resumeOffset(c) ?? view.streamOffset;
    const release = options.openStream?.(c) ?? (() => {});
    return streamSSE(c, (stream) =>
      options.streams.run(async (stop) => {
        const abort = new AbortController();
        stream.onAbort(() => abort.abort());
        stop.addEventListener('abort', () => abort.abort(), { once: true });
        try {
          for await (const item of conversations.follow(id, from, abort.signal)) {
            for (const [i, event] of item.events.entries()) {
              // The id (the offset to resume from) goes on an item's last event: a reconnect resumes after it.
              const last = i === item.events.length - 1;
              await stream.writeSSE({
                event: event.type,
                data: JSON.stringify(event),
                ...(last ? { id: String(item.offset + 1) } : {}),
              });
            }
          }
          if (!abort.signal.aborted)
            await stream.writeSSE({ event: 'end', data: JSON.stringify({ closed: true }) });
        } catch (err) {
          if (!abort.signal.aborted)
            await stream.writeSSE({ event: 'problem', data: JSON.stringify(toHttpError(err).body.error) });
        } finally {
          abort.abort();
          release();
        }
      })
    );
  });
}

/** `Last-Event-ID` (an EventSource reconnecting) or `?from=`: the stream offset to resume from. */
function resumeOffset(c: Context): number | undefined {
  const given = c.req.header('last-event-id') ?? c.req.query('from');
  if (given === undefined || given === '') return undefined;
  const n = Number(given);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new HttpError(
      400,
      `not a stream offset: ${given.slice(0, 40)}`,
      'pass ?from=<offset>, a whole number'
    );
  return n;
}

/** The conversation's user errors with their HTTP status. */
const CONVERSATION_ERRORS: UserErrorStatuses = {
  notFound: /^no research run with id|no (open )?conversation/,
  conflict: /has not finished yet|without a report|is closed|handing over|questions are waiting/,
};

function answered<T>(fn: () => Promise<T>): Promise<T> {
  return withUserErrorStatus(CONVERSATION_ERRORS, fn);
}
