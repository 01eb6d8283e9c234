import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ConversationClient } from '../../client/conversation.js';
import { hasRecentPollers } from '../../client/pollers.js';
import { ResearchClient } from '../../client/research.js';
import type { AskResponse, ChatEvent } from '../../common/conversation-types.js';
import { NoWorkerError, UserError } from '../../common/errors.js';
import { modelLimits } from '../../common/model-endpoint.js';
import { splitQueues, workflowUiLink } from '../../common/temporal-settings.js';
import { checkQuestion } from '../../workflows/conversation/input.js';
import { openEnvironment, type Environment } from '../environment.js';

/**
 * How long a question the conversation accepted waits for a worker to take over before this process
 * runs one (embedded default): a dead worker's successor replays the history within seconds.
 */
const LOCAL_TAKEOVER_MS = 20_000;

interface AskFlags {
  json?: boolean;
  close?: boolean;
  idleTimeout?: string;
  worker: boolean;
}

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description(
      'Ask a follow-up question about a research report: one conversation per report, that remembers the earlier turns.'
    )
    .argument('<researchWorkflowId>', 'the research run whose report to ask about')
    .argument('[question]', 'the question')
    .option('--json', 'print exactly one JSON object at the end')
    .option('--close', 'close the conversation about this report (a later question starts a new one)')
    .option(
      '--idle-timeout <duration>',
      'when the question starts a conversation: how long it waits for the next question (default "7 days")'
    )
    .option('--no-worker', 'do not run a worker in this process (use separately started `steadfast worker`s)')
    .action(async (researchWorkflowId: string, question: string | undefined, flags: AskFlags) => {
      if (!flags.close) {
        const problem = question === undefined ? 'no question given' : checkQuestion(question);
        if (problem)
          throw new UserError(
            `cannot ask: ${problem}`,
            `npx steadfast ask ${researchWorkflowId} "your question"`
          );
      }
      // One id for the question, whatever happens: asked again by a worker started here after none
      // answered, it is the same question, answered once.
      const updateId = randomUUID();
      await withWorker(flags.worker, async (env) => {
        const research = new ResearchClient({ client: env.client, taskQueue: env.settings.taskQueue });
        const conversations = new ConversationClient({
          client: env.client,
          taskQueue: env.settings.taskQueue,
          research,
          defaultModel: env.endpoint?.model,
          taskQueues: splitQueues(env.settings),
          modelContextTokens: modelLimits(env.endpoint).contextTokens,
          ...(flags.idleTimeout ? { settings: { idleTimeout: flags.idleTimeout } } : {}),
          // When this process can run a worker itself, it does so sooner than a user would.
          ...(flags.worker && env.settings.embedded && !env.workers
            ? { workerWaitMs: LOCAL_TAKEOVER_MS }
            : {}),
        });
        if (flags.close) {
          const view = await conversations.close(researchWorkflowId);
          if (flags.json) process.stdout.write(`${JSON.stringify(view)}\n`);
          else
            process.stdout.write(`${view.conversationId}: closed after ${view.turns} answered questions\n`);
          return;
        }
        const live = !flags.json && process.stdout.isTTY === true ? liveAnswer() : undefined;
        const answer = await conversations.ask(researchWorkflowId, question!, {
          updateId,
          ...(live ? { onEvent: live.onEvent } : {}),
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(askJson(answer))}\n`);
          return;
        }
        if (answer.note) process.stderr.write(`note: ${answer.note}\n`);
        if (live) live.finish(answer.answer);
        else process.stdout.write(`${answer.answer}\n`);
        printSources(answer);
        const ui = workflowUiLink(env.settings, answer.conversationId);
        process.stderr.write(
          `\nconversation: ${answer.conversationId} · turn ${answer.turn} · history ${(answer.historyBytes / 1024).toFixed(1)} KB` +
            `${ui ? `\nTemporal UI: ${ui}` : ''}\n`
        );
      });
    });
}

/** The one JSON object of `--json`. */
export function askJson(answer: AskResponse) {
  return {
    conversationId: answer.conversationId,
    turn: answer.turn,
    answer: answer.answer,
    citations: answer.citations.map((c) => ({ n: c.n, path: c.path, excerpt: c.excerpt })),
    historyBytes: answer.historyBytes,
    ...(answer.note ? { note: answer.note } : {}),
  };
}

/**
 * Prints the answer's text as it streams (in a terminal). `finish` prints whatever the stream did
 * not deliver, so that what stands on screen is the durable answer.
 */
function liveAnswer(): { onEvent: (e: ChatEvent) => void; finish: (answer: string) => void } {
  let shown = '';
  return {
    onEvent(e) {
      if (e.type === 'reset' && shown) {
        // A model call began again (a retry after a failure): its text starts over.
        process.stdout.write('\n… (the model call was retried; the answer starts over)\n');
        shown = '';
      } else if (e.type === 'text') {
        process.stdout.write(e.text);
        shown += e.text;
      }
    },
    finish(answer) {
      if (answer.startsWith(shown)) process.stdout.write(`${answer.slice(shown.length)}\n`);
      else process.stdout.write(`${shown ? '\n\n' : ''}${answer}\n`);
    },
  };
}

function printSources(answer: AskResponse): void {
  if (answer.citations.length === 0) return;
  process.stdout.write('\nSources:\n');
  for (const c of answer.citations) {
    const excerpt = c.excerpt.replace(/\s+/g, ' ').trim();
    process.stdout.write(
      `  [${c.n}] ${c.path}\n      ${excerpt.length > 160 ? `${excerpt.slice(0, 159)}…` : excerpt}\n`
    );
  }
}

/**
 * Runs `fn` with a worker available: on the embedded default, when none polls (or none answers),
 * this process runs one. With a configured cluster, workers are the operator's.
 */
async function withWorker(allowed: boolean, fn: (env: Environment) => Promise<void>): Promise<void> {
  let env = await openEnvironment({ worker: false, clientPlugin: true });
  try {
    if (allowed && env.settings.embedded) {
      const polling = await hasRecentPollers(
        env.client,
        env.settings.namespace,
        env.settings.taskQueue
      ).catch(() => true);
      if (!polling) env = await localWorker(env);
    }
    try {
      await fn(env);
    } catch (err) {
      if (!(err instanceof NoWorkerError) || !allowed || !env.settings.embedded || env.workers) throw err;
      env = await localWorker(env);
      await fn(env);
    }
  } finally {
    await env.close();
  }
}

async function localWorker(env: Environment): Promise<Environment> {
  process.stderr.write('no worker is answering: running one in this process\n');
  await env.close();
  return openEnvironment({ worker: true, clientPlugin: true });
}
