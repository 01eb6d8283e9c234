import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import type { ResearchClient } from '../client/research.js';
import type { Decided } from '../client/review.js';
import { resolveWriteTarget } from '../client/write-target.js';
import { UserError } from '../common/errors.js';
import { REVIEW_LIMITS, ReplacementPlan } from '../workflows/review-input.js';
import { isWithin } from './corpus-roots.js';
import { HttpError, withUserErrorStatus, type UserErrorStatuses } from './errors.js';
import { issues, jsonObjectBody, onlyFields } from './request-body.js';

/** The review fields API clients may send when they start a run. */
export const REVIEW_START_FIELDS = [
  'reviewPlan',
  'writeTo',
  'reviewTimeout',
  'onReviewTimeout',
  'approveTools',
] as const;

const WRITE_ROOT_HINT =
  `start \`steadfast serve\` with STEADFAST_WRITE_ROOTS=DIR1${path.delimiter}DIR2 naming the folders ` +
  'whose files API clients may have runs write (after a person approves each diff)';

export interface ReviewRouteOptions {
  research: ResearchClient;
  /** Set when the API requires a token (a decision is then recorded as the token's). */
  token?: string;
  clientAddress(c: Context): string;
}

/** The real paths of STEADFAST_WRITE_ROOTS (read on each request: an operator's change applies at once). */
function writeRoots(env = process.env): string[] {
  return (env.STEADFAST_WRITE_ROOTS ?? '')
    .split(path.delimiter)
    .map((r) => r.trim())
    .filter(Boolean)
    .flatMap((r) => {
      try {
        const real = realpathSync(r);
        return statSync(real).isDirectory() && real !== path.parse(real).root ? [real] : [];
      } catch {
        return [];
      }
    });
}

/**
 * The file a run started through the API may write: only under the operator's write roots (real
 * paths, symlinks resolved), never a folder or a link. 403 outside them or without any.
 */
export function allowedWriteTarget(writeTo: string | undefined): string | undefined {
  if (writeTo === undefined) return undefined;
  const roots = writeRoots();
  if (roots.length === 0)
    throw new HttpError(403, 'this server lets no API client write files (writeTo)', WRITE_ROOT_HINT);
  let file: string;
  try {
    file = resolveWriteTarget(writeTo);
  } catch (err) {
    if (err instanceof UserError) throw new HttpError(400, err.message, err.hint);
    throw err;
  }
  const folder = realpathSync(path.dirname(file));
  if (!roots.some((r) => isWithin(r, folder)))
    throw new HttpError(403, `writeTo ${file} is outside the write roots of this server`, WRITE_ROOT_HINT);
  return path.join(folder, path.basename(file));
}

/** Who decides through the API: the token's label (STEADFAST_API_TOKEN_LABEL) or the caller's address. */
function reviewer(c: Context, options: ReviewRouteOptions): string {
  const label = process.env.STEADFAST_API_TOKEN_LABEL?.trim();
  const who = options.token ? (label ? `api:${label}` : 'api:token') : 'api';
  return `${who}@${options.clientAddress(c)}`.slice(0, REVIEW_LIMITS.byChars);
}

/**
 * The review endpoints of a research run (docs/review.md):
 *
 *   POST /api/research/:id/approve   {plan?, callId?, reason?}  the plan (or a replacement), or a tool call such as the write
 *   POST /api/research/:id/reject    {callId?, reason?}         the plan (the run ends rejected) or a tool call
 *   POST /api/research/:id/rollback  {force?, reason?}          undo the run's approved write
 */
export function registerReviewRoutes(app: Hono, options: ReviewRouteOptions): void {
  const { research } = options;

  app.post('/api/research/:id/approve', async (c) => {
    const body = await jsonObjectBody(c);
    onlyFields(body, ['plan', 'callId', 'reason'], 'approval');
    const plan = body.plan === undefined ? undefined : parsePlan(body.plan);
    const decided = await reviewed(() =>
      research.approve(c.req.param('id'), {
        by: reviewer(c, options),
        ...common(body),
        ...(plan ? { plan } : {}),
      })
    );
    return c.json(decisionBody(decided));
  });

  app.post('/api/research/:id/reject', async (c) => {
    const body = await jsonObjectBody(c);
    onlyFields(body, ['callId', 'reason'], 'rejection');
    const decided = await reviewed(() =>
      research.reject(c.req.param('id'), { by: reviewer(c, options), ...common(body) })
    );
    return c.json(decisionBody(decided));
  });

  app.post('/api/research/:id/rollback', async (c) => {
    const body = c.req.header('content-type') ? await jsonObjectBody(c) : {};
    onlyFields(body, ['force', 'reason'], 'rollback');
    if (body.force !== undefined && typeof body.force !== 'boolean')
      throw new HttpError(400, 'invalid rollback: "force" must be true or false');
    const { reason } = common(body);
    const done = await reviewed(() =>
      research.rollback(c.req.param('id'), {
        by: reviewer(c, options),
        force: body.force === true,
        ...(reason ? { reason } : {}),
      })
    );
    return c.json({ ...done.record, rollbackWorkflowId: done.rollbackWorkflowId, already: done.already });
  });
}

function common(body: Record<string, unknown>): { reason?: string; callId?: string } {
  const { reason, callId } = body;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > REVIEW_LIMITS.reasonChars))
    throw new HttpError(
      400,
      `invalid decision: "reason" must be a string of at most ${REVIEW_LIMITS.reasonChars} characters`
    );
  if (
    callId !== undefined &&
    (typeof callId !== 'string' || callId.length === 0 || callId.length > REVIEW_LIMITS.callIdChars)
  )
    throw new HttpError(
      400,
      `invalid decision: "callId" must be a string of 1-${REVIEW_LIMITS.callIdChars} characters`
    );
  return { ...(reason ? { reason } : {}), ...(callId ? { callId } : {}) };
}

function parsePlan(raw: unknown) {
  const searches = Array.isArray(raw) ? raw.map((s) => (typeof s === 'string' ? { query: s } : s)) : raw;
  const parsed = ReplacementPlan.safeParse(searches);
  if (!parsed.success)
    throw new HttpError(
      400,
      `invalid plan: ${issues(parsed.error)}`,
      `send "plan": ["query", {"query": "…", "reason": "…"}] with 1-${REVIEW_LIMITS.planSearches} searches`
    );
  return parsed.data;
}

function decisionBody(decided: Decided) {
  return { stage: decided.stage, decision: decided.decision ?? null, status: decided.status };
}

/** The review's user errors with their HTTP status. */
const REVIEW_ERRORS: UserErrorStatuses = {
  notFound: /^no research run with id/,
  conflict:
    /waiting|wait for a decision|already decided|has not completed|wrote no file|refused|^rejected by/,
};

function reviewed<T>(fn: () => Promise<T>): Promise<T> {
  return withUserErrorStatus(REVIEW_ERRORS, fn);
}
