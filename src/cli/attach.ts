import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { ResearchClient } from '../client/research.js';
import { UserError } from '../common/errors.js';
import { ProgressPrinter } from './progress.js';
import { reviewNotice } from './commands/review.js';
import type { LiveStatus, ResearchResult } from '../common/research-types.js';

export interface AttachOptions {
  /** Answers to send when questions arrive (from --answers FILE). */
  answers?: string[];
  /** Ask the questions at the terminal prompt. */
  interactive: boolean;
  showProgress: boolean;
  pollMs?: number;
}

export type AttachOutcome =
  { kind: 'result'; result: ResearchResult } | { kind: 'detached' } | { kind: 'ended'; status: LiveStatus };

/**
 * Follows a run until it ends: shows progress, answers its clarifying questions (from a file or
 * the terminal; another shell answering first is noticed), and returns the result. Ctrl-C detaches
 * and leaves the run going.
 */
export async function attach(
  research: ResearchClient,
  workflowId: string,
  options: AttachOptions
): Promise<AttachOutcome> {
  const started = Date.now();
  const progress = new ProgressPrinter(process.stderr, options.showProgress);
  const detach = new AbortController();
  const onSigint = () => detach.abort();
  // `on`, not `once`: while any listener remains, the Agents SDK's own SIGINT hook does not exit the process.
  process.on('SIGINT', onSigint);
  let answeredFromFile = false;
  let toldHowToAnswer = false;
  let toldReview = '';
  try {
    for (;;) {
      if (detach.signal.aborted) return { kind: 'detached' };
      const status = await research.status(workflowId);
      progress.update(status, Date.now() - started);
      if (status.execution !== 'RUNNING') {
        progress.break();
        // A rejected run completes too, as `rejected`: it ends here, with who rejected it.
        if (status.execution === 'COMPLETED' && status.phase !== 'rejected')
          return { kind: 'result', result: await research.result(workflowId) };
        return { kind: 'ended', status };
      }
      if (status.clarification === 'pending') {
        if (options.answers && !answeredFromFile) {
          answeredFromFile = true;
          await research.answer(workflowId, options.answers);
          continue;
        }
        if (options.interactive) {
          progress.break();
          await askAtPrompt(research, workflowId, status, detach.signal);
          continue;
        }
        if (!toldHowToAnswer) {
          // No terminal to ask at: say what is asked and how to answer from anywhere.
          toldHowToAnswer = true;
          progress.break();
          process.stderr.write(
            `waiting for answers to ${status.questions.length} questions:\n` +
              status.questions.map((q, i) => `  ${i + 1}. ${q}\n`).join('') +
              `answer with: npx steadfast answer ${workflowId} "…" … (or --skip)\n`
          );
        }
      }
      const notice = reviewNotice(status);
      if (notice && notice !== toldReview) {
        toldReview = notice;
        progress.break();
        process.stderr.write(notice);
      }
      await sleep(options.pollMs ?? 400, detach.signal);
    }
  } finally {
    // After a detach the listener stays: the process is about to end on its own, and with no
    // listener left the Agents SDK's SIGINT hook would exit with status 130 mid-cleanup.
    if (!detach.signal.aborted) process.removeListener('SIGINT', onSigint);
    progress.break();
  }
}

async function askAtPrompt(
  research: ResearchClient,
  workflowId: string,
  status: LiveStatus,
  detach: AbortSignal
): Promise<void> {
  const questions = status.questions;
  process.stderr.write(
    `\nA few questions first (Enter = no preference; answer later with \`npx steadfast answer ${workflowId}\`):\n`
  );
  const gotAnsweredElsewhere = new AbortController();
  const watcher = (async () => {
    while (!gotAnsweredElsewhere.signal.aborted) {
      await sleep(1000, gotAnsweredElsewhere.signal);
      if (gotAnsweredElsewhere.signal.aborted) return;
      const now = await research.status(workflowId).catch(() => undefined);
      if (now && now.clarification !== 'pending') {
        process.stderr.write(`\n(answered elsewhere: ${now.clarification})\n`);
        gotAnsweredElsewhere.abort();
      }
    }
  })();
  const signal = AbortSignal.any([detach, gotAnsweredElsewhere.signal]);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  const answers: string[] = [];
  try {
    for (const [i, q] of questions.entries()) {
      const a = await rl.question(`  ${i + 1}. ${q}\n     > `, { signal });
      answers.push(a.trim() || 'no preference');
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    throw err;
  } finally {
    rl.close();
    gotAnsweredElsewhere.abort();
    await watcher.catch(() => {});
  }
  try {
    await research.answer(workflowId, answers);
  } catch (err) {
    // Someone answered between our last look and now: the run has what it needs.
    if (err instanceof UserError && /no clarifying questions are waiting/.test(err.message)) return;
    throw err;
  }
}

/** Reads answers from a file: a JSON array of strings, {"answers": [...]}, or one answer per line. */
export async function readAnswersFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read answers file ${file}: ${(err as Error).message}`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new UserError(
        `answers file ${file} is not valid JSON: ${(err as Error).message}`,
        'use a JSON array of strings, or one answer per line'
      );
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { answers?: unknown }).answers;
    if (!Array.isArray(list) || !list.every((a) => typeof a === 'string')) {
      throw new UserError(
        `answers file ${file} must hold a list of strings`,
        'e.g. ["TypeScript", "under 100 users"]'
      );
    }
    return list;
  }
  return trimmed
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
