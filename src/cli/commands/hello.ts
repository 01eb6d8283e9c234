import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { splitQueues, workflowUiLink } from '../../common/temporal-settings.js';
import { openEnvironment } from '../environment.js';
import { workflowTaskTimeout } from '../../common/workflow-start.js';

export function registerHelloCommand(program: Command): void {
  program
    .command('hello')
    .description(
      'Run the smallest durable agent (a tool activity and a handoff) end to end and print its answer.'
    )
    .argument('<text>', 'what to ask')
    .option('--model <name>', 'model name (env STEADFAST_MODEL)')
    .option('--json', 'print one JSON object')
    .action(async (text: string, opts: { model?: string; json?: boolean }) => {
      const started = Date.now();
      const env = await openEnvironment({ worker: true, clientPlugin: true });
      try {
        const workflowId = `hello-${randomUUID()}`;
        const { hello } = await import('../../workflows/hello.js');
        const handle = await env.client.workflow.start(hello, {
          taskQueue: env.settings.taskQueue,
          workflowId,
          args: [{ text, model: opts.model ?? env.endpoint?.model, taskQueues: splitQueues(env.settings) }],
          workflowTaskTimeout: workflowTaskTimeout(),
        });
        const result = await handle.result();
        const ui = workflowUiLink(env.settings, workflowId);
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ workflowId, runId: handle.firstExecutionRunId, ui, ...result, elapsedMs: Date.now() - started })}\n`
          );
        } else {
          process.stdout.write(`${result.answer}\n\n`);
          process.stdout.write(
            `answered by: ${result.agent} · model calls: ${result.usage.requests} · tokens: ${result.usage.totalTokens}\n`
          );
          process.stdout.write(`workflow id: ${workflowId}\n`);
          if (ui) process.stdout.write(`Temporal UI: ${ui}\n`);
        }
      } finally {
        await env.close();
      }
    });
}
